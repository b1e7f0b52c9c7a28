package sampledata

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Summary says what Generate wrote.
type Summary struct {
	Files   []FileSummary
	Rows    map[string]int64 // data rows per table
	Dirty   int64            // dirty rows planted
	Took    time.Duration
	Stories int // story records in the truth file
}

// FileSummary is one output file.
type FileSummary struct {
	Name, Table, Encoding string
	Rows, Dirty           int64
}

// enterprise is the little per-enterprise state the generator keeps for consistency.
type enterprise struct {
	id     string
	region int // index in the profile
	sector int // index in sectorOrder
	risk   int // 0 red .. 3 blue
	status int // 0 operating, 1 suspended, 2 closed
}

// generator holds the state of one run; per-record state is never kept beyond the
// record, except the accidents and governance events (hundreds to thousands).
type generator struct {
	cfg      Config
	prof     *safetyrisk.Profile
	log      *slog.Logger
	from, to time.Time
	plans    map[string]*dirtPlan
	truth    *truth
	sinks    []*sink
	files    []fileInfo
	ents     []enterprise
	byRS     [][]int32 // region*len(sectorOrder)+sector -> enterprises
	bySector [][]int32
	sectorIx map[string]int
	weight   [][]float64 // region x sector: the region's share of the city's enterprises in the sector
	story    storyPlan
	// unlistedDone is set once the M31 story's hazard is written.
	unlistedDone bool
	// headLed holds, per department and month, whether the head is still to lead an
	// inspection (M13); a few hundred entries a year.
	headLed map[string]bool
	acc     []*accident
	enf     *sink // enforcement: accident cases first, then inspection cases
	caseSeq map[int]int
	stories int
	rows    map[string]int64
	ms      measuresState // the measures register's stories (measures_stories.go)
}

// row is a reusable record of one table, set by column name.
type row struct {
	t     *safetyrisk.Table
	ix    map[string]int
	cells []string
}

func newRow(t *safetyrisk.Table) *row {
	r := &row{t: t, ix: map[string]int{}, cells: make([]string, len(t.Columns))}
	for i, c := range t.Columns {
		r.ix[c.Name] = i
	}
	return r
}

func (r *row) reset() {
	for i := range r.cells {
		r.cells[i] = ""
	}
}

func (r *row) set(name, v string) {
	i, ok := r.ix[name]
	if !ok {
		panic("sampledata: no column " + r.t.Name + "." + name) // a programming error, caught by every test
	}
	r.cells[i] = v
}

// setCase fills what every enforcement case states: its id, the enterprise with its
// region and sector, the decision date and the actions.
func (g *generator) setCase(r *row, id string, e *enterprise, decided time.Time, actions []string) {
	r.set("case_id", id)
	r.set("enterprise_id", e.id)
	r.set("region", g.regionName(e.region))
	r.set("sector", g.sectorName(e.sector))
	r.set("decided_on", dateCell(decided))
	r.set("actions", actionNames(actions))
}

func (r *row) get(name string) string { return r.cells[r.ix[name]] }

// Generate writes the ten tables and the truth folder under cfg.Out.
func Generate(ctx context.Context, cfg Config, log *slog.Logger) (*Summary, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	g := &generator{cfg: cfg, prof: cfg.Profile, log: log, caseSeq: map[int]int{}, rows: map[string]int64{}}
	if g.prof == nil {
		g.prof = safetyrisk.Ordos()
	}
	g.from = dateOnly(cfg.From)
	g.to = dateOnly(cfg.To)
	g.plans = map[string]*dirtPlan{}
	for _, t := range safetyrisk.Tables() {
		g.plans[t.Name] = newDirtPlan(t, g.prof)
	}
	g.sectorIx = map[string]int{}
	for i, s := range sectorOrder {
		g.sectorIx[s] = i
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	tr, err := openTruth(cfg.Out)
	if err != nil {
		return nil, err
	}
	g.truth = tr
	g.weight = weights(g.prof)
	g.story = planStories(g.from, g.to, cfg.Scale, castStories(g.prof, g.weight))
	g.headLed = map[string]bool{}
	if err := g.run(ctx); err != nil {
		for _, s := range g.sinks {
			s.abort()
		}
		tr.abort()
		return nil, err
	}
	if err := tr.close(); err != nil {
		return nil, err
	}
	if err := writeFilesList(cfg.Out, g.files); err != nil {
		return nil, err
	}
	sum := &Summary{Rows: g.rows, Took: time.Since(start), Stories: g.stories}
	for _, f := range g.files {
		sum.Files = append(sum.Files, FileSummary{Name: f.Name, Table: f.Table, Encoding: f.Encoding, Rows: f.Rows, Dirty: f.Dirty})
		sum.Dirty += f.Dirty
	}
	return sum, nil
}

func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func (g *generator) rng(name string) *rand.Rand {
	return rand.New(rand.NewPCG(g.cfg.Seed, streamOf(name)))
}

func (g *generator) run(ctx context.Context) error {
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"enterprises", g.genEnterprises},
		{"region_stats", g.genRegionStats},
		{"staff", g.genStaff},
		{"accidents", g.genAccidents},
		{"inspections", g.genInspections},
		{"reports", g.genReports},
		{"risk_assessments", g.genAssessments},
		{"governance", g.genGovernance},
		{"measures stories", g.genMeasureStories}, // measures_stories.go
	}
	for _, s := range steps {
		t0 := time.Now()
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		g.log.Info("generated", "step", s.name, "took", time.Since(t0).Round(time.Millisecond))
	}
	for _, k := range g.sinks {
		if err := k.closeCur(); err != nil {
			return err
		}
	}
	return nil
}

// emit writes one row to a sink and counts it.
func (g *generator) emit(s *sink, year int, r *row, key string, p policy) error {
	g.rows[s.t.Name]++
	g.ms.planned.note(s.t, year, r) // measures_stories.go
	return s.write(year, r.cells, key, p)
}

func (g *generator) addStory(story, table, key, region, sector, detail string) error {
	g.stories++
	return g.truth.story(story, table, key, region, sector, detail)
}

func (g *generator) regionName(i int) string { return g.prof.Regions[i].Name }

func (g *generator) sectorName(i int) string { return g.prof.SectorName(sectorOrder[i]) }

// weights is each region's share of the city's enterprises in each sector of
// sectorOrder, from the profile: the region's share times its sector's relative weight.
func weights(p *safetyrisk.Profile) [][]float64 {
	w := make([][]float64, len(p.Regions))
	for ri, r := range p.Regions {
		var sum float64
		for _, v := range r.Economy.Sectors {
			sum += v
		}
		w[ri] = make([]float64, len(sectorOrder))
		for si, sec := range sectorOrder {
			w[ri][si] = r.Economy.Share * r.Economy.Sectors[sec] / sum
		}
	}
	return w
}

func (g *generator) regionIndex(code string) int {
	for i, r := range g.prof.Regions {
		if r.Code == code {
			return i
		}
	}
	panic("sampledata: unknown region " + code)
}

// ---- enterprises ----

func (g *generator) genEnterprises(ctx context.Context) error {
	rng := g.rng("enterprises")
	ns := len(sectorOrder)
	nr := len(g.prof.Regions)
	g.byRS = make([][]int32, nr*ns)
	g.bySector = make([][]int32, ns)
	n := int(math.Round(EnterprisesAtScale1 * g.cfg.Scale))
	seq := make([]int, nr)
	add := func(ri, si int, operating bool) {
		seq[ri]++
		s := sectorOrder[si]
		mix := riskMixOther
		if g.prof.Sectors[sectorProfileIndex(g.prof, s)].Hazardous {
			mix = riskMixHazardous
		}
		e := enterprise{id: fmt.Sprintf("QY%s%06d", g.prof.Regions[ri].Code, seq[ri]), region: ri, sector: si,
			risk: pick(rng, mix[:]), status: pick(rng, enterpriseStatuses[:])}
		if operating {
			e.status = 0
		}
		g.byRS[ri*ns+si] = append(g.byRS[ri*ns+si], int32(len(g.ents)))
		g.bySector[si] = append(g.bySector[si], int32(len(g.ents)))
		g.ents = append(g.ents, e)
	}
	// One operating enterprise for every region-sector pair the region has, so that
	// small scales keep the mixes and the stories have their enterprises.
	for ri := range g.prof.Regions {
		for si := range sectorOrder {
			if g.weight[ri][si] > 0 {
				add(ri, si, true)
			}
		}
	}
	shares := make([]float64, nr)
	for i, r := range g.prof.Regions {
		shares[i] = r.Economy.Share
	}
	for len(g.ents) < n {
		ri := pick(rng, shares)
		add(ri, pick(rng, g.weight[ri]), false)
	}
	s := g.newSink(safetyrisk.Enterprises, false)
	r := newRow(safetyrisk.Enterprises)
	for i := range g.ents {
		e := &g.ents[i]
		sec := sectorOrder[e.sector]
		r.reset()
		r.set("enterprise_id", e.id)
		r.set("name", enterpriseName(rng, g.prof.City.Name, g.regionName(e.region), sec, i))
		r.set("credit_code", creditCode(rng, g.prof.Regions[e.region].Code))
		r.set("region", g.regionName(e.region))
		r.set("sector", g.sectorName(e.sector))
		r.set("risk_level", safetyrisk.RiskLevels.NameOf(riskLevelCodes[e.risk]))
		emp := employeesOf(rng, sec)
		r.set("employees", itoa(emp))
		hazardous := g.prof.Sectors[sectorProfileIndex(g.prof, sec)].Hazardous
		if hazardous {
			r.set("dispatch_workers", itoa(emp*between(rng, 3, 20)/100))
		} else {
			r.set("dispatch_workers", itoa(emp*between(rng, 0, 8)/100))
		}
		r.set("flexible_workers", itoa(emp*between(rng, 0, 10)/100))
		r.set("major_hazard_source", boolCell(rng.Float64() < majorSourceShare(sec)))
		ins := 0.6
		if hazardous {
			ins = 0.92
		}
		r.set("liability_insurance", boolCell(rng.Float64() < ins))
		r.set("state_owned", boolCell(g.stateOwned(e, hazardous))) // measures_stories.go
		r.set("blacklisted", boolCell(g.blacklisted(e)))           // measures_stories.go
		r.set("status", safetyrisk.EnterpriseStatuses.Values[e.status].Name)
		if err := g.emit(s, 0, r, e.id, dirtyAccept); err != nil {
			return err
		}
	}
	return nil
}

func sectorProfileIndex(p *safetyrisk.Profile, code string) int {
	for i, s := range p.Sectors {
		if s.Code == code {
			return i
		}
	}
	panic("sampledata: unknown sector " + code)
}

func employeesOf(rng *rand.Rand, sector string) int {
	lo, hi := 5, 300
	switch sector {
	case "coal_mine":
		lo, hi = 150, 2500
	case "hazardous_chemicals", "oil_gas":
		lo, hi = 50, 1200
	case "construction":
		lo, hi = 30, 600
	case "non_coal_mine", "industry_trade":
		lo, hi = 20, 800
	}
	// log-uniform: many small units, a few large ones.
	return int(math.Round(float64(lo) * math.Pow(float64(hi)/float64(lo), rng.Float64())))
}

func majorSourceShare(sector string) float64 {
	switch sector {
	case "hazardous_chemicals":
		return 0.40
	case "oil_gas":
		return 0.50
	case "gas":
		return 0.20
	case "coal_mine":
		return 0.10
	}
	return 0.01
}

func itoa(v int) string { return strconv.Itoa(v) }

// ---- region statistics ----

func (g *generator) genRegionStats(ctx context.Context) error {
	s := g.newSink(safetyrisk.RegionStats, false)
	r := newRow(safetyrisk.RegionStats)
	for y := g.from.Year(); y <= g.to.Year(); y++ {
		k := float64(y - StatsBaseYear)
		for _, reg := range g.prof.Regions {
			b := reg.Economy
			r.reset()
			r.set("region", reg.Name)
			r.set("year", itoa(y))
			r.set("gdp", fmt.Sprintf("%.2f", b.GDP*math.Pow(1+GDPGrowth, k)))
			r.set("industrial_workers", itoa(int(float64(b.Workers)*math.Pow(1+WorkersGrowth, k))))
			r.set("motor_vehicles", itoa(int(float64(b.Vehicles)*math.Pow(1+VehiclesGrowth, k))))
			r.set("coal_output", fmt.Sprintf("%.1f", b.Coal*math.Pow(1+CoalGrowth, k)))
			if err := g.emit(s, 0, r, reg.Code+"/"+itoa(y), dirtyAccept); err != nil {
				return err
			}
		}
	}
	return nil
}

// ---- enforcement staff (M51) ----

func (g *generator) genStaff(ctx context.Context) error {
	rng := g.rng("staff")
	s := g.newSink(safetyrisk.Staff, false)
	r := newRow(safetyrisk.Staff)
	n := int(math.Round(StaffPerRegion * g.cfg.Scale))
	n = max(StaffMin, min(n, 2000))
	depts := []string{"应急管理综合行政执法大队", "应急管理局", "能源局综合行政执法大队"}
	for _, reg := range g.prof.Regions {
		share := QualifiedShare
		if reg.Code == g.story.lowStaffRegion {
			share = g.story.lowStaffShare
		}
		unq := int(math.Ceil(float64(n) * (1 - share)))
		perm := rng.Perm(n)
		unqualified := make([]bool, n)
		for _, p := range perm[:unq] {
			unqualified[p] = true
		}
		for i := 0; i < n; i++ {
			r.reset()
			id := fmt.Sprintf("ZF%s%04d", reg.Code, i+1)
			r.set("staff_id", id)
			r.set("region", reg.Name)
			r.set("department", reg.Name+depts[rng.IntN(len(depts))])
			active := rng.Float64() >= StaffInactiveProb
			if unqualified[i] {
				// Unqualified: neither education nor certificate, under two years in post.
				r.set("qualified_education", boolCell(false))
				r.set("qualified_certificate", boolCell(false))
				r.set("experience_years", itoa(rng.IntN(2)))
				active = true
			} else {
				edu := rng.Float64() < 0.7
				r.set("qualified_education", boolCell(edu))
				r.set("qualified_certificate", boolCell(!edu || rng.Float64() < 0.5))
				r.set("experience_years", itoa(between(rng, 1, 25)))
			}
			r.set("active", boolCell(active))
			if err := g.emit(s, 0, r, id, dirtyAccept); err != nil {
				return err
			}
		}
	}
	qual := 1 - math.Ceil(float64(n)*(1-g.story.lowStaffShare))/float64(n)
	return g.addStory(StoryLowStaffQualification, "staff", "", g.story.lowStaffRegion, "",
		fmt.Sprintf("qualified share of active officers %.3f < %.2f (M51)", qual, safetyrisk.QualifiedStaffTarget))
}
