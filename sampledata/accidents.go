package sampledata

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// accident is kept in memory (tens to thousands): enforcement, reports and governance
// refer to it.
type accident struct {
	id                              string
	at, reported                    time.Time
	ent                             int32
	class                           string
	deaths, missing, serious, minor int
	loss                            float64
	violation                       string
	sensitive                       bool
	statedGrade                     bool
	story                           string
	decided                         time.Time // enforcement decision (zero: still pending at --to)
	fineOnly                        bool
	inspected                       bool // its accident investigation has been written
}

func (a *accident) grade() safetyrisk.Grade {
	return safetyrisk.AccidentGrade(int64(a.deaths+a.missing), int64(a.serious), a.loss)
}

// sensitivePeriod says whether a day falls in a politically sensitive period (M21):
// Spring Festival (late January to mid-February, approximated), the Two Sessions
// (1-15 March) and National Day (28 September to 8 October).
func sensitivePeriod(d time.Time) bool {
	m, day := d.Month(), d.Day()
	switch {
	case m == time.January && day >= 20, m == time.February && day <= 15:
		return true
	case m == time.March && day <= 15:
		return true
	case m == time.September && day >= 28, m == time.October && day <= 8:
		return true
	}
	return false
}

// seasonFactor is the month's relative activity of a sector: construction works April
// to November, gas peaks in the heating season.
func seasonFactor(sector string, m time.Month) float64 {
	switch sector {
	case "construction":
		if m >= time.April && m <= time.November {
			return ConstructionSeasonFactor
		}
		return ConstructionWinterFactor
	case "gas":
		if m >= time.November || m <= time.March {
			return GasWinterFactor
		}
		return GasSummerFactor
	}
	return 1
}

func (g *generator) pickEnterprise(rng *rand.Rand, region, sector int) int32 {
	var pool []int32
	if region >= 0 {
		pool = g.byRS[region*len(sectorOrder)+sector]
	} else {
		pool = g.bySector[sector]
	}
	for try := 0; try < 20; try++ {
		e := pool[rng.IntN(len(pool))]
		if g.ents[e].status == 0 {
			return e
		}
	}
	return pool[0] // the first of each region-sector pair is always operating
}

func (g *generator) genAccidents(ctx context.Context) error {
	rng := g.rng("accidents")
	for m := time.Date(g.from.Year(), g.from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(g.to); m = m.AddDate(0, 1, 0) {
		last := m.AddDate(0, 1, -1)
		for si, sec := range sectorOrder {
			if len(g.bySector[si]) == 0 {
				continue
			}
			n := poisson(rng, accidentsPerYear[sec]*g.cfg.Scale/12*seasonFactor(sec, m.Month()))
			for k := 0; k < n; k++ {
				day := m.AddDate(0, 0, rng.IntN(last.Day()))
				if day.Before(g.from) || day.After(g.to) {
					continue
				}
				a := &accident{ent: g.pickEnterprise(rng, -1, si)}
				hour := []int{8, 9, 10, 11, 14, 15, 16, 17, 19, 21, 2, 5}[rng.IntN(12)]
				a.at = day.Add(time.Duration(hour)*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
				cls := accidentClasses[sec]
				a.class = cls[min(rng.IntN(len(cls)), rng.IntN(len(cls)))] // earlier classes more frequent
				if rng.Float64() < FatalShare {
					a.deaths = 1
					if rng.Float64() < 0.1 {
						a.deaths = 2
					}
					a.serious = rng.IntN(3)
					a.loss = float64(between(rng, 5000, 50000) * 100)
				} else {
					a.serious = rng.IntN(4)
					a.minor = rng.IntN(5)
					if a.serious+a.minor == 0 {
						a.minor = 1
					}
					a.loss = float64(between(rng, 200, 20000) * 100)
				}
				delay := between(rng, 8, 55)
				a.violation = "none"
				if rng.Float64() < LateReportProb {
					delay = between(rng, 61, 300)
					a.violation = "late"
				}
				a.reported = a.at.Add(time.Duration(delay) * time.Minute)
				a.sensitive = sensitivePeriod(day)
				a.statedGrade = rng.Float64() < 0.9
				g.acc = append(g.acc, a)
			}
		}
	}
	// The planted accidents.
	sp := &g.story
	large := &accident{ent: g.pickEnterprise(rng, g.regionIndex(sp.largeRegion), g.sectorIx[sp.largeSector]), at: sp.largeAt,
		class: "roof_fall", deaths: 4, serious: 2, minor: 3, loss: 6_850_000, violation: "none", statedGrade: true, story: StoryLargeAccident}
	large.reported = large.at.Add(42 * time.Minute)
	large.sensitive = sensitivePeriod(large.at)
	fo := &accident{ent: g.pickEnterprise(rng, g.regionIndex(sp.fineOnlyRegion), g.sectorIx[sp.fineOnlySector]), at: sp.fineOnlyAt,
		class: "machinery", deaths: 1, minor: 1, loss: 1_260_000, violation: "none", statedGrade: true, story: StoryFineOnlyFatal, fineOnly: true}
	fo.reported = fo.at.Add(35 * time.Minute)
	fo.sensitive = sensitivePeriod(fo.at)
	con := &accident{ent: g.pickEnterprise(rng, g.regionIndex(sp.concealedRegion), g.sectorIx[sp.concealedSector]), at: sp.concealedAt,
		class: "collapse", deaths: 2, serious: 1, loss: 2_300_000, violation: "concealed", statedGrade: true, story: StoryConcealedAccident}
	// Revealed by the whistleblower: reported on the day the report was verified.
	con.reported = g.concealedVerified().Add(9*time.Hour + 30*time.Minute)
	con.sensitive = sensitivePeriod(con.at)
	g.acc = append(g.acc, large, fo, con)
	for _, l := range sp.late {
		a := &accident{ent: g.pickEnterprise(rng, g.regionIndex(l.region), g.sectorIx[l.sector]), at: l.at,
			class: accidentClasses[l.sector][0], deaths: 1, serious: 1, loss: 980_000, violation: "late", statedGrade: true, story: StoryLateReport}
		a.reported = a.at.Add(time.Duration(l.delayMinutes) * time.Minute)
		a.sensitive = sensitivePeriod(a.at)
		g.acc = append(g.acc, a)
	}
	slices.SortStableFunc(g.acc, func(a, b *accident) int { return a.at.Compare(b.at) })
	seq := map[int]int{}
	for _, a := range g.acc {
		seq[a.at.Year()]++
		a.id = fmt.Sprintf("SG%d%04d", a.at.Year(), seq[a.at.Year()])
	}

	s := g.newSink(safetyrisk.Accidents, true)
	// Offices sometimes report the loss in 万元: the file of the second year does.
	s.wanYears = map[int]bool{g.from.Year() + 1: true}
	r := newRow(safetyrisk.Accidents)
	for _, a := range g.acc {
		e := &g.ents[a.ent]
		sec := sectorOrder[e.sector]
		r.reset()
		r.set("accident_id", a.id)
		r.set("occurred_at", timeCell(a.at))
		r.set("reported_at", timeCell(a.reported))
		r.set("region", g.regionName(e.region))
		r.set("sector", g.sectorName(e.sector))
		r.set("enterprise_id", e.id)
		r.set("accident_type", safetyrisk.AccidentTypes.NameOf(a.class))
		r.set("deaths", itoa(a.deaths))
		r.set("missing", itoa(a.missing))
		r.set("serious_injuries", itoa(a.serious))
		r.set("minor_injuries", itoa(a.minor))
		r.set("direct_loss", strconv.FormatFloat(a.loss, 'f', -1, 64))
		if a.statedGrade {
			r.set("stated_grade", a.grade().Chinese())
		}
		r.set("reporting_violation", safetyrisk.ReportingViolations.NameOf(a.violation))
		r.set("sensitive_period", boolCell(a.sensitive))
		r.set("description", fmt.Sprintf("%s发生一起%s事故，造成%d人死亡、%d人重伤、%d人轻伤", g.regionName(e.region),
			safetyrisk.AccidentTypes.NameOf(a.class), a.deaths, a.serious, a.minor))
		p := dirtyAccept
		if a.story != "" {
			p = dirtyNever
		}
		if err := g.emit(s, a.at.Year(), r, a.id, p); err != nil {
			return err
		}
		region, sector := g.prof.Regions[e.region].Code, sec
		if a.story != "" && a.story != StoryLateReport {
			if err := g.addStory(a.story, "accidents", a.id, region, sector,
				fmt.Sprintf("deaths=%d grade=%s year=%d", a.deaths, a.grade(), a.at.Year())); err != nil {
				return err
			}
		}
		if a.reported.Sub(a.at) > safetyrisk.ReportDeadline {
			if err := g.addStory(StoryLateReport, "accidents", a.id, region, sector,
				fmt.Sprintf("reported %.0f min after (violation %s)", a.reported.Sub(a.at).Minutes(), a.violation)); err != nil {
				return err
			}
		}
	}
	return g.genAccidentCases(rng)
}

// concealedVerified is the day the whistleblower report on the concealed accident was
// verified: received 12 days after the accident, verified 18 days later.
func (g *generator) concealedVerified() time.Time {
	return dateOnly(g.story.concealedAt).AddDate(0, 0, 12+18)
}

func (g *generator) concealedReceived() time.Time {
	return dateOnly(g.story.concealedAt).AddDate(0, 0, 12)
}

// caseID numbers enforcement decisions per year, as a bureau's register does: the
// city's one-character abbreviation (the first of its short name: 鄂 for Ordos, 包
// for Baotou), 应急罚, the year and a sequence.
func (g *generator) caseID(decided time.Time) string {
	y := decided.Year()
	g.caseSeq[y]++
	abbr := []rune(g.prof.City.Short + g.prof.City.Name)[0]
	return fmt.Sprintf("%c应急罚〔%d〕%06d号", abbr, y, g.caseSeq[y])
}

// genAccidentCases writes the enforcement case of every accident decided by --to (20-90
// days after it, 30-60 for a fatal one; the investigation period is an assumption): the
// unit's fine in its grade's range (Work Safety Law art. 114), and for a fatal
// accident the transfer of the responsible persons to the judiciary (M50), except the
// planted fine-only case.
func (g *generator) genAccidentCases(rng *rand.Rand) error {
	g.enf = g.newSink(safetyrisk.Enforcement, false)
	r := newRow(safetyrisk.Enforcement)
	for _, a := range g.acc {
		decided := dateOnly(a.at).AddDate(0, 0, between(rng, 20, 90))
		if a.deaths+a.missing > 0 {
			decided = dateOnly(a.at).AddDate(0, 0, between(rng, 30, 60))
		}
		if a.story != "" {
			decided = dateOnly(a.at).AddDate(0, 0, 45)
			if a.story == StoryConcealedAccident {
				decided = dateOnly(a.reported).AddDate(0, 0, 30)
			}
		}
		if decided.After(g.to) {
			// Still under investigation at --to: no case yet, listed so that a check of
			// fatal accidents without a transfer (M50) can tell pending from fine-only.
			if err := g.addStory(StoryCasePending, "accidents", a.id, g.prof.Regions[g.ents[a.ent].region].Code,
				sectorOrder[g.ents[a.ent].sector], fmt.Sprintf("deaths=%d, no enforcement decision by %s", a.deaths+a.missing, dateCell(g.to))); err != nil {
				return err
			}
			continue
		}
		a.decided = decided
		e := &g.ents[a.ent]
		gr := a.grade()
		fr := safetyrisk.AccidentFineRange(gr)
		fine := math.Round((fr.Min+rng.Float64()*(fr.Max-fr.Min))/10000) * 10000
		actions := []string{"fine"}
		transfer := a.deaths+a.missing > 0 && !a.fineOnly
		if gr >= safetyrisk.GradeLarge {
			actions = append(actions, "suspension")
		}
		if transfer {
			actions = append(actions, "transfer")
		}
		id := g.caseID(decided)
		r.reset()
		g.setCase(r, id, e, decided, actions)
		r.set("accident_id", a.id)
		r.set("fine", strconv.FormatFloat(fine, 'f', -1, 64))
		r.set("legal_basis", "《中华人民共和国安全生产法》第一百一十四条")
		r.set("recorded", boolCell(true))
		r.set("publicized", boolCell(true))
		r.set("legal_review", boolCell(true))
		r.set("major_decision", boolCell(true))
		r.set("transferred", boolCell(transfer))
		r.set("illegal_subcontracting", boolCell(sectorOrder[e.sector] == "construction" && rng.Float64() < 0.2))
		p := dirtyAccept
		if a.story != "" {
			p = dirtyNever
		}
		if err := g.emit(g.enf, 0, r, id, p); err != nil {
			return err
		}
		if a.fineOnly {
			if err := g.addStory(StoryFineOnlyFatal, "enforcement", id, g.prof.Regions[e.region].Code, sectorOrder[e.sector],
				fmt.Sprintf("case of accident %s: fine %.0f yuan, no transfer", a.id, fine)); err != nil {
				return err
			}
		}
	}
	return nil
}

// actionNames joins the Chinese names of enforcement actions with "、", as offices write.
func actionNames(codes []string) string {
	out := ""
	for i, c := range codes {
		if i > 0 {
			out += "、"
		}
		out += safetyrisk.EnforcementActions.NameOf(c)
	}
	return out
}
