package main

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// Bounds of the dates a command computes as of. A day after today has no data yet, and
// in Prometheus a sample stamped in the future wipes the real history (README,
// "Backfill and the future"); --allow-future lets a date be up to maxFuture ahead, and
// no further: 9999-12-31 is never a date the pipeline means.
const maxFuture = 366 * 24 * time.Hour

// earliestDate is a floor for dates given on the command line: far before any record
// this pipeline reads, so only a typo (0024-12-31) falls below it. Where the lake has
// data, its first year is the tighter floor (checkDataYears).
var earliestDate = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)

// asOfFlags are --as-of and --allow-future, shared by every command that computes as
// of a day.
type asOfFlags struct {
	value       *string
	allowFuture *bool
}

func addAsOfFlags(fs *flag.FlagSet, what string) asOfFlags {
	return asOfFlags{
		value:       fs.String("as-of", "", "as-of `date` (YYYY-MM-DD) "+what+"; default today in the profile's time zone"),
		allowFuture: fs.Bool("allow-future", false, "accept dates after today (at most a year ahead)"),
	}
}

// today is the current day in the profile's time zone, as midnight UTC (the as-of
// convention of snapshots and transforms).
func today(p *safetyrisk.Profile, now time.Time) (time.Time, error) {
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return time.Time{}, fmt.Errorf("profile time zone: %w", err)
	}
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// resolve returns the as-of day: the flag's date, or today in the profile's time zone.
// A date that does not parse, lies after today (without --allow-future), more than
// maxFuture ahead, or before earliestDate is a usage error.
func (f asOfFlags) resolve(p *safetyrisk.Profile, now time.Time) (time.Time, error) {
	day, err := today(p, now)
	if err != nil || *f.value == "" {
		return day, err
	}
	asOf, err := time.Parse(time.DateOnly, *f.value)
	if err != nil {
		return time.Time{}, usageError("--as-of %q: want YYYY-MM-DD", *f.value)
	}
	if err := checkDay("--as-of", asOf, day, *f.allowFuture); err != nil {
		return time.Time{}, err
	}
	return asOf, nil
}

// checkDay refuses a day after today (unless allowFuture), more than maxFuture after
// it, or before earliestDate.
func checkDay(flagName string, d, today time.Time, allowFuture bool) error {
	switch {
	case d.Before(earliestDate):
		return usageError("%s %s: before %s; a typo?", flagName, d.Format(time.DateOnly), earliestDate.Format(time.DateOnly))
	case d.Sub(today) > maxFuture:
		return usageError("%s %s: more than a year after today (%s)", flagName, d.Format(time.DateOnly), today.Format(time.DateOnly))
	case d.After(today) && !allowFuture:
		return usageError("%s %s: after today (%s) in the profile's time zone; pass --allow-future to mean it", flagName, d.Format(time.DateOnly), today.Format(time.DateOnly))
	}
	return nil
}

// checkDataYears refuses an as-of day before the first year of the lake's curated
// data: every count would be zero. A lake with no curated data yet is left to the
// command (indicators on an empty lake print zeros; backfill refuses it).
func checkDataYears(dir, flagName string, d time.Time) error {
	first, _, err := lake.DataYears(dir)
	if errors.Is(err, lake.ErrNoCuratedData) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.Year() < first {
		return usageError("%s %s: before %d, the first year of data in %s", flagName, d.Format(time.DateOnly), first, dir)
	}
	return nil
}
