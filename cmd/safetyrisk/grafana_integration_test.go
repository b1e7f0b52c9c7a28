//go:build integration

package main

// Every panel of the dashboards returns data when run the way Grafana runs it, against a
// real Prometheus on data made today (issue 12, points 2 and 3): instant queries at
// now, range queries over the dashboard's time range, and the variables' label_values
// over that range, with the variables at the values the dashboard opens with.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// grafanaQuery is one query a dashboard makes when it opens.
type grafanaQuery struct {
	where   string
	expr    string        // variables substituted
	instant bool          // else a range query
	label   string        // for a variable: label_values(expr, label)
	span    time.Duration // the dashboard's time range (now-span to now)
}

var (
	labelValuesRe = regexp.MustCompile(`^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)
	relTimeRe     = regexp.MustCompile(`^now-(\d+)([smhdwMy])$`)
	varRe         = regexp.MustCompile(`\$(\w+)`)
)

type jsonBoard struct {
	Title string `json:"title"`
	Time  struct {
		From, To string
	} `json:"time"`
	Panels     []jsonBoardPanel `json:"panels"`
	Templating struct {
		List []struct {
			Type    string          `json:"type"`
			Name    string          `json:"name"`
			Query   json.RawMessage `json:"query"`
			Current struct {
				Value json.RawMessage `json:"value"`
			} `json:"current"`
		} `json:"list"`
	} `json:"templating"`
}

type jsonBoardPanel struct {
	ID      int              `json:"id"`
	Type    string           `json:"type"`
	Title   string           `json:"title"`
	Panels  []jsonBoardPanel `json:"panels"`
	Targets []struct {
		RefID   string `json:"refId"`
		Expr    string `json:"expr"`
		Instant bool   `json:"instant"`
		Range   bool   `json:"range"`
	} `json:"targets"`
}

// relSpan parses Grafana's "now-5y" (years of 365 days, months of 30, as an upper bound).
func relSpan(from string) (time.Duration, error) {
	m := relTimeRe.FindStringSubmatch(from)
	if m == nil {
		return 0, fmt.Errorf("time range from %q: want now-N<unit>", from)
	}
	n, _ := strconv.Atoi(m[1])
	unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour,
		"w": 7 * 24 * time.Hour, "M": 30 * 24 * time.Hour, "y": 365 * 24 * time.Hour}[m[2]]
	return time.Duration(n) * unit, nil
}

// boardQueries lists every query of the dashboards (file name -> JSON) as Grafana makes
// them on opening: each variable at its current value.
func boardQueries(t *testing.T, boards map[string][]byte) []grafanaQuery {
	t.Helper()
	var out []grafanaQuery
	for file, b := range boards {
		var d jsonBoard
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if d.Time.To != "now" {
			t.Fatalf("%s: time range ends %q, want now", file, d.Time.To)
		}
		span, err := relSpan(d.Time.From)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		vars := map[string]string{}
		for _, v := range d.Templating.List {
			var cur string
			if err := json.Unmarshal(v.Current.Value, &cur); err != nil {
				t.Fatalf("%s: variable %s: current value %s", file, v.Name, v.Current.Value)
			}
			vars[v.Name] = cur
		}
		subst := func(where, expr string) string {
			return varRe.ReplaceAllStringFunc(expr, func(s string) string {
				v, ok := vars[s[1:]]
				if !ok {
					t.Fatalf("%s: %s: no value for variable %s", file, where, s)
				}
				return v
			})
		}
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			var q string
			if err := json.Unmarshal(v.Query, &q); err != nil {
				t.Fatalf("%s: variable %s: %s", file, v.Name, v.Query)
			}
			m := labelValuesRe.FindStringSubmatch(q)
			if m == nil {
				t.Fatalf("%s: variable %s: %q is not label_values(selector, label)", file, v.Name, q)
			}
			where := fmt.Sprintf("%s (%s) / variable %s", d.Title, file, v.Name)
			out = append(out, grafanaQuery{where: where, expr: subst(where, m[1]), label: m[2], span: span})
		}
		var walk func([]jsonBoardPanel)
		walk = func(ps []jsonBoardPanel) {
			for _, p := range ps {
				walk(p.Panels)
				for _, tg := range p.Targets {
					where := fmt.Sprintf("%s (%s) / #%d %s / %s", d.Title, file, p.ID, p.Title, tg.RefID)
					if tg.Instant == tg.Range {
						t.Fatalf("%s: instant %v and range %v: want exactly one", where, tg.Instant, tg.Range)
					}
					out = append(out, grafanaQuery{where: where, expr: subst(where, tg.Expr), instant: tg.Instant, span: span})
				}
			}
		}
		walk(d.Panels)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// grafanaStep is the step Grafana gives a range query: the span over the panel's
// maxDataPoints (its width in pixels; 1000 for a half-width panel on a 1920-pixel
// screen), at least the data source's 30 s, rounded as Grafana rounds intervals
// (gtime.RoundInterval: to the nearest of 1m, 5m, 15m, 1h, 3h, 6h, 12h, 1d, 1w, 30d).
func grafanaStep(span time.Duration) time.Duration {
	raw := max(span/1000, 30*time.Second)
	steps := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour,
		6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}
	for i := 0; i < len(steps)-1; i++ {
		if raw < (steps[i]+steps[i+1])/2 {
			return steps[i]
		}
	}
	return steps[len(steps)-1]
}

// promAnswer is the result of one query: the series (or values) it returned.
func promAnswer(base, path string, v url.Values) (int, error) {
	var resp *http.Response
	var err error
	if v == nil {
		resp, err = http.Get(base + path)
	} else {
		resp, err = http.PostForm(base+path, v)
	}
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   json.RawMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, fmt.Errorf("decode (HTTP %d): %w", resp.StatusCode, err)
	}
	if r.Status != "success" {
		return 0, fmt.Errorf("prometheus: %s", r.Error)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(r.Data, &list); err == nil {
		return len(list), nil // label values
	}
	var d struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(r.Data, &d); err != nil {
		return 0, err
	}
	if d.ResultType == "scalar" || d.ResultType == "string" {
		return 1, nil
	}
	var series []struct {
		Values []json.RawMessage `json:"values"`
		Value  json.RawMessage   `json:"value"`
	}
	if err := json.Unmarshal(d.Result, &series); err != nil {
		return 0, err
	}
	n := 0
	for _, s := range series {
		if len(s.Values) > 0 || len(s.Value) > 0 {
			n++
		}
	}
	return n, nil
}

// runAsGrafana runs one query at now as Grafana would and returns how many series it gave.
func runAsGrafana(base string, q grafanaQuery, now time.Time) (int, error) {
	start, end := strconv.FormatInt(now.Add(-q.span).Unix(), 10), strconv.FormatInt(now.Unix(), 10)
	switch {
	case q.label != "":
		v := url.Values{"match[]": {q.expr}, "start": {start}, "end": {end}}
		return promAnswer(base, "/api/v1/label/"+q.label+"/values?"+v.Encode(), nil)
	case q.instant:
		return promAnswer(base, "/api/v1/query", url.Values{"query": {q.expr}, "time": {end}})
	default:
		// Grafana aligns a range query's start and end down to a multiple of the step
		// (AlignTimeRange), so that the same panel asked twice gives the same points.
		step := int64(grafanaStep(q.span) / time.Second)
		s, e := now.Add(-q.span).Unix(), now.Unix()
		s, e = s-s%step, e-e%step
		return promAnswer(base, "/api/v1/query_range", url.Values{"query": {q.expr}, "start": {strconv.FormatInt(s, 10)},
			"end": {strconv.FormatInt(e, 10)}, "step": {strconv.FormatInt(step, 10)}})
	}
}

// checkBoards runs every query of the dashboards at now and fails on each that returns
// nothing, naming its dashboard and panel. It returns the number of queries checked.
func checkBoards(t *testing.T, base string, boards map[string][]byte, now time.Time) int {
	t.Helper()
	qs := boardQueries(t, boards)
	if len(qs) < 100 {
		t.Fatalf("only %d queries in %d dashboards", len(qs), len(boards))
	}
	var instant, ranged, vars, yoy, empty int
	for _, q := range qs {
		if strings.Contains(q.expr, "offset 1y") {
			yoy++
		}
		n, err := runAsGrafana(base, q, now)
		switch {
		case err != nil:
			t.Errorf("%s: %v\n  query: %s", q.where, err, q.expr)
		case n == 0:
			empty++
			t.Errorf("%s: no data at %s\n  query: %s", q.where, now.Format(time.RFC3339), q.expr)
		}
		switch {
		case q.label != "":
			vars++
		case q.instant:
			instant++
		default:
			ranged++
		}
	}
	t.Logf("%d dashboards, %d queries at %s: %d instant, %d range, %d variables (%d of them last year's same period, offset 1y); %d empty",
		len(boards), len(qs), now.Format(time.RFC3339), instant, ranged, vars, yoy, empty)
	return len(qs)
}
