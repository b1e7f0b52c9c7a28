package queries

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestRecords: the records behind a number are the window's rows of its table for the
// key, with their ids; reporter identities never appear.
func TestRecords(t *testing.T) {
	ctx := context.Background()
	eng, err := Open(ctx, Config{Lake: testLake(t), Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ids := func(tb *Table, col int) string {
		var out []string
		for _, r := range tb.Rows {
			out = append(out, r[col])
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		id, region, sector, window, dim, want string
	}{
		{"deaths", rA, all, "ytd", "", "AC2,AC5"},                      // AC3 after as_of
		{"hazards_overdue", city, all, "12m", "", "H13,H11,H9,H15,H2"}, // a state: every window's, oldest first
		{"hazards_overdue", city, all, "month", "major", "H13,H9,H15"}, // one level; the window is ignored
		{"major_hazards_long_overdue", city, all, "", "90d", "H13,H9"},
		{"major_hazards_no_deadline", city, all, "", "", "H14"},
		{"listed_supervision", city, all, "", "", "H13,H3"},             // H6 rectified
		{"accidents", city, "coal_mine", "12m", "", "AC1,AC4,AC7"},      // AC6 before the window
		{"accidents", city, all, "12m", "large", "AC1"},                 // one grade
		{"fine_only_fatal_accidents", city, all, "12m", "", "AC5"},      // AC2 in its term, AC1 transferred
		{"fatal_accidents_no_enforcement", city, all, "12m", "", "AC6"}, // due 2025-08-30
		{"late_report_ratio", city, all, "ytd", "", "AC1,AC2,AC5"},      // AC7's time unknown
		{"unlisted_major_hazards", city, all, "ytd", "", "H15,H3"},      // H12 after as_of
		{"enforcement_cases", rB, all, "month", "transfer", "C2"},       // action in the set
		{"reports_received", rA, all, "ytd", "", "R1,R2,R6,R7"},         // by received_on
		{"rewards_paid", city, all, "ytd", "", "R1,R5,R8"},              // by reward_paid_on
		{"reward_on_time_ratio", city, all, "ytd", "", "R1,R4,R8"},      // R7 owes no reward
		{"dispatch_worker_share", city, all, "12m", "", "E1,E3,E4"},     // hazardous sectors
		{"veto", city, all, "ytd", "", "AC1,H15,H3"},                    // the year's events
		{"veto", rC, all, "ytd", "", ""},                                // none
		{"qualified_staff_ratio", rB, all, "12m", "", "S4,S5"},          // a stock: no window
		{"risk_assessment_compliance", rA, all, "ytd", "", "RA1,RA2"},   // E1 (E2's RA7 is 2025)
	} {
		col := 0
		if tc.id == "veto" {
			col = 1
		}
		tb, err := eng.Records(ctx, tc.id, tc.region, tc.sector, tc.window, tc.dim, testAsOf, 100)
		if err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		if got := ids(tb, col); got != tc.want {
			t.Errorf("%s %s/%s %s: %s, want %s", tc.id, tc.region, tc.sector, tc.window, got, tc.want)
		}
		for _, c := range tb.Columns {
			if strings.HasPrefix(c, "reporter_") {
				t.Errorf("%s: column %s shown (M57)", tc.id, c)
			}
		}
	}
	if _, err := eng.Records(ctx, "deaths", rA, all, "year", "", testAsOf, 10); err == nil {
		t.Error("bad window: no error")
	}
	if _, err := eng.Records(ctx, "deaths", rA, all, "ytd", "large", testAsOf, 10); err == nil {
		t.Error("dim of an indicator without breakdown: no error")
	}
	// An age's days are dayRange's: 30d is more than 30 days (H13, H9 and H15, 20 days
	// past its deadline, is not); a code that names no days is an error.
	if tb, err := eng.Records(ctx, "major_hazards_long_overdue", city, all, "", "30d", testAsOf, 100); err != nil || ids(tb, 0) != "H13,H9" {
		t.Errorf("30d: %v, %v", tb, err)
	}
	if _, err := eng.Records(ctx, "major_hazards_long_overdue", city, all, "", "soon", testAsOf, 10); err == nil {
		t.Error("an age that names no days: no error")
	}

	snap, err := eng.Compute(ctx, testAsOf)
	if err != nil {
		t.Fatal(err)
	}
	// every embedded file ran
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ran := eng.Timings[f.Name]; !ran {
			t.Errorf("%s did not run", f.Name)
		}
	}
	// A's index components, 12m (see TestRiskIndexHandLake): deaths 2 -> 2/3, ratio 1/3 -> 1.
	tb, err := eng.cfg.RiskConfig.Components(eng.cfg.Profile, snap.Values, "risk_index", rA, all, "12m")
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 2 || tb.Rows[0][3] != "2" || tb.Rows[0][4] != "0.6667" || tb.Rows[1][4] != "1.0000" || tb.Rows[1][5] != "0.5000" {
		t.Errorf("components %v", tb.Rows)
	}
}

// TestResolveScope: a region or sector by code or name; the city and all sectors by
// default; region x sector only for the city; anything else is an ErrScope.
func TestResolveScope(t *testing.T) {
	p := testProfile(t)
	r0 := p.Regions[0]
	for _, tc := range []struct {
		region, sector, reg, sec string
		ok                       bool
	}{
		{"", "", p.City.Code, all, true},
		{p.City.Name, all, p.City.Code, all, true},
		{r0.Name, "", r0.Code, all, true},
		{r0.Code, all, r0.Code, all, true},
		{"", p.Sectors[0].Code, p.City.Code, p.Sectors[0].Code, true},
		{r0.Code, p.Sectors[0].Code, "", "", false}, // a region by sector: not in the snapshot
		{"nowhere", "", "", "", false},
		{"", "nothing", "", "", false},
	} {
		reg, sec, err := ResolveScope(p, tc.region, tc.sector)
		if tc.ok && (err != nil || reg != tc.reg || sec != tc.sec) {
			t.Errorf("ResolveScope(%q, %q) = %q, %q, %v; want %q, %q", tc.region, tc.sector, reg, sec, err, tc.reg, tc.sec)
		}
		if !tc.ok && !errors.Is(err, ErrScope) {
			t.Errorf("ResolveScope(%q, %q) = %q, %q, %v; want an ErrScope", tc.region, tc.sector, reg, sec, err)
		}
	}
}

// TestExplain: an indicator's values for the scope and the records behind them; the
// risk index has components and no records; a bad window is an ErrScope.
func TestExplain(t *testing.T) {
	ctx := context.Background()
	eng, err := Open(ctx, Config{Lake: testLake(t), Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ex, err := eng.Explain(ctx, ExplainRequest{ID: "deaths", Region: rA, Window: "ytd", AsOf: testAsOf, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if ex.File == nil || len(ex.Values) == 0 || ex.Records == nil || len(ex.Records.Rows) != 2 {
		t.Errorf("deaths: file %v, %d values, records %+v", ex.File, len(ex.Values), ex.Records)
	}
	for _, v := range ex.Values {
		if v.Indicator != "deaths" || v.Region != rA || v.Sector != all {
			t.Errorf("value of another scope: %+v", v)
		}
	}
	ri, err := eng.Explain(ctx, ExplainRequest{ID: "risk_index", Region: rA, Window: "12m", AsOf: testAsOf, Limit: 50})
	if err != nil || ri.File != nil || ri.Components == nil || ri.Records != nil {
		t.Errorf("risk_index: %+v, %v", ri, err)
	}
	if _, err := eng.Explain(ctx, ExplainRequest{ID: "deaths", Window: "week", AsOf: testAsOf}); !errors.Is(err, ErrScope) {
		t.Errorf("window week: %v", err)
	}
}
