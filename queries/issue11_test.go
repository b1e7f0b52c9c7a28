package queries

// One test per problem of issue 11 ("Numbers a leader can act on"), each failing on the
// code before it, on the hand-made lake (testdata/lake; the records and the arithmetic
// are in the comments of queries_test.go's wants).

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// at computes the hand lake as of a date with cfg's overrides.
func at(t *testing.T, asOf time.Time, cfg Config) map[string]float64 {
	t.Helper()
	if cfg.Lake == "" {
		cfg.Lake = testLake(t)
	}
	cfg.AsOf, cfg.Profile = asOf, testProfile(t)
	if cfg.RiskConfig == nil {
		cfg.RiskConfig = testRiskConfig(t)
	}
	snap, err := Compute(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, v := range snap.Values {
		got[key(v.Indicator, v.Region, v.Sector, v.Window, v.DimValue)] = v.Value
	}
	return got
}

func expect(t *testing.T, got map[string]float64, ws ...want) {
	t.Helper()
	for _, w := range ws {
		k := key(w.ind, w.region, w.sector, w.win, w.dim)
		v, ok := got[k]
		switch {
		case math.IsNaN(w.v) && ok:
			t.Errorf("%s = %v, want no row", k, v)
		case math.IsNaN(w.v):
		case !ok:
			t.Errorf("%s: no row, want %v", k, w.v)
		case math.Abs(v-w.v) > 1e-9:
			t.Errorf("%s = %v, want %v", k, v, w.v)
		}
	}
}

// TestIssue11_StockOverdueOldHazard (item 1): overdue hazards are a state at as_of over
// every hazard, whenever found. H13, a major hazard found in June 2024 and overdue since
// 2024-09-30, is in no window of 2026-06-30 but is overdue now, and it is counted, with
// its age; no window row exists for a state.
func TestIssue11_StockOverdueOldHazard(t *testing.T) {
	got := at(t, testAsOf, Config{})
	expect(t, got,
		want{"hazards_overdue", rA, all, as, "major", 2},                    // H13 (found 2024), H15
		want{"hazards_overdue", rC, all, as, "general", 1},                  // H11, found before the 12m window
		want{"hazards_overdue", city, all, as, "major", 3},                  // H13, H15, H9
		want{"major_hazards_long_overdue", city, all, as, "365d", 1},        // H13, 638 days
		want{"major_hazards_overdue_max_age", rA, all, as, "", 638 * 86400}, // 2024-09-30..2026-06-30
		want{"hazards_overdue", rA, all, "12m", "major", absent},
	)
	// The state at a past date (backfill) holds the hazards found by then: at 2025-12-31
	// H13 is overdue, H9 is due that very day (not yet overdue), H14 and H15 not yet found.
	past := at(t, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), Config{})
	expect(t, past,
		want{"hazards_overdue", rA, all, as, "major", 1},
		want{"hazards_overdue", rC, all, as, "major", 0},
		want{"major_hazards_no_deadline", rB, all, as, "", 0},
	)
}

// TestIssue11_StockOpenAndListedHazards (item 1): open hazards, open major hazards and
// hazards under 挂牌督办 are states too: H13 (found 2024, listed, open) is under listed
// supervision now; H6 (listed, rectified) no longer is.
func TestIssue11_StockOpenAndListedHazards(t *testing.T) {
	got := at(t, testAsOf, Config{})
	expect(t, got,
		want{"listed_supervision", rA, all, as, "", 2}, // H3, H13
		want{"listed_supervision", rB, all, as, "", 0}, // H6 rectified
		want{"hazards_open", city, all, as, "major", 6},
		want{"hazards_open", rC, all, as, "general", 1}, // H11 (2025-06-30)
		want{"listed_supervision", city, all, "12m", "", absent},
	)
	for _, id := range []string{"hazards_overdue", "hazards_open", "listed_supervision", "major_hazards_no_deadline",
		"major_hazards_long_overdue", "major_hazards_overdue_max_age"} {
		if in, _ := safetyrisk.IndicatorByID(id); !in.State {
			t.Errorf("%s is not marked a state in the catalogue", id)
		}
	}
}

// TestIssue11_DateOnlyOccurrenceLeftOut (item 3): AC7's occurrence is a date without a
// time; transform leaves its late_report NULL, and the ratio leaves it out instead of
// reading 00:00 and a 510-minute delay.
func TestIssue11_DateOnlyOccurrenceLeftOut(t *testing.T) {
	expect(t, at(t, testAsOf, Config{}),
		want{"late_report_ratio", rC, all, "ytd", "", absent},
		want{"late_report_ratio", city, "coal_mine", "ytd", "", 0}, // AC1 on time; AC7 left out
	)
}

// TestIssue11_UnreportedAccidentNotOnTime (item 4): AC5 has no report time: it counts as
// not on time and on its own in accidents_unreported.
func TestIssue11_UnreportedAccidentNotOnTime(t *testing.T) {
	expect(t, at(t, testAsOf, Config{}),
		want{"late_report_ratio", city, "construction", "12m", "", 1}, // AC5 alone
		want{"late_report_ratio", city, all, "12m", "", 0.5},          // AC2, AC5 of AC1, AC2, AC4, AC5
		want{"accidents_unreported", rA, all, "ytd", "", 1},
		want{"accidents_unreported", city, all, "month", "", 0},
	)
}

// TestIssue11_RewardsDueOnlyForRewardableSubjects (item 5): R7 (substantiated, subject
// other) owes no reward and does not lower the on-time ratio; R8 (a concealed accident,
// 5,000 yuan) was paid on time but not in full (one death earns at least 30,000).
func TestIssue11_RewardsDueOnlyForRewardableSubjects(t *testing.T) {
	got := at(t, testAsOf, Config{})
	expect(t, got,
		want{"reward_on_time_ratio", rA, all, "ytd", "", 1},
		want{"reward_on_time_ratio", rC, all, "ytd", "", 1},
		want{"reward_in_full_ratio", rC, all, "ytd", "", 0},
		want{"reward_in_full_ratio", rA, all, "ytd", "", 1}, // R1 3,000: the boundary is in full
	)
	// The term is a parameter: at 10 days R1 (paid 23 days after verification) is late.
	expect(t, at(t, testAsOf, Config{RewardPayDays: 10}), want{"reward_on_time_ratio", rA, all, "ytd", "", 0})
}

// TestIssue11_FineOnlyAfterInvestigationTerm (item 6): a fatal accident is a 以罚代刑
// signal only after its investigation term (60 + 60 days, Decree 493 art. 29). AC2 (06-30
// 23:30) is not counted on its own as-of day; AC5 (2026-02-01, fined, no transfer) counts
// from 2026-06-02 (D + 121), not on 06-01; AC6 (no case at all) counts under
// fatal_accidents_no_enforcement.
func TestIssue11_FineOnlyAfterInvestigationTerm(t *testing.T) {
	lake := testLake(t)
	expect(t, at(t, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Config{Lake: lake}),
		want{"fine_only_fatal_accidents", rA, all, "ytd", "", 0})
	expect(t, at(t, time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC), Config{Lake: lake}),
		want{"fine_only_fatal_accidents", rA, all, "month", "", 1})
	expect(t, at(t, testAsOf, Config{Lake: lake}),
		want{"fine_only_fatal_accidents", rA, all, "ytd", "", 1}, // AC5 only, not AC2
		want{"fatal_accidents_no_enforcement", rC, all, "12m", "", 1},
	)
	// The term is configurable: at 200 days AC5 is still within it.
	expect(t, at(t, testAsOf, Config{Lake: lake, InvestigationTermDays: 200}),
		want{"fine_only_fatal_accidents", rA, all, "ytd", "", 0})
}

// TestIssue11_RatesFromTheWindowYear (item 7): rates only for ytd and 12m; denominators of
// as_of's year (A has only 2025, C only 2024: no rate); ytd prorated; the city from the
// regions that have the year, numerator and denominator alike; with a city row of its
// own, from that row over every death; the road rate names production-safety transport.
func TestIssue11_RatesFromTheWindowYear(t *testing.T) {
	expect(t, at(t, testAsOf, Config{}),
		want{"deaths_per_100m_gdp", rA, all, "12m", "", absent},
		want{"deaths_per_100m_gdp", rB, all, "month", "", absent},
		want{"deaths_per_100m_gdp", rB, all, "ytd", "", 3.0 / (400 * ytdB)},
		want{"deaths_per_100m_gdp", city, all, "12m", "", 3.0 / 400}, // AC2, AC5 in A left out
	)
	// a city row for 2026
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata/lake")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/lake", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "region_stats.csv" {
			b = append(b, []byte(city+",2026,2000,300000,200000,5000\n")...)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lake := t.TempDir()
	buildLake(t, dir, lake)
	// every death of the window: 12m AC1 3 + AC2 1 + AC5 1 (AC4, AC7 none) = 5
	expect(t, at(t, testAsOf, Config{Lake: lake}),
		want{"deaths_per_100m_gdp", city, all, "12m", "", 5.0 / 2000},
		want{"deaths_per_100m_gdp", city, all, "ytd", "", 5.0 / (2000 * ytdB)},
		want{"road_transport_deaths_per_10k_vehicles", city, "road_transport", "12m", "", 1.0 / 200000 * 1e4}, // AC2
		want{"deaths_per_100m_gdp", rB, all, "12m", "", 3.0 / 400},
	)
	in, ok := safetyrisk.IndicatorByID("road_transport_deaths_per_10k_vehicles")
	if !ok || !strings.Contains(in.Name, "生产安全") || !strings.Contains(in.Help, "Production-safety road-transport") {
		t.Errorf("road rate %+v: its name and help must say production-safety road transport", in)
	}
}

// TestIssue11_MajorNoDeadlineCountedAndWeighed (item 9): H14, a major hazard with no
// deadline, is never overdue but is counted, and the default index weighs it like an
// overdue major: B (no overdue major, H14) scores on that component as C (H9 overdue).
func TestIssue11_MajorNoDeadlineCountedAndWeighed(t *testing.T) {
	expect(t, at(t, testAsOf, Config{}), want{"major_hazards_no_deadline", rB, all, as, "", 1})
	rc, err := DefaultRiskConfig()
	if err != nil {
		t.Fatal(err)
	}
	snap, err := Compute(context.Background(), Config{Lake: testLake(t), AsOf: testAsOf, Profile: testProfile(t), RiskConfig: rc})
	if err != nil {
		t.Fatal(err)
	}
	component := func(region string) []string {
		tb, err := rc.Components(testProfile(t), snap.Values, "risk_index", region, all, "12m")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range tb.Rows {
			if r[0] == "hazards_overdue[major]+major_hazards_no_deadline" {
				return r
			}
		}
		t.Fatalf("default index components %v: no overdue-or-no-deadline majors", tb.Rows)
		return nil
	}
	b, c := component(rB), component(rC)
	if b[3] != "1" || b[3] != c[3] || b[4] != c[4] {
		t.Errorf("B %v and C %v: want the same value 1 and the same scaled value", b, c)
	}
}

// TestIssue11_M31AnyOutsideFinder (item 10): H15, a major hazard found through a report
// and missing from the ledger, is an M31 accident-equivalent; H7, found by the
// enterprise's own self-check, is not.
func TestIssue11_M31AnyOutsideFinder(t *testing.T) {
	expect(t, at(t, testAsOf, Config{}),
		want{"unlisted_major_hazards", rA, all, "ytd", "", 2}, // H3 (inspection), H15 (report)
		want{"unlisted_major_hazards", rB, all, "ytd", "", 0}, // H7 self-check
	)
}

// TestIssue11_DefaultIndexWeighsMajorsAndConcealment (item 11): the default index and
// assessment use the major-level ratios, overdue majors and reporting violations
// (瞒报, 谎报), and the assessment's reason names what cost points.
func TestIssue11_DefaultIndexWeighsMajorsAndConcealment(t *testing.T) {
	rc, err := DefaultRiskConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		name string
		cs   []Component
	}{{"index", rc.Index.Indicators}, {"assessment", rc.Assessment.Indicators}} {
		labels := map[string]bool{}
		for _, c := range s.cs {
			labels[c.Label()] = true
			if (c.ID == "rectification_ratio" || c.ID == "on_time_ratio") && c.Dim != "major" {
				t.Errorf("%s: %s at level %q, want major", s.name, c.ID, c.Dim)
			}
		}
		for _, l := range []string{"rectification_ratio[major]", "on_time_ratio[major]",
			"hazards_overdue[major]+major_hazards_no_deadline", "reporting_violations[concealed]+reporting_violations[false]"} {
			if !labels[l] {
				t.Errorf("%s: no component %s", s.name, l)
			}
		}
	}
	snap, err := Compute(context.Background(), Config{Lake: testLake(t), AsOf: testAsOf, Profile: testProfile(t), RiskConfig: rc})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range snap.Assessments {
		if a.Region == rA && a.Sector == all {
			// A: AC5 concealed, H13 and H15 overdue majors
			for _, s := range []string{"失分项", "迟报漏报谎报瞒报(瞒报)", "逾期未整改隐患(重大)"} {
				if !strings.Contains(a.Reason, s) {
					t.Errorf("A's reason %q does not name %s", a.Reason, s)
				}
			}
			return
		}
	}
	t.Error("no assessment of A")
}

// TestIssue11_ExplainStockShowsAges: explain's records of a state are the records in it at
// as_of, whenever found, with their ages, the oldest overdue first.
func TestIssue11_ExplainStockShowsAges(t *testing.T) {
	ctx := context.Background()
	eng, err := Open(ctx, Config{Lake: testLake(t), Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	tb, err := eng.Records(ctx, "hazards_overdue", rA, all, "month", "major", testAsOf, 10)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range tb.Columns {
		col[c] = i
	}
	if len(tb.Rows) != 2 {
		t.Fatalf("rows %v, want H13, H15", tb.Rows)
	}
	r := tb.Rows[0]
	if r[0] != "H13" || r[col["days_overdue"]] != "638" || r[col["days_open"]] != "745" {
		t.Errorf("first record %v (%v), want H13 638 days overdue, open 745 days", r, tb.Columns)
	}
}
