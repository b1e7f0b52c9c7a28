package report

import (
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// The report reads indicators by id and is tolerant of a window being absent: a state
// indicator stored once with no window (or in only some windows), a rate only for ytd and
// 12m.
func TestValuesToleratesAbsentWindows(t *testing.T) {
	at := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	v := func(id, win, dim string, x float64) safetyrisk.IndicatorValue {
		return safetyrisk.IndicatorValue{Indicator: id, Region: "150600", Sector: "all", Window: win, DimValue: dim, AsOf: at, Value: x}
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
		{"stock stored with no window", func() (float64, bool) { return vals.get("hazards_overdue", "150600", "all", "major", stockWins...) }, 7, true},
		{"stock asked for a month it does not have", func() (float64, bool) { return vals.get("hazards_overdue", "150600", "all", "general", "month") }, 30, true},
		{"stock in several windows: the widest asked first", func() (float64, bool) { return vals.get("listed_supervision", "150600", "all", "", stockWins...) }, 4, true},
		{"rate for the year", func() (float64, bool) { return vals.get("deaths_per_100m_gdp", "150600", "all", "", "ytd") }, 0.01, true},
		{"rate has no month", func() (float64, bool) { return vals.get("deaths_per_100m_gdp", "150600", "all", "", "month") }, 0, false},
		{"sum over grades", func() (float64, bool) { return vals.sum("accidents", "150600", "all", "ytd") }, 6, true},
		{"sum in a window without values", func() (float64, bool) { return vals.sum("accidents", "150600", "all", "month") }, 0, false},
		{"unknown indicator", func() (float64, bool) { return vals.get("nothing", "150600", "all", "", "ytd") }, 0, false},
	}
	for _, c := range cases {
		got, ok := c.got()
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
