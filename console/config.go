package console

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Config configures an analysts' SQL session.
type Config struct {
	Lake        string        // the lake; the only folder queries may read
	MemoryLimit string        // DuckDB syntax ("1GB"); "": 1GB. Also caps DuckDB's spill files
	Timeout     time.Duration // per statement, streaming included; 0: 30s
	TimeZone    string        // the profile's IANA zone: TIMESTAMPTZ shown and computed in it; "": UTC
	Format      string        // table, csv or json; "": table
	MaxRows     int64         // a result stops with an error past this many rows; 0: no cap
	MaxBytes    int64         // ... or past this many bytes of output; 0: no cap
	TempDir     string        // set by Start: the session's own temporary folder

	// OSLayerOnly turns off every layer but the operating system's (no statement
	// checker, no locked DuckDB settings; statements run as DuckDB splits them), so
	// that a test can prove that the OS layer holds on its own. The sql command never
	// sets it.
	OSLayerOnly bool
}

// Validate checks the configuration, makes the lake absolute and fills the defaults.
func (c *Config) Validate() error {
	if c.Lake == "" {
		return errors.New("lake directory is required")
	}
	abs, err := filepath.Abs(c.Lake)
	if err != nil {
		return fmt.Errorf("lake: %w", err)
	}
	c.Lake = abs
	if fi, err := os.Stat(c.Lake); err != nil {
		return fmt.Errorf("lake: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("lake %s: not a directory", c.Lake)
	}
	if c.MemoryLimit == "" {
		c.MemoryLimit = "1GB"
	}
	if c.Timeout < 0 {
		return fmt.Errorf("timeout %s is negative", c.Timeout)
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	switch c.Format {
	case "":
		c.Format = FormatTable
	case FormatTable, FormatCSV, FormatJSON:
	default:
		return fmt.Errorf("format %q: want table, csv or json", c.Format)
	}
	if c.MaxRows < 0 || c.MaxBytes < 0 {
		return errors.New("row and byte caps cannot be negative")
	}
	return nil
}
