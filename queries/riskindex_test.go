package queries

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// TestRiskIndexHandLake checks the index, its band and the assessment computed with
// testRiskConfig on the hand-made lake.
func TestRiskIndexHandLake(t *testing.T) {
	snap, got := computeTest(t, testRiskConfig(t))
	// Index, 12m: deaths A 2, B 3, C 0 -> min-max A 2/3, B 1, C 0. General rectification
	// ratio A 1/3 -> (1/3 - 1) / (0.5 - 1) = 4/3, clamped to 1; B 1 -> 0; C 1 -> 0.
	// Equal weights: A = 100 (2/3 + 1) / 2 = 83.33 (red, >= 75); B = 100 (1 + 0) / 2 = 50
	// (orange); C = 0 (blue). The city has no peer group for min-max: only the ratio,
	// 4/6 -> (2/3 - 1) / -0.5 = 2/3: 66.67 (orange). Sectors: deaths coal 3, construction 1,
	// road 1 -> 1, 0, 0; ratio construction 1/3 -> 1, coal 3/3 -> 0, road none: coal 50,
	// construction 50, road 0 (deaths alone).
	for _, w := range []want{
		{"risk_index", rA, all, "12m", "", 100 * (2.0/3 + 1) / 2},
		{"risk_band", rA, all, "12m", "", 4},
		{"risk_index", rB, all, "12m", "", 50},
		{"risk_band", rB, all, "12m", "", 3},
		{"risk_index", rC, all, "12m", "", 0},
		{"risk_band", rC, all, "12m", "", 1},
		{"risk_index", city, all, "12m", "", 100 * 2.0 / 3},
		{"risk_band", city, all, "12m", "", 3},
		{"risk_index", city, "coal_mine", "12m", "", 50},
		{"risk_index", city, "construction", "12m", "", 50},
		{"risk_index", city, "road_transport", "12m", "", 0},
		// Assessment, ytd: dispatch share A 1/6, B 1/11, C 1/11, all below the 0.2 target ->
		// score 100, 优秀 before the veto. A: M31 (H3) caps to 良好 (3); B: 较大 AC1 caps to
		// 良好; C keeps 优秀 (4). Sectors: coal 1/11 -> 100, vetoed by AC1: 良好;
		// construction 1/6 -> 100, no veto (AC5 is general): 优秀; road has no hazardous
		// workers: no score, no grade.
		{"assessment_score", rA, all, "ytd", "", 100},
		{"assessment_grade", rA, all, "ytd", "", 3},
		{"assessment_grade", rB, all, "12m", "", 3},
		{"assessment_grade", rC, all, "month", "", 4},
		{"assessment_grade", city, all, "ytd", "", 3},
		{"assessment_grade", city, "coal_mine", "ytd", "", 3},
		{"assessment_grade", city, "construction", "ytd", "", 4},
		{"assessment_grade", city, "road_transport", "ytd", "", absent},
	} {
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
	byKey := map[string]safetyrisk.Assessment{}
	for _, a := range snap.Assessments {
		byKey[a.Region+"/"+a.Sector] = a
	}
	// The veto test (M6): B has one 较大 accident and an otherwise excellent score.
	b := byKey[rB+"/all"]
	if b.Score != 100 || b.Grade != GradeGood || !b.Veto || !strings.Contains(b.Reason, "较大事故AC1") ||
		!strings.Contains(b.Reason, "M6") || !strings.Contains(b.Reason, "降为良好") {
		t.Errorf("B: %+v, want 100, 良好, veto by 较大事故AC1 (M6)", b)
	}
	// M31: A's unlisted major hazard H3 found by inspectors counts as an accident.
	a := byKey[rA+"/all"]
	if a.Grade != GradeGood || !a.Veto || !strings.Contains(a.Reason, "重大隐患H3") || !strings.Contains(a.Reason, "M31") {
		t.Errorf("A: %+v, want 良好, veto by H3 (M31)", a)
	}
	if c := byKey[rC+"/all"]; c.Grade != GradeExcellent || c.Veto || c.Reason != "" || c.Year != 2026 {
		t.Errorf("C: %+v, want 优秀 without veto", c)
	}
	if _, ok := byKey[city+"/road_transport"]; ok {
		t.Error("road_transport: an assessment without any score component")
	}
}

// TestAssessVeto: the cap applies only to 优秀; a lower grade keeps its grade, with the reason.
func TestAssessVeto(t *testing.T) {
	g := GradeBands{Excellent: 90, Good: 80, Pass: 60}
	on := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	acc := VetoEvent{Kind: "accident", ID: "A-7", Region: rA, Sector: "gas", On: on, Grade: "large", Deaths: 4}
	m31 := VetoEvent{Kind: "m31", ID: "H-9", Region: rA, Sector: "gas", On: on, EnterpriseID: "E-2"}
	for _, tc := range []struct {
		name   string
		score  float64
		events []VetoEvent
		grade  string
		veto   bool
		reason []string
	}{
		{"excellent, no event", 95, nil, GradeExcellent, false, nil},
		{"excellent, large accident", 95, []VetoEvent{acc}, GradeGood, true, []string{"2026-03-05发生较大事故A-7（死亡含失踪4人）", "M6", "降为良好"}},
		{"excellent, M31", 99.5, []VetoEvent{m31}, GradeGood, true, []string{"重大隐患H-9（企业E-2）", "视同发生事故（M31）"}},
		{"good already", 85, []VetoEvent{acc}, GradeGood, true, []string{"A-7", "本已低于优秀"}},
		{"fail", 40, []VetoEvent{acc, m31}, GradeFail, true, []string{"A-7", "H-9"}},
		{"boundary 90 is excellent", 90, nil, GradeExcellent, false, nil},
		{"boundary 60 is pass", 60, nil, GradePass, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := Assess(rA, all, 2026, tc.score, g, tc.events)
			if a.Grade != tc.grade || a.Veto != tc.veto {
				t.Errorf("grade %s veto %v, want %s %v", a.Grade, a.Veto, tc.grade, tc.veto)
			}
			for _, s := range tc.reason {
				if !strings.Contains(a.Reason, s) {
					t.Errorf("reason %q lacks %q", a.Reason, s)
				}
			}
			if tc.reason == nil && a.Reason != "" {
				t.Errorf("reason %q, want none", a.Reason)
			}
		})
	}
}

// TestDefaultConfigHandLake runs the default riskindex.json on the hand lake: every region
// gets an index in every window it has data for, and the AHP weights are used.
func TestDefaultConfigHandLake(t *testing.T) {
	snap, got := computeTest(t, nil)
	for _, r := range []string{rA, rB, rC, city} {
		for _, win := range []string{"ytd", "12m"} {
			v, ok := got[key("risk_index", r, all, win, "")]
			if !ok || v < 0 || v > 100 {
				t.Errorf("risk_index %s %s = %v, %v", r, win, v, ok)
			}
		}
	}
	if len(snap.Assessments) == 0 {
		t.Error("no assessment")
	}
}

// TestEngineReuse: one engine computes several as-of dates (backfill) and an earlier date
// sees only the records that existed then.
func TestEngineReuse(t *testing.T) {
	eng, err := Open(context.Background(), Config{Lake: testLake(t), Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, tc := range []struct {
		asOf   time.Time
		deaths float64 // city ytd
		veto   float64 // B
	}{
		{time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), 1, 0}, // AC5 only; AC1 is 05-10
		{time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), 4, 1}, // + AC1 (3)
		{testAsOf, 5, 1}, // + AC2
		{time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), 10, 1}, // + AC3 (5), in Shanghai's 07-01
	} {
		snap, err := eng.Compute(context.Background(), tc.asOf)
		if err != nil {
			t.Fatal(err)
		}
		var deaths, veto float64 = -1, -1
		for _, v := range snap.Values {
			if v.Indicator == "deaths" && v.Region == city && v.Sector == all && v.Window == "ytd" {
				deaths = v.Value
			}
			if v.Indicator == "veto" && v.Region == rB && v.Window == "ytd" {
				veto = v.Value
			}
		}
		if deaths != tc.deaths || veto != tc.veto {
			t.Errorf("as of %s: city ytd deaths %v veto(B) %v, want %v %v", tc.asOf.Format(time.DateOnly), deaths, veto, tc.deaths, tc.veto)
		}
	}
}

func TestWindowsAt(t *testing.T) {
	ws := WindowsAt(time.Date(2024, 2, 29, 15, 0, 0, 0, time.UTC))
	want := [][2]string{{"2024-02-01", "2024-02-29"}, {"2024-01-01", "2024-02-29"}, {"2024-01-01", "2024-02-29"}, {"2023-03-01", "2024-02-29"}}
	for i, w := range ws {
		if w.Lo.Format(time.DateOnly) != want[i][0] || w.Hi.Format(time.DateOnly) != want[i][1] {
			t.Errorf("%s: %s..%s, want %s..%s", w.Name, w.Lo.Format(time.DateOnly), w.Hi.Format(time.DateOnly), want[i][0], want[i][1])
		}
	}
}

func TestAssessReasonCapped(t *testing.T) {
	var evs []VetoEvent
	for i := 0; i < 8; i++ {
		evs = append(evs, VetoEvent{Kind: "m31", ID: fmt.Sprintf("H%d", i), On: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)})
	}
	evs = append(evs, VetoEvent{Kind: "accident", ID: "AC9", Grade: "major", Deaths: 12, On: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)})
	a := Assess(rA, all, 2026, 95, GradeBands{90, 80, 60}, evs)
	// the accident is named first, then four M31 hazards, then the count
	if !strings.HasPrefix(a.Reason, "2026-05-01发生重大事故AC9") || !strings.Contains(a.Reason, "H3") || strings.Contains(a.Reason, "H4") ||
		!strings.Contains(a.Reason, "等共9项（其中事故1起）") || a.Grade != GradeGood {
		t.Errorf("reason %q grade %s", a.Reason, a.Grade)
	}
}
