package report

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// The report reads indicators by id and is tolerant of a window being absent: a state
// indicator stored once with no window (or in only some windows), a rate only for ytd and
// 12m.
func TestValuesToleratesAbsentWindows(t *testing.T) {
	at := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	city := safetyrisk.Ordos().City.Code
	v := func(id, win, dim string, x float64) safetyrisk.IndicatorValue {
		return safetyrisk.IndicatorValue{Indicator: id, Region: city, Sector: "all", Window: win, DimValue: dim, AsOf: at, Value: x}
	}
	s := &safetyrisk.Snapshot{AsOf: at, Values: []safetyrisk.IndicatorValue{
		v("hazards_overdue", "", "major", 7), v("hazards_overdue", "", "general", 30),
		v("deaths_per_100m_gdp", "ytd", "", 0.01), v("deaths_per_100m_gdp", "12m", "", 0.02),
		v("listed_supervision", "12m", "", 4), v("listed_supervision", "ytd", "", 3),
		v("accidents", "ytd", "general", 5), v("accidents", "ytd", "large", 1),
	}}
	vals := newValues(s)
	cases := []struct {
		name string
		got  func() (float64, bool)
		want float64
		ok   bool
	}{
		{"stock stored with no window", func() (float64, bool) { return vals.get("hazards_overdue", city, "all", "major", stockWins...) }, 7, true},
		{"stock asked for a month it does not have", func() (float64, bool) { return vals.get("hazards_overdue", city, "all", "general", "month") }, 30, true},
		{"stock in several windows: the widest asked first", func() (float64, bool) { return vals.get("listed_supervision", city, "all", "", stockWins...) }, 4, true},
		{"rate for the year", func() (float64, bool) { return vals.get("deaths_per_100m_gdp", city, "all", "", "ytd") }, 0.01, true},
		{"rate has no month", func() (float64, bool) { return vals.get("deaths_per_100m_gdp", city, "all", "", "month") }, 0, false},
		{"sum over grades", func() (float64, bool) { return vals.sum("accidents", city, "all", "ytd") }, 6, true},
		{"sum in a window without values", func() (float64, bool) { return vals.sum("accidents", city, "all", "month") }, 0, false},
		{"unknown indicator", func() (float64, bool) { return vals.get("nothing", city, "all", "", "ytd") }, 0, false},
	}
	for _, c := range cases {
		got, ok := c.got()
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

// The findings follow the snapshot whatever catalogue wrote it: states stored with the
// window "as_of", indicators this catalogue does not know (read by id, used when there).
func TestFindingsFromAStateCatalogue(t *testing.T) {
	at := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	p := safetyrisk.Ordos()
	code := func(name string) string { c, _ := p.RegionCode(name); return c }
	v := func(id, region, win, dim string, x float64) safetyrisk.IndicatorValue {
		return safetyrisk.IndicatorValue{Indicator: id, Region: region, Sector: "all", Window: win, DimValue: dim, AsOf: at, Value: x}
	}
	s := &safetyrisk.Snapshot{AsOf: at, Values: []safetyrisk.IndicatorValue{
		v("qualified_staff_ratio", code("鄂托克前旗"), windowAsOf, "", 0.6),
		v("major_hazards_no_deadline", code("乌审旗"), windowAsOf, "", 2),
		v("fatal_accidents_no_enforcement", code("达拉特旗"), "ytd", "", 1),
		v("accidents", code("准格尔旗"), "ytd", "large", 1),
		v("accidents", code("准格尔旗"), "month", "large", 0),
	}}
	targets, err := LoadTargets("")
	if err != nil {
		t.Fatal(err)
	}
	d := &data{opt: Options{Targets: targets}, p: p, scope: p.City.Code, snap: s, cur: newValues(s), rec: &lakeRecords{}}
	d.opt.Logger = discard()
	got := map[string]string{}
	for _, f := range findings(d) {
		got[f.Rule] = f.Text
	}
	for rule, want := range map[string]string{
		"veto_accident":  "准格尔旗发生较大事故1起（M6），年度考核不得评为优秀",
		"staff":          "鄂托克前旗执法人员专业化比例60.0%，低于75.0%的要求（M51）",
		"no_deadline":    "乌审旗有2项重大事故隐患未确定整改期限",
		"no_enforcement": "达拉特旗有1起亡人事故调查期限届满仍无执法案件",
	} {
		if !strings.HasPrefix(got[rule], want) {
			t.Errorf("rule %s: %q, want it to start %q", rule, got[rule], want)
		}
	}
	if len(got) != 4 {
		t.Errorf("findings %v: want exactly those four", got)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
