package lake

import "time"

// runIDLayout is a run id's and a batch id's time: UTC, with microseconds so that two
// runs in one second do not collide, and so that sorting ids sorts them by time.
// oldRunIDLayout is the same without microseconds, as lakes of early versions have.
const (
	runIDLayout    = "20060102T150405.000000Z"
	oldRunIDLayout = "20060102T150405Z"
)

// NewRunID returns the run id of a run started at t.
func NewRunID(t time.Time) string { return t.UTC().Format(runIDLayout) }

// RunTime returns the time a run id (or a batch id, whose run id part is read) stands for.
func RunTime(id string) (time.Time, error) {
	if len(id) > len(runIDLayout) {
		id = id[:len(runIDLayout)]
	}
	t, err := time.Parse(runIDLayout, id)
	if err == nil {
		return t, nil
	}
	if t, err2 := time.Parse(oldRunIDLayout, id); err2 == nil {
		return t, nil
	}
	return time.Time{}, err
}

// BatchID is <run id of t>-<first 8 hex of the source's sha256>, so that sorting batch
// ids sorts them by ingest time.
func BatchID(t time.Time, sha256hex string) string {
	return NewRunID(t) + "-" + sha256hex[:8]
}
