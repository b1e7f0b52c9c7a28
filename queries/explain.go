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

// source is where the records behind an indicator live: a table (or an allow-listed
// subquery), its date column and the columns worth showing. Never built from user input.
type source struct {
	from    string
	date    string // "" for a stock (no window)
	columns string
	filter  string // the records the indicator counts ("" all of the window's)
	dim     string // the column a breakdown value is compared with ("" none)
	order   string // ORDER BY ("" the first column)
}

var (
	srcAccidents = source{"accidents", "CAST(occurred_at AS DATE)",
		"accident_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, region, sector, enterprise_id, grade, deaths_incl_missing, serious_injuries, direct_loss, strftime(reported_at, '%Y-%m-%d %H:%M') AS reported_at, report_delay_minutes, late_report, reporting_violation", "", "", ""}
	srcHazards = source{"hazards", "found_on",
		"hazard_id, inspection_id, enterprise_id, region, sector, found_on, level, deadline, rectified_on, status, listed_supervision, in_ledger, source", "", "", ""}
	srcInspections = source{"inspections", "inspected_on",
		"inspection_id, enterprise_id, region, sector, inspected_on, department, kind, led_by_head, hazards_found", "", "", ""}
	srcEnterprises = source{"enterprises", "",
		"enterprise_id, name, region, sector, risk_level, status, employees, dispatch_workers, flexible_workers", "", "", ""}
	srcEnforcement = source{"enforcement", "decided_on",
		"case_id, inspection_id, accident_id, enterprise_id, region, sector, decided_on, actions, fine, recorded, publicized, legal_review, major_decision, transferred", "", "", ""}
	// reporter identity columns are never shown (M57)
	srcReports = source{"reports", "received_on",
		"report_id, received_on, channel, region, sector, enterprise_id, subject, verified_on, substantiated, reward, reward_paid_on", "", "", ""}
	srcAssessments = source{"(SELECT r.*, e.region, e.sector FROM risk_assessments r JOIN enterprises e USING (enterprise_id))", "assessed_on",
		"assessment_id, enterprise_id, region, sector, assessed_on, risk_level, published", "", "", ""}
	srcStaff      = source{"(SELECT *, NULL AS sector FROM staff)", "", "staff_id, region, department, qualified_education, qualified_certificate, experience_years, active", "", "", ""}
	srcGovernance = source{"governance", "held_on", "event_id, region, sector, department, held_on, kind, subject", "", "", ""}
	// the hazards in a state at as_of, whenever found, with their ages in days (keep in
	// step with hazard_states.sql); the oldest overdue first
	srcHazardStates = source{"hazards", "",
		"hazard_id, enterprise_id, region, sector, found_on, level, deadline, status, listed_supervision, " +
			"date_diff('day', found_on, $as_of) AS days_open, " +
			"CASE WHEN deadline < $as_of THEN date_diff('day', deadline, $as_of) END AS days_overdue",
		"", "", "days_overdue DESC NULLS LAST, days_open DESC, hazard_id"}
	// fatal accidents by the day after their investigation term (keep in step with enforcement.sql)
	srcFatalDue = source{"accidents", "CAST(occurred_at AS DATE) + $term_days + 1",
		"accident_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS occurred_at, region, sector, enterprise_id, grade, deaths_incl_missing, " +
			"CAST(occurred_at AS DATE) + $term_days AS term_ends", "", "", ""}
)

// with returns src narrowed to the records an indicator counts (a predicate of the SQL
// file, written here again for people) and the expression its breakdown is compared with.
func (src source) with(filter, dim string) source {
	src.filter, src.dim = filter, dim
	return src
}

// Predicates shared with the SQL files (keep in step with hazards.sql and enforcement.sql).
const (
	hazardDone = "((rectified_on IS NOT NULL AND rectified_on <= $as_of) OR (rectified_on IS NULL AND status IN ('rectified', 'verified')))"
	hazardOpen = "found_on <= $as_of AND NOT " + hazardDone
	overdue    = hazardOpen + " AND deadline < $as_of"
	m31        = "level = 'major' AND in_ledger = false AND (source <> 'self_check' OR (source IS NULL AND inspection_id IS NOT NULL))"
	notSelf    = "kind <> 'self_check'"
	caseOf     = "SELECT accident_id FROM enforcement WHERE accident_id IS NOT NULL AND decided_on <= $as_of"
	transfer   = "(coalesce(transferred, false) OR list_contains(string_split(actions, ','), 'transfer'))"
	fined      = "(coalesce(fine, 0) > 0 OR list_contains(string_split(actions, ','), 'fine'))"
	rewardDue  = "substantiated AND verified_on <= $as_of AND list_contains(string_split($reward_subjects, ','), subject)"
)

var sources = map[string]source{
	"accidents":                              srcAccidents.with("", "grade"),
	"deaths":                                 srcAccidents.with("deaths_incl_missing > 0", ""),
	"serious_injuries":                       srcAccidents.with("serious_injuries > 0", ""),
	"direct_loss":                            srcAccidents,
	"late_report_ratio":                      srcAccidents.with("(late_report IS NOT NULL OR reported_at IS NULL)", ""),
	"accidents_unreported":                   srcAccidents.with("reported_at IS NULL", ""),
	"reporting_violations":                   srcAccidents.with("reporting_violation <> 'none'", "reporting_violation"),
	"deaths_per_100m_gdp":                    srcAccidents.with("deaths_incl_missing > 0", ""),
	"industrial_deaths_per_100k_workers":     srcAccidents.with("deaths_incl_missing > 0 AND list_contains(string_split($industrial, ','), sector)", ""),
	"road_transport_deaths_per_10k_vehicles": srcAccidents.with("deaths_incl_missing > 0 AND sector = 'road_transport'", ""),
	"coal_deaths_per_mt":                     srcAccidents.with("deaths_incl_missing > 0 AND sector = 'coal_mine'", ""),
	"fine_only_fatal_accidents": srcFatalDue.with("deaths_incl_missing > 0 AND accident_id IN ("+caseOf+" AND "+fined+")"+
		" AND accident_id NOT IN ("+caseOf+" AND "+transfer+")", ""),
	"fatal_accidents_no_enforcement": srcFatalDue.with("deaths_incl_missing > 0 AND accident_id NOT IN ("+caseOf+")", ""),
	"hazards_found":                  srcHazards.with("", "level"),
	"hazards_open":                   srcHazardStates.with(hazardOpen, "level"),
	"hazards_overdue":                srcHazardStates.with(overdue, "level"),
	"major_hazards_long_overdue":     srcHazardStates.with(overdue+" AND level = 'major'", "overdue_over"),
	"major_hazards_overdue_max_age":  srcHazardStates.with(overdue+" AND level = 'major'", ""),
	"major_hazards_no_deadline":      srcHazardStates.with(hazardOpen+" AND level = 'major' AND deadline IS NULL", ""),
	"rectification_ratio":            srcHazards.with("", "level"),
	"on_time_ratio":                  srcHazards.with("deadline IS NOT NULL", "level"),
	"unlisted_major_hazards":         srcHazards.with(m31, ""),
	"listed_supervision":             srcHazardStates.with(hazardOpen+" AND level = 'major' AND listed_supervision", ""),
	"inspections":                    srcInspections.with("", "kind"),
	"zero_finding_ratio":             srcInspections.with(notSelf, ""),
	"double_random_share":            srcInspections.with(notSelf, ""),
	"head_led_inspection_compliance": srcInspections.with(notSelf+" AND led_by_head", ""),
	"selfcheck_compliance":           srcInspections.with("kind = 'self_check'", ""),
	"risk_assessment_compliance":     srcAssessments,
	"enterprises_by_risk_level":      srcEnterprises.with("status = 'operating'", "risk_level"),
	"inspection_coverage":            srcEnterprises.with("status = 'operating'", "risk_level"),
	"dispatch_worker_share":          srcEnterprises.with("status = 'operating' AND list_contains(string_split($hazardous, ','), sector)", ""),
	"enforcement_cases":              srcEnforcement.with("", "actions"),
	"fines":                          srcEnforcement.with("fine > 0", ""),
	"three_systems_compliance":       srcEnforcement,
	"reports_received":               srcReports.with("", "channel"),
	"verified_in_time_ratio":         srcReports,
	"substantiated_ratio":            srcReports.with("verified_on <= $as_of", ""),
	"rewards_paid":                   source{srcReports.from, "reward_paid_on", srcReports.columns, "reward > 0", "", ""},
	"reward_on_time_ratio":           srcReports.with(rewardDue, ""),
	"reward_in_full_ratio":           srcReports.with(rewardDue+" AND reward_paid_on <= $as_of", ""),
	"qualified_staff_ratio":          srcStaff,
	"meeting_compliance":             srcGovernance.with("kind IN ('party_committee_meeting', 'government_meeting')", ""),
}

// Table is a small result for people: column names and rows as text.
type Table struct {
	Columns []string
	Rows    [][]string
}

// Records returns the records behind an indicator's number for a region (or the city), a
// sector (or all) and a window as of asOf: the rows of its source table in the window
// (stocks: all rows) that the indicator counts (or, for a ratio, its denominator's
// candidates), narrowed to a breakdown value dim when given, at most limit. For a state
// (hazards_overdue, ...) the window is ignored: the records in the state at asOf, whenever
// found, with their ages (days_open, days_overdue), the oldest overdue first. For veto,
// the events of the year.
func (e *Engine) Records(ctx context.Context, id, region, sector, window, dim string, asOf time.Time, limit int) (*Table, error) {
	asOf = day(asOf)
	if id == "veto" || id == "assessment_grade" {
		f, ok, err := FileFor("veto")
		if err != nil {
			return nil, fmt.Errorf("records: %w", err)
		}
		if !ok {
			return nil, errors.New("records: no sql file computes veto")
		}
		evs, err := e.vetoEvents(ctx, f, asOf)
		if err != nil {
			return nil, err
		}
		t := &Table{Columns: []string{"kind", "id", "region", "sector", "on", "grade", "deaths", "enterprise_id"}}
		for _, ev := range vetoEventsOf(e.cfg.Profile, [2]string{region, sector}, evs) {
			t.Rows = append(t.Rows, []string{ev.Kind, ev.ID, ev.Region, ev.Sector, ev.On.Format(time.DateOnly), ev.Grade, fmt.Sprint(ev.Deaths), ev.EnterpriseID})
		}
		return t, nil
	}
	src, ok := sources[id]
	if !ok {
		return nil, fmt.Errorf("records: no record source for %q", id)
	}
	var where []string
	var args []any
	if src.date != "" {
		var w *Window
		for _, x := range WindowsAt(asOf) {
			if x.Name == window {
				w = &x
			}
		}
		if w == nil {
			return nil, fmt.Errorf("records: window %q, want one of %v", window, safetyrisk.Windows)
		}
		where = append(where, src.date+" BETWEEN $lo AND $hi")
		args = append(args, sql.Named("lo", date(w.Lo)), sql.Named("hi", date(w.Hi)))
	}
	if src.filter != "" {
		where = append(where, src.filter)
	}
	all := e.params(asOf)
	for _, p := range []string{"as_of", "industrial", "hazardous", "term_days", "reward_subjects"} {
		if strings.Contains(src.filter+src.columns+src.date, "$"+p) {
			args = append(args, sql.Named(p, all[p]))
		}
	}
	if dim != "" {
		if src.dim == "" {
			return nil, fmt.Errorf("records: %s has no breakdown", id)
		}
		switch src.dim {
		case "actions":
			where = append(where, "list_contains(string_split(actions, ','), $dim)")
		case "overdue_over": // '30d': more than 30 days past the deadline
			where = append(where, "date_diff('day', deadline, $as_of) > CAST(rtrim($dim, 'd') AS INTEGER)")
			if !strings.Contains(src.filter+src.columns+src.date, "$as_of") {
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
	q += fmt.Sprintf(" ORDER BY %s LIMIT %d", order, limit)
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
