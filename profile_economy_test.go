package safetyrisk

import (
	"strings"
	"testing"
)

// TestProfileEconomy: a region's economy, which the sample-data generator reads, is
// checked on load: a share in (0, 1], figures not negative, sector weights only for the
// profile's sectors, at least one above zero.
func TestProfileEconomy(t *testing.T) {
	cases := []struct {
		name string
		mod  func(e *Economy)
		bad  string
	}{
		{"as built in", func(*Economy) {}, ""},
		{"zero share", func(e *Economy) { e.Share = 0 }, "share"},
		{"share above one", func(e *Economy) { e.Share = 1.5 }, "share"},
		{"negative GDP", func(e *Economy) { e.GDP = -1 }, "negative"},
		{"unknown sector", func(e *Economy) { e.Sectors = map[string]float64{"fishing": 1} }, "fishing"},
		{"negative weight", func(e *Economy) { e.Sectors = map[string]float64{"coal_mine": -1, "gas": 2} }, "coal_mine"},
		{"no weight", func(e *Economy) { e.Sectors = map[string]float64{"coal_mine": 0} }, "no sector"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Ordos()
			e := *p.Regions[2].Economy
			c.mod(&e)
			p.Regions[2].Economy = &e
			err := p.Validate()
			if c.bad == "" && err != nil || c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)) {
				t.Errorf("Validate() = %v, want an error with %q", err, c.bad)
			}
		})
	}
}
