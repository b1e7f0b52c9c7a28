package safetyrisk

import (
	"testing"
	"time"
)

// Decree 493 art. 3: every boundary of every criterion, at n-1 and n, and mixed cases.
func TestAccidentGrade(t *testing.T) {
	tests := []struct {
		name    string
		deaths  int64
		serious int64
		loss    float64
		want    Grade
	}{
		{"nothing", 0, 0, 0, GradeGeneral},
		{"2 deaths", 2, 0, 0, GradeGeneral},
		{"3 deaths", 3, 0, 0, GradeLarge},
		{"9 deaths", 9, 0, 0, GradeLarge},
		{"10 deaths", 10, 0, 0, GradeMajor},
		{"29 deaths", 29, 0, 0, GradeMajor},
		{"30 deaths", 30, 0, 0, GradeExtraordinary},
		{"9 serious", 0, 9, 0, GradeGeneral},
		{"10 serious", 0, 10, 0, GradeLarge},
		{"49 serious", 0, 49, 0, GradeLarge},
		{"50 serious", 0, 50, 0, GradeMajor},
		{"99 serious", 0, 99, 0, GradeMajor},
		{"100 serious", 0, 100, 0, GradeExtraordinary},
		{"loss just under 10M", 0, 0, 9_999_999.99, GradeGeneral},
		{"loss 10M", 0, 0, 10_000_000, GradeLarge},
		{"loss just under 50M", 0, 0, 49_999_999, GradeLarge},
		{"loss 50M", 0, 0, 50_000_000, GradeMajor},
		{"loss just under 100M", 0, 0, 99_999_999, GradeMajor},
		{"loss 100M", 0, 0, 100_000_000, GradeExtraordinary},
		{"mixed: 2 deaths, 10 serious", 2, 10, 0, GradeLarge},
		{"mixed: 3 deaths, 50 serious", 3, 50, 0, GradeMajor},
		{"mixed: 1 death, 5 serious, 100M", 1, 5, 100_000_000, GradeExtraordinary},
		{"mixed: 10 deaths, 10 serious, 10M", 10, 10, 10_000_000, GradeMajor},
		{"mixed: 29 deaths, 99 serious, 99.99M", 29, 99, 99_999_999, GradeMajor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AccidentGrade(tt.deaths, tt.serious, tt.loss); got != tt.want {
				t.Errorf("AccidentGrade(%d, %d, %.2f) = %v, want %v", tt.deaths, tt.serious, tt.loss, got, tt.want)
			}
		})
	}
}

func TestParseGrade(t *testing.T) {
	for in, want := range map[string]Grade{"较大": GradeLarge, "large": GradeLarge, "特别重大事故": GradeExtraordinary, "一般": GradeGeneral} {
		if g, ok := ParseGrade(in); !ok || g != want {
			t.Errorf("ParseGrade(%q) = %v, %v; want %v", in, g, ok, want)
		}
	}
	if _, ok := ParseGrade("严重"); ok {
		t.Error("ParseGrade accepted an unknown grade")
	}
}

func TestAccidentFineRange(t *testing.T) {
	// Work Safety Law art. 114.
	for g, want := range map[Grade][2]float64{
		GradeGeneral: {300_000, 1_000_000}, GradeLarge: {1_000_000, 2_000_000},
		GradeMajor: {2_000_000, 10_000_000}, GradeExtraordinary: {10_000_000, 20_000_000},
	} {
		r := AccidentFineRange(g)
		if r.Min != want[0] || r.Max != want[1] || r.MaxSerious != 5*want[1] {
			t.Errorf("%v: got %+v", g, r)
		}
	}
}

func TestConcealedAccidentReward(t *testing.T) {
	if got := ConcealedAccidentReward(GradeLarge, 3); got != 120_000 {
		t.Errorf("large, 3 deaths: %v", got)
	}
	if got := ConcealedAccidentReward(GradeExtraordinary, 30); got != RewardMax {
		t.Errorf("capped: %v", got)
	}
}

// TestIssue11_RewardWithinRules (issue 11, item 5): the bounds of 安监总财〔2018〕19号 for a
// paid reward, at their boundaries; a subject that earns no reward is never "in full".
func TestIssue11_RewardWithinRules(t *testing.T) {
	for _, tc := range []struct {
		subject string
		amount  float64
		want    bool
	}{
		{"major_hazard", 2999.99, false}, {"major_hazard", 3000, true}, {"illegal_activity", 300000, true},
		{"illegal_activity", 300000.01, false}, {"concealed_accident", 29999, false}, {"concealed_accident", 30000, true},
		{"concealed_accident", 300000, true}, {"concealed_accident", 300001, false}, {"other", 5000, false},
	} {
		if got := RewardWithinRules(tc.subject, tc.amount); got != tc.want {
			t.Errorf("RewardWithinRules(%s, %v) = %v, want %v", tc.subject, tc.amount, got, tc.want)
		}
	}
	if InvestigationTermDays != 120 { // Decree 493 art. 29: 60 days, extendable by 60
		t.Errorf("InvestigationTermDays = %d, want 120", InvestigationTermDays)
	}
}

// TestSupplementaryTerm: Decree 493 art. 13's terms and their boundaries, day 30 on time
// and day 31 late, day 7 and day 8 for road traffic and fire.
func TestSupplementaryTerm(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 1, 23, 30, 0, 0, sh) // late in the day: the date counts, not the hour
	for _, tc := range []struct {
		sector, class string
		term          int
		due           string
	}{
		{"coal_mine", "roof_fall", 30, "2026-05-31"},
		{"construction", "fall_from_height", 30, "2026-05-31"},
		{"road_transport", "vehicle", 7, "2026-05-08"},
		{"fire", "fire", 7, "2026-05-08"},
		{"crowded_places", "fire", 7, "2026-05-08"}, // a fire in any sector is a fire accident
		{"crowded_places", "electrocution", 30, "2026-05-31"},
		{"coal_mine", "vehicle", 30, "2026-05-31"}, // a vehicle injury in a mine is no road traffic accident
	} {
		if got := SupplementaryTerm(tc.sector, tc.class); got != tc.term {
			t.Errorf("SupplementaryTerm(%s, %s) = %d, want %d", tc.sector, tc.class, got, tc.term)
		}
		due := SupplementaryDue(at, tc.sector, tc.class)
		if got := due.Format(time.DateOnly); got != tc.due {
			t.Errorf("SupplementaryDue(%s, %s) = %s, want %s", tc.sector, tc.class, got, tc.due)
		}
		// a 补报 on day term (any hour) is not after the due date; one on day term + 1 is
		onTime := func(day int) bool { return !dateOf(at.AddDate(0, 0, day)).After(due) }
		if !onTime(tc.term) || onTime(tc.term+1) {
			t.Errorf("%s: day %d on time %v, day %d on time %v", tc.sector, tc.term, onTime(tc.term), tc.term+1, onTime(tc.term+1))
		}
	}
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
