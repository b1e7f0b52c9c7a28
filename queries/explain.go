package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Table is a small result for people: column names and rows as text.
type Table struct {
	Columns []string
	Rows    [][]string
}

// Records returns the records behind an indicator's number for a region (or the city), a
// sector (or all) and a window as of asOf, as the indicator's records block in its SQL
// file says (docs/queries.md): the rows of its source in the window (stocks and states:
// all rows) that the indicator counts (or, for a ratio, its denominator's candidates),
// narrowed to a breakdown value dim when given, at most limit. For a state
// (hazards_overdue, ...) the window is ignored: the records in the state at asOf, whenever
// found, with their ages (days_open, days_overdue), the oldest overdue first. For veto
// and assessment_grade, the events of the year.
func (e *Engine) Records(ctx context.Context, id, region, sector, window, dim string, asOf time.Time, limit int) (*Table, error) {
	asOf = day(asOf)
	in, ok := safetyrisk.IndicatorByID(id)
	if !ok {
		return nil, fmt.Errorf("records: unknown indicator %q", id)
	}
	blk, ok, err := RecordsFor(id)
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("records: no records block for %q", id)
	}
	switch blk.Source {
	case recordsVetoEvents:
		return e.vetoRecords(ctx, region, sector, asOf)
	case recordsComponents:
		return nil, fmt.Errorf("records: %s is computed from its components, not counted from records", id)
	}
	src := recordSources[blk.Source] // parseFile checked the name
	src.filter, src.dim = blk.Where, blk.By
	q, args, err := e.recordsQuery(in, src, region, sector, window, dim, asOf, limit)
	if err != nil {
		return nil, err
	}
	rows, err := e.conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("records %s: %w", id, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("records %s: %w", id, err)
	}
	t := &Table{Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("records %s: %w", id, err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = formatCell(v)
		}
		t.Rows = append(t.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("records %s: %w", id, err)
	}
	return t, nil
}

// vetoRecords are the events of asOf's year that veto the grade (veto.sql), for a key.
func (e *Engine) vetoRecords(ctx context.Context, region, sector string, asOf time.Time) (*Table, error) {
	f, ok, err := FileFor("veto")
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	if !ok {
		return nil, errors.New("records: no sql file computes veto")
	}
	evs, err := e.vetoEvents(ctx, e.conn, f, asOf)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []string{"kind", "id", "region", "sector", "on", "grade", "deaths", "enterprise_id"}}
	for _, ev := range vetoEventsOf(e.cfg.Profile, [2]string{region, sector}, evs) {
		t.Rows = append(t.Rows, []string{ev.Kind, ev.ID, ev.Region, ev.Sector, ev.On.Format(time.DateOnly), ev.Grade, fmt.Sprint(ev.Deaths), ev.EnterpriseID})
	}
	return t, nil
}

// recordsQuery builds the query of an indicator's records from its source narrowed by its
// records block, with its arguments: the window (none for a state or a stock), the
// block's predicate, the breakdown value and the key.
func (e *Engine) recordsQuery(in safetyrisk.Indicator, src source, region, sector, window, dim string, asOf time.Time, limit int) (string, []any, error) {
	var where []string
	var args []any
	if src.date != "" && !in.State {
		var w *Window
		for _, x := range WindowsAt(asOf) {
			if x.Name == window {
				w = &x
			}
		}
		if w == nil {
			return "", nil, fmt.Errorf("records: window %q, want one of %v", window, safetyrisk.Windows)
		}
		where = append(where, src.date+" BETWEEN $lo AND $hi")
		args = append(args, sql.Named("lo", date(w.Lo)), sql.Named("hi", date(w.Hi)))
	}
	if src.filter != "" {
		where = append(where, "("+src.filter+")")
	}
	all := e.params(asOf)
	uses := src.filter + src.columns
	if src.date != "" && !in.State {
		uses += src.date
	}
	for _, p := range recordParams {
		if strings.Contains(uses, "$"+p) {
			args = append(args, sql.Named(p, all[p]))
		}
	}
	if dim != "" {
		if src.dim == "" {
			return "", nil, fmt.Errorf("records: %s has no breakdown", in.ID)
		}
		switch src.dim {
		case byActions:
			where = append(where, "list_contains(string_split(actions, ','), $dim)")
		case byOverdueOver:
			// The code's days are dayRange's, as dim_values has them (dims.go).
			lo, _, ok := dayRange(dim)
			if !ok {
				return "", nil, fmt.Errorf("records: %s: %q names no range of days", in.ID, dim)
			}
			where = append(where, "date_diff('day', deadline, $as_of) >= $lo_days")
			args = append(args, sql.Named("lo_days", lo))
			if !strings.Contains(uses, "$as_of") {
				args = append(args, sql.Named("as_of", all["as_of"]))
			}
		default:
			where = append(where, src.dim+" = $dim")
		}
		args = append(args, sql.Named("dim", dim))
	}
	if region != e.cfg.Profile.City.Code {
		where = append(where, "region = $region")
		args = append(args, sql.Named("region", region))
	}
	if sector != safetyrisk.AllSectors {
		where = append(where, "sector = $sector")
		args = append(args, sql.Named("sector", sector))
	}
	q := "SELECT " + src.columns + " FROM " + src.from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	order := src.order
	if order == "" {
		order = "1"
	}
	return q + fmt.Sprintf(" ORDER BY %s LIMIT %d", order, limit), args, nil
}

func formatCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.Format(time.DateOnly)
	case float64:
		return fmt.Sprintf("%g", x)
	}
	return fmt.Sprint(v)
}

// Components explains a derived score (risk_index, risk_band, assessment_score,
// assessment_grade) for a key: each component's value, scaled value (1 worst) and weight.
func (rc *RiskConfig) Components(p *safetyrisk.Profile, vals []safetyrisk.IndicatorValue, id, region, sector, window string) (*Table, error) {
	cs, ws, win := rc.Index.Indicators, rc.Index.Weights, window
	if strings.HasPrefix(id, "assessment") {
		cs, ws, win = rc.Assessment.Indicators, rc.Assessment.Weights, rc.Assessment.Window
	}
	l := newLookup(vals)
	k := [2]string{region, sector}
	var rows, peers [][2]string
	for gi, g := range groups(p) {
		for _, x := range g {
			if x == k {
				rows = g
				if gi < 2 {
					peers = g
				}
			}
		}
	}
	if rows == nil {
		return nil, fmt.Errorf("components: %s/%s is not a key of the snapshot", region, sector)
	}
	sc := scaled(cs, l, rows, peers, win)
	base := sc
	if peers == nil {
		base = scaled(cs, l, groups(p)[0], groups(p)[0], win)
	}
	w, err := weightsFor(ws, base)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: []string{"component", "window", "scaling", "value", "scaled (1 worst)", "weight"}}
	for i, r := range rows {
		if r != k {
			continue
		}
		for j, c := range cs {
			v, ok := l.value(c, k, win)
			val, s := "(none)", "(left out)"
			if ok {
				val = fmt.Sprintf("%.6g", v)
			}
			if !math.IsNaN(sc[i][j]) {
				s = fmt.Sprintf("%.4f", sc[i][j])
			}
			t.Rows = append(t.Rows, []string{c.Label(), win, c.Scaling, val, s, fmt.Sprintf("%.4f", w[j])})
		}
	}
	return t, nil
}

// SchemeWeights compares a scheme's configured weights with entropy weights from the data.
type SchemeWeights struct {
	Scheme     string // "index" or "assessment"
	Window     string // the window the entropy weights were computed on
	Labels     []string
	Method     string
	AHP        *AHPResult // when the method is ahp
	Configured []float64  // ahp or fixed weights; nil for entropy
	Entropy    []float64  // entropy weights from the regions' scaled values
}

// CompareWeights computes, for the index (12m) and the assessment (its window), the
// configured weights and the entropy weights of the regions' data side by side.
func (rc *RiskConfig) CompareWeights(p *safetyrisk.Profile, vals []safetyrisk.IndicatorValue) ([]SchemeWeights, error) {
	l := newLookup(vals)
	regions := groups(p)[0]
	var out []SchemeWeights
	for _, s := range []struct {
		name, win string
		cs        []Component
		ws        WeightSpec
	}{
		{"index", safetyrisk.Window12M, rc.Index.Indicators, rc.Index.Weights},
		{"assessment", rc.Assessment.Window, rc.Assessment.Indicators, rc.Assessment.Weights},
	} {
		sw := SchemeWeights{Scheme: s.name, Window: s.win, Method: s.ws.Method}
		for _, c := range s.cs {
			sw.Labels = append(sw.Labels, c.Label())
		}
		if r, ok, _ := s.ws.AHPOf(); ok {
			sw.AHP = &r
		}
		cw, err := s.ws.Subjective()
		if err != nil {
			return nil, err
		}
		sw.Configured = cw
		ent, err := weightsFor(WeightSpec{Method: "entropy"}, scaled(s.cs, l, regions, regions, s.win))
		if err != nil {
			return nil, err
		}
		sw.Entropy = ent
		out = append(out, sw)
	}
	return out, nil
}
