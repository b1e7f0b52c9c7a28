// Package testdir is a temporary folder that a test binary builds once, for the tests
// that only read it (a generated lake: seconds to build), and removes when its tests
// are done.
package testdir

import (
	"os"
	"sync"
	"testing"
)

// Once is one such folder. The zero value is ready to use.
type Once struct {
	once sync.Once
	dir  string
	err  error
}

// Get returns the folder, built on the first call: build fills a new temporary folder
// named by pattern (os.MkdirTemp). A failed build fails every caller.
func (o *Once) Get(t testing.TB, pattern string, build func(dir string) error) string {
	t.Helper()
	if err := o.Build(pattern, build); err != nil {
		t.Fatal(err)
	}
	return o.dir
}

// Build builds the folder if it is not built yet, as Get does, and returns the build's
// error. TestMain calls it before m.Run for a folder most of its tests read, so that its
// build is the package's set-up, not the time of whichever test asks first.
func (o *Once) Build(pattern string, build func(dir string) error) error {
	o.once.Do(func() {
		if o.dir, o.err = os.MkdirTemp("", pattern); o.err == nil {
			o.err = build(o.dir)
		}
	})
	return o.err
}

// Remove removes the folder if it was made: TestMain calls it after m.Run.
func (o *Once) Remove() {
	if o.dir != "" {
		os.RemoveAll(o.dir)
	}
}
