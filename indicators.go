package safetyrisk

// The indicator catalogue (docs/metrics.md, docs/rules.md): one entry per indicator, the contract
// between the queries that compute it (queries/*.sql), the snapshot that stores it
// (lake/indicators/snapshot=<run_id>/indicators.parquet), the exporter that serves it
// as a Prometheus gauge and the dashboards that show it.
//
// A snapshot row is (indicator, region, sector, window, dim_value, as_of, value):
// region is a region code or the city code; sector a sector code or "all"; window one of
// the entry's Windows() (WindowAsOf for a state); dim_value the value of the indicator's
// Dim label ("" when it has none).
//
// State and flow (docs/rules.md): a state (State true) is counted at as_of over every
// record in that state, whenever the record began, and has no window; a flow counts the
// events inside a window.

// Windows over which indicators are computed, relative to the as-of date.
const (
	WindowMonth   = "month"   // the calendar month containing as_of, up to as_of
	WindowQuarter = "quarter" // the calendar quarter containing as_of, up to as_of
	WindowYTD     = "ytd"     // 1 January of as_of's year to as_of
	Window12M     = "12m"     // the 12 months ending on as_of
)

// Windows lists all windows of a flow.
var Windows = []string{WindowMonth, WindowQuarter, WindowYTD, Window12M}

// WindowAsOf is the window value of a state's snapshot rows: the state at the as-of date,
// whatever window a reader has in mind. A state's Prometheus gauge has no window label.
const WindowAsOf = "as_of"

// RateWindows are the windows rates are published for: a month's or a quarter's deaths
// over a year's denominator mean nothing (docs/rules.md, Rates).
var RateWindows = []string{WindowYTD, Window12M}

// Unit is how an indicator's value is measured; it picks the metric suffix and the
// dashboards' unit.
type Unit string

const (
	UnitCount   Unit = "count" // a number of records or people
	UnitRatio   Unit = "ratio" // 0..1
	UnitYuan    Unit = "yuan"
	UnitRate    Unit = "rate"    // per a denominator named in the metric
	UnitScore   Unit = "score"   // 0..100
	UnitCode    Unit = "code"    // a coded level (band, grade) or flag
	UnitSeconds Unit = "seconds" // a duration (an age), in seconds; dashboards show days
)

// Indicator is one entry of the catalogue.
type Indicator struct {
	ID       string // the indicator's id (docs/metrics.md)
	Metric   string // the Prometheus gauge, "safetyrisk_" prefixed, base units
	Name     string // Chinese name for dashboards
	Help     string // English help text
	Unit     Unit
	Dir      string // which way is worse: "up", "down", "flag" or "-"
	Dim      string // extra label breaking the value down ("grade", "level", ...), "" for none
	DimEnum  *Enum  // the dim's values, when it has a fixed list
	Measures string // the plan's measures it serves (M-numbers)
	// State marks a state counted at as_of over every record in it, whenever it began
	// (open and overdue hazards, 挂牌督办, ...): no window (WindowAsOf). Otherwise a flow.
	State bool
	// OnlyWindows narrows the windows of a flow (rates: RateWindows); nil: Windows.
	OnlyWindows []string
}

// WindowList returns the windows the entry has values for: WindowAsOf for a state, else
// OnlyWindows or Windows.
func (in Indicator) WindowList() []string {
	switch {
	case in.State:
		return []string{WindowAsOf}
	case in.OnlyWindows != nil:
		return in.OnlyWindows
	}
	return Windows
}

// OverdueAges are the ages (days past the deadline) over which overdue major hazards
// are counted (major_hazards_long_overdue).
var OverdueAges = &Enum{Name: "overdue_over", Values: []EnumValue{
	{Code: "30d", Name: "逾期超过30天"},
	{Code: "90d", Name: "逾期超过90天"},
	{Code: "365d", Name: "逾期超过365天"},
}}

// Catalogue lists every indicator. Coded values: risk_band 1 blue, 2 yellow, 3 orange,
// 4 red; assessment_grade 1 不合格, 2 合格, 3 良好, 4 优秀; veto 0 or 1.
func Catalogue() []Indicator {
	return []Indicator{
		{ID: "accidents", Metric: "safetyrisk_accidents", Name: "事故起数", Help: "Accidents that occurred in the window, by Decree 493 grade.", Unit: UnitCount, Dir: "up", Dim: "grade", DimEnum: AccidentGrades, Measures: "M17"},
		{ID: "deaths", Metric: "safetyrisk_deaths", Name: "死亡人数(含失踪)", Help: "Deaths, missing persons included, in accidents of the window.", Unit: UnitCount, Dir: "up", Measures: "M17"},
		{ID: "serious_injuries", Metric: "safetyrisk_serious_injuries", Name: "重伤人数", Help: "Serious injuries in accidents of the window.", Unit: UnitCount, Dir: "up", Measures: "M17"},
		{ID: "direct_loss", Metric: "safetyrisk_direct_loss_yuan", Name: "直接经济损失", Help: "Direct economic loss of accidents of the window, yuan.", Unit: UnitYuan, Dir: "up", Measures: "M17"},
		{ID: "deaths_per_100m_gdp", Metric: "safetyrisk_deaths_per_100m_yuan_gdp", Name: "亿元GDP死亡率", Help: "Deaths of the window per 100 million yuan of GDP of the window's year (ytd: prorated by the elapsed share of the year).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "industrial_deaths_per_100k_workers", Metric: "safetyrisk_industrial_deaths_per_100k_workers", Name: "工矿商贸十万人死亡率", Help: "Industrial, mining and trade deaths per 100,000 workers of the window's year (ytd: prorated).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "road_transport_deaths_per_10k_vehicles", Metric: "safetyrisk_road_transport_deaths_per_10k_vehicles", Name: "道路运输(生产安全事故)万车死亡率", Help: "Production-safety road-transport accident deaths (sector road_transport; not all road traffic deaths) per 10,000 motor vehicles of the window's year (ytd: prorated).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "coal_deaths_per_mt", Metric: "safetyrisk_coal_deaths_per_million_tonnes", Name: "煤矿百万吨死亡率", Help: "Coal-mine deaths per million tonnes of raw coal of the window's year (ytd: prorated).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "late_report_ratio", Metric: "safetyrisk_late_report_ratio", Name: "迟报率", Help: "Share of the window's accidents not reported within 60 minutes (Decree 493 art. 9): an accident with no report time counts as not on time; one whose occurrence has a date but no time is left out.", Unit: UnitRatio, Dir: "up", Measures: "M58"},
		{ID: "accidents_unreported", Metric: "safetyrisk_accidents_unreported", Name: "无报告时间事故", Help: "Accidents of the window with no report time: no evidence of a timely report (also counted as late in late_report_ratio).", Unit: UnitCount, Dir: "up", Measures: "M58"},
		{ID: "reporting_violations", Metric: "safetyrisk_reporting_violations", Name: "迟报漏报谎报瞒报", Help: "Accidents found late, omitted, falsely or concealed in reporting.", Unit: UnitCount, Dir: "up", Dim: "violation", DimEnum: &Enum{Name: "violation", Values: ReportingViolations.Values[1:]}, Measures: "M58, M60"},
		{ID: "veto", Metric: "safetyrisk_veto", Name: "一票否决", Help: "1 when a large-or-worse accident, or an M31 accident-equivalent, happened in the year.", Unit: UnitCode, Dir: "flag", Measures: "M6, M31"},
		{ID: "hazards_found", Metric: "safetyrisk_hazards_found", Name: "排查隐患数", Help: "Hidden hazards found in the window, by level.", Unit: UnitCount, Dir: "-", Dim: "level", DimEnum: HazardLevels, Measures: "M27"},
		{ID: "hazards_open", Metric: "safetyrisk_hazards_open", Name: "未整改隐患", Help: "State at the as-of date: hazards found by then and not rectified by then, whenever found, by level.", Unit: UnitCount, Dir: "up", Dim: "level", DimEnum: HazardLevels, Measures: "M24, M27", State: true},
		{ID: "hazards_overdue", Metric: "safetyrisk_hazards_overdue", Name: "逾期未整改隐患", Help: "State at the as-of date: hazards not rectified by then and past their deadline, whenever found, by level.", Unit: UnitCount, Dir: "up", Dim: "level", DimEnum: HazardLevels, Measures: "M24", State: true},
		{ID: "major_hazards_long_overdue", Metric: "safetyrisk_major_hazards_long_overdue", Name: "重大隐患逾期时长", Help: "State at the as-of date: overdue major hazards more than 30, 90 or 365 days past their deadline (each count includes the longer ones).", Unit: UnitCount, Dir: "up", Dim: "overdue_over", DimEnum: OverdueAges, Measures: "M24", State: true},
		{ID: "major_hazards_overdue_max_age", Metric: "safetyrisk_major_hazards_overdue_max_age_seconds", Name: "重大隐患最长逾期时长", Help: "State at the as-of date: how long the oldest overdue major hazard is past its deadline, seconds (0 when none is overdue).", Unit: UnitSeconds, Dir: "up", Measures: "M24", State: true},
		{ID: "major_hazards_no_deadline", Metric: "safetyrisk_major_hazards_no_deadline", Name: "未定整改期限重大隐患", Help: "State at the as-of date: open major hazards with no rectification deadline, a 五落实 failure weighed like an overdue one.", Unit: UnitCount, Dir: "up", Measures: "M24, M27", State: true},
		{ID: "rectification_ratio", Metric: "safetyrisk_rectification_ratio", Name: "隐患整改率", Help: "Share of hazards found in the window that are rectified.", Unit: UnitRatio, Dir: "down", Dim: "level", DimEnum: HazardLevels, Measures: "M27"},
		{ID: "on_time_ratio", Metric: "safetyrisk_rectification_on_time_ratio", Name: "按期整改率", Help: "Share of hazards with a deadline rectified by it.", Unit: UnitRatio, Dir: "down", Dim: "level", DimEnum: HazardLevels, Measures: "M27"},
		{ID: "unlisted_major_hazards", Metric: "safetyrisk_unlisted_major_hazards", Name: "未列入台账重大隐患", Help: "Major hazards found in the window by anyone outside the enterprise (inspection, report, another department; not its own self-check) that were not in its ledger: each counts as an accident (M31).", Unit: UnitCount, Dir: "up", Measures: "M31"},
		{ID: "listed_supervision", Metric: "safetyrisk_listed_supervision", Name: "挂牌督办", Help: "State at the as-of date: major hazards under listed supervision, found by then and not rectified by then, whenever found.", Unit: UnitCount, Dir: "-", Measures: "M28", State: true},
		{ID: "inspections", Metric: "safetyrisk_inspections", Name: "检查次数", Help: "Inspections in the window, by kind.", Unit: UnitCount, Dir: "-", Dim: "kind", DimEnum: InspectionKinds, Measures: "M27, M29, M47, M48"},
		{ID: "head_led_inspection_compliance", Metric: "safetyrisk_head_led_inspection_compliance_ratio", Name: "主要负责人每月带队检查落实率", Help: "Share of department-months in the window with an inspection led by the department's head.", Unit: UnitRatio, Dir: "down", Measures: "M13"},
		{ID: "selfcheck_compliance", Metric: "safetyrisk_selfcheck_compliance_ratio", Name: "企业每月自查落实率", Help: "Share of operating enterprise-months in the window with a self-check.", Unit: UnitRatio, Dir: "down", Measures: "M22"},
		{ID: "risk_assessment_compliance", Metric: "safetyrisk_risk_assessment_compliance_ratio", Name: "季度风险评估落实率", Help: "Share of operating enterprises with a risk assessment in each quarter of the window.", Unit: UnitRatio, Dir: "down", Measures: "M22"},
		{ID: "enterprises_by_risk_level", Metric: "safetyrisk_enterprises", Name: "企业风险等级分布", Help: "Operating enterprises by risk level.", Unit: UnitCount, Dir: "up", Dim: "risk_level", DimEnum: RiskLevels, Measures: "M24"},
		{ID: "inspection_coverage", Metric: "safetyrisk_inspection_coverage_ratio", Name: "执法检查覆盖率", Help: "Share of operating enterprises inspected in the window, by risk level (M46 asks for every enterprise within 12 months: the 12m window).", Unit: UnitRatio, Dir: "down", Dim: "risk_level", DimEnum: RiskLevels, Measures: "M46"},
		{ID: "zero_finding_ratio", Metric: "safetyrisk_zero_finding_ratio", Name: "零隐患检查占比", Help: "Share of inspections that found no hazard: a lax-enforcement signal (宽松软).", Unit: UnitRatio, Dir: "up", Measures: "M46"},
		{ID: "double_random_share", Metric: "safetyrisk_double_random_ratio", Name: "双随机检查占比", Help: "Share of inspections drawn by 双随机一公开.", Unit: UnitRatio, Dir: "down", Measures: "M47"},
		{ID: "enforcement_cases", Metric: "safetyrisk_enforcement_cases", Name: "执法案件数", Help: "Enforcement cases decided in the window, by action (a case with several actions counts under each).", Unit: UnitCount, Dir: "-", Dim: "action", DimEnum: EnforcementActions, Measures: "M43, M44"},
		{ID: "fines", Metric: "safetyrisk_fines_yuan", Name: "罚款金额", Help: "Fines decided in the window, yuan.", Unit: UnitYuan, Dir: "-", Measures: "M43, M44"},
		{ID: "three_systems_compliance", Metric: "safetyrisk_three_systems_compliance_ratio", Name: "行政执法三项制度落实率", Help: "Share of cases recorded in full, publicized and, when major, legally reviewed.", Unit: UnitRatio, Dir: "down", Measures: "M49"},
		{ID: "fine_only_fatal_accidents", Metric: "safetyrisk_fine_only_fatal_accidents", Name: "以罚代刑风险事故", Help: "Fatal accidents whose investigation term (60 + 60 days, Decree 493 art. 29) ended in the window and whose enforcement cases show a fine and no transfer to the judiciary.", Unit: UnitCount, Dir: "up", Measures: "M50"},
		{ID: "fatal_accidents_no_enforcement", Metric: "safetyrisk_fatal_accidents_no_enforcement", Name: "调查期满无执法结果死亡事故", Help: "Fatal accidents whose investigation term (60 + 60 days, Decree 493 art. 29) ended in the window with no enforcement case decided.", Unit: UnitCount, Dir: "up", Measures: "M50"},
		{ID: "reports_received", Metric: "safetyrisk_reports_received", Name: "受理举报数", Help: "Whistleblower reports accepted in the window, by channel.", Unit: UnitCount, Dir: "-", Dim: "channel", DimEnum: ReportChannels, Measures: "M54, M55"},
		{ID: "verified_in_time_ratio", Metric: "safetyrisk_reports_verified_in_time_ratio", Name: "举报按期核查率", Help: "Share of reports verified within 60 days of acceptance.", Unit: UnitRatio, Dir: "down", Measures: "M54"},
		{ID: "substantiated_ratio", Metric: "safetyrisk_reports_substantiated_ratio", Name: "举报属实率", Help: "Share of verified reports found substantiated.", Unit: UnitRatio, Dir: "-", Measures: "M54"},
		{ID: "rewards_paid", Metric: "safetyrisk_rewards_paid_yuan", Name: "兑现奖励金额", Help: "Whistleblower rewards paid in the window, yuan.", Unit: UnitYuan, Dir: "down", Measures: "M56, M57"},
		{ID: "reward_on_time_ratio", Metric: "safetyrisk_reward_on_time_ratio", Name: "奖励按期兑现率", Help: "Of the rewards due (substantiated reports of a major hazard, an illegal act or a concealed accident, 安监总财〔2018〕19号) accepted in the window, the share paid within the reward term after verification.", Unit: UnitRatio, Dir: "down", Measures: "M57"},
		{ID: "reward_in_full_ratio", Metric: "safetyrisk_reward_in_full_ratio", Name: "奖励足额兑现率", Help: "Of the rewards due accepted in the window and paid, the share whose amount is within the 2018 rules (3,000..300,000 yuan; a concealed accident at least 30,000).", Unit: UnitRatio, Dir: "down", Measures: "M57"},
		{ID: "dispatch_worker_share", Metric: "safetyrisk_dispatch_worker_ratio", Name: "高危行业派遣及灵活用工占比", Help: "Dispatched and flexible workers as a share of all workers of operating enterprises in hazardous sectors.", Unit: UnitRatio, Dir: "up", Measures: "M40"},
		{ID: "qualified_staff_ratio", Metric: "safetyrisk_qualified_staff_ratio", Name: "执法人员专业化比例", Help: "Share of active enforcement officers with relevant education, qualification or experience (target 0.75).", Unit: UnitRatio, Dir: "down", Measures: "M51"},
		{ID: "meeting_compliance", Metric: "safetyrisk_meeting_compliance_ratio", Name: "党委政府研究安全生产落实率", Help: "Share of required half-yearly party-committee and government meetings on work safety held.", Unit: UnitRatio, Dir: "down", Measures: "M2, M9"},
		{ID: "risk_index", Metric: "safetyrisk_risk_index", Name: "综合风险指数", Help: "Composite risk index, 0 (best) to 100 (worst).", Unit: UnitScore, Dir: "up", Measures: "M5"},
		{ID: "risk_band", Metric: "safetyrisk_risk_band", Name: "风险等级色带", Help: "Band of the composite risk index: 1 blue, 2 yellow, 3 orange, 4 red.", Unit: UnitCode, Dir: "up", Measures: "M5"},
		{ID: "assessment_score", Metric: "safetyrisk_assessment_score", Name: "年度考核得分", Help: "Annual work-safety assessment score, 0 to 100.", Unit: UnitScore, Dir: "down", Measures: "M5, M6"},
		{ID: "assessment_grade", Metric: "safetyrisk_assessment_grade", Name: "年度考核等次", Help: "Annual assessment grade: 1 不合格, 2 合格, 3 良好, 4 优秀, after the M6 veto.", Unit: UnitCode, Dir: "down", Measures: "M5, M6"},
	}
}

// IndicatorByID returns the catalogue entry, or false.
func IndicatorByID(id string) (Indicator, bool) {
	for _, in := range Catalogue() {
		if in.ID == id {
			return in, true
		}
	}
	return Indicator{}, false
}
