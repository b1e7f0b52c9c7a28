package exporter

import (
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// tableRows sums the manifest per table.
type tableRows struct {
	batches, read, accepted, quarantined int64
	lastIngest                           time.Time
}

// sumManifest sums batches per table. Tables that are not one of safetyrisk.Tables()
// are dropped (the table label takes only known names), and counted in unknown.
func sumManifest(batches []lake.Batch) (per map[string]*tableRows, unknown int) {
	per = map[string]*tableRows{}
	for _, b := range batches {
		if safetyrisk.TableByName(b.Table) == nil {
			unknown++
			continue
		}
		t := per[b.Table]
		if t == nil {
			t = &tableRows{}
			per[b.Table] = t
		}
		t.batches++
		t.read += b.RowsRead
		t.accepted += b.RowsAccepted
		t.quarantined += b.RowsQuarantined
		if b.IngestedAt.After(t.lastIngest) {
			t.lastIngest = b.IngestedAt
		}
	}
	return per, unknown
}

// Check statuses; any other value is served as "unknown".
var checkStatuses = []string{"pass", "warn", "fail", "unknown"}
