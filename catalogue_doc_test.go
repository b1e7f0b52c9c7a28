package safetyrisk

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk/internal/golden"
)

// catalogueDoc renders the indicator catalogue as the reference page docs/metrics.md.
func catalogueDoc() string {
	var b strings.Builder
	b.WriteString("# Indicator metrics\n\n")
	b.WriteString("Generated from `Catalogue()` in `indicators.go` by `go test . -update`; a test fails when it is stale.\n\n")
	b.WriteString("Every metric is a gauge with the labels `region` (GB/T 2260 code, or the city's code for a city total),\n")
	b.WriteString("`region_name`, `sector` (a sector code, or `all`), `sector_name`, `window` (month, quarter, ytd, 12m; none on a state) and the\n")
	b.WriteString("breakdown label named in the table, when there is one. Direction says which way is worse; *alarm* marks a\n")
	b.WriteString("value a rule wants at 0 (dashboards show any value above 0 red). 含义 is the Chinese meaning the dashboards show.\n\n")
	b.WriteString("The column *counted* says whether an indicator is a **state at as_of** or a **flow in a window**\n")
	b.WriteString("(docs/rules.md, State and flow). A state is counted at the as-of date over every record in that state,\n")
	b.WriteString("whenever it began: it has no `window` label (the snapshot stores it with the window `as_of`), so a\n")
	b.WriteString("dashboard or an alert uses it with no window selector. A flow counts the events inside the window;\n")
	b.WriteString("rates are published for ytd and 12m only.\n\n")
	b.WriteString("| id | metric | 名称 | counted | unit | worse | breakdown | measures | meaning | 含义 |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, in := range Catalogue() {
		dim := in.Dim
		if in.DimEnum != nil {
			dim += ": " + strings.Join(in.DimEnum.Codes(), ", ")
		}
		counted := "flow in a window: " + strings.Join(in.WindowList(), ", ")
		if in.State {
			counted = "state at as_of (no window)"
		}
		worse := in.Dir
		if in.Alarm {
			worse += ", alarm"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", in.ID, in.Metric, in.Name, counted, in.Unit, worse, dim, in.Measures, in.Help, in.Meaning)
	}
	return b.String()
}

func TestMetricsDocUpToDate(t *testing.T) {
	const path = "docs/metrics.md"
	want := catalogueDoc()
	golden.Check(t, path, []byte(want))
}
