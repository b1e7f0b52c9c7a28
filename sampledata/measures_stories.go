package sampledata

import (
	"context"
	"fmt"
	"math/rand/v2"
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
	return g.mostOperating(repeatOffenderSector, func(*enterprise) bool { return true })
}

// genMeasureStories writes the measures register's tables and stories: the inspection
// plans, investigations and notifications, and the repeat offender (one hazard in its
// own file and three enforcement cases).
func (g *generator) genMeasureStories(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rng := g.rng("measures")
	if err := g.genPlans(rng); err != nil {
		return err
	}
	if err := g.genInvestigations(rng); err != nil {
		return err
	}
	if err := g.genNotifications(rng); err != nil {
		return err
	}
	if err := g.genDocuments(rng); err != nil {
		return err
	}
	if err := g.genLabourChecks(rng); err != nil {
		return err
	}
	if err := g.genSOESubcontracting(); err != nil {
		return err
	}
	if err := g.genProjects(rng); err != nil {
		return err
	}
	if err := g.addStory(StoryNoExperts, "inspections", "", g.story.zeroFindingRegion, "",
		"no departmental inspection takes experts along (执法+专家, M47)"); err != nil {
		return err
	}
	return g.genRepeatOffender()
}

// genRepeatOffender writes StoryRepeatOffender.
func (g *generator) genRepeatOffender() error {
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
		g.setCase(r, id, e, d, []string{"fine"})
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

// More stories of the measures register: the annual inspection plans (M14), the
// investigations' close-out (M17, M18) and departments' notifications (M59).
const (
	// StoryPlanThird: the department with most inspections in the last year of the period
	// had planned three times as many (M14: it did a third of its plan).
	StoryPlanThird = "plan_third"
	// StoryInvestigationOverdue: the large accident's investigation report is still not
	// approved at the end of the period, long past the Decree 493 art. 29 term (M17, M18).
	StoryInvestigationOverdue = "investigation_overdue"
	// StoryLateNotifier: in the region with most road accidents, the transport department
	// notifies the committee office of each hours late (M59).
	StoryLateNotifier = "late_notifier"
)

// measuresState is what the measures register's stories keep while generating.
type measuresState struct {
	planned planTally // departmental inspections written, for the plans
	// offender is the repeat offender's index + 1, 0 before it is picked, -1 for none.
	offender int32
}

// planKey is a department of a region in a year.
type planKey struct {
	region, department string
	year               int
}

// planTally counts the departmental inspections written (the kinds M14 counts: not
// self-checks, not cross-region checks, whose team is another region's).
type planTally map[planKey]int

func (t *planTally) note(tb *safetyrisk.Table, year int, r *row) {
	if tb != safetyrisk.Inspections {
		return
	}
	kind := r.get("kind")
	if kind == safetyrisk.InspectionKinds.NameOf("self_check") || kind == safetyrisk.InspectionKinds.NameOf("cross_region") {
		return
	}
	if *t == nil {
		*t = planTally{}
	}
	(*t)[planKey{r.get("region"), r.get("department"), year}]++
}

// genPlans writes a plan for every department that inspected in a year: planned close
// to what it did (a plan exceeded or missed by up to a fifth), except the story
// department, which planned three times what it did.
func (g *generator) genPlans(rng *rand.Rand) error {
	keys := make([]planKey, 0, len(g.ms.planned))
	for k := range g.ms.planned {
		keys = append(keys, k)
	}
	sortPlanKeys(keys)
	var story planKey
	for _, k := range keys {
		if k.year == g.to.Year() && g.ms.planned[k] > g.ms.planned[story] {
			story = k
		}
	}
	s := g.newSink(safetyrisk.InspectionPlans, false)
	r := newRow(safetyrisk.InspectionPlans)
	for i, k := range keys {
		done := g.ms.planned[k]
		planned := int(float64(done)/(0.8+0.4*rng.Float64()) + 0.5)
		if k == story {
			planned = 3 * done
		}
		id := fmt.Sprintf("JH%d%04d", k.year, i+1)
		r.reset()
		r.set("plan_id", id)
		r.set("region", k.region)
		r.set("department", k.department)
		r.set("year", strconv.Itoa(k.year))
		r.set("planned", strconv.Itoa(max(planned, 1)))
		if d := time.Date(k.year, 1, 20, 0, 0, 0, 0, time.UTC); !d.Before(g.from) && !d.After(g.to) {
			r.set("issued_on", dateCell(d))
		}
		if err := g.emit(s, 0, r, id, dirtyNever); err != nil {
			return err
		}
		if k == story {
			code, _ := g.prof.RegionCode(k.region)
			if err := g.addStory(StoryPlanThird, "inspection_plans", id, code, "",
				fmt.Sprintf("%s planned %d inspections in %d and made %d (M14)", k.department, planned, k.year, done)); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortPlanKeys(ks []planKey) {
	less := func(a, b planKey) bool {
		if a.year != b.year {
			return a.year < b.year
		}
		if a.region != b.region {
			return a.region < b.region
		}
		return a.department < b.department
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && less(ks[j], ks[j-1]); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
}

// genInvestigations writes each accident's investigation: a report within the 60 days
// (one in ten extended), preventive measures due 90 days later and mostly carried out
// on time; what falls after --to is left blank. The large accident's report is never
// approved (StoryInvestigationOverdue).
func (g *generator) genInvestigations(rng *rand.Rand) error {
	s := g.newSink(safetyrisk.Investigations, false)
	r := newRow(safetyrisk.Investigations)
	end := g.to.AddDate(0, 0, 1)
	for _, a := range g.acc {
		d := dateOnly(a.at)
		extended := rng.Float64() < 0.1
		approved := d.AddDate(0, 0, between(rng, 25, 58))
		if extended {
			approved = d.AddDate(0, 0, between(rng, 65, 115))
		}
		r.reset()
		r.set("accident_id", a.id)
		r.set("extended", boolCell(extended))
		if a.story == StoryLargeAccident {
			if err := g.emit(s, 0, r, a.id, dirtyNever); err != nil {
				return err
			}
			e := &g.ents[a.ent]
			if err := g.addStory(StoryInvestigationOverdue, "investigations", a.id, g.prof.Regions[e.region].Code, sectorOrder[e.sector],
				fmt.Sprintf("report not approved; the 60-day term ended %s (Decree 493 art. 29, M18)", dateCell(d.AddDate(0, 0, 60)))); err != nil {
				return err
			}
			continue
		}
		if approved.Before(end) {
			r.set("report_approved_on", dateCell(approved))
			due := approved.AddDate(0, 0, 90)
			r.set("measures_due_on", dateCell(due))
			done := due.AddDate(0, 0, -between(rng, 0, 40))
			if rng.Float64() < 0.15 {
				done = due.AddDate(0, 0, between(rng, 10, 60))
			}
			if done.Before(end) {
				r.set("measures_done_on", dateCell(done))
			}
			r.set("persons_held", strconv.Itoa(between(rng, 1, 4)+a.deaths/3))
			leaders := 0
			if a.grade() >= safetyrisk.GradeLarge || a.deaths > 0 && rng.Float64() < 0.5 {
				leaders = between(rng, 1, 2)
			}
			r.set("leaders_held", strconv.Itoa(leaders))
		}
		if err := g.emit(s, 0, r, a.id, dirtyNever); err != nil {
			return err
		}
	}
	return nil
}

// genNotifications writes the notification of each accident whose sector another
// department than emergency management supervises, mostly within the 2 hours; the
// story department is late every time. Each is a first report (首报) with the
// casualties then known; the 补报 of those that changed follow (supplementary.go).
func (g *generator) genNotifications(rng *rand.Rand) error {
	road := map[int]int{}
	for _, a := range g.acc {
		if e := &g.ents[a.ent]; sectorOrder[e.sector] == "road_transport" {
			road[e.region]++
		}
	}
	late, lateN := -1, 0
	for ri := range g.prof.Regions {
		if road[ri] > lateN {
			late, lateN = ri, road[ri]
		}
	}
	s := g.newSink(safetyrisk.Notifications, false)
	r := newRow(safetyrisk.Notifications)
	end := g.to.AddDate(0, 0, 1)
	seq := 0
	sup := g.newSupplements() // supplementary.go: the 补报 of changed casualties
	for _, a := range g.acc {
		e := &g.ents[a.ent]
		sec := sectorOrder[e.sector]
		dept := departments[sec]
		skip := dept == "应急管理局" || a.story == StoryConcealedAccident
		if skip && a.story != StoryLargeAccident {
			continue
		}
		// The 较大 accident is notified whatever its department, for its 补报 story; when
		// emergency management supervises its sector it draws nothing from rng, so that
		// what follows is that of a generator without the story.
		minutes := 50
		if !skip {
			minutes = between(rng, 15, 110)
			if rng.Float64() < 0.12 {
				minutes = between(rng, 130, 600)
			}
		}
		story := e.region == late && sec == "road_transport"
		if story {
			minutes = between(rng, 180, 360)
		}
		at := a.at.Add(time.Duration(minutes) * time.Minute)
		if !at.Before(end) {
			continue
		}
		seq++
		id := fmt.Sprintf("TB%d%05d", at.Year(), seq)
		r.reset()
		r.set("notification_id", id)
		r.set("accident_id", a.id)
		r.set("region", g.regionName(e.region))
		r.set("department", g.regionName(e.region)+dept)
		r.set("notified_at", timeCell(at))
		deaths, serious := sup.first(a, g.regionName(e.region), g.regionName(e.region)+dept)
		r.set("kind", safetyrisk.NotificationKinds.NameOf("initial"))
		r.set("deaths", itoa(deaths))
		r.set("serious_injuries", itoa(serious))
		if err := g.emit(s, 0, r, id, dirtyNever); err != nil {
			return err
		}
		if story {
			if err := g.addStory(StoryLateNotifier, "notifications", id, g.prof.Regions[e.region].Code, sec,
				fmt.Sprintf("%s notified accident %s %d minutes after it happened (M59: within 2 hours)", g.regionName(e.region)+dept, a.id, minutes)); err != nil {
				return err
			}
		}
	}
	return sup.write(s, r)
}

// StoryMissingTaskList: the region that skipped its half-yearly meetings (the
// skipped-meeting story's region) also filed no annual task list in the last year of the
// period (M8).
const StoryMissingTaskList = "missing_task_list"

// genDocuments writes each region's yearly duty documents (a duty list and a task list
// in the first quarter, an annual report in December, the special fund in January),
// each sector department's power list once a year, and the city's appointment of the
// committee office's full-time deputy director (M3, M8, M10, M11, M12).
func (g *generator) genDocuments(rng *rand.Rand) error {
	s := g.newSink(safetyrisk.DutyDocuments, false)
	r := newRow(safetyrisk.DutyDocuments)
	seq := 0
	write := func(region, dept, kind string, d time.Time, published bool, title string) error {
		if d.Before(g.from) || d.After(g.to) {
			return nil
		}
		seq++
		id := fmt.Sprintf("WJ%d%05d", d.Year(), seq)
		r.reset()
		r.set("doc_id", id)
		r.set("region", region)
		r.set("department", dept)
		r.set("kind", safetyrisk.DocumentKinds.NameOf(kind))
		r.set("issued_on", dateCell(d))
		r.set("published", boolCell(published))
		r.set("title", title)
		return g.emit(s, 0, r, id, dirtyNever)
	}
	day := func(y int, m time.Month, lo, hi int) time.Time {
		return time.Date(y, m, between(rng, lo, hi), 0, 0, 0, 0, time.UTC)
	}
	if err := write("", g.prof.City.Name+"委组织部", "office_deputy", day(g.from.Year(), time.March, 1, 28), true, "关于明确市安委办专职副主任的通知"); err != nil {
		return err
	}
	skip := g.story.skipRegion
	for y := g.from.Year(); y <= g.to.Year(); y++ {
		for _, reg := range g.prof.Regions {
			gov := reg.Name + "人民政府"
			ys := strconv.Itoa(y)
			if err := write(reg.Name, gov, "duty_list", day(y, time.February, 1, 28), true, reg.Name+"政府领导干部安全生产职责清单（"+ys+"）"); err != nil {
				return err
			}
			if reg.Code == skip && y == g.to.Year() {
				if err := g.addStory(StoryMissingTaskList, "duty_documents", "", reg.Code, "", fmt.Sprintf("no annual task list in %d (M8)", y)); err != nil {
					return err
				}
			} else if err := write(reg.Name, gov, "task_list", day(y, time.March, 1, 31), true, reg.Name+ys+"年度安全生产任务清单"); err != nil {
				return err
			}
			if err := write(reg.Name, reg.Name+"财政局", "special_fund", day(y, time.January, 5, 25), false, ys+"年安全生产专项资金预算"); err != nil {
				return err
			}
			if err := write(reg.Name, gov, "annual_report", day(y, time.December, 10, 28), false, ys+"年度安全生产述职报告"); err != nil {
				return err
			}
			seen := map[string]bool{}
			for _, sec := range sectorOrder {
				dept := reg.Name + departments[sec]
				if seen[dept] {
					continue
				}
				seen[dept] = true
				if err := write(reg.Name, dept, "power_list", day(y, time.April, 1, 30), rng.Float64() < 0.9, dept+"安全生产权力和责任清单"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// State-owned shares of enterprises (M38, M42): a third of the hazardous sectors' units
// (coal, chemicals, power are largely state-owned in Ordos), a tenth elsewhere. Drawn
// from the enterprise's own stream, so that no other draw of the generator moves.
const (
	StateOwnedHazardous = 0.30
	StateOwnedOther     = 0.10
)

func (g *generator) stateOwned(e *enterprise, hazardous bool) bool {
	p := StateOwnedOther
	if hazardous {
		p = StateOwnedHazardous
	}
	return rand.New(rand.NewPCG(g.cfg.Seed, streamOf("state_owned/"+e.id))).Float64() < p
}

// Stories of the labour checks and state-owned enterprises.
const (
	// StoryUncertifiedDispatch: a labour check, a month before the end, finds half the
	// dispatched workers in hazardous posts of a coal enterprise, in the region with most
	// coal enterprises, without certificates (M41).
	StoryUncertifiedDispatch = "uncertified_dispatch"
	// StorySOESubcontracting: a state-owned construction enterprise, in the region with
	// most construction enterprises, is punished for illegal subcontracting 20 days before
	// the end (M38).
	StorySOESubcontracting = "soe_subcontracting"
)

// mostOperating returns the first operating enterprise of a sector in the region with
// most operating enterprises of it that also satisfies ok; false when none.
func (g *generator) mostOperating(sector string, ok func(*enterprise) bool) (int32, bool) {
	si, found := g.sectorIx[sector]
	if !found {
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
		if e := &g.ents[ei]; e.status == 0 && ok(e) {
			return ei, true
		}
	}
	return 0, false
}

// genLabourChecks writes, each year, a labour check of about a fifth of the operating
// enterprises of hazardous sectors: most workers in hazardous posts certified and
// trained, most enterprises managing them as their own; then the M41 story.
func (g *generator) genLabourChecks(rng *rand.Rand) error {
	s := g.newSink(safetyrisk.LabourChecks, false)
	r := newRow(safetyrisk.LabourChecks)
	seq := 0
	write := func(e *enterprise, d time.Time, post, certified, trained int, own bool) (string, error) {
		seq++
		id := fmt.Sprintf("YG%d%05d", d.Year(), seq)
		r.reset()
		r.set("check_id", id)
		r.set("enterprise_id", e.id)
		r.set("region", g.regionName(e.region))
		r.set("sector", g.sectorName(e.sector))
		r.set("checked_on", dateCell(d))
		r.set("department", g.regionName(e.region)+departments[sectorOrder[e.sector]])
		r.set("post_workers", strconv.Itoa(post))
		r.set("certified", strconv.Itoa(certified))
		r.set("trained", strconv.Itoa(trained))
		r.set("managed_as_own", boolCell(own))
		r.set("rectification_ordered", boolCell(certified < post || trained < post || !own))
		return id, g.emit(s, 0, r, id, dirtyNever)
	}
	days := int(g.to.Sub(g.from).Hours()/24) + 1
	for i := range g.ents {
		e := &g.ents[i]
		if e.status != 0 || !g.prof.Sectors[sectorProfileIndex(g.prof, sectorOrder[e.sector])].Hazardous {
			continue
		}
		for y := 0; y < (days+364)/365; y++ {
			if rng.Float64() >= 0.2 {
				continue
			}
			d := g.from.AddDate(0, 0, rng.IntN(days))
			post := between(rng, 2, 30)
			cert := post - rng.IntN(max(1, post/10)+1)
			trained := post - rng.IntN(max(1, post/8)+1)
			if _, err := write(e, d, post, max(cert, 0), max(trained, 0), rng.Float64() < 0.9); err != nil {
				return err
			}
		}
	}
	ei, ok := g.mostOperating("coal_mine", func(*enterprise) bool { return true })
	if !ok {
		return nil
	}
	e := &g.ents[ei]
	id, err := write(e, g.to.AddDate(0, 0, -30), 40, 20, 36, true)
	if err != nil {
		return err
	}
	return g.addStory(StoryUncertifiedDispatch, "labour_checks", id, g.prof.Regions[e.region].Code, "coal_mine",
		"20 of 40 dispatched and flexible workers in hazardous posts without certificates (M41)")
}

// genSOESubcontracting writes StorySOESubcontracting.
func (g *generator) genSOESubcontracting() error {
	ei, ok := g.mostOperating("construction", func(e *enterprise) bool { return g.stateOwned(e, true) })
	if !ok {
		return nil
	}
	e := &g.ents[ei]
	d := g.to.AddDate(0, 0, -20)
	id := g.caseID(d)
	r := newRow(safetyrisk.Enforcement)
	g.setCase(r, id, e, d, []string{"fine"})
	r.set("fine", strconv.Itoa(200_000))
	r.set("legal_basis", "《建设工程安全生产管理条例》")
	r.set("recorded", boolCell(true))
	r.set("publicized", boolCell(true))
	r.set("legal_review", boolCell(true))
	r.set("major_decision", boolCell(true))
	r.set("transferred", boolCell(false))
	r.set("illegal_subcontracting", boolCell(true))
	if err := g.emit(g.enf, 0, r, id, dirtyNever); err != nil {
		return err
	}
	return g.addStory(StorySOESubcontracting, "enforcement", id, g.prof.Regions[e.region].Code, "construction",
		"a state-owned construction enterprise punished for illegal subcontracting (M38)")
}

// Stories of the construction projects (M32, M34).
const (
	// StoryStartedUnapproved: a construction project in the region with most construction
	// enterprises starts works 40 days before its approval, late in the period (M32).
	StoryStartedUnapproved = "started_unapproved"
	// StoryChemicalRunning: a chemical project moving in, in the region with most chemical
	// enterprises, fails its check and is neither stopped nor rectified (M34).
	StoryChemicalRunning = "chemical_running"
)

// ProjectsPerRegionYear is the construction projects a region approves in a year at scale
// 1 (a project review is per project, not per enterprise).
const ProjectsPerRegionYear = 30

// genProjects writes the construction projects: most assessed before approval and
// started after it; chemical projects checked, the failed ones stopped; then the
// M32 and M34 stories.
func (g *generator) genProjects(rng *rand.Rand) error {
	s := g.newSink(safetyrisk.Projects, false)
	r := newRow(safetyrisk.Projects)
	seq := 0
	kinds := []string{"new", "rebuild", "expansion"}
	sectors := []string{"construction", "hazardous_chemicals", "coal_mine", "gas", "oil_gas", "industry_trade"}
	write := func(region int, sector string, chemical bool, approved, assessed, started time.Time, checked time.Time, compliant, stopped bool) (string, error) {
		seq++
		id := fmt.Sprintf("XM%d%05d", approved.Year(), seq)
		r.reset()
		r.set("project_id", id)
		r.set("name", g.regionName(region)+g.prof.SectorName(sector)+"项目"+strconv.Itoa(seq))
		r.set("region", g.regionName(region))
		r.set("sector", g.prof.SectorName(sector))
		r.set("kind", safetyrisk.ProjectKinds.NameOf(kinds[rng.IntN(len(kinds))]))
		r.set("chemical_transfer", boolCell(chemical))
		end := g.to.AddDate(0, 0, 1)
		for _, c := range []struct {
			col string
			d   time.Time
		}{{"approved_on", approved}, {"risk_assessed_on", assessed}, {"started_on", started}, {"checked_on", checked}} {
			if !c.d.IsZero() && !c.d.Before(g.from) && c.d.Before(end) {
				r.set(c.col, dateCell(c.d))
			}
		}
		if !checked.IsZero() && checked.Before(end) {
			r.set("compliant", boolCell(compliant))
			r.set("stopped", boolCell(!compliant && stopped))
		}
		return id, g.emit(s, 0, r, id, dirtyNever)
	}
	days := int(g.to.Sub(g.from).Hours()/24) + 1
	n := int(ProjectsPerRegionYear*g.cfg.Scale*float64(days)/365 + 0.5)
	for ri := range g.prof.Regions {
		for k := 0; k < n; k++ {
			approved := g.from.AddDate(0, 0, rng.IntN(days))
			assessed := approved.AddDate(0, 0, -between(rng, 10, 90))
			if rng.Float64() < 0.08 {
				assessed = approved.AddDate(0, 0, between(rng, 5, 30)) // assessed after approval
			}
			started := approved.AddDate(0, 0, between(rng, 15, 120))
			sector := sectors[rng.IntN(len(sectors))]
			chemical := sector == "hazardous_chemicals" && rng.Float64() < 0.5
			var checked time.Time
			compliant := true
			if chemical {
				checked = started.AddDate(0, 0, between(rng, 30, 180))
				compliant = rng.Float64() < 0.85
			}
			if _, err := write(ri, sector, chemical, approved, assessed, started, checked, compliant, true); err != nil {
				return err
			}
		}
	}
	if ei, ok := g.mostOperating("construction", func(*enterprise) bool { return true }); ok {
		ri := g.ents[ei].region
		approved := g.to.AddDate(0, 0, -20)
		id, err := write(ri, "construction", false, approved, approved.AddDate(0, 0, -30), approved.AddDate(0, 0, -40), time.Time{}, true, false)
		if err != nil {
			return err
		}
		if err := g.addStory(StoryStartedUnapproved, "projects", id, g.prof.Regions[ri].Code, "construction",
			"works started 40 days before the approval (M32)"); err != nil {
			return err
		}
	}
	if ei, ok := g.mostOperating("hazardous_chemicals", func(*enterprise) bool { return true }); ok {
		ri := g.ents[ei].region
		approved := g.to.AddDate(0, 0, -200)
		id, err := write(ri, "hazardous_chemicals", true, approved, approved.AddDate(0, 0, -60), approved.AddDate(0, 0, 30), g.to.AddDate(0, 0, -60), false, false)
		if err != nil {
			return err
		}
		return g.addStory(StoryChemicalRunning, "projects", id, g.prof.Regions[ri].Code, "hazardous_chemicals",
			"a chemical project moving in failed its check and was neither stopped nor rectified (M34)")
	}
	return nil
}

// Experts and the blacklist (M36, M44, M47).
const (
	// ExpertShare is the share of departmental inspections with experts (执法+专家).
	ExpertShare = 0.25
	// BlacklistedShare is the share of enterprises on the serious-dishonesty blacklist.
	BlacklistedShare = 0.01
	// StoryNoExperts: the zero-finding story's region never takes experts along (M47).
	StoryNoExperts = "no_experts"
)

// withExperts draws whether an inspection had experts, from the inspection's own stream
// (no other draw of the generator moves); none in the zero-finding region, none for
// self-checks.
func (g *generator) withExperts(inspID, kind string, region int) bool {
	if kind == "self_check" || g.prof.Regions[region].Code == g.story.zeroFindingRegion {
		return false
	}
	return rand.New(rand.NewPCG(g.cfg.Seed, streamOf("experts/"+inspID))).Float64() < ExpertShare
}

// blacklisted draws whether an enterprise is blacklisted; the repeat offender always is.
func (g *generator) blacklisted(e *enterprise) bool {
	if g.ms.offender == 0 {
		g.ms.offender = -1
		if ei, ok := g.repeatOffender(); ok {
			g.ms.offender = ei + 1
		}
	}
	if g.ms.offender > 0 && &g.ents[g.ms.offender-1] == e {
		return true
	}
	return rand.New(rand.NewPCG(g.cfg.Seed, streamOf("blacklisted/"+e.id))).Float64() < BlacklistedShare
}
