package report

import (
	"embed"
	"fmt"
	"math"
	"sort"
	"strings"
	"text/template"

	"github.com/safetyrisk/safetyrisk"
)

// Finding is one line of 存在问题: what is wrong, where, and the measure it breaks.
type Finding struct {
	Rule     string // the template that wrote it
	Severity int    // higher first
	Where    string // the region, sector or department named
	Text     string
}

//go:embed templates/*.tmpl
var templateFS embed.FS

var findingTemplates = template.Must(template.ParseFS(templateFS, "templates/findings.tmpl"))

// Severities: the veto first, then what hides or excuses accidents, then the stock of
// danger, then the rates, then duties and enforcement quality.
const (
	sevVeto          = 100
	sevM31           = 95
	sevConcealed     = 90
	sevFineOnly      = 85
	sevRising        = 80
	sevRate          = 75
	sevInvestigation = 86
	sevClosure       = 82
	sevProject       = 78
	sevLate          = 70
	sevDispatch      = 65
	sevDuty          = 60
	sevLax           = 50
	sevQuality       = 40
)

// findingData collects the rules' findings.
type findingData struct {
	list []Finding
	err  error
}

func (f *findingData) add(rule string, sev int, where string, args map[string]any) {
	args["Where"] = where
	var b strings.Builder
	if err := findingTemplates.ExecuteTemplate(&b, rule, args); err != nil && f.err == nil {
		f.err = fmt.Errorf("finding %s: %w", rule, err)
	}
	f.list = append(f.list, Finding{Rule: rule, Severity: sev, Where: where, Text: strings.TrimSpace(b.String())})
}

// regionValue is a region (or sector) with its value under a rule.
type regionValue struct {
	where string
	v     float64
	text  string
}

// manyRegions is how many regions under one rule are listed in one line, worst first,
// rather than one line each.
const manyRegions = 3

// addEach writes one finding per region, or, for manyRegions or more, one line that lists
// them all with their values, worst first.
func (f *findingData) addEach(rule, listRule string, sev int, xs []regionValue, each func(regionValue) map[string]any, list map[string]any) {
	if len(xs) < manyRegions {
		for _, x := range xs {
			f.add(rule, sev, x.where, each(x))
		}
		return
	}
	sort.SliceStable(xs, func(i, j int) bool { return xs[i].v > xs[j].v })
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = x.where + x.text
	}
	list["N"] = len(xs)
	f.add(listRule, sev, strings.Join(parts, "、"), list)
}

// findings applies the rules to the scope's regions (every region for the city's
// report) and, for the city, to its sectors; worst first.
func findings(d *data) []Finding {
	f := &findingData{}
	t := d.opt.Targets
	all := safetyrisk.AllSectors
	city := d.p.City.Code
	regions := []string{d.scope}
	if d.scope == city {
		regions = nil
		for _, r := range d.p.Regions {
			regions = append(regions, r.Code)
		}
	}
	cityZero, _ := d.cur.get("zero_finding_ratio", city, all, "", ytd)
	var fineOnly, noCase, late []regionValue // listed in one line when many regions share them
	for _, r := range regions {
		where := d.p.RegionName(r)
		get := func(id, dim string, wins ...string) float64 {
			v, _ := d.cur.get(id, r, all, dim, wins...)
			return v
		}
		// M6: a large-or-worse accident in the year.
		var grades []string
		for _, g := range []string{"extraordinary", "major", "large"} {
			if n := get("accidents", g, ytd); n > 0 {
				grades = append(grades, fmt.Sprintf("%s事故%s起", safetyrisk.AccidentGrades.NameOf(g), num(n)))
			}
		}
		if len(grades) > 0 {
			f.add("veto_accident", sevVeto, where, map[string]any{"Grades": strings.Join(grades, "、")})
		}
		// M31: an unlisted major hazard found by inspectors counts as an accident.
		if n := get("unlisted_major_hazards", "", ytd); n > 0 {
			f.add("veto_m31", sevM31, where, map[string]any{"N": num(n)})
		}
		// M58-M61: concealed accidents, and the report that revealed them.
		if n := get("reporting_violations", "concealed", ytd); n > 0 {
			args := map[string]any{"N": num(n)}
			reward := 0.0
			for _, c := range d.rec.Concealed {
				if c.Region == r && c.ByReport {
					args["ByReport"] = true
					args["Paid"] = c.Paid
					reward += c.Reward
				}
			}
			args["Reward"] = yuan("", reward, true).Text
			f.add("concealed", sevConcealed, where, args)
		}
		var kinds []string
		for _, k := range []string{"false", "omitted"} {
			if n := get("reporting_violations", k, ytd); n > 0 {
				kinds = append(kinds, fmt.Sprintf("%s%s起", safetyrisk.ReportingViolations.NameOf(k), num(n)))
			}
		}
		if len(kinds) > 0 {
			f.add("false_omitted", sevConcealed, where, map[string]any{"Kinds": strings.Join(kinds, "、")})
		}
		// M50: fatal accidents whose cases end in a fine.
		if n := get("fine_only_fatal_accidents", "", ytd); n > 0 {
			fineOnly = append(fineOnly, regionValue{where, n, num(n) + "起"})
		}
		// Decree 493 art. 29, M50: fatal accidents past the investigation term with no case.
		if n := get("fatal_accidents_no_enforcement", "", ytd); n > 0 {
			noCase = append(noCase, regionValue{where, n, num(n) + "起"})
		}
		// M24, M27: major hazards without a deadline (五落实), weighed like overdue ones.
		if n := get("major_hazards_no_deadline", "", stockWins...); n > 0 {
			f.add("no_deadline", sevRising, where, map[string]any{"N": num(n)})
		}
		// M58: late reports.
		if v, ok := d.cur.get("late_report_ratio", r, all, "", ytd); ok && v > 0 {
			late = append(late, regionValue{where, v, pct(v)})
		}
		// M2, M9: the half-yearly meetings.
		if v, ok := d.cur.get("meeting_compliance", r, all, "", ytd); ok && v < t.MeetingCompliance {
			f.add("meetings", sevDuty, where, map[string]any{"Value": pct(v)})
		}
		// M51: qualified enforcement officers.
		if v, ok := d.cur.get("qualified_staff_ratio", r, all, "", stockWins...); ok && v < t.QualifiedStaffRatio {
			f.add("staff", sevDuty, where, map[string]any{"Value": pct(v), "Target": pct(t.QualifiedStaffRatio)})
		}
		// M46: inspections that find nothing.
		if v, ok := d.cur.get("zero_finding_ratio", r, all, "", ytd); ok && v > t.ZeroFindingRatio {
			f.add("zero_finding", sevLax, where, map[string]any{"Value": pct(v), "City": pct(cityZero)})
		}
		// M13, M49: head-led inspections, the three systems.
		if v, ok := d.cur.get("head_led_inspection_compliance", r, all, "", ytd); ok && v < t.HeadLedInspection {
			f.add("head_led", sevQuality, where, map[string]any{"Value": pct(v), "Target": pct(t.HeadLedInspection)})
		}
		if v, ok := d.cur.get("three_systems_compliance", r, all, "", ytd); ok && v < t.ThreeSystems {
			f.add("three_systems", sevQuality, where, map[string]any{"Value": pct(v), "Target": pct(t.ThreeSystems)})
		}
	}
	total := 0.0
	for _, x := range fineOnly {
		total += x.v
	}
	f.addEach("fine_only", "fine_only_regions", sevFineOnly, fineOnly, func(x regionValue) map[string]any {
		return map[string]any{"N": num(x.v)}
	}, map[string]any{"Total": num(total)})
	f.addEach("no_enforcement", "no_enforcement_regions", sevFineOnly, noCase, func(x regionValue) map[string]any {
		return map[string]any{"N": num(x.v)}
	}, map[string]any{})
	f.addEach("late_report", "late_report_regions", sevLate, late, func(x regionValue) map[string]any {
		return map[string]any{"Value": x.text}
	}, map[string]any{})
	// M5: the rates against the year's targets: the scope's own, then (for the city) one
	// line per rate naming every region above it.
	for _, id := range rateIDs() {
		in, _ := safetyrisk.IndicatorByID(id)
		target, tok := t.Rates[id]
		if !tok {
			continue
		}
		if v, ok := d.cur.get(id, d.scope, all, "", ytd); ok && v > target {
			f.add("rate_over", sevRate, d.p.RegionName(d.scope), map[string]any{"Rate": in.Name,
				"Value": rate("", v, true).Text, "Target": rate("", target, true).Text})
		}
		var xs []regionValue
		for _, r := range regionsIf(d, d.scope == city) {
			if v, ok := d.cur.get(id, r, all, "", ytd); ok && v > target {
				xs = append(xs, regionValue{d.p.RegionName(r), v, rate("", v, true).Text})
			}
		}
		sort.SliceStable(xs, func(i, j int) bool { return xs[i].v > xs[j].v })
		var over []string
		for _, x := range xs {
			over = append(over, x.where+x.text)
		}
		if len(over) > 0 {
			f.add("rate_over_regions", sevRate, strings.Join(over, "、"), map[string]any{"Rate": in.Name,
				"N": len(over), "Target": rate("", target, true).Text})
		}
	}
	// M3-M59: the measures register's rules, region by region.
	registerFindings(d, f, regions)
	// M24: overdue major hazards rising month after month, per sector.
	risingFindings(d, f)
	// M54, M57: reports handled and rewards paid, for the scope as a whole.
	where := d.p.RegionName(d.scope)
	if v, ok := d.cur.get("verified_in_time_ratio", d.scope, all, "", ytd); ok && v < t.VerifiedInTime {
		f.add("verified_in_time", sevQuality, where, map[string]any{"Value": pct(v), "Target": pct(t.VerifiedInTime)})
	}
	if v, ok := d.cur.get("reward_on_time_ratio", d.scope, all, "", ytd); ok && v < t.RewardOnTime {
		f.add("reward_on_time", sevQuality, where, map[string]any{"Value": pct(v), "Target": pct(t.RewardOnTime)})
	}
	if f.err != nil {
		d.opt.Logger.Error("findings", "err", f.err)
	}
	sort.SliceStable(f.list, func(i, j int) bool { return f.list[i].Severity > f.list[j].Severity })
	return f.list
}

// registerFindings applies the measures register's rules (issue 13) to each region: states
// read at the as-of date, flows over the year.
func registerFindings(d *data, f *findingData, regions []string) {
	all := safetyrisk.AllSectors
	var closure, soe, notify, supp, dispatch, plan, experts []regionValue // listed in one line when many regions share them
	for _, r := range regions {
		where := d.p.RegionName(r)
		get := func(id, dim string, wins ...string) (float64, bool) { return d.cur.get(id, r, all, dim, wins...) }
		// Decree 493 art. 29, M18: investigations past their term with no approved report.
		if n, _ := get("investigation_overdue", "", stockWins...); n > 0 {
			f.add("investigation_overdue", sevInvestigation, where, map[string]any{"N": num(n)})
		}
		// Work Safety Law art. 113(1), M44: enterprises fined again and again with a major
		// hazard open, to be closed.
		if n, _ := get("closure_candidates", "", stockWins...); n > 0 {
			closure = append(closure, regionValue{where, n, num(n) + "家"})
		}
		// M34: substandard chemical projects neither stopped nor ordered to rectify.
		if n, _ := get("chemical_substandard_running", "", stockWins...); n > 0 {
			f.add("chemical_running", sevProject, where, map[string]any{"N": num(n)})
		}
		// M32: projects whose works started before their approval.
		if n, _ := get("projects_started_unapproved", "", ytd, safetyrisk.Window12M); n > 0 {
			f.add("started_unapproved", sevProject, where, map[string]any{"N": num(n)})
		}
		// M38: illegal subcontracting by state-owned enterprises.
		if n, _ := get("soe_subcontracting_cases", "", ytd, safetyrisk.Window12M); n > 0 {
			soe = append(soe, regionValue{where, n, num(n) + "起"})
		}
		// M59: departments' notifications later than 2 hours.
		if v, ok := get("notification_on_time_ratio", "", ytd); ok && v < 1 {
			notify = append(notify, regionValue{where, 1 - v, pct(v)})
		}
		// M59, Decree 493 art. 13: 补报 of changed casualties made late this year, and
		// changes never reported once their term ended.
		late, _ := get("supplementary_reports_late", "", ytd)
		unreported, _ := get("casualty_changes_unreported", "", stockWins...)
		if late+unreported > 0 {
			supp = append(supp, regionValue{where, late + unreported, fmt.Sprintf("（超时补报%s份，未补报%s起）", num(late), num(unreported))})
		}
		// M41: uncertified dispatched workers in hazardous posts.
		if v, ok := get("dispatched_qualified_ratio", "certified", ytd); ok && v < 1 {
			dispatch = append(dispatch, regionValue{where, 1 - v, pct(v)})
		}
		// M3, M8, M10: the government's yearly duty documents.
		if v, ok := get("duty_document_coverage", "", stockWins...); ok && v < 1 {
			f.add("duty_documents", sevDuty, where, map[string]any{"Value": pct(v)})
		}
		// M14: departments behind their annual inspection plan.
		if n, _ := get("departments_behind_plan", "", stockWins...); n > 0 {
			v, _ := get("inspection_plan_progress", "", stockWins...)
			plan = append(plan, regionValue{where, 1 - v, fmt.Sprintf("%s个部门（完成率%s）", num(n), pct(v))})
		}
		// M47: official inspections without experts.
		if v, ok := get("expert_inspection_share", "", ytd); ok && v == 0 {
			experts = append(experts, regionValue{where, 1, ""})
		}
	}
	f.addEach("closure_candidates", "closure_candidates_regions", sevClosure, closure, func(x regionValue) map[string]any {
		return map[string]any{"N": num(x.v)}
	}, map[string]any{})
	f.addEach("soe_subcontracting", "soe_subcontracting_regions", sevLate, soe, func(x regionValue) map[string]any {
		return map[string]any{"N": num(x.v)}
	}, map[string]any{})
	f.addEach("plan_behind", "plan_behind_regions", sevLax, plan, func(x regionValue) map[string]any {
		return map[string]any{"Text": x.text}
	}, map[string]any{})
	f.addEach("late_notify", "late_notify_regions", sevLate, notify, func(x regionValue) map[string]any {
		return map[string]any{"Value": x.text}
	}, map[string]any{})
	f.addEach("late_supplement", "late_supplement_regions", sevLate, supp, supplementArgs, map[string]any{})
	f.addEach("uncertified", "uncertified_regions", sevDispatch, dispatch, func(x regionValue) map[string]any {
		return map[string]any{"Value": x.text}
	}, map[string]any{})
	f.addEach("no_experts", "no_experts_regions", sevQuality, experts, func(x regionValue) map[string]any {
		return map[string]any{}
	}, map[string]any{})
}

// supplementArgs are a region's late_supplement finding's: its counts, and the terms of
// Decree 493 art. 13 as rules.go has them (the template writes no number of days).
func supplementArgs(x regionValue) map[string]any {
	return map[string]any{"Text": x.text, "Term": safetyrisk.SupplementaryTermDays, "ShortTerm": safetyrisk.SupplementaryShortTermDays}
}

func regionsIf(d *data, ok bool) []string {
	if !ok {
		return nil
	}
	var out []string
	for _, r := range d.p.Regions {
		out = append(out, r.Code)
	}
	return out
}

// risingFindings names each sector whose month-end stock of overdue major hazards rose
// in each of the last RisingMonths months (M24).
func risingFindings(d *data, f *findingData) {
	per := map[string]map[string]int64{} // sector -> month end -> stock
	var ends []string
	for _, p := range d.rec.OverdueTrend {
		e := p.MonthEnd.Format("2006-01-02")
		if !contains(ends, e) {
			ends = append(ends, e)
		}
		if per[p.Sector] == nil {
			per[p.Sector] = map[string]int64{}
		}
		per[p.Sector][e] = p.Overdue
	}
	sort.Strings(ends)
	k := d.opt.Targets.RisingMonths
	if len(ends) < k+1 {
		return
	}
	last := ends[len(ends)-k-1:]
	type rise struct {
		sector   string
		from, to int64
	}
	var rises []rise
	for sector, m := range per {
		if sector == "" {
			continue
		}
		ok := true
		for i := 1; i < len(last); i++ {
			if m[last[i]] <= m[last[i-1]] {
				ok = false
				break
			}
		}
		if ok {
			rises = append(rises, rise{sector, m[last[0]], m[last[len(last)-1]]})
		}
	}
	sort.Slice(rises, func(i, j int) bool {
		if rises[i].to-rises[i].from != rises[j].to-rises[j].from {
			return rises[i].to-rises[i].from > rises[j].to-rises[j].from
		}
		return rises[i].sector < rises[j].sector
	})
	for _, r := range rises {
		where := d.p.SectorName(r.sector) + "行业"
		if d.scope != d.p.City.Code {
			where = d.p.RegionName(d.scope) + where
		}
		f.add("overdue_rising", sevRising, where, map[string]any{"K": k, "From": r.from, "To": r.to})
	}
}

func num(v float64) string { return fmt.Sprintf("%.0f", math.Round(v)) }

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }
