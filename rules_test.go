package safetyrisk

import "testing"

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
