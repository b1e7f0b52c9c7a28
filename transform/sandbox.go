package transform

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// SandboxConfig configures the analysts' read-only SQL session.
type SandboxConfig struct {
	Lake        string        // the lake; the only directory queries may read
	MemoryLimit string        // DuckDB syntax ("1GB"); "": 1GB
	Timeout     time.Duration // per statement; 0: 30s
}

// Validate checks the configuration and fills the defaults.
func (c *SandboxConfig) Validate() error {
	if c.Lake == "" {
		return errors.New("lake directory is required")
	}
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
	return nil
}

// Sandbox is a read-only DuckDB session over a lake. Three layers keep it read-only:
// the catalog is opened with access_mode=READ_ONLY; DuckDB's own confinement
// (allowed_directories, enable_external_access=false, lock_configuration=true) stops
// reading other paths, installing extensions and changing settings; and, because
// DuckDB still lets COPY ... TO and ATTACH inside an allowed directory, every
// statement is parsed first and only SELECT (and EXPLAIN of one) runs, one at a time:
// the driver would run all but the last statement of a text while preparing it.
type Sandbox struct {
	db      *sql.DB
	conn    *sql.Conn
	parse   string // sandbox_parse.sql
	timeout time.Duration
}

// Result is the answer to one statement.
type ResultSet struct {
	Columns []string
	Types   []string // DuckDB type names: VARCHAR, BIGINT, DATE, TIMESTAMPTZ, ...
	Rows    [][]any
}

// RefusedError is a statement the sandbox will not run.
type RefusedError struct {
	Statement string // the statement's type: COPY, ATTACH, SET, ...
	Reason    string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("refused: %s: %s", e.Statement, e.Reason)
}

// OpenSandbox opens the lake's catalog read-only (or an empty in-memory database when
// there is no catalog yet) and confines it.
func OpenSandbox(ctx context.Context, cfg SandboxConfig) (*Sandbox, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	lake, err := filepath.Abs(cfg.Lake)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	dirs := []string{lake + string(filepath.Separator)}
	if real, err := filepath.EvalSymlinks(lake); err == nil && real != lake {
		dirs = append(dirs, real+string(filepath.Separator))
	}
	dsn := ""
	if _, err := os.Stat(CatalogPath(lake)); err == nil {
		dsn = CatalogPath(lake) + "?access_mode=READ_ONLY"
	}
	connector, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, fmt.Errorf("sandbox: open catalog: %w", err)
	}
	q, err := loadQueries()
	if err != nil {
		return nil, err
	}
	parse, err := q.render("sandbox_parse", nil)
	if err != nil {
		return nil, err
	}
	s := &Sandbox{db: sql.OpenDB(connector), timeout: cfg.Timeout, parse: parse}
	s.db.SetMaxOpenConns(1)
	if s.conn, err = s.db.Conn(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	// The order matters: allowed_directories must be set while external access is
	// still on, and nothing can be set after lock_configuration.
	settings := []string{
		"SET memory_limit = " + sqlString(cfg.MemoryLimit),
		"SET allowed_directories = " + sqlList(dirs),
		"SET enable_external_access = false",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET lock_configuration = true",
	}
	for _, set := range settings {
		if _, err := s.conn.ExecContext(ctx, set); err != nil {
			s.Close()
			return nil, fmt.Errorf("sandbox: %s: %w", set, err)
		}
	}
	return s, nil
}

// Close releases the session.
func (s *Sandbox) Close() error {
	var errs []error
	if s.conn != nil {
		errs = append(errs, s.conn.Close())
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

// statementNames names the statement types for messages.
var statementNames = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_SELECT: "SELECT", duckdb.STATEMENT_TYPE_INSERT: "INSERT", duckdb.STATEMENT_TYPE_UPDATE: "UPDATE",
	duckdb.STATEMENT_TYPE_EXPLAIN: "EXPLAIN", duckdb.STATEMENT_TYPE_DELETE: "DELETE", duckdb.STATEMENT_TYPE_PREPARE: "PREPARE",
	duckdb.STATEMENT_TYPE_CREATE: "CREATE", duckdb.STATEMENT_TYPE_EXECUTE: "EXECUTE", duckdb.STATEMENT_TYPE_ALTER: "ALTER",
	duckdb.STATEMENT_TYPE_TRANSACTION: "TRANSACTION", duckdb.STATEMENT_TYPE_COPY: "COPY", duckdb.STATEMENT_TYPE_ANALYZE: "ANALYZE",
	duckdb.STATEMENT_TYPE_VARIABLE_SET: "SET VARIABLE", duckdb.STATEMENT_TYPE_CREATE_FUNC: "CREATE FUNCTION", duckdb.STATEMENT_TYPE_DROP: "DROP",
	duckdb.STATEMENT_TYPE_EXPORT: "EXPORT", duckdb.STATEMENT_TYPE_PRAGMA: "PRAGMA", duckdb.STATEMENT_TYPE_VACUUM: "VACUUM",
	duckdb.STATEMENT_TYPE_CALL: "CALL", duckdb.STATEMENT_TYPE_SET: "SET", duckdb.STATEMENT_TYPE_LOAD: "LOAD/INSTALL",
	duckdb.STATEMENT_TYPE_RELATION: "RELATION", duckdb.STATEMENT_TYPE_EXTENSION: "EXTENSION", duckdb.STATEMENT_TYPE_LOGICAL_PLAN: "LOGICAL PLAN",
	duckdb.STATEMENT_TYPE_ATTACH: "ATTACH", duckdb.STATEMENT_TYPE_DETACH: "DETACH", duckdb.STATEMENT_TYPE_MULTI: "MULTI",
}

const readOnlyReason = "the SQL console is read-only: only SELECT (with DESCRIBE, SHOW, SUMMARIZE) and EXPLAIN run"

// check refuses anything but one read-only statement and returns the text to run.
// The statement is parsed (never prepared: preparing EXPORT DATABASE already creates
// its directory) by DuckDB's SQL serializer, which accepts SELECT statements only;
// EXPLAIN is accepted when what it explains is one, and without ANALYZE, which would
// run it. The prepared statement's type is then checked as well.
func (s *Sandbox) check(ctx context.Context, query string) (string, error) {
	run, inner := query, query
	if words := strings.Fields(strings.ToLower(stripComments(query))); len(words) > 0 && words[0] == "explain" {
		if explainAnalyze(query) {
			return "", &RefusedError{Statement: "EXPLAIN ANALYZE", Reason: "it runs the statement; use EXPLAIN"}
		}
		rest := strings.TrimSpace(stripComments(query))
		inner = rest[len("explain"):]
		run = "EXPLAIN " + inner // run exactly what was checked
	}
	var notSelect bool
	var n int64
	var msg string
	if err := s.conn.QueryRowContext(ctx, s.parse, inner).Scan(&notSelect, &n, &msg); err != nil {
		return "", fmt.Errorf("parse: %w", err)
	}
	switch {
	case n > 1:
		return "", &RefusedError{Statement: fmt.Sprintf("%d statements", n), Reason: "run one statement at a time"}
	case notSelect && strings.Contains(msg, "Only SELECT"):
		// Not a SELECT: name the statement type for the message.
		return "", &RefusedError{Statement: firstWord(inner), Reason: readOnlyReason}
	case notSelect:
		return "", fmt.Errorf("parse: %s", msg)
	case n == 0:
		return "", errors.New("empty statement")
	}
	var typ duckdb.StmtType
	err := s.conn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("duckdb driver without PrepareContext")
		}
		st, err := c.PrepareContext(ctx, run)
		if err != nil {
			return err
		}
		defer st.Close()
		ds, ok := st.(*duckdb.Stmt)
		if !ok {
			return errors.New("not a duckdb statement")
		}
		typ, err = ds.StatementType()
		return err
	})
	if err != nil {
		return "", err
	}
	if typ != duckdb.STATEMENT_TYPE_SELECT && typ != duckdb.STATEMENT_TYPE_EXPLAIN {
		name := statementNames[typ]
		if name == "" {
			name = fmt.Sprintf("statement type %d", typ)
		}
		return "", &RefusedError{Statement: name, Reason: readOnlyReason}
	}
	return run, nil
}

// firstWord is the statement's keyword, for messages.
func firstWord(q string) string {
	if w := strings.Fields(stripComments(q)); len(w) > 0 {
		return strings.ToUpper(w[0])
	}
	return "statement"
}

// explainAnalyze reports whether an EXPLAIN statement has ANALYZE (or options in
// parentheses, which may hold it).
func explainAnalyze(q string) bool {
	words := strings.Fields(strings.ToLower(stripComments(q)))
	if len(words) < 2 {
		return false
	}
	w := words[1]
	return strings.HasPrefix(w, "analy") || strings.HasPrefix(w, "(")
}

// stripComments removes SQL comments outside string literals.
func stripComments(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		switch {
		case q[i] == '\'' || q[i] == '"':
			j := i + 1
			for j < len(q) && q[j] != q[i] {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case strings.HasPrefix(q[i:], "--"):
			for i < len(q) && q[i] != '\n' {
				i++
			}
			b.WriteByte(' ')
		case strings.HasPrefix(q[i:], "/*"):
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 3
			b.WriteByte(' ')
		default:
			b.WriteByte(q[i])
		}
	}
	return b.String()
}

// Query runs one read-only statement within the time limit.
func (s *Sandbox) Query(ctx context.Context, query string) (*ResultSet, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	run, err := s.check(ctx, query)
	if err != nil {
		return nil, timeoutErr(ctx, s.timeout, err)
	}
	rows, err := s.conn.QueryContext(ctx, run)
	if err != nil {
		return nil, timeoutErr(ctx, s.timeout, err)
	}
	defer rows.Close()
	rs := &ResultSet{}
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	for _, ct := range cts {
		rs.Columns = append(rs.Columns, ct.Name())
		rs.Types = append(rs.Types, ct.DatabaseTypeName())
	}
	for rows.Next() {
		vals := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rs.Rows = append(rs.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, timeoutErr(ctx, s.timeout, err)
	}
	return rs, nil
}

func timeoutErr(ctx context.Context, d time.Duration, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("time limit of %s reached: %w", d, err)
	}
	return err
}
