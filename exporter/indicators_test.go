package exporter_test

import (
	"context"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// TestIssue11_StockGaugeHasNoWindow: a state (hazards_overdue, listed_supervision) is
// served once, at the as-of date, with no window label, so that no dashboard or alert can
// ask for a "12-month" overdue count that forgets last year's hazards; a state row
// written with a flow's window is refused, and a rate has no month series.
func TestIssue11_StockGaugeHasNoWindow(t *testing.T) {
	lake := t.TempDir()
	v := func(ind, region, window, dim string, value float64) safetyrisk.IndicatorValue {
		return safetyrisk.IndicatorValue{Indicator: ind, Region: region, Sector: "all", Window: window, DimValue: dim, AsOf: asOf, Value: value}
	}
	writeSnapshot(t, lake, "20241201T020000.000000Z", []safetyrisk.IndicatorValue{
		v("hazards_overdue", fixtureRegion1, safetyrisk.WindowAsOf, "major", 3),
		v("hazards_overdue", fixtureRegion1, "12m", "major", 1), // a flow's window: refused
		v("listed_supervision", fixtureCity, safetyrisk.WindowAsOf, "", 2),
		v("deaths", fixtureCity, safetyrisk.WindowAsOf, "", 9),  // a flow has no as_of row
		v("deaths_per_100m_gdp", fixtureCity, "month", "", 0.1), // no month rate
		v("deaths_per_100m_gdp", fixtureCity, "ytd", "", 0.02),
	})
	e := newExporter(t, lake, testProfile(t))
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	mfs := families(t, scrape(t, e.Handler()))
	for name, want := range map[string]int{"safetyrisk_hazards_overdue": 1, "safetyrisk_listed_supervision": 1,
		"safetyrisk_deaths": 0, "safetyrisk_deaths_per_100m_yuan_gdp": 1} {
		mf := mfs[name]
		n := 0
		if mf != nil {
			n = len(mf.Metric)
			for _, m := range mf.Metric {
				for _, l := range m.Label {
					if l.GetName() == "window" && name != "safetyrisk_deaths_per_100m_yuan_gdp" {
						t.Errorf("%s has a window label %q", name, l.GetValue())
					}
				}
			}
		}
		if n != want {
			t.Errorf("%s: %d series, want %d", name, n, want)
		}
	}
	if got, ok := value(mfs, "safetyrisk_hazards_overdue", map[string]string{"region": fixtureRegion1, "level": "major"}); !ok || got != 3 {
		t.Errorf("hazards_overdue{region=%s,level=major} = %v (found %v), want 3", fixtureRegion1, got, ok)
	}
	if got, ok := value(mfs, "safetyrisk_snapshot_skipped_values", map[string]string{"reason": "window"}); !ok || got != 3 {
		t.Errorf("skipped for window = %v (found %v), want 3", got, ok)
	}
}
