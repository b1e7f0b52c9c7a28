package report

import (
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

const (
	ytd   = safetyrisk.WindowYTD
	month = safetyrisk.WindowMonth
	m12   = safetyrisk.Window12M
)

// Report is what the HTML template shows: every figure is a Fig read from the snapshot.
type Report struct {
	Title, City, Scope, ScopeCode string
	IsCity                        bool
	MonthLabel                    string // 2024年12月
	Year                          int
	AsOf, PrevAsOf                string
	RunID                         string
	Computed                      bool
	Generated                     string

	Overall     Overall
	Regions     []RankRow
	Sectors     []RankRow
	Hazards     Hazards
	Enforcement Enforcement
	Reports     Reports
	Duties      Duties
	Findings    []Finding
	Data        DataNotes

	Charts map[string]template.HTML
}

// Casualty is one line of 总体形势: the month and the year to date against last year.
type Casualty struct {
	Name, Unit                string
	Month, MonthPrev          Fig
	YTD, YTDPrev              Fig
	MonthChange, YTDChange    Change
	IsMoney                   bool
	MonthChangeFig, YTDChgFig Fig // money: the difference as a figure
}

// GradeCount is the year's accidents of one grade.
type GradeCount struct {
	Name      string
	YTD, Prev Fig
}

// RateRow is one of the four rates against its target.
type RateRow struct {
	Name        string
	YTD, M12    Fig
	Target      Fig
	Over, NoVal bool
}

// Overall is section 1.
type Overall struct {
	Rows       []Casualty
	Unreported Fig // accidents with no report time (when the catalogue has accidents_unreported)
	Grades     []GradeCount
	Rates      []RateRow
	Veto       bool
}

// RankRow is a region or a sector in the ranking of section 2.
type RankRow struct {
	Rank                int
	Code, Name          string
	Index               Fig
	Band                int
	BandName, BandColor string
	Accidents, Deaths   Fig
	OverdueMajor        Fig
	Grade               string
	Veto                bool
	Reason              string
	VetoMeasures        string // the measures of the veto: M6, M31 or both
	Current             bool   // the report's own region
}

// Hazards is section 3.
type Hazards struct {
	FoundMonthGeneral, FoundMonthMajor Fig
	FoundGeneral, FoundMajor           Fig
	Rectified, RectifiedMajor          Fig
	OnTime, OnTimeMajor                Fig
	OverdueGeneral, OverdueMajor       Fig
	Unlisted, Listed                   Fig
	NoDeadline, MaxAgeDays             Fig // when the catalogue has them (states at as-of)
	Oldest                             []OverdueHazardRow
	OldestTotal                        int64
}

// OverdueHazardRow is an OverdueHazard with names.
type OverdueHazardRow struct {
	OverdueHazard
	RegionName, SectorName string
}

// NamedFig is a figure with a label (inspections of a kind, cases of an action).
type NamedFig struct {
	Name string
	Fig  Fig
}

// Enforcement is section 4.
type Enforcement struct {
	InspectionsMonth, Inspections Fig
	ByKind                        []NamedFig
	Cases                         []NamedFig
	Fines                         Fig
	ZeroFinding, DoubleRandom     Fig
	ThreeSystems                  Fig
	FineOnly                      Fig
	NoEnforcement                 Fig // fatal accidents past the investigation term without a case (when the catalogue has it)
	Coverage                      []NamedFig
}

// Reports is section 5.
type Reports struct {
	Month, Received       Fig
	ByChannel             []NamedFig
	VerifiedInTime        Fig
	Substantiated         Fig
	RewardsPaid           Fig
	RewardOnTime          Fig
	InFull                Fig // rewards paid within the 2018 amounts (when the catalogue has it)
	ConcealedRevealed     int
	ConcealedRewardsTotal Fig
	Due                   RewardsDue // from the records: owed for the year's verified reports
	DueYuan, DuePaidYuan  Fig
}

// DutyRow is one region's duties (section 6).
type DutyRow struct {
	Name                                          string
	Meetings, HeadLed, Qualified, SelfCheck, Risk Fig
	Current                                       bool
}

// Duties is section 6.
type Duties struct {
	Scope     DutyRow
	Rows      []DutyRow
	Qualified float64 // M51's floor
}

// TableNote is one input table's provenance (section 8).
type TableNote struct {
	Table, Name                 string
	Batches                     int
	Read, Accepted, Quarantined int64
	LastIngest                  string
	AgeDays                     int
}

// DataNotes is section 8.
type DataNotes struct {
	Tables                 []TableNote
	Read, Quarantined      int64
	ChecksWarn, ChecksFail int
	ChecksRun              string
	Failing                []string
}

var bandNames = map[int][2]string{1: {"蓝", "#1e6fd9"}, 2: {"黄", "#e6b800"}, 3: {"橙", "#f07c00"}, 4: {"红", "#d7263d"}}

// build turns the data into the report's view.
func build(d *data) *Report {
	p := d.p
	asOf := d.snap.AsOf
	r := &Report{
		City: p.City.Name, Scope: p.RegionName(d.scope), ScopeCode: d.scope, IsCity: d.scope == p.City.Code,
		MonthLabel: fmt.Sprintf("%d年%d月", asOf.Year(), asOf.Month()), Year: asOf.Year(),
		AsOf: asOf.Format(time.DateOnly), PrevAsOf: d.prevAt.Format(time.DateOnly),
		RunID: d.snap.RunID, Computed: d.computed,
		Generated: d.opt.Now.In(location(p)).Format("2006-01-02 15:04"),
		Charts:    map[string]template.HTML{},
	}
	r.Title = r.Scope + "安全生产形势分析"
	r.Overall = overall(d)
	r.Regions, r.Sectors = ranking(d)
	r.Hazards = hazards(d)
	r.Enforcement = enforcement(d)
	r.Reports = reportsSection(d)
	r.Duties = duties(d)
	r.Findings = findings(d)
	r.Data = dataNotes(d)
	return r
}

func location(p *safetyrisk.Profile) *time.Location {
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func overall(d *data) Overall {
	s, all := d.scope, safetyrisk.AllSectors
	var o Overall
	line := func(id, name, unit string, money bool) Casualty {
		c := Casualty{Name: name, Unit: unit, IsMoney: money}
		mk := func(key string, v float64, ok bool) Fig {
			if money {
				return yuan(key, v, ok)
			}
			return count(key, v, ok)
		}
		mv, mok := d.cur.sum(id, s, all, month)
		mp, mpok := d.prev.sum(id, s, all, month)
		yv, yok := d.cur.sum(id, s, all, ytd)
		yp, ypok := d.prev.sum(id, s, all, ytd)
		c.Month, c.MonthPrev = mk(id+".month", mv, mok), mk(id+".month.prev", mp, mpok)
		c.YTD, c.YTDPrev = mk(id+".ytd", yv, yok), mk(id+".ytd.prev", yp, ypok)
		c.MonthChange = change(id+".month.change", mv, mp, mok && mpok)
		c.YTDChange = change(id+".ytd.change", yv, yp, yok && ypok)
		if money {
			c.MonthChangeFig = yuan(id+".month.change", mv-mp, mok && mpok)
			c.YTDChgFig = yuan(id+".ytd.change", yv-yp, yok && ypok)
		}
		return c
	}
	o.Rows = []Casualty{
		line("accidents", "事故起数", "起", false),
		line("deaths", "死亡(含失踪)", "人", false),
		line("serious_injuries", "重伤", "人", false),
		line("direct_loss", "直接经济损失", "", true),
	}
	for _, g := range safetyrisk.AccidentGrades.Values {
		v, ok := d.cur.get("accidents", s, all, g.Code, ytd)
		pv, pok := d.prev.get("accidents", s, all, g.Code, ytd)
		o.Grades = append(o.Grades, GradeCount{Name: g.Name, YTD: count("accidents.ytd."+g.Code, v, ok), Prev: count("accidents.ytd.prev."+g.Code, pv, pok)})
	}
	for _, id := range rateIDs() {
		in, _ := safetyrisk.IndicatorByID(id)
		v, ok := d.cur.get(id, s, all, "", ytd)
		v12, ok12 := d.cur.get(id, s, all, "", m12)
		t, tok := d.opt.Targets.Rates[id]
		o.Rates = append(o.Rates, RateRow{Name: in.Name, YTD: rate(id+".ytd", v, ok), M12: rate(id+".12m", v12, ok12),
			Target: rate(id+".target", t, tok), Over: ok && tok && v > t, NoVal: !ok})
	}
	veto, _ := d.cur.get("veto", s, all, "", ytd)
	o.Veto = veto > 0
	u, uok := d.cur.sum("accidents_unreported", s, all, ytd)
	o.Unreported = count("accidents_unreported.ytd", u, uok)
	return o
}

func (d *data) assessment(region, sector string) (safetyrisk.Assessment, bool) {
	for _, a := range d.snap.Assessments {
		if a.Region == region && a.Sector == sector && a.Year == d.snap.AsOf.Year() {
			return a, true
		}
	}
	return safetyrisk.Assessment{}, false
}

// ranking ranks the regions, and the sectors city-wide, by the year's risk index, worst
// first; a key with no index goes last.
func ranking(d *data) (regions, sectors []RankRow) {
	p := d.p
	row := func(region, sector, name string) RankRow {
		key := "rank." + region
		if sector != safetyrisk.AllSectors {
			key = "rank." + sector
		}
		idx, ok := d.cur.get("risk_index", region, sector, "", ytd)
		band, _ := d.cur.get("risk_band", region, sector, "", ytd)
		acc, aok := d.cur.sum("accidents", region, sector, ytd)
		dea, dok := d.cur.sum("deaths", region, sector, ytd)
		od, ook := d.cur.get("hazards_overdue", region, sector, "major", stockWins...)
		rr := RankRow{Code: region, Name: name, Index: score(key+".index", idx, ok), Band: int(band),
			Accidents: count(key+".accidents", acc, aok), Deaths: count(key+".deaths", dea, dok),
			OverdueMajor: count(key+".overdue_major", od, ook), Current: region == d.scope && sector == safetyrisk.AllSectors}
		if sector != safetyrisk.AllSectors {
			rr.Code = sector
		}
		if b, ok := bandNames[rr.Band]; ok {
			rr.BandName, rr.BandColor = b[0], b[1]
		}
		if a, ok := d.assessment(region, sector); ok {
			rr.Grade, rr.Veto, rr.Reason = a.Grade, a.Veto, a.Reason
			var ms []string
			for _, m := range []string{"（M6）", "（M31）"} {
				if strings.Contains(a.Reason, m) {
					ms = append(ms, strings.Trim(m, "（）"))
				}
			}
			rr.VetoMeasures = strings.Join(ms, "、")
		}
		return rr
	}
	for _, reg := range p.Regions {
		regions = append(regions, row(reg.Code, safetyrisk.AllSectors, reg.Name))
	}
	for _, s := range p.Sectors {
		sectors = append(sectors, row(p.City.Code, s.Code, s.Name))
	}
	rank := func(rows []RankRow) {
		sort.SliceStable(rows, func(i, j int) bool {
			a, b := rows[i], rows[j]
			if a.Index.OK != b.Index.OK {
				return a.Index.OK
			}
			if a.Index.Value != b.Index.Value {
				return a.Index.Value > b.Index.Value
			}
			return a.Code < b.Code
		})
		for i := range rows {
			rows[i].Rank = i + 1
		}
	}
	rank(regions)
	rank(sectors)
	return regions, sectors
}

func hazards(d *data) Hazards {
	s, all := d.scope, safetyrisk.AllSectors
	g := func(id, dim, key string, f func(string, float64, bool) Fig, wins ...string) Fig {
		v, ok := d.cur.get(id, s, all, dim, wins...)
		return f(key, v, ok)
	}
	h := Hazards{
		FoundMonthGeneral: g("hazards_found", "general", "hazards_found.month.general", count, month),
		FoundMonthMajor:   g("hazards_found", "major", "hazards_found.month.major", count, month),
		FoundGeneral:      g("hazards_found", "general", "hazards_found.ytd.general", count, ytd),
		FoundMajor:        g("hazards_found", "major", "hazards_found.ytd.major", count, ytd),
		Rectified:         g("rectification_ratio", "general", "rectification_ratio.ytd.general", ratio, ytd),
		RectifiedMajor:    g("rectification_ratio", "major", "rectification_ratio.ytd.major", ratio, ytd),
		OnTime:            g("on_time_ratio", "general", "on_time_ratio.ytd.general", ratio, ytd),
		OnTimeMajor:       g("on_time_ratio", "major", "on_time_ratio.ytd.major", ratio, ytd),
		OverdueGeneral:    g("hazards_overdue", "general", "hazards_overdue.general", count, stockWins...),
		OverdueMajor:      g("hazards_overdue", "major", "hazards_overdue.major", count, stockWins...),
		Unlisted:          g("unlisted_major_hazards", "", "unlisted_major_hazards.ytd", count, ytd),
		Listed:            g("listed_supervision", "", "listed_supervision", count, stockWins...),
		NoDeadline:        g("major_hazards_no_deadline", "", "major_hazards_no_deadline", count, stockWins...),
		OldestTotal:       d.rec.OldestTotal,
	}
	if v, ok := d.cur.get("major_hazards_overdue_max_age", s, all, "", stockWins...); ok {
		h.MaxAgeDays = count("major_hazards_overdue_max_age.days", v/86400, true)
	}
	for _, o := range d.rec.Oldest {
		h.Oldest = append(h.Oldest, OverdueHazardRow{OverdueHazard: o, RegionName: d.p.RegionName(o.Region), SectorName: d.p.SectorName(o.Sector)})
	}
	return h
}

func named(d *data, id string, enum *safetyrisk.Enum, f func(string, float64, bool) Fig, wins ...string) []NamedFig {
	var out []NamedFig
	for _, e := range enum.Values {
		v, ok := d.cur.get(id, d.scope, safetyrisk.AllSectors, e.Code, wins...)
		if !ok {
			continue
		}
		out = append(out, NamedFig{Name: e.Name, Fig: f(id+"."+e.Code, v, ok)})
	}
	return out
}

func enforcement(d *data) Enforcement {
	s, all := d.scope, safetyrisk.AllSectors
	im, imok := d.cur.sum("inspections", s, all, month)
	iy, iyok := d.cur.sum("inspections", s, all, ytd)
	one := func(id string, f func(string, float64, bool) Fig, wins ...string) Fig {
		v, ok := d.cur.get(id, s, all, "", wins...)
		return f(id, v, ok)
	}
	return Enforcement{
		InspectionsMonth: count("inspections.month", im, imok), Inspections: count("inspections.ytd", iy, iyok),
		ByKind:        named(d, "inspections", safetyrisk.InspectionKinds, count, ytd),
		Cases:         named(d, "enforcement_cases", safetyrisk.EnforcementActions, count, ytd),
		Fines:         one("fines", yuan, ytd),
		ZeroFinding:   one("zero_finding_ratio", ratio, ytd),
		DoubleRandom:  one("double_random_share", ratio, ytd),
		ThreeSystems:  one("three_systems_compliance", ratio, ytd),
		FineOnly:      one("fine_only_fatal_accidents", count, ytd),
		NoEnforcement: one("fatal_accidents_no_enforcement", count, ytd),
		Coverage:      named(d, "inspection_coverage", safetyrisk.RiskLevels, ratio, m12, ytd),
	}
}

func reportsSection(d *data) Reports {
	s, all := d.scope, safetyrisk.AllSectors
	one := func(id string, f func(string, float64, bool) Fig) Fig {
		v, ok := d.cur.get(id, s, all, "", ytd)
		return f(id, v, ok)
	}
	rm, rmok := d.cur.sum("reports_received", s, all, month)
	ry, ryok := d.cur.sum("reports_received", s, all, ytd)
	r := Reports{
		Month: count("reports_received.month", rm, rmok), Received: count("reports_received.ytd", ry, ryok),
		ByChannel:      named(d, "reports_received", safetyrisk.ReportChannels, count, ytd),
		VerifiedInTime: one("verified_in_time_ratio", ratio),
		Substantiated:  one("substantiated_ratio", ratio),
		RewardsPaid:    one("rewards_paid", yuan),
		RewardOnTime:   one("reward_on_time_ratio", ratio),
		InFull:         one("reward_in_full_ratio", ratio),
	}
	total := 0.0
	for _, c := range d.rec.Concealed {
		if c.ByReport {
			r.ConcealedRevealed++
			total += c.Reward
		}
	}
	r.ConcealedRewardsTotal = yuan("concealed.rewards", total, true)
	r.Due = d.rec.Rewards
	r.DueYuan = yuan("rewards_due.owed", r.Due.OwedYuan, true)
	r.DuePaidYuan = yuan("rewards_due.paid", r.Due.PaidYuan, true)
	return r
}

func dutyRow(d *data, region, name string) DutyRow {
	all := safetyrisk.AllSectors
	g := func(id string, wins ...string) Fig {
		v, ok := d.cur.get(id, region, all, "", wins...)
		return ratio(id+"."+region, v, ok)
	}
	return DutyRow{Name: name,
		Meetings: g("meeting_compliance", ytd), HeadLed: g("head_led_inspection_compliance", ytd),
		Qualified: g("qualified_staff_ratio", stockWins...), SelfCheck: g("selfcheck_compliance", ytd),
		Risk: g("risk_assessment_compliance", ytd), Current: region == d.scope}
}

func duties(d *data) Duties {
	out := Duties{Scope: dutyRow(d, d.scope, d.p.RegionName(d.scope)), Qualified: d.opt.Targets.QualifiedStaffRatio}
	for _, r := range d.p.Regions {
		out.Rows = append(out.Rows, dutyRow(d, r.Code, r.Name))
	}
	return out
}

func dataNotes(d *data) DataNotes {
	var n DataNotes
	per := map[string]*TableNote{}
	for _, b := range d.batches {
		t := per[b.Table]
		if t == nil {
			t = &TableNote{Table: b.Table}
			if tb := safetyrisk.TableByName(b.Table); tb != nil {
				t.Name = tb.Chinese
			}
			per[b.Table] = t
		}
		t.Batches++
		t.Read += b.RowsRead
		t.Accepted += b.RowsAccepted
		t.Quarantined += b.RowsQuarantined
		if at := b.IngestedAt.In(location(d.p)).Format("2006-01-02 15:04"); at > t.LastIngest {
			t.LastIngest = at
			t.AgeDays = int(d.opt.Now.Sub(b.IngestedAt).Hours() / 24)
		}
	}
	for _, tb := range safetyrisk.Tables() {
		if t := per[tb.Name]; t != nil {
			n.Tables = append(n.Tables, *t)
			n.Read += t.Read
			n.Quarantined += t.Quarantined
		}
	}
	if d.checks != nil {
		n.ChecksRun = d.checks.RunID
		for _, c := range d.checks.Results {
			switch c.Status {
			case "warn":
				n.ChecksWarn++
			case "fail":
				n.ChecksFail++
			default:
				continue
			}
			n.Failing = append(n.Failing, fmt.Sprintf("%s.%s %s: %d", c.Table, c.Column, c.Check, c.Failures))
		}
	}
	return n
}
