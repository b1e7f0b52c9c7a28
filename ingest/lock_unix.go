//go:build unix

package ingest

import (
	"os"
	"path/filepath"
	"syscall"
)

// lockLake takes the lake's publish lock (manifest/.lock), so that two ingests of one
// lake publish their batches and rewrite the manifest one at a time.
func lockLake(lake string) (unlock func(), err error) {
	dir := filepath.Join(lake, manifestDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
