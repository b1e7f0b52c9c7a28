package transform

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// TestAccidentGradeSQL runs every boundary of Decree 493 art. 3 through the curated
// accidents SQL and compares the grade with safetyrisk.AccidentGrade, and the
// reporting delay with the 60-minute rule of art. 9.
func TestAccidentGradeSQL(t *testing.T) {
	type tc struct {
		name            string
		deaths, missing int64
		serious         int64
		loss            float64
		want            safetyrisk.Grade
	}
	tests := []tc{
		{"nothing", 0, 0, 0, 0, safetyrisk.GradeGeneral},
		{"deaths 2", 2, 0, 0, 0, safetyrisk.GradeGeneral},
		{"deaths 3", 3, 0, 0, 0, safetyrisk.GradeLarge},
		{"deaths 9", 9, 0, 0, 0, safetyrisk.GradeLarge},
		{"deaths 10", 10, 0, 0, 0, safetyrisk.GradeMajor},
		{"deaths 29", 29, 0, 0, 0, safetyrisk.GradeMajor},
		{"deaths 30", 30, 0, 0, 0, safetyrisk.GradeExtraordinary},
		{"missing counts: 2+1", 2, 1, 0, 0, safetyrisk.GradeLarge},
		{"missing counts: 9+1", 9, 1, 0, 0, safetyrisk.GradeMajor},
		{"missing counts: 29+1", 29, 1, 0, 0, safetyrisk.GradeExtraordinary},
		{"missing only 3", 0, 3, 0, 0, safetyrisk.GradeLarge},
		{"serious 9", 0, 0, 9, 0, safetyrisk.GradeGeneral},
		{"serious 10", 0, 0, 10, 0, safetyrisk.GradeLarge},
		{"serious 49", 0, 0, 49, 0, safetyrisk.GradeLarge},
		{"serious 50", 0, 0, 50, 0, safetyrisk.GradeMajor},
		{"serious 99", 0, 0, 99, 0, safetyrisk.GradeMajor},
		{"serious 100", 0, 0, 100, 0, safetyrisk.GradeExtraordinary},
		{"loss 9999999", 0, 0, 0, 9_999_999, safetyrisk.GradeGeneral},
		{"loss 9999999.99", 0, 0, 0, 9_999_999.99, safetyrisk.GradeGeneral},
		{"loss 10M", 0, 0, 0, 10_000_000, safetyrisk.GradeLarge},
		{"loss 49999999", 0, 0, 0, 49_999_999, safetyrisk.GradeLarge},
		{"loss 50M", 0, 0, 0, 50_000_000, safetyrisk.GradeMajor},
		{"loss 99999999", 0, 0, 0, 99_999_999, safetyrisk.GradeMajor},
		{"loss 100M", 0, 0, 0, 100_000_000, safetyrisk.GradeExtraordinary},
		{"mixed: deaths large, serious major", 3, 0, 50, 0, safetyrisk.GradeMajor},
		{"mixed: deaths major, loss large", 10, 0, 0, 10_000_000, safetyrisk.GradeMajor},
		{"mixed: serious large, loss extraordinary", 0, 0, 10, 100_000_000, safetyrisk.GradeExtraordinary},
		{"mixed: deaths extraordinary, others general", 30, 0, 9, 9_999_999, safetyrisk.GradeExtraordinary},
		{"mixed: all just below large", 2, 0, 9, 9_999_999, safetyrisk.GradeGeneral},
		{"mixed: all just below major", 9, 0, 49, 49_999_999, safetyrisk.GradeLarge},
		{"mixed: all just below extraordinary", 29, 0, 99, 99_999_999, safetyrisk.GradeMajor},
		{"mixed: missing lifts over serious", 8, 2, 49, 0, safetyrisk.GradeMajor},
	}
	// Random inputs around the thresholds: SQL and Go must agree on each.
	rng := rand.New(rand.NewPCG(4, 93))
	near := func(ths ...int64) int64 {
		th := ths[rng.IntN(len(ths))]
		return max(0, th+rng.Int64N(5)-2)
	}
	for i := range 300 {
		d, m, s := near(0, 3, 10, 30), rng.Int64N(3), near(0, 10, 50, 100)
		l := float64(near(0, 10_000_000, 50_000_000, 100_000_000)) + float64(rng.IntN(3))*0.5
		tests = append(tests, tc{fmt.Sprintf("random %d", i), d, m, s, l, safetyrisk.AccidentGrade(d+m, s, l)})
	}

	lake := t.TempDir()
	writeBatch(t, lake, safetyrisk.Enterprises, batchID(t0, "e"), []row{enterprise("E1")})
	var rows []row
	for i, tt := range tests {
		r := row{
			"accident_id": fmt.Sprintf("A%04d", i), "occurred_at": instant("2024-02-01T00:00:00Z"),
			"region": firstRegion, "sector": "coal_mine", "enterprise_id": "E1", "accident_type": "collapse",
			"deaths": tt.deaths, "missing": tt.missing, "serious_injuries": tt.serious, "direct_loss": tt.loss,
			"stated_grade": "general",
		}
		rows = append(rows, r)
	}
	// Reporting delay: exactly 60 minutes is in time, 61 is late, none is unknown.
	rows[0]["reported_at"] = instant("2024-02-01T01:00:00Z")
	rows[1]["reported_at"] = instant("2024-02-01T01:01:00Z")
	writeBatch(t, lake, safetyrisk.Accidents, batchID(t0, "a"), rows)
	runTransform(t, lake, "2024-03-01")

	got := query(t, "SELECT accident_id, grade, grade_mismatch, deaths_incl_missing, report_delay_minutes, late_report FROM "+curated(lake, safetyrisk.Accidents)+" ORDER BY accident_id")
	if len(got) != len(tests) {
		t.Fatalf("curated accidents: %d rows, want %d", len(got), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := got[i]
			if want := safetyrisk.AccidentGrade(tt.deaths+tt.missing, tt.serious, tt.loss); want != tt.want {
				t.Fatalf("table says %v, AccidentGrade says %v", tt.want, want)
			}
			if r[1] != tt.want.String() {
				t.Errorf("SQL grade %s, want %s (deaths %d+%d, serious %d, loss %.2f)", r[1], tt.want, tt.deaths, tt.missing, tt.serious, tt.loss)
			}
			if wantMis := fmt.Sprint(tt.want != safetyrisk.GradeGeneral); r[2] != wantMis {
				t.Errorf("grade_mismatch %s, want %s", r[2], wantMis)
			}
			if r[3] != fmt.Sprint(tt.deaths+tt.missing) {
				t.Errorf("deaths_incl_missing %s", r[3])
			}
		})
	}
	for i, want := range [][2]string{{"60", "false"}, {"61", "true"}, {"NULL", "NULL"}} {
		if got[i][4] != want[0] || got[i][5] != want[1] {
			t.Errorf("accident %d: delay %s late %s, want %v", i, got[i][4], got[i][5], want)
		}
	}
}
