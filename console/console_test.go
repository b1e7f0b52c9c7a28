package console

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the worker of the sessions these tests start.
func TestMain(m *testing.M) {
	if cfg, ok := os.LookupEnv(WorkerEnv); ok {
		if err := ServeWorker(context.Background(), cfg, os.Stdin, os.Stdout, os.Stderr); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func start(t *testing.T, cfg Config) *Console {
	t.Helper()
	if cfg.Lake == "" {
		cfg.Lake = t.TempDir() // no catalog yet: an empty in-memory database
	}
	t.Setenv("TMPDIR", t.TempDir())
	var errb bytes.Buffer
	c, err := Start(context.Background(), cfg, []string{os.Args[0]}, &errb)
	if err != nil {
		t.Fatalf("start: %v: %s", err, errb.String())
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if tmp, _ := os.ReadDir(os.Getenv("TMPDIR")); len(tmp) > 0 {
			t.Errorf("the session left %v in its temporary folder", tmp)
		}
	})
	return c
}

// TestDecodeTypes: every type the console decodes from DuckDB's vectors is written as
// an analyst expects, TIMESTAMPTZ in the session's zone.
func TestDecodeTypes(t *testing.T) {
	c := start(t, Config{TimeZone: "Asia/Shanghai", Format: FormatJSON})
	tests := []struct{ expr, want string }{
		{"true", `true`},
		{"CAST(-7 AS TINYINT)", `-7`},
		{"CAST(-300 AS SMALLINT)", `-300`},
		{"CAST(70000 AS INTEGER)", `70000`},
		{"CAST(-9007199254740993 AS BIGINT)", `-9007199254740993`},
		{"CAST(255 AS UTINYINT)", `255`},
		{"CAST(18446744073709551615 AS UBIGINT)", `18446744073709551615`},
		{"CAST('-170141183460469231731687303715884105727' AS HUGEINT)", `-170141183460469231731687303715884105727`},
		{"CAST(2.5 AS FLOAT)", `2.5`},
		{"CAST(3 AS DOUBLE)", `3`},
		{"CAST(1e20 AS DOUBLE)", `1e+20`},
		{"CAST('NaN' AS DOUBLE)", `"NaN"`},
		{"CAST(-1.05 AS DECIMAL(4,2))", `-1.05`},
		{"CAST(0.05 AS DECIMAL(18,3))", `0.050`},
		{"CAST('-12345678901234567890.12' AS DECIMAL(38,2))", `-12345678901234567890.12`},
		{"'short'", `"short"`},
		{"'隐患排查治理台账, longer than twelve bytes'", `"隐患排查治理台账, longer than twelve bytes"`},
		{"CAST('\\xAB' AS BLOB)", `"ab"`},
		{"DATE '2024-02-29'", `"2024-02-29"`},
		{"TIME '08:30:00'", `"08:30:00"`},
		{"TIMESTAMP '2024-12-31 23:59:59.5'", `"2024-12-31 23:59:59.5"`},
		{"TIMESTAMPTZ '2025-01-01 00:30:00+08'", `"2025-01-01 00:30:00+08"`},
		{"TIMESTAMPTZ '2024-12-31 16:30:00Z'", `"2025-01-01 00:30:00+08"`},
		{"INTERVAL 90 MINUTE", `"0 months 0 days 1h30m0s"`},
		{"CAST('0aa3b2cc-0000-4000-8000-000000000001' AS UUID)", `"0aa3b2cc-0000-4000-8000-000000000001"`},
		{"CAST('b' AS ENUM('a', 'b'))", `"b"`},
		{"[1, NULL, 3]", `"[1, NULL, 3]"`},
		{"['x', 'y''z']", `"['x', 'y''z']"`},
		{"{'a': 1, 'b': 'two'}", `"{'a': 1, 'b': 'two'}"`},
		{"[[1], [2, 3]]", `"[[1], [2, 3]]"`},
		{"CAST(NULL AS INTEGER)", `null`},
		{"year(TIMESTAMPTZ '2025-01-01 00:30:00+08')", `2025`}, // computed in the session's zone
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if err := c.Query(context.Background(), "SELECT "+tt.expr+" AS v", &out); err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		want := "[\n  {\"v\": " + tt.want + "}\n]\n"
		if out.String() != want {
			t.Errorf("%s:\n got %q\nwant %q", tt.expr, out.String(), want)
		}
	}
}

// TestStreamsLargeResults: a result larger than a chunk streams whole and in order.
func TestStreamsLargeResults(t *testing.T) {
	c := start(t, Config{Format: FormatCSV})
	var out bytes.Buffer
	if err := c.Query(context.Background(), "SELECT i, repeat('x', 100) || i AS s FROM range(50000) t(i)", &out); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&out)
	sc.Scan()
	n := 0
	for sc.Scan() {
		if want := strconv.Itoa(n) + "," + strings.Repeat("x", 100) + strconv.Itoa(n); sc.Text() != want {
			t.Fatalf("row %d: %q", n, sc.Text())
		}
		n++
	}
	if n != 50000 {
		t.Errorf("%d rows", n)
	}
}

// TestRefusedAndTimeout: refusals come back typed, the time limit stops a statement,
// and the session goes on after both.
func TestRefusedAndTimeout(t *testing.T) {
	c := start(t, Config{Timeout: 300 * time.Millisecond})
	var re *RefusedError
	if err := c.Query(context.Background(), "COPY (SELECT 1) TO 'x.csv'", &bytes.Buffer{}); !errors.As(err, &re) || re.Statement != "COPY" {
		t.Errorf("COPY: %v", err)
	}
	err := c.Query(context.Background(), "SELECT count(*) FROM range(10000000000) a, range(10) b", &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "time limit") {
		t.Errorf("long query: %v", err)
	}
	var out bytes.Buffer
	if err := c.Query(context.Background(), "SELECT 42 AS answer", &out); err != nil || !strings.Contains(out.String(), "42") {
		t.Errorf("after: %q %v", out.String(), err)
	}
}

// TestWorkerGone: a worker that dies (here killed; DuckDB may abort) ends the session
// with ErrWorkerGone and the way it ended, and Close still removes the temporary folder.
func TestWorkerGone(t *testing.T) {
	c := start(t, Config{})
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := c.Query(context.Background(), "SELECT 1", &bytes.Buffer{})
	if !errors.Is(err, ErrWorkerGone) || !strings.Contains(err.Error(), "killed") {
		t.Errorf("after the kill: %v", err)
	}
	if err := c.Query(context.Background(), "SELECT 1", &bytes.Buffer{}); !errors.Is(err, ErrWorkerGone) {
		t.Errorf("again: %v", err)
	}
}
