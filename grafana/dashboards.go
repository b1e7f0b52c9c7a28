// Package grafana generates the Grafana dashboards of the work-safety committee as code
// (github.com/grafana/grafana-foundation-sdk), in Chinese, from the indicator catalogue
// (safetyrisk.Catalogue) and the jurisdiction profile. It reads nothing at run time and
// writes the dashboards' JSON; provisioning/ holds the Grafana data source and dashboard
// provider that load them, and ../prometheus/ the scrape configuration and the alerting
// and recording rules that the tests of this package check with promtool.
package grafana

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// Dashboard is one generated dashboard.
type Dashboard struct {
	File   string // file name under the output directory
	UID    string
	Title  string
	Answer string // the leader's question it answers, in Chinese (for the README)
	Model  dashboard.Dashboard
}

// Tag marks every generated dashboard; the dashboards' link bar lists them by it.
const Tag = "safetyrisk"

// gen holds what every panel is derived from.
type gen struct {
	p   *safetyrisk.Profile
	cat map[string]safetyrisk.Indicator
	err error
}

func newGen(p *safetyrisk.Profile) *gen {
	g := &gen{p: p, cat: map[string]safetyrisk.Indicator{}}
	for _, in := range safetyrisk.Catalogue() {
		g.cat[in.ID] = in
	}
	return g
}

func (g *gen) fail(err error) {
	if g.err == nil {
		g.err = err
	}
}

func (g *gen) ind(id string) safetyrisk.Indicator {
	in, ok := g.cat[id]
	if !ok {
		g.fail(fmt.Errorf("indicator %q is not in the catalogue", id))
	}
	if ok && in.Meaning == "" {
		g.fail(fmt.Errorf("indicator %q has no Chinese meaning", id))
	}
	return in
}

// Selectors of the three kinds of rows the exporter serves.
func (g *gen) city() string    { return fmt.Sprintf(`region="%s",sector="all"`, g.p.City.Code) }
func (g *gen) regions() string { return fmt.Sprintf(`region!="%s",sector="all"`, g.p.City.Code) }
func (g *gen) sectors() string { return fmt.Sprintf(`region="%s",sector!="all"`, g.p.City.Code) }
func (g *gen) oneRegion() string {
	return `region_name="$region",sector="all"`
}
func (g *gen) oneSector() string {
	return fmt.Sprintf(`region="%s",sector_name="$sector"`, g.p.City.Code)
}

const winVar = "$window"

// now is the window argument of a state (hazards overdue, 挂牌督办, ...): a state is
// counted at the as-of date over every record in it and its gauge has no window label,
// so its panels have no window selector (docs/metrics.md).
const now = ""

// winSel is the window matcher of an indicator's selector: none for a state.
func winSel(in safetyrisk.Indicator, window string) string {
	if in.State {
		return ""
	}
	return `,window="` + window + `"`
}

// sel is the selector of an indicator: its metric, a row selector, a window (none for a
// state) and, for an indicator with a Dim, optionally one dim value.
func (g *gen) sel(id, rows, window, dimValue string) string {
	in := g.ind(id)
	s := in.Metric + "{" + rows + winSel(in, window)
	if dimValue != "" {
		s += "," + in.Dim + `="` + dimValue + `"`
	}
	return s + "}"
}

// total is an indicator over all values of its Dim: the total series (the Dim label
// empty) when the queries write one, else the sum of the per-value series. off is ""
// or an offset such as "1y"; with an offset the value is read from history (lookback).
func (g *gen) total(id, rows, window, off string) string {
	return g.totalExpr(id, rows, window, off, off != "")
}

// historyLookback is how far back a history query looks for a value: backfill writes one
// sample a month (the month end), so a month and a few days (Prometheus alone looks back
// only 5 minutes).
const historyLookback = "35d"

func (g *gen) totalExpr(id, rows, window, off string, hist bool) string {
	in := g.ind(id)
	wrap := func(sel string) string {
		if !hist {
			return sel
		}
		if off != "" {
			return "last_over_time(" + sel + "[" + historyLookback + "] offset " + off + ")"
		}
		return "last_over_time(" + sel + "[" + historyLookback + "])"
	}
	if in.Dim == "" {
		return wrap(g.sel(id, rows, window, ""))
	}
	base := in.Metric + "{" + rows + winSel(in, window) + "," + in.Dim
	return wrap(base+`=""}`) + " or sum without(" + in.Dim + ") (" + wrap(base+`!=""}`) + ")"
}

// scope texts for descriptions.
const (
	scopeCity    = "范围：全市、全部行业。"
	scopeRegions = "范围：各旗区（全部行业），按数值排序。"
	scopeSectors = "范围：全市各行业领域，按数值排序。"
	scopeRegion  = "范围：所选旗区（变量“旗区”）、全部行业。"
	scopeSector  = "范围：全市所选行业领域（变量“行业领域”）。"
)

func windowNote(window string) string {
	switch window {
	case winVar:
		return "统计窗口由变量“统计窗口”选择（默认本年累计）。"
	case safetyrisk.WindowMonth:
		return "统计窗口：本月。"
	case safetyrisk.WindowQuarter:
		return "统计窗口：本季度。"
	case safetyrisk.WindowYTD:
		return "统计窗口：本年累计。"
	default:
		return "统计窗口：近12个月。"
	}
}

// stateNote replaces the window note of a state.
const stateNote = "状态指标：截至统计日的存量，含以往任何时候发现、至今仍处于该状态的全部记录，不分统计窗口。"

// desc says what the number means, over which rows and window, and which measure it serves.
func (g *gen) desc(id, scope, window, extra string) string {
	in := g.ind(id)
	note := windowNote(window)
	if in.State {
		note = stateNote
	}
	return in.Meaning + "。" + extra + scope + note + "对应措施：" + in.Measures + "。"
}

// ip is a panel of one indicator with the catalogue's title, unit and range.
func (g *gen) ip(k kind, id, scope, window string, targets ...target) panel {
	in := g.ind(id)
	p := panel{kind: k, title: in.Name, desc: g.desc(id, scope, window, ""), unit: unitOf(in.Unit), targets: targets}
	switch in.Unit {
	case safetyrisk.UnitRatio:
		p.min, p.max = ptr(0.0), ptr(1.0)
	case safetyrisk.UnitScore:
		p.min, p.max = ptr(0.0), ptr(100.0)
	case safetyrisk.UnitRate:
		p.decimals = ptr(3.0)
	case safetyrisk.UnitCount:
		p.decimals = ptr(0.0)
	}
	g.codedSteps(in, &p)
	return p
}

// codedSteps sets what the catalogue says a value means: the names and colours of a
// coded indicator's codes (its range is theirs), red above 0 for an alarm, the rule's
// target, and a green-to-red scale for a score where higher is worse (risk_index).
func (g *gen) codedSteps(in safetyrisk.Indicator, p *panel) {
	switch {
	case len(in.Codes) > 0:
		m := map[string][2]string{}
		for i, c := range in.Codes {
			m[fmt.Sprint(c.Value)] = [2]string{c.Name, c.Color}
			step := dashboard.Threshold{Value: ptr(c.Value), Color: c.Color}
			if i == 0 {
				step.Value = nil
			}
			p.steps = append(p.steps, step)
		}
		p.mappings = valueMap(m)
		p.min, p.max = ptr(in.Codes[0].Value), ptr(in.Codes[len(in.Codes)-1].Value)
	case in.Alarm:
		p.steps = anyAbove()
	case in.Target != nil:
		p.steps = targetSteps(in.Dir, *in.Target)
		p.thresholdLine = true
	case in.Unit == safetyrisk.UnitScore && in.Dir == "up":
		p.color = dashboard.FieldColorModeIdContinuousGrYlRd
	}
}

// targetSteps colour a value against a target: red on the worse side.
func targetSteps(dir string, t float64) []dashboard.Threshold {
	if dir == "down" {
		return []dashboard.Threshold{{Value: nil, Color: "red"}, {Value: ptr(t), Color: "green"}}
	}
	return []dashboard.Threshold{{Value: nil, Color: "green"}, {Value: ptr(t), Color: "red"}}
}

// one is a single-target indicator panel over rows.
func (g *gen) one(k kind, id, rows, scope, window, legend string) panel {
	expr := g.total(id, rows, window, "")
	if k == kindBarGauge {
		expr = "sort_desc(" + expr + ")"
	}
	return g.ip(k, id, scope, window, target{expr: expr, legend: legend})
}

// byDim has one target per value of the indicator's Dim, with the Chinese name as legend.
func (g *gen) byDim(k kind, id, rows, scope, window string) panel {
	in := g.ind(id)
	var ts []target
	if in.DimEnum == nil {
		g.fail(fmt.Errorf("indicator %q has no dim values", id))
		return panel{}
	}
	for _, v := range in.DimEnum.Values {
		ts = append(ts, target{expr: g.sel(id, rows, window, v.Code), legend: v.Name})
	}
	p := g.ip(k, id, scope, window, ts...)
	p.title = in.Name + "（按" + in.DimEnum.Label + "）"
	return p
}

// yoy compares a year-to-date total with the same series a year earlier (offset 1y).
func (g *gen) yoy(id, rows, scope string) panel {
	in := g.ind(id)
	cur := g.total(id, rows, safetyrisk.WindowYTD, "")
	last := g.total(id, rows, safetyrisk.WindowYTD, "1y")
	p := g.ip(kindStat, id, scope, safetyrisk.WindowYTD,
		target{expr: cur, legend: "本年累计"}, target{expr: last, legend: "去年同期"})
	p.title = in.Name + "：本年累计与去年同期"
	p.desc = g.desc(id, scope, safetyrisk.WindowYTD, "左为本年累计，右为去年同期（同一序列前移一年，offset 1y）。")
	return p
}

// trend is a time series of one indicator for the given rows.
func (g *gen) trend(id, rows, scope, window, legend string) panel {
	p := g.ip(kindTimeseries, id, scope, window, target{expr: g.total(id, rows, window, ""), legend: legend})
	p.title = g.ind(id).Name + "趋势"
	p.w, p.h = 12, 8
	return p
}

func sized(p panel, w, h uint32) panel { p.w, p.h = w, h; return p }

func titled(p panel, title string) panel { p.title = title; return p }

// regionTable lists the regions with several indicators side by side.
func (g *gen) regionTable(title, desc string, window string, cols []tableCol) panel {
	p := panel{kind: kindTable, title: title, desc: desc, unit: "none", w: 24, h: 10}
	rename := map[string]any{"region_name": "旗区"}
	exclude := map[string]any{"Time": true, "region": true}
	order := map[string]any{"region_name": 0}
	for i, c := range cols {
		in := g.ind(c.id)
		// Every column keeps exactly the labels region and region_name, so that the
		// merge transformation joins the columns into one row per region.
		var expr string
		if c.dim != "" {
			expr = g.sel(c.id, g.regions(), window, c.dim)
		} else {
			expr = g.total(c.id, g.regions(), window, "")
		}
		expr = "sum by (region, region_name) (" + expr + ")"
		ref := string(rune('A' + i))
		p.targets = append(p.targets, target{expr: expr, legend: c.header})
		rename["Value #"+ref] = c.header
		order["Value #"+ref] = i + 1
		p.columns = append(p.columns, column{name: c.header, unit: unitOf(in.Unit)})
	}
	p.transforms = []dashboard.DataTransformerConfig{
		{Id: "merge", Options: map[string]any{}},
		{Id: "organize", Options: map[string]any{"excludeByName": exclude, "renameByName": rename, "indexByName": order}},
		{Id: "sortBy", Options: map[string]any{"sort": []map[string]any{{"field": cols[0].header, "desc": true}}}},
	}
	return p
}

type tableCol struct{ id, dim, header string }

// geo is the map of the regions coloured by risk band. Prometheus knows no coordinates,
// so each region's band series gets its profile's lat and lon as labels
// (label_replace), one arm per region joined by "or"; the panel converts the two
// labels to numbers and places a marker at them. The profile is the single source.
func (g *gen) geo() panel {
	var arms []string
	var lat, lon float64
	for _, r := range g.p.Regions {
		s := fmt.Sprintf(`safetyrisk_risk_band{region="%s",sector="all",window="%s"}`, r.Code, winVar)
		arms = append(arms, fmt.Sprintf(`label_replace(label_replace(%s, "lat", "%g", "", ""), "lon", "%g", "", "")`, s, r.Lat, r.Lon))
		lat += r.Lat
		lon += r.Lon
	}
	n := float64(len(g.p.Regions))
	p := g.ip(kindGeomap, "risk_band", "范围：各旗区（全部行业）。", winVar, target{expr: strings.Join(arms, " or "), legend: "{{region_name}}"})
	p.title = "旗区风险地图"
	p.desc = "各旗区位置按辖区配置（profiles）中的经纬度标注，颜色为综合风险色带：蓝、黄、橙、红。" + p.desc
	p.w, p.h = 12, 12
	p.view = [3]int64{int64(lat/n + 0.5), int64(lon/n + 0.5), 7}
	p.transforms = []dashboard.DataTransformerConfig{{Id: "convertFieldType", Options: map[string]any{
		"fields": map[string]any{},
		"conversions": []map[string]any{
			{"targetField": "lat", "destinationType": "number"},
			{"targetField": "lon", "destinationType": "number"},
		},
	}}}
	p.layer = &common.MapLayerOptions{
		Type: "markers", Name: "旗区风险色带", Tooltip: ptr(true),
		Location: &common.FrameGeometrySource{Mode: common.FrameGeometrySourceModeCoords, Latitude: ptr("lat"), Longitude: ptr("lon")},
		Config: map[string]any{
			"showLegend": true,
			"style": map[string]any{
				"size":    map[string]any{"fixed": 16, "min": 8, "max": 24},
				"color":   map[string]any{"field": "Value", "fixed": "dark-green"},
				"opacity": 0.85,
				"symbol":  map[string]any{"mode": "fixed", "fixed": "img/icons/marker/circle.svg"},
				"text":    map[string]any{"mode": "field", "field": "region_name", "fixed": ""},
				"textConfig": map[string]any{"fontSize": 12, "offsetX": 0, "offsetY": -18,
					"textAlign": "center", "textBaseline": "middle"},
			},
		},
	}
	return p
}

// pipelineFrom is the pipeline dashboard's time range: its health metrics exist only
// from Prometheus's first scrape (backfill writes indicators, not health), and Grafana
// aligns a range query's end down to its step. Over five years the step is a day, so a
// fresh demo would show no trend until the next midnight; over two days (the staleness
// threshold) the step is a minute.
const pipelineFrom = "now-2d"

// Dashboards builds every dashboard for the profile.
func Dashboards(p *safetyrisk.Profile) ([]Dashboard, error) {
	g := newGen(p)
	specs := []struct {
		file, uid, title, answer string
		vars                     []cog.Builder[dashboard.VariableModel]
		panels                   []panel
	}{
		{"overview.json", "safetyrisk-overview", "安全生产风险总览",
			"全市风险处在什么色带、在哪里上升；事故和死亡比去年多还是少；有没有一票否决；哪些旗区、行业风险最高；重大隐患逾期和事故迟报有多少。",
			[]cog.Builder[dashboard.VariableModel]{windowVar()}, g.overview()},
		{"region.json", "safetyrisk-region", "旗区风险",
			"所选旗区的综合风险、事故、隐患、迟报和各项履职落实率，与全市相比如何。",
			[]cog.Builder[dashboard.VariableModel]{g.regionVar(), windowVar()}, g.region()},
		{"sector.json", "safetyrisk-sector", "行业领域风险",
			"所选行业领域的综合风险、事故、隐患、执法和用工情况。",
			[]cog.Builder[dashboard.VariableModel]{g.sectorVar(), windowVar()}, g.sector()},
		{"hazards.json", "safetyrisk-hazards", "隐患排查治理",
			"排查出多少隐患、整改了多少、按期了多少，哪些旗区重大隐患逾期，有无未入台账的重大隐患。",
			[]cog.Builder[dashboard.VariableModel]{windowVar()}, g.hazards()},
		{"enforcement.json", "safetyrisk-enforcement", "执法检查",
			"检查了多少、覆盖了哪些风险等级的企业、处罚了什么；零隐患检查偏多（宽松软）和以罚代刑的信号在哪里。",
			[]cog.Builder[dashboard.VariableModel]{windowVar()}, g.enforcement()},
		{"accidents.json", "safetyrisk-accidents", "事故与报告",
			"事故和伤亡的规模与等级、四项死亡率、与去年同期比较，以及迟报、漏报、谎报、瞒报。",
			[]cog.Builder[dashboard.VariableModel]{windowVar()}, g.accidents()},
		{"reports.json", "safetyrisk-reports", "举报奖励",
			"受理了多少举报、从哪些渠道来、是否按期核查、属实多少、奖励是否按期足额兑现。",
			[]cog.Builder[dashboard.VariableModel]{windowVar()}, g.reports()},
		{"duties.json", "safetyrisk-duties", "责任落实",
			"党委政府是否按时研究安全生产、部门主要负责人是否每月带队检查、执法人员专业化比例是否达到75%、企业自查和风险评估是否落实。",
			[]cog.Builder[dashboard.VariableModel]{windowVar()}, g.duties()},
		{"pipeline.json", "safetyrisk-pipeline", "数据管道运行",
			"数据是否按时更新、最近一次运行是否成功、各阶段耗时、读入和隔离了多少行、数据质量检查结果。",
			nil, g.pipeline()},
	}
	if g.err != nil {
		return nil, g.err
	}
	var out []Dashboard
	for _, s := range specs {
		from := "now-5y"
		if s.file == "pipeline.json" {
			from = pipelineFrom
		}
		b := dashboard.NewDashboardBuilder(s.title).Uid(s.uid).Tags([]string{Tag}).
			Description(s.answer).Timezone(p.Timezone).Time(from, "now").Refresh("5m").
			Tooltip(dashboard.DashboardCursorSyncCrosshair).Readonly().
			Link(dashboard.NewDashboardLinkBuilder("安全生产看板").Type(dashboard.DashboardLinkTypeDashboards).
				Tags([]string{Tag}).AsDropdown(true).IncludeVars(false).KeepTime(true).TargetBlank(false).Icon("external link").Tooltip("").Url(""))
		if len(s.vars) > 0 {
			b.Variables(s.vars)
		}
		for _, pn := range s.panels {
			pb, err := pn.build()
			if err != nil {
				return nil, fmt.Errorf("dashboard %s: %w", s.title, err)
			}
			b.WithPanel(pb)
		}
		m, err := b.Build()
		if err != nil {
			return nil, fmt.Errorf("dashboard %s: %w", s.title, err)
		}
		for i := range m.Panels {
			if m.Panels[i].Panel != nil {
				m.Panels[i].Panel.Id = ptr(uint32(i + 1))
			}
		}
		out = append(out, Dashboard{File: s.file, UID: s.uid, Title: s.title, Answer: s.answer, Model: m})
	}
	mb, err := g.measuresBoard() // measures_board.go: 实施方案落实情况
	if err != nil {
		return nil, err
	}
	return append(out, mb), nil
}

// Marshal returns the dashboard's JSON as committed: indented, newline-terminated.
func Marshal(d Dashboard) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d.Model); err != nil {
		return nil, fmt.Errorf("dashboard %s: %w", d.File, err)
	}
	return buf.Bytes(), nil
}

// Write writes every dashboard's JSON into dir, each atomically (a temporary file in
// dir, then a rename), and returns the paths written.
func Write(dir string, p *safetyrisk.Profile) ([]string, error) {
	ds, err := Dashboards(p)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dashboards: %w", err)
	}
	var paths []string
	for _, d := range ds {
		b, err := Marshal(d)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, d.File)
		if err := lake.WriteFileAtomic(path, b); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// windowVar chooses the indicators' window; year to date by default.
func windowVar() cog.Builder[dashboard.VariableModel] {
	type opt struct{ text, value string }
	opts := []opt{{"本月", safetyrisk.WindowMonth}, {"本季度", safetyrisk.WindowQuarter},
		{"本年累计", safetyrisk.WindowYTD}, {"近12个月", safetyrisk.Window12M}}
	var parts []string
	var vo []dashboard.VariableOption
	for _, o := range opts {
		parts = append(parts, o.text+" : "+o.value)
		vo = append(vo, dashboard.VariableOption{Selected: ptr(o.value == safetyrisk.WindowYTD),
			Text: dashboard.StringOrArrayOfString{String: ptr(o.text)}, Value: dashboard.StringOrArrayOfString{String: ptr(o.value)}})
	}
	return dashboard.NewCustomVariableBuilder("window").Label("统计窗口").
		Description("指标的统计窗口：本月、本季度、本年累计或近12个月").
		Values(dashboard.StringOrMap{String: ptr(strings.Join(parts, ","))}).
		Current(vo[2]).Options(vo).Multi(false).IncludeAll(false).AllowCustomValue(false)
}

func (g *gen) queryVar(name, label, desc, query, current string) cog.Builder[dashboard.VariableModel] {
	return dashboard.NewQueryVariableBuilder(name).Label(label).Description(desc).
		Query(dashboard.StringOrMap{String: ptr(query)}).Definition(query).Datasource(datasource()).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).Sort(dashboard.VariableSortAlphabeticalAsc).
		Current(dashboard.VariableOption{Text: dashboard.StringOrArrayOfString{String: ptr(current)},
			Value: dashboard.StringOrArrayOfString{String: ptr(current)}}).Multi(false).IncludeAll(false).AllowCustomValue(false)
}

func (g *gen) regionVar() cog.Builder[dashboard.VariableModel] {
	return g.queryVar("region", "旗区", "要查看的旗区（按中文名称）",
		fmt.Sprintf(`label_values(safetyrisk_risk_index{%s}, region_name)`, g.regions()), g.p.Regions[0].Name)
}

func (g *gen) sectorVar() cog.Builder[dashboard.VariableModel] {
	return g.queryVar("sector", "行业领域", "要查看的行业领域（按中文名称）",
		fmt.Sprintf(`label_values(safetyrisk_risk_index{%s}, sector_name)`, g.sectors()), g.p.Sectors[0].Name)
}
