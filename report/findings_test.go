package report

import (
	"strconv"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// The single-region 补报 finding states the terms of Decree 493 art. 13 from rules.go,
// not from words in the template.
func TestLateSupplementFindingStatesTheRuleTerms(t *testing.T) {
	var f findingData
	f.addEach("late_supplement", "late_supplement_regions", sevLate, []regionValue{{where: "康巴什区", v: 1, text: "（超时补报1份，未补报0起）"}},
		supplementArgs, map[string]any{})
	if f.err != nil || len(f.list) != 1 {
		t.Fatalf("findings %v, error %v", f.list, f.err)
	}
	text := f.list[0].Text
	for _, want := range []string{"康巴什区", "未在" + strconv.Itoa(safetyrisk.SupplementaryTermDays) + "日",
		"火灾事故" + strconv.Itoa(safetyrisk.SupplementaryShortTermDays) + "日", "M59"} {
		if !strings.Contains(text, want) {
			t.Errorf("finding %q does not say %q", text, want)
		}
	}
}
