package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/transform"
)

// historyFile is where the prompt keeps its statements, under the user's home.
const historyFile = ".safetyrisk_sql_history"

// runSQL runs read-only SQL over the lake's catalog: one query from the arguments,
// else statements from stdin (a prompt when stdin is a terminal).
func (m *Main) runSQL(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sql", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	lake := fs.String("lake", "lake", "lake `directory`")
	format := fs.String("format", "table", "output `format`: table, csv or json")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit per statement")
	mem := fs.String("memory-limit", "1GB", "DuckDB memory `limit`")
	profile := fs.String("profile", "", "jurisdiction profile `file`, for its time zone (default: built-in Ordos)")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "usage: safetyrisk sql [--lake DIR] [--format table|csv|json] [--timeout 30s] [--memory-limit 1GB] [QUERY]\n\n"+
			"Read-only SQL over lake/catalog.duckdb (views of the curated tables, data_checks and the\n"+
			"indicator snapshots). Without QUERY, statements ended by ';' are read from stdin.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case "table", "csv", "json":
	default:
		fmt.Fprintf(m.Stderr, "--format %q: want table, csv or json\n", *format)
		return errUsage
	}
	p, err := safetyrisk.LoadProfile(*profile)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	sb, err := transform.OpenSandbox(ctx, transform.SandboxConfig{Lake: *lake, MemoryLimit: *mem, Timeout: *timeout})
	if err != nil {
		return err
	}
	defer sb.Close()
	s := &sqlSession{m: m, sb: sb, format: *format, loc: loc, out: m.Stdout, errw: m.Stderr}
	if fs.NArg() > 0 {
		return s.run(ctx, strings.Join(fs.Args(), " "))
	}
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return s.terminal(ctx, f)
	}
	return s.script(ctx, m.Stdin)
}

type sqlSession struct {
	m         *Main
	sb        *transform.Sandbox
	format    string
	loc       *time.Location
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
func (s *sqlSession) run(ctx context.Context, q string) error {
	rs, err := s.sb.Query(ctx, q)
	if err != nil {
		return err
	}
	switch s.format {
	case "csv":
		return rs.WriteCSV(s.out, s.loc)
	case "json":
		return rs.WriteJSON(s.out, s.loc)
	default:
		return rs.WriteTable(s.out, s.loc)
	}
}

// script runs the statements of r in order and stops at the first error.
func (s *sqlSession) script(ctx context.Context, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	stmts, rest := transform.SplitStatements(string(b))
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
		stmts, rest := transform.SplitStatements(buf.String())
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
