// Command safetyrisk is the work-safety analytics pipeline: ingest source files into a
// Parquet lake, transform them, compute the indicators, serve them to Prometheus and
// generate the Grafana dashboards. Run "safetyrisk help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

// Exit statuses, documented in the README.
const (
	exitOK          = 0
	exitFailure     = 1 // an error: bad flags, unreadable lake, a failed stage
	exitUsage       = 2 // wrong usage
	exitQuarantined = 3 // ingest: every file read, but some rows were quarantined
	exitRefused     = 4 // ingest: some file was refused whole (unreadable structure)
)

// cpuProfileEnv names a file to write a CPU profile of the whole command into (for
// `go tool pprof`); make bench sets it with BENCH_PROFILE=1.
const cpuProfileEnv = "SAFETYRISK_CPUPROFILE"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	stopProfile := startCPUProfile(os.Getenv(cpuProfileEnv), m.Stderr)
	code := m.Run(ctx, os.Args[1:])
	stopProfile()
	stop()
	os.Exit(code)
}

// startCPUProfile starts a CPU profile into path ("": none) and returns what stops it.
// A profile that cannot be written is reported and skipped: it never fails a command.
func startCPUProfile(path string, stderr io.Writer) (stopProfile func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "safetyrisk: %s: %v (no profile)\n", cpuProfileEnv, err)
		if f != nil {
			f.Close()
		}
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// Main is the program, with its streams, so that tests can run it in process.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Logger         *slog.Logger
	// Now is the clock that "today" and "the future" are measured by; nil: time.Now.
	Now func() time.Time
}

// now returns the current time by m.Now.
func (m *Main) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

// NewMain returns a Main writing logs as text to stderr.
func NewMain(stdin io.Reader, stdout, stderr io.Writer) *Main {
	return &Main{Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
}

type command struct {
	name, summary string
	run           func(m *Main, ctx context.Context, args []string) error
}

func (m *Main) commands() []command {
	return []command{
		{"ingest", "validate source files (CSV, XLSX, JSON) into the lake", (*Main).runIngest},
		{"template", "write a blank template of a table with Chinese headers", (*Main).runTemplate},
		{"generate", "write realistic, deterministic sample data for a jurisdiction profile", (*Main).runGenerate},
		{"transform", "build the curated lake and the analysts' catalog from raw batches", (*Main).runTransform},
		{"check", "print the data-quality checks of the curated lake", (*Main).runCheck},
		{"sql", "run read-only SQL over the lake", (*Main).runSQL},
		{"indicators", "compute the indicator catalogue and write a snapshot", (*Main).runIndicators},
		{"weights", "show AHP and entropy weights of the risk index side by side", (*Main).runWeights},
		{"explain", "show an indicator's definition, SQL and the records behind it", (*Main).runExplain},
		{"measures", "print the register of the plan's 66 measures and what the records show of each", (*Main).runMeasures},
		{"run", "ingest an inbox folder, transform and compute indicators in one go", (*Main).runRun},
		{"serve", "serve the newest indicator snapshot as Prometheus metrics", (*Main).runServe},
		{"backfill", "write past month-end values as OpenMetrics for promtool", (*Main).runBackfill},
		{"dashboards", "write the Grafana dashboards' JSON", (*Main).runDashboards},
		{"rules", "write prometheus.yml, the recording and alert rules and their tests for a profile", (*Main).runRules},
		{"report", "write the monthly briefing 安全生产形势分析 (HTML, and PDF with chromium)", (*Main).runReport},
	}
}

// Run runs one subcommand and returns the exit status.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.usage()
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(m.Stdout, "safetyrisk", Version)
		return exitOK
	}
	for _, c := range m.commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(m, ctx, args[1:])
		var ex *exitError
		switch {
		case err == nil:
			return exitOK
		case errors.As(err, &ex):
			if ex.err != nil {
				fmt.Fprintf(m.Stderr, "safetyrisk %s: %v\n", c.name, ex.err)
			}
			return ex.code
		case errors.Is(err, errUsage):
			return exitUsage
		default:
			fmt.Fprintf(m.Stderr, "safetyrisk %s: %v\n", c.name, err)
			return exitFailure
		}
	}
	fmt.Fprintf(m.Stderr, "safetyrisk: unknown command %q\n", args[0])
	m.usage()
	return exitUsage
}

func (m *Main) usage() {
	fmt.Fprintln(m.Stderr, "usage: safetyrisk <command> [flags] [args]\n\ncommands:")
	for _, c := range m.commands() {
		fmt.Fprintf(m.Stderr, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(m.Stderr, "\nRun 'safetyrisk <command> -h' for a command's flags.")
}

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

// errUsage is returned after a FlagSet has printed its own message.
var errUsage = errors.New("usage")

// usageError is a wrong command line (a flag's value, a missing or unknown argument):
// exit status 2, with the message.
func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// exitError carries a specific exit status (and optionally a message) out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// newFlagSet returns a subcommand's flag set: errors and usage go to stderr, and -h
// prints the usage line and the flags.
func (m *Main) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args with fs, mapping -h and bad flags to errUsage.
func parseFlags(fs interface{ Parse([]string) error }, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}
