package sampledata

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Departmental inspection kinds and their weights (M27, M29, M47, M48).
var (
	deptKinds       = []string{"routine", "double_random", "special", "covert", "cross_region", "complaint"}
	deptKindWeights = []float64{45, 18, 18, 7, 5, 4}
)

// weekdayFactor spreads inspections over the week (few at weekends); it averages 1.
func weekdayFactor(d time.Time) float64 {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return 0.2
	}
	return 1.32
}

// hazardRow is one hazard of the inspection being generated (the buffer is reused).
type hazardRow struct {
	major, planted bool
	unlisted       bool // the M31 story's hazard
	r              *row
}

// genInspections writes inspections, their hazards and the enforcement cases that
// follow from them, day by day, holding only the current inspection's hazards.
func (g *generator) genInspections(ctx context.Context) error {
	rng := g.rng("inspections")
	ins := g.newSink(safetyrisk.Inspections, true)
	hz := g.newSink(safetyrisk.Hazards, true)
	ir := newRow(safetyrisk.Inspections)
	cr := newRow(safetyrisk.Enforcement)
	var buf []hazardRow
	inspSeq, hazSeq := map[int]int{}, map[int]int{}

	// Inspection targeting weights (M46): risk level, operating state and season.
	cum := func(month time.Month) []float64 {
		out := make([]float64, len(g.ents))
		sum := 0.0
		for i, e := range g.ents {
			w := inspectionWeight[e.risk] * seasonFactor(sectorOrder[e.sector], month)
			switch e.status {
			case 1:
				w *= 0.3
			case 2:
				w = 0
			}
			sum += w
			out[i] = sum
		}
		return out
	}
	var weights []float64
	var weightsMonth time.Month
	buckets := make([][]int32, 31)
	zeroRegion := g.regionIndex(g.story.zeroFindingRegion)
	overdueSector := g.sectorIx[g.story.overdueSector]
	planted := map[string]int{} // month "2024-05" -> planted so far (lookups only)
	accNext := 0

	type job struct {
		ent  int32
		kind string
		acc  *accident
	}
	var jobs []job

	for d := g.from; !d.After(g.to); d = d.AddDate(0, 0, 1) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if weights == nil || d.Month() != weightsMonth {
			weights, weightsMonth = cum(d.Month()), d.Month()
		}
		if d.Day() == 1 || d.Equal(g.from) {
			g.planSelfChecks(rng, d, buckets)
		}
		jobs = jobs[:0]
		// An accident brings an investigation of its enterprise the next day.
		for accNext < len(g.acc) && !dateOnly(g.acc[accNext].at).AddDate(0, 0, 1).After(d) {
			a := g.acc[accNext]
			accNext++
			if dateOnly(a.at).AddDate(0, 0, 1).Equal(d) && a.story != StoryConcealedAccident {
				jobs = append(jobs, job{a.ent, "accident", a})
			}
		}
		n := poisson(rng, DeptInspectionsPerYear*g.cfg.Scale/365*weekdayFactor(d))
		total := weights[len(weights)-1]
		for k := 0; k < n; k++ {
			e := int32(sort.SearchFloat64s(weights, rng.Float64()*total))
			if int(e) >= len(g.ents) {
				e = int32(len(g.ents) - 1)
			}
			jobs = append(jobs, job{e, deptKinds[pick(rng, deptKindWeights)], nil})
		}
		for _, e := range buckets[d.Day()-1] {
			jobs = append(jobs, job{e, "self_check", nil})
		}
		buckets[d.Day()-1] = buckets[d.Day()-1][:0]

		for _, j := range jobs {
			e := &g.ents[j.ent]
			sec := sectorOrder[e.sector]
			y := d.Year()
			inspSeq[y]++
			inspID := fmt.Sprintf("JC%d%07d", y, inspSeq[y])

			// How many hazards, and which are major.
			nh := 0
			switch {
			case j.kind == "self_check":
				if rng.Float64() >= SelfCheckZeroProb {
					nh = 1 + poisson(rng, SelfCheckHazardsMean-1)
				}
			case e.region == zeroRegion:
				if rng.Float64() >= ZeroFindingStoryProb {
					nh = 1 + poisson(rng, DeptHazardsMean-1)
				}
			default:
				if rng.Float64() >= ZeroFindingProb {
					nh = 1 + poisson(rng, DeptHazardsMean-1)
				}
			}
			majorShare := MajorHazardShare
			if majorProne(sec) {
				majorShare = MajorHazardShareHazardous
			}
			month := d.Format("2006-01")
			plant := e.sector == overdueSector && !d.Before(g.story.overdueWindowStart) &&
				planted[month] < g.story.overdueQuota
			if plant {
				planted[month]++
				nh++
			}
			for len(buf) < nh {
				buf = append(buf, hazardRow{r: newRow(safetyrisk.Hazards)})
			}
			anyMajor := false
			for h := 0; h < nh; h++ {
				hr := &buf[h]
				hr.planted = plant && h == nh-1
				hr.major = hr.planted || rng.Float64() < majorShare
				anyMajor = anyMajor || hr.major
				hazSeq[y]++
				g.fillHazard(rng, hr, fmt.Sprintf("YH%d%08d", y, hazSeq[y]), inspID, e, d, j.kind)
				hr.unlisted = false
				if hr.major && !g.unlistedDone && g.prof.Regions[e.region].Code == g.story.unlistedRegion &&
					!d.Before(g.story.unlistedFrom) && j.kind != "self_check" && j.kind != "complaint" {
					hr.r.set("in_ledger", boolCell(false))
					hr.unlisted, g.unlistedDone = true, true
				}
			}
			// The case that may follow (not for self-checks).
			var caseDecided time.Time
			var caseFine float64
			var caseActions []string
			if j.kind != "self_check" && nh > 0 {
				p := CaseProbGeneral
				if anyMajor {
					p = CaseProbMajor
				}
				if rng.Float64() < p {
					caseDecided = d.AddDate(0, 0, between(rng, 3, 30))
					if anyMajor {
						caseFine = float64(between(rng, FineMajorMin/1000, FineMajorMax/1000) * 1000)
						caseActions = []string{"fine"}
						if rng.Float64() < 0.4 {
							caseActions = append(caseActions, "suspension")
						}
					} else if rng.Float64() < 0.3 {
						caseActions = []string{"warning"}
					} else {
						caseFine = float64(between(rng, FineGeneralMin/1000, FineGeneralMax/1000) * 1000)
						caseActions = []string{"fine"}
					}
				}
			}

			ir.reset()
			ir.set("inspection_id", inspID)
			ir.set("enterprise_id", e.id)
			ir.set("region", g.regionName(e.region))
			ir.set("sector", g.sectorName(e.sector))
			ir.set("inspected_on", dateCell(d))
			ir.set("kind", safetyrisk.InspectionKinds.NameOf(j.kind))
			switch j.kind {
			case "self_check":
				ir.set("department", "企业自查")
				ir.set("led_by_head", boolCell(rng.Float64() < 0.3))
				ir.set("inspectors", itoa(between(rng, 1, 3)))
			case "cross_region":
				other := (e.region + 1 + rng.IntN(len(g.prof.Regions)-1)) % len(g.prof.Regions)
				ir.set("department", g.regionName(other)+departments[sec])
				ir.set("led_by_head", boolCell(rng.Float64() < 0.2))
				ir.set("inspectors", itoa(between(rng, 3, 6)))
			case "accident":
				ir.set("department", g.regionName(e.region)+"应急管理局")
				ir.set("led_by_head", boolCell(true))
				ir.set("inspectors", itoa(between(rng, 3, 8)))
			default:
				dept := g.regionName(e.region) + departments[sec]
				ir.set("department", dept)
				ir.set("led_by_head", boolCell(g.headLeads(rng, dept, d)))
				ir.set("inspectors", itoa(between(rng, 2, 5)))
			}
			ir.set("hazards_found", itoa(nh))
			ir.set("experts", boolCell(g.withExperts(inspID, j.kind, e.region))) // measures_stories.go
			// Only an inspection nothing refers to may be made invalid: a rejected parent
			// would turn its hazards and case into orphans nobody planted.
			p := dirtyAccept
			if nh == 0 && caseDecided.IsZero() {
				p = dirtyAny
			}
			if err := g.emit(ins, y, ir, inspID, p); err != nil {
				return err
			}
			for h := 0; h < nh; h++ {
				hr := &buf[h]
				hp := dirtyAny
				if hr.planted || hr.unlisted {
					hp = dirtyNever
				}
				id := hr.r.get("hazard_id")
				if err := g.emit(hz, y, hr.r, id, hp); err != nil {
					return err
				}
				if hr.unlisted {
					if err := g.addStory(StoryUnlistedMajorHazard, "hazards", id, g.prof.Regions[e.region].Code, sec,
						fmt.Sprintf("major, found %s by inspection %s, not in the enterprise's ledger (M31)", dateCell(d), inspID)); err != nil {
						return err
					}
				}
				if hr.planted {
					if err := g.addStory(StoryOverdueMajorRising, "hazards", id, g.prof.Regions[e.region].Code, sec,
						fmt.Sprintf("major, found %s, deadline %s, never rectified", dateCell(d), hr.r.get("deadline"))); err != nil {
						return err
					}
				}
			}
			if !caseDecided.IsZero() && !caseDecided.After(g.to) {
				if err := g.writeInspectionCase(rng, cr, inspID, e, caseDecided, caseActions, caseFine); err != nil {
					return err
				}
			}
		}
		if err := g.plantOrphans(rng, d, hz, cr); err != nil {
			return err
		}
	}
	w := g.story.overdueWindowStart
	if err := g.addStory(StoryOverdueMajorRising, "hazards", "", "", g.story.overdueSector,
		fmt.Sprintf("window %s..%s, %d never-rectified major hazards planted a month", w.Format("2006-01"), g.to.Format("2006-01"), g.story.overdueQuota)); err != nil {
		return err
	}
	return g.addStory(StoryZeroFinding, "inspections", "", g.story.zeroFindingRegion, "",
		fmt.Sprintf("departmental inspections find nothing with probability %.2f (elsewhere %.2f)", ZeroFindingStoryProb, ZeroFindingProb))
}

// planSelfChecks draws, at the start of a month, which operating enterprises do their
// monthly self-check (M22) and on which day.
func (g *generator) planSelfChecks(rng *rand.Rand, d time.Time, buckets [][]int32) {
	last := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	for i := range g.ents {
		if g.ents[i].status != 0 || rng.Float64() >= SelfCheckMonthlyProb {
			continue
		}
		day := between(rng, d.Day(), last.Day())
		buckets[day-1] = append(buckets[day-1], int32(i))
	}
}

// headLeads says whether the head of dept leads this inspection on day d: M13 asks a
// department head to lead an inspection of the sector every month. In a month the head
// complies (HeadLedMonthlyProb) the first inspection is led; no other is.
func (g *generator) headLeads(rng *rand.Rand, dept string, d time.Time) bool {
	key := dept + d.Format("2006-01")
	state, seen := g.headLed[key]
	if !seen {
		state = rng.Float64() < HeadLedMonthlyProb
	}
	g.headLed[key] = false
	return state
}

func (g *generator) fillHazard(rng *rand.Rand, hr *hazardRow, id, inspID string, e *enterprise, d time.Time, kind string) {
	r := hr.r
	sec := sectorOrder[e.sector]
	r.reset()
	r.set("hazard_id", id)
	r.set("inspection_id", inspID)
	r.set("enterprise_id", e.id)
	r.set("region", g.regionName(e.region))
	r.set("sector", g.sectorName(e.sector))
	r.set("found_on", dateCell(d))
	cat := hazardCatalogue[sec][rng.IntN(len(hazardCatalogue[sec]))]
	r.set("category", cat[0])
	r.set("description", cat[1])
	level, allowed, prob := "general", between(rng, 3, 30), GeneralRectifyProb
	if hr.major {
		level, allowed, prob = "major", between(rng, 30, 90), MajorRectifyProb
	}
	r.set("level", safetyrisk.HazardLevels.NameOf(level))
	if hr.planted {
		allowed = 30
	}
	deadline := d.AddDate(0, 0, allowed)
	r.set("deadline", dateCell(deadline))
	// Most are rectified within LateFactor times the time allowed; the rest much later
	// (a backlog that clears, so only the story sector's overdue count keeps rising).
	done := d.AddDate(0, 0, 1+rng.IntN(int(math.Ceil(float64(allowed)*LateFactor))))
	if rng.Float64() >= prob {
		done = deadline.AddDate(0, 0, between(rng, VeryLateMinDays, VeryLateMaxDays))
	}
	switch {
	case !hr.planted && !done.After(g.to):
		r.set("rectified_on", dateCell(done))
		st := "rectified"
		if done.AddDate(0, 0, 10).Before(g.to) && rng.Float64() < VerifiedProb {
			st = "verified"
		}
		r.set("status", safetyrisk.HazardStatuses.NameOf(st))
	case hr.major || rng.Float64() < 0.5:
		r.set("status", safetyrisk.HazardStatuses.NameOf("rectifying"))
	default:
		r.set("status", safetyrisk.HazardStatuses.NameOf("open"))
	}
	if hr.major {
		r.set("five_implementations", boolCell(rng.Float64() < FiveImplementations))
		r.set("listed_supervision", boolCell(rng.Float64() < ListedSupervisionMajor))
	} else {
		r.set("listed_supervision", boolCell(false))
	}
	source := "inspection"
	inLedger := hr.major || rng.Float64() < InLedgerGeneral
	switch kind {
	case "self_check":
		source, inLedger = "self_check", true
	case "complaint":
		source = "report"
	}
	r.set("in_ledger", boolCell(inLedger))
	r.set("source", safetyrisk.HazardSources.NameOf(source))
}

func (g *generator) writeInspectionCase(rng *rand.Rand, r *row, inspID string, e *enterprise, decided time.Time, actions []string, fine float64) error {
	id := g.caseID(decided)
	r.reset()
	g.setCase(r, id, e, decided, actions)
	r.set("inspection_id", inspID)
	if fine > 0 {
		r.set("fine", strconv.FormatFloat(fine, 'f', -1, 64))
	}
	r.set("legal_basis", "《中华人民共和国安全生产法》第一百零二条")
	major := fine >= 100_000 || len(actions) > 1
	r.set("recorded", boolCell(rng.Float64() < RecordedProb))
	r.set("publicized", boolCell(rng.Float64() < PublicizedProb))
	review := rng.Float64() < 0.3
	if major {
		review = rng.Float64() < LegalReviewProb
	}
	r.set("legal_review", boolCell(review))
	r.set("major_decision", boolCell(major))
	r.set("transferred", boolCell(false))
	r.set("illegal_subcontracting", boolCell(sectorOrder[e.sector] == "construction" && rng.Float64() < 0.08))
	return g.emit(g.enf, 0, r, id, dirtyAny)
}

// plantOrphans writes, on the story days, a hazard whose inspection does not exist
// and an enforcement case naming an enterprise that does not exist.
func (g *generator) plantOrphans(rng *rand.Rand, d time.Time, hz *sink, cr *row) error {
	for _, od := range g.story.orphanHazardDays {
		if !od.Equal(d) {
			continue
		}
		e := &g.ents[rng.IntN(len(g.ents))]
		hr := hazardRow{r: newRow(safetyrisk.Hazards)}
		id := fmt.Sprintf("YH%d%08d", d.Year(), 0) + strconv.Itoa(d.YearDay()) // outside the sequence
		inspID := fmt.Sprintf("JC%d%07d", d.Year(), 0)                         // sequences start at 1
		g.fillHazard(rng, &hr, id, inspID, e, d, "routine")
		if err := g.emit(hz, d.Year(), hr.r, id, dirtyNever); err != nil {
			return err
		}
		if err := g.truth.orphan(hz.lastRow, "hazards", id, "inspection_id", inspID, "inspections.inspection_id"); err != nil {
			return err
		}
	}
	for _, od := range g.story.orphanCaseDays {
		if !od.Equal(d) {
			continue
		}
		e := g.ents[rng.IntN(len(g.ents))]
		e.id = "QY" + g.prof.Regions[e.region].Code + "000000" // sequences start at 1
		if err := g.writeInspectionCaseNever(rng, cr, &e, d); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) writeInspectionCaseNever(rng *rand.Rand, r *row, e *enterprise, d time.Time) error {
	id := g.caseID(d)
	r.reset()
	g.setCase(r, id, e, d, []string{"warning"})
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
	return g.truth.orphan(g.enf.lastRow, "enforcement", id, "enterprise_id", e.id, "enterprises.enterprise_id")
}
