package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// TestUsageErrors: every wrong command line exits 2, as the README's exit status table
// says, with a message on stderr and nothing on stdout: unknown flags, bad flag values,
// missing or unknown arguments, and dates the pipeline must not compute as of (issue
// 10, point 8; issue 12, point 6). Each command gets an existing empty lake or output
// folder, so that a row that wrongly succeeds writes only into the test's folder.
// The sql console's command line is tested with the console.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	lake, inbox := filepath.Join(dir, "lake"), filepath.Join(dir, "inbox")
	for _, d := range []string{lake, inbox} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	staff := filepath.Join("..", "..", "ingest", "testdata", "staff.good.csv")
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	tomorrow := now.AddDate(0, 0, 1).Format(time.DateOnly)
	thisMonth := now.Format("2006-01")
	cases := [][]string{
		{},
		{"nosuch"},

		{"ingest", "--lake", lake},
		{"ingest", "--lake", lake, "--bogus", staff},
		{"ingest", "--lake", lake, "--table", "nosuch", staff},

		{"template"},
		{"template", "nosuch", "--out", filepath.Join(dir, "t.xlsx")},
		{"template", "hazards", "--format", "pdf", "--out", filepath.Join(dir, "t.pdf")},
		{"template", "hazards", "staff", "--out", filepath.Join(dir, "t.xlsx")},

		{"generate", "--out", filepath.Join(dir, "gen"), "--from", "2024-13-01"},
		{"generate", "--out", filepath.Join(dir, "gen"), "--scale", "x"},

		{"transform", "--lake", lake, "--as-of", "2024-02-30"},
		{"transform", "--lake", lake, "--as-of", "9999-12-31"},
		{"transform", "--lake", lake, "--as-of", "9999-12-31", "--allow-future"},
		{"transform", "--lake", lake, "--as-of", tomorrow},
		{"transform", "--lake", lake, "--as-of", "0024-12-31"},
		{"transform", "--lake", lake, "--threads", "-1"},
		{"transform", "--lake", lake, "--memory-limit", "lots"},
		{"transform", "--lake", lake, "extra"},

		{"check", "--lake", lake, "extra"},
		{"check", "--lake", lake, "--all=maybe"},

		{"indicators", "--lake", lake, "--format", "xml"},
		{"indicators", "--lake", lake, "--indicator", "accidents,nope", "--no-write"},
		{"indicators", "--lake", lake, "--as-of", "31/12/2024", "--no-write"},
		{"indicators", "--lake", lake, "--as-of", "9999-12-31", "--no-write"},
		{"indicators", "--lake", lake, "--as-of", tomorrow, "--no-write"},

		{"weights", "--lake", lake, "--as-of", "9999-12-31"},
		{"weights", "--lake", lake, "extra"},

		{"explain", "--lake", lake},
		{"explain", "nope", "--lake", lake},
		{"explain", "accidents", "--lake", lake, "--window", "decade"},
		{"explain", "accidents", "--lake", lake, "--region", "nowhere"},
		{"explain", "accidents", "--lake", lake, "--sector", "fishing"},
		{"explain", "accidents", "--lake", lake, "--region", safetyrisk.Ordos().Regions[0].Code, "--sector", "coal_mine"},
		{"explain", "accidents", "--lake", lake, "--limit", "0"},
		{"explain", "accidents", "--lake", lake, "--as-of", "9999-12-31"},

		{"run", "--lake", lake, "--inbox", inbox, "--as-of", "9999-12-31"},
		{"run", "--lake", lake, "--inbox", inbox, "--as-of", "2024-1-1"},
		{"run", "--lake", lake, "--inbox", inbox, "extra"},

		{"serve", "--lake", lake, "--listen", "127.0.0.1:0", "--poll", "xx"},
		{"serve", "--lake", lake, "--listen", "127.0.0.1:0", "--poll", "0s"},
		{"serve", "--lake", lake, "--listen", "127.0.0.1:0", "--schedule", "1h"},
		{"serve", "--lake", lake, "--listen", "no-port"},
		{"serve", "--lake", lake, "--listen", "127.0.0.1:0", "--web.max-requests", "-1"},
		{"serve", "--lake", lake, "--listen", "127.0.0.1:0", "--web.idle-timeout", "-5s"},
		{"serve", "--lake", lake, "--listen", "127.0.0.1:0", "extra"},

		{"backfill", "--lake", lake},
		{"backfill", "--lake", lake, "--from", "2024-13", "--to", "2024-12"},
		{"backfill", "--lake", lake, "--from", "2024-12", "--to", "2024-01"},
		{"backfill", "--lake", lake, "--from", "1924-01", "--to", "2024-12"},
		{"backfill", "--lake", lake, "--from", "9999-01", "--to", "9999-12"},
		{"backfill", "--lake", lake, "--from", "9999-01", "--to", "9999-12", "--allow-future"},
		{"backfill", "--lake", lake, "--from", "2024-01", "--to", thisMonth},
		{"backfill", "--lake", lake, "--from", "2024-01", "--to", "2024-12", "--max-months", "0"},

		{"dashboards", "--out", filepath.Join(dir, "dash"), "extra"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// A row that wrongly starts a server stops after a second.
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			var out, errb bytes.Buffer
			code := NewMain(nil, &out, &errb).Run(ctx, args)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (wrong usage)\nstderr: %.600s", code, exitUsage, errb.String())
			}
			if errb.Len() == 0 {
				t.Error("no message on stderr")
			}
			if out.Len() > 0 {
				t.Errorf("stdout: %.300s", out.String())
			}
		})
	}
}

// TestAsOfDefaultsToTodayInProfileZone: without --as-of, commands compute as of today
// in the profile's time zone (Asia/Shanghai for Ordos), not in UTC: at 20:00 UTC on 30
// June it is already 1 July in Ordos (issue 12, point 6).
func TestAsOfDefaultsToTodayInProfileZone(t *testing.T) {
	lake := t.TempDir()
	m := func(out *bytes.Buffer) *Main {
		mm := NewMain(nil, out, &bytes.Buffer{})
		mm.Now = func() time.Time { return time.Date(2026, 6, 30, 20, 0, 0, 0, time.UTC) }
		return mm
	}
	var out bytes.Buffer
	if code := m(&out).Run(context.Background(), []string{"indicators", "--lake", lake, "--format", "json", "--no-write", "--indicator", "deaths"}); code != exitOK {
		t.Fatalf("indicators: exit %d", code)
	}
	if !strings.Contains(out.String(), `"as_of":"2026-07-01"`) || strings.Contains(out.String(), `"as_of":"2026-06-30"`) {
		t.Errorf("indicators without --as-of:\n%.300s", out.String())
	}
	out.Reset()
	if code := m(&out).Run(context.Background(), []string{"transform", "--lake", lake}); code != exitOK {
		t.Fatalf("transform: exit %d", code)
	}
	if !strings.Contains(out.String(), "as of 2026-07-01") {
		t.Errorf("transform without --as-of:\n%s", out.String())
	}
}

// TestAllowFuture: the refusals are not blanket ones. --allow-future admits a day
// ahead, and today itself needs no flag.
func TestAllowFuture(t *testing.T) {
	lake := t.TempDir()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	for _, args := range [][]string{
		{"transform", "--lake", lake, "--as-of", now.AddDate(0, 0, 1).Format(time.DateOnly), "--allow-future"},
		{"indicators", "--lake", lake, "--as-of", now.Format(time.DateOnly), "--no-write", "--indicator", "deaths", "--format", "csv"},
	} {
		var out, errb bytes.Buffer
		if code := NewMain(nil, &out, &errb).Run(context.Background(), args); code != exitOK {
			t.Errorf("%v: exit %d\n%.600s", args, code, errb.String())
		}
	}
}
