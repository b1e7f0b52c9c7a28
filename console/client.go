package console

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// Console is the parent's side of a session: a worker process that runs the
// statements, each in turn.
type Console struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	tmp  string
	gone bool
}

// Start validates cfg, creates the session's temporary folder and starts the worker
// by running argv (the program itself, which must call ServeWorker when WorkerEnv
// is set). The worker's stderr goes to errw.
func Start(ctx context.Context, cfg Config, argv []string, errw io.Writer) (*Console, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "safetyrisk-sql-*")
	if err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	cfg.TempDir = tmp
	b, err := json.Marshal(cfg)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	c := &Console{tmp: tmp}
	c.cmd = exec.CommandContext(ctx, argv[0], argv[1:]...)
	c.cmd.Env = append(os.Environ(), WorkerEnv+"="+string(b))
	if os.Getenv("GOTRACEBACK") == "" {
		// DuckDB's own message says why it aborted; a Go stack dump would only bury it.
		c.cmd.Env = append(c.cmd.Env, "GOTRACEBACK=none")
	}
	c.cmd.Stderr = errw
	c.cmd.Dir = tmp
	if c.in, err = c.cmd.StdinPipe(); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	c.out = bufio.NewReaderSize(stdout, 64<<10)
	if err := c.cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("start worker: %w", err)
	}
	if err := readReply(c.out, io.Discard); err != nil {
		return nil, errors.Join(err, c.Close())
	}
	return c, nil
}

// ErrWorkerGone is a worker that stopped mid-session (killed, or aborted inside
// DuckDB); the session cannot go on, a new one can be started.
var ErrWorkerGone = errors.New("the SQL worker stopped")

// Query runs one statement and streams its formatted result to w.
func (c *Console) Query(ctx context.Context, text string, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.gone {
		return ErrWorkerGone
	}
	if err := writeRequest(c.in, text); err != nil {
		return c.lost(err)
	}
	err := readReply(c.out, w)
	var pe *pipeError
	if errors.As(err, &pe) && ctx.Err() == nil {
		return c.lost(err)
	}
	return err
}

// lost marks the worker gone and says how it ended.
func (c *Console) lost(err error) error {
	c.gone = true
	ended := "it exited with status 0"
	if werr := c.cmd.Wait(); werr != nil {
		ended = werr.Error()
	}
	return fmt.Errorf("%w: %v (%s)", ErrWorkerGone, err, ended)
}

// Close ends the worker and removes the session's temporary folder.
func (c *Console) Close() error {
	c.in.Close()
	var err error
	if !c.gone {
		err = c.cmd.Wait()
	}
	return errors.Join(err, os.RemoveAll(c.tmp))
}
