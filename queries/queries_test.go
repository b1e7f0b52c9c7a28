package queries

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/internal/golden"
	"github.com/safetyrisk/safetyrisk/internal/testdir"
)

// The hand-made lake: testdata/lake/*.csv, 3 regions (A 150602 东胜, B 150621 达拉特,
// C 150622 准格尔) and 3 sectors (testdata/profile.json), as of 2026-06-30 (a month, quarter
// and half-year end), so the windows are: month 2026-06-01..06-30, quarter 04-01..06-30,
// ytd 01-01..06-30, 12m 2025-07-01..2026-06-30.
var testAsOf = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// rA, rB, rC and city are the codes of the hand-made lake's regions A, B, C and its city,
// as testdata/profile.json has them.
var rA, rB, rC, city = handLakeCodes()

const (
	all  = safetyrisk.AllSectors
	as   = safetyrisk.WindowAsOf // the window of a state
	ytdB = 181.0 / 365           // elapsed share of 2026 on 30 June
)

func handLakeCodes() (a, b, c, city string) {
	p, err := safetyrisk.LoadProfile("testdata/profile.json")
	if err != nil || len(p.Regions) != 3 {
		panic(fmt.Sprintf("hand-made lake profile: %v", err))
	}
	return p.Regions[0].Code, p.Regions[1].Code, p.Regions[2].Code, p.City.Code
}

func testProfile(t testing.TB) *safetyrisk.Profile {
	t.Helper()
	p, err := safetyrisk.LoadProfile("testdata/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testLake returns the hand-made lake, built once per test binary run into a temporary
// folder that TestMain removes (twenty tests read it; a build is 0.1 to 0.2 s). Tests
// only read it: a test that changes a lake builds its own with buildLake.
func testLake(t testing.TB) string {
	t.Helper()
	return handLake.Get(t, handLakePattern, buildHandLake)
}

var handLake testdir.Once

const handLakePattern = "safetyrisk-queries-handlake-*"

func buildHandLake(dir string) error { return buildLakeErr("testdata/lake", dir) }

func TestMain(m *testing.M) {
	// Built before the tests: most read it. A failed build fails each test that asks.
	handLake.Build(handLakePattern, buildHandLake)
	code := m.Run()
	handLake.Remove()
	os.Exit(code)
}

func computeTest(t *testing.T, rc *RiskConfig) (*safetyrisk.Snapshot, map[string]float64) {
	t.Helper()
	snap, err := Compute(context.Background(), Config{Lake: testLake(t), AsOf: testAsOf, Profile: testProfile(t), RiskConfig: rc})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, v := range snap.Values {
		k := key(v.Indicator, v.Region, v.Sector, v.Window, v.DimValue)
		if _, dup := got[k]; dup {
			t.Errorf("duplicate row %s", k)
		}
		got[k] = v.Value
		if !v.AsOf.Equal(testAsOf) {
			t.Errorf("%s: as_of %v", k, v.AsOf)
		}
	}
	return snap, got
}

func key(ind, region, sector, win, dim string) string {
	return strings.Join([]string{ind, region, sector, win, dim}, "|")
}

// absent marks a row that must not exist (a ratio without denominator).
var absent = math.NaN()

type want struct {
	ind, region, sector, win, dim string
	v                             float64
}

// Every number below is worked out by hand from testdata/lake/*.csv; the comment gives
// the records and the arithmetic.
var wants = []want{
	// accidents.sql. In the window: AC1 (B coal, 2026-05-10, 2 dead + 1 missing = 3: 较大),
	// AC2 (A road, 2026-06-30 23:30 +08, 1 dead, general, reported after 150 min, found late),
	// AC4 (C coal, 2025-08-15, general, 1 serious), AC5 (A construction, 2026-02-01, 1 dead,
	// concealed, no report time), AC7 (C coal, 2026-03-15 given as a date only: transform
	// writes late_report NULL although reported_at - 00:00 is 510 minutes; no deaths, loss
	// 20,000). Excluded: AC3 (2026-07-01 01:00 +08 is after as_of in Shanghai although
	// 2026-06-30 in UTC), AC6 (2025-05-01, before the 12m window).
	{"accidents", rA, all, "month", "general", 1},       // AC2
	{"accidents", rA, all, "ytd", "general", 2},         // AC2, AC5
	{"accidents", rA, all, "ytd", "large", 0},           // AC3 excluded
	{"accidents", rB, all, "month", "large", 0},         // AC1 is in May
	{"accidents", rB, all, "quarter", "large", 1},       // AC1
	{"accidents", rC, all, "12m", "general", 2},         // AC4, AC7
	{"accidents", rC, all, "ytd", "general", 1},         // AC7 (AC4 is 2025)
	{"accidents", city, all, "12m", "general", 4},       // AC2, AC4, AC5, AC7
	{"accidents", city, all, "12m", "large", 1},         // AC1
	{"accidents", city, all, "12m", "extraordinary", 0}, // zero filled
	{"accidents", city, "coal_mine", "12m", "large", 1}, // AC1
	{"accidents", city, "road_transport", "month", "general", 1},
	{"deaths", rA, all, "month", "", 1},              // AC2
	{"deaths", rA, all, "ytd", "", 2},                // AC2 1 + AC5 1
	{"deaths", rB, all, "quarter", "", 3},            // AC1 2 + 1 missing
	{"deaths", city, all, "12m", "", 5},              // 2 + 3 + 0
	{"deaths", city, "coal_mine", "12m", "", 3},      // AC1 3 + AC4 0
	{"deaths", city, "construction", "month", "", 0}, // zero filled
	{"serious_injuries", rA, all, "month", "", 2},    // AC2
	{"serious_injuries", city, all, "12m", "", 3},    // AC2 2 + AC4 1
	{"direct_loss", rA, all, "ytd", "", 800000},      // 500,000 + 300,000
	{"direct_loss", city, all, "12m", "", 2920000},   // 2,000,000 + 500,000 + 100,000 + 300,000 + 20,000
	// late_report_ratio: not on time = late (AC2) or never reported (AC5: no evidence of a
	// timely report); AC7's occurrence has no time: left out.
	{"late_report_ratio", rA, all, "ytd", "", 1}, // AC2 late, AC5 unreported, of 2
	{"late_report_ratio", rB, all, "ytd", "", 0}, // AC1 30 min
	{"late_report_ratio", rB, all, "month", "", absent},
	{"late_report_ratio", rC, all, "ytd", "", absent},         // AC7 only: time unknown
	{"late_report_ratio", city, all, "12m", "", 2.0 / 4},      // AC2, AC5 of AC1, AC2, AC4, AC5
	{"late_report_ratio", city, "construction", "12m", "", 1}, // AC5: no report time
	{"accidents_unreported", rA, all, "ytd", "", 1},           // AC5
	{"accidents_unreported", rA, all, "month", "", 0},         // AC2 reported
	{"accidents_unreported", city, "construction", "12m", "", 1},
	{"reporting_violations", rA, all, "month", "late", 1},      // AC2
	{"reporting_violations", rA, all, "ytd", "concealed", 1},   // AC5
	{"reporting_violations", rA, all, "month", "concealed", 0}, // AC5 is February
	{"reporting_violations", city, all, "ytd", "omitted", 0},

	// rates.sql: ytd and 12m only, over the statistics of as_of's year, 2026. A has only 2025
	// and C only 2024: no rate. B has 2026 (gdp 400, workers 80,000, vehicles 50,000, coal
	// 2,000 万吨 = 20 Mt). No city row: the city is B alone, numerator and denominator (AC2
	// in A and AC5 in A are left out). ytd prorated by 181/365 (1 January..30 June).
	{"deaths_per_100m_gdp", rA, all, "ytd", "", absent},              // no 2026 statistics
	{"deaths_per_100m_gdp", rA, all, "month", "", absent},            // no month rates
	{"deaths_per_100m_gdp", rB, all, "12m", "", 3.0 / 400},           // AC1
	{"deaths_per_100m_gdp", rB, all, "ytd", "", 3.0 / (400 * ytdB)},  // prorated
	{"deaths_per_100m_gdp", rB, all, "quarter", "", absent},          // no quarter rates
	{"deaths_per_100m_gdp", rC, all, "12m", "", absent},              // 2024 is not 2026
	{"deaths_per_100m_gdp", city, all, "12m", "", 3.0 / 400},         // B's deaths over B's GDP
	{"deaths_per_100m_gdp", city, "coal_mine", "12m", "", 3.0 / 400}, // AC1
	{"deaths_per_100m_gdp", city, "construction", "12m", "", 0},      // AC5 is in A: left out
	{"industrial_deaths_per_100k_workers", rA, all, "ytd", "", absent},
	{"industrial_deaths_per_100k_workers", rB, all, "12m", "", 3.0 / 80000 * 1e5}, // 3.75
	{"industrial_deaths_per_100k_workers", city, all, "12m", "", 3.0 / 80000 * 1e5},
	{"industrial_deaths_per_100k_workers", city, all, "ytd", "", 3.0 / (80000 * ytdB) * 1e5},
	{"road_transport_deaths_per_10k_vehicles", rA, all, "12m", "", absent},
	{"road_transport_deaths_per_10k_vehicles", rB, all, "12m", "", 0},
	{"road_transport_deaths_per_10k_vehicles", city, all, "12m", "", 0},              // AC2 is in A
	{"road_transport_deaths_per_10k_vehicles", city, "road_transport", "12m", "", 0}, // ditto
	{"road_transport_deaths_per_10k_vehicles", city, all, "month", "", absent},
	{"coal_deaths_per_mt", rA, all, "12m", "", absent},
	{"coal_deaths_per_mt", rB, all, "12m", "", 3.0 / 20}, // 3 deaths / (2,000 万吨 / 100)
	{"coal_deaths_per_mt", rC, all, "12m", "", absent},
	{"coal_deaths_per_mt", city, all, "12m", "", 3.0 / 20},
	{"coal_deaths_per_mt", city, "coal_mine", "12m", "", 3.0 / 20},

	// hazards.sql, as of 2026-06-30. A: H1 (general, rectified 06-18 by deadline 06-20), H2
	// (general, open, deadline 06-25: overdue), H3 (major, found by inspection I3, not in the
	// ledger: M31; listed; deadline 08-15), H10 (general, no deadline), all June. B: H4
	// (general, on time), H5 (general, rectified 05-20 after deadline 05-10), H6 (major,
	// listed, on time), H7 (major, self-check, open, deadline 07-31), April-May. C: H8
	// (general, 2025-09, on time), H9 (major, deadline 2025-12-31, rectified 2026-07-15,
	// i.e. NOT yet as of 06-30: overdue although transform's stored flag says false).
	// Outside every window: H11 (C general, found 2025-06-30, deadline 2025-07-15, open), H12
	// (found 2026-07-02; would be M31), H13 (A road major, found 2024-06-15, deadline
	// 2024-09-30, still rectifying, listed). Added: H14 (B coal major, 2026-03-01, self-check,
	// no deadline, open), H15 (A road major, 2026-05-25, found through a report, not
	// in the ledger: M31; deadline 06-10, open).
	{"hazards_found", rA, all, "month", "general", 3}, // H1, H2, H10
	{"hazards_found", rA, all, "month", "major", 1},   // H3
	{"hazards_found", rB, all, "month", "general", 0},
	{"hazards_found", rB, all, "quarter", "major", 2}, // H6, H7
	{"hazards_found", rB, all, "ytd", "major", 3},     // H6, H7, H14
	{"hazards_found", rC, all, "12m", "major", 1},     // H9
	{"hazards_found", city, all, "12m", "general", 6}, // 3 + 2 + 1
	{"hazards_found", city, all, "12m", "major", 6},   // 2 + 3 + 1; H12, H13 excluded
	// hazard_states.sql: states at as_of over every hazard found by then, whenever.
	// Open: A H2, H10 (general), H3, H13, H15 (major); B H7, H14 (major); C H11 (general),
	// H9 (major, rectified only on 07-15). Overdue: A H2 (5 days), H13 (638), H15 (20);
	// C H11 (350), H9 (181).
	{"hazards_open", rA, all, as, "general", 2},                     // H2, H10
	{"hazards_open", rA, all, as, "major", 3},                       // H3, H13, H15
	{"hazards_open", rB, all, as, "major", 2},                       // H7, H14 (H12 found after as_of)
	{"hazards_open", city, all, as, "general", 3},                   // + H11
	{"hazards_open", city, all, as, "major", 6},                     // + H9
	{"hazards_overdue", rA, all, as, "general", 1},                  // H2
	{"hazards_overdue", rA, all, as, "major", 2},                    // H13 (found 2024), H15
	{"hazards_overdue", rB, all, as, "general", 0},                  // H5 rectified (late)
	{"hazards_overdue", rC, all, as, "general", 1},                  // H11, found before the 12m window
	{"hazards_overdue", rC, all, as, "major", 1},                    // H9, recomputed as of
	{"hazards_overdue", city, all, as, "major", 3},                  // H13, H15, H9
	{"hazards_overdue", city, "road_transport", as, "major", 2},     // H13, H15
	{"hazards_overdue", city, all, "12m", "major", absent},          // a state has no window
	{"major_hazards_long_overdue", rA, all, as, "30d", 1},           // H13 (H15 only 20 days)
	{"major_hazards_long_overdue", rA, all, as, "365d", 1},          // H13
	{"major_hazards_long_overdue", rC, all, as, "90d", 1},           // H9 181 days
	{"major_hazards_long_overdue", rC, all, as, "365d", 0},          // H9
	{"major_hazards_long_overdue", city, all, as, "30d", 2},         // H13, H9
	{"major_hazards_long_overdue", city, all, as, "365d", 1},        // H13
	{"major_hazards_overdue_max_age", rA, all, as, "", 638 * 86400}, // H13: 2024-09-30..2026-06-30
	{"major_hazards_overdue_max_age", rB, all, as, "", 0},           // none overdue
	{"major_hazards_overdue_max_age", rC, all, as, "", 181 * 86400}, // H9: 2025-12-31..2026-06-30
	{"major_hazards_overdue_max_age", city, all, as, "", 638 * 86400},
	{"major_hazards_no_deadline", rB, all, as, "", 1},                // H14
	{"major_hazards_no_deadline", rA, all, as, "", 0},                // H10 is general
	{"major_hazards_no_deadline", city, all, as, "", 1},              // H14
	{"rectification_ratio", rA, all, "month", "general", 1.0 / 3},    // H1 of H1, H2, H10
	{"rectification_ratio", rA, all, "month", "major", 0},            // H3
	{"rectification_ratio", rB, all, "quarter", "general", 1},        // H4, H5
	{"rectification_ratio", rB, all, "month", "general", absent},     // nothing found in June
	{"rectification_ratio", rB, all, "ytd", "major", 1.0 / 3},        // H6 of H6, H7, H14
	{"rectification_ratio", rC, all, "12m", "major", 0},              // H9 not yet
	{"rectification_ratio", city, all, "12m", "general", 4.0 / 6},    // H1, H4, H5, H8
	{"rectification_ratio", city, all, "12m", "major", 1.0 / 6},      // H6
	{"on_time_ratio", rA, all, "month", "general", 0.5},              // H1 of H1, H2 (H10 no deadline)
	{"on_time_ratio", rA, all, "month", "major", absent},             // H3 deadline not reached
	{"on_time_ratio", rB, all, "ytd", "general", 0.5},                // H4 of H4, H5
	{"on_time_ratio", rB, all, "ytd", "major", 1},                    // H6 (H7 not due, H14 no deadline)
	{"on_time_ratio", rC, all, "12m", "major", 0},                    // H9 due, not done as of
	{"on_time_ratio", city, all, "12m", "general", 3.0 / 5},          // H1, H4, H8 of H1, H2, H4, H5, H8
	{"on_time_ratio", city, all, "12m", "major", 1.0 / 3},            // H6 of H6, H9, H15
	{"unlisted_major_hazards", rA, all, "month", "", 1},              // H3
	{"unlisted_major_hazards", rA, all, "ytd", "", 2},                // H3, H15 (found through a report, M31)
	{"unlisted_major_hazards", rB, all, "12m", "", 0},                // H7 self-found; H12 after as_of
	{"unlisted_major_hazards", city, "road_transport", "12m", "", 2}, // H3, H15
	// listed_supervision: open majors under 挂牌督办 at as_of (H6 rectified: no longer).
	{"listed_supervision", rA, all, as, "", 2},   // H3, H13 (found 2024)
	{"listed_supervision", rB, all, as, "", 0},   // H6 rectified
	{"listed_supervision", city, all, as, "", 2}, // H3, H13
	{"listed_supervision", city, "road_transport", as, "", 2},

	// inspections.sql. Official: I1 A routine 06-10 (2 found), I2 A double_random 05-12 (0),
	// I3 A special 06-15 (1), I4 B double_random 04-20 (3), I5 B covert 06-05 (0), I6 C
	// routine 03-01 (0), I7 C cross_region 2025-09-10 (2); I11 (2025-06-30) outside.
	// Self-checks: I8 A 06-20, I9 B 05-31, I10 B 06-30.
	{"inspections", rA, all, "month", "routine", 1},
	{"inspections", rA, all, "month", "self_check", 1},
	{"inspections", rA, all, "quarter", "double_random", 1},
	{"inspections", rB, all, "quarter", "self_check", 2},
	{"inspections", rC, all, "12m", "routine", 1}, // I6; I11 outside
	{"inspections", rC, all, "12m", "cross_region", 1},
	{"inspections", rC, all, "month", "routine", 0},
	{"inspections", city, all, "12m", "double_random", 2},
	{"inspections", city, all, "12m", "self_check", 3},
	{"inspections", city, all, "12m", "accident", 0},
	{"zero_finding_ratio", rA, all, "12m", "", 1.0 / 3},   // I2 of I1, I2, I3
	{"zero_finding_ratio", rA, all, "month", "", 0},       // I1, I3
	{"zero_finding_ratio", rB, all, "month", "", 1},       // I5 (self-check I10 not counted)
	{"zero_finding_ratio", rC, all, "month", "", absent},  // no inspection
	{"zero_finding_ratio", city, all, "12m", "", 3.0 / 7}, // I2, I5, I6 of 7
	{"double_random_share", rA, all, "12m", "", 1.0 / 3},
	{"double_random_share", rC, all, "12m", "", 0},
	{"double_random_share", city, all, "12m", "", 2.0 / 7},

	// compliance.sql. Whole months in the window: month 1, quarter 3, ytd 6, 12m 12; whole
	// quarters: month 0, quarter 1, ytd 2, 12m 4. Departments: A 住建局, A 交通局, B 能源局,
	// C 能源局. Head-led months: A 住建局 2026-06 (I1); B 能源局 2026-04 (I4), 2026-06 (I5);
	// none for C (I7 is a cross-region check, made by a visiting team: not C's department, M13).
	{"head_led_inspection_compliance", rA, all, "month", "", 0.5},       // 住建局 yes, 交通局 no
	{"head_led_inspection_compliance", rB, all, "month", "", 1},         // I5
	{"head_led_inspection_compliance", rC, all, "month", "", 0},         // none
	{"head_led_inspection_compliance", city, all, "month", "", 0.5},     // 2 of 4
	{"head_led_inspection_compliance", rA, all, "quarter", "", 1.0 / 6}, // 1 of 2 x 3
	{"head_led_inspection_compliance", rB, all, "quarter", "", 2.0 / 3},
	{"head_led_inspection_compliance", city, all, "quarter", "", 3.0 / 12},
	{"head_led_inspection_compliance", city, all, "ytd", "", 3.0 / 24},
	{"head_led_inspection_compliance", rC, all, "12m", "", 0},          // I7 is cross-region
	{"head_led_inspection_compliance", city, all, "12m", "", 3.0 / 48}, // 1 + 2 + 0 of 4 x 12
	{"head_led_inspection_compliance", city, "coal_mine", "month", "", 0.5},
	{"head_led_inspection_compliance", city, "coal_mine", "12m", "", 2.0 / 24}, // B 2026-04, 2026-06
	{"head_led_inspection_compliance", city, "road_transport", "12m", "", 0},
	// self-checks: E1 2026-06 (I8), E3 2026-05 (I9) and 2026-06 (I10); operating E1-E4.
	{"selfcheck_compliance", city, all, "month", "", 0.5},     // E1, E3 of 4
	{"selfcheck_compliance", rB, all, "quarter", "", 2.0 / 3}, // E3: May, June of 3
	{"selfcheck_compliance", city, all, "quarter", "", 3.0 / 12},
	{"selfcheck_compliance", city, all, "12m", "", 3.0 / 48},
	{"selfcheck_compliance", city, "coal_mine", "12m", "", 2.0 / 24}, // E3, E4
	{"selfcheck_compliance", rC, all, "ytd", "", 0},
	// risk assessments: E1 02-10, 05-10; E3 2025-08-01, 04-15; E4 2025-11-01, 01-20; E2 2025-12-01.
	{"risk_assessment_compliance", city, all, "month", "", absent},     // no whole quarter in June
	{"risk_assessment_compliance", city, all, "quarter", "", 0.5},      // E1, E3 in Q2
	{"risk_assessment_compliance", rA, all, "quarter", "", 0.5},        // E1 of E1, E2
	{"risk_assessment_compliance", rC, all, "quarter", "", 0},          // E4 only Q1
	{"risk_assessment_compliance", city, all, "ytd", "", 0.25},         // E1 in Q1 and Q2
	{"risk_assessment_compliance", city, all, "12m", "", 0},            // nobody in all of Q3 2025..Q2 2026
	{"risk_assessment_compliance", city, "construction", "ytd", "", 1}, // E1 (E5 closed)

	// enterprises.sql. Operating E1-E4; level as of 06-30: E1 orange (RA2 over red), E2 blue
	// (RA7 over yellow), E3 orange, E4 red.
	{"enterprises_by_risk_level", rA, all, "12m", "orange", 1},
	{"enterprises_by_risk_level", rA, all, "12m", "blue", 1},
	{"enterprises_by_risk_level", rA, all, "12m", "yellow", 0},
	{"enterprises_by_risk_level", city, all, "month", "orange", 2},
	{"enterprises_by_risk_level", city, all, "month", "red", 1},
	{"enterprises_by_risk_level", city, "construction", "ytd", "blue", 0}, // E5 closed
	{"inspection_coverage", city, all, "12m", "red", 1},                   // E4 (I6, I7)
	{"inspection_coverage", city, all, "month", "red", 0},                 // E4 not in June
	{"inspection_coverage", city, all, "month", "orange", 1},              // E1 (I1), E3 (I5)
	{"inspection_coverage", city, all, "month", "yellow", absent},
	{"inspection_coverage", rC, all, "ytd", "red", 1},         // I6
	{"dispatch_worker_share", rA, all, "12m", "", 20.0 / 120}, // E1 (10 + 10) / (100 + 10 + 10)
	{"dispatch_worker_share", rB, all, "12m", "", 20.0 / 220},
	{"dispatch_worker_share", city, all, "month", "", 70.0 / 670}, // E1, E3, E4; E2 road not hazardous
	{"dispatch_worker_share", city, "coal_mine", "12m", "", 50.0 / 550},
	{"dispatch_worker_share", city, "road_transport", "12m", "", absent},

	// enforcement.sql. C1 B 06-01 fine+suspension 1.5M (three systems ok), C2 B 06-10 transfer
	// of AC1 (ok), C3 A 05-20 fine+warning 50k (not publicized), C4 A 06-20 fine 20k (major,
	// no review), C5 A 03-10 fine 400k for AC5 (ok); C6 (07-05, transfer of AC2) after as_of.
	{"enforcement_cases", rA, all, "month", "fine", 1},   // C4
	{"enforcement_cases", rA, all, "ytd", "fine", 3},     // C3, C4, C5
	{"enforcement_cases", rA, all, "ytd", "warning", 1},  // C3
	{"enforcement_cases", rA, all, "ytd", "transfer", 0}, // C6 after as_of
	{"enforcement_cases", rB, all, "month", "suspension", 1},
	{"enforcement_cases", city, all, "ytd", "fine", 4},
	{"enforcement_cases", city, all, "ytd", "transfer", 1}, // C2
	{"fines", rA, all, "ytd", "", 470000},                  // 50,000 + 20,000 + 400,000
	{"fines", rA, all, "month", "", 20000},
	{"fines", city, all, "ytd", "", 1970000},
	{"three_systems_compliance", rA, all, "ytd", "", 1.0 / 3}, // C5
	{"three_systems_compliance", rA, all, "month", "", 0},     // C4
	{"three_systems_compliance", rB, all, "month", "", 1},     // C1, C2
	{"three_systems_compliance", city, all, "ytd", "", 0.6},   // 3 of 5
	{"three_systems_compliance", rC, all, "ytd", "", absent},
	// 以罚代刑 signals, counted on the day after the investigation term (D + 120 + 1, Decree
	// 493 art. 29): AC5 (A, 2026-02-01, fined by C5, no transfer) is due 2026-06-02; AC2
	// (06-30) and AC1 (05-10, transferred anyway) are not due yet; AC6 (C, 2025-05-01, 4
	// dead, no case at all) was due 2025-08-30.
	{"fine_only_fatal_accidents", rA, all, "month", "", 1}, // AC5
	{"fine_only_fatal_accidents", rA, all, "ytd", "", 1},   // AC5; AC2 still in its term
	{"fine_only_fatal_accidents", rB, all, "ytd", "", 0},
	{"fine_only_fatal_accidents", city, all, "12m", "", 1},
	{"fine_only_fatal_accidents", city, "construction", "ytd", "", 1},
	{"fatal_accidents_no_enforcement", rC, all, "12m", "", 1}, // AC6
	{"fatal_accidents_no_enforcement", rC, all, "ytd", "", 0}, // due in 2025
	{"fatal_accidents_no_enforcement", rA, all, "12m", "", 0}, // AC2 in its term

	// reports.sql. R1 A 01-10 hotline, verified in 41 days, substantiated, 3,000 paid 03-15
	// (23 days); R2 A 03-01 web, no sector, verified in 75 days, not substantiated; R3 B 06-01
	// phone, unverified (not yet due); R4 B 02-01 internal, verified in 28 days, substantiated,
	// 5,000 unpaid 121 days on; R5 C 2025-10-01 letter, verified in 31 days, substantiated,
	// 10,000 paid 2026-02-15 (106 days); R6 A 06-20 visit, verified 07-10 (after as_of);
	// R7 A 01-05 phone, subject other, verified in 15 days, substantiated: owes no reward;
	// R8 C 03-01 web, concealed accident, verified 03-20, substantiated, 5,000 paid 04-01
	// (on time, but under the 30,000 of one concealed death: not in full).
	{"reports_received", rA, all, "ytd", "hotline_12350", 1},
	{"reports_received", rA, all, "ytd", "web", 1},
	{"reports_received", rA, all, "month", "visit", 1},
	{"reports_received", rB, all, "month", "phone", 1},
	{"reports_received", rC, all, "12m", "letter", 1},
	{"reports_received", city, "construction", "12m", "hotline_12350", 1},
	{"reports_received", city, "construction", "12m", "web", 0}, // R2 has no sector
	{"verified_in_time_ratio", rA, all, "ytd", "", 2.0 / 3},     // R1, R7 of R1, R2, R7 (R6 not due)
	{"verified_in_time_ratio", rA, all, "month", "", absent},    // R6 not due
	{"verified_in_time_ratio", rB, all, "ytd", "", 1},           // R4 (R3 not due)
	{"verified_in_time_ratio", city, all, "12m", "", 5.0 / 6},   // all but R2 of R1, R2, R4, R5, R7, R8
	{"substantiated_ratio", rA, all, "ytd", "", 2.0 / 3},        // R1, R7 of R1, R2, R7
	{"substantiated_ratio", city, all, "12m", "", 5.0 / 6},      // all but R2
	{"rewards_paid", rA, all, "ytd", "", 3000},                  // R1
	{"rewards_paid", rA, all, "quarter", "", 0},                 // paid in March
	{"rewards_paid", rC, all, "ytd", "", 15000},                 // R5 paid 2026-02-15 (received 2025), R8
	{"rewards_paid", city, all, "ytd", "", 18000},               // R1, R5, R8
	{"reward_on_time_ratio", rA, all, "ytd", "", 1},             // R1 (R7 owes none)
	{"reward_on_time_ratio", rB, all, "ytd", "", 0},             // R4 overdue
	{"reward_on_time_ratio", city, all, "12m", "", 2.0 / 4},     // R1, R8 of R1, R4, R5, R8
	{"reward_in_full_ratio", rA, all, "ytd", "", 1},             // R1 3,000 (the least)
	{"reward_in_full_ratio", rB, all, "ytd", "", absent},        // R4 not paid
	{"reward_in_full_ratio", rC, all, "ytd", "", 0},             // R8 5,000 < 30,000
	{"reward_in_full_ratio", city, all, "12m", "", 2.0 / 3},     // R1, R5 of R1, R5, R8

	// governance.sql. Staff: A S1 (education), S2 (5 years), S3 (2 years: not); B S4
	// (certificate), S5 inactive; C S6 (2 years, active unknown: counted).
	{"qualified_staff_ratio", rA, all, "month", "", 2.0 / 3},
	{"qualified_staff_ratio", rB, all, "12m", "", 1},
	{"qualified_staff_ratio", rC, all, "12m", "", 0},
	{"qualified_staff_ratio", city, all, "ytd", "", 3.0 / 5},
	{"qualified_staff_ratio", city, "coal_mine", "ytd", "", absent},
	// meetings: A party 03-01, government 04-10, party 2025-08-01; B party 05-05; C
	// government 07-03 (after as_of). ytd: H1 2026; 12m: H2 2025 and H1 2026.
	{"meeting_compliance", rA, all, "ytd", "", 1},            // 2 of 2
	{"meeting_compliance", rB, all, "ytd", "", 0.5},          // 1 of 2
	{"meeting_compliance", rC, all, "ytd", "", 0},            // G5 after as_of
	{"meeting_compliance", city, all, "ytd", "", 0.5},        // 3 of 6
	{"meeting_compliance", rA, all, "12m", "", 0.75},         // 3 of 4
	{"meeting_compliance", city, all, "12m", "", 4.0 / 12},   // 3 + 1 + 0 of 12
	{"meeting_compliance", city, all, "quarter", "", absent}, // no whole half-year

	// veto.sql: AC1 (B, coal, 较大, M6) and H3 (A, road, M31) in 2026 up to as_of; AC3 and
	// H12 come after as_of, AC6 is 2025.
	{"veto", rA, all, "ytd", "", 1},
	{"veto", rB, all, "ytd", "", 1},
	{"veto", rC, all, "ytd", "", 0},
	{"veto", rA, all, as, "", absent}, // a flow: no as_of row
	{"veto", city, "coal_mine", "month", "", 1},
	{"veto", city, "road_transport", "12m", "", 1},
	{"veto", city, "construction", "ytd", "", 0},
	{"veto", city, all, "quarter", "", 1},
}

func TestComputeHandLake(t *testing.T) {
	snap, got := computeTest(t, testRiskConfig(t))
	expect(t, got, wants...)
	// Every catalogue indicator is computed and checked above or in TestRiskIndexHandLake.
	checked := map[string]bool{"risk_index": true, "risk_band": true, "assessment_score": true, "assessment_grade": true}
	for _, w := range append(wants, measuresWants...) { // measuresWants: measures_test.go
		checked[w.ind] = true
	}
	seen := map[string]bool{}
	for _, v := range snap.Values {
		seen[v.Indicator] = true
	}
	for _, in := range safetyrisk.Catalogue() {
		if !seen[in.ID] {
			t.Errorf("indicator %s: no row in the snapshot", in.ID)
		}
		if !checked[in.ID] {
			t.Errorf("indicator %s: no expected value in this test", in.ID)
		}
	}
	// Count indicators have a row for every key, window (as_of for a state) and dim value.
	p := testProfile(t)
	for _, in := range safetyrisk.Catalogue() {
		if in.Unit != safetyrisk.UnitCount && in.Unit != safetyrisk.UnitYuan && in.Unit != safetyrisk.UnitSeconds {
			continue
		}
		dims := []string{""}
		if in.DimEnum != nil {
			dims = in.DimEnum.Codes()
		}
		for _, kk := range keys(p) {
			for _, win := range in.WindowList() {
				for _, d := range dims {
					if _, ok := got[key(in.ID, kk[0], kk[1], win, d)]; !ok {
						t.Errorf("%s: missing zero row", key(in.ID, kk[0], kk[1], win, d))
					}
				}
			}
		}
	}
	golden.Check(t, filepath.Join("testdata", "snapshot.golden"), []byte(snapshotText(snap)))
}

func snapshotText(s *safetyrisk.Snapshot) string {
	var b strings.Builder
	for _, v := range s.Values {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%.6g\n", v.Indicator, v.Region, v.Sector, v.Window, v.DimValue, v.Value)
	}
	as := append([]safetyrisk.Assessment(nil), s.Assessments...)
	sort.Slice(as, func(i, j int) bool { return as[i].Region+as[i].Sector < as[j].Region+as[j].Sector })
	for _, a := range as {
		fmt.Fprintf(&b, "assessment\t%s\t%s\t%d\t%.2f\t%s\t%v\t%s\n", a.Region, a.Sector, a.Year, a.Score, a.Grade, a.Veto, a.Reason)
	}
	return b.String()
}

func ptr(f float64) *float64 { return &f }

// testRiskConfig is a small configuration whose numbers can be checked by hand: the index
// from deaths (min-max) and the general rectification ratio (target 1 -> 0.5), equal fixed
// weights; the assessment from the dispatch-worker share alone (target 0.2 -> 0.5).
func testRiskConfig(t testing.TB) *RiskConfig {
	rc, err := DefaultRiskConfig()
	if err != nil {
		t.Fatal(err)
	}
	rc.Index.Indicators = []Component{
		{ID: "deaths", Scaling: "minmax"},
		{ID: "rectification_ratio", Dim: "general", Scaling: "target", Best: ptr(1), Worst: ptr(0.5)},
	}
	rc.Index.Weights = WeightSpec{Method: "fixed", Values: []float64{1, 1}}
	rc.Assessment.Indicators = []Component{{ID: "dispatch_worker_share", Scaling: "target", Best: ptr(0.2), Worst: ptr(0.5)}}
	rc.Assessment.Weights = WeightSpec{Method: "fixed", Values: []float64{1}}
	if err := rc.Validate(); err != nil {
		t.Fatal(err)
	}
	return rc
}
