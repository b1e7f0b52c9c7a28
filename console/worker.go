package console

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// WorkerEnv marks a process as the console's worker; its value is the session's
// configuration as JSON. The command that starts the worker (Start's argv) must
// call ServeWorker when it sees it.
const WorkerEnv = "SAFETYRISK_SQL_WORKER"

// ServeWorker is the worker: it confines the process (Landlock), opens DuckDB
// read-only with its configuration locked, then answers statements from in on out
// until in closes. Warnings go to errw.
func ServeWorker(ctx context.Context, config string, in io.Reader, out, errw io.Writer) error {
	w := bufio.NewWriterSize(out, 64<<10)
	s, err := startWorker(config, errw)
	if err != nil {
		writeEnd(w, err)
		return err
	}
	defer s.close()
	if err := writeEnd(w, nil); err != nil {
		return err
	}
	r := bufio.NewReader(in)
	for {
		text, err := readRequest(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("worker: %w", err)
		}
		ow := bufio.NewWriterSize(frameWriter{w}, 64<<10)
		qerr := s.run(ctx, text, ow)
		qerr = errors.Join(qerr, ow.Flush())
		if err := writeEnd(w, qerr); err != nil {
			return err
		}
	}
}

func startWorker(config string, errw io.Writer) (*session, error) {
	var cfg Config
	if err := json.Unmarshal([]byte(config), &cfg); err != nil {
		return nil, fmt.Errorf("worker configuration: %w", err)
	}
	if cfg.TempDir == "" {
		return nil, errors.New("worker configuration: no temporary folder")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(cfg.TimeZone) // before Landlock: it reads the zone files
	if err != nil {
		return nil, err
	}
	// Relative paths (the catalog's views) resolve against the lake, as they do for a
	// DuckDB client started in the lake folder.
	if err := os.Chdir(cfg.Lake); err != nil {
		return nil, err
	}
	warning, err := confineProcess(&cfg)
	if err != nil {
		return nil, err
	}
	if warning != "" {
		fmt.Fprintln(errw, "safetyrisk sql: warning:", warning)
	}
	return openSession(&cfg, loc)
}
