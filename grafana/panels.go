package grafana

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/geomap"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"

	"github.com/safetyrisk/safetyrisk"
)

// DatasourceUID is the fixed uid of the provisioned Prometheus data source
// (provisioning/datasources/prometheus.yml); every panel and variable points at it.
const DatasourceUID = "safetyrisk-prometheus"

// kind is a panel's visualisation.
type kind int

const (
	kindStat kind = iota
	kindTimeseries
	kindBarGauge
	kindTable
	kindGeomap
)

// target is one PromQL query of a panel.
type target struct {
	expr   string
	legend string
}

// panel is the description of one panel, turned into an SDK builder by build. Every
// panel carries a title, a description, a unit and explicit options.
type panel struct {
	kind     kind
	title    string
	desc     string
	unit     string
	min, max *float64
	decimals *float64
	steps    []dashboard.Threshold // nil: a single neutral step
	color    dashboard.FieldColorModeId
	mappings []dashboard.ValueMapping
	targets  []target
	w, h     uint32
	// table panels: transformations and per-column units
	transforms []dashboard.DataTransformerConfig
	columns    []column
	// timeseries: draw the thresholds as a line
	thresholdLine bool
	// geomap: the layer
	layer *common.MapLayerOptions
	view  [3]int64 // lat, lon, zoom
}

// column is a table column's display name and unit.
type column struct{ name, unit string }

func ptr[T any](v T) *T { return &v }

func datasource() common.DataSourceRef {
	return common.DataSourceRef{Type: ptr("prometheus"), Uid: ptr(DatasourceUID)}
}

// unitOf maps a catalogue unit to a Grafana unit.
func unitOf(u safetyrisk.Unit) string {
	switch u {
	case safetyrisk.UnitRatio:
		return "percentunit"
	case safetyrisk.UnitYuan:
		return "currencyCNY"
	case safetyrisk.UnitCount:
		return "short"
	case safetyrisk.UnitSeconds:
		return "dtdurations" // an age: "1 year, 273 days"
	default: // score, rate, code
		return "none"
	}
}

// neutral is the single-step threshold of a panel no rule sets a threshold for.
func neutral() []dashboard.Threshold {
	return []dashboard.Threshold{{Value: nil, Color: "text"}}
}

// anyAbove returns red for any value above zero: a count or ratio that must stay 0.
func anyAbove() []dashboard.Threshold {
	return []dashboard.Threshold{{Value: nil, Color: "green"}, {Value: ptr(1e-9), Color: "red"}}
}

func valueMap(m map[string][2]string) []dashboard.ValueMapping {
	opts := map[string]dashboard.ValueMappingResult{}
	i := int32(0)
	for _, k := range sortedKeys(m) {
		opts[k] = dashboard.ValueMappingResult{Text: ptr(m[k][0]), Color: ptr(m[k][1]), Index: ptr(i)}
		i++
	}
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: opts}}}
}

func thresholds(steps []dashboard.Threshold) cog.Builder[dashboard.ThresholdsConfig] {
	if steps == nil {
		steps = neutral()
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(steps)
}

func (p panel) colorMode() dashboard.FieldColorModeId {
	if p.color != "" {
		return p.color
	}
	if p.kind == kindTimeseries {
		return dashboard.FieldColorModeIdPaletteClassic
	}
	return dashboard.FieldColorModeIdThresholds
}

// queries turns the targets into Prometheus queries; every panel but a time series asks
// for an instant value, and tables and maps want the table format to keep the labels.
func (p panel) queries() []cog.Builder[variants.Dataquery] {
	var qs []cog.Builder[variants.Dataquery]
	for i, t := range p.targets {
		expr := t.expr
		if p.kind == kindTimeseries {
			expr = historyExpr(expr)
		}
		q := prometheus.NewDataqueryBuilder().Expr(expr).LegendFormat(t.legend).
			RefId(string(rune('A' + i))).Datasource(datasource())
		switch p.kind {
		case kindTimeseries:
			q.Range().Format(prometheus.PromQueryFormatTimeSeries)
		case kindTable, kindGeomap:
			q.Instant().Format(prometheus.PromQueryFormatTable)
		default:
			q.Instant().Format(prometheus.PromQueryFormatTimeSeries)
		}
		qs = append(qs, q)
	}
	return qs
}

func reduce() cog.Builder[common.ReduceDataOptions] {
	return common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false)
}

func legend(place common.LegendPlacement) cog.Builder[common.VizLegendOptions] {
	return common.NewVizLegendOptionsBuilder().ShowLegend(true).DisplayMode(common.LegendDisplayModeList).
		Placement(place).Calcs([]string{})
}

// build returns the SDK builder of p with every option set explicitly.
func (p panel) build() (cog.Builder[dashboard.Panel], error) {
	if p.title == "" || p.desc == "" || p.unit == "" || len(p.targets) == 0 {
		return nil, fmt.Errorf("panel %q: title, description, unit and a query are required", p.title)
	}
	w, h := p.w, p.h
	if w == 0 {
		w = 6
	}
	if h == 0 {
		h = 6
	}
	switch p.kind {
	case kindStat:
		b := stat.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(datasource()).
			Targets(p.queries()).Span(w).Height(h).Unit(p.unit).Thresholds(thresholds(p.steps)).
			ColorScheme(dashboard.NewFieldColorBuilder().Mode(p.colorMode())).
			ReduceOptions(reduce()).GraphMode(common.BigValueGraphModeNone).
			ColorMode(common.BigValueColorModeValue).TextMode(common.BigValueTextModeAuto).
			JustifyMode(common.BigValueJustifyModeAuto).Orientation(common.VizOrientationAuto).
			WideLayout(true).ShowPercentChange(false).PercentChangeColorMode(common.PercentChangeColorModeStandard).
			Text(common.NewVizTextDisplayOptionsBuilder())
		applyField[*stat.PanelBuilder](b, p)
		return b, nil
	case kindBarGauge:
		b := bargauge.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(datasource()).
			Targets(p.queries()).Span(w).Height(h).Unit(p.unit).Thresholds(thresholds(p.steps)).
			ColorScheme(dashboard.NewFieldColorBuilder().Mode(p.colorMode())).
			ReduceOptions(reduce()).DisplayMode(common.BarGaugeDisplayModeGradient).
			ValueMode(common.BarGaugeValueModeColor).NamePlacement(common.BarGaugeNamePlacementLeft).
			Orientation(common.VizOrientationHorizontal).ShowUnfilled(true).Sizing(common.BarGaugeSizingAuto).
			MinVizWidth(8).MinVizHeight(16).MaxVizHeight(300).Legend(legend(common.LegendPlacementBottom)).
			Text(common.NewVizTextDisplayOptionsBuilder())
		applyField[*bargauge.PanelBuilder](b, p)
		return b, nil
	case kindTimeseries:
		mode := common.GraphThresholdsStyleModeOff
		if p.thresholdLine {
			mode = common.GraphThresholdsStyleModeDashed
		}
		b := timeseries.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(datasource()).
			Targets(p.queries()).Span(w).Height(h).Unit(p.unit).Thresholds(thresholds(p.steps)).
			ColorScheme(dashboard.NewFieldColorBuilder().Mode(p.colorMode())).
			Legend(legend(common.LegendPlacementBottom)).
			Tooltip(common.NewVizTooltipOptionsBuilder().Mode(common.TooltipDisplayModeMulti).Sort(common.SortOrderDescending)).
			DrawStyle(common.GraphDrawStyleLine).LineWidth(2).FillOpacity(10).
			ShowPoints(common.VisibilityModeAuto).SpanNulls(common.BoolOrFloat64{Bool: ptr(true)}).
			ThresholdsStyle(common.NewGraphThresholdsStyleConfigBuilder().Mode(mode))
		applyField[*timeseries.PanelBuilder](b, p)
		return b, nil
	case kindTable:
		b := table.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(datasource()).
			Targets(p.queries()).Span(w).Height(h).Unit(p.unit).Thresholds(thresholds(p.steps)).
			ColorScheme(dashboard.NewFieldColorBuilder().Mode(p.colorMode())).
			ShowHeader(true).CellHeight(common.TableCellHeightSm).
			Footer(common.NewTableFooterOptionsBuilder().Show(false).Reducer([]string{"sum"}).CountRows(false)).
			Transformations(p.transforms)
		for _, c := range p.columns {
			b.OverrideByName(c.name, []dashboard.DynamicConfigValue{{Id: "unit", Value: c.unit}})
		}
		applyField[*table.PanelBuilder](b, p)
		return b, nil
	case kindGeomap:
		b := geomap.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(datasource()).
			Targets(p.queries()).Span(w).Height(h).Unit(p.unit).Thresholds(thresholds(p.steps)).
			ColorScheme(dashboard.NewFieldColorBuilder().Mode(p.colorMode())).
			Transformations(p.transforms).
			View(geomap.NewMapViewConfigBuilder().Id(string(geomap.MapCenterIDCoords)).
				Lat(p.view[0]).Lon(p.view[1]).Zoom(p.view[2])).
			Controls(geomap.NewControlsOptionsBuilder().ShowZoom(true).MouseWheelZoom(true).
				ShowAttribution(true).ShowScale(false).ShowDebug(false).ShowMeasure(false)).
			Basemap(common.NewMapLayerOptionsBuilder().Type("default").Name("底图").Config(map[string]any{})).
			Tooltip(geomap.NewTooltipOptionsBuilder().Mode(geomap.TooltipModeDetails))
		if p.layer != nil {
			b.Layers([]cog.Builder[common.MapLayerOptions]{layerBuilder{*p.layer}})
		}
		applyField[*geomap.PanelBuilder](b, p)
		return b, nil
	}
	return nil, fmt.Errorf("panel %q: unknown kind %d", p.title, p.kind)
}

// fieldSetter is the field-config part shared by every SDK panel builder.
type fieldSetter[B any] interface {
	Min(float64) B
	Max(float64) B
	Decimals(float64) B
	Mappings([]dashboard.ValueMapping) B
}

// applyField sets the optional field settings of p on b, whatever the panel type.
func applyField[B any, S fieldSetter[B]](b S, p panel) {
	if p.min != nil {
		b.Min(*p.min)
	}
	if p.max != nil {
		b.Max(*p.max)
	}
	if p.decimals != nil {
		b.Decimals(*p.decimals)
	}
	if p.mappings != nil {
		b.Mappings(p.mappings)
	}
}

// layerBuilder wraps a ready MapLayerOptions as a builder.
type layerBuilder struct{ l common.MapLayerOptions }

func (b layerBuilder) Build() (common.MapLayerOptions, error) { return b.l, nil }

// indicatorSelector matches an instant selector of an indicator gauge not already
// followed by a range.
var indicatorSelector = regexp.MustCompile(`safetyrisk_[a-z0-9_]+\{[^}]*\}(\[)?`)

// historyExpr makes a time series read history: backfill writes one sample a month (the
// month end) and Prometheus looks back only 5 minutes, so each indicator selector becomes
// last_over_time(selector[historyLookback]) and the months draw as steps. Health metrics
// (scraped live only) are left alone.
func historyExpr(expr string) string {
	indicators := map[string]bool{}
	for _, in := range safetyrisk.Catalogue() {
		indicators[in.Metric] = true
	}
	return indicatorSelector.ReplaceAllStringFunc(expr, func(sel string) string {
		name := sel[:strings.IndexByte(sel, '{')]
		if strings.HasSuffix(sel, "[") || !indicators[name] {
			return sel
		}
		return "last_over_time(" + sel + "[" + historyLookback + "])"
	})
}
