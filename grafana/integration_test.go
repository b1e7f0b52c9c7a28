//go:build integration

package grafana

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// TestPanelQueriesReturnData runs every panel's query (and every variable's selector)
// of the committed dashboards through a real Prometheus's /api/v1/query and fails on an
// empty result, naming the dashboard and the panel. The Prometheus must scrape
// `safetyrisk serve` on a demo lake, with the history backfilled
// (safetyrisk backfill | promtool tsdb create-blocks-from openmetrics).
//
//	SAFETYRISK_TEST_PROMETHEUS_URL  e.g. http://127.0.0.1:9090 (the test skips without it)
//	SAFETYRISK_TEST_QUERY_TIME      optional, RFC 3339 or Unix seconds: a second instant to
//	                                try a query at when it is empty now, e.g. the last
//	                                backfilled month end, so that "offset 1y" and the
//	                                backfilled series are found although the live scrape
//	                                serves an older as-of date.
func TestPanelQueriesReturnData(t *testing.T) {
	base := os.Getenv("SAFETYRISK_TEST_PROMETHEUS_URL")
	var at string
	if base == "" {
		// No Prometheus given: build the whole stack on demo data, as a user would.
		base, at = demoStack(t)
	}
	if s := os.Getenv("SAFETYRISK_TEST_QUERY_TIME"); s != "" {
		if tm, err := time.Parse(time.RFC3339, s); err == nil {
			at = fmt.Sprint(tm.Unix())
		} else {
			at = s
		}
	}
	client := &http.Client{Timeout: 30 * time.Second}
	qs := allQueries(t)
	empty := 0
	for _, q := range qs {
		n, err := instantQuery(client, base, q.expr, "")
		if err == nil && n == 0 && at != "" {
			n, err = instantQuery(client, base, q.expr, at)
		}
		switch {
		case err != nil:
			t.Errorf("%s: %v\n  query: %s", q.where, err, q.expr)
		case n == 0:
			empty++
			t.Errorf("%s: empty result\n  query: %s", q.where, q.expr)
		}
	}
	t.Logf("%d queries, %d empty", len(qs), empty)
}

// instantQuery returns the number of series (or 1 for a scalar) the query returns.
func instantQuery(c *http.Client, base, expr, at string) (int, error) {
	v := url.Values{"query": {expr}}
	if at != "" {
		v.Set("time", at)
	}
	resp, err := c.PostForm(strings.TrimRight(base, "/")+"/api/v1/query", v)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, fmt.Errorf("decode response (HTTP %d): %w", resp.StatusCode, err)
	}
	if r.Status != "success" {
		return 0, fmt.Errorf("prometheus: %s", r.Error)
	}
	switch r.Data.ResultType {
	case "scalar", "string":
		return 1, nil
	}
	var rs []json.RawMessage
	if err := json.Unmarshal(r.Data.Result, &rs); err != nil {
		return 0, fmt.Errorf("decode result: %w", err)
	}
	return len(rs), nil
}
