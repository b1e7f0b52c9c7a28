package grafana

import (
	"fmt"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
)

// MetricMeasureStatus is the exporter's register of the plan's measures
// (exporter.MetricMeasureStatus): 1 indicator, 2 partial, 3 not yet measured, 4 not from
// records.
const MetricMeasureStatus = exporter.MetricMeasureStatus

// measureMeanings are the Chinese meanings of the measures-register indicators
// (indicators_measures.go), merged into meanings() by newGen.
func measureMeanings() map[string]string {
	return map[string]string{
		"committee_actions":             "统计窗口内各级安委会（办）开展督导检查、挂牌督办、提级调查、约谈的次数，按类型区分（M16）",
		"interview_followup_ratio":      "较大及以上事故和敏感时期事故中，在事故发生后30日内约谈旗区党政主要负责人的比例；未满30日的事故不计（期限为本系统约定，方案未规定）",
		"concealed_listed_ratio":        "截至统计日已查实的瞒报事故（不论何时发生）中已由安委会挂牌督办的比例；方案要求一律挂牌督办（M61）；为存量",
		"followups_missing":             "截至统计日应落实而未落实的事故后续措施：较大及以上或敏感时期事故30日后仍未约谈，瞒报事故仍未挂牌督办；为存量，与统计窗口无关",
		"illegal_subcontracting_cases":  "统计窗口内查处的转包、违法分包、挂靠资质案件数",
		"subcontracting_accident_cases": "统计窗口内与生产安全事故关联的违法分包转包案件数，应追究资质方责任（M37）",
		"closure_candidates":            "截至统计日，存在重大事故隐患、180日内受到3次或一年内受到4次行政处罚的企业数，依《安全生产法》第一百一十三条应提请关闭；为存量",
		"max_penalty_share":             "统计窗口内对事故责任单位的罚款中达到《安全生产法》第一百一十四条该等级事故罚款上限的比例",
		"liability_insurance_coverage":  "高危行业在营企业中投保安全生产责任保险的比例；未填报视为未投保；为存量",
		"risk_published_ratio":          "在营企业中近12个月内安全风险评估结果已向社会公示的比例（M22：年度评估结果向社会公示）；为存量",
		"major_hazards_open":            "截至统计日尚未整改完成的重大隐患数（不论何时发现），按发现至今的天数分段；为存量",
		"major_hazards_five_missing":    "截至统计日在账重大隐患中五落实（责任、措施、资金、时限、预案）不到位或未设整改期限的数量；为存量",
		"inspection_plan_progress":      "本年度各部门已开展的监督检查次数与年度监督检查计划之比，各部门超计划部分不抵补其他部门（M14）；为本年存量",
		"departments_behind_plan":       "本年度监督检查进度落后于按日历比例折算计划进度的部门数（M14）；为本年存量",
		"investigation_overdue":         "截至统计日，事故发生已超过调查期限（60日，经批准延长的120日，《生产安全事故报告和调查处理条例》第二十九条）而调查报告尚未批复的事故数；为存量",
		"measures_closed_ratio":         "统计窗口内发生、调查报告规定的整改措施期限已到的事故中，按期落实整改措施的比例（四不放过，M18）",
		"notification_on_time_ratio":    "统计窗口内各部门向安委办通报的事故信息中，在事故发生后2小时内通报的比例（M59；2小时参照第493号令第十条逐级上报时限，方案未规定）",
		"duty_documents":                "统计窗口内印发的履职文件数，按类型区分：职责清单、年度任务清单、年度述职、安全生产专项资金、权力和责任清单、安委办专职副主任任命；只反映文件是否存在，不反映内容",
		"duty_document_coverage":        "各旗区政府每年应有的四类履职文件（职责清单、年度任务清单、年度述职、安全生产专项资金）在近365日内已印发的比例；为存量",
		"dispatched_qualified_ratio":    "统计窗口内用工检查发现的危险岗位劳务派遣和灵活用工人员中持证上岗、经过安全培训的比例（M41）",
		"dispatch_unified_ratio":        "统计窗口内用工检查中，企业已将劳务派遣和灵活用工人员纳入本单位统一管理的比例（M39）",
		"soe_flexible_share":            "高危行业在营国有企业从业人员中灵活用工人员的比例（M42：国有企业带头减少）；为存量",
		"soe_subcontracting_cases":      "统计窗口内查处的国有企业违法分包转包案件数（M38）",
		"projects_assessed_ratio":       "统计窗口内审批的建设项目中，审批前已开展安全风险评估论证的比例（M32、M35）",
		"projects_started_unapproved":   "统计窗口内开工、但开工时尚未审批的建设项目数（M32：严禁边审批、边设计、边施工）",
		"chemical_substandard_running":  "截至统计日，化工产业转移承接项目中经集中排查不符合安全标准、却未停建或整改的项目数（M34）；为存量",
		"expert_inspection_share":       "统计窗口内执法检查中有专家参与（执法+专家）的比例（M47）",
		"blacklisted_enterprises":       "列入安全生产严重违法失信黑名单、实行联合惩戒的企业数（M36、M44）；为存量",
		"overdue_major_unsuspended":     "截至统计日已超过整改期限的在账重大隐患中，其企业自期限届满后未被责令停产停业整顿或关闭的数量（M28：拒不整改的责令停产停工）；为存量",
	}
}

// rareDenominator are the ratios whose denominator is a rare event (an accident, a
// large or sensitive-period one, a concealed one): most regions have no value, so the
// per-region compliance panels leave them out; the implementation board shows them.
var rareDenominator = map[string]bool{"interview_followup_ratio": true, "concealed_listed_ratio": true,
	"measures_closed_ratio": true, "notification_on_time_ratio": true}

// withMeasureMeanings adds measureMeanings to m.
func withMeasureMeanings(m map[string]string) map[string]string {
	for k, v := range measureMeanings() {
		m[k] = v
	}
	return m
}

// statusSteps colour a measure's status: indicator green, partial yellow, not yet
// measured orange, not from records grey.
func statusSteps() []dashboard.Threshold {
	return []dashboard.Threshold{{Value: nil, Color: "green"}, {Value: ptr(2.0), Color: "yellow"},
		{Value: ptr(3.0), Color: "orange"}, {Value: ptr(4.0), Color: "text"}}
}

func statusMappings() []dashboard.ValueMapping {
	m := map[string][2]string{}
	colors := []string{"green", "yellow", "orange", "text"}
	for i, s := range safetyrisk.MeasureStatuses {
		m[fmt.Sprint(i+1)] = [2]string{s.Chinese, colors[i]}
	}
	return valueMap(m)
}

// chineseNumber writes 1..99 as the plan numbers its measures: 一 .. 六十六.
func chineseNumber(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n < 20:
		return "十" + d[n%10]
	default:
		return d[n/10] + "十" + d[n%10]
	}
}

// measureDesc is what a leader reads about a measure on the board, in Chinese.
func (g *gen) measureDesc(m safetyrisk.Measure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "措施（%s）：%s 责任单位：%s。状态：%s。", chineseNumber(m.Number), m.Chinese, m.Party, m.StatusChinese())
	if len(m.IDs) > 0 {
		var names []string
		for _, id := range m.IDs {
			names = append(names, g.ind(id).Name)
		}
		fmt.Fprintf(&b, "指标：%s。", strings.Join(names, "、"))
	}
	if m.TargetValue != nil {
		fmt.Fprintf(&b, "目标值：%g。", *m.TargetValue)
	}
	b.WriteString("计算规则、未覆盖部分或无法由记录反映的理由见 docs/measures.md。")
	return b.String()
}

// measureSteps are the thresholds of an indicator on the board: the measure's target when
// it is the measure's first indicator, else what the catalogue's direction implies.
func (g *gen) measureSteps(m safetyrisk.Measure, id string, p panel) []dashboard.Threshold {
	in := g.ind(id)
	if m.TargetValue != nil && id == m.IDs[0] {
		t := *m.TargetValue
		if in.Dir == "down" {
			return []dashboard.Threshold{{Value: nil, Color: "red"}, {Value: ptr(t), Color: "green"}}
		}
		if t == 0 {
			return anyAbove()
		}
		return []dashboard.Threshold{{Value: nil, Color: "green"}, {Value: ptr(t), Color: "red"}}
	}
	switch id {
	case "followups_missing", "closure_candidates", "major_hazards_five_missing", "overdue_major_unsuspended",
		"subcontracting_accident_cases":
		return anyAbove()
	}
	return p.steps
}

// measureRow is one measure: its status, its indicators by region against the target,
// and the trend of its first indicator for the city.
func (g *gen) measureRow(m safetyrisk.Measure) (string, []panel) {
	title := fmt.Sprintf("%s %s（%s）", m.Code(), m.Short, m.StatusChinese())
	st := panel{kind: kindStat, title: m.Code() + " 落实状态", desc: g.measureDesc(m), unit: "none",
		steps: statusSteps(), mappings: statusMappings(), w: 6, h: 7,
		targets: []target{{expr: fmt.Sprintf(`%s{measure="%s"}`, MetricMeasureStatus, m.Code()), legend: "{{title}}"}}}
	ps := []panel{st}
	if len(m.IDs) == 0 {
		st.w = 24
		return title, []panel{st}
	}
	for _, id := range m.IDs {
		p := g.one(kindBarGauge, id, g.regions(), scopeRegions, winVar, "{{region_name}}")
		p.title = m.Code() + " " + g.ind(id).Name + "（各旗区）"
		p.steps = g.measureSteps(m, id, p)
		p.w, p.h = 6, 7
		ps = append(ps, p)
	}
	tr := g.trend(m.IDs[0], g.city(), scopeCity, winVar, "全市")
	tr.title = m.Code() + " " + g.ind(m.IDs[0]).Name + "趋势（全市）"
	tr.steps = g.measureSteps(m, m.IDs[0], tr)
	tr.thresholdLine = m.TargetValue != nil
	tr.w, tr.h = 6, 7
	return title, append(ps, tr)
}

// measuresBoard is 实施方案落实情况: the plan's 66 measures top to bottom, one row each,
// with a summary of the register first.
func (g *gen) measuresBoard() (Dashboard, error) {
	const file, uid, title = "measures.json", "safetyrisk-measures", "实施方案落实情况"
	answer := "实施方案66项措施逐项落实到什么程度：哪些有指标、哪些部分可测、哪些尚待接入记录、哪些无法由记录反映；有指标的措施各旗区对照目标的数值和全市趋势。"
	ms, err := safetyrisk.Measures()
	if err != nil {
		return Dashboard{}, err
	}
	count := panel{kind: kindStat, title: "措施状态统计", unit: "short", w: 8, h: 6, decimals: ptr(0.0),
		desc:    "66项措施按状态计数：有指标、部分可测、待接入（已有记录但尚未接入或尚无指标）、无记录可测（理由见 docs/measures.md）。",
		targets: []target{{expr: "count by (status_name) (" + MetricMeasureStatus + ")", legend: "{{status_name}}"}}}
	list := panel{kind: kindTable, title: "66项措施一览", unit: "none", w: 16, h: 12,
		desc:    "每项措施一行：编号、简称、状态。各项措施的指标数值、目标和趋势见下方对应的行。",
		targets: []target{{expr: MetricMeasureStatus, legend: "{{measure}}"}},
		steps:   statusSteps(), mappings: statusMappings(),
		transforms: []dashboard.DataTransformerConfig{
			{Id: "organize", Options: map[string]any{
				"excludeByName": map[string]any{"Time": true, "__name__": true, "status": true, "number": true, "instance": true, "job": true},
				"renameByName":  map[string]any{"measure": "措施", "title": "简称", "status_name": "状态", "Value": "状态码"},
				"indexByName":   map[string]any{"measure": 0, "title": 1, "status_name": 2, "Value": 3},
			}},
			{Id: "sortBy", Options: map[string]any{"sort": []map[string]any{{"field": "number", "desc": false}}}},
		}}
	// sort by the zero-padded number before it is hidden
	list.transforms[0], list.transforms[1] = list.transforms[1], list.transforms[0]
	b := dashboard.NewDashboardBuilder(title).Uid(uid).Tags([]string{Tag}).
		Description(answer).Timezone(g.p.Timezone).Time("now-5y", "now").Refresh("5m").
		Tooltip(dashboard.DashboardCursorSyncCrosshair).Readonly().
		Link(dashboard.NewDashboardLinkBuilder("安全生产看板").Type(dashboard.DashboardLinkTypeDashboards).
			Tags([]string{Tag}).AsDropdown(true).IncludeVars(false).KeepTime(true).TargetBlank(false).Icon("external link").Tooltip("").Url("")).
		Variables([]cog.Builder[dashboard.VariableModel]{windowVar()})
	for _, p := range []panel{count, list} {
		pb, err := p.build()
		if err != nil {
			return Dashboard{}, fmt.Errorf("dashboard %s: %w", title, err)
		}
		b.WithPanel(pb)
	}
	for _, m := range ms {
		rowTitle, ps := g.measureRow(m)
		b.WithRow(dashboard.NewRowBuilder(rowTitle).Collapsed(false))
		for _, p := range ps {
			pb, err := p.build()
			if err != nil {
				return Dashboard{}, fmt.Errorf("dashboard %s: %s: %w", title, m.Code(), err)
			}
			b.WithPanel(pb)
		}
	}
	if g.err != nil {
		return Dashboard{}, g.err
	}
	model, err := b.Build()
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard %s: %w", title, err)
	}
	for i := range model.Panels {
		switch {
		case model.Panels[i].Panel != nil:
			model.Panels[i].Panel.Id = ptr(uint32(i + 1))
		case model.Panels[i].RowPanel != nil:
			model.Panels[i].RowPanel.Id = uint32(i + 1)
		}
	}
	return Dashboard{File: file, UID: uid, Title: title, Answer: answer, Model: model}, nil
}
