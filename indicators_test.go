package safetyrisk

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// checkEntry says what a catalogue entry lacks: everything the exporter, the dashboards,
// the docs and the register read from it (docs/queries.md, Adding an indicator).
func checkEntry(in Indicator) error {
	han := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	}
	switch {
	case in.ID == "":
		return fmt.Errorf("no id")
	case !strings.HasPrefix(in.Metric, "safetyrisk_"):
		return fmt.Errorf("metric %q is not safetyrisk_ prefixed", in.Metric)
	case !han(in.Name):
		return fmt.Errorf("no Chinese name")
	case !han(in.Meaning):
		return fmt.Errorf("no Chinese meaning")
	case strings.TrimSpace(in.Help) == "":
		return fmt.Errorf("no help")
	case !slices.Contains([]Unit{UnitCount, UnitRatio, UnitYuan, UnitRate, UnitScore, UnitCode, UnitSeconds}, in.Unit):
		return fmt.Errorf("unit %q", in.Unit)
	case !slices.Contains([]string{"up", "down", "flag", "-"}, in.Dir):
		return fmt.Errorf("direction %q, want up, down, flag or -", in.Dir)
	case len(in.MeasureCodes()) == 0:
		return fmt.Errorf("no M-number in Measures %q", in.Measures)
	case (in.Dim == "") != (in.DimEnum == nil):
		return fmt.Errorf("dim %q without its values, or values without a dim", in.Dim)
	case in.DimEnum != nil && !han(in.DimEnum.Label):
		return fmt.Errorf("breakdown %q has no Chinese label (Enum.Label)", in.Dim)
	case (in.Unit == UnitCode) != (len(in.Codes) > 0):
		return fmt.Errorf("a coded indicator (unit code) lists its codes, and only it")
	case in.Alarm && in.Dir != "up":
		return fmt.Errorf("an alarm (red above 0) is worse up, not %q", in.Dir)
	case in.Target != nil && in.Dir != "up" && in.Dir != "down":
		return fmt.Errorf("a target needs a direction up or down, not %q", in.Dir)
	}
	return nil
}

// TestCatalogueEntriesComplete: every entry has what the stages read from it, ids and
// metrics are unique; and the check catches each missing piece.
func TestCatalogueEntriesComplete(t *testing.T) {
	ids, metrics := map[string]bool{}, map[string]bool{}
	for _, in := range Catalogue() {
		if err := checkEntry(in); err != nil {
			t.Errorf("%s: %v", in.ID, err)
		}
		if ids[in.ID] || metrics[in.Metric] {
			t.Errorf("%s: id or metric %s twice", in.ID, in.Metric)
		}
		ids[in.ID], metrics[in.Metric] = true, true
	}
	good, _ := IndicatorByID("late_report_ratio")
	if err := checkEntry(good); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(*Indicator){
		"no meaning":         func(in *Indicator) { in.Meaning = "" },
		"english meaning":    func(in *Indicator) { in.Meaning = "late reports" },
		"no chinese name":    func(in *Indicator) { in.Name = "late" },
		"no help":            func(in *Indicator) { in.Help = " " },
		"no unit":            func(in *Indicator) { in.Unit = "" },
		"no direction":       func(in *Indicator) { in.Dir = "" },
		"no measures":        func(in *Indicator) { in.Measures = "" },
		"dim without values": func(in *Indicator) { in.Dim = "grade" },
		"code without codes": func(in *Indicator) { in.Unit = UnitCode },
		"dim without label": func(in *Indicator) {
			in.Dim, in.DimEnum = "grade", &Enum{Name: "grade", Values: AccidentGrades.Values}
		},
		"alarm down": func(in *Indicator) { in.Dir = "down" },
	} {
		in := good
		f(&in)
		if err := checkEntry(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
