package grafana

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/safetyrisk/safetyrisk"
)

const (
	ytd = safetyrisk.WindowYTD
	m12 = safetyrisk.Window12M
	mon = safetyrisk.WindowMonth
)

// overview is 安全生产风险总览.
func (g *gen) overview() []panel {
	c, r, s := g.city(), g.regions(), g.sectors()
	overdue := g.one(kindBarGauge, "hazards_overdue", r, scopeRegions, now, "{{region_name}}")
	overdue.targets[0].expr = "sort_desc(" + g.sel("hazards_overdue", r, now, "major") + ")"
	overdue.title = "逾期未整改重大隐患（各旗区，截至统计日）"
	overdue.desc = g.desc("hazards_overdue", scopeRegions, now, "仅计重大隐患。")
	overdue.steps = anyAbove()
	vetoes := g.one(kindStat, "veto", r, scopeRegions, ytd, "{{region_name}}")
	vetoes.title = "一票否决（各旗区）"
	vetoes.w = 12
	late := g.one(kindBarGauge, "late_report_ratio", r, scopeRegions, winVar, "{{region_name}}")
	late.title = "迟报率（各旗区）"
	return []panel{
		sized(g.one(kindStat, "risk_index", c, scopeCity, winVar, "全市"), 4, 5),
		sized(g.one(kindStat, "risk_band", c, scopeCity, winVar, "全市"), 4, 5),
		sized(titled(g.yoy("accidents", c, scopeCity), "事故起数：本年与去年同期"), 8, 5),
		sized(titled(g.yoy("deaths", c, scopeCity), "死亡人数：本年与去年同期"), 8, 5),
		vetoes,
		sized(g.one(kindStat, "late_report_ratio", c, scopeCity, winVar, "全市"), 6, 6),
		sized(titled(g.one(kindStat, "reporting_violations", c, scopeCity, winVar, "全市"), "迟报漏报谎报瞒报起数"), 6, 6),
		sized(g.geo(), 12, 14),
		sized(titled(g.one(kindBarGauge, "risk_index", r, scopeRegions, winVar, "{{region_name}}"), "旗区风险排名"), 6, 14),
		sized(titled(g.one(kindBarGauge, "risk_index", s, scopeSectors, winVar, "{{sector_name}}"), "行业领域风险排名"), 6, 14),
		sized(overdue, 8, 9),
		sized(late, 8, 9),
		sized(titled(g.one(kindBarGauge, "risk_band", r, scopeRegions, winVar, "{{region_name}}"), "旗区风险色带"), 8, 9),
		sized(titled(g.trend("risk_index", r, scopeRegions, winVar, "{{region_name}}"), "各旗区综合风险指数趋势"), 24, 9),
	}
}

// region is 旗区风险, for the region chosen by $region.
func (g *gen) region() []panel {
	o, c := g.oneRegion(), g.city()
	idx := g.trend("risk_index", o, scopeRegion, winVar, "$region")
	idx.targets = append(idx.targets, target{expr: g.sel("risk_index", c, winVar, ""), legend: "全市"})
	idx.title = "综合风险指数趋势（与全市对比）"
	overdue := g.ip(kindStat, "hazards_overdue", scopeRegion, now, target{expr: g.sel("hazards_overdue", o, now, "major"), legend: "重大隐患"})
	overdue.title, overdue.steps = "逾期未整改重大隐患", anyAbove()
	ps := []panel{
		sized(g.one(kindStat, "risk_index", o, scopeRegion, winVar, "$region"), 4, 5),
		sized(g.one(kindStat, "risk_band", o, scopeRegion, winVar, "$region"), 4, 5),
		sized(g.one(kindStat, "veto", o, scopeRegion, ytd, "$region"), 4, 5),
		sized(g.one(kindStat, "assessment_score", o, scopeRegion, ytd, "$region"), 4, 5),
		sized(g.one(kindStat, "assessment_grade", o, scopeRegion, ytd, "$region"), 4, 5),
		sized(overdue, 4, 5),
		sized(g.yoy("accidents", o, scopeRegion), 8, 5),
		sized(g.yoy("deaths", o, scopeRegion), 8, 5),
		sized(g.one(kindStat, "late_report_ratio", o, scopeRegion, winVar, "$region"), 8, 5),
		idx,
		sized(g.byDim(kindBarGauge, "accidents", o, scopeRegion, winVar), 12, 8),
	}
	return append(ps, g.compliance(o, scopeRegion))
}

// compliance shows, for rows, every "higher is better" ratio of the catalogue without a
// breakdown, plus the major-hazard rectification ratios: which duty is not being done.
func (g *gen) compliance(rows, scope string) panel {
	var ts []target
	var ms []string
	for _, in := range safetyrisk.Catalogue() {
		if in.Unit != safetyrisk.UnitRatio || in.Dir != "down" || in.RareDenominator {
			continue
		}
		dim := ""
		if in.Dim == "level" {
			dim = "major"
		} else if in.Dim != "" {
			continue
		}
		name := in.Name
		if dim != "" {
			name += "（重大隐患）"
		}
		ts = append(ts, target{expr: g.sel(in.ID, rows, winVar, dim), legend: name})
		ms = append(ms, in.Measures)
	}
	return panel{kind: kindBarGauge, title: "各项履职落实率", unit: "percentunit", min: ptr(0.0), max: ptr(1.0),
		desc: "目录中所有“越高越好”的比率指标：隐患整改率、按期整改率、主要负责人带队检查、企业自查、风险评估、三项制度、举报核查与奖励兑现、执法人员专业化、党委政府研究安全生产等，值低的一项即未落实到位的职责。" +
			scope + windowNote(winVar) + "对应措施：" + joinUnique(ms) + "。",
		color:   dashboard.FieldColorModeIdContinuousRdYlGr, // no rule sets one threshold for all of them
		targets: ts, w: 12, h: 12}
}

// sector is 行业领域风险, for the sector chosen by $sector.
func (g *gen) sector() []panel {
	o, c := g.oneSector(), g.city()
	idx := g.trend("risk_index", o, scopeSector, winVar, "$sector")
	idx.targets = append(idx.targets, target{expr: g.sel("risk_index", c, winVar, ""), legend: "全市全部行业"})
	idx.title = "综合风险指数趋势（与全市全部行业对比）"
	overdue := g.ip(kindStat, "hazards_overdue", scopeSector, now, target{expr: g.sel("hazards_overdue", o, now, "major"), legend: "重大隐患"})
	overdue.title, overdue.steps = "逾期未整改重大隐患", anyAbove()
	return []panel{
		sized(g.one(kindStat, "risk_index", o, scopeSector, winVar, "$sector"), 4, 5),
		sized(g.one(kindStat, "risk_band", o, scopeSector, winVar, "$sector"), 4, 5),
		sized(g.one(kindStat, "veto", o, scopeSector, ytd, "$sector"), 4, 5),
		sized(overdue, 4, 5),
		sized(g.one(kindStat, "dispatch_worker_share", o, scopeSector, winVar, "$sector"), 4, 5),
		sized(g.one(kindStat, "zero_finding_ratio", o, scopeSector, winVar, "$sector"), 4, 5),
		sized(g.yoy("accidents", o, scopeSector), 8, 5),
		sized(g.yoy("deaths", o, scopeSector), 8, 5),
		sized(g.one(kindStat, "fines", o, scopeSector, winVar, "$sector"), 8, 5),
		idx,
		sized(g.byDim(kindBarGauge, "enterprises_by_risk_level", o, scopeSector, winVar), 12, 8),
		sized(g.byDim(kindBarGauge, "hazards_found", o, scopeSector, winVar), 8, 7),
		sized(g.byDim(kindBarGauge, "rectification_ratio", o, scopeSector, winVar), 8, 7),
		sized(g.byDim(kindBarGauge, "enforcement_cases", o, scopeSector, winVar), 8, 7),
	}
}

// hazards is 隐患排查治理.
func (g *gen) hazards() []panel {
	c, r := g.city(), g.regions()
	overdue := g.ip(kindBarGauge, "hazards_overdue", scopeRegions, now, target{expr: "sort_desc(" + g.sel("hazards_overdue", r, now, "major") + ")", legend: "{{region_name}}"})
	overdue.title, overdue.steps = "逾期未整改重大隐患（各旗区，截至统计日）", anyAbove()
	noDeadline := g.one(kindBarGauge, "major_hazards_no_deadline", r, scopeRegions, now, "{{region_name}}")
	noDeadline.title = "未定整改期限重大隐患（各旗区，截至统计日）"
	rect := g.ip(kindTimeseries, "rectification_ratio", scopeCity, winVar,
		target{expr: g.sel("rectification_ratio", c, winVar, "major"), legend: "重大隐患整改率"},
		target{expr: g.sel("rectification_ratio", c, winVar, "general"), legend: "一般隐患整改率"},
		target{expr: g.sel("on_time_ratio", c, winVar, "major"), legend: "重大隐患按期整改率"},
		target{expr: g.sel("on_time_ratio", c, winVar, "general"), legend: "一般隐患按期整改率"})
	rect.title = "隐患整改率与按期整改率趋势"
	rect.desc = g.desc("rectification_ratio", scopeCity, winVar, "同时显示按期整改率："+g.ind("on_time_ratio").Meaning+"。")
	rect.w, rect.h = 12, 8
	return []panel{
		sized(g.byDim(kindStat, "hazards_found", c, scopeCity, winVar), 6, 5),
		sized(g.byDim(kindStat, "hazards_overdue", c, scopeCity, now), 6, 5),
		sized(g.one(kindStat, "unlisted_major_hazards", c, scopeCity, winVar, "全市"), 6, 5),
		sized(g.one(kindStat, "listed_supervision", c, scopeCity, now, "全市"), 6, 5),
		sized(g.byDim(kindStat, "hazards_open", c, scopeCity, now), 6, 5),
		sized(g.byDim(kindStat, "major_hazards_long_overdue", c, scopeCity, now), 8, 5),
		sized(g.one(kindStat, "major_hazards_overdue_max_age", c, scopeCity, now, "全市"), 8, 5),
		sized(g.one(kindStat, "major_hazards_no_deadline", c, scopeCity, now, "全市"), 8, 5),
		sized(overdue, 12, 8),
		sized(noDeadline, 12, 8),
		rect,
		g.regionTable("旗区隐患治理一览", "各旗区（全部行业）的排查、逾期、整改和按期整改情况，按发现隐患数排序。"+
			"排查隐患数和逾期数为一般与重大之和；整改率为重大隐患。"+windowNote(winVar)+"对应措施：M24, M27, M31。",
			winVar, []tableCol{
				{"hazards_found", "", "排查隐患数"},
				{"hazards_overdue", "", "逾期未整改隐患（截至统计日）"},
				{"rectification_ratio", "major", "重大隐患整改率"},
				{"on_time_ratio", "major", "重大隐患按期整改率"},
				{"unlisted_major_hazards", "", "未列入台账重大隐患"},
			}),
	}
}

// enforcement is 执法检查.
func (g *gen) enforcement() []panel {
	c, r := g.city(), g.regions()
	zero := g.one(kindBarGauge, "zero_finding_ratio", r, scopeRegions, winVar, "{{region_name}}")
	zero.title = "零隐患检查占比（各旗区，宽松软信号）"
	fineOnly := g.one(kindBarGauge, "fine_only_fatal_accidents", r, scopeRegions, winVar, "{{region_name}}")
	fineOnly.title = "以罚代刑风险事故（各旗区）"
	return []panel{
		sized(titled(g.one(kindStat, "zero_finding_ratio", c, scopeCity, winVar, "全市"), "零隐患检查占比（宽松软信号）"), 6, 5),
		sized(titled(g.one(kindStat, "fine_only_fatal_accidents", c, scopeCity, winVar, "全市"), "以罚代刑风险事故"), 6, 5),
		sized(g.one(kindStat, "fatal_accidents_no_enforcement", c, scopeCity, winVar, "全市"), 6, 5),
		sized(g.one(kindStat, "double_random_share", c, scopeCity, winVar, "全市"), 4, 5),
		sized(g.one(kindStat, "three_systems_compliance", c, scopeCity, winVar, "全市"), 4, 5),
		sized(g.one(kindStat, "fines", c, scopeCity, winVar, "全市"), 4, 5),
		sized(zero, 12, 9),
		sized(fineOnly, 12, 9),
		sized(g.byDim(kindTimeseries, "inspections", c, scopeCity, winVar), 12, 9),
		sized(g.byDim(kindBarGauge, "inspection_coverage", c, scopeCity, m12), 6, 9),
		sized(g.byDim(kindBarGauge, "enforcement_cases", c, scopeCity, winVar), 6, 9),
	}
}

// accidents is 事故与报告.
func (g *gen) accidents() []panel {
	c, r := g.city(), g.regions()
	byRegion := g.one(kindBarGauge, "accidents", r, scopeRegions, winVar, "{{region_name}}")
	byRegion.title = "事故起数（各旗区）"
	late := g.one(kindBarGauge, "late_report_ratio", r, scopeRegions, winVar, "{{region_name}}")
	late.title = "迟报率（各旗区）"
	deaths := g.trend("deaths", c, scopeCity, winVar, "全市")
	deaths.targets = append(deaths.targets, target{expr: g.total("deaths", c, winVar, "1y"), legend: "去年同期"})
	return []panel{
		sized(g.yoy("accidents", c, scopeCity), 6, 5),
		sized(g.yoy("deaths", c, scopeCity), 6, 5),
		sized(g.yoy("serious_injuries", c, scopeCity), 6, 5),
		sized(g.yoy("direct_loss", c, scopeCity), 6, 5),
		// rates are published for ytd and 12m only (docs/rules.md): these panels show ytd
		sized(g.one(kindStat, "deaths_per_100m_gdp", c, scopeCity, ytd, "全市"), 6, 4),
		sized(g.one(kindStat, "industrial_deaths_per_100k_workers", c, scopeCity, ytd, "全市"), 6, 4),
		sized(g.one(kindStat, "road_transport_deaths_per_10k_vehicles", c, scopeCity, ytd, "全市"), 6, 4),
		sized(g.one(kindStat, "coal_deaths_per_mt", c, scopeCity, ytd, "全市"), 6, 4),
		sized(g.byDim(kindBarGauge, "accidents", c, scopeCity, winVar), 8, 8),
		sized(byRegion, 8, 8),
		sized(g.byDim(kindBarGauge, "reporting_violations", c, scopeCity, winVar), 8, 8),
		sized(g.one(kindStat, "late_report_ratio", c, scopeCity, winVar, "全市"), 6, 8),
		sized(late, 6, 8),
		sized(g.one(kindStat, "accidents_unreported", c, scopeCity, winVar, "全市"), 6, 8),
		deaths,
	}
}

// reports is 举报奖励. Metrics carry no reporter identity (M57).
func (g *gen) reports() []panel {
	c, r := g.city(), g.regions()
	byRegion := g.one(kindBarGauge, "reports_received", r, scopeRegions, winVar, "{{region_name}}")
	byRegion.title = "受理举报数（各旗区）"
	return []panel{
		sized(g.one(kindStat, "reports_received", c, scopeCity, winVar, "全市"), 4, 5),
		sized(g.one(kindStat, "verified_in_time_ratio", c, scopeCity, winVar, "全市"), 5, 5),
		sized(g.one(kindStat, "substantiated_ratio", c, scopeCity, winVar, "全市"), 5, 5),
		sized(g.one(kindStat, "rewards_paid", c, scopeCity, winVar, "全市"), 5, 5),
		sized(g.one(kindStat, "reward_on_time_ratio", c, scopeCity, winVar, "全市"), 5, 5),
		sized(g.one(kindStat, "reward_in_full_ratio", c, scopeCity, winVar, "全市"), 5, 5),
		sized(g.byDim(kindBarGauge, "reports_received", c, scopeCity, winVar), 8, 8),
		sized(byRegion, 8, 8),
		sized(titled(g.one(kindBarGauge, "verified_in_time_ratio", r, scopeRegions, winVar, "{{region_name}}"), "举报按期核查率（各旗区）"), 8, 8),
		sized(g.trend("reports_received", c, scopeCity, winVar, "全市"), 12, 8),
		sized(g.trend("rewards_paid", c, scopeCity, winVar, "全市"), 12, 8),
	}
}

// duties is 责任落实.
func (g *gen) duties() []panel {
	c, r := g.city(), g.regions()
	staff := g.one(kindBarGauge, "qualified_staff_ratio", r, scopeRegions, winVar, "{{region_name}}")
	staff.title = "执法人员专业化比例（各旗区，目标75%）"
	staffTrend := g.trend("qualified_staff_ratio", r, scopeRegions, winVar, "{{region_name}}")
	staffTrend.title = "执法人员专业化比例趋势（虚线为75%目标）"
	return []panel{
		sized(g.one(kindStat, "meeting_compliance", c, scopeCity, winVar, "全市"), 5, 5),
		sized(g.one(kindStat, "head_led_inspection_compliance", c, scopeCity, winVar, "全市"), 5, 5),
		sized(titled(g.one(kindStat, "qualified_staff_ratio", c, scopeCity, winVar, "全市"), "执法人员专业化比例（目标75%）"), 5, 5),
		sized(g.one(kindStat, "selfcheck_compliance", c, scopeCity, winVar, "全市"), 5, 4),
		sized(g.one(kindStat, "risk_assessment_compliance", c, scopeCity, winVar, "全市"), 4, 5),
		sized(titled(g.one(kindBarGauge, "meeting_compliance", r, scopeRegions, winVar, "{{region_name}}"), "党委政府研究安全生产落实率（各旗区）"), 8, 9),
		sized(titled(g.one(kindBarGauge, "head_led_inspection_compliance", r, scopeRegions, winVar, "{{region_name}}"), "主要负责人每月带队检查落实率（各旗区）"), 8, 9),
		sized(staff, 8, 9),
		staffTrend,
		sized(titled(g.one(kindBarGauge, "assessment_score", r, scopeRegions, ytd, "{{region_name}}"), "年度考核得分（各旗区）"), 12, 8),
	}
}

// pipeline is 数据管道运行, over the health metrics.
func (g *gen) pipeline() []panel {
	okMap := valueMap(map[string][2]string{"0": {"失败", "red"}, "1": {"成功", "green"}})
	upMap := valueMap(map[string][2]string{"0": {"无快照", "red"}, "1": {"正常", "green"}})
	stale := []dashboard.Threshold{{Value: nil, Color: "green"}, {Value: ptr(float64(2 * 86400)), Color: "red"}}
	okSteps := []dashboard.Threshold{{Value: nil, Color: "red"}, {Value: ptr(1.0), Color: "green"}}
	return []panel{
		{kind: kindStat, title: "最近一次运行结果", unit: "none", steps: okSteps, mappings: okMap, w: 4, h: 5,
			desc: "最近一次数据管道运行（导入、转换、计算指标）是否成功：1 成功，0 失败。失败时告警 SafetyriskPipelineFailing。", targets: []target{{expr: MetricLastRunSuccess, legend: "最近运行"}}},
		{kind: kindStat, title: "距上次成功运行", unit: "s", steps: stale, w: 5, h: 5,
			desc: "当前时间与最近一次成功运行的时间差；超过2天（告警 SafetyriskPipelineStale 的阈值）显示红色，说明看板上的数据已陈旧。", targets: []target{{expr: "time() - " + MetricLastSuccess, legend: "距上次成功"}}},
		{kind: kindStat, title: "最近一次运行开始时间", unit: "dateTimeAsIso", w: 5, h: 5,
			desc: "最近一次数据管道运行的开始时间（北京时间）。", targets: []target{{expr: MetricLastRunStart + " * 1000", legend: "开始时间"}}},
		{kind: kindStat, title: "当前指标快照时长", unit: "s", steps: stale, w: 5, h: 5,
			desc: "导出服务当前提供的指标快照距今的时长；超过2天显示红色。", targets: []target{{expr: MetricSnapshotAge, legend: "快照时长"}}},
		{kind: kindStat, title: "导出服务状态", unit: "none", steps: okSteps, mappings: upMap, w: 5, h: 5,
			desc: "导出服务是否有可提供的指标快照：1 正常，0 无快照。抓取失败时告警 SafetyriskDown。", targets: []target{{expr: MetricUp, legend: "导出服务"}}},
		{kind: kindStat, title: "最近一次运行耗时", unit: "s", w: 6, h: 5,
			desc: "最近一次数据管道运行的总耗时（导入、转换、指标计算合计），单位秒。", targets: []target{{expr: MetricRunDuration, legend: "运行耗时"}}},
		{kind: kindStat, title: "指标数据截止日期", unit: "dateTimeAsLocal", w: 6, h: 5,
			desc: "导出服务当前提供的指标快照的统计截止日期（as-of），即看板上各统计窗口的结束日。", targets: []target{{expr: MetricSnapshotAsOf + " * 1000", legend: "截止日期"}}},
		{kind: kindStat, title: "数据质量检查结果", unit: "short", w: 12, h: 5, steps: anyAbove(),
			desc: "最近一次转换后数据质量检查的项数：通过、警告、失败；有失败项时显示红色（告警 SafetyriskCheckFailures）。",
			targets: []target{
				{expr: MetricCheckResults + `{status="pass"}`, legend: "通过"},
				{expr: MetricCheckResults + `{status="warn"}`, legend: "警告"},
				{expr: MetricCheckResults + `{status="fail"}`, legend: "失败"},
			}},
		{kind: kindBarGauge, title: "各阶段耗时", unit: "s", w: 8, h: 8,
			desc: "最近一次运行中各阶段（导入、转换、指标计算等）的耗时，单位秒。", targets: []target{{expr: "sort_desc(" + MetricStageDuration + ")", legend: "阶段 {{stage}}"}}},
		{kind: kindTable, title: "各表导入行数", unit: "short", w: 16, h: 8,
			desc: "各输入表读入、接收和隔离的行数；读入行数应等于接收行数加隔离行数，不会无声丢弃任何一行。",
			// sum by (table): the same labels in every column, so that merge joins them by table
			targets: []target{{expr: "sum by (table) (" + MetricRowsRead + ")", legend: "读入"},
				{expr: "sum by (table) (" + MetricRowsAccepted + ")", legend: "接收"},
				{expr: "sum by (table) (" + MetricRowsQuarantined + ")", legend: "隔离"}},
			columns: []column{{"读入行数", "short"}, {"接收行数", "short"}, {"隔离行数", "short"}},
			transforms: []dashboard.DataTransformerConfig{
				{Id: "merge", Options: map[string]any{}},
				{Id: "organize", Options: map[string]any{
					"excludeByName": map[string]any{"Time": true},
					"renameByName":  map[string]any{"table": "表", "Value #A": "读入行数", "Value #B": "接收行数", "Value #C": "隔离行数"},
					"indexByName":   map[string]any{"table": 0, "Value #A": 1, "Value #B": 2, "Value #C": 3}}},
			}},
		{kind: kindTimeseries, title: "距上次成功运行趋势", unit: "s", steps: stale, thresholdLine: true, w: 12, h: 8,
			desc: "距上次成功运行的时长随时间的变化；虚线为2天的陈旧阈值。", targets: []target{{expr: "time() - " + MetricLastSuccess, legend: "距上次成功"}}},
		{kind: kindTable, title: "版本信息", unit: "none", w: 12, h: 8,
			desc:    "导出服务的构建信息（版本等标签），值恒为1。",
			targets: []target{{expr: MetricBuildInfo, legend: "版本"}},
			transforms: []dashboard.DataTransformerConfig{{Id: "organize", Options: map[string]any{
				"excludeByName": map[string]any{"Time": true, "__name__": true, "Value": true}, "renameByName": map[string]any{}, "indexByName": map[string]any{}}}}},
	}
}

func joinUnique(ms []string) string {
	seen := map[string]bool{}
	out := ""
	for _, m := range ms {
		for _, x := range splitMeasures(m) {
			if !seen[x] {
				seen[x] = true
				if out != "" {
					out += ", "
				}
				out += x
			}
		}
	}
	return out
}

func splitMeasures(s string) []string {
	var out []string
	cur := ""
	for _, r := range s + "," {
		switch r {
		case ',':
			if cur != "" {
				out = append(out, cur)
			}
			cur = ""
		case ' ':
		default:
			cur += string(r)
		}
	}
	return out
}
