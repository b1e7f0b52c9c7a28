package lake

import (
	"errors"
	"path/filepath"
)

// ErrLocked is returned by LockTransform when another transform holds the lake.
var ErrLocked = errors.New("the lake is locked by another process")

// LockIngest takes the ingest's publish lock (manifest/.lock), waiting for it, so that
// two ingests of one lake publish their batches and rewrite the manifest one at a time.
func LockIngest(lake string) (unlock func(), err error) {
	return lock(filepath.Join(lake, manifestDir, ".lock"), true)
}

// LockTransform takes the transform's lock (.transform.lock) without waiting: a second
// transform on the lake gets ErrLocked, so that two never swap and prune at once.
func LockTransform(lake string) (unlock func(), err error) {
	return lock(filepath.Join(lake, ".transform.lock"), false)
}
