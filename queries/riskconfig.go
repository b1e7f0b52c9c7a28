package queries

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/safetyrisk/safetyrisk"
)

//go:embed riskindex.json
var defaultRiskJSON []byte

// RiskConfig is the composite risk index and the annual assessment (M5, M6): which
// indicators, how each is scaled to 0..1 (1 the worst), their weights, the index's colour
// bands and the assessment's grade bands. The default is the embedded riskindex.json.
type RiskConfig struct {
	Comment    string           `json:"comment,omitempty"`
	Index      IndexScheme      `json:"index"`
	Assessment AssessmentScheme `json:"assessment"`
}

// IndexScheme is the composite risk index, computed for every window from that window's values.
type IndexScheme struct {
	Indicators []Component `json:"indicators"`
	Weights    WeightSpec  `json:"weights"`
	Bands      Bands       `json:"bands"`
}

// AssessmentScheme is the annual assessment: score = 100 x (1 - weighted scaled values)
// over one window (ytd by default), graded, then capped by the veto.
type AssessmentScheme struct {
	Window     string      `json:"window"`
	Indicators []Component `json:"indicators"`
	Weights    WeightSpec  `json:"weights"`
	Grades     GradeBands  `json:"grades"`
}

// Component is one indicator of a scheme.
type Component struct {
	ID      string   `json:"id"`
	Dim     string   `json:"dim,omitempty"`   // the dim value; "" for none, or for a count the sum over all
	Scaling string   `json:"scaling"`         // "target" or "minmax"
	Best    *float64 `json:"best,omitempty"`  // target: the value scaled to 0
	Worst   *float64 `json:"worst,omitempty"` // target: the value scaled to 1
	// Plus are counts added to the component's count before scaling: what weighs like it
	// (a major hazard with no deadline weighs like an overdue one, docs/rules.md).
	Plus []Term `json:"plus,omitempty"`
}

// Term is one more count of a component.
type Term struct {
	ID  string `json:"id"`
	Dim string `json:"dim,omitempty"`
}

func label(id, dim string) string {
	if dim == "" {
		return id
	}
	return id + "[" + dim + "]"
}

// Label names a component for people: id[dim], and +id[dim] for each Plus term.
func (c Component) Label() string {
	s := label(c.ID, c.Dim)
	for _, t := range c.Plus {
		s += "+" + label(t.ID, t.Dim)
	}
	return s
}

// WeightSpec says how the components are weighted.
type WeightSpec struct {
	Method string       `json:"method"`           // "ahp", "entropy" or "fixed"
	Matrix [][]Judgment `json:"matrix,omitempty"` // ahp: pairwise comparisons, in component order
	Values []float64    `json:"values,omitempty"` // fixed: weights (normalised to sum 1)
}

// Judgment is an AHP comparison: a JSON number or a fraction string such as "1/3".
type Judgment float64

// UnmarshalJSON accepts 3, 0.5 or "1/3".
func (j *Judgment) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err == nil {
		*j = Judgment(f)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("judgment %s: want a number or a fraction like \"1/3\"", b)
	}
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		den = "1"
	}
	n, err1 := strconv.ParseFloat(strings.TrimSpace(num), 64)
	d, err2 := strconv.ParseFloat(strings.TrimSpace(den), 64)
	if err1 != nil || err2 != nil || d == 0 {
		return fmt.Errorf("judgment %q: want a number or a fraction like \"1/3\"", s)
	}
	*j = Judgment(n / d)
	return nil
}

// Bands are the lower bounds of the risk index's colour bands (blue below yellow).
type Bands struct {
	Red    float64 `json:"red"`
	Orange float64 `json:"orange"`
	Yellow float64 `json:"yellow"`
}

// Band returns the band code of an index value: 4 red, 3 orange, 2 yellow, 1 blue.
func (b Bands) Band(v float64) int {
	switch {
	case v >= b.Red:
		return 4
	case v >= b.Orange:
		return 3
	case v >= b.Yellow:
		return 2
	}
	return 1
}

// BandNames are the Chinese names of the band codes 1..4.
var BandNames = [...]string{"", "蓝", "黄", "橙", "红"}

// GradeBands are the lower bounds of the assessment grades (不合格 below pass).
type GradeBands struct {
	Excellent float64 `json:"excellent"` // 优秀
	Good      float64 `json:"good"`      // 良好
	Pass      float64 `json:"pass"`      // 合格
}

// Grade names and codes (the catalogue's assessment_grade: 1 不合格, 2 合格, 3 良好, 4 优秀).
const (
	GradeExcellent = "优秀"
	GradeGood      = "良好"
	GradePass      = "合格"
	GradeFail      = "不合格"
)

// GradeCode returns the catalogue code of a grade name.
func GradeCode(g string) int {
	switch g {
	case GradeExcellent:
		return 4
	case GradeGood:
		return 3
	case GradePass:
		return 2
	}
	return 1
}

// Grade returns the grade of a score, before the veto.
func (g GradeBands) Grade(score float64) string {
	switch {
	case score >= g.Excellent:
		return GradeExcellent
	case score >= g.Good:
		return GradeGood
	case score >= g.Pass:
		return GradePass
	}
	return GradeFail
}

// DefaultRiskConfig returns the embedded riskindex.json.
func DefaultRiskConfig() (*RiskConfig, error) {
	return ParseRiskConfig(defaultRiskJSON)
}

// LoadRiskConfig reads a configuration file; an empty path gives the default.
func LoadRiskConfig(path string) (*RiskConfig, error) {
	if path == "" {
		return DefaultRiskConfig()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("risk config: %w", err)
	}
	rc, err := ParseRiskConfig(b)
	if err != nil {
		return nil, fmt.Errorf("risk config %s: %w", path, err)
	}
	return rc, nil
}

// ParseRiskConfig decodes and validates a configuration.
func ParseRiskConfig(b []byte) (*RiskConfig, error) {
	var rc RiskConfig
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rc); err != nil {
		return nil, fmt.Errorf("risk config: %w", err)
	}
	return &rc, rc.Validate()
}

// Validate checks indicators against the catalogue, scalings, weights (an AHP matrix with
// CR > 0.1 is refused) and bands.
func (rc *RiskConfig) Validate() error {
	if err := validateComponents("index", rc.Index.Indicators); err != nil {
		return err
	}
	if err := validateWeights("index", rc.Index.Weights, len(rc.Index.Indicators)); err != nil {
		return err
	}
	b := rc.Index.Bands
	if !(b.Red > b.Orange && b.Orange > b.Yellow && b.Yellow > 0 && b.Red <= 100) {
		return fmt.Errorf("risk config: index bands want 0 < yellow < orange < red <= 100, got %v/%v/%v", b.Yellow, b.Orange, b.Red)
	}
	a := rc.Assessment
	if !validWindow(a.Window) {
		return fmt.Errorf("risk config: assessment window %q, want one of %v", a.Window, safetyrisk.Windows)
	}
	if err := validateComponents("assessment", a.Indicators); err != nil {
		return err
	}
	if err := validateWeights("assessment", a.Weights, len(a.Indicators)); err != nil {
		return err
	}
	g := a.Grades
	if !(g.Excellent > g.Good && g.Good > g.Pass && g.Pass > 0 && g.Excellent <= 100) {
		return fmt.Errorf("risk config: assessment grades want 0 < pass < good < excellent <= 100, got %v/%v/%v", g.Pass, g.Good, g.Excellent)
	}
	return nil
}

func validWindow(w string) bool {
	for _, x := range safetyrisk.Windows {
		if x == w {
			return true
		}
	}
	return false
}

// derivedIDs are computed here, from the other indicators; they cannot be components.
var derivedIDs = map[string]bool{"veto": true, "risk_index": true, "risk_band": true, "assessment_score": true, "assessment_grade": true}

func validateComponents(scheme string, cs []Component) error {
	if len(cs) == 0 {
		return fmt.Errorf("risk config: %s has no indicators", scheme)
	}
	for i, c := range cs {
		in, ok := safetyrisk.IndicatorByID(c.ID)
		if !ok || derivedIDs[c.ID] {
			return fmt.Errorf("risk config: %s indicator %d: %q is not a computed catalogue indicator", scheme, i+1, c.ID)
		}
		if c.Dim != "" {
			if in.DimEnum == nil || in.DimEnum.NameOf(c.Dim) == "" {
				return fmt.Errorf("risk config: %s indicator %s: dim %q is not a value of its %q breakdown", scheme, c.ID, c.Dim, in.Dim)
			}
		} else if in.DimEnum != nil && in.Unit != safetyrisk.UnitCount && in.Unit != safetyrisk.UnitYuan {
			return fmt.Errorf("risk config: %s indicator %s: a ratio broken down by %s needs a dim", scheme, c.ID, in.Dim)
		}
		if len(c.Plus) > 0 && in.Unit != safetyrisk.UnitCount {
			return fmt.Errorf("risk config: %s indicator %s: plus adds counts to a count, %s is a %s", scheme, c.ID, c.ID, in.Unit)
		}
		for _, t := range c.Plus {
			tin, ok := safetyrisk.IndicatorByID(t.ID)
			if !ok || derivedIDs[t.ID] || tin.Unit != safetyrisk.UnitCount {
				return fmt.Errorf("risk config: %s indicator %s: plus %q is not a computed count of the catalogue", scheme, c.ID, t.ID)
			}
			if t.Dim != "" && (tin.DimEnum == nil || tin.DimEnum.NameOf(t.Dim) == "") {
				return fmt.Errorf("risk config: %s indicator %s: plus %s: dim %q is not a value of its %q breakdown", scheme, c.ID, t.ID, t.Dim, tin.Dim)
			}
		}
		switch c.Scaling {
		case "minmax":
			if in.Dir != "up" && in.Dir != "down" {
				return fmt.Errorf("risk config: %s indicator %s: minmax scaling needs a direction, the catalogue says %q", scheme, c.ID, in.Dir)
			}
		case "target":
			if c.Best == nil || c.Worst == nil || *c.Best == *c.Worst {
				return fmt.Errorf("risk config: %s indicator %s: target scaling needs best and worst, different", scheme, c.ID)
			}
		default:
			return fmt.Errorf("risk config: %s indicator %s: scaling %q, want target or minmax", scheme, c.ID, c.Scaling)
		}
	}
	return nil
}

func validateWeights(scheme string, w WeightSpec, n int) error {
	switch w.Method {
	case "ahp":
		if _, err := AHP(w.matrix()); err != nil {
			return fmt.Errorf("risk config: %s weights: %w", scheme, err)
		}
		if len(w.Matrix) != n {
			return fmt.Errorf("risk config: %s weights: %d x %d matrix for %d indicators", scheme, len(w.Matrix), len(w.Matrix), n)
		}
	case "fixed":
		if len(w.Values) != n {
			return fmt.Errorf("risk config: %s weights: %d values for %d indicators", scheme, len(w.Values), n)
		}
		sum := 0.0
		for _, v := range w.Values {
			if v < 0 {
				return fmt.Errorf("risk config: %s weights: negative weight %v", scheme, v)
			}
			sum += v
		}
		if sum <= 0 {
			return errors.New("risk config: " + scheme + " weights: all zero")
		}
	case "entropy":
	default:
		return fmt.Errorf("risk config: %s weights: method %q, want ahp, entropy or fixed", scheme, w.Method)
	}
	return nil
}

func (w WeightSpec) matrix() [][]float64 {
	out := make([][]float64, len(w.Matrix))
	for i, row := range w.Matrix {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			out[i][j] = float64(v)
		}
	}
	return out
}

// Subjective returns the configured weights when they do not depend on the data (ahp,
// fixed), normalised to sum 1; nil for entropy.
func (w WeightSpec) Subjective() ([]float64, error) {
	switch w.Method {
	case "ahp":
		r, err := AHP(w.matrix())
		return r.Weights, err
	case "fixed":
		sum := 0.0
		for _, v := range w.Values {
			sum += v
		}
		out := make([]float64, len(w.Values))
		for i, v := range w.Values {
			out[i] = v / sum
		}
		return out, nil
	}
	return nil, nil
}

// AHPOf returns the AHP result of a scheme's matrix (for display), or false.
func (w WeightSpec) AHPOf() (AHPResult, bool, error) {
	if w.Method != "ahp" {
		return AHPResult{}, false, nil
	}
	r, err := AHP(w.matrix())
	return r, true, err
}
