package queries

import (
	"errors"
	"fmt"
	"math"
)

// RandomIndex is Saaty's random consistency index RI for n = 1..9 (docs/rules.md, Weights)
// (0.58 for n=3, 0.90 n=4, 1.12 n=5, 1.24 n=6, 1.32 n=7, 1.41 n=8, 1.45 n=9).
var randomIndex = [...]float64{0, 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45}

// MaxCR is the largest consistency ratio accepted (Saaty: CR <= 0.1).
const MaxCR = 0.1

// AHPResult is the outcome of an AHP pairwise comparison matrix.
type AHPResult struct {
	Weights   []float64 // principal eigenvector, normalised to sum 1
	LambdaMax float64
	CI        float64 // (lambda_max - n) / (n - 1)
	RI        float64
	CR        float64 // CI / RI (0 for n <= 2)
}

// ErrInconsistent is returned (wrapped) for a matrix whose CR exceeds MaxCR.
var ErrInconsistent = errors.New("pairwise matrix is inconsistent")

// AHP computes the weights of a pairwise comparison matrix a (a[i][j] = how much more
// important i is than j, a[j][i] = 1/a[i][j]) by power iteration on the principal
// eigenvector, and its consistency ratio; a matrix with CR > 0.1 is refused with
// ErrInconsistent (the result is still returned, for display).
func AHP(a [][]float64) (AHPResult, error) {
	n := len(a)
	if n == 0 || n >= len(randomIndex) {
		return AHPResult{}, fmt.Errorf("ahp: matrix size %d, want 1..%d", n, len(randomIndex)-1)
	}
	for i := range a {
		if len(a[i]) != n {
			return AHPResult{}, fmt.Errorf("ahp: row %d has %d values, want %d", i+1, len(a[i]), n)
		}
		for j := range a[i] {
			if !(a[i][j] > 0) {
				return AHPResult{}, fmt.Errorf("ahp: a[%d][%d] = %v, want a positive number", i+1, j+1, a[i][j])
			}
			if math.Abs(a[i][j]*a[j][i]-1) > 0.01 {
				return AHPResult{}, fmt.Errorf("ahp: a[%d][%d] = %v is not the reciprocal of a[%d][%d] = %v", i+1, j+1, a[i][j], j+1, i+1, a[j][i])
			}
		}
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	next := make([]float64, n)
	for iter := 0; iter < 1000; iter++ {
		sum := 0.0
		for i := range a {
			next[i] = 0
			for j := range a[i] {
				next[i] += a[i][j] * w[j]
			}
			sum += next[i]
		}
		diff := 0.0
		for i := range next {
			next[i] /= sum
			diff = math.Max(diff, math.Abs(next[i]-w[i]))
		}
		copy(w, next)
		if diff < 1e-12 {
			break
		}
	}
	// lambda_max = mean over i of (A w)_i / w_i
	lambda := 0.0
	for i := range a {
		aw := 0.0
		for j := range a[i] {
			aw += a[i][j] * w[j]
		}
		lambda += aw / w[i]
	}
	lambda /= float64(n)
	r := AHPResult{Weights: w, LambdaMax: lambda, RI: randomIndex[n]}
	if n > 2 {
		r.CI = (lambda - float64(n)) / float64(n-1)
		r.CR = r.CI / r.RI
	}
	if r.CR > MaxCR {
		return r, fmt.Errorf("ahp: CR = %.4f > %.2f: %w", r.CR, MaxCR, ErrInconsistent)
	}
	return r, nil
}

// EntropyWeights computes entropy weights (docs/rules.md, Weights) of a data matrix x of m rows
// (regions) by n columns (indicators), values >= 0:
// p_ij = x_ij / sum_i x_ij; e_j = -(1/ln m) sum_i p_ij ln p_ij (0 ln 0 = 0);
// w_j = (1 - e_j) / sum_j (1 - e_j). A column that is all zero carries no information
// (e_j = 1). When no column carries information (or m < 2), the weights are equal.
func EntropyWeights(x [][]float64) ([]float64, error) {
	m := len(x)
	if m == 0 {
		return nil, errors.New("entropy weights: no rows")
	}
	n := len(x[0])
	for i := range x {
		if len(x[i]) != n {
			return nil, fmt.Errorf("entropy weights: row %d has %d values, want %d", i+1, len(x[i]), n)
		}
		for j := range x[i] {
			if x[i][j] < 0 || math.IsNaN(x[i][j]) {
				return nil, fmt.Errorf("entropy weights: x[%d][%d] = %v, want >= 0", i+1, j+1, x[i][j])
			}
		}
	}
	d := make([]float64, n) // 1 - e_j
	total := 0.0
	if m >= 2 {
		k := 1 / math.Log(float64(m))
		for j := 0; j < n; j++ {
			sum := 0.0
			for i := range x {
				sum += x[i][j]
			}
			e := 1.0
			if sum > 0 {
				e = 0
				for i := range x {
					if p := x[i][j] / sum; p > 0 {
						e -= k * p * math.Log(p)
					}
				}
			}
			d[j] = math.Max(0, 1-e)
			total += d[j]
		}
	}
	w := make([]float64, n)
	for j := range w {
		if total > 0 {
			w[j] = d[j] / total
		} else {
			w[j] = 1 / float64(n)
		}
	}
	return w, nil
}
