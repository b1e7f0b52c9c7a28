package sampledata

// Every assumption of the generator is here, named and explained, so that a reviewer
// can check the city the data describes without reading the generator. ASSUMPTIONS.md
// (beside this file) says the same in prose, with the stories and the dirty-row classes.
//
// Magnitudes are "per year at --scale 1" unless stated; counts scale linearly with
// --scale, the Ordos profile's calendar and the planted stories do not.

// Enterprises under supervision at --scale 1 ("thousands of enterprises"). Ordos has a
// few hundred coal mines and a few thousand units in the supervised sectors.
const EnterprisesAtScale1 = 5000

// Departmental inspections a year at --scale 1 ("tens of thousands"): about five per
// enterprise a year, more for red and orange units (risk-based targeting, M46).
const DeptInspectionsPerYear = 24000

// M13: in a month, a department's head leads one of its inspections with this
// probability (the head_led_inspection_compliance indicator); cross-region inspections
// are led by the visiting team, not the local head.
const HeadLedMonthlyProb = 0.90

// Enterprise self-checks (企业自查, M22): each operating enterprise is due one a month
// and does it with this probability (the selfcheck_compliance indicator).
const SelfCheckMonthlyProb = 0.70

// Hazards per inspection. A departmental inspection finds nothing with ZeroFindingProb
// (ZeroFindingStoryProb in the lax region of the stories); otherwise 1 + Poisson with
// mean DeptHazardsMean-1. A self-check finds nothing with SelfCheckZeroProb, else 1 +
// Poisson(SelfCheckHazardsMean-1). Together about 70k hazards a year at --scale 1,
// 210k over the default three years, about 10 million at --scale 50.
const (
	ZeroFindingProb      = 0.25
	ZeroFindingStoryProb = 0.85
	DeptHazardsMean      = 2.6
	SelfCheckZeroProb    = 0.60
	SelfCheckHazardsMean = 1.5
)

// Major hazards (重大事故隐患) are rare: about 3% of hazards, double in coal mines,
// hazardous chemicals and oil and gas (sector standards: MEM order 4, 2021 for coal).
const (
	MajorHazardShare          = 0.03
	MajorHazardShareHazardous = 0.06
)

// Rectification: the deadline is 3-30 days for a general hazard and 30-90 for a major
// one; a general hazard is rectified with GeneralRectifyProb, a major with
// MajorRectifyProb, after a delay drawn up to LateFactor times the allowed time (so some
// are late); the others VeryLateMinDays-VeryLateMaxDays after the deadline. A hazard
// whose rectification date would fall after --to is still open. Rectified hazards are
// verified (销号) with VerifiedProb when more than 10 days have passed.
const (
	GeneralRectifyProb = 0.96
	MajorRectifyProb   = 0.90
	LateFactor         = 1.04
	VeryLateMinDays    = 30
	VeryLateMaxDays    = 240
	VerifiedProb       = 0.75
)

// M31: a major hazard found by inspectors that is not in the enterprise's own ledger
// counts as an accident and vetoes its region's assessment, so it is rare: every random
// major hazard is in the ledger, and one is planted unlisted (StoryUnlistedMajorHazard).
// General hazards are in the ledger with InLedgerGeneral.
const InLedgerGeneral = 0.70

// M28: share of major hazards put under listed supervision (挂牌督办); M-rule 五落实 share.
const (
	ListedSupervisionMajor = 0.30
	FiveImplementations    = 0.90
)

// Enforcement cases from inspections: the chance that an inspection with findings
// becomes a case, higher when a major hazard was found. Fines follow Work Safety Law
// (2021) art. 102 (failing to remove a hazard: up to 50,000 yuan; refusing: suspension
// and more) in spirit; the amounts are assumptions, not statutory ranges.
const (
	CaseProbGeneral = 0.08
	CaseProbMajor   = 0.60
	FineGeneralMin  = 10_000
	FineGeneralMax  = 50_000
	FineMajorMin    = 50_000
	FineMajorMax    = 200_000
)

// M49 three systems: the share of cases recorded in full, publicized, and (major
// decisions) legally reviewed.
const (
	RecordedProb    = 0.99
	PublicizedProb  = 0.97
	LegalReviewProb = 0.95
)

// Accidents a year at --scale 1, by sector ("tens to low hundreds a year, mostly 一般").
// Generated accidents are always 一般 (at most 2 deaths, 9 serious injuries, loss under
// 10 million yuan): the only 较大 accident is the planted story, so the veto is exactly
// where the truth file says. FatalShare of accidents have one death (a tenth of those
// two); LateReportProb are reported 61-300 minutes after they happened (Decree 493 art. 9).
var accidentsPerYear = map[string]float64{
	"coal_mine":           10,
	"non_coal_mine":       4,
	"hazardous_chemicals": 5,
	"oil_gas":             2,
	"road_transport":      25,
	"construction":        14,
	"gas":                 4,
	"fire":                6,
	"crowded_places":      3,
	"industry_trade":      8,
	"fireworks":           1,
	"special_equipment":   3,
	"other":               3,
}

// Accident shares.
const (
	FatalShare     = 0.40
	LateReportProb = 0.08
	SensitiveProb  = 0.10
)

// Seasonality: construction works April to November (Ordos winters stop most sites);
// gas accidents and gas inspections peak in the heating season, November to March.
const (
	ConstructionSeasonFactor = 1.6
	ConstructionWinterFactor = 0.3
	GasWinterFactor          = 2.0
	GasSummerFactor          = 0.6
)

// Whistleblower reports a year at --scale 1 (12350 hotline and others, M54).
const ReportsPerYear = 1200

// Report handling: verified within 5-75 days (so some exceed the 60 days of
// 安监总财〔2018〕19号), substantiated with SubstantiatedProb, reward paid 10-90 days after
// verification with RewardPaidProb; AnonymousProb of reports give no identity.
const (
	SubstantiatedProb = 0.45
	RewardPaidProb    = 0.90
	AnonymousProb     = 0.30
)

// Risk assessments (M22): each operating enterprise is due one a quarter; it does it
// with AssessmentProb and publishes it with PublishedProb.
const (
	AssessmentProb = 0.85
	PublishedProb  = 0.80
)

// Enforcement officers per region at --scale 1 (at least StaffMin), and the share
// of them meeting M51 (education or certificate) outside the story region.
const (
	StaffPerRegion    = 45
	StaffMin          = 12
	QualifiedShare    = 0.88
	StaffInactiveProb = 0.05
)

// Governance (M2, M9, M13, M21): every region's party committee and government study
// work safety once each half-year; the safety committee meets every quarter; the city
// tours each region monthly; listed supervision is announced a few times a year.
const ListedSupervisionPerYear = 3

// Risk-level mix (red, orange, yellow, blue) of enterprises, by sector family; hazardous
// sectors lean red and orange. Inspection targeting weight by level: M46.
var (
	riskMixHazardous   = [4]float64{0.10, 0.25, 0.40, 0.25}
	riskMixOther       = [4]float64{0.02, 0.10, 0.38, 0.50}
	inspectionWeight   = [4]float64{4, 2.5, 1.5, 1}
	riskLevelCodes     = [4]string{"red", "orange", "yellow", "blue"}
	enterpriseStatuses = [3]float64{0.92, 0.05, 0.03} // operating, suspended, closed
)

// sectorMix is the share of each sector among a region's enterprises, after DOMAIN.md's
// profile notes: coal in 准格尔旗 and 伊金霍洛旗 (and 东胜区, 达拉特旗), chemicals in 鄂托克旗,
// 乌审旗 and 杭锦旗 (and 鄂托克前旗), construction and crowded places in 东胜区 and 康巴什区.
// Weights are relative within a region; regionShare is each region's share of the city.
var (
	sectorOrder = []string{"coal_mine", "non_coal_mine", "hazardous_chemicals", "oil_gas", "road_transport", "construction", "gas", "fire", "crowded_places", "industry_trade", "fireworks", "special_equipment", "other"}
	sectorMix   = map[string][]float64{
		//            coal non  chem oil road cons gas fire crow ind  fw   spec oth
		"150602": {4, 1, 2, 1, 10, 22, 6, 8, 20, 12, 1, 6, 7},
		"150603": {0, 0, 1, 1, 6, 28, 5, 8, 26, 8, 1, 6, 10},
		"150621": {12, 3, 14, 2, 9, 10, 3, 5, 8, 20, 1, 5, 8},
		"150622": {34, 6, 8, 3, 10, 8, 3, 4, 6, 10, 1, 4, 3},
		"150623": {10, 3, 22, 4, 8, 8, 3, 4, 5, 20, 1, 5, 7},
		"150624": {10, 6, 24, 3, 8, 7, 2, 4, 5, 22, 1, 5, 3},
		"150625": {3, 3, 22, 12, 9, 9, 3, 5, 6, 15, 1, 5, 7},
		"150626": {10, 2, 20, 18, 9, 8, 3, 4, 5, 12, 1, 4, 4},
		"150627": {34, 4, 8, 3, 10, 9, 3, 4, 7, 10, 1, 4, 3},
	}
	regionShare = map[string]float64{
		"150602": 0.18, "150603": 0.07, "150621": 0.10, "150622": 0.17, "150623": 0.06,
		"150624": 0.10, "150625": 0.07, "150626": 0.09, "150627": 0.16,
	}
)

// regionBase are the region statistics of the first year (approximate public figures
// of 2022: city GDP about 5,600 亿元, raw coal about 8 亿吨 = 80,000 万吨, mostly from
// 准格尔旗 and 伊金霍洛旗); later years grow by the rates below.
var regionBase = map[string]struct {
	GDP      float64 // 亿元
	Workers  int64   // industrial, mining and trade workers
	Vehicles int64
	Coal     float64 // 万吨
}{
	"150602": {900, 95000, 260000, 4500},
	"150603": {160, 18000, 60000, 0},
	"150621": {520, 60000, 110000, 6500},
	"150622": {1350, 140000, 160000, 30000},
	"150623": {190, 26000, 40000, 2500},
	"150624": {560, 70000, 60000, 2000},
	"150625": {230, 24000, 50000, 600},
	"150626": {520, 52000, 60000, 7000},
	"150627": {1170, 120000, 130000, 27000},
}

// Yearly growth of the region statistics.
const (
	GDPGrowth      = 0.06
	WorkersGrowth  = 0.01
	VehiclesGrowth = 0.05
	CoalGrowth     = 0.03
)

// Dirty rows (--dirty, default DefaultDirtyRate): of the dirty rows, AcceptShare are
// messy-but-valid (ingest normalises them), the rest invalid (ingest quarantines them).
// Tables whose rows others reference (enterprises, accidents), the denominators
// (region_stats) and the story-bearing tables (staff) get only messy-but-valid cells,
// so that a rejected row never turns a planted story or a reference into noise.
const (
	DefaultDirtyRate = 0.01
	AcceptShare      = 0.5
)

// DefaultSeed is the demo's seed (the date of the Ordos plan, 2022-09-27).
const DefaultSeed = 20220927
