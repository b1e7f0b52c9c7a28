package queries

import (
	"errors"
	"math"
	"testing"
)

func TestAHP(t *testing.T) {
	// The criteria matrix of the textbook "leader example" (Wikipedia, "Analytic hierarchy
	// process – leader example", after Saaty): Experience, Education, Charisma, Age. Its
	// published priorities are .547, .127, .270, .056 and its consistency ratio 0.044.
	// Checked by hand independently of this code: power iteration w <- Aw / sum(Aw) from
	// (1/4, ...) gives w = (0.5476, 0.1266, 0.2699, 0.0559); (Aw)_i / w_i averaged gives
	// lambda_max = 4.11842; CI = (4.11842 - 4) / 3 = 0.039473; CR = 0.039473 / 0.90 = 0.04386.
	leader := [][]float64{
		{1, 4, 3, 7},
		{1.0 / 4, 1, 1.0 / 3, 3},
		{1.0 / 3, 3, 1, 5},
		{1.0 / 7, 1.0 / 3, 1.0 / 5, 1},
	}
	r, err := AHP(leader)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{.547, .127, .270, .056} {
		if math.Abs(r.Weights[i]-want) > 0.0011 {
			t.Errorf("leader w[%d] = %.4f, published %.3f", i, r.Weights[i], want)
		}
	}
	if math.Abs(r.LambdaMax-4.11842) > 1e-4 || math.Abs(r.CI-0.039473) > 1e-5 || math.Abs(r.CR-0.044) > 0.0005 {
		t.Errorf("leader lambda_max %.5f CI %.6f CR %.5f, want 4.11842 0.039473 0.044", r.LambdaMax, r.CI, r.CR)
	}

	// Another 4x4 on Saaty's 1-9 scale, checked the same way and by the largest root of
	// det(A - lambda I) = 0 (bisection on [4, 4.5]: det = -5.858 at 4, +38.98 at 4.5):
	// w = (0.57345, 0.27123, 0.11023, 0.04509), lambda_max = 4.08763, CI = 0.029210,
	// CR = 0.029210 / 0.90 = 0.03246.
	a := [][]float64{
		{1, 3, 5, 9},
		{1.0 / 3, 1, 3, 7},
		{1.0 / 5, 1.0 / 3, 1, 3},
		{1.0 / 9, 1.0 / 7, 1.0 / 3, 1},
	}
	r, err = AHP(a)
	if err != nil {
		t.Fatal(err)
	}
	wantW := []float64{0.57345, 0.27123, 0.11023, 0.04509}
	for i := range wantW {
		if math.Abs(r.Weights[i]-wantW[i]) > 1e-4 {
			t.Errorf("w[%d] = %.5f, want %.5f", i, r.Weights[i], wantW[i])
		}
	}
	if math.Abs(r.LambdaMax-4.08763) > 1e-4 || math.Abs(r.CI-0.029210) > 1e-5 || math.Abs(r.CR-0.03246) > 1e-4 {
		t.Errorf("lambda_max %.5f CI %.6f CR %.5f, want 4.08763 0.029210 0.03246", r.LambdaMax, r.CI, r.CR)
	}

	// A consistent matrix (a_ij = w_i / w_j for w = 4:2:1) has lambda_max = n, CR = 0.
	c, err := AHP([][]float64{{1, 2, 4}, {0.5, 1, 2}, {0.25, 0.5, 1}})
	if err != nil || math.Abs(c.CR) > 1e-9 || math.Abs(c.Weights[0]-4.0/7) > 1e-9 {
		t.Errorf("consistent matrix: %+v, %v", c, err)
	}
}

func TestAHPRefusesInconsistent(t *testing.T) {
	// A cycle: 1 > 2 (5), 2 > 3 (5), yet 3 > 1 (5). By hand: a 3x3 reciprocal matrix has
	// lambda_max = 1 + (a12 a23 / a13)^(1/3) + (a13 / (a12 a23))^(1/3)
	// = 1 + (5 * 5 * 5)^(1/3) + (1/125)^(1/3) = 1 + 5 + 0.2 = 6.2; CI = (6.2 - 3) / 2 = 1.6;
	// CR = 1.6 / 0.58 = 2.76 > 0.1: refused.
	a := [][]float64{{1, 5, 1.0 / 5}, {1.0 / 5, 1, 5}, {5, 1.0 / 5, 1}}
	r, err := AHP(a)
	if !errors.Is(err, ErrInconsistent) {
		t.Fatalf("err = %v, want ErrInconsistent", err)
	}
	if math.Abs(r.LambdaMax-6.2) > 1e-6 || math.Abs(r.CR-1.6/0.58) > 1e-6 {
		t.Errorf("lambda_max %v CR %v, want 6.2 %v", r.LambdaMax, r.CR, 1.6/0.58)
	}
	// A configuration carrying it is refused as a whole.
	rc, err := DefaultRiskConfig()
	if err != nil {
		t.Fatal(err)
	}
	rc.Index.Indicators = rc.Index.Indicators[:3]
	rc.Index.Weights = WeightSpec{Method: "ahp", Matrix: [][]Judgment{{1, 5, 0.2}, {0.2, 1, 5}, {5, 0.2, 1}}}
	if err := rc.Validate(); !errors.Is(err, ErrInconsistent) {
		t.Errorf("Validate = %v, want ErrInconsistent", err)
	}
}

func TestAHPBadMatrix(t *testing.T) {
	for name, a := range map[string][][]float64{
		"not reciprocal": {{1, 2}, {2, 1}},
		"not square":     {{1, 2}, {0.5}},
		"zero":           {{1, 0}, {0, 1}},
		"empty":          {},
	} {
		if _, err := AHP(a); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestEntropyWeights(t *testing.T) {
	// x = [[1, 4], [2, 1], [3, 1]], m = 3 rows, ln 3 = 1.098612.
	// Column 1: p = 1/6, 2/6, 3/6; sum p ln p = (1/6)(-1.791759) + (1/3)(-1.098612) + (1/2)(-0.693147)
	//   = -0.298627 - 0.366204 - 0.346574 = -1.011404; e1 = 1.011404 / 1.098612 = 0.920620; 1 - e1 = 0.079380.
	// Column 2: p = 4/6, 1/6, 1/6; sum p ln p = (2/3)(-0.405465) + 2 (1/6)(-1.791759)
	//   = -0.270310 - 0.597253 = -0.867563; e2 = 0.867563 / 1.098612 = 0.789690; 1 - e2 = 0.210310.
	// w = (0.079380, 0.210310) / 0.289690 = (0.274018, 0.725982).
	w, err := EntropyWeights([][]float64{{1, 4}, {2, 1}, {3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(w[0]-0.274018) > 1e-5 || math.Abs(w[1]-0.725982) > 1e-5 {
		t.Errorf("w = %v, want (0.274018, 0.725982)", w)
	}
	// A constant column carries no information; all-constant data gives equal weights.
	w, _ = EntropyWeights([][]float64{{1, 2}, {2, 2}, {3, 2}})
	if math.Abs(w[0]-1) > 1e-9 || math.Abs(w[1]) > 1e-9 {
		t.Errorf("constant column: w = %v, want (1, 0)", w)
	}
	w, _ = EntropyWeights([][]float64{{0, 2}, {0, 2}})
	if w[0] != 0.5 || w[1] != 0.5 {
		t.Errorf("no information: w = %v, want equal", w)
	}
	if _, err := EntropyWeights([][]float64{{-1, 1}, {1, 1}}); err == nil {
		t.Error("negative value: no error")
	}
}

func TestDefaultRiskConfig(t *testing.T) {
	rc, err := DefaultRiskConfig()
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]WeightSpec{"index": rc.Index.Weights, "assessment": rc.Assessment.Weights} {
		r, ok, err := w.AHPOf()
		if !ok || err != nil || r.CR > MaxCR {
			t.Errorf("%s: AHP %+v %v %v", name, r, ok, err)
		}
		t.Logf("%s: weights %.4f CR %.4f", name, r.Weights, r.CR)
	}
}

func TestRiskConfigBad(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"unknown indicator", `{"index": {"indicators": [{"id": "nope", "scaling": "minmax"}], "weights": {"method": "entropy"}, "bands": {"red": 75, "orange": 50, "yellow": 25}}, "assessment": {"window": "ytd", "indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "grades": {"excellent": 90, "good": 80, "pass": 60}}}`},
		{"ratio without dim", `{"index": {"indicators": [{"id": "rectification_ratio", "scaling": "minmax"}], "weights": {"method": "entropy"}, "bands": {"red": 75, "orange": 50, "yellow": 25}}, "assessment": {"window": "ytd", "indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "grades": {"excellent": 90, "good": 80, "pass": 60}}}`},
		{"bands out of order", `{"index": {"indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "bands": {"red": 25, "orange": 50, "yellow": 75}}, "assessment": {"window": "ytd", "indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "grades": {"excellent": 90, "good": 80, "pass": 60}}}`},
		{"bad window", `{"index": {"indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "bands": {"red": 75, "orange": 50, "yellow": 25}}, "assessment": {"window": "year", "indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "grades": {"excellent": 90, "good": 80, "pass": 60}}}`},
		{"target without worst", `{"index": {"indicators": [{"id": "deaths", "scaling": "target", "best": 0}], "weights": {"method": "entropy"}, "bands": {"red": 75, "orange": 50, "yellow": 25}}, "assessment": {"window": "ytd", "indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "grades": {"excellent": 90, "good": 80, "pass": 60}}}`},
		{"bad fraction", `{"index": {"indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "ahp", "matrix": [["1/x"]]}, "bands": {"red": 75, "orange": 50, "yellow": 25}}, "assessment": {"window": "ytd", "indicators": [{"id": "deaths", "scaling": "minmax"}], "weights": {"method": "entropy"}, "grades": {"excellent": 90, "good": 80, "pass": 60}}}`},
	} {
		if _, err := ParseRiskConfig([]byte(tc.json)); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
