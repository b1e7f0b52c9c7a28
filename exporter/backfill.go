package exporter

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// Source computes the indicator snapshot as of a past date (the command wires it to the
// queries).
type Source func(ctx context.Context, asOf time.Time) (*safetyrisk.Snapshot, error)

// BackfillConfig configures Backfill.
type BackfillConfig struct {
	Profile  *safetyrisk.Profile
	From, To time.Time // months: any time in the first and the last month, From <= To
	Source   Source
	// FirstYear is the first year the source has data in: months before it are
	// refused, since every value would be zero. 0: not known, not checked (the command
	// refuses a lake without data before it gets here).
	FirstYear int
	// Now is the clock month ends are compared with; zero: time.Now().
	Now time.Time
	// AllowFuture accepts month ends whose sample time is after Now, up to MaxFuture
	// ahead. Without it they are refused: a future sample makes Prometheus delete the
	// real history (README, "Backfill and the future").
	AllowFuture bool
	// MaxMonths bounds the number of months; 0: DefaultMaxMonths.
	MaxMonths int
}

// DefaultMaxMonths is the longest span Backfill writes unless told otherwise: ten
// years, the retention the README suggests.
const DefaultMaxMonths = 120

// MaxFuture is how far ahead of now a month end may be even with AllowFuture.
const MaxFuture = 366 * 24 * time.Hour

// Validate checks the configuration and fills in Now and MaxMonths.
func (c *BackfillConfig) Validate() error {
	if c.Profile == nil {
		return errors.New("profile is required")
	}
	if c.Source == nil {
		return errors.New("source is required")
	}
	if c.From.IsZero() || c.To.IsZero() {
		return errors.New("from and to months are required")
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	if c.MaxMonths == 0 {
		c.MaxMonths = DefaultMaxMonths
	}
	if c.MaxMonths < 0 {
		return fmt.Errorf("max months %d: must be positive", c.MaxMonths)
	}
	loc, err := time.LoadLocation(c.Profile.Timezone)
	if err != nil {
		return fmt.Errorf("profile time zone: %w", err)
	}
	from, to := monthStart(c.From), monthStart(c.To)
	if from.After(to) {
		return fmt.Errorf("from %s is after to %s", c.From.Format("2006-01"), c.To.Format("2006-01"))
	}
	if n := months(from, to); n > c.MaxMonths {
		return fmt.Errorf("%s to %s is %d months, more than %d (raise the limit to mean it)", from.Format("2006-01"), to.Format("2006-01"), n, c.MaxMonths)
	}
	if c.FirstYear != 0 && from.Year() < c.FirstYear {
		return fmt.Errorf("from %s is before %d, the first year of data: every value would be zero", from.Format("2006-01"), c.FirstYear)
	}
	last := SampleTime(to.AddDate(0, 1, -1), loc)
	switch {
	case last.Sub(c.Now) > MaxFuture:
		return fmt.Errorf("to %s ends more than a year after now", to.Format("2006-01"))
	case last.After(c.Now) && !c.AllowFuture:
		return fmt.Errorf("to %s is not over yet (its month end %s is in the future): a future sample makes Prometheus delete real history",
			to.Format("2006-01"), last.Format(time.RFC3339))
	}
	return nil
}

// months is the number of months from from to to, both counted.
func months(from, to time.Time) int {
	return (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month()) + 1
}

// MonthEnds returns the last day of each month from from to to, at midnight UTC (the
// as-of convention of snapshots).
func MonthEnds(from, to time.Time) []time.Time {
	var out []time.Time
	for m := monthStart(from); !m.After(monthStart(to)); m = m.AddDate(0, 1, 0) {
		out = append(out, m.AddDate(0, 1, -1))
	}
	return out
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// SampleTime is the instant a month-end value is stamped with: the last second of the
// as-of day in the profile's time zone (the value counts everything up to that day).
func SampleTime(asOf time.Time, loc *time.Location) time.Time {
	y, m, d := asOf.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, loc)
}

// Backfill writes, in OpenMetrics text, the indicator gauges of /metrics as of each
// month end from cfg.From to cfg.To, each sample stamped with SampleTime (seconds). Each
// metric family appears once, with one # HELP and # TYPE, its series grouped and in time
// order, and the output ends with # EOF: what `promtool tsdb create-blocks-from
// openmetrics` reads. Values that /metrics would not serve (outside the catalogue or
// the profile) are not written either; they are counted in the stats.
func Backfill(ctx context.Context, w io.Writer, cfg BackfillConfig) (BackfillStats, error) {
	stats := BackfillStats{Skipped: map[string]int{}}
	if err := cfg.Validate(); err != nil {
		return stats, fmt.Errorf("backfill: %w", err)
	}
	loc, err := time.LoadLocation(cfg.Profile.Timezone)
	if err != nil {
		return stats, fmt.Errorf("backfill: profile time zone: %w", err)
	}
	set := newIndicatorSet(cfg.Profile)
	// series[family][series key] -> its labels and samples, in month order.
	series := make(map[*family]map[string]*backfillSeries, len(set.families))
	for _, asOf := range MonthEnds(cfg.From, cfg.To) {
		if err := ctx.Err(); err != nil {
			return stats, fmt.Errorf("backfill: %w", err)
		}
		snap, err := cfg.Source(ctx, asOf)
		if err != nil {
			return stats, fmt.Errorf("backfill: as of %s: %w", asOf.Format(time.DateOnly), err)
		}
		ts := SampleTime(asOf, loc)
		metrics, skipped, err := set.build(snap.Values, &ts)
		if err != nil {
			return stats, fmt.Errorf("backfill: as of %s: %w", asOf.Format(time.DateOnly), err)
		}
		stats.Months++
		for r, n := range skipped {
			stats.Skipped[r] += n
		}
		for _, m := range metrics {
			f := set.byDesc[m.Desc()]
			var pb dto.Metric
			if err := m.Write(&pb); err != nil {
				return stats, fmt.Errorf("backfill: as of %s: %w", asOf.Format(time.DateOnly), err)
			}
			if series[f] == nil {
				series[f] = map[string]*backfillSeries{}
			}
			k := labelKey(pb.Label)
			bs := series[f][k]
			if bs == nil {
				bs = &backfillSeries{labels: pb.Label}
				series[f][k] = bs
			}
			bs.samples = append(bs.samples, backfillSample{ms: pb.GetTimestampMs(), value: pb.GetGauge().GetValue()})
		}
	}
	bw := bufio.NewWriter(w)
	for _, f := range set.families {
		byKey := series[f]
		if len(byKey) == 0 {
			continue
		}
		name, help, typ := f.ind.Metric, helpText(f.ind), dto.MetricType_GAUGE
		mf := &dto.MetricFamily{Name: &name, Help: &help, Type: &typ}
		for _, k := range sortedKeys(byKey) {
			mf.Metric = append(mf.Metric, byKey[k].metrics()...)
		}
		if _, err := expfmt.MetricFamilyToOpenMetrics(bw, mf); err != nil {
			return stats, fmt.Errorf("backfill: %s: %w", name, err)
		}
		stats.Families++
		stats.Series += len(byKey)
		stats.Samples += len(mf.Metric)
	}
	if _, err := expfmt.FinalizeOpenMetrics(bw); err != nil {
		return stats, fmt.Errorf("backfill: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return stats, fmt.Errorf("backfill: %w", err)
	}
	return stats, nil
}

// backfillSeries is one series of the backfill: its labels, kept once, and its samples
// in month order. A dto.Metric kept for every sample held all its labels again: the
// demo's 46 months (415,560 samples) took 1 GB.
type backfillSeries struct {
	labels  []*dto.LabelPair
	samples []backfillSample
}

type backfillSample struct {
	ms    int64
	value float64
}

// metrics returns the series' samples as the gauges Backfill writes, sharing its labels.
func (s *backfillSeries) metrics() []*dto.Metric {
	out := make([]*dto.Metric, len(s.samples))
	for i, x := range s.samples {
		out[i] = &dto.Metric{Label: s.labels, Gauge: &dto.Gauge{Value: &x.value}, TimestampMs: &x.ms}
	}
	return out
}

// BackfillStats says what Backfill wrote.
type BackfillStats struct {
	Months, Families, Series, Samples int
	Skipped                           map[string]int // values not written, by reason
}

func labelKey(ls []*dto.LabelPair) string {
	sorted := append([]*dto.LabelPair(nil), ls...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].GetName() < sorted[j].GetName() })
	var b strings.Builder
	for _, l := range sorted {
		b.WriteString(l.GetName())
		b.WriteByte(0)
		b.WriteString(l.GetValue())
		b.WriteByte(0)
	}
	return b.String()
}

// LakeSnapshots is a Source over the snapshots already in a lake: for an as-of date, the
// newest snapshot whose AsOf is that date (for snapshots that `safetyrisk indicators
// --as-of` wrote). It reads every snapshot once, at its first call, to index them; a
// date without a snapshot is an error that names it.
func LakeSnapshots(dir string) Source {
	var byAsOf map[time.Time]string
	return func(ctx context.Context, asOf time.Time) (*safetyrisk.Snapshot, error) {
		if byAsOf == nil {
			ids, err := lake.ListSnapshots(dir)
			if err != nil {
				return nil, err
			}
			byAsOf = map[time.Time]string{}
			for _, id := range ids { // oldest first: the newest of a date wins
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				s, err := readSnapshot(dir, id)
				if err != nil {
					return nil, err
				}
				byAsOf[s.AsOf] = id
			}
		}
		id, ok := byAsOf[asOf]
		if !ok {
			return nil, fmt.Errorf("no snapshot as of %s in %s", asOf.Format(time.DateOnly), lake.SnapshotDir(dir))
		}
		return readSnapshot(dir, id)
	}
}
