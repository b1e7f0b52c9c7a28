package sampledata

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Report channels and subjects with their weights (M54, M55).
var (
	reportChannels       = []string{"hotline_12350", "phone", "web", "letter", "visit", "internal"}
	reportChannelWeights = []float64{35, 20, 25, 8, 7, 5}
	reportSubjects       = []string{"major_hazard", "illegal_activity", "concealed_accident", "other"}
	reportSubjectWeights = []float64{35, 40, 3, 22}
)

// genReports writes the whistleblower reports day by day; the story report on the
// concealed accident comes on its day.
func (g *generator) genReports(ctx context.Context) error {
	rng := g.rng("reports")
	s := g.newSink(safetyrisk.Reports, false)
	r := newRow(safetyrisk.Reports)
	seq := map[int]int{}
	var concealed *accident
	for _, a := range g.acc {
		if a.story == StoryConcealedAccident {
			concealed = a
		}
	}
	for d := g.from; !d.After(g.to); d = d.AddDate(0, 0, 1) {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := poisson(rng, ReportsPerYear*g.cfg.Scale/365)
		for k := 0; k < n; k++ {
			seq[d.Year()]++
			id := fmt.Sprintf("JB%d%06d", d.Year(), seq[d.Year()])
			g.fillReport(rng, r, id, d)
			if err := g.emit(s, 0, r, id, dirtyAny); err != nil {
				return err
			}
		}
		if concealed != nil && d.Equal(g.concealedReceived()) {
			seq[d.Year()]++
			id := fmt.Sprintf("JB%d%06d", d.Year(), seq[d.Year()])
			e := &g.ents[concealed.ent]
			verified := g.concealedVerified()
			paid := verified.AddDate(0, 0, 20)
			reward := safetyrisk.ConcealedAccidentReward(concealed.grade(), int64(concealed.deaths+concealed.missing))
			r.reset()
			r.set("report_id", id)
			r.set("received_on", dateCell(d))
			r.set("channel", safetyrisk.ReportChannels.NameOf("hotline_12350"))
			r.set("region", g.regionName(e.region))
			r.set("sector", g.sectorName(e.sector))
			r.set("enterprise_id", e.id)
			r.set("subject", safetyrisk.ReportSubjects.NameOf("concealed_accident"))
			r.set("verified_on", dateCell(verified))
			r.set("substantiated", boolCell(true))
			r.set("reward", strconv.FormatFloat(reward, 'f', -1, 64))
			if !paid.After(g.to) {
				r.set("reward_paid_on", dateCell(paid))
			}
			r.set("reporter_name", fakeName(rng))
			r.set("reporter_phone", fakePhone(rng))
			r.set("reporter_id_number", fakeIDNumber(rng, g.prof.Regions[e.region].Code))
			if err := g.emit(s, 0, r, id, dirtyNever); err != nil {
				return err
			}
			if err := g.addStory(StoryConcealedReport, "reports", id, g.prof.Regions[e.region].Code, sectorOrder[e.sector],
				fmt.Sprintf("reveals accident %s (%d deaths); reward %.0f yuan", concealed.id, concealed.deaths, reward)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) fillReport(rng *rand.Rand, r *row, id string, d time.Time) {
	r.reset()
	r.set("report_id", id)
	r.set("received_on", dateCell(d))
	r.set("channel", safetyrisk.ReportChannels.NameOf(reportChannels[pick(rng, reportChannelWeights)]))
	subject := reportSubjects[pick(rng, reportSubjectWeights)]
	r.set("subject", safetyrisk.ReportSubjects.NameOf(subject))
	e := &g.ents[rng.IntN(len(g.ents))]
	r.set("region", g.regionName(e.region))
	if subject != "other" || rng.Float64() < 0.6 {
		r.set("sector", g.sectorName(e.sector))
		r.set("enterprise_id", e.id)
	}
	days := between(rng, 5, 55)
	if rng.Float64() < 0.12 {
		days = between(rng, 61, 80) // past the 60 days of 安监总财〔2018〕19号
	}
	verified := d.AddDate(0, 0, days)
	if !verified.After(g.to) {
		r.set("verified_on", dateCell(verified))
		// A random report of a concealed accident is never substantiated: the one
		// substantiated is the story's.
		sub := subject != "concealed_accident" && rng.Float64() < SubstantiatedProb
		r.set("substantiated", boolCell(sub))
		if sub && (subject == "major_hazard" || subject == "illegal_activity") {
			fine := float64(between(rng, 20, 800) * 1000)
			reward := math.Round(min(max(fine*safetyrisk.RewardShareOfFine, safetyrisk.RewardMin), safetyrisk.RewardMax)/100) * 100
			r.set("reward", strconv.FormatFloat(reward, 'f', -1, 64))
			paid := verified.AddDate(0, 0, between(rng, 10, 90))
			if rng.Float64() < RewardPaidProb && !paid.After(g.to) {
				r.set("reward_paid_on", dateCell(paid))
			}
		}
	}
	if rng.Float64() >= AnonymousProb {
		r.set("reporter_name", fakeName(rng))
		if rng.Float64() < 0.9 {
			r.set("reporter_phone", fakePhone(rng))
		}
		if rng.Float64() < 0.5 {
			r.set("reporter_id_number", fakeIDNumber(rng, g.prof.Regions[e.region].Code))
		}
	}
}

// genAssessments writes each operating enterprise's quarterly risk assessment (M22).
func (g *generator) genAssessments(ctx context.Context) error {
	rng := g.rng("risk_assessments")
	s := g.newSink(safetyrisk.RiskAssessments, true)
	r := newRow(safetyrisk.RiskAssessments)
	seq := map[int]int{}
	q := time.Date(g.from.Year(), (g.from.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	for ; !q.After(g.to); q = q.AddDate(0, 3, 0) {
		if err := ctx.Err(); err != nil {
			return err
		}
		lo, hi := q, q.AddDate(0, 3, -1)
		if lo.Before(g.from) {
			lo = g.from
		}
		if hi.After(g.to) {
			hi = g.to
		}
		span := int(hi.Sub(lo).Hours()/24) + 1
		for i := range g.ents {
			e := &g.ents[i]
			if e.status != 0 || rng.Float64() >= AssessmentProb {
				continue
			}
			d := lo.AddDate(0, 0, rng.IntN(span))
			lvl := e.risk
			if rng.Float64() < 0.1 {
				lvl = min(3, max(0, lvl+[]int{-1, 1}[rng.IntN(2)]))
			}
			y := q.Year()
			seq[y]++
			id := fmt.Sprintf("PG%d%07d", y, seq[y])
			r.reset()
			r.set("assessment_id", id)
			r.set("enterprise_id", e.id)
			r.set("assessed_on", dateCell(d))
			r.set("risk_level", safetyrisk.RiskLevels.NameOf(riskLevelCodes[lvl]))
			r.set("published", boolCell(rng.Float64() < PublishedProb))
			if err := g.emit(s, y, r, id, dirtyAny); err != nil {
				return err
			}
		}
	}
	return nil
}

// govEvent is one governance record, kept in memory (a few hundred a year) to be
// written in date order.
type govEvent struct {
	region           int
	sector           string
	department, kind string
	on               time.Time
	subject          string
	p                policy
}

// genGovernance writes the leaders' and departments' duty records (M2, M9, M13, M21,
// M28, M61): half-yearly party-committee and government meetings (skipped once by the
// story region), quarterly safety-committee meetings, monthly supervision tours,
// listed supervision, interviews after large and sensitive-period accidents, and the
// escalated investigation of the concealed accident.
func (g *generator) genGovernance(ctx context.Context) error {
	rng := g.rng("governance")
	var ev []govEvent
	inRange := func(d time.Time) bool { return !d.Before(g.from) && !d.After(g.to) }
	randDay := func(lo, hi time.Time) time.Time {
		return lo.AddDate(0, 0, rng.IntN(int(hi.Sub(lo).Hours()/24)+1))
	}
	skipRegion := g.regionIndex(g.story.skipRegion)
	for ri, reg := range g.prof.Regions {
		// Half-years.
		for h := time.Date(g.from.Year(), 1, 1, 0, 0, 0, 0, time.UTC); !h.After(g.to); h = h.AddDate(0, 6, 0) {
			if ri == skipRegion && h.Equal(g.story.skipHalfStart) {
				continue
			}
			end := h.AddDate(0, 6, -1)
			for _, k := range []struct{ kind, dept string }{{"party_committee_meeting", reg.Name + "委"}, {"government_meeting", reg.Name + "人民政府"}} {
				d := randDay(h, end.AddDate(0, 0, -20))
				if inRange(d) {
					ev = append(ev, govEvent{region: ri, department: k.dept, kind: k.kind, on: d, subject: "专题研究安全生产工作", p: dirtyAccept})
				}
			}
		}
		// Quarters and months.
		for m := time.Date(g.from.Year(), g.from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(g.to); m = m.AddDate(0, 1, 0) {
			end := m.AddDate(0, 1, -1)
			if (m.Month()-1)%3 == 0 {
				if d := randDay(m, end); inRange(d) {
					ev = append(ev, govEvent{region: ri, department: reg.Name + "安全生产委员会", kind: "safety_committee_meeting", on: d, subject: "季度安全生产形势分析", p: dirtyAccept})
				}
			}
			if d := randDay(m, end); inRange(d) {
				ev = append(ev, govEvent{region: ri, department: g.prof.City.Name + "安委办", kind: "supervision_tour", on: d, subject: "安全生产督导检查", p: dirtyAny})
			}
			if rng.Float64() < ListedSupervisionPerYear/12.0 {
				if d := randDay(m, end); inRange(d) {
					sec := []string{"coal_mine", "hazardous_chemicals", "non_coal_mine", "construction", "gas"}[rng.IntN(5)]
					ev = append(ev, govEvent{region: ri, sector: sec, department: g.prof.City.Name + "安委会", kind: "listed_supervision", on: d, subject: "重大事故隐患挂牌督办", p: dirtyAny})
				}
			}
		}
	}
	for _, a := range g.acc {
		e := &g.ents[a.ent]
		sec := sectorOrder[e.sector]
		switch {
		case a.grade() >= safetyrisk.GradeLarge || (a.sensitive && a.deaths > 0):
			// M21: a large accident, or a fatal one in a sensitive period, brings an interview.
			if d := dateOnly(a.at).AddDate(0, 0, between(rng, 3, 10)); inRange(d) {
				p := dirtyAny
				if a.story != "" {
					p = dirtyNever
				}
				ev = append(ev, govEvent{region: e.region, sector: sec, department: g.prof.City.Name + "安委会", kind: "interview", on: d,
					subject: "约谈" + g.regionName(e.region) + "政府主要负责人（" + a.id + "）", p: p})
			}
		}
		if a.story == StoryConcealedAccident {
			// M58-M61: concealment is escalated.
			for i, k := range []string{"escalated_investigation", "listed_supervision"} {
				if d := dateOnly(a.reported).AddDate(0, 0, 3+i); inRange(d) {
					ev = append(ev, govEvent{region: e.region, sector: sec, department: g.prof.City.Name + "安委会", kind: k, on: d,
						subject: "瞒报事故" + a.id, p: dirtyNever})
				}
			}
		}
	}
	slices.SortStableFunc(ev, func(a, b govEvent) int {
		if c := a.on.Compare(b.on); c != 0 {
			return c
		}
		if c := a.region - b.region; c != 0 {
			return c
		}
		return strings.Compare(a.kind, b.kind)
	})
	s := g.newSink(safetyrisk.Governance, false)
	r := newRow(safetyrisk.Governance)
	seq := map[int]int{}
	for _, e := range ev {
		y := e.on.Year()
		seq[y]++
		id := fmt.Sprintf("LZ%d%05d", y, seq[y])
		r.reset()
		r.set("event_id", id)
		r.set("region", g.regionName(e.region))
		if e.sector != "" {
			r.set("sector", g.prof.SectorName(e.sector))
		}
		r.set("department", e.department)
		r.set("held_on", dateCell(e.on))
		r.set("kind", safetyrisk.GovernanceKinds.NameOf(e.kind))
		r.set("subject", e.subject)
		if err := g.emit(s, 0, r, id, e.p); err != nil {
			return err
		}
	}
	h := g.story.skipHalfStart
	half := "H1"
	if h.Month() > 6 {
		half = "H2"
	}
	return g.addStory(StorySkippedMeeting, "governance", "", g.story.skipRegion, "",
		fmt.Sprintf("no party_committee_meeting or government_meeting in %d%s (M2, M9)", h.Year(), half))
}
