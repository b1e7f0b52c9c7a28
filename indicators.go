package safetyrisk

import (
	"regexp"
	"sync"
)

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
	ID     string // the indicator's id (docs/metrics.md)
	Metric string // the Prometheus gauge, "safetyrisk_" prefixed, base units
	Name   string // Chinese name for dashboards
	// Meaning says in Chinese what the number means: the dashboards' panel descriptions
	// and docs/metrics.md show it (Help is English).
	Meaning  string
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
	// Codes are the values of a coded indicator (UnitCode) in order, with what each
	// stands for: dashboards map the numbers to these names and colours.
	Codes []Code
	// Alarm marks a count or ratio that a rule wants at 0: any value above 0 is a
	// violation or a signal, and dashboards show it red. The entry's comment cites the rule.
	Alarm bool
	// Target is a rule's target for the value, when a rule sets one (M51: 0.75):
	// dashboards colour the value against it, on the worse side red.
	Target *float64
	// RareDenominator marks a ratio over rare events (an accident of a kind, a concealed
	// one): most regions have no value, so per-region overviews leave it out.
	RareDenominator bool
}

// Code is one value of a coded indicator: the number, its Chinese name and the colour
// dashboards give it (a Grafana colour name).
type Code struct {
	Value float64
	Name  string
	Color string
}

// RiskBands are the bands of the composite risk index, coloured as the four-colour
// risk grading names them (M5).
var RiskBands = []Code{{1, "蓝", "blue"}, {2, "黄", "yellow"}, {3, "橙", "orange"}, {4, "红", "red"}}

// VetoCodes: 1 when the year's grade is vetoed (M6), else 0.
var VetoCodes = []Code{{0, "无", "green"}, {1, "一票否决", "red"}}

// AssessmentGrades are the annual assessment grades, worst first (M6).
var AssessmentGrades = []Code{{1, "不合格", "red"}, {2, "合格", "yellow"}, {3, "良好", "blue"}, {4, "优秀", "green"}}

// target returns a rule's target value for an entry's Target field.
func target(v float64) *float64 { return &v }

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
var OverdueAges = &Enum{Name: "overdue_over", Label: "逾期时长", Values: []EnumValue{
	{Code: "30d", Name: "逾期超过30天"},
	{Code: "90d", Name: "逾期超过90天"},
	{Code: "365d", Name: "逾期超过365天"},
}}

// Catalogue lists every indicator. Coded values (risk_band, veto, assessment_grade) list
// their codes in Codes.
func Catalogue() []Indicator {
	return append([]Indicator{
		{ID: "accidents", Metric: "safetyrisk_accidents", Name: "事故起数", Meaning: "统计窗口内发生的生产安全事故起数，按《生产安全事故报告和调查处理条例》（国务院令第493号）第三条分为一般、较大、重大、特别重大", Help: "Accidents that occurred in the window, by Decree 493 grade.", Unit: UnitCount, Dir: "up", Dim: "grade", DimEnum: AccidentGrades, Measures: "M17"},
		{ID: "deaths", Metric: "safetyrisk_deaths", Name: "死亡人数(含失踪)", Meaning: "统计窗口内事故造成的死亡人数，失踪人员计入死亡", Help: "Deaths, missing persons included, in accidents of the window.", Unit: UnitCount, Dir: "up", Measures: "M17"},
		{ID: "serious_injuries", Metric: "safetyrisk_serious_injuries", Name: "重伤人数", Meaning: "统计窗口内事故造成的重伤人数", Help: "Serious injuries in accidents of the window.", Unit: UnitCount, Dir: "up", Measures: "M17"},
		{ID: "direct_loss", Metric: "safetyrisk_direct_loss_yuan", Name: "直接经济损失", Meaning: "统计窗口内事故造成的直接经济损失，单位为元", Help: "Direct economic loss of accidents of the window, yuan.", Unit: UnitYuan, Dir: "up", Measures: "M17"},
		{ID: "deaths_per_100m_gdp", Metric: "safetyrisk_deaths_per_100m_yuan_gdp", Name: "亿元GDP死亡率", Meaning: "每亿元地区生产总值的事故死亡人数（死亡人数 ÷ GDP（亿元））；分母取统计窗口截止年份的统计数据，本年累计按已过天数折算；仅发布本年累计和近12个月；缺少该年统计数据的旗区不计算", Help: "Deaths of the window per 100 million yuan of GDP of the window's year (ytd: prorated by the elapsed share of the year).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "industrial_deaths_per_100k_workers", Metric: "safetyrisk_industrial_deaths_per_100k_workers", Name: "工矿商贸十万人死亡率", Meaning: "工矿商贸领域每十万从业人员的事故死亡人数", Help: "Industrial, mining and trade deaths per 100,000 workers of the window's year (ytd: prorated).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "road_transport_deaths_per_10k_vehicles", Metric: "safetyrisk_road_transport_deaths_per_10k_vehicles", Name: "道路运输(生产安全事故)万车死亡率", Meaning: "道路运输生产安全事故（行业领域为道路运输）每万辆机动车的死亡人数；不是全部道路交通事故的万车死亡率", Help: "Production-safety road-transport accident deaths (sector road_transport; not all road traffic deaths) per 10,000 motor vehicles of the window's year (ytd: prorated).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "coal_deaths_per_mt", Metric: "safetyrisk_coal_deaths_per_million_tonnes", Name: "煤矿百万吨死亡率", Meaning: "煤矿每百万吨原煤产量的事故死亡人数", Help: "Coal-mine deaths per million tonnes of raw coal of the window's year (ytd: prorated).", Unit: UnitRate, Dir: "up", Measures: "M5", OnlyWindows: RateWindows},
		{ID: "late_report_ratio", Metric: "safetyrisk_late_report_ratio", Name: "迟报率", Meaning: "未在事故发生后1小时内报告的事故所占比例（第493号令第九条：事故单位负责人应于1小时内报告）；没有报告时间的事故计为未按时报告，只有日期、没有发生时刻的事故不计入；大于0即存在迟报", Help: "Share of the window's accidents not reported within 60 minutes (Decree 493 art. 9): an accident with no report time counts as not on time; one whose occurrence has a date but no time is left out.", Unit: UnitRatio, Dir: "up", Measures: "M58", Alarm: true}, // Decree 493 art. 9: report within 1 hour
		{ID: "accidents_unreported", Metric: "safetyrisk_accidents_unreported", Name: "无报告时间事故", Meaning: "统计窗口内没有报告时间的事故起数：没有按时报告的证据，同时计入迟报率", Help: "Accidents of the window with no report time: no evidence of a timely report (also counted as late in late_report_ratio).", Unit: UnitCount, Dir: "up", Measures: "M58", Alarm: true},                                                                                                                           // Decree 493 art. 9: no evidence of a timely report
		{ID: "reporting_violations", Metric: "safetyrisk_reporting_violations", Name: "迟报漏报谎报瞒报", Meaning: "经调查认定存在迟报、漏报、谎报、瞒报的事故起数", Help: "Accidents found late, omitted, falsely or concealed in reporting.", Unit: UnitCount, Dir: "up", Dim: "violation", DimEnum: &Enum{Name: "violation", Label: "违规类型", Values: ReportingViolations.Values[1:]}, Measures: "M58, M60"},
		{ID: "veto", Metric: "safetyrisk_veto", Name: "一票否决", Meaning: "本年发生较大及以上事故，或存在按M31视同事故的情形时为1（一票否决），否则为0", Help: "1 when a large-or-worse accident, or an M31 accident-equivalent, happened in the year.", Unit: UnitCode, Dir: "flag", Measures: "M6, M31", Codes: VetoCodes},
		{ID: "hazards_found", Metric: "safetyrisk_hazards_found", Name: "排查隐患数", Meaning: "统计窗口内排查发现的事故隐患数，分一般隐患和重大隐患", Help: "Hidden hazards found in the window, by level.", Unit: UnitCount, Dir: "-", Dim: "level", DimEnum: HazardLevels, Measures: "M27, M30"},
		{ID: "hazards_open", Metric: "safetyrisk_hazards_open", Name: "未整改隐患", Meaning: "截至统计日已发现、仍未整改的隐患数，不论何时发现", Help: "State at the as-of date: hazards found by then and not rectified by then, whenever found, by level.", Unit: UnitCount, Dir: "up", Dim: "level", DimEnum: HazardLevels, Measures: "M24, M27", State: true},
		{ID: "hazards_overdue", Metric: "safetyrisk_hazards_overdue", Name: "逾期未整改隐患", Meaning: "截至统计日仍未整改且已超过整改期限的隐患数，不论何时发现", Help: "State at the as-of date: hazards not rectified by then and past their deadline, whenever found, by level.", Unit: UnitCount, Dir: "up", Dim: "level", DimEnum: HazardLevels, Measures: "M24", State: true},
		{ID: "major_hazards_long_overdue", Metric: "safetyrisk_major_hazards_long_overdue", Name: "重大隐患逾期时长", Meaning: "截至统计日逾期未整改的重大隐患中，超过整改期限30天、90天、365天的项数（超过90天的也计入超过30天）", Help: "State at the as-of date: overdue major hazards more than 30, 90 or 365 days past their deadline (each count includes the longer ones).", Unit: UnitCount, Dir: "up", Dim: "overdue_over", DimEnum: OverdueAges, Measures: "M24", State: true, Alarm: true}, // M24
		{ID: "major_hazards_overdue_max_age", Metric: "safetyrisk_major_hazards_overdue_max_age_seconds", Name: "重大隐患最长逾期时长", Meaning: "截至统计日逾期最久的重大隐患已超过整改期限的时长", Help: "State at the as-of date: how long the oldest overdue major hazard is past its deadline, seconds (0 when none is overdue).", Unit: UnitSeconds, Dir: "up", Measures: "M24", State: true, Alarm: true},                                                                     // M24
		{ID: "major_hazards_no_deadline", Metric: "safetyrisk_major_hazards_no_deadline", Name: "未定整改期限重大隐患", Meaning: "截至统计日仍未整改、却没有整改期限的重大隐患数：五落实中时限未落实，按逾期重大隐患对待", Help: "State at the as-of date: open major hazards with no rectification deadline, a 五落实 failure weighed like an overdue one.", Unit: UnitCount, Dir: "up", Measures: "M24, M27", State: true, Alarm: true},                                                                  // M24: 五落实 (time limit) missing
		{ID: "rectification_ratio", Metric: "safetyrisk_rectification_ratio", Name: "隐患整改率", Meaning: "统计窗口内发现的隐患中已完成整改（含已销号）的比例", Help: "Share of hazards found in the window that are rectified.", Unit: UnitRatio, Dir: "down", Dim: "level", DimEnum: HazardLevels, Measures: "M27, M30"},
		{ID: "on_time_ratio", Metric: "safetyrisk_rectification_on_time_ratio", Name: "按期整改率", Meaning: "设有整改期限的隐患中在期限内完成整改的比例", Help: "Share of hazards with a deadline rectified by it.", Unit: UnitRatio, Dir: "down", Dim: "level", DimEnum: HazardLevels, Measures: "M27, M30"},
		{ID: "unlisted_major_hazards", Metric: "safetyrisk_unlisted_major_hazards", Name: "未列入台账重大隐患", Meaning: "统计窗口内由企业以外（执法检查、举报、其他部门）发现、未列入企业隐患台账的重大隐患数；按M31每一项视同发生一起事故；企业自查发现的不计", Help: "Major hazards found in the window by anyone outside the enterprise (inspection, report, another department; not its own self-check) that were not in its ledger: each counts as an accident (M31).", Unit: UnitCount, Dir: "up", Measures: "M31", Alarm: true}, // M31: each counts as an accident
		{ID: "listed_supervision", Metric: "safetyrisk_listed_supervision", Name: "挂牌督办", Meaning: "截至统计日仍在挂牌督办（尚未整改销号）的重大隐患数，不论何时发现", Help: "State at the as-of date: major hazards under listed supervision, found by then and not rectified by then, whenever found.", Unit: UnitCount, Dir: "-", Measures: "M28", State: true},
		{ID: "inspections", Metric: "safetyrisk_inspections", Name: "检查次数", Meaning: "统计窗口内的检查次数，按日常、双随机、专项、明察暗访、交叉互查、企业自查、举报核查、事故调查等方式区分", Help: "Inspections in the window, by kind.", Unit: UnitCount, Dir: "-", Dim: "kind", DimEnum: InspectionKinds, Measures: "M27, M29, M47, M48"},
		{ID: "head_led_inspection_compliance", Metric: "safetyrisk_head_led_inspection_compliance_ratio", Name: "主要负责人每月带队检查落实率", Meaning: "部门主要负责人每月至少带队检查一次的落实比例（按部门·月计）", Help: "Share of department-months in the window with an inspection led by the department's head.", Unit: UnitRatio, Dir: "down", Measures: "M13"},
		{ID: "selfcheck_compliance", Metric: "safetyrisk_selfcheck_compliance_ratio", Name: "企业每月自查落实率", Meaning: "在营企业每月开展隐患自查的落实比例（按企业·月计）", Help: "Share of operating enterprise-months in the window with a self-check.", Unit: UnitRatio, Dir: "down", Measures: "M22"},
		{ID: "risk_assessment_compliance", Metric: "safetyrisk_risk_assessment_compliance_ratio", Name: "季度风险评估落实率", Meaning: "在营企业每季度开展安全风险评估的落实比例", Help: "Share of operating enterprises with a risk assessment in each quarter of the window.", Unit: UnitRatio, Dir: "down", Measures: "M22"},
		{ID: "enterprises_by_risk_level", Metric: "safetyrisk_enterprises", Name: "企业风险等级分布", Meaning: "在营企业按安全风险等级（重大/较大/一般/低）的分布", Help: "Operating enterprises by risk level.", Unit: UnitCount, Dir: "up", Dim: "risk_level", DimEnum: RiskLevels, Measures: "M24"},
		{ID: "inspection_coverage", Metric: "safetyrisk_inspection_coverage_ratio", Name: "执法检查覆盖率", Meaning: "近12个月内接受过执法检查的在营企业占比，按企业风险等级区分", Help: "Share of operating enterprises inspected in the window, by risk level (M46 asks for every enterprise within 12 months: the 12m window).", Unit: UnitRatio, Dir: "down", Dim: "risk_level", DimEnum: RiskLevels, Measures: "M46"},
		{ID: "zero_finding_ratio", Metric: "safetyrisk_zero_finding_ratio", Name: "零隐患检查占比", Meaning: "未发现任何隐患的执法检查占检查总数的比例；比例偏高提示执法检查宽松软", Help: "Share of inspections that found no hazard: a lax-enforcement signal (宽松软).", Unit: UnitRatio, Dir: "up", Measures: "M46"},
		{ID: "double_random_share", Metric: "safetyrisk_double_random_ratio", Name: "双随机检查占比", Meaning: "以双随机一公开方式抽取的检查占检查总数的比例", Help: "Share of inspections drawn by 双随机一公开.", Unit: UnitRatio, Dir: "down", Measures: "M47"},
		{ID: "enforcement_cases", Metric: "safetyrisk_enforcement_cases", Name: "执法案件数", Meaning: "统计窗口内作出决定的行政执法案件数，按处罚种类区分（一案多种处罚分别计数）", Help: "Enforcement cases decided in the window, by action (a case with several actions counts under each).", Unit: UnitCount, Dir: "-", Dim: "action", DimEnum: EnforcementActions, Measures: "M43, M44"},
		{ID: "fines", Metric: "safetyrisk_fines_yuan", Name: "罚款金额", Meaning: "统计窗口内行政处罚决定的罚款金额，单位为元", Help: "Fines decided in the window, yuan.", Unit: UnitYuan, Dir: "-", Measures: "M43, M44"},
		{ID: "three_systems_compliance", Metric: "safetyrisk_three_systems_compliance_ratio", Name: "行政执法三项制度落实率", Meaning: "执法案件中全过程记录、执法公示、重大执法决定法制审核三项制度均落实的比例", Help: "Share of cases recorded in full, publicized and, when major, legally reviewed.", Unit: UnitRatio, Dir: "down", Measures: "M49"},
		{ID: "fine_only_fatal_accidents", Metric: "safetyrisk_fine_only_fatal_accidents", Name: "以罚代刑风险事故", Meaning: "调查期限（60日，可延长60日，第493号令第二十九条）在统计窗口内届满、相关执法案件有罚款但均未移送司法机关的死亡事故起数，是以罚代刑的风险信号", Help: "Fatal accidents whose investigation term (60 + 60 days, Decree 493 art. 29) ended in the window and whose enforcement cases show a fine and no transfer to the judiciary.", Unit: UnitCount, Dir: "up", Measures: "M50", Alarm: true}, // M50: 以罚代刑
		{ID: "fatal_accidents_no_enforcement", Metric: "safetyrisk_fatal_accidents_no_enforcement", Name: "调查期满无执法结果死亡事故", Meaning: "调查期限（60+60日）在统计窗口内届满、仍没有任何执法案件的死亡事故起数", Help: "Fatal accidents whose investigation term (60 + 60 days, Decree 493 art. 29) ended in the window with no enforcement case decided.", Unit: UnitCount, Dir: "up", Measures: "M50", Alarm: true},                                                              // M50
		{ID: "reports_received", Metric: "safetyrisk_reports_received", Name: "受理举报数", Meaning: "统计窗口内受理的安全生产举报数，按举报渠道区分（不含任何举报人身份信息）", Help: "Whistleblower reports accepted in the window, by channel.", Unit: UnitCount, Dir: "-", Dim: "channel", DimEnum: ReportChannels, Measures: "M54, M55"},
		{ID: "verified_in_time_ratio", Metric: "safetyrisk_reports_verified_in_time_ratio", Name: "举报按期核查率", Meaning: "自受理之日起60日内完成核查的举报占比", Help: "Share of reports verified within 60 days of acceptance.", Unit: UnitRatio, Dir: "down", Measures: "M54, M57"},
		{ID: "substantiated_ratio", Metric: "safetyrisk_reports_substantiated_ratio", Name: "举报属实率", Meaning: "已核查举报中经查属实的比例", Help: "Share of verified reports found substantiated.", Unit: UnitRatio, Dir: "-", Measures: "M54"},
		{ID: "rewards_paid", Metric: "safetyrisk_rewards_paid_yuan", Name: "兑现奖励金额", Meaning: "统计窗口内兑现的举报奖励金额，单位为元", Help: "Whistleblower rewards paid in the window, yuan.", Unit: UnitYuan, Dir: "down", Measures: "M56, M57"},
		{ID: "reward_on_time_ratio", Metric: "safetyrisk_reward_on_time_ratio", Name: "奖励按期兑现率", Meaning: "应予奖励的举报（经查属实的重大隐患、非法违法行为、瞒报事故举报，安监总财〔2018〕19号）中，在核查后兑现期限（默认60日）内兑现的比例", Help: "Of the rewards due (substantiated reports of a major hazard, an illegal act or a concealed accident, 安监总财〔2018〕19号) accepted in the window, the share paid within the reward term after verification.", Unit: UnitRatio, Dir: "down", Measures: "M57"},
		{ID: "reward_in_full_ratio", Metric: "safetyrisk_reward_in_full_ratio", Name: "奖励足额兑现率", Meaning: "已兑现的应予奖励举报中，金额符合规定（3000至30万元；瞒报事故不少于3万元）的比例", Help: "Of the rewards due accepted in the window and paid, the share whose amount is within the 2018 rules (3,000..300,000 yuan; a concealed accident at least 30,000).", Unit: UnitRatio, Dir: "down", Measures: "M57"},
		{ID: "dispatch_worker_share", Metric: "safetyrisk_dispatch_worker_ratio", Name: "高危行业派遣及灵活用工占比", Meaning: "高危行业在营企业中劳务派遣和灵活用工人员占从业人员总数的比例", Help: "Dispatched and flexible workers as a share of all workers of operating enterprises in hazardous sectors.", Unit: UnitRatio, Dir: "up", Measures: "M40"},
		{ID: "qualified_staff_ratio", Metric: "safetyrisk_qualified_staff_ratio", Name: "执法人员专业化比例", Meaning: "在职执法人员中具有应急管理相关学历、职业资格或实践经验的比例，目标不低于75%", Help: "Share of active enforcement officers with relevant education, qualification or experience (target 0.75).", Unit: UnitRatio, Dir: "down", Measures: "M51", Target: target(QualifiedStaffTarget)}, // M51: at least 75% of enforcement officers qualified
		{ID: "meeting_compliance", Metric: "safetyrisk_meeting_compliance_ratio", Name: "党委政府研究安全生产落实率", Meaning: "党委常委会、政府常务会每半年研究安全生产工作的应开会议中已召开的比例", Help: "Share of required half-yearly party-committee and government meetings on work safety held.", Unit: UnitRatio, Dir: "down", Measures: "M2, M9"},
		{ID: "risk_index", Metric: "safetyrisk_risk_index", Name: "综合风险指数", Meaning: "综合风险指数，各项指标按权重加权后折算为0（最好）到100（最差）", Help: "Composite risk index, 0 (best) to 100 (worst).", Unit: UnitScore, Dir: "up", Measures: "M5"},
		{ID: "risk_band", Metric: "safetyrisk_risk_band", Name: "风险等级色带", Meaning: "综合风险指数所处色带：1 蓝、2 黄、3 橙、4 红", Help: "Band of the composite risk index: 1 blue, 2 yellow, 3 orange, 4 red.", Unit: UnitCode, Dir: "up", Measures: "M5", Codes: RiskBands},
		{ID: "assessment_score", Metric: "safetyrisk_assessment_score", Name: "年度考核得分", Meaning: "年度安全生产考核得分，0到100分", Help: "Annual work-safety assessment score, 0 to 100.", Unit: UnitScore, Dir: "down", Measures: "M5, M6"},
		{ID: "assessment_grade", Metric: "safetyrisk_assessment_grade", Name: "年度考核等次", Meaning: "年度考核等次：1 不合格、2 合格、3 良好、4 优秀；发生一票否决情形的不得评为优秀（M6）", Help: "Annual assessment grade: 1 不合格, 2 合格, 3 良好, 4 优秀, after the M6 veto.", Unit: UnitCode, Dir: "down", Measures: "M5, M6", Codes: AssessmentGrades},
	}, measuresCatalogue()...)
}

var measureRE = regexp.MustCompile(`M\d+`)

// MeasureCodes lists the M-numbers of the entry's Measures field ("M24", "M27").
func (in Indicator) MeasureCodes() []string {
	return measureRE.FindAllString(in.Measures, -1)
}

// IndicatorByID returns the catalogue entry, or false. The entries are looked up in an
// index built once: building the catalogue each call cost tens of microseconds, and
// the measures' check alone looks up a hundred ids. An entry shares its slices and
// pointers with the index, as Catalogue's entries share the code lists: read them only.
func IndicatorByID(id string) (Indicator, bool) {
	in, ok := catalogueByID()[id]
	return in, ok
}

var catalogueByID = sync.OnceValue(func() map[string]Indicator {
	m := map[string]Indicator{}
	for _, in := range Catalogue() {
		if _, dup := m[in.ID]; !dup { // the first, as a search in order finds
			m[in.ID] = in
		}
	}
	return m
})
