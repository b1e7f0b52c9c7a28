package sampledata

// Every assumption of the generator is here, named and explained, so that a reviewer
// can check the city the data describes without reading the generator. ASSUMPTIONS.md
// (beside this file) says the same in prose, with the stories and the dirty-row classes.
//
// Magnitudes are "per year at --scale 1" unless stated; counts scale linearly with
// --scale, the calendar and the planted stories do not.

// Enterprises under supervision at --scale 1 ("thousands of enterprises"): a city of
// Inner Mongolia has a few hundred mines and a few thousand units in the supervised sectors.
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

// Seasonality: construction works April to November (Inner Mongolian winters stop most sites);
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

// sectorOrder is the sectors the generator knows (their accident rates, enterprise
// sizes, name suffixes and seasons are assumptions keyed by sector); a profile must list
// them all. Where a region's enterprises are, by sector, and its statistics are the
// profile's data (Region.Economy), never keyed by region code here: profiles/ordos.json
// leans to coal in 准格尔旗 and 伊金霍洛旗 and chemicals in 鄂托克旗, 乌审旗 and 杭锦旗;
// profiles/baotou.json to steel and rare earths in 昆都仑区 and 青山区, mines in
// 白云鄂博矿区, 固阳县 and 达茂旗, chemicals in 九原区 and 土默特右旗.
var sectorOrder = []string{"coal_mine", "non_coal_mine", "hazardous_chemicals", "oil_gas", "road_transport", "construction", "gas", "fire", "crowded_places", "industry_trade", "fireworks", "special_equipment", "other"}

// majorProne sectors have MajorHazardShareHazardous major hazards (coal: MEM order 4,
// 2021; hazardous chemicals and oil and gas: their sector standards).
func majorProne(sector string) bool {
	return sector == "coal_mine" || sector == "hazardous_chemicals" || sector == "oil_gas"
}

// Supplementary reports (补报, Decree 493 art. 13): of the notified accidents with
// casualties, SupplementShare had lower figures in their first report (an injured
// person died later, or an injury proved serious), the change coming on day 1 to 20
// (1 to 6 for road traffic and fire). Of those changes SupplementLateShare are reported
// after the 30-day (7-day) term, SupplementNeverShare never; the rest within the term, 0
// to 3 days after the change.
const (
	SupplementShare      = 0.2
	SupplementLateShare  = 0.12
	SupplementNeverShare = 0.08
)

// StatsBaseYear is the year of the profile's region statistics (Economy: GDP, workers,
// vehicles, coal); other years grow from it by the rates below.
const StatsBaseYear = 2022

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

// DefaultSeed is the demo's seed (2022-09-27, the date of the work-safety plan the
// indicators follow).
const DefaultSeed = 20220927
