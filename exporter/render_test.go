package exporter_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"

	dto "github.com/prometheus/client_model/go"
)

// TestFastPathMatchesRegistry: what /metrics serves from pre-rendered bytes, in every
// format and encoding, is what the registry gathers, series for series.
func TestFastPathMatchesRegistry(t *testing.T) {
	e := newExporter(t, fixtureLake(t), testProfile(t))
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	want, err := e.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, c := range []struct {
		name, accept, encoding, wantType string
	}{
		{"text", "", "", "text/plain"},
		{"text gzip", "text/plain;version=0.0.4", "gzip", "text/plain"},
		{"openmetrics", "application/openmetrics-text;version=1.0.0", "identity", "application/openmetrics-text"},
		{"prometheus default gzip", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", "gzip", "application/openmetrics-text"},
		{"protobuf fallback", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", "", "application/vnd.google.protobuf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			if c.encoding != "" {
				req.Header.Set("Accept-Encoding", c.encoding)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			ct := resp.Header.Get("Content-Type")
			if !strings.HasPrefix(ct, c.wantType) {
				t.Fatalf("Content-Type %q, want %s", ct, c.wantType)
			}
			var body io.Reader = resp.Body
			if resp.Header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			} else if c.encoding == "gzip" {
				t.Fatal("gzip asked, not served")
			}
			b, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(c.wantType, "application/openmetrics-text") && !bytes.HasSuffix(b, []byte("\n# EOF\n")) {
				t.Error("OpenMetrics body does not end with # EOF")
			}
			got := decodeAll(t, b, expfmt.Format(ct))
			if len(got) != len(want) {
				t.Errorf("%d families, the registry has %d", len(got), len(want))
			}
			for _, mf := range want {
				g, ok := got[mf.GetName()]
				if !ok {
					t.Errorf("family %s missing", mf.GetName())
					continue
				}
				if len(g.Metric) != len(mf.Metric) {
					t.Errorf("%s: %d series, the registry has %d", mf.GetName(), len(g.Metric), len(mf.Metric))
				}
				for _, m := range mf.Metric {
					labels := map[string]string{}
					for _, l := range m.Label {
						labels[l.GetName()] = l.GetValue()
					}
					v, ok := value(got, mf.GetName(), labels)
					wantV := m.GetGauge().GetValue() + m.GetCounter().GetValue()
					if !ok || v != wantV {
						t.Errorf("%s%v = %v (found %v), want %v", mf.GetName(), labels, v, ok, wantV)
					}
				}
			}
		})
	}
}

// decodeAll decodes a scrape in any format into families by name (OpenMetrics counters
// lose their _total in the family name: it is put back).
func decodeAll(t *testing.T, b []byte, f expfmt.Format) map[string]*dto.MetricFamily {
	t.Helper()
	if f.FormatType() == expfmt.TypeOpenMetrics {
		// The text parser reads the OpenMetrics we serve (no exemplars, no created
		// lines) once the EOF marker is gone; counter families are named without _total.
		s := strings.TrimSuffix(string(b), "# EOF\n")
		mfs := families(t, s)
		out := map[string]*dto.MetricFamily{}
		for name, mf := range mfs {
			if mf.GetType() == dto.MetricType_COUNTER && !strings.HasSuffix(name, "_total") {
				name += "_total"
			}
			out[name] = mf
		}
		return out
	}
	dec := expfmt.NewDecoder(bytes.NewReader(b), f)
	out := map[string]*dto.MetricFamily{}
	for {
		var mf dto.MetricFamily
		if err := dec.Decode(&mf); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode %s: %v", f, err)
		}
		out[mf.GetName()] = &mf
	}
	return out
}
