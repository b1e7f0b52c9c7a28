package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/safetyrisk/safetyrisk/lake"
)

// session is the worker's DuckDB connection, opened read-only and confined. It uses
// DuckDB's C API directly: one statement extracted by DuckDB's own parser is
// prepared and then run as that same prepared statement (never text that the driver
// splits again), and its result streams chunk by chunk.
type session struct {
	db   bindings.Database
	conn bindings.Connection
	cfg  *Config
	loc  *time.Location
}

// openSession opens the catalog (or an empty in-memory database when the lake has
// none yet) and locks its configuration. The process is already in the lake folder,
// so that the catalog's relative paths resolve.
func openSession(cfg *Config, loc *time.Location) (*session, error) {
	var conf bindings.Config
	if bindings.CreateConfig(&conf) == bindings.StateError {
		return nil, errors.New("duckdb config")
	}
	defer bindings.DestroyConfig(&conf)
	path := ":memory:"
	if catalog := lake.CatalogPath(cfg.Lake); fileExists(catalog) {
		path = catalog
		if bindings.SetConfig(conf, "access_mode", "READ_ONLY") == bindings.StateError {
			return nil, errors.New("duckdb config: access_mode")
		}
	}
	s := &session{cfg: cfg, loc: loc}
	var msg string
	if bindings.OpenExt(path, &s.db, conf, &msg) == bindings.StateError {
		return nil, fmt.Errorf("open %s: %s", path, msg)
	}
	if bindings.Connect(s.db, &s.conn) == bindings.StateError {
		bindings.Close(&s.db)
		return nil, errors.New("connect")
	}
	if err := s.confine(); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// confine sets DuckDB's own limits. The order matters: allowed_directories while
// external access is still on, and nothing after lock_configuration.
func (s *session) confine() error {
	dirs := sqlList(s.cfg.readDirs())
	settings := []string{
		"SET memory_limit = " + sqlString(s.cfg.MemoryLimit),
		"SET temp_directory = " + sqlString(s.cfg.TempDir),
		"SET max_temp_directory_size = " + sqlString(s.cfg.MemoryLimit),
		"SET TimeZone = " + sqlString(s.cfg.TimeZone),
		"SET allowed_directories = " + dirs,
		"SET enable_external_access = false",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET lock_configuration = true",
	}
	if s.cfg.OSLayerOnly {
		settings = settings[:4]
	}
	for _, set := range settings {
		var res bindings.Result
		st := bindings.Query(s.conn, set, &res)
		msg := bindings.ResultError(&res)
		bindings.DestroyResult(&res)
		if st == bindings.StateError {
			return fmt.Errorf("%s: %s", set, msg)
		}
	}
	return nil
}

func (s *session) close() {
	bindings.Disconnect(&s.conn)
	bindings.Close(&s.db)
}

// run checks one statement and streams its result to w in the configured format.
// Output already written stays written when a cap or the time limit stops it.
func (s *session) run(ctx context.Context, text string, w *bufio.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { bindings.Interrupt(s.conn) })
	defer stop()
	err := s.query(ctx, text, w)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && err != nil {
		return fmt.Errorf("time limit of %s reached (--timeout): %w", s.cfg.Timeout, err)
	}
	return err
}

func (s *session) query(ctx context.Context, text string, w *bufio.Writer) error {
	if s.cfg.OSLayerOnly {
		return s.unguarded(text, w)
	}
	if err := precheck(text); err != nil {
		return err
	}
	var stmts bindings.ExtractedStatements
	n := bindings.ExtractStatements(s.conn, text, &stmts)
	defer bindings.DestroyExtracted(&stmts)
	switch {
	case n == 0:
		if msg := bindings.ExtractStatementsError(stmts); msg != "" {
			return errors.New(msg)
		}
		return errors.New("empty statement")
	case n > 1:
		return &RefusedError{Statement: fmt.Sprintf("%d statements", n), Reason: "run one statement at a time"}
	}
	var stmt bindings.PreparedStatement
	if bindings.PrepareExtractedStatement(s.conn, stmts, 0, &stmt) == bindings.StateError {
		msg := bindings.PrepareError(stmt)
		bindings.DestroyPrepare(&stmt)
		return errors.New(msg)
	}
	defer bindings.DestroyPrepare(&stmt)
	if err := checkType(bindings.PreparedStatementType(stmt)); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var pending bindings.PendingResult
	if bindings.PendingPreparedStreaming(stmt, &pending) == bindings.StateError {
		msg := bindings.PendingError(pending)
		bindings.DestroyPending(&pending)
		return errors.New(msg)
	}
	var res bindings.Result
	st := bindings.ExecutePending(pending, &res)
	bindings.DestroyPending(&pending)
	defer bindings.DestroyResult(&res)
	if st == bindings.StateError {
		return errors.New(bindings.ResultError(&res))
	}
	return s.stream(&res, w)
}

// unguarded runs the text as DuckDB splits it, with no check (OSLayerOnly).
func (s *session) unguarded(text string, w *bufio.Writer) error {
	var res bindings.Result
	st := bindings.Query(s.conn, text, &res)
	defer bindings.DestroyResult(&res)
	if st == bindings.StateError {
		return errors.New(bindings.ResultError(&res))
	}
	_, err := fmt.Fprintf(w, "ran (%d rows changed)\n", bindings.RowsChanged(&res))
	return err
}

// stream writes the result chunk by chunk, stopping at the row and byte caps.
func (s *session) stream(res *bindings.Result, w *bufio.Writer) error {
	n := int(bindings.ColumnCount(res))
	cols := make([]*column, n)
	names := make([]string, n)
	numeric := make([]bool, n)
	for j := range n {
		lt := bindings.ColumnLogicalType(res, bindings.IdxT(j))
		c, err := newColumn(lt)
		bindings.DestroyLogicalType(&lt)
		names[j] = bindings.ColumnName(res, bindings.IdxT(j))
		if err != nil {
			return fmt.Errorf("column %s: %w", names[j], err)
		}
		cols[j], numeric[j] = c, c.numeric()
	}
	cw := &capWriter{w: w, max: s.cfg.MaxBytes}
	out := bufio.NewWriterSize(cw, 64<<10)
	rw := newResultWriter(s.cfg.Format, out)
	if err := rw.header(names, numeric); err != nil {
		return err
	}
	var rows int64
	cells := make([]Cell, n)
	vecs := make([]vec, n)
	for {
		chunk := bindings.FetchChunk(*res)
		if chunk.Ptr == nil {
			if msg := bindings.ResultError(res); msg != "" {
				return errors.Join(out.Flush(), errors.New(msg))
			}
			break
		}
		size := int(bindings.DataChunkGetSize(chunk))
		if size == 0 {
			bindings.DestroyDataChunk(&chunk)
			break
		}
		for j := range n {
			vecs[j] = newVec(bindings.DataChunkGetVector(chunk, bindings.IdxT(j)))
		}
		var err error
		for i := 0; i < size && err == nil; i++ {
			if s.cfg.MaxRows > 0 && rows >= s.cfg.MaxRows {
				err = &CapError{What: "rows", Limit: s.cfg.MaxRows, Flag: "--max-rows"}
				break
			}
			for j, c := range cols {
				cells[j] = c.cell(vecs[j], i, s.loc)
			}
			err = rw.row(cells)
			rows++
		}
		bindings.DestroyDataChunk(&chunk)
		if err != nil {
			return errors.Join(out.Flush(), err)
		}
	}
	if err := rw.end(rows); err != nil {
		return err
	}
	return out.Flush()
}

// CapError is a result stopped at its row or byte cap.
type CapError struct {
	What  string // rows or bytes
	Limit int64
	Flag  string
}

func (e *CapError) Error() string {
	return fmt.Sprintf("result stopped at %d %s (%s): add a LIMIT or raise %s", e.Limit, e.What, e.Flag, e.Flag)
}

// capWriter passes at most max bytes on (0: no cap).
type capWriter struct {
	w       *bufio.Writer
	max, n  int64
	stopped bool
}

func (c *capWriter) Write(p []byte) (int, error) {
	if c.max > 0 && c.n+int64(len(p)) > c.max {
		k := int(c.max - c.n)
		c.w.Write(p[:k])
		c.n = c.max
		return k, &CapError{What: "bytes", Limit: c.max, Flag: "--max-bytes"}
	}
	c.n += int64(len(p))
	return c.w.Write(p)
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string {
	b := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			b = append(b, '\'')
		}
		b = append(b, s[i])
	}
	return string(append(b, '\''))
}

func sqlList(ss []string) string {
	out := "["
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += sqlString(s)
	}
	return out + "]"
}

// readDirs are the directories DuckDB may read: the lake (and its real path when it is
// reached through a symbolic link) and the session's own temporary folder.
func (c *Config) readDirs() []string {
	dirs := []string{c.Lake + string(filepath.Separator)}
	if real, err := filepath.EvalSymlinks(c.Lake); err == nil && real != c.Lake {
		dirs = append(dirs, real+string(filepath.Separator))
	}
	return append(dirs, c.TempDir+string(filepath.Separator))
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
