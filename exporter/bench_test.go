package exporter_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// BenchmarkScrape times whole scrapes over loopback HTTP of a synthetic snapshot of the
// Ordos profile: "expected" is every catalogue entry x (each region, each sector, the
// city) x 4 windows x the Dim's codes (ExpectedSeries, what a --scale 50 lake gives: the
// series count depends on the profile, not the number of records); "max" is the
// MaxSeries bound. It reports the p50 and p99 latency of b.N scrapes; run it with
// -benchtime=3000x for stable percentiles.
func BenchmarkScrape(b *testing.B) {
	for _, c := range []struct {
		name  string
		cross bool
	}{{"expected", false}, {"max", true}} {
		for _, f := range []struct {
			name, accept, encoding string
		}{
			{"text", "text/plain", "identity"},
			{"openmetrics-gzip", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5", "gzip"},
		} {
			b.Run(c.name+"/"+f.name, func(b *testing.B) {
				p := safetyrisk.Ordos()
				lake := b.TempDir()
				writeSnapshot(b, lake, "20241201T020000.000000Z", fullSnapshot(p, asOf, c.cross))
				e := newExporter(b, lake, p)
				if err := e.Refresh(context.Background()); err != nil {
					b.Fatal(err)
				}
				_, _, series, _ := e.SnapshotInfo()
				srv := httptest.NewServer(e.Handler())
				defer srv.Close()
				// DisableCompression: the body is read as sent, gzip included, as a
				// Prometheus server reads it before it decompresses.
				client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
				scrapeOnce := func() int64 {
					req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
					req.Header.Set("Accept", f.accept)
					req.Header.Set("Accept-Encoding", f.encoding)
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					n, err := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err != nil || resp.StatusCode != 200 {
						b.Fatalf("scrape: %v %d", err, resp.StatusCode)
					}
					return n
				}
				size := scrapeOnce()
				lat := make([]time.Duration, 0, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					start := time.Now()
					scrapeOnce()
					lat = append(lat, time.Since(start))
				}
				b.StopTimer()
				slices.Sort(lat)
				pct := func(q float64) float64 {
					return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond)
				}
				b.ReportMetric(float64(series), "series")
				b.ReportMetric(float64(size), "bytes/scrape")
				b.ReportMetric(pct(0.50), "p50-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
			})
		}
	}
}
