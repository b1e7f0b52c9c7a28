package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// RunStatus is what the runner of the pipeline (safetyrisk run, or serve --schedule)
// records about a run in status/run.json, for the health metrics.
//
// Error is kept in the lake for people; it never reaches a metric. The caller must not
// put a whistleblower's identity in it (errors of the ingest name values; the reporter
// fields are hashed before they are validated).
type RunStatus struct {
	Start   time.Time     `json:"start"`
	End     time.Time     `json:"end"`
	Success bool          `json:"success"`
	Error   string        `json:"error,omitempty"`
	Stages  []StageTiming `json:"stages,omitempty"`
}

// StageTiming is the wall time of one stage of a run (ingest, transform, indicators...).
type StageTiming struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

const (
	runStatusFile   = "run.json"
	lastSuccessFile = "last_success.json"
)

// WriteRunStatus records st as the last run of the pipeline in lake/status/run.json and,
// when it succeeded, also as the last successful run in lake/status/last_success.json,
// so that the time of the last success survives failed runs. Both writes are atomic.
func WriteRunStatus(lake string, st RunStatus) error {
	if st.Start.IsZero() {
		return errors.New("write run status: zero start time")
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("write run status: %w", err)
	}
	b = append(b, '\n')
	dir := StatusDir(lake)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write run status: %w", err)
	}
	if st.Success {
		if err := WriteFileAtomic(filepath.Join(dir, lastSuccessFile), b); err != nil {
			return fmt.Errorf("write run status: %w", err)
		}
	}
	if err := WriteFileAtomic(filepath.Join(dir, runStatusFile), b); err != nil {
		return fmt.Errorf("write run status: %w", err)
	}
	return nil
}

// ReadRunStatus returns the last run recorded in the lake; an error wrapping
// os.ErrNotExist when none was.
func ReadRunStatus(lake string) (RunStatus, error) {
	return readStatus(filepath.Join(StatusDir(lake), runStatusFile))
}

// ReadLastSuccess returns the last successful run recorded in the lake; an error
// wrapping os.ErrNotExist when none was.
func ReadLastSuccess(lake string) (RunStatus, error) {
	return readStatus(filepath.Join(StatusDir(lake), lastSuccessFile))
}

func readStatus(path string) (RunStatus, error) {
	var st RunStatus
	b, err := os.ReadFile(path)
	if err != nil {
		return st, fmt.Errorf("read run status: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("read run status %s: %w", path, err)
	}
	return st, nil
}
