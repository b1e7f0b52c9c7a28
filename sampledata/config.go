package sampledata

import (
	"fmt"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Format is the output file format.
type Format string

// The output formats. XLSX holds at most 1,048,575 data rows a sheet and excelize
// assembles the workbook in memory when it saves: use it for --scale up to about 5.
const (
	FormatCSV  Format = "csv"
	FormatJSON Format = "json"
	FormatXLSX Format = "xlsx"
)

// Config says what to generate. From and To are calendar dates (their time of day is
// ignored); everything dated falls between them and nothing after To, which must be in
// the past when the data is ingested.
type Config struct {
	Out     string              // output folder (created; existing files of the same names are replaced)
	Seed    uint64              // the same seed gives byte-identical files
	Scale   float64             // 1 is one mid-sized city; 50 is about 10 million hazards
	From    time.Time           // first day
	To      time.Time           // last day (the "as of" of the data)
	Format  Format              // csv or json
	Dirty   float64             // share of rows with one planted problem (0 for none)
	Profile *safetyrisk.Profile // nil for the built-in default profile
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Out == "" {
		return fmt.Errorf("output folder is required")
	}
	if !(c.Scale > 0 && c.Scale <= 1000) {
		return fmt.Errorf("scale %v: want a number in (0, 1000]", c.Scale)
	}
	if c.From.IsZero() || c.To.IsZero() {
		return fmt.Errorf("from and to dates are required")
	}
	if c.To.Sub(c.From) < 364*24*time.Hour {
		return fmt.Errorf("from %s to %s: the stories need at least one year", c.From.Format(time.DateOnly), c.To.Format(time.DateOnly))
	}
	if c.From.Year() < 2000 || c.To.Year() > 2090 {
		return fmt.Errorf("dates must lie in 2000-2090")
	}
	switch c.Format {
	case FormatCSV, FormatJSON:
	case FormatXLSX:
		if c.Scale > 5 {
			return fmt.Errorf("scale %v: xlsx is for --scale up to 5 (sheets hold about a million rows, and the workbook is built in memory); use csv", c.Scale)
		}
	default:
		return fmt.Errorf("format %q: want csv, json or xlsx", c.Format)
	}
	if !(c.Dirty >= 0 && c.Dirty <= 0.5) {
		return fmt.Errorf("dirty rate %v: want a share in [0, 0.5]", c.Dirty)
	}
	p := c.Profile
	if p == nil {
		p = safetyrisk.Ordos()
	}
	for _, r := range p.Regions {
		if r.Economy == nil {
			return fmt.Errorf("region %s (%s): the profile gives no economy (share, sectors, statistics), which the generator needs", r.Code, r.Name)
		}
	}
	for _, s := range sectorOrder {
		if p.SectorName(s) == "" {
			return fmt.Errorf("sector %s missing from the profile", s)
		}
	}
	return nil
}

// DefaultPeriod is the period a demo wants on the day now: the last three full calendar
// years and this year up to yesterday, dates in loc (the profile's time zone). Data up
// to yesterday means the dashboards at now show this year so far and, for the same
// period last year, a full year before it.
func DefaultPeriod(now time.Time, loc *time.Location) (from, to time.Time) {
	n := now.In(loc)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return time.Date(n.Year()-3, 1, 1, 0, 0, 0, 0, time.UTC), today.AddDate(0, 0, -1)
}
