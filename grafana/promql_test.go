package grafana

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// promtool returns the promtool binary, or skips the test with the reason.
func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not found on PATH: install the Debian package prometheus (scripts/ensure-prometheus.sh) to run this test")
	}
	return p
}

// panelQuery is one query of one panel, named for error messages.
type panelQuery struct {
	where string // dashboard / panel / refId
	expr  string // with template variables substituted
}

// samples are the values substituted for template variables, as Grafana would.
func samples() map[string]string {
	p := safetyrisk.Ordos()
	return map[string]string{
		"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h",
		"$window": safetyrisk.WindowYTD, "$region": p.Regions[0].Name, "$sector": p.Sectors[0].Name,
	}
}

// substituter returns the function that puts the samples into an expression; made once
// for all the queries (samples parses the built-in profile).
func substituter() func(expr string) string {
	s := samples()
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) }) // $__range before $__r...
	return func(expr string) string {
		for _, k := range keys {
			expr = strings.ReplaceAll(expr, k, s[k])
		}
		return expr
	}
}

var labelValues = regexp.MustCompile(`^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)

// allQueries lists every panel query and every variable's series selector of the
// committed dashboards.
func allQueries(t *testing.T) []panelQuery {
	t.Helper()
	var out []panelQuery
	substitute := substituter()
	for file, d := range committed(t) {
		for _, p := range panelsOf(d) {
			for _, tg := range p.Targets {
				out = append(out, panelQuery{where: fmt.Sprintf("%s (%s) / #%d %s / %s", d.Title, file, p.ID, p.Title, tg.RefID), expr: substitute(tg.Expr)})
			}
		}
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			var q string
			if err := json.Unmarshal(v.Query, &q); err != nil {
				t.Fatalf("%s: variable %s: query is not a string: %s", file, v.Name, v.Query)
			}
			m := labelValues.FindStringSubmatch(q)
			if m == nil {
				t.Fatalf("%s: variable %s: %q is not label_values(selector, label)", file, v.Name, q)
			}
			out = append(out, panelQuery{where: fmt.Sprintf("%s (%s) / variable %s", d.Title, file, v.Name), expr: substitute(m[1])})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// checkExprs writes the expressions as recording rules, one group per query named
// after its dashboard and panel, and runs promtool check rules: Prometheus's own parser.
func checkExprs(t *testing.T, qs []panelQuery) (string, error) {
	t.Helper()
	bin := promtool(t)
	var b strings.Builder
	b.WriteString("groups:\n")
	for i, q := range qs {
		name, _ := json.Marshal(q.where)
		expr, _ := json.Marshal(q.expr)
		fmt.Fprintf(&b, "  - name: %s\n    rules:\n      - record: safetyrisk:panel_query_%d\n        expr: %s\n", name, i, expr)
	}
	path := filepath.Join(t.TempDir(), "panels.rules.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "check", "rules", path).CombinedOutput()
	return string(out), err
}

// TestPanelQueriesParse runs every panel's PromQL through promtool.
func TestPanelQueriesParse(t *testing.T) {
	qs := allQueries(t)
	if len(qs) < 100 {
		t.Fatalf("only %d queries found", len(qs))
	}
	out, err := checkExprs(t, qs)
	if err != nil {
		t.Fatalf("promtool check rules on the panels' queries: %v\n%s", err, out)
	}
	if !strings.Contains(out, fmt.Sprintf("%d rules found", len(qs))) {
		t.Errorf("promtool did not check all %d queries:\n%s", len(qs), out)
	}
	t.Logf("%d panel and variable queries parse", len(qs))
}

// TestPanelQueryCheckCatchesErrors: the check above names the panel of a bad query.
func TestPanelQueryCheckCatchesErrors(t *testing.T) {
	out, err := checkExprs(t, []panelQuery{
		{where: "好 / #1 好的 / A", expr: `sum(safetyrisk_risk_index{window="ytd"})`},
		{where: "坏 / #2 坏的 / A", expr: `sum(safetyrisk_risk_index{window="ytd"}`},
	})
	if err == nil {
		t.Fatalf("promtool accepted a broken expression:\n%s", out)
	}
	if !strings.Contains(out, "坏 / #2 坏的 / A") {
		t.Errorf("promtool's error does not name the panel:\n%s", out)
	}
}

// metricNames returns the metric names an expression selects: identifiers outside
// strings, label matchers and grouping lists, not followed by "(" and not keywords.
func metricNames(expr string) []string {
	keywords := map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "group_left": true,
		"group_right": true, "offset": true, "bool": true, "and": true, "or": true, "unless": true, "inf": true, "nan": true}
	aggregations := map[string]bool{"sum": true, "min": true, "max": true, "avg": true, "group": true, "stddev": true,
		"stdvar": true, "count": true, "count_values": true, "bottomk": true, "topk": true, "quantile": true}
	grouping := map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true}
	var names []string
	braces, listDepth, parens := 0, -1, 0
	lastKw := ""
	rs := []rune(expr)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(rs) && rs[j] != c {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
			continue
		case c >= '0' && c <= '9':
			for i < len(rs) && (rs[i] == '.' || rs[i] >= '0' && rs[i] <= '9' || rs[i] >= 'a' && rs[i] <= 'z' || rs[i] >= 'A' && rs[i] <= 'Z') {
				i++
			}
			continue
		case c == '{':
			braces++
		case c == '}':
			braces--
		case c == '(':
			parens++
			if grouping[lastKw] {
				listDepth = parens
			}
		case c == ')':
			if parens == listDepth {
				listDepth = -1
			}
			parens--
		case c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(rs) && (rs[j] == '_' || rs[j] == ':' || rs[j] >= 'a' && rs[j] <= 'z' || rs[j] >= 'A' && rs[j] <= 'Z' || rs[j] >= '0' && rs[j] <= '9') {
				j++
			}
			id := string(rs[i:j])
			k := j
			for k < len(rs) && rs[k] == ' ' {
				k++
			}
			isCall := k < len(rs) && rs[k] == '('
			// an aggregation with its modifier first: sum without(grade) (...)
			rest := string(rs[k:])
			if aggregations[id] && (strings.HasPrefix(rest, "by") || strings.HasPrefix(rest, "without")) {
				isCall = true
			}
			lastKw = ""
			switch {
			case grouping[id]:
				lastKw = id
			case braces > 0 || listDepth >= 0 || isCall || keywords[strings.ToLower(id)]:
			default:
				names = append(names, id)
			}
			i = j
			continue
		}
		if c != ' ' && c != '(' {
			lastKw = ""
		}
		i++
	}
	return names
}

func TestMetricNames(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{`sum without(grade) (safetyrisk_accidents{region="$region",window="ytd"} offset 1y)`, []string{"safetyrisk_accidents"}},
		{`time() - safetyrisk_pipeline_last_success_timestamp_seconds > 2*86400`, []string{"safetyrisk_pipeline_last_success_timestamp_seconds"}},
		{`label_replace(a{x="1"}, "lat", "39.8", "", "") or b`, []string{"a", "b"}},
		{`sum by (region) (rate(c[5m])) / on(region) group_left(region_name) d`, []string{"c", "d"}},
	} {
		if got := metricNames(c.expr); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("metricNames(%q) = %v, want %v", c.expr, got, c.want)
		}
	}
}

// TestPanelMetricsKnown: every metric a panel reads is in the indicator catalogue or the
// health list (the lead cross-checks both against a real scrape).
func TestPanelMetricsKnown(t *testing.T) {
	known := map[string]bool{}
	for _, in := range safetyrisk.Catalogue() {
		known[in.Metric] = true
	}
	for _, h := range HealthMetrics() {
		known[h.Name] = true
	}
	used := map[string]bool{}
	for _, q := range allQueries(t) {
		names := metricNames(q.expr)
		if len(names) == 0 {
			t.Errorf("%s: no metric in %q", q.where, q.expr)
		}
		for _, n := range names {
			used[n] = true
			if !known[n] {
				t.Errorf("%s: metric %s is neither in safetyrisk.Catalogue() nor in HealthMetrics()", q.where, n)
			}
		}
	}
	for _, in := range safetyrisk.Catalogue() {
		if !used[in.Metric] {
			t.Errorf("indicator %s (%s) is on no dashboard", in.ID, in.Metric)
		}
	}
	t.Logf("dashboards read %d distinct metrics of %d known", len(used), len(known))
}
