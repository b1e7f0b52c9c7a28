package transform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// dropRawColumns rewrites a raw batch without the named columns: a batch ingested
// before they existed.
func dropRawColumns(t *testing.T, lake string, table *safetyrisk.Table, batch string, columns ...string) {
	t.Helper()
	f := filepath.Join(lake, "raw", table.Name, "batch="+batch, "part-00000.parquet")
	tmp := f + ".tmp"
	q := "COPY (SELECT * EXCLUDE (" + strings.Join(columns, ", ") + ") FROM read_parquet(" + sqlString(f) + ")) TO " + sqlString(tmp) + " (FORMAT parquet)"
	if _, err := testDB(t).Exec(q); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, f); err != nil {
		t.Fatal(err)
	}
}

// TestNotificationKindDefault: a notification whose kind is blank, or from a batch
// ingested before the log had a kind, is an initial report (首报) in the curated table
// (safetyrisk.Column.Default); a 补报 keeps its kind and casualties (Decree 493 art. 13).
func TestNotificationKindDefault(t *testing.T) {
	lake := t.TempDir()
	n := func(id, kind string, deaths any) row {
		r := row{"notification_id": id, "accident_id": "A1", "region": "150624", "department": "能源局",
			"notified_at": instant("2024-03-01T02:00:00Z"), "deaths": deaths}
		if kind != "" {
			r["kind"] = kind
		}
		return r
	}
	old := batchID(t0, "n1")
	writeBatch(t, lake, safetyrisk.Notifications, old, []row{n("N1", "", nil)})
	dropRawColumns(t, lake, safetyrisk.Notifications, old, "kind", "deaths", "serious_injuries", "changed_on")
	writeBatch(t, lake, safetyrisk.Notifications, batchID(t0.Add(time.Hour), "n2"), []row{
		n("N2", "", int64(2)), n("N3", "supplementary", int64(3)), n("N4", "follow_up", nil),
	})
	res := runTransform(t, lake, "2024-07-01")
	got := query(t, "SELECT notification_id, kind, deaths FROM "+curated(lake, safetyrisk.Notifications)+" ORDER BY 1")
	want := [][]string{{"N1", "initial", "NULL"}, {"N2", "initial", "2"}, {"N3", "supplementary", "3"}, {"N4", "follow_up", "NULL"}}
	if strings.Join(flatten(got), "|") != strings.Join(flatten(want), "|") {
		t.Errorf("curated notifications %v, want %v", got, want)
	}
	if c, ok := checkOf(res, "notifications", "accepted_values", "kind"); !ok || c.Status != StatusPass {
		t.Errorf("kind check %+v (found %v), want a pass", c, ok)
	}
}
