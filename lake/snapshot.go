package lake

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/safetyrisk/safetyrisk"
)

// The Parquet rows of a snapshot. Dates are INT32 days with the DATE logical type
// (parquet-go writes wrong values for a time.Time tagged date).
type snapshotRow struct {
	Indicator string  `parquet:"indicator,dict"`
	Region    string  `parquet:"region,dict"`
	Sector    string  `parquet:"sector,dict"`
	Window    string  `parquet:"window,dict"`
	DimValue  string  `parquet:"dim_value,dict"`
	AsOf      int32   `parquet:"as_of,date"`
	Value     float64 `parquet:"value"`
}

type assessmentRow struct {
	Region string  `parquet:"region,dict"`
	Sector string  `parquet:"sector,dict"`
	Year   int64   `parquet:"year"`
	Score  float64 `parquet:"score"`
	Grade  string  `parquet:"grade,dict"`
	Veto   bool    `parquet:"veto"`
	Reason string  `parquet:"reason"`
}

// DaysSinceEpoch converts a date to the INT32 day number Parquet's DATE uses.
func DaysSinceEpoch(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DateFromDays is the inverse of DaysSinceEpoch.
func DateFromDays(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// WriteSnapshot writes s under indicators/snapshot=<RunID>/ atomically: the files
// are written in a temporary directory which is renamed into place complete.
func WriteSnapshot(lake string, s *safetyrisk.Snapshot) error {
	if s.RunID == "" {
		return errors.New("write snapshot: empty run id")
	}
	dir := SnapshotDir(lake)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, TmpPrefix+"snapshot-")
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	defer os.RemoveAll(tmp)
	rows := make([]snapshotRow, len(s.Values))
	for i, v := range s.Values {
		rows[i] = snapshotRow{v.Indicator, v.Region, v.Sector, v.Window, v.DimValue, DaysSinceEpoch(v.AsOf), v.Value}
	}
	if err := writeParquet(filepath.Join(tmp, snapshotIndicators), rows); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	as := make([]assessmentRow, len(s.Assessments))
	for i, a := range s.Assessments {
		as[i] = assessmentRow{a.Region, a.Sector, int64(a.Year), a.Score, a.Grade, a.Veto, a.Reason}
	}
	if err := writeParquet(filepath.Join(tmp, snapshotAssessment), as); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	if err := RenameDir(tmp, SnapshotRunDir(lake, s.RunID)); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

func writeParquet[T any](path string, rows []T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := parquet.NewGenericWriter[T](f, parquet.Compression(&zstd.Codec{}))
	if _, err := w.Write(rows); err != nil {
		f.Close()
		return err
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ListSnapshots returns the run ids of the complete snapshots, oldest first.
func ListSnapshots(lake string) ([]string, error) {
	entries, err := os.ReadDir(SnapshotDir(lake))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutPrefix(e.Name(), snapshotPrefix); ok && e.IsDir() {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// ErrNoSnapshot is returned when a lake has no complete snapshot yet.
var ErrNoSnapshot = errors.New("no indicator snapshot in the lake yet (run 'safetyrisk indicators')")

// LatestSnapshot reads the newest complete snapshot.
func LatestSnapshot(lake string) (*safetyrisk.Snapshot, error) {
	ids, err := ListSnapshots(lake)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, ErrNoSnapshot
	}
	return ReadSnapshot(lake, ids[len(ids)-1])
}

// ReadSnapshot reads the snapshot of a run.
func ReadSnapshot(lake, runID string) (*safetyrisk.Snapshot, error) {
	rows, err := readParquet[snapshotRow](SnapshotIndicatorsPath(lake, runID))
	if err != nil {
		return nil, fmt.Errorf("read snapshot %s: %w", runID, err)
	}
	as, err := readParquet[assessmentRow](SnapshotAssessmentPath(lake, runID))
	if err != nil {
		return nil, fmt.Errorf("read snapshot %s: %w", runID, err)
	}
	s := &safetyrisk.Snapshot{RunID: runID, Values: make([]safetyrisk.IndicatorValue, len(rows)), Assessments: make([]safetyrisk.Assessment, len(as))}
	for i, r := range rows {
		s.Values[i] = safetyrisk.IndicatorValue{Indicator: r.Indicator, Region: r.Region, Sector: r.Sector, Window: r.Window,
			DimValue: r.DimValue, AsOf: DateFromDays(r.AsOf), Value: r.Value}
		if s.AsOf.Before(s.Values[i].AsOf) {
			s.AsOf = s.Values[i].AsOf
		}
	}
	for i, a := range as {
		s.Assessments[i] = safetyrisk.Assessment{Region: a.Region, Sector: a.Sector, Year: int(a.Year), Score: a.Score,
			Grade: a.Grade, Veto: a.Veto, Reason: a.Reason}
	}
	return s, nil
}

func readParquet[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	// OpenFile checks the footer and returns an error for a corrupt file, where
	// NewGenericReader on the raw file would panic.
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, err
	}
	r := parquet.NewGenericReader[T](pf)
	defer r.Close()
	out := make([]T, r.NumRows())
	n, err := r.Read(out)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return out[:n], nil
}
