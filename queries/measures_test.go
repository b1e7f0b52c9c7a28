package queries

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// The measures lake: the hand-made lake (testdata/lake) plus the rows of
// testdata/measures/*.csv, which plant the cases of the measures-register indicators
// (measures_*.sql). As of 2026-06-30, as in queries_test.go. The added rows:
//
//	governance: GM1 B interview for AC1 on 05-25 (15 days after: in term); GM2 A listed
//	  supervision of AC5 (concealed) 03-01; GM3 A escalated investigation of AC5 03-05; GM4 C
//	  supervision tour 06-12 (no sector); GM5 C interview for AM1 on 06-01 (61 days after: late).
//	  The hand lake's G6 (B interview 2025-12-30) names no accident.
//	accidents: AM1 C coal 04-01, general, sensitive period; AM2 A construction 06-20, large
//	  (its 30-day term runs past as_of); AM3 B coal 2025-10-01, concealed, never listed.
//	enforcement: CM1 A 06-05 and CM2 A 04-15 (for AC5, general: fine 1,000,000 = the art. 114
//	  ceiling) illegal subcontracting; CM3, CM4 E2 06-22, 06-25; CM5-CM9 E4 2025-08-01,
//	  2025-10-10, 2026-01-15, 2026-03-20, 2025-07-05; CM10 B EM2 06-15 illegal subcontracting.
//	hazards: HM1 B E3 major 01-10, deadline 03-31, open, 五落实; HM2 A E2 major 04-01, deadline
//	  05-01, rectifying, 五落实; HM3 A E1 major 05-31, no deadline, 五落实 flagged.
//	enterprises: EM1 A construction insured; EM2 B coal insured, state-owned, 150 employees
//	  and 25 flexible workers; EM3 C coal insured but suspended; EM4 A road not insured. The
//	  hand lake's E1-E5 have no insurance value; E3 is state-owned, E4 not.
//	risk_assessments: RAM1 EM1 03-01 not published; RAM2 EM2 2025-06-15 published (before the 12 months).
var measuresWants = []want{
	// measures_followup.sql. committee_actions: ytd A listed GM2, escalated GM3; B interview
	// GM1 (G6 is 2025); C tour GM4, interview GM5.
	{"committee_actions", rA, all, "ytd", "listed_supervision", 1},
	{"committee_actions", rA, all, "ytd", "escalated_investigation", 1},
	{"committee_actions", rA, all, "month", "listed_supervision", 0},
	{"committee_actions", rB, all, "ytd", "interview", 1},                  // GM1
	{"committee_actions", rB, all, "12m", "interview", 2},                  // G6, GM1
	{"committee_actions", rC, all, "month", "supervision_tour", 1},         // GM4
	{"committee_actions", city, all, "12m", "interview", 3},                // G6, GM1, GM5
	{"committee_actions", city, "coal_mine", "12m", "interview", 3},        // all three name coal_mine
	{"committee_actions", city, "coal_mine", "12m", "supervision_tour", 0}, // GM4 names no sector
	{"committee_actions", city, "construction", "ytd", "listed_supervision", 1},
	// interview_followup_ratio: owing an interview and past the 30-day term: AC1 (B, large,
	// interviewed in 15 days), AM1 (C, sensitive, interviewed after 61 days). AM2 (06-20) not
	// yet due; AC3 after as_of; AC6 before the 12m window.
	{"interview_followup_ratio", rB, all, "quarter", "", 1},
	{"interview_followup_ratio", rB, all, "month", "", absent}, // AC1 is May
	{"interview_followup_ratio", rC, all, "ytd", "", 0},
	{"interview_followup_ratio", rA, all, "ytd", "", absent}, // AM2 not due, AC2 and AC5 general
	{"interview_followup_ratio", city, all, "ytd", "", 0.5},  // AC1 of AC1, AM1
	{"interview_followup_ratio", city, "coal_mine", "12m", "", 0.5},
	// concealed_listed_ratio, a state: AC5 (A, listed by GM2), AM3 (B 2025-10, not listed).
	{"concealed_listed_ratio", rA, all, as, "", 1},
	{"concealed_listed_ratio", rB, all, as, "", 0},
	{"concealed_listed_ratio", rB, all, as, "", 0}, // AM3 is 2025, but a state has every window
	{"concealed_listed_ratio", rC, all, as, "", absent},
	{"concealed_listed_ratio", city, all, as, "", 0.5},
	{"concealed_listed_ratio", city, "coal_mine", as, "", 0}, // AM3
	// followups_missing, a state: interview: AC6 (C, large, 2025-05-01, none recorded; AM1's
	// late interview closes it); listed supervision: AM3 (B).
	{"followups_missing", rC, all, as, "interview", 1},
	{"followups_missing", rC, all, as, "interview", 1}, // the same in every window
	{"followups_missing", rB, all, as, "interview", 0}, // AC1 interviewed
	{"followups_missing", rB, all, as, "listed_supervision", 1},
	{"followups_missing", rA, all, as, "listed_supervision", 0}, // AC5 listed
	{"followups_missing", city, all, as, "interview", 1},
	{"followups_missing", city, "coal_mine", as, "listed_supervision", 1},

	// measures_enforcement.sql. Illegal subcontracting: CM1 (06-05), CM2 (04-15, for AC5).
	{"illegal_subcontracting_cases", rA, all, "month", "", 1},
	{"illegal_subcontracting_cases", rA, all, "quarter", "", 2},
	{"illegal_subcontracting_cases", rB, all, "ytd", "", 1}, // CM10 (EM2, state-owned)
	{"illegal_subcontracting_cases", city, "construction", "ytd", "", 2},
	{"subcontracting_accident_cases", rA, all, "quarter", "", 1}, // CM2
	{"subcontracting_accident_cases", rA, all, "month", "", 0},
	// max_penalty_share: fines for accidents: C1 (AC1 large, 1.5M < 2M), C5 (AC5 general,
	// 400k < 1M), CM2 (AC5 general, 1M = 1M ceiling).
	{"max_penalty_share", rA, all, "ytd", "", 0.5}, // CM2 of C5, CM2
	{"max_penalty_share", rA, all, "quarter", "", 1},
	{"max_penalty_share", rA, all, "month", "", absent}, // CM1 is not for an accident
	{"max_penalty_share", rB, all, "month", "", 0},      // C1
	{"max_penalty_share", city, all, "ytd", "", 1.0 / 3},
	// closure_candidates (art. 113(1)): E2 fined C4 06-20, CM3 06-22, CM4 06-25 while H3
	// (06-15) and HM2 (04-01) were open: 3 in 180 days. E4: CM6, CM7, CM8 while H9 was open
	// (found 2025-09-10, rectified 07-15): 2 in the 180 days from 2026-01-02, 3 in 365 (CM5
	// and CM9 came before H9 was found and do not count): not a candidate. E1: only CM1
	// (HM3 open from 05-31); E3: only C1 (C2 a transfer is no penalty).
	{"closure_candidates", rA, all, as, "", 1},
	{"closure_candidates", rA, all, as, "", 1},
	{"closure_candidates", rB, all, as, "", 0},
	{"closure_candidates", rC, all, as, "", 0},
	{"closure_candidates", city, "road_transport", as, "", 1},
	{"closure_candidates", city, all, as, "", 1},

	// measures_enterprises.sql. Operating in hazardous sectors: A E1, EM1; B E3, EM2; C E4
	// (EM3 suspended); insured: EM1, EM2.
	{"liability_insurance_coverage", rA, all, as, "", 0.5},
	{"liability_insurance_coverage", rB, all, as, "", 0.5},
	{"liability_insurance_coverage", rC, all, as, "", 0},
	{"liability_insurance_coverage", city, all, as, "", 2.0 / 5},
	{"liability_insurance_coverage", city, "coal_mine", as, "", 1.0 / 3}, // EM2 of E3, E4, EM2
	{"liability_insurance_coverage", city, "road_transport", as, "", absent},
	// risk_published_ratio: operating E1, E2, E3, E4, EM1, EM2, EM4; published in 2025-07-01..
	// 2026-06-30: E1 (RA1, RA2), E2 (RA7), E3 (RA3), E4 (RA4; RA5 unpublished). RAM1 not
	// published, RAM2 too old, EM4 none.
	{"risk_published_ratio", city, all, as, "", 4.0 / 7},
	{"risk_published_ratio", rA, all, as, "", 0.5}, // E1, E2 of E1, E2, EM1, EM4
	{"risk_published_ratio", rB, all, as, "", 0.5}, // E3 of E3, EM2
	{"risk_published_ratio", rC, all, as, "", 1},   // E4
	{"risk_published_ratio", city, "construction", as, "", 0.5},

	// measures_plans.sql (new table inspection_plans, in testdata/lake). 2026 plans against
	// the department's own inspections of 2026 up to 06-30 (not self-checks, not
	// cross-region): P1 A 住建局 4 (I1, I2: 2), P2 A 交通局 6 (I3: 1), P3 B 能源局 1 (I4, I5:
	// 2, counted as 1), P4 C 能源局 9 (I6: 1), P5 C 应急局 2 (none); P6 is 2025. Pro-rata
	// share of the year on 06-30: 181/365 = 0.4959: behind when done < planned x 0.4959:
	// P2 (1 < 2.98), P4 (1 < 4.46), P5 (0 < 0.99); P1 (2 >= 1.98) and P3 are not.
	{"inspection_plan_progress", rA, all, as, "", 3.0 / 10},      // (2 + 1) / (4 + 6)
	{"inspection_plan_progress", rB, all, as, "", 1},             // min(2, 1) / 1
	{"inspection_plan_progress", rC, all, as, "", 1.0 / 11},      // (1 + 0) / (9 + 2)
	{"inspection_plan_progress", city, all, as, "", 5.0 / 22},    // (2 + 1 + 1 + 1 + 0) / 22
	{"inspection_plan_progress", city, "coal_mine", as, "", 0.2}, // (1 + 1) / (1 + 9)
	{"inspection_plan_progress", city, "construction", as, "", 0.5},
	{"departments_behind_plan", rA, all, as, "", 1},
	{"departments_behind_plan", rB, all, as, "", 0},
	{"departments_behind_plan", rC, all, as, "", 2},
	{"departments_behind_plan", city, all, as, "", 3},
	{"departments_behind_plan", city, "coal_mine", as, "", 1}, // P4 (P5 names no sector)

	// measures_investigations.sql (new tables investigations and notifications). Not
	// approved past the art. 29 term: AC5 (A, 02-01 + 60 < 06-30, no report), AM3 (B,
	// 2025-10-01 + 120 extended < 06-30). Not overdue: AC1 (05-10 + 120, extended), AM1
	// (C, 04-01: + 60 would be 05-31, past; extended + 120 is 07-30, not), AC4 and AC6
	// approved, AC2 and AM2 within 60 days. AC7 (C, 03-15, no investigation record: + 60 is
	// 05-14, past) is overdue too.
	{"investigation_overdue", rA, all, as, "", 1},
	{"investigation_overdue", rB, all, as, "", 1},
	{"investigation_overdue", rC, all, as, "", 1}, // AC7
	{"investigation_overdue", city, all, as, "", 3},
	{"investigation_overdue", city, "construction", as, "", 1},
	// measures closed: AC4 (C 2025-08-15, due 2025-12-31, done 12-20: on time); AC6 (done
	// late) happened before the 12m window.
	{"measures_closed_ratio", rC, all, "12m", "", 1},
	{"measures_closed_ratio", rC, all, "ytd", "", absent},
	{"measures_closed_ratio", city, all, "12m", "", 1},
	// notifications: N1 AC1 +90 min, N5 AC1 +4 h (B); N3 AC4 +150 min (C); N4 AC5 +120 min
	// exactly (A, on time); N2 (AC2) arrives 07-01 01:00 in Shanghai: after as_of.
	{"notification_on_time_ratio", rA, all, "ytd", "", 1},
	{"notification_on_time_ratio", rA, all, "month", "", absent},
	{"notification_on_time_ratio", rB, all, "quarter", "", 0.5},
	{"notification_on_time_ratio", rC, all, "12m", "", 0},
	{"notification_on_time_ratio", city, all, "12m", "", 0.5},
	{"notification_on_time_ratio", city, "coal_mine", "12m", "", 1.0 / 3},

	// measures_documents.sql (new table duty_documents, in testdata/lake). In the window:
	// A D1 duty list 02-10, D2 task list 02-10, D3 annual report 2025-12-20, D4 special fund
	// 2025-06-30 (the day before the 12m window); B D5 duty list 06-05, D6 power list 03-01;
	// the city's D7 appointment 04-01 (no region); C D8 task list 2025-06-01 (before).
	{"duty_documents", rA, all, "ytd", "duty_list", 1},
	{"duty_documents", rA, all, "12m", "annual_report", 1},
	{"duty_documents", rA, all, "12m", "special_fund", 0}, // D4 is 2025-06-30
	{"duty_documents", rB, all, "month", "duty_list", 1},
	{"duty_documents", rB, all, "quarter", "power_list", 0}, // March
	{"duty_documents", city, all, "quarter", "office_deputy", 1},
	{"duty_documents", city, all, "ytd", "duty_list", 2},
	// coverage: yearly kinds issued 2025-07-01..2026-06-30: A duty, task, report (D4 one
	// day too old): 3 of 4; B duty: 1 of 4; C none (D8 too old): 0 of 4; city 4 of 12.
	{"duty_document_coverage", rA, all, as, "", 0.75},
	{"duty_document_coverage", rB, all, as, "", 0.25},
	{"duty_document_coverage", rC, all, as, "", 0},
	{"duty_document_coverage", city, all, as, "", 4.0 / 12},

	// measures_labour.sql (new table labour_checks, in testdata/lake). L1 A 06-12: 10 in
	// hazardous posts, 8 certified, 10 trained, managed as own; L2 B 05-20: 20, 20, 15, not;
	// L3 C 2025-09-01: 30, unknown, 24, unknown; L4 A 2025-06-15 is before the 12m window.
	{"dispatched_qualified_ratio", rA, all, "month", "certified", 0.8},
	{"dispatched_qualified_ratio", rA, all, "12m", "certified", 0.8}, // L4 outside
	{"dispatched_qualified_ratio", rB, all, "quarter", "trained", 0.75},
	{"dispatched_qualified_ratio", rC, all, "12m", "certified", 0}, // unknown counts as none
	{"dispatched_qualified_ratio", city, all, "12m", "certified", 28.0 / 60},
	{"dispatched_qualified_ratio", city, all, "12m", "trained", 49.0 / 60},
	{"dispatched_qualified_ratio", city, "coal_mine", "12m", "certified", 0.4}, // 20 / 50
	{"dispatched_qualified_ratio", rC, all, "ytd", "certified", absent},
	{"dispatch_unified_ratio", rA, all, "month", "", 1},
	{"dispatch_unified_ratio", rB, all, "quarter", "", 0},
	{"dispatch_unified_ratio", city, all, "12m", "", 1.0 / 3},
	// state-owned, operating, hazardous: E3 (220 workers, 0 flexible), EM2 (175, 25).
	{"soe_flexible_share", rB, all, as, "", 25.0 / 395},
	{"soe_flexible_share", rC, all, as, "", absent}, // E4 is not state-owned
	{"soe_flexible_share", city, "coal_mine", as, "", 25.0 / 395},
	{"soe_subcontracting_cases", rB, all, "month", "", 1}, // CM10
	{"soe_subcontracting_cases", rA, all, "ytd", "", 0},   // CM1, CM2 are E1's
	{"soe_subcontracting_cases", city, "coal_mine", "ytd", "", 1},

	// measures_projects.sql (new table projects, in testdata/lake). Approved: PJ1 A 05-10
	// (assessed 04-20, before), PJ2 A 06-15 (assessed 06-20, after), PJ3 B 02-01 (assessed
	// 01-10), PJ4 C 2025-09-01 (never assessed); PJ5 never approved. Started before approval:
	// PJ2 (06-01 < 06-15), PJ5 (04-10, none). Chemical, substandard: PJ3 (not stopped), PJ4
	// (stopped).
	{"projects_assessed_ratio", rA, all, "quarter", "", 0.5}, // PJ1 of PJ1, PJ2
	{"projects_assessed_ratio", rA, all, "month", "", 0},     // PJ2
	{"projects_assessed_ratio", rB, all, "ytd", "", 1},
	{"projects_assessed_ratio", rC, all, "12m", "", 0},
	{"projects_assessed_ratio", rC, all, "ytd", "", absent},
	{"projects_assessed_ratio", city, all, "12m", "", 0.5},     // PJ1, PJ3 of 4
	{"projects_started_unapproved", rA, all, "month", "", 1},   // PJ2
	{"projects_started_unapproved", rC, all, "quarter", "", 1}, // PJ5
	{"projects_started_unapproved", rB, all, "ytd", "", 0},
	{"projects_started_unapproved", city, "construction", "ytd", "", 2},
	{"chemical_substandard_running", rB, all, as, "", 1},
	{"chemical_substandard_running", rC, all, as, "", 0}, // PJ4 stopped
	{"chemical_substandard_running", city, all, as, "", 1},

	// measures_experts.sql. Experts on I1 (A 06-10) and I3 (A 06-15); I4 (B) without;
	// others unknown (not). Official inspections as in queries_test.go.
	{"expert_inspection_share", rA, all, "month", "", 1},              // I1, I3
	{"expert_inspection_share", rA, all, "12m", "", 2.0 / 3},          // of I1, I2, I3
	{"expert_inspection_share", rB, all, "quarter", "", 0},            // I4, I5
	{"expert_inspection_share", city, all, "12m", "", 2.0 / 7},        // I11 is outside
	{"expert_inspection_share", city, "construction", "12m", "", 0.5}, // I1 of I1, I2
	// blacklisted: E2 (A road), E5 (C construction, closed: still on the list).
	{"blacklisted_enterprises", rA, all, as, "", 1},
	{"blacklisted_enterprises", rB, all, as, "", 0},
	{"blacklisted_enterprises", rC, all, as, "", 1},
	{"blacklisted_enterprises", city, all, as, "", 2},
	{"blacklisted_enterprises", city, "construction", as, "", 1},

	// measures_major_hazards.sql. Open major hazards as of 06-30: A H3 (06-15: 15 days), HM2
	// (04-01: 90 days), HM3 (05-31: 30 days); B H7 (05-05: 56 days), HM1 (01-10: 171 days); C
	// H9 (2025-09-10: 293 days, rectified only 07-15). H6 rectified, H12 after as_of. From the
	// shared hand lake (issue 11): A H13 (2024-06-15: 745 days, deadline 2024-09-30), H15
	// (05-25: 36 days, deadline 06-10), both E2's, 五落实 unknown; B H14 (03-01: 121 days, no
	// deadline).
	{"major_hazards_open", rA, all, as, "d0_30", 2},     // H3, HM3 (30 days is the band's edge)
	{"major_hazards_open", rA, all, as, "d31_90", 2},    // HM2 (90 days), H15
	{"major_hazards_open", rA, all, as, "d181_plus", 1}, // H13
	{"major_hazards_open", rB, all, as, "d31_90", 1},    // H7
	{"major_hazards_open", rB, all, as, "d91_180", 2},   // HM1, H14
	{"major_hazards_open", rC, all, as, "d181_plus", 1},
	{"major_hazards_open", city, all, as, "d31_90", 3}, // HM2, H15, H7
	{"major_hazards_open", city, "coal_mine", as, "d0_30", 0},
	// five_missing: H3, H7, H9, H13, H15 (五落实 unknown), HM3, H14 (no deadline).
	{"major_hazards_five_missing", rA, all, as, "", 4}, // H3, HM3, H13, H15
	{"major_hazards_five_missing", rB, all, as, "", 2}, // H7, H14
	{"major_hazards_five_missing", city, all, as, "", 7},
	// overdue and not suspended: HM2 (A, E2: no suspension), H9 (C, E4: none); HM1 (B) is
	// overdue but E3 was suspended by C1 on 06-01, after its 03-31 deadline. H13, H15 (A road,
	// E2: no suspension) are overdue too.
	{"overdue_major_unsuspended", rA, all, as, "", 3},
	{"overdue_major_unsuspended", rB, all, as, "", 0},
	{"overdue_major_unsuspended", rC, all, as, "", 1},
	{"overdue_major_unsuspended", city, all, as, "", 4},
	{"overdue_major_unsuspended", city, "road_transport", as, "", 3}, // HM2, H13, H15

	// measures_supplementary.sql (Decree 493 art. 13). The last day on time is the accident's
	// date + 30, or + 7 for road transport or a fire. 补报: N6 AC1 (B coal, 05-10) on 06-09 =
	// day 30, on time; N7 AC4 (C coal, 2025-08-15) on 2025-09-15 = day 31, late; N10 AR1 (A road,
	// 2025-06-24) on 07-01 = day 7, on time; N12 AR2 (A road, 06-24) on 07-02 = day 8, late; N13
	// AR1 on 07-15 dates its change 07-14, after the term: owed nothing. N8 is a 续报. The 12m
	// window is 2025-07-01..2026-06-30; ytd holds only N6.
	{"supplementary_reports_late", city, all, "12m", "", 2}, // N7, N12
	{"supplementary_reports_late", rA, all, "12m", "", 1},   // N12
	{"supplementary_reports_late", rB, all, "12m", "", 0},   // N6 on time
	{"supplementary_reports_late", rC, all, "12m", "", 1},   // N7
	{"supplementary_reports_late", city, "coal_mine", "12m", "", 1},
	{"supplementary_reports_late", city, "road_transport", "12m", "", 1},
	{"supplementary_reports_late", city, all, "ytd", "", 0},
	// casualty_changes_unreported, a state. First figures / final: AC1 2+1 / 3+0 (补报 N6); AC4
	// 0+0 / 0+1 (补报 N7, late); AC5 0+1 / 1+0, construction, term ended 03-03, no 补报 at all;
	// AR1 0+1 / 0+3 (N10); AR2 0+1 / 0+2 (N12); AR3 0+1 / 0+1 unchanged; AC2's first report
	// arrives after as_of. Only AC5.
	{"casualty_changes_unreported", city, all, as, "", 1},
	{"casualty_changes_unreported", rA, all, as, "", 1},
	{"casualty_changes_unreported", rB, all, as, "", 0},
	{"casualty_changes_unreported", city, "construction", as, "", 1},
	{"casualty_changes_unreported", city, "road_transport", as, "", 0},
}

// TestSupplementaryTermEndsAfterAsOf: AC5's 30-day term ends on 2026-03-03 (accident on
// 02-01); as of that day it is not yet owed, the next day it is (Decree 493 art. 13).
func TestSupplementaryTermEndsAfterAsOf(t *testing.T) {
	lake := measuresLake(t)
	for asOf, want := range map[string]float64{"2026-03-03": 0, "2026-03-04": 1} {
		d, _ := time.Parse(time.DateOnly, asOf)
		snap, err := Compute(context.Background(), Config{Lake: lake, AsOf: d, Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
		if err != nil {
			t.Fatal(err)
		}
		got := math.NaN()
		for _, v := range snap.Values {
			if v.Indicator == "casualty_changes_unreported" && v.Region == city && v.Sector == all {
				got = v.Value
			}
		}
		if got != want {
			t.Errorf("as of %s: casualty_changes_unreported = %v, want %v", asOf, got, want)
		}
	}
}

// measuresLake builds the hand-made lake with testdata/measures/*.csv added to its tables
// (columns matched by name; a column only one side has is NULL on the other).
func measuresLake(t testing.TB) string {
	t.Helper()
	csvDir := t.TempDir()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tb := range safetyrisk.Tables() {
		var srcs []string
		for _, d := range []string{"testdata/lake", "testdata/measures"} {
			p := filepath.Join(d, tb.Name+".csv")
			if _, err := os.Stat(p); err == nil {
				srcs = append(srcs, sqlString(p))
			}
		}
		if len(srcs) == 0 {
			continue
		}
		q := fmt.Sprintf("COPY (SELECT * FROM read_csv([%s], header = true, all_varchar = true, union_by_name = true)) TO %s (HEADER, DELIMITER ',')",
			joinComma(srcs), sqlString(filepath.Join(csvDir, tb.Name+".csv")))
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("measures lake %s: %v", tb.Name, err)
		}
	}
	dir := t.TempDir()
	buildLake(t, csvDir, dir)
	return dir
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func TestMeasuresHandLake(t *testing.T) {
	snap, err := Compute(context.Background(), Config{Lake: measuresLake(t), AsOf: testAsOf, Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, v := range snap.Values {
		got[key(v.Indicator, v.Region, v.Sector, v.Window, v.DimValue)] = v.Value
	}
	expect(t, got, measuresWants...)
}

// TestMeasuresRecords: explain shows the records behind the new indicators.
func TestMeasuresRecords(t *testing.T) {
	ctx := context.Background()
	eng, err := Open(ctx, Config{Lake: measuresLake(t), Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, tc := range []struct {
		id, region, sector, window, dim, want string
	}{
		{"committee_actions", rA, all, "ytd", "listed_supervision", "GM2"},
		{"followups_missing", city, all, as, "", "AC6,AM3"},
		{"illegal_subcontracting_cases", rA, all, "ytd", "", "CM1,CM2"},
		{"max_penalty_share", city, all, "ytd", "", "C1,C5,CM2"},
		{"liability_insurance_coverage", rA, all, as, "", "E1,EM1"},
		{"major_hazards_five_missing", city, all, as, "", "H13,H9,H15,H14,H7,HM3,H3"}, // the oldest overdue first, then by age
		{"overdue_major_unsuspended", city, all, as, "", "H13,H9,HM1,HM2,H15"},        // overdue, the oldest first; HM1's suspension is shown by its case
		{"inspection_plan_progress", city, all, as, "", "P1,P2,P3,P4,P5"},             // P6 is 2025
		{"closure_candidates", city, all, as, "", "C4,CM3,CM4"},                       // E2's; E4's CM6-CM8 are only 2 in 180 days
		{"investigation_overdue", city, all, as, "", "AC5,AC7,AM3"},
		{"notification_on_time_ratio", city, all, "12m", "", "N1,N3,N4,N5"}, // N2 after as_of
		{"supplementary_reports_late", city, all, "12m", "", "N12,N7"},
		{"casualty_changes_unreported", city, all, as, "", "AC5"},
		{"projects_started_unapproved", rA, all, "12m", "", "PJ2"}, // PJ5 is C's: the block's OR stays inside its parentheses
	} {
		tb, err := eng.Records(ctx, tc.id, tc.region, tc.sector, tc.window, tc.dim, testAsOf, 100)
		if err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		var ids []string
		for _, r := range tb.Rows {
			ids = append(ids, r[0])
		}
		if got := strings.Join(ids, ","); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.id, got, tc.want)
		}
	}
}
