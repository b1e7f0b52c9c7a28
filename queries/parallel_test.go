package queries

import (
	"context"
	"testing"
)

// TestComputeParallelAsSequential: on a small lake Compute runs the SQL files on two
// connections at once; the snapshot is the one of the files run one after the other on
// one connection, as on a big lake.
func TestComputeParallelAsSequential(t *testing.T) {
	ctx := context.Background()
	compute := func(sequential bool) string {
		t.Helper()
		e, err := Open(ctx, Config{Lake: testLake(t), Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if got := len(e.more); got != parallelFiles-1 {
			t.Fatalf("%d more connections on the hand lake, want %d", got, parallelFiles-1)
		}
		if sequential {
			for _, c := range e.more {
				c.Close()
			}
			e.more = nil
		}
		snap, err := e.Compute(ctx, testAsOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Timings) != len(e.files) {
			t.Errorf("timings of %d files, want %d", len(e.Timings), len(e.files))
		}
		return snapshotText(snap)
	}
	par, seq := compute(false), compute(true)
	if par != seq {
		t.Errorf("parallel and sequential snapshots differ:\nparallel:\n%.2000s\nsequential:\n%.2000s", par, seq)
	}
}
