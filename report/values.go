package report

import (
	"github.com/safetyrisk/safetyrisk"
)

// valueKey addresses one number of a snapshot.
type valueKey struct{ id, region, sector, window, dim string }

// values indexes a snapshot's numbers by indicator id. Lookups are tolerant of a window
// being absent: a state indicator (hazards_overdue, listed supervision) may be stored
// with no window or with only some windows, and a rate only for ytd and 12m.
type values struct {
	m map[valueKey]float64
	// wins lists, per (id, region, sector), the windows that hold a value.
	wins map[[3]string][]string
}

func newValues(s *safetyrisk.Snapshot) values {
	v := values{m: make(map[valueKey]float64, len(s.Values)), wins: map[[3]string][]string{}}
	if s == nil {
		return v
	}
	for _, x := range s.Values {
		k := valueKey{x.Indicator, x.Region, x.Sector, x.Window, x.DimValue}
		if _, dup := v.m[k]; !dup {
			g := [3]string{x.Indicator, x.Region, x.Sector}
			if !contains(v.wins[g], x.Window) {
				v.wins[g] = append(v.wins[g], x.Window)
			}
		}
		v.m[k] = x.Value
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// window picks the first of wins that holds a value of (id, region, sector); with none
// of them, the empty window when the indicator is stored without one (a state counted
// at as-of holds for every window). A flow asked for a window it lacks has no value.
func (v values) window(id, region, sector string, wins ...string) (string, bool) {
	have := v.wins[[3]string{id, region, sector}]
	for _, w := range wins {
		if contains(have, w) {
			return w, true
		}
	}
	if contains(have, "") {
		return "", true
	}
	return "", false
}

// get returns the value of (id, region, sector, dim) in the first window of wins that
// has it.
func (v values) get(id, region, sector, dim string, wins ...string) (float64, bool) {
	w, ok := v.window(id, region, sector, wins...)
	if !ok {
		return 0, false
	}
	x, ok := v.m[valueKey{id, region, sector, w, dim}]
	return x, ok
}

// sum adds every dim value of (id, region, sector) in the first window of wins that has
// the indicator: accidents of all grades, inspections of all kinds.
func (v values) sum(id, region, sector string, wins ...string) (float64, bool) {
	w, ok := v.window(id, region, sector, wins...)
	if !ok {
		return 0, false
	}
	in, _ := safetyrisk.IndicatorByID(id)
	if in.DimEnum == nil {
		x, ok := v.m[valueKey{id, region, sector, w, ""}]
		return x, ok
	}
	total, found := 0.0, false
	for _, code := range in.DimEnum.Codes() {
		if x, ok := v.m[valueKey{id, region, sector, w, code}]; ok {
			total += x
			found = true
		}
	}
	return total, found
}

// Stock windows: a state indicator (counted at as-of over every record in the state) is
// read from its as-of row first, stored with the window "as_of" or with none, then from
// the widest window a snapshot that computed it per window has.
var stockWins = []string{windowAsOf, "", safetyrisk.Window12M, safetyrisk.WindowYTD}

// windowAsOf is the window value of a state's snapshot rows.
const windowAsOf = safetyrisk.WindowAsOf

// rateIDs are the catalogue's rates (M5), whatever their ids.
func rateIDs() []string {
	var ids []string
	for _, in := range safetyrisk.Catalogue() {
		if in.Unit == safetyrisk.UnitRate {
			ids = append(ids, in.ID)
		}
	}
	return ids
}
