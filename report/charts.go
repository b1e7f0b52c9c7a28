package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"regexp"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Charts are drawn by gonum/plot's SVG backend and inlined in the HTML: no script, no
// request. gonum/plot lays text out with its built-in Liberation fonts, which have no
// Chinese glyphs; the SVG's font list adds CJK fonts after them, so a browser draws the
// Chinese labels with Noto Sans CJK (Linux) or Microsoft YaHei (Windows).

var (
	sansFont  = font.Font{Typeface: "Liberation", Variant: "Sans"}
	cjkFamily = `font-family:'Liberation Sans','Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif;`
	thisYear  = color.RGBA{R: 0xd7, G: 0x26, B: 0x3d, A: 0xff}
	lastYear  = color.RGBA{R: 0x9a, G: 0xa5, B: 0xb1, A: 0xff}
	lineBlue  = color.RGBA{R: 0x1e, G: 0x6f, B: 0xd9, A: 0xff}
)

// newPlot returns a plot with sans fonts at print sizes.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		f.Typeface, f.Variant = sansFont.Typeface, sansFont.Variant
	}
	p.X.Tick.Label.Font.Size = vg.Points(8)
	p.Y.Tick.Label.Font.Size = vg.Points(8)
	p.X.Label.TextStyle.Font.Size = vg.Points(9)
	p.Y.Label.TextStyle.Font.Size = vg.Points(9)
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(3)
	return p
}

// cjk pads a label for gonum's layout: Liberation has no CJK glyph, so gonum measures a
// Chinese character at the missing glyph's width (about 0.75 em) while the browser draws
// it 1 em wide. One leading space per such character (about 0.28 em) makes up the
// difference; SVG drops leading spaces when it draws, so only the layout sees them.
func cjk(s string) string {
	n := 0
	for _, r := range s {
		if r > 0x2e7f {
			n++
		}
	}
	return strings.Repeat(" ", n) + s
}

func cjkAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = cjk(n)
	}
	return out
}

var svgPrologue = regexp.MustCompile(`(?s)^.*?(<svg[ >])`)

// svg renders p at w x h centimetres as inline SVG for the HTML.
func svg(p *plot.Plot, w, h float64, label string) (template.HTML, error) {
	c := vgsvg.New(vg.Length(w)*vg.Centimeter, vg.Length(h)*vg.Centimeter)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", fmt.Errorf("chart %s: %w", label, err)
	}
	s := svgPrologue.ReplaceAllString(b.String(), "$1")
	s = strings.ReplaceAll(s, "font-family:Liberation Sans;", cjkFamily)
	s = strings.Replace(s, "<svg ", `<svg role="img" aria-label="`+template.HTMLEscapeString(label)+`" `, 1)
	return template.HTML(s), nil // gonum's own SVG output; label escaped
}

// monthChart: accidents per month, this year against last year.
func monthChart(months []MonthCount, year int) (template.HTML, error) {
	var now, before plotter.Values = make(plotter.Values, 12), make(plotter.Values, 12)
	for _, m := range months {
		switch m.Year {
		case year:
			now[m.Month-1] = float64(m.Accidents)
		case year - 1:
			before[m.Month-1] = float64(m.Accidents)
		}
	}
	p := newPlot()
	p.Y.Label.Text = cjk("事故起数")
	w := vg.Points(9)
	b0, err := plotter.NewBarChart(before, w)
	if err != nil {
		return "", err
	}
	b0.Color, b0.Offset, b0.LineStyle.Width = lastYear, -w/2, 0
	b1, err := plotter.NewBarChart(now, w)
	if err != nil {
		return "", err
	}
	b1.Color, b1.Offset, b1.LineStyle.Width = thisYear, w/2, 0
	p.Add(b0, b1, plotter.NewGrid())
	p.Legend.Add(cjk(fmt.Sprintf("%d年", year-1)), b0)
	p.Legend.Add(cjk(fmt.Sprintf("%d年", year)), b1)
	names := make([]string, 12)
	for i := range names {
		names[i] = fmt.Sprintf("%d月", i+1)
	}
	p.NominalX(cjkAll(names)...)
	p.Y.Min, p.Y.Max = 0, headroom(append(append(plotter.Values{}, now...), before...))
	return svg(p, 16, 6, "各月事故起数同比")
}

// headroom is the top of a y axis: a third above the largest value, so that the legend
// in the top corner covers no bar.
func headroom(vs plotter.Values) float64 {
	m := 1.0
	for _, v := range vs {
		m = max(m, v)
	}
	return m * 1.35
}

// riskChart: the regions' risk index, worst at the top, each bar in its band's colour.
func riskChart(rows []RankRow) (template.HTML, error) {
	p := newPlot()
	p.X.Label.Text = cjk("综合风险指数（本年累计）")
	n := len(rows)
	names := make([]string, n)
	byBand := map[int]plotter.Values{}
	for i, r := range rows {
		pos := n - 1 - i // worst on top
		names[pos] = r.Name
		if byBand[r.Band] == nil {
			byBand[r.Band] = make(plotter.Values, n)
		}
		if r.Index.OK {
			byBand[r.Band][pos] = r.Index.Value
		}
	}
	var bands []int
	for b := range byBand {
		bands = append(bands, b)
	}
	sort.Ints(bands)
	for _, b := range bands {
		bc, err := plotter.NewBarChart(byBand[b], vg.Points(11))
		if err != nil {
			return "", err
		}
		bc.Horizontal, bc.LineStyle.Width = true, 0
		bc.Color = bandColor(b)
		p.Add(bc)
	}
	p.NominalY(cjkAll(names)...)
	p.X.Min, p.X.Max = 0, 100
	return svg(p, 16, 6.5, "各旗区综合风险指数")
}

func bandColor(b int) color.Color {
	var c color.RGBA
	if bn, ok := bandNames[b]; ok {
		fmt.Sscanf(bn[1], "#%02x%02x%02x", &c.R, &c.G, &c.B)
		c.A = 0xff
		return c
	}
	return color.RGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
}

// overdueChart: the stock of overdue major hazards at each month end, in total and for
// the sector with the most at the end.
func overdueChart(points []OverduePoint, sectorName func(string) string) (template.HTML, error) {
	var ends []string
	total := map[string]float64{}
	per := map[string]map[string]float64{}
	for _, pt := range points {
		e := pt.MonthEnd.Format("2006-01-02")
		if _, ok := total[e]; !ok {
			ends = append(ends, e)
		}
		total[e] += float64(pt.Overdue)
		if per[pt.Sector] == nil {
			per[pt.Sector] = map[string]float64{}
		}
		per[pt.Sector][e] = float64(pt.Overdue)
	}
	sort.Strings(ends)
	p := newPlot()
	p.Y.Label.Text = cjk("逾期未整改重大隐患（项）")
	if len(ends) == 0 {
		p.Title.Text = cjk("无逾期未整改重大隐患")
		return svg(p, 16, 5.5, "逾期重大隐患月末存量")
	}
	top, topV := "", -1.0
	for s, m := range per {
		if v := m[ends[len(ends)-1]]; s != "" && (v > topV || (v == topV && s < top)) {
			top, topV = s, v
		}
	}
	line := func(m map[string]float64) plotter.XYs {
		xy := make(plotter.XYs, len(ends))
		for i, e := range ends {
			xy[i] = plotter.XY{X: float64(i), Y: m[e]}
		}
		return xy
	}
	lt, err := plotter.NewLine(line(total))
	if err != nil {
		return "", err
	}
	lt.Color, lt.Width = lineBlue, vg.Points(1.5)
	p.Add(lt, plotter.NewGrid())
	p.Legend.Add(cjk("合计"), lt)
	if top != "" {
		ls, err := plotter.NewLine(line(per[top]))
		if err != nil {
			return "", err
		}
		ls.Color, ls.Width = thisYear, vg.Points(1.5)
		ls.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(ls)
		p.Legend.Add(cjk(sectorName(top)), ls)
	}
	names := make([]string, len(ends))
	for i, e := range ends {
		names[i] = e[2:4] + "/" + e[5:7]
	}
	p.NominalX(cjkAll(names)...)
	var ys plotter.Values
	for _, e := range ends {
		ys = append(ys, total[e])
	}
	p.Y.Min, p.Y.Max = 0, headroom(ys)
	return svg(p, 16, 5.5, "逾期重大隐患月末存量")
}

// kindChart: the year's inspections by kind.
func kindChart(kinds []NamedFig) (template.HTML, error) {
	vals := make(plotter.Values, len(kinds))
	names := make([]string, len(kinds))
	for i, k := range kinds {
		vals[i], names[i] = k.Fig.Value, k.Name
	}
	p := newPlot()
	p.Y.Label.Text = cjk("检查次数（本年累计）")
	if len(kinds) == 0 {
		return svg(p, 16, 5, "检查方式")
	}
	bc, err := plotter.NewBarChart(vals, vg.Points(16))
	if err != nil {
		return "", err
	}
	bc.Color, bc.LineStyle.Width = lineBlue, 0
	p.Add(bc, plotter.NewGrid())
	p.NominalX(cjkAll(names)...)
	p.Y.Min = 0
	return svg(p, 16, 5, "各检查方式次数")
}

// charts draws every chart of the report.
func charts(r *Report, d *data) error {
	var err error
	if r.Charts["months"], err = monthChart(d.rec.Months, r.Year); err != nil {
		return err
	}
	if r.Charts["risk"], err = riskChart(r.Regions); err != nil {
		return err
	}
	if r.Charts["overdue"], err = overdueChart(d.rec.OverdueTrend, d.p.SectorName); err != nil {
		return err
	}
	if r.Charts["kinds"], err = kindChart(r.Enforcement.ByKind); err != nil {
		return err
	}
	return nil
}
