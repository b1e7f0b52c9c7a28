package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk/console"
	"golang.org/x/term"
)

// historyFile is where the prompt keeps its statements, under the user's home.
const historyFile = ".safetyrisk_sql_history"

// runSQL runs read-only SQL over the lake's catalog: one query from the arguments,
// else statements from stdin (a prompt when stdin is a terminal). Each statement runs
// in a worker process, this program started again with console.WorkerEnv set, which
// confines itself before it opens DuckDB (docs/console.md).
func (m *Main) runSQL(ctx context.Context, args []string) error {
	if cfg, ok := os.LookupEnv(console.WorkerEnv); ok {
		return console.ServeWorker(ctx, cfg, m.Stdin, m.Stdout, m.Stderr)
	}
	fs := m.newFlagSet("sql", "usage: safetyrisk sql [--lake DIR] [--format table|csv|json] [--timeout 30s] [--memory-limit 1GB]\n"+
		"                     [--max-rows N] [--max-bytes N] [--profile FILE] [QUERY]\n\n"+
		"Read-only SQL over lake/catalog.duckdb (views of the curated tables, data_checks and the\n"+
		"indicator snapshots), in the profile's time zone. Without QUERY, statements ended by ';'\n"+
		"are read from stdin. Each statement runs in a confined worker process (docs/console.md).")
	lake := fs.String("lake", "lake", "lake `directory`")
	format := fs.String("format", "table", "output `format`: table, csv or json (csv escapes text cells that a spreadsheet would run as a formula)")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit per statement, output included")
	mem := fs.String("memory-limit", "1GB", "DuckDB memory `limit` (also the limit of its spill files)")
	maxRows := fs.Int64("max-rows", 1_000_000, "stop a result with an error past this many `rows` (0: no cap)")
	maxBytes := fs.Int64("max-bytes", 256<<20, "stop a result with an error past this many `bytes` of output (0: no cap)")
	profile := fs.String("profile", "", profileHelp)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case console.FormatTable, console.FormatCSV, console.FormatJSON:
	default:
		fmt.Fprintf(m.Stderr, "--format %q: want table, csv or json\n", *format)
		return errUsage
	}
	if *maxRows < 0 || *maxBytes < 0 || *timeout < 0 {
		fmt.Fprintln(m.Stderr, "--max-rows, --max-bytes and --timeout cannot be negative")
		return errUsage
	}
	p, err := lakeProfile(*lake, *profile)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	cfg := console.Config{Lake: *lake, MemoryLimit: *mem, Timeout: *timeout, TimeZone: p.Timezone,
		Format: *format, MaxRows: *maxRows, MaxBytes: *maxBytes}
	start := func() (*console.Console, error) { return console.Start(ctx, cfg, []string{exe, "sql"}, m.Stderr) }
	c, err := start()
	if err != nil {
		return err
	}
	s := &sqlSession{m: m, c: c, start: start, out: m.Stdout, errw: m.Stderr}
	if fs.NArg() > 0 {
		err = s.run(ctx, strings.Join(fs.Args(), " "))
	} else if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		err = s.terminal(ctx, f)
	} else {
		err = s.script(ctx, m.Stdin)
	}
	return errors.Join(err, s.c.Close())
}

type sqlSession struct {
	m         *Main
	c         *console.Console
	start     func() (*console.Console, error) // a new worker, when one stopped
	out, errw io.Writer
}

// lineReader reads the prompt's lines: a raw terminal with line editing and history,
// or plain lines.
type lineReader interface {
	ReadLine() (string, error)
	SetPrompt(string)
}

// terminal runs the prompt on a raw terminal: arrow keys edit the line and recall
// earlier statements. Ctrl-D or Ctrl-C on an empty line leaves.
func (s *sqlSession) terminal(ctx context.Context, f *os.File) error {
	old, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return s.prompt(ctx, &plainLines{in: bufio.NewScanner(f), out: s.m.Stdout})
	}
	defer term.Restore(int(f.Fd()), old)
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{f, s.m.Stdout}, "sql> ")
	if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
		t.SetSize(w, h)
	}
	h := &stmtHistory{}
	t.History = h
	s.out, s.errw = t, t
	return s.prompt(ctx, &termLines{t: t, h: h})
}

type termLines struct {
	t *term.Terminal
	h *stmtHistory
}

func (l *termLines) ReadLine() (string, error) { return l.t.ReadLine() }
func (l *termLines) SetPrompt(p string)        { l.t.SetPrompt(p) }

// stmtHistory keeps whole statements, not lines, for the arrow keys.
type stmtHistory struct{ stmts []string }

func (h *stmtHistory) Add(string)          {} // lines: the prompt adds statements itself
func (h *stmtHistory) Len() int            { return len(h.stmts) }
func (h *stmtHistory) At(i int) string     { return h.stmts[len(h.stmts)-1-i] }
func (h *stmtHistory) push(stmt string)    { h.stmts = append(h.stmts, stmt) }
func (h *stmtHistory) load(stmts []string) { h.stmts = append(h.stmts, stmts...) }

// plainLines reads lines from a scanner, printing the prompt first.
type plainLines struct {
	in     *bufio.Scanner
	out    io.Writer
	prompt string
}

func (l *plainLines) ReadLine() (string, error) {
	fmt.Fprint(l.out, l.prompt)
	if !l.in.Scan() {
		if err := l.in.Err(); err != nil {
			return "", err
		}
		return "", io.EOF
	}
	return l.in.Text(), nil
}
func (l *plainLines) SetPrompt(p string) { l.prompt = p }

// run runs one statement and prints its result.
// A worker that stopped (DuckDB aborted) is replaced, so that the prompt goes on.
func (s *sqlSession) run(ctx context.Context, q string) error {
	err := s.c.Query(ctx, q, s.out)
	if !errors.Is(err, console.ErrWorkerGone) || ctx.Err() != nil {
		return err
	}
	s.c.Close()
	c, serr := s.start()
	if serr != nil {
		return errors.Join(err, serr)
	}
	s.c = c
	return fmt.Errorf("%w; a new session was started", err)
}

// script runs the statements of r in order and stops at the first error.
func (s *sqlSession) script(ctx context.Context, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	stmts, rest := console.SplitStatements(string(b))
	if strings.TrimSpace(rest) != "" {
		stmts = append(stmts, strings.TrimSpace(rest)) // the last statement may lack its ";"
	}
	for i, q := range stmts {
		if err := s.run(ctx, q); err != nil {
			return fmt.Errorf("statement %d: %w", i+1, err)
		}
	}
	return nil
}

// prompt reads statements interactively: lines are gathered until a ";" ends a
// statement; errors are printed and the prompt goes on. History is kept in memory
// and appended to ~/.safetyrisk_sql_history; ".history" lists it, ".quit" leaves.
func (s *sqlSession) prompt(ctx context.Context, lines lineReader) error {
	hist := s.loadHistory()
	th, _ := lines.(*termLines)
	if th != nil {
		th.h.load(hist)
	}
	fmt.Fprintln(s.out, "safetyrisk sql: read-only; end statements with ';'. .tables, .history, .quit")
	var buf strings.Builder
	for {
		if buf.Len() == 0 {
			lines.SetPrompt("sql> ")
		} else {
			lines.SetPrompt("  -> ")
		}
		line, err := lines.ReadLine()
		if errors.Is(err, io.EOF) {
			fmt.Fprintln(s.out)
			return nil
		}
		if err != nil {
			return err
		}
		if buf.Len() == 0 {
			switch strings.TrimSpace(line) {
			case "":
				continue
			case ".quit", ".exit", `\q`, "exit", "quit":
				return nil
			case ".history":
				for i, h := range hist {
					fmt.Fprintf(s.out, "%4d  %s\n", i+1, h)
				}
				continue
			case ".tables":
				line = "SHOW TABLES;"
			}
		}
		buf.WriteString(line)
		buf.WriteString("\n")
		stmts, rest := console.SplitStatements(buf.String())
		buf.Reset()
		buf.WriteString(strings.TrimLeft(rest, " \t\n"))
		for _, q := range stmts {
			one := strings.Join(strings.Fields(q), " ") + ";"
			hist = append(hist, one)
			if th != nil {
				th.h.push(one)
			}
			s.saveHistory(one)
			if err := s.run(ctx, q); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				fmt.Fprintf(s.errw, "error: %v\n", err)
			}
		}
	}
}

func (s *sqlSession) historyPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, historyFile)
}

func (s *sqlSession) loadHistory() []string {
	p := s.historyPath()
	if p == "" {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 1000 {
		lines = lines[len(lines)-1000:]
	}
	return lines
}

// saveHistory appends a statement to the history file; a failure only costs the
// history, so it is reported once and the prompt goes on.
func (s *sqlSession) saveHistory(q string) {
	p := s.historyPath()
	if p == "" {
		return
	}
	f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err == nil {
		_, err = fmt.Fprintln(f, q)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		s.m.Logger.Debug("sql history", "err", err)
	}
}
