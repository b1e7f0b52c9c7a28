package grafana

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

const promDir = "../prometheus"

func ruleFiles(t *testing.T) (rules, tests []string) {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(promDir, "rules", "*.yml"))
	if err != nil || len(all) == 0 {
		t.Fatalf("no rule files under %s/rules: %v", promDir, err)
	}
	for _, f := range all {
		if strings.HasSuffix(f, "_test.yml") {
			tests = append(tests, f)
		} else {
			rules = append(rules, f)
		}
	}
	if len(rules) == 0 || len(tests) == 0 {
		t.Fatalf("want rule files and their promtool tests, got %v and %v", rules, tests)
	}
	return rules, tests
}

func run(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}

// TestPromtoolCheckRules: the alerting and recording rules are valid.
func TestPromtoolCheckRules(t *testing.T) {
	bin := promtool(t)
	rules, _ := ruleFiles(t)
	out, err := run(t, bin, append([]string{"check", "rules"}, rules...)...)
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(out))
}

// TestPromtoolTestRules: each alert fires on the input made for it and not otherwise,
// and the recording rules give the values worked out by hand.
// Each test file is its own promtool process, run in parallel.
func TestPromtoolTestRules(t *testing.T) {
	bin := promtool(t)
	_, tests := ruleFiles(t)
	for _, f := range tests {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			out, err := run(t, bin, "test", "rules", f)
			if err != nil {
				t.Errorf("promtool test rules %s: %v\n%s", f, err, out)
			}
		})
	}
}

// TestPromtoolTestRulesCanFail: a wrong expectation makes promtool fail, so the test
// above is not vacuous. Only the veto's group of alerts_test.yml is run (0.05 s of
// promtool, where the whole file takes 0.2 s): the expectation changed is in it.
func TestPromtoolTestRulesCanFail(t *testing.T) {
	bin := promtool(t)
	dir := t.TempDir()
	for _, f := range []string{"alerts.rules.yml", "alerts_test.yml"} {
		b, err := os.ReadFile(filepath.Join(promDir, "rules", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "alerts_test.yml" {
			// the veto no longer expected to fire
			city := fmt.Sprintf("region: %q", safetyrisk.Ordos().City.Code)
			wrong := strings.Replace(string(b), "severity: critical\n              "+city, "severity: warning\n              "+city, 1)
			if wrong == string(b) {
				t.Fatalf("%s: no critical veto alert for %s to expect wrongly", f, city)
			}
			b = []byte(testGroup(t, wrong, "alertname: SafetyriskVetoRaised"))
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := run(t, bin, "test", "rules", filepath.Join(dir, "alerts_test.yml"))
	if err == nil || !strings.Contains(out, "SafetyriskVetoRaised") {
		t.Fatalf("promtool accepted a wrong expectation: %v\n%s", err, out)
	}
}

// testGroup is a promtool test file (its text) cut down to its one test group that
// contains has: what comes before its tests, and that group.
func testGroup(t *testing.T, file, has string) string {
	t.Helper()
	head, groups, ok := strings.Cut(file, "\ntests:\n")
	if !ok {
		t.Fatalf("no tests: in the test file")
	}
	var found []string
	for _, g := range strings.SplitAfter(groups, "\n") {
		if strings.HasPrefix(g, "  - name: ") || len(found) == 0 {
			found = append(found, "")
		}
		found[len(found)-1] += g
	}
	var keep []string
	for _, g := range found {
		if strings.Contains(g, has) {
			keep = append(keep, g)
		}
	}
	if len(keep) != 1 {
		t.Fatalf("%d test groups contain %q, want 1", len(keep), has)
	}
	return head + "\ntests:\n" + keep[0]
}

// TestPromtoolCheckConfig: the scrape configuration is valid and loads the rules.
func TestPromtoolCheckConfig(t *testing.T) {
	bin := promtool(t)
	out, err := run(t, bin, "check", "config", filepath.Join(promDir, "prometheus.yml"))
	if err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
	rules, _ := ruleFiles(t)
	for _, r := range rules {
		if !strings.Contains(out, filepath.Base(r)) {
			t.Errorf("prometheus.yml does not load %s:\n%s", r, out)
		}
	}
}

var exprLine = regexp.MustCompile(`(?m)^\s+expr:\s*(.*)$`)

// TestRuleMetricsKnown: the rules read only catalogue and health metrics (and up).
func TestRuleMetricsKnown(t *testing.T) {
	known := map[string]bool{"up": true}
	for _, in := range safetyrisk.Catalogue() {
		known[in.Metric] = true
	}
	for _, h := range HealthMetrics() {
		known[h.Name] = true
	}
	rules, _ := ruleFiles(t)
	for _, f := range rules {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// block scalars (expr: |) continue on the following, more indented lines
		text := string(b)
		for _, m := range exprLine.FindAllStringSubmatchIndex(text, -1) {
			expr := text[m[2]:m[3]]
			if strings.TrimSpace(expr) == "|" {
				rest := text[m[1]:]
				var lines []string
				for _, l := range strings.Split(rest, "\n")[1:] {
					if strings.HasPrefix(l, "          ") {
						lines = append(lines, l)
						continue
					}
					break
				}
				expr = strings.Join(lines, " ")
			}
			for _, n := range metricNames(expr) {
				if !known[n] {
					t.Errorf("%s: %q reads %s, which is neither in the catalogue nor in HealthMetrics()", f, expr, n)
				}
			}
		}
	}
}

// TestRulesForEveryProfile: the configuration written for each profile under profiles/
// loads its rules, and the rules pass their unit tests with that city's codes and names.
func TestRulesForEveryProfile(t *testing.T) {
	bin := promtool(t)
	profiles, err := filepath.Glob(filepath.Join("..", "profiles", "*.json"))
	if err != nil || len(profiles) < 2 {
		t.Fatalf("profiles: %v %v", profiles, err)
	}
	for _, f := range profiles {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p, err := safetyrisk.LoadProfile(f)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if _, err := WriteRules(dir, p); err != nil {
				t.Fatal(err)
			}
			if out, err := run(t, bin, "check", "config", filepath.Join(dir, "prometheus.yml")); err != nil {
				t.Fatalf("promtool check config: %v\n%s", err, out)
			}
			tests, _ := filepath.Glob(filepath.Join(dir, "rules", "*_test.yml"))
			if len(tests) == 0 {
				t.Fatal("no rule tests written")
			}
			for _, tf := range tests {
				b, err := os.ReadFile(tf)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(b), p.City.Code) {
					t.Errorf("%s does not name the city %s", filepath.Base(tf), p.City.Code)
				}
				if out, err := run(t, bin, "test", "rules", tf); err != nil {
					t.Errorf("promtool test rules %s: %v\n%s", filepath.Base(tf), err, out)
				}
			}
		})
	}
}

// TestRulesTooFewRegions: a profile with fewer regions than the rules' unit tests use
// is refused with the reason, not rendered with holes.
func TestRulesTooFewRegions(t *testing.T) {
	p := safetyrisk.Ordos()
	p.Regions = p.Regions[:3]
	if _, err := Rules(p); err == nil || !strings.Contains(err.Error(), "regions") {
		t.Errorf("Rules with 3 regions: %v, want an error naming the regions", err)
	}
}
