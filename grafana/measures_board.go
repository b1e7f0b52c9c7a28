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
// it is the measure's first indicator, else the panel's own (codedSteps).
func (g *gen) measureSteps(m safetyrisk.Measure, id string, p panel) []dashboard.Threshold {
	in := g.ind(id)
	if m.TargetValue != nil && id == m.IDs[0] {
		if *m.TargetValue == 0 && in.Dir != "down" {
			return anyAbove()
		}
		return targetSteps(in.Dir, *m.TargetValue)
	}
	return p.steps // an alarm's red above 0 (Indicator.Alarm) included
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
