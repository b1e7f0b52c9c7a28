package ingest_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/safetyrisk/safetyrisk/ingest"
)

func Example() {
	lake, err := os.MkdirTemp("", "lake")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(lake)
	in, err := ingest.New(ingest.Config{
		Lake: lake,
		Now:  func() time.Time { return time.Date(2024, 6, 30, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := in.File(context.Background(), "testdata/staff.bad.csv")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d read, %d accepted, %d quarantined\n", r.Table, r.Read, r.Accepted, r.Quarantined)
	fmt.Println(r.Examples[0])
	// Output:
	// staff: 5 read, 0 accepted, 5 quarantined
	// testdata/staff.bad.csv:2: column experience_years: value "-3": range: below the minimum 0
}
