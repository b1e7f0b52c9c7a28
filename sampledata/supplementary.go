package sampledata

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Supplementary reports (补报) of changed casualties, Decree 493 art. 13: within 30 days
// of the accident (7 for road traffic and fire), a change in its casualties is reported
// again. The accidents file keeps the final casualties; a notification's figures are
// those known when it was made, so an accident whose casualties changed has a first
// report (首报) with lower figures and, mostly within the term, a 补报 with the final
// ones. The draws come from their own stream ("supplementary"), so the notifications'
// first reports and every other table are those of a generator without 补报.

// Stories of the supplementary reports.
const (
	// StoryLateSupplement: the 较大 accident's first report gave 2 deaths (a general
	// accident); two of the seriously injured died on day 12, making it 较大, and the 补报
	// came on day 40, 10 days after the 30-day term (Decree 493 art. 13).
	StoryLateSupplement = "late_supplement"
	// StoryLateRoadSupplement: a road transport accident's 补报 on day 15: within the 30
	// days of most accidents, but after the 7 days of a road traffic accident.
	StoryLateRoadSupplement = "late_road_supplement"
)

// The stories' days after the accident: the change, then the 补报.
const (
	lateSupplementChangeDay = 12
	lateSupplementDay       = 40
	roadSupplementChangeDay = 3
	roadSupplementDay       = 15
)

// supplement is a planned 补报.
type supplement struct {
	a               *accident
	region, dept    string
	deaths, serious int // the final figures, which the 补报 states
	changed, at     time.Time
	story           string
	first           [2]int // the first report's deaths and serious injuries, for the story
}

// supplements plans the 补报 while genNotifications writes the first reports.
type supplements struct {
	g       *generator
	rng     *rand.Rand
	end     time.Time // the day after --to
	road    *accident // StoryLateRoadSupplement's accident, nil when none fits
	planned []supplement
}

func (g *generator) newSupplements() *supplements {
	sp := &supplements{g: g, rng: g.rng("supplementary"), end: g.to.AddDate(0, 0, 1)}
	// The road story: the latest road transport accident with casualties whose 补报 day
	// falls in the period.
	for _, a := range slices.Backward(g.acc) {
		if sectorOrder[g.ents[a.ent].sector] == "road_transport" && a.story == "" && a.deaths+a.missing+a.serious > 0 &&
			dateOnly(a.at).AddDate(0, 0, roadSupplementDay).Before(sp.end) {
			sp.road = a
			break
		}
	}
	return sp
}

// first returns the casualties the first report of accident a states (deaths with the
// missing, serious injuries), and plans its 补报 when they changed.
func (sp *supplements) first(a *accident, region, dept string) (int, int) {
	deaths, serious := a.deaths+a.missing, a.serious
	e := &sp.g.ents[a.ent]
	sector := sectorOrder[e.sector]
	day0 := dateOnly(a.at)
	plan := func(changeDay, day int, story string, first [2]int) {
		s := supplement{a: a, region: region, dept: dept, deaths: deaths, serious: serious,
			changed: day0.AddDate(0, 0, changeDay), story: story, first: first}
		if day >= 0 {
			s.at = day0.AddDate(0, 0, day).Add(time.Duration(9+changeDay%8)*time.Hour + time.Duration(day*7%60)*time.Minute)
		}
		if s.at.IsZero() || s.at.Before(sp.end) {
			sp.planned = append(sp.planned, s)
		}
	}
	switch {
	case a.story == StoryLargeAccident && deaths >= 2 && day0.AddDate(0, 0, lateSupplementDay).Before(sp.end):
		first := [2]int{deaths - 2, serious + 2} // two of the seriously injured died
		plan(lateSupplementChangeDay, lateSupplementDay, StoryLateSupplement, first)
		return first[0], first[1]
	case a == sp.road:
		first := lowered(deaths, serious)
		plan(roadSupplementChangeDay, roadSupplementDay, StoryLateRoadSupplement, first)
		return first[0], first[1]
	case deaths+serious == 0 || a.story != "":
		return deaths, serious
	}
	if sp.rng.Float64() >= SupplementShare {
		return deaths, serious
	}
	term := safetyrisk.SupplementaryTerm(sector, a.class)
	change := between(sp.rng, 1, min(term-1, 20))
	v := sp.rng.Float64()
	day := change + between(sp.rng, 0, min(3, term-change))
	switch {
	case v < SupplementNeverShare:
		day = -1
	case v < SupplementNeverShare+SupplementLateShare:
		day = term + between(sp.rng, 1, 25)
	}
	if !day0.AddDate(0, 0, change).Before(sp.end) {
		return deaths, serious // the change would come after --to: not yet known
	}
	first := lowered(deaths, serious)
	plan(change, day, "", first)
	return first[0], first[1]
}

// lowered is what a first report said before the casualties changed: one death fewer
// and one more seriously injured (who died later), or with no death one serious
// injury fewer (an injury that proved serious).
func lowered(deaths, serious int) [2]int {
	if deaths > 0 {
		return [2]int{deaths - 1, serious + 1}
	}
	return [2]int{0, serious - 1}
}

// write emits the planned 补报 in the order the committee office received them, after
// the first reports (whose rows and ids are those of a generator without 补报), and
// records the stories.
func (sp *supplements) write(s *sink, r *row) error {
	slices.SortStableFunc(sp.planned, func(x, y supplement) int { return x.at.Compare(y.at) })
	seq := 0
	for _, p := range sp.planned {
		if p.at.IsZero() {
			continue // never reported
		}
		seq++
		id := fmt.Sprintf("BB%d%05d", p.at.Year(), seq)
		r.reset()
		r.set("notification_id", id)
		r.set("accident_id", p.a.id)
		r.set("region", p.region)
		r.set("department", p.dept)
		r.set("notified_at", timeCell(p.at))
		r.set("kind", safetyrisk.NotificationKinds.NameOf("supplementary"))
		r.set("deaths", itoa(p.deaths))
		r.set("serious_injuries", itoa(p.serious))
		r.set("changed_on", dateCell(p.changed))
		if err := sp.g.emit(s, 0, r, id, dirtyNever); err != nil {
			return err
		}
		if p.story == "" {
			continue
		}
		e := &sp.g.ents[p.a.ent]
		sector := sectorOrder[e.sector]
		term := safetyrisk.SupplementaryTerm(sector, p.a.class)
		day0 := dateOnly(p.a.at)
		days := int(dateOnly(p.at).Sub(day0).Hours() / 24)
		first := safetyrisk.AccidentGrade(int64(p.first[0]), int64(p.first[1]), p.a.loss)
		if err := sp.g.addStory(p.story, "notifications", id, sp.g.prof.Regions[e.region].Code, sector,
			fmt.Sprintf("accident %s: first report %d deaths and %d seriously injured (%s), %d and %d from %s (day %d); 补报 on %s, day %d, %d days after the %d-day term (Decree 493 art. 13)",
				p.a.id, p.first[0], p.first[1], first, p.deaths, p.serious, dateCell(p.changed), int(p.changed.Sub(day0).Hours()/24),
				dateCell(p.at), days, days-term, term)); err != nil {
			return err
		}
	}
	return nil
}
