package safetyrisk

import (
	"github.com/safetyrisk/safetyrisk/internal/golden"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestMeasuresRegister(t *testing.T) {
	ms, err := Measures()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 66 {
		t.Fatalf("%d measures, want 66", len(ms))
	}
	// Every catalogue entry's M-numbers name measures whose register row lists it, so
	// that the register and the catalogue cannot drift apart silently.
	byNumber := map[string]Measure{}
	for _, m := range ms {
		byNumber[m.Code()] = m
	}
	mre := regexp.MustCompile(`M(\d+)`)
	for _, in := range Catalogue() {
		for _, c := range mre.FindAllString(in.Measures, -1) {
			m, ok := byNumber[c]
			if !ok {
				t.Errorf("%s: measure %s is not in the register", in.ID, c)
				continue
			}
			if m.Status != MeasureIndicator && m.Status != MeasurePartial {
				t.Errorf("%s serves %s, whose status is %s", in.ID, c, m.Status)
			}
		}
	}
	// And the other way: an indicator measures.json lists for a measure names that
	// measure in its catalogue entry, which is where an indicator's measures are said.
	for _, m := range ms {
		for _, id := range m.IDs {
			in, ok := IndicatorByID(id)
			if ok && !slices.Contains(in.MeasureCodes(), m.Code()) {
				t.Errorf("%s lists %s, whose catalogue entry names %q", m.Code(), id, in.Measures)
			}
		}
	}
}

func TestMeasuresChecks(t *testing.T) {
	good := Measure{Number: 1, Short: "s", Chinese: "z", English: "e", Party: "p", Status: MeasureIndicator,
		IDs: []string{"accidents"}, Rule: "r", Target: "t"}
	if err := good.check(); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(*Measure){
		"unknown id":          func(m *Measure) { m.IDs = []string{"no_such_indicator"} },
		"indicator no ids":    func(m *Measure) { m.IDs = nil },
		"indicator no target": func(m *Measure) { m.Target = "" },
		"partial no measured": func(m *Measure) { m.Status, m.NotMeasured = MeasurePartial, "x" },
		"nfr no reason":       func(m *Measure) { m.Status, m.IDs = MeasureNotFromRecords, nil },
		"nfr with ids":        func(m *Measure) { m.Status, m.Reason = MeasureNotFromRecords, "why" },
		"pending no reason":   func(m *Measure) { m.Status, m.IDs = MeasurePending, nil },
		"unknown status":      func(m *Measure) { m.Status = "done" },
		"no english":          func(m *Measure) { m.English = " " },
	}
	for name, f := range bad {
		t.Run(name, func(t *testing.T) {
			m := good
			f(&m)
			if err := m.check(); err == nil {
				t.Errorf("no error")
			}
		})
	}
	ms, _ := Measures()
	if err := checkMeasures(ms[:65]); err == nil {
		t.Error("65 measures accepted")
	}
}

func TestMeasuresDocUpToDate(t *testing.T) {
	const path = "docs/measures.md"
	ms, err := Measures()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, path, []byte(MeasuresDoc(ms)))
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, l := range strings.Split(string(got), "\n") {
		if regexp.MustCompile(`^\| \d+ \|`).MatchString(l) {
			rows++
		}
	}
	if rows != 66 {
		t.Errorf("%s has %d measure rows, want 66", path, rows)
	}
	if !strings.Contains(string(got), MeasureCountLine(ms)) {
		t.Errorf("%s has no count line", path)
	}
}

func TestMeasureCountLine(t *testing.T) {
	ms := []Measure{{Status: MeasureIndicator}, {Status: MeasurePartial}, {Status: MeasurePartial}, {Status: MeasureNotFromRecords}}
	if got, want := MeasureCountLine(ms), "1 with indicator, 2 partial, 1 not from records (4 measures)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	ms = append(ms, Measure{Status: MeasurePending})
	if got, want := MeasureCountLine(ms), "1 with indicator, 2 partial, 1 not from records, 1 not yet measured (records exist) (5 measures)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
