package queries

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// extend returns a copy of e with more values.
func extend(e *safetyrisk.Enum, codes ...string) *safetyrisk.Enum {
	out := &safetyrisk.Enum{Name: e.Name, Values: append([]safetyrisk.EnumValue(nil), e.Values...)}
	for _, c := range codes {
		out.Values = append(out.Values, safetyrisk.EnumValue{Code: c, Name: c})
	}
	return out
}

// enumLake writes a small curated lake from CSV texts (table name: rows, header first).
func enumLake(t *testing.T, tables map[string]string) string {
	t.Helper()
	src := t.TempDir()
	for name, text := range tables {
		if err := os.WriteFile(filepath.Join(src, name+".csv"), []byte(strings.TrimSpace(text)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	buildLake(t, src, dir)
	return dir
}

// TestBreakdownNewEnumValue (issue 12): a breakdown is a GROUP BY over the data, kept to
// its enum's codes, which come from Go (Config.DimEnums here, the catalogue's DimEnum by
// default), not literal rows in SQL. A value added to an enum is reported with its count
// in every family that breaks down by it; a value with no records reads 0 (a count) or
// has no row (a ratio, no denominator), as before. As of 2026-06-30: the month window is
// June 2026.
func TestBreakdownNewEnumValue(t *testing.T) {
	lake := enumLake(t, map[string]string{
		"enterprises": `
enterprise_id,name,region,sector,risk_level,status
E1,a,150602,construction,purple,operating
E2,b,150621,coal_mine,red,operating
E3,c,150621,coal_mine,purple,operating`,
		"inspections": `
inspection_id,enterprise_id,region,sector,inspected_on,kind,hazards_found
I1,E1,150602,construction,2026-06-10,joint,1
I2,E2,150621,coal_mine,2026-06-11,joint,1
I3,E1,150602,construction,2026-06-12,routine,0`,
		"hazards": `
hazard_id,inspection_id,enterprise_id,region,sector,found_on,level,deadline,rectified_on,status,in_ledger,source
H1,I1,E1,150602,construction,2026-06-10,serious,2026-06-20,2026-06-18,rectified,true,inspection
H2,I2,E2,150621,coal_mine,2026-06-11,serious,2026-06-15,,open,true,inspection`,
		"enforcement": `
case_id,enterprise_id,region,sector,decided_on,actions,fine
C1,E1,150602,construction,2026-06-05,"fine,notice",1000
C2,E2,150621,coal_mine,2026-06-06,notice,
C3,E2,150621,coal_mine,2026-06-07,warning,`,
		"reports": `
report_id,received_on,channel,region,sector,subject
R1,2026-06-03,app,150602,construction,other
R2,2026-06-04,phone,150621,coal_mine,other`,
		"accidents": `
accident_id,occurred_at,region,sector,grade,reporting_violation,deaths_incl_missing
AC1,2026-06-02 10:00:00+08,150602,construction,general,incomplete,0
AC2,2026-06-03 10:00:00+08,150621,coal_mine,general,late,0`,
		"governance": `
event_id,region,sector,department,held_on,kind
G1,150602,,x,2026-06-08,safety_committee_meeting
G2,150602,,x,2026-06-09,interview`,
		"duty_documents": `
doc_id,region,department,kind,issued_on
D1,150602,x,rescue_plan,2026-06-01
D2,150621,x,duty_list,2026-06-02`,
	})
	levels := extend(safetyrisk.HazardLevels, "serious")
	risk := extend(safetyrisk.RiskLevels, "purple")
	violations, _ := safetyrisk.IndicatorByID("reporting_violations")
	dims := map[string]*safetyrisk.Enum{
		"inspections":               extend(safetyrisk.InspectionKinds, "joint"),
		"hazards_found":             levels,
		"rectification_ratio":       levels,
		"on_time_ratio":             levels,
		"hazards_open":              levels,
		"hazards_overdue":           levels,
		"enterprises_by_risk_level": risk,
		"inspection_coverage":       risk,
		"enforcement_cases":         extend(safetyrisk.EnforcementActions, "notice"),
		"reports_received":          extend(safetyrisk.ReportChannels, "app"),
		"reporting_violations":      extend(violations.DimEnum, "incomplete"),
		"committee_actions":         extend(safetyrisk.CommitteeActions, "safety_committee_meeting"),
		"duty_documents":            extend(safetyrisk.DocumentKinds, "rescue_plan"),
	}
	got := at(t, testAsOf, Config{Lake: lake, DimEnums: dims})
	const m = safetyrisk.WindowMonth
	expect(t, got,
		// inspections.sql: I1, I2 joint; I3 routine
		want{"inspections", city, all, m, "joint", 2},
		want{"inspections", rA, all, m, "joint", 1},
		want{"inspections", city, "coal_mine", m, "joint", 1},
		want{"inspections", city, all, m, "routine", 1},
		want{"inspections", city, all, m, "special", 0},
		// hazards.sql: H1 rectified on time, H2 open past its deadline
		want{"hazards_found", city, all, m, "serious", 2},
		want{"hazards_found", city, all, m, "general", 0},
		want{"rectification_ratio", city, all, m, "serious", 0.5},
		want{"on_time_ratio", city, all, m, "serious", 0.5},
		want{"rectification_ratio", city, all, m, "general", absent},
		// hazard_states.sql: H2 open and overdue
		want{"hazards_open", city, all, as, "serious", 1},
		want{"hazards_open", rB, all, as, "serious", 1},
		want{"hazards_overdue", city, all, as, "serious", 1},
		want{"hazards_open", city, all, as, "major", 0},
		// enterprises.sql: E1, E3 purple, E2 red; E1 and E2 inspected in June
		want{"enterprises_by_risk_level", city, all, m, "purple", 2},
		want{"enterprises_by_risk_level", rB, all, m, "purple", 1},
		want{"enterprises_by_risk_level", city, all, m, "orange", 0},
		want{"inspection_coverage", city, all, m, "purple", 0.5},
		want{"inspection_coverage", city, all, m, "red", 1},
		want{"inspection_coverage", city, all, m, "orange", absent},
		// enforcement.sql: C1 fine and notice, C2 notice, C3 warning
		want{"enforcement_cases", city, all, m, "notice", 2},
		want{"enforcement_cases", rA, all, m, "notice", 1},
		want{"enforcement_cases", city, all, m, "fine", 1},
		want{"enforcement_cases", city, all, m, "warning", 1},
		want{"enforcement_cases", city, all, m, "closure", 0},
		// reports.sql
		want{"reports_received", city, all, m, "app", 1},
		want{"reports_received", rA, "all", m, "app", 1},
		want{"reports_received", city, all, m, "phone", 1},
		want{"reports_received", city, all, m, "web", 0},
		// accidents.sql
		want{"reporting_violations", city, all, m, "incomplete", 1},
		want{"reporting_violations", city, all, m, "late", 1},
		want{"reporting_violations", city, all, m, "concealed", 0},
		want{"accidents", city, all, m, "general", 2},
		want{"accidents", city, all, m, "large", 0},
		// measures_followup.sql: the committee's actions, widened to its meetings
		want{"committee_actions", rA, all, m, "safety_committee_meeting", 1},
		want{"committee_actions", city, all, m, "safety_committee_meeting", 1},
		want{"committee_actions", city, all, m, "interview", 1},
		want{"committee_actions", city, all, m, "listed_supervision", 0},
		// measures_documents.sql
		want{"duty_documents", rA, all, m, "rescue_plan", 1},
		want{"duty_documents", city, all, m, "rescue_plan", 1},
		want{"duty_documents", city, all, m, "duty_list", 1},
		want{"duty_documents", city, all, m, "task_list", 0},
	)
}

// TestBreakdownDayRangesFromEnum (issue 12): the day thresholds of the overdue ages and
// the age bands of open major hazards are read from their enums' codes ("180d": more than
// 180 days overdue; "d181_365": 181 to 365 days since found), not typed again in SQL. As
// of 2026-06-30: H1 found 2025-01-01, 394 days past its deadline 2025-06-01; H2 found
// 2026-03-01, 60 days past 2026-05-01; H3 found 2025-10-01 (272 days), 200 days past
// 2025-12-12; all open.
func TestBreakdownDayRangesFromEnum(t *testing.T) {
	lake := enumLake(t, map[string]string{
		"hazards": `
hazard_id,enterprise_id,region,sector,found_on,level,deadline,status,five_implementations
H1,E1,150602,construction,2025-01-01,major,2025-06-01,open,true
H2,E2,150621,coal_mine,2026-03-01,major,2026-05-01,open,true
H3,E2,150621,coal_mine,2025-10-01,major,2025-12-12,open,true`,
	})
	ages := &safetyrisk.Enum{Name: "age", Values: []safetyrisk.EnumValue{
		{Code: "d0_90"}, {Code: "d91_180"}, {Code: "d181_365"}, {Code: "d366_plus"},
	}}
	got := at(t, testAsOf, Config{Lake: lake, DimEnums: map[string]*safetyrisk.Enum{
		"major_hazards_long_overdue": extend(safetyrisk.OverdueAges, "180d"),
		"major_hazards_open":         ages,
	}})
	expect(t, got,
		want{"major_hazards_long_overdue", city, all, as, "30d", 3},
		want{"major_hazards_long_overdue", city, all, as, "90d", 2},
		want{"major_hazards_long_overdue", city, all, as, "180d", 2},
		want{"major_hazards_long_overdue", rB, all, as, "180d", 1},
		want{"major_hazards_long_overdue", city, all, as, "365d", 1},
		want{"major_hazards_open", city, all, as, "d0_90", 0},
		want{"major_hazards_open", city, all, as, "d91_180", 1},
		want{"major_hazards_open", city, all, as, "d181_365", 1},
		want{"major_hazards_open", city, all, as, "d366_plus", 1},
		want{"major_hazards_open", rA, all, as, "d366_plus", 1},
	)
}

// TestDayRanges: the catalogue's day-range enums parse, and the age bands tile the days
// from 0 with no gap or overlap, so that every open major hazard is in exactly one band.
func TestDayRanges(t *testing.T) {
	for _, v := range safetyrisk.OverdueAges.Values {
		if _, hi, ok := dayRange(v.Code); !ok || hi != nil {
			t.Errorf("overdue age %q: not an open range of days", v.Code)
		}
	}
	if lo, hi, ok := dayRange("30d"); !ok || lo != 31 || hi != nil {
		t.Errorf("30d = %d, %v, %v; want more than 30 days", lo, hi, ok)
	}
	next := int32(0)
	bands := safetyrisk.HazardAgeBands.Values
	for i, v := range bands {
		lo, hi, ok := dayRange(v.Code)
		if !ok || lo != next {
			t.Fatalf("age band %q: starts at %d (%v), want %d", v.Code, lo, ok, next)
		}
		if hi == nil {
			if i != len(bands)-1 {
				t.Fatalf("age band %q: open-ended but not the last", v.Code)
			}
			break
		}
		next = *hi + 1
		if i == len(bands)-1 {
			t.Fatalf("the last age band %q has an end", v.Code)
		}
	}
	for _, c := range []string{"general", "d5_3", "d_30", "30"} {
		if _, _, ok := dayRange(c); ok {
			t.Errorf("%q: a range of days", c)
		}
	}
}

// TestDimEnumsRefused: an override for an indicator without a breakdown, or an empty one,
// is a configuration error.
func TestDimEnumsRefused(t *testing.T) {
	for _, d := range []map[string]*safetyrisk.Enum{
		{"deaths": safetyrisk.HazardLevels},
		{"nope": safetyrisk.HazardLevels},
		{"hazards_found": {Name: "level"}},
	} {
		if _, err := dimEnums(d); err == nil {
			t.Errorf("%v: no error", d)
		}
	}
}

// TestValueOutsideEnumRefused: a row whose dim value is not a code of its indicator's
// enum, or a dim value on an indicator without a breakdown, is an error, not a series
// nobody zero-fills or a dashboard shows.
func TestValueOutsideEnumRefused(t *testing.T) {
	dims, err := dimEnums(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newValueSet(testProfile(t), testAsOf, dims)
	ok := safetyrisk.IndicatorValue{Indicator: "hazards_found", Region: city, Sector: all, Window: safetyrisk.WindowMonth, DimValue: "major", Value: 1}
	if err := s.add(ok); err != nil {
		t.Fatal(err)
	}
	for _, v := range []safetyrisk.IndicatorValue{
		{Indicator: "hazards_found", Region: city, Sector: all, Window: safetyrisk.WindowMonth, DimValue: "serious", Value: 1},
		{Indicator: "hazards_found", Region: city, Sector: all, Window: safetyrisk.WindowYTD, DimValue: "", Value: 1},
		{Indicator: "deaths", Region: city, Sector: all, Window: safetyrisk.WindowMonth, DimValue: "major", Value: 1},
	} {
		if err := s.add(v); err == nil {
			t.Errorf("%s dim %q: no error", v.Indicator, v.DimValue)
		}
	}
}
