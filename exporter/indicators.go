package exporter

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/safetyrisk/safetyrisk"
)

// The labels of every indicator gauge, before the entry's Dim label (docs/architecture.md,
// Metrics). A state (Indicator.State: overdue hazards, 挂牌督办, ...) is counted at the
// as-of date over every record in it and has no window: its gauge has no window label,
// so that a dashboard or an alert cannot pick a window for it.
var (
	indicatorLabels = []string{"region", "region_name", "sector", "sector_name", "window"}
	stateLabels     = []string{"region", "region_name", "sector", "sector_name"}
)

// Reasons a snapshot value is not served. Every label value of an indicator gauge comes
// from an allow-list (the catalogue, the profile, Windows, the Dim's enum), which is what
// makes MaxSeries a bound and not a hope.
const (
	skipIndicator = "indicator" // not a Catalogue() id
	skipRegion    = "region"    // neither a region of the profile nor its city
	skipSector    = "sector"    // neither a sector of the profile nor "all"
	skipWindow    = "window"    // not one of the entry's windows (safetyrisk.WindowAsOf for a state)
	skipDimValue  = "dim_value" // not a value of the entry's Dim enum (nor "" for a total)
	skipDuplicate = "duplicate" // a second value for the same series
)

var skipReasons = []string{skipIndicator, skipRegion, skipSector, skipWindow, skipDimValue, skipDuplicate}

// family is the gauge of one catalogue entry.
type family struct {
	ind     safetyrisk.Indicator
	desc    *prometheus.Desc
	dims    map[string]bool // allowed dim values; nil when the entry has no Dim
	windows map[string]bool // allowed windows: the entry's WindowList()
}

// indicatorSet turns snapshots into gauges for one profile.
type indicatorSet struct {
	families []*family
	byID     map[string]*family
	byDesc   map[*prometheus.Desc]*family
	regions  map[string]string // code -> Chinese name, the city included
	sectors  map[string]string // code -> Chinese name, "all" included
	windows  map[string]bool   // every window some entry allows (each family has its own list)
}

func newIndicatorSet(p *safetyrisk.Profile) *indicatorSet {
	s := &indicatorSet{
		byID:    map[string]*family{},
		byDesc:  map[*prometheus.Desc]*family{},
		regions: map[string]string{p.City.Code: p.RegionName(p.City.Code)},
		sectors: map[string]string{safetyrisk.AllSectors: p.SectorName(safetyrisk.AllSectors)},
		windows: map[string]bool{},
	}
	for _, r := range p.Regions {
		s.regions[r.Code] = p.RegionName(r.Code)
	}
	for _, x := range p.Sectors {
		s.sectors[x.Code] = p.SectorName(x.Code)
	}
	for _, in := range safetyrisk.Catalogue() {
		labels := indicatorLabels
		if in.State {
			labels = stateLabels
		}
		f := &family{ind: in, windows: map[string]bool{}}
		for _, w := range in.WindowList() {
			f.windows[w] = true
			s.windows[w] = true
		}
		if in.Dim != "" {
			labels = append(append([]string(nil), labels...), in.Dim)
			f.dims = map[string]bool{"": true}
			if in.DimEnum != nil {
				for _, v := range in.DimEnum.Values {
					f.dims[v.Code] = true
				}
			}
		}
		f.desc = prometheus.NewDesc(in.Metric, helpText(in), labels, nil)
		s.families = append(s.families, f)
		s.byID[in.ID] = f
		s.byDesc[f.desc] = f
	}
	return s
}

// helpText is the entry's English help followed by its Chinese name and the measures
// of the plan it serves, so that a reader of /metrics finds the definition.
func helpText(in safetyrisk.Indicator) string {
	h := strings.TrimSpace(in.Help) + " " + in.Name
	if in.Measures != "" {
		h += " (" + in.Measures + ")"
	}
	return h + "."
}

// dimFactor is how many values an entry's Dim label can take: its enum's codes and ""
// (a total over the dim, if the queries write one); 1 without a Dim.
func dimFactor(in safetyrisk.Indicator) int {
	if in.Dim == "" {
		return 1
	}
	if in.DimEnum == nil {
		return 1
	}
	return len(in.DimEnum.Values) + 1
}

// MaxSeries is the upper bound on the number of indicator series one snapshot can put
// on /metrics for profile p:
//
//	sum over Catalogue() of (regions+1) x (sectors+1) x len(WindowList()) x dimFactor
//
// where regions+1 counts the city, sectors+1 counts "all", WindowList() is the entry's
// windows (one, and no window label, for a state; ytd and 12m for a rate), and dimFactor
// is the number of codes of the entry's Dim enum plus one for a total ("") or 1 without a
// Dim. Every label value is checked against these lists when a snapshot is loaded
// (anything else is dropped and counted in safetyrisk_snapshot_skipped_values), so no
// snapshot can exceed it.
func MaxSeries(p *safetyrisk.Profile) int {
	n := 0
	combos := (len(p.Regions) + 1) * (len(p.Sectors) + 1)
	for _, in := range safetyrisk.Catalogue() {
		n += combos * len(in.WindowList()) * dimFactor(in)
	}
	return n
}

// ExpectedSeries is the number of series of a complete snapshot of the shape the
// snapshot contract describes (docs/architecture.md): (each region, all), (city, each
// sector) and (city, all), every window of the entry (one for a state), every code of the
// Dim enum and no dim total. A snapshot has fewer when ratios lack a denominator.
func ExpectedSeries(p *safetyrisk.Profile) int {
	n := 0
	combos := len(p.Regions) + len(p.Sectors) + 1
	for _, in := range safetyrisk.Catalogue() {
		d := 1
		if in.Dim != "" && in.DimEnum != nil {
			d = len(in.DimEnum.Values)
		}
		n += combos * len(in.WindowList()) * d
	}
	return n
}

// build turns the values of a snapshot into const gauges. With ts non-nil every sample
// carries that timestamp (backfill). Values that fail an allow-list are counted by
// reason in skipped, never served.
func (s *indicatorSet) build(values []safetyrisk.IndicatorValue, ts *time.Time) (metrics []prometheus.Metric, skipped map[string]int, err error) {
	skipped = map[string]int{}
	metrics = make([]prometheus.Metric, 0, len(values))
	seen := make(map[string]struct{}, len(values))
	var key strings.Builder
	for _, v := range values {
		f, ok := s.byID[v.Indicator]
		if !ok {
			skipped[skipIndicator]++
			continue
		}
		regionName, ok := s.regions[v.Region]
		if !ok {
			skipped[skipRegion]++
			continue
		}
		sectorName, ok := s.sectors[v.Sector]
		if !ok {
			skipped[skipSector]++
			continue
		}
		if !f.windows[v.Window] {
			skipped[skipWindow]++
			continue
		}
		labels := []string{v.Region, regionName, v.Sector, sectorName, v.Window}
		if f.ind.State {
			labels = labels[:len(stateLabels)]
		}
		if f.dims != nil {
			if !f.dims[v.DimValue] {
				skipped[skipDimValue]++
				continue
			}
			labels = append(labels, v.DimValue)
		} else if v.DimValue != "" {
			skipped[skipDimValue]++
			continue
		}
		key.Reset()
		key.WriteString(v.Indicator)
		for _, l := range labels {
			key.WriteByte(0)
			key.WriteString(l)
		}
		if _, dup := seen[key.String()]; dup {
			skipped[skipDuplicate]++
			continue
		}
		seen[key.String()] = struct{}{}
		m, err := prometheus.NewConstMetric(f.desc, prometheus.GaugeValue, v.Value, labels...)
		if err != nil {
			return nil, nil, fmt.Errorf("indicator %s: %w", v.Indicator, err)
		}
		if ts != nil {
			m = prometheus.NewMetricWithTimestamp(*ts, m)
		}
		metrics = append(metrics, m)
	}
	return metrics, skipped, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
