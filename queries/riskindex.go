package queries

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// lookup indexes indicator values by key, and the catalogue by id: term is called per
// key, component and window, and safetyrisk.IndicatorByID builds the whole catalogue at
// each call (an eighth of a backfill's CPU when term called it).
type lookup struct {
	vals map[valueKey]float64
	cat  map[string]safetyrisk.Indicator
}

func newLookup(vals []safetyrisk.IndicatorValue) lookup {
	l := lookup{vals: make(map[valueKey]float64, len(vals)), cat: map[string]safetyrisk.Indicator{}}
	for _, v := range vals {
		l.vals[valueKey{v.Indicator, v.Region, v.Sector, v.Window, v.DimValue}] = v.Value
	}
	for _, in := range safetyrisk.Catalogue() {
		l.cat[in.ID] = in
	}
	return l
}

// value of a component for a key and window: the dim's value, or for a count broken down
// by a dim without one chosen, the sum over the dim's values.
func (l lookup) value(c Component, k [2]string, win string) (float64, bool) {
	v, ok := l.term(c.ID, c.Dim, k, win)
	for _, a := range c.Plus {
		// items 9 and 11 of docs/rules.md: e.g. majors with no deadline weigh like overdue ones
		x, ok2 := l.term(a.ID, a.Dim, k, win)
		v, ok = v+x, ok || ok2
	}
	return v, ok
}

// term is one indicator's value in a component: a state is read at as_of (WindowAsOf)
// whatever the scheme's window.
func (l lookup) term(id, dim string, k [2]string, win string) (float64, bool) {
	in := l.cat[id]
	if in.State {
		win = safetyrisk.WindowAsOf
	}
	if dim == "" && in.DimEnum != nil {
		sum, any := 0.0, false
		for _, d := range in.DimEnum.Codes() {
			if v, ok := l.vals[valueKey{id, k[0], k[1], win, d}]; ok {
				sum, any = sum+v, true
			}
		}
		return sum, any
	}
	v, ok := l.vals[valueKey{id, k[0], k[1], win, dim}]
	return v, ok
}

// scaled returns, for each row of a peer group (the regions, or the sectors), each
// component scaled to 0..1 with 1 the worst; NaN when the row has no value. The city row
// (peers nil) scales only target components: min-max needs a peer group.
func scaled(cs []Component, l lookup, rows [][2]string, peers [][2]string, win string) [][]float64 {
	out := make([][]float64, len(rows))
	for i := range out {
		out[i] = make([]float64, len(cs))
	}
	for j, c := range cs {
		in := l.cat[c.ID]
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, k := range peers {
			if v, ok := l.value(c, k, win); ok {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		for i, k := range rows {
			v, ok := l.value(c, k, win)
			s := math.NaN()
			switch {
			case !ok:
			case c.Scaling == "target":
				s = clamp((v - *c.Best) / (*c.Worst - *c.Best))
			case peers == nil:
			case hi > lo && in.Dir == "down":
				s = clamp((hi - v) / (hi - lo))
			case hi > lo:
				s = clamp((v - lo) / (hi - lo))
			default:
				s = 0 // every peer equal: no one is worse
			}
			out[i][j] = s
		}
	}
	return out
}

func clamp(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// weightsFor returns the scheme's weights; entropy weights come from the peer group's
// scaled matrix (missing values as 0).
func weightsFor(w WeightSpec, peerScaled [][]float64) ([]float64, error) {
	if w.Method != "entropy" {
		return w.Subjective()
	}
	x := make([][]float64, len(peerScaled))
	for i, row := range peerScaled {
		x[i] = make([]float64, len(row))
		for j, v := range row {
			if !math.IsNaN(v) {
				x[i][j] = v
			}
		}
	}
	return EntropyWeights(x)
}

// combine returns 100 x the weighted mean of the available scaled values, or false when
// none is available (the weights of missing components are shared among the others).
func combine(s []float64, w []float64) (float64, bool) {
	num, den := 0.0, 0.0
	for j, v := range s {
		if math.IsNaN(v) {
			continue
		}
		num += w[j] * v
		den += w[j]
	}
	if den == 0 {
		return 0, false
	}
	return 100 * num / den, true
}

// groups of a snapshot: the regions compared with each other, the sectors compared with
// each other, and the city on its own.
func groups(p *safetyrisk.Profile) [][][2]string {
	var regions, sectors [][2]string
	for _, r := range p.Regions {
		regions = append(regions, [2]string{r.Code, safetyrisk.AllSectors})
	}
	for _, s := range p.Sectors {
		sectors = append(sectors, [2]string{p.City.Code, s.Code})
	}
	return [][][2]string{regions, sectors, {{p.City.Code, safetyrisk.AllSectors}}}
}

// scored is a key's score in a scheme and what it is made of.
type scored struct {
	score   float64   // 0..100, 100 the worst
	scaled  []float64 // per component, 0..1 with 1 the worst; NaN when left out
	weights []float64 // per component
}

// points returns, per component, the points of 0..100 it adds to the score: its weight
// (shared among the available components) x its scaled value x 100.
func (s scored) points() []float64 {
	den := 0.0
	for j, v := range s.scaled {
		if !math.IsNaN(v) {
			den += s.weights[j]
		}
	}
	out := make([]float64, len(s.scaled))
	for j, v := range s.scaled {
		if !math.IsNaN(v) && den > 0 {
			out[j] = 100 * s.weights[j] * v / den
		}
	}
	return out
}

// schemeScores computes a scheme's 0..100 weighted score (1 = worst scaled to 100) for
// every key of the snapshot in a window.
func schemeScores(cs []Component, ws WeightSpec, l lookup, p *safetyrisk.Profile, win string) (map[[2]string]float64, error) {
	d, err := schemeDetails(cs, ws, l, p, win)
	if err != nil {
		return nil, err
	}
	out := map[[2]string]float64{}
	for k, v := range d {
		out[k] = v.score
	}
	return out, nil
}

// schemeDetails is schemeScores with each key's scaled components and weights.
func schemeDetails(cs []Component, ws WeightSpec, l lookup, p *safetyrisk.Profile, win string) (map[[2]string]scored, error) {
	out := map[[2]string]scored{}
	g := groups(p)
	regionScaled := scaled(cs, l, g[0], g[0], win)
	for gi, rows := range g {
		peers := rows
		if gi == 2 {
			peers = nil
		}
		sc := scaled(cs, l, rows, peers, win)
		base := sc
		if gi == 2 {
			base = regionScaled // entropy weights of the city come from its regions
		}
		w, err := weightsFor(ws, base)
		if err != nil {
			return nil, err
		}
		for i, k := range rows {
			if v, ok := combine(sc[i], w); ok {
				out[k] = scored{score: v, scaled: sc[i], weights: w}
			}
		}
	}
	return out, nil
}

// derive computes the indicators that come from other indicators: risk_index and
// risk_band (every window), veto, assessment_score and assessment_grade (annual: the same
// value in every window), and the assessments.
func (rc *RiskConfig) derive(p *safetyrisk.Profile, asOf time.Time, vals []safetyrisk.IndicatorValue, events []VetoEvent) ([]safetyrisk.IndicatorValue, []safetyrisk.Assessment, error) {
	l := newLookup(vals)
	var out []safetyrisk.IndicatorValue
	emit := func(id string, k [2]string, win string, v float64) {
		out = append(out, safetyrisk.IndicatorValue{Indicator: id, Region: k[0], Sector: k[1], Window: win, AsOf: asOf, Value: v})
	}
	for _, win := range safetyrisk.Windows {
		idx, err := schemeScores(rc.Index.Indicators, rc.Index.Weights, l, p, win)
		if err != nil {
			return nil, nil, fmt.Errorf("risk index: %w", err)
		}
		for _, k := range keys(p) {
			if v, ok := idx[k]; ok {
				emit("risk_index", k, win, v)
				emit("risk_band", k, win, float64(rc.Index.Bands.Band(v)))
			}
		}
	}
	a := rc.Assessment
	risk, err := schemeDetails(a.Indicators, a.Weights, l, p, a.Window)
	if err != nil {
		return nil, nil, fmt.Errorf("assessment: %w", err)
	}
	var assessments []safetyrisk.Assessment
	for _, k := range keys(p) {
		evs := vetoEventsOf(p, k, events)
		veto := 0.0
		if len(evs) > 0 {
			veto = 1
		}
		for _, win := range safetyrisk.Windows {
			emit("veto", k, win, veto)
		}
		r, ok := risk[k]
		if !ok {
			continue
		}
		as := Assess(k[0], k[1], asOf.Year(), 100-r.score, a.Grades, evs)
		as.Reason = joinReason(as.Reason, lostPoints(a.Indicators, l, k, a.Window, r))
		assessments = append(assessments, as)
		for _, win := range safetyrisk.Windows {
			emit("assessment_score", k, win, as.Score)
			emit("assessment_grade", k, win, float64(GradeCode(as.Grade)))
		}
	}
	return out, assessments, nil
}

// lostPoints names, in words, every component that cost the key points (most first): the
// Chinese name of each term (so 重大隐患 overdue, 瞒报 and 谎报 are named when they weigh),
// its value and the points lost; "" when none did.
func lostPoints(cs []Component, l lookup, k [2]string, win string, r scored) string {
	pts := r.points()
	idx := make([]int, 0, len(cs))
	for j := range cs {
		if pts[j] >= 0.005 {
			idx = append(idx, j)
		}
	}
	if len(idx) == 0 {
		return ""
	}
	sort.SliceStable(idx, func(a, b int) bool { return pts[idx[a]] > pts[idx[b]] })
	var parts []string
	for _, j := range idx {
		v, _ := l.value(cs[j], k, win)
		parts = append(parts, fmt.Sprintf("%s %s（扣%.2f分）", componentName(cs[j]), formatComponentValue(cs[j], v), pts[j]))
	}
	return "失分项：" + strings.Join(parts, "；")
}

// componentName is a component's Chinese name: each term's name and breakdown value.
func componentName(c Component) string {
	terms := append([]Term{{ID: c.ID, Dim: c.Dim}}, c.Plus...)
	var names []string
	for _, t := range terms {
		in, ok := safetyrisk.IndicatorByID(t.ID)
		if !ok {
			names = append(names, t.ID)
			continue
		}
		n := in.Name
		if t.Dim != "" && in.DimEnum != nil {
			n += "(" + in.DimEnum.NameOf(t.Dim) + ")"
		}
		names = append(names, n)
	}
	return strings.Join(names, "+")
}

func formatComponentValue(c Component, v float64) string {
	in, _ := safetyrisk.IndicatorByID(c.ID)
	if in.Unit == safetyrisk.UnitRatio {
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	return fmt.Sprintf("%.4g", v)
}

func joinReason(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "。" + b
}

// vetoEventsOf returns the events of a key: a region's, a sector's (city-wide), or all of
// them for the city.
func vetoEventsOf(p *safetyrisk.Profile, k [2]string, events []VetoEvent) []VetoEvent {
	var out []VetoEvent
	for _, ev := range events {
		switch {
		case k[0] != p.City.Code && ev.Region == k[0]:
		case k[0] == p.City.Code && k[1] == safetyrisk.AllSectors:
		case k[0] == p.City.Code && ev.Sector == k[1]:
		default:
			continue
		}
		out = append(out, ev)
	}
	return out
}

// maxReasonEvents is how many events a reason names before summing up the rest.
const maxReasonEvents = 5

func countKind(evs []VetoEvent, kind string) int {
	n := 0
	for _, ev := range evs {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

// Assess grades a score and applies the veto: a large-or-worse accident in the year (M6),
// or an unlisted major hazard found by inspectors, which counts as an accident (M31),
// caps the grade below 优秀. The reason names every event.
func Assess(region, sector string, year int, score float64, g GradeBands, events []VetoEvent) safetyrisk.Assessment {
	score = math.Round(score*100) / 100
	a := safetyrisk.Assessment{Region: region, Sector: sector, Year: year, Score: score, Grade: g.Grade(score)}
	if len(events) == 0 {
		return a
	}
	a.Veto = true
	// accidents first (M6), then M31 equivalents, each by date; at most maxReasonEvents named
	sorted := append([]VetoEvent(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Kind == "accident" && sorted[j].Kind != "accident" })
	var parts []string
	for n, ev := range sorted {
		if n == maxReasonEvents {
			parts = append(parts, fmt.Sprintf("等共%d项（其中事故%d起）", len(sorted), countKind(sorted, "accident")))
			break
		}
		date := ev.On.Format("2006-01-02")
		switch ev.Kind {
		case "accident":
			name := ev.Grade
			if gr, ok := safetyrisk.ParseGrade(ev.Grade); ok {
				name = gr.Chinese()
			}
			parts = append(parts, fmt.Sprintf("%s发生%s事故%s（死亡含失踪%d人），一票否决（M6）", date, name, ev.ID, ev.Deaths))
		default:
			ent := ""
			if ev.EnterpriseID != "" {
				ent = "（企业" + ev.EnterpriseID + "）"
			}
			parts = append(parts, fmt.Sprintf("%s发现未列入企业隐患台账的重大隐患%s%s，视同发生事故（M31）", date, ev.ID, ent))
		}
	}
	reason := strings.Join(parts, "；")
	if a.Grade == GradeExcellent {
		a.Grade = GradeGood
		reason += fmt.Sprintf("；得分%.2f本应评为优秀，降为良好", score)
	} else {
		reason += "；等次本已低于优秀，不再调整"
	}
	a.Reason = reason
	return a
}

// DerivedIDs are the catalogue ids computed in Go from other indicators (riskindex.go):
// veto (with the events of veto.sql), risk_index, risk_band, assessment_score, assessment_grade.
func DerivedIDs() []string {
	return []string{"veto", "risk_index", "risk_band", "assessment_score", "assessment_grade"}
}
