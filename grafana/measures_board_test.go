package grafana

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// TestMeasuresBoard: 实施方案落实情况 walks the 66 measures in order, one row each; each
// row has the measure's status, every indicator the register names for it (by region),
// and the first indicator's trend.
func TestMeasuresBoard(t *testing.T) {
	ms, err := safetyrisk.Measures()
	if err != nil {
		t.Fatal(err)
	}
	d, ok := committed(t)["measures.json"]
	if !ok {
		t.Fatal("dashboards/measures.json is missing")
	}
	if d.Title != "实施方案落实情况" {
		t.Errorf("title %q", d.Title)
	}
	// group the top-level panels under the row before them
	rows := map[string][]jsonPanel{}
	var order []string
	cur := ""
	for _, p := range d.Panels {
		if p.Type == "row" {
			cur = strings.Fields(p.Title)[0]
			order = append(order, cur)
			continue
		}
		rows[cur] = append(rows[cur], p)
	}
	if len(order) != 66 {
		t.Fatalf("%d rows, want 66", len(order))
	}
	city := safetyrisk.Ordos().City.Code // the committed dashboards' profile
	for i, m := range ms {
		if order[i] != m.Code() {
			t.Errorf("row %d is %s, want %s", i+1, order[i], m.Code())
			continue
		}
		ps := rows[m.Code()]
		status := fmt.Sprintf(`safetyrisk_measure_status{measure="%s"}`, m.Code())
		if len(ps) == 0 || ps[0].Targets[0].Expr != status {
			t.Errorf("%s: first panel is not its status", m.Code())
			continue
		}
		for _, id := range m.IDs {
			in, _ := safetyrisk.IndicatorByID(id)
			found := false
			for _, p := range ps[1:] {
				if p.Type == "bargauge" && strings.Contains(p.Targets[0].Expr, in.Metric+"{") && strings.Contains(p.Targets[0].Expr, `region!="`+city+`"`) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no bar gauge of %s by region", m.Code(), id)
			}
		}
		if len(m.IDs) > 0 {
			last := ps[len(ps)-1]
			in, _ := safetyrisk.IndicatorByID(m.IDs[0])
			if last.Type != "timeseries" || !strings.Contains(last.Targets[0].Expr, in.Metric+"{") {
				t.Errorf("%s: last panel is not the trend of %s", m.Code(), m.IDs[0])
			}
		}
		if !strings.Contains(ps[0].Description, m.Chinese) {
			t.Errorf("%s: the status panel does not give the measure's text", m.Code())
		}
	}
}

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 13: "十三", 20: "二十", 22: "二十二", 66: "六十六"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("chineseNumber(%d) = %s, want %s", n, got, want)
		}
	}
}
