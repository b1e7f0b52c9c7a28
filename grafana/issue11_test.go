package grafana

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// TestIssue11_StockPanelsHaveNoWindow (issue 11, item 1): a state (overdue majors, 挂牌督办,
// open hazards, ...) is counted at the as-of date over every record in it; no panel and no
// rule may select it by window (its gauge has no window label), so that a hazard found
// more than 12 months ago and still overdue stays on the dashboards and in the alerts.
// Overdue majors and listed supervision are on the dashboards, and an alert watches them.
func TestIssue11_StockPanelsHaveNoWindow(t *testing.T) {
	files, err := filepath.Glob("dashboards/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards: %v", err)
	}
	files = append(files, filepath.Join(promDir, "rules", "alerts.rules.yml"), filepath.Join(promDir, "rules", "recording.rules.yml"))
	used := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range safetyrisk.Catalogue() {
			if !in.State {
				continue
			}
			re := regexp.MustCompile(regexp.QuoteMeta(in.Metric) + `\{[^}]*\}`)
			for _, sel := range re.FindAllString(string(b), -1) {
				used[in.ID+" "+filepath.Ext(f)] = true
				if regexp.MustCompile(`window\s*[!=]~?`).MatchString(sel) {
					t.Errorf("%s: %s selects a state by window", f, sel)
				}
			}
		}
	}
	for _, want := range []string{"hazards_overdue .json", "listed_supervision .json", "hazards_open .json", "major_hazards_no_deadline .json", "hazards_overdue .yml"} {
		if !used[want] {
			t.Errorf("%s: not used", want)
		}
	}
}
