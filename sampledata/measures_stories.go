package sampledata

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Stories planted for the measures register's indicators (indicators_measures.go).
const (
	// StoryRepeatOffender: an enterprise fined 3 times in the last 180 days of the period
	// while a major hazard of its own stays open past its deadline: a closure candidate
	// (Work Safety Law art. 113(1), M44) and an overdue major hazard whose enterprise was
	// never ordered to stop (M28). Its region is the one with the most operating
	// industry-and-trade enterprises (metallurgy), found from the data, not named.
	StoryRepeatOffender = "repeat_offender"
)

// repeatOffenderSector is the story's sector: industry and trade, not the overdue-hazard
// story's sector, so that neither story moves the other's numbers.
const repeatOffenderSector = "industry_trade"

// Days before the end of the period: the hazard is found, its 30-day deadline passes,
// then the three fines come 30 days apart, all within the 180 days ending on --to.
const (
	repeatHazardDaysBefore = 130
	repeatDeadlineDays     = 30
)

var repeatFineDaysBefore = []int{100, 70, 40}

// repeatOffender picks the story's enterprise: the first operating enterprise of the
// story sector in the region that has most of them; ok is false when there is none.
func (g *generator) repeatOffender() (int32, bool) {
	si, ok := g.sectorIx[repeatOffenderSector]
	if !ok {
		return 0, false
	}
	ns := len(sectorOrder)
	best, bestN := -1, 0
	for ri := range g.prof.Regions {
		n := 0
		for _, ei := range g.byRS[ri*ns+si] {
			if g.ents[ei].status == 0 {
				n++
			}
		}
		if n > bestN {
			best, bestN = ri, n
		}
	}
	if best < 0 {
		return 0, false
	}
	for _, ei := range g.byRS[best*ns+si] {
		if g.ents[ei].status == 0 {
			return ei, true
		}
	}
	return 0, false
}

// genMeasureStories writes the measures register's stories: for now the repeat
// offender, as one hazard (its own file) and three enforcement cases.
func (g *generator) genMeasureStories(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ei, ok := g.repeatOffender()
	if !ok {
		return nil
	}
	e := &g.ents[ei]
	found := g.to.AddDate(0, 0, -repeatHazardDaysBefore)
	if found.Before(g.from) {
		return nil // a period shorter than the story
	}
	hz := g.newSink(safetyrisk.Hazards, false)
	hz.base = "hazards_repeat_offender"
	h := newRow(safetyrisk.Hazards)
	hid := fmt.Sprintf("YHCF%d%04d", found.Year(), 1)
	h.set("hazard_id", hid)
	h.set("enterprise_id", e.id)
	h.set("region", g.regionName(e.region))
	h.set("sector", g.sectorName(e.sector))
	h.set("found_on", dateCell(found))
	h.set("level", safetyrisk.HazardLevels.NameOf("major"))
	h.set("category", "设备设施")
	h.set("description", "冶炼炉冷却水系统失效未整改")
	h.set("deadline", dateCell(found.AddDate(0, 0, repeatDeadlineDays)))
	h.set("status", safetyrisk.HazardStatuses.NameOf("rectifying"))
	h.set("five_implementations", boolCell(true))
	h.set("listed_supervision", boolCell(false))
	h.set("in_ledger", boolCell(true)) // in its own ledger: not an M31 accident-equivalent
	h.set("source", safetyrisk.HazardSources.NameOf("self_check"))
	if err := g.emit(hz, 0, h, hid, dirtyNever); err != nil {
		return err
	}
	r := newRow(safetyrisk.Enforcement)
	var cases []string
	for _, before := range repeatFineDaysBefore {
		d := g.to.AddDate(0, 0, -before)
		id := g.caseID(d)
		r.reset()
		r.set("case_id", id)
		r.set("enterprise_id", e.id)
		r.set("region", g.regionName(e.region))
		r.set("sector", g.sectorName(e.sector))
		r.set("decided_on", dateCell(d))
		r.set("actions", actionNames([]string{"fine"}))
		r.set("fine", strconv.Itoa(50_000))
		r.set("legal_basis", "《中华人民共和国安全生产法》第一百零二条")
		r.set("recorded", boolCell(true))
		r.set("publicized", boolCell(true))
		r.set("legal_review", boolCell(false))
		r.set("major_decision", boolCell(false))
		r.set("transferred", boolCell(false))
		r.set("illegal_subcontracting", boolCell(false))
		if err := g.emit(g.enf, 0, r, id, dirtyNever); err != nil {
			return err
		}
		cases = append(cases, id)
	}
	return g.addStory(StoryRepeatOffender, "enforcement", e.id, g.prof.Regions[e.region].Code, repeatOffenderSector,
		fmt.Sprintf("major hazard %s open since %s, deadline %s passed; fined by %v within 180 days of %s (Work Safety Law art. 113(1), M28, M44)",
			hid, dateCell(found), dateCell(found.AddDate(0, 0, repeatDeadlineDays)), cases, g.to.Format(time.DateOnly)))
}
