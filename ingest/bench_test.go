package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkIngestCSV ingests a hazards CSV (SAFETYRISK_BENCH_CSV, or 200k generated
// rows) once per iteration; run with -cpuprofile to see where the time goes.
func BenchmarkIngestCSV(b *testing.B) {
	path := os.Getenv("SAFETYRISK_BENCH_CSV")
	if path == "" {
		path = filepath.Join(b.TempDir(), "hazards.csv")
		writeHazardsCSV(b, path, 200000, "b")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var rows int64
	for i := 0; i < b.N; i++ {
		in := newTestIngester(b, b.TempDir(), func(c *Config) { c.Now = time.Now })
		r := ingestOK(b, in, path)
		rows = r.Read
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
