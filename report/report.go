package report

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
	"github.com/safetyrisk/safetyrisk/queries"
)

// Options says which report to write.
type Options struct {
	Lake string
	// Month is the report's month (its last day is the as-of date); zero for the month of
	// the newest snapshot.
	Month time.Time
	// Region is a region code for a region's report; "" for the city.
	Region     string
	Profile    *safetyrisk.Profile // nil: the built-in Ordos profile
	RiskConfig *queries.RiskConfig // nil: the built-in riskindex.json (used only when a snapshot must be computed)
	Targets    *Targets            // nil: the built-in targets.json
	Now        time.Time           // when the report is written; zero: time.Now()
	Logger     *slog.Logger        // nil: discard
}

// data is everything a report is written from.
type data struct {
	opt     Options
	p       *safetyrisk.Profile
	scope   string // region code or the city code
	snap    *safetyrisk.Snapshot
	prevAt  time.Time
	cur     values
	prev    values
	rec     *lakeRecords
	batches []lake.Batch
	checks  *lake.Checks
	// computed is true when no snapshot of the month was in the lake and the values were
	// computed for the report (and not written).
	computed bool
}

// ErrNoMonthSnapshot says the lake has no snapshot for the month asked.
var ErrNoMonthSnapshot = errors.New("no indicator snapshot of that month in the lake")

// gather reads the snapshot of the month (or the newest), the accidents of the same period
// a year before, the lake's records and the data's provenance.
func gather(ctx context.Context, opt Options) (*data, error) {
	if opt.Profile == nil {
		opt.Profile = safetyrisk.Ordos()
	}
	if opt.Targets == nil {
		t, err := LoadTargets("")
		if err != nil {
			return nil, err
		}
		opt.Targets = t
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	d := &data{opt: opt, p: opt.Profile, scope: opt.Profile.City.Code}
	if opt.Region != "" {
		code, ok := opt.Profile.RegionCode(opt.Region)
		if !ok {
			return nil, fmt.Errorf("region %q: not a region of %s", opt.Region, opt.Profile.City.Name)
		}
		d.scope = code
	}
	snap, err := monthSnapshot(opt.Lake, opt.Month)
	if errors.Is(err, ErrNoMonthSnapshot) || (errors.Is(err, lake.ErrNoSnapshot) && !opt.Month.IsZero()) {
		snap, err = compute(ctx, opt, monthEnd(opt.Month))
		d.computed = true
	}
	if err != nil {
		return nil, err
	}
	d.snap = snap
	d.cur = newValues(snap)
	d.prevAt = sameDayLastYear(snap.AsOf)
	l, err := openLake(ctx, opt.Lake, opt.Profile.Timezone)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	region := ""
	if d.scope != opt.Profile.City.Code {
		region = d.scope
	}
	prev, err := samePeriodLastYear(ctx, l, d.prevAt, d.scope, region)
	if err != nil {
		return nil, fmt.Errorf("same period last year: %w", err)
	}
	d.prev = newValues(prev)
	if d.rec, err = readRecords(ctx, l, snap.AsOf, region); err != nil {
		return nil, err
	}
	if d.batches, err = lake.ReadManifest(opt.Lake); err != nil {
		return nil, err
	}
	if d.checks, err = lake.ReadChecks(opt.Lake); err != nil && !errors.Is(err, lake.ErrNoChecks) {
		return nil, err
	}
	return d, nil
}

// monthSnapshot reads the newest snapshot, or the newest one whose as-of date is in
// month.
func monthSnapshot(dir string, month time.Time) (*safetyrisk.Snapshot, error) {
	if month.IsZero() {
		return lake.LatestSnapshot(dir)
	}
	ids, err := lake.ListSnapshots(dir)
	if err != nil {
		return nil, err
	}
	sort.Sort(sort.Reverse(sort.StringSlice(ids)))
	for _, id := range ids {
		s, err := lake.ReadSnapshot(dir, id)
		if err != nil {
			return nil, err
		}
		if s.AsOf.Year() == month.Year() && s.AsOf.Month() == month.Month() {
			return s, nil
		}
	}
	return nil, ErrNoMonthSnapshot
}

// compute runs the indicator queries at asOf for a month with no snapshot: the same SQL as 'safetyrisk indicators', nothing written.
func compute(ctx context.Context, opt Options, asOf time.Time) (*safetyrisk.Snapshot, error) {
	return queries.Compute(ctx, queries.Config{Lake: opt.Lake, AsOf: asOf, Profile: opt.Profile,
		RiskConfig: opt.RiskConfig, Logger: opt.Logger})
}

// monthEnd is the last day of t's month.
func monthEnd(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC)
}

// sameDayLastYear is the as-of date of the same period last year: the same day a year
// before (28 February for 29 February), as 'safetyrisk indicators' compares.
func sameDayLastYear(t time.Time) time.Time {
	y := t.AddDate(-1, 0, 0)
	if y.Month() != t.Month() {
		y = y.AddDate(0, 0, -y.Day())
	}
	return time.Date(y.Year(), y.Month(), y.Day(), 0, 0, 0, 0, time.UTC)
}
