package exporter

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/safetyrisk/safetyrisk"

	dto "github.com/prometheus/client_model/go"
)

// FuzzBuild: whatever strings a snapshot holds, building its gauges never fails, never
// serves a label value outside the allow-lists, and the registry gathers the result.
func FuzzBuild(f *testing.F) {
	p := safetyrisk.Ordos()
	city, first, last := p.City.Code, p.Regions[0].Code, p.Regions[len(p.Regions)-1].Code
	f.Add("accidents", first, "all", "12m", "large", "deaths", city, "coal_mine", "ytd", "")
	f.Add("deaths", city, "all", "ytd", "", "deaths", city, "all", "ytd", "")
	f.Add("veto", "999", "all", "month", "x", "inspections", last, "gas", "quarter", "covert")
	f.Add("risk_index", city, "all\x00", "12m", "", "risk_index", city+"\n", "all", "12m", "\"")
	set := newIndicatorSet(p)
	f.Fuzz(func(t *testing.T, i1, r1, s1, w1, d1, i2, r2, s2, w2, d2 string) {
		values := []safetyrisk.IndicatorValue{
			{Indicator: i1, Region: r1, Sector: s1, Window: w1, DimValue: d1, AsOf: time.Unix(0, 0), Value: 1},
			{Indicator: i2, Region: r2, Sector: s2, Window: w2, DimValue: d2, AsOf: time.Unix(0, 0), Value: 2},
		}
		metrics, skipped, err := set.build(values, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range skipped {
			n += c
		}
		if len(metrics)+n != len(values) {
			t.Fatalf("%d served + %d skipped != %d values", len(metrics), n, len(values))
		}
		for _, m := range metrics {
			var pb dto.Metric
			if err := m.Write(&pb); err != nil {
				t.Fatal(err)
			}
			for _, l := range pb.Label {
				v := l.GetValue()
				ok := true
				switch l.GetName() {
				case "region":
					_, ok = set.regions[v]
				case "sector":
					_, ok = set.sectors[v]
				case "window":
					ok = set.windows[v]
				}
				if !ok {
					t.Fatalf("label %s=%q served", l.GetName(), v)
				}
			}
		}
		reg := prometheus.NewRegistry()
		reg.MustRegister(constCollector(metrics))
		if _, err := reg.Gather(); err != nil {
			t.Fatalf("gather: %v", err)
		}
	})
}
