package safetyrisk

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The register of the plan's 66 measures (measures.json): for each, what the records can
// show of it. docs/measures.md is rendered from it (MeasuresDoc), and the implementation
// board (实施方案落实情况) walks it top to bottom.

//go:embed measures.json
var measuresJSON []byte

// Measure statuses.
const (
	// MeasureIndicator: catalogue indicators measure what the measure asks, by a stated
	// rule against a stated target.
	MeasureIndicator = "indicator"
	// MeasurePartial: indicators measure part of it; Measured and NotMeasured say which.
	MeasurePartial = "partial"
	// MeasureNotFromRecords: no record an office keeps can show it; Reason argues why.
	MeasureNotFromRecords = "not_from_records"
	// MeasurePending: an office keeps records that would show it, but the lake does not
	// hold them yet, or no indicator reads them yet; Reason says which records.
	MeasurePending = "pending"
)

// MeasureStatuses lists the statuses in the register's order, with their display names.
var MeasureStatuses = []struct{ Code, Name, Chinese string }{
	{MeasureIndicator, "indicator", "有指标"},
	{MeasurePartial, "partial", "部分可测"},
	{MeasurePending, "not yet measured", "待接入"},
	{MeasureNotFromRecords, "not from records", "无记录可测"},
}

// Measure is one numbered measure of the plan.
type Measure struct {
	Number  int      `json:"number"` // 1..66, the plan's (一)..(六十六)
	Short   string   `json:"short"`  // short Chinese title for the board
	Chinese string   `json:"zh"`     // summary in Chinese
	English string   `json:"en"`     // summary in English
	Party   string   `json:"party"`  // the responsible party, as the plan names it
	Status  string   `json:"status"` // one of the Measure* statuses
	IDs     []string `json:"ids"`    // catalogue indicators (indicator, partial): the register's, then the entries naming it
	Rule    string   `json:"rule"`   // indicator: the rule applied
	Target  string   `json:"target"` // indicator: the target
	// TargetValue is the target of the first indicator as a number, when it has one: the
	// implementation board colours values against it.
	TargetValue *float64 `json:"target_value,omitempty"`
	Measured    string   `json:"measured"`     // partial: what is measured
	NotMeasured string   `json:"not_measured"` // partial: what is not
	Reason      string   `json:"reason"`       // not_from_records, pending: why
}

// Code is "M" and the number, as the catalogue's Measures fields write it.
func (m Measure) Code() string { return fmt.Sprintf("M%d", m.Number) }

// StatusName is the status's display name.
func (m Measure) StatusName() string {
	for _, s := range MeasureStatuses {
		if s.Code == m.Status {
			return s.Name
		}
	}
	return m.Status
}

// StatusChinese is the status's Chinese name, for the board.
func (m Measure) StatusChinese() string {
	for _, s := range MeasureStatuses {
		if s.Code == m.Status {
			return s.Chinese
		}
	}
	return m.Status
}

// Measures returns the register, checked: 66 measures numbered in order, each status with
// the fields it needs, every indicator id in the catalogue. A measure's IDs are the
// register's ids (in its order: the first carries the target), then every other catalogue
// entry whose Measures names the measure, in catalogue order.
func Measures() ([]Measure, error) {
	var doc struct {
		Measures []Measure `json:"measures"`
	}
	if err := json.Unmarshal(measuresJSON, &doc); err != nil {
		return nil, fmt.Errorf("measures.json: %w", err)
	}
	withCatalogueIDs(doc.Measures, Catalogue())
	if err := checkMeasures(doc.Measures); err != nil {
		return nil, fmt.Errorf("measures.json: %w", err)
	}
	return doc.Measures, nil
}

// withCatalogueIDs adds to each measure's IDs the catalogue entries that name it and it
// does not list yet, so that an indicator is added to the register by its entry alone.
func withCatalogueIDs(ms []Measure, cat []Indicator) {
	byCode := map[string]*Measure{}
	for i := range ms {
		byCode[ms[i].Code()] = &ms[i]
	}
	for _, in := range cat {
		for _, c := range in.MeasureCodes() {
			if m, ok := byCode[c]; ok && !slices.Contains(m.IDs, in.ID) {
				m.IDs = append(m.IDs, in.ID)
			}
		}
	}
}

// PlanMeasures is the number of measures of the plan.
const PlanMeasures = 66

func checkMeasures(ms []Measure) error {
	if len(ms) != PlanMeasures {
		return fmt.Errorf("%d measures, want %d", len(ms), PlanMeasures)
	}
	for i, m := range ms {
		if m.Number != i+1 {
			return fmt.Errorf("measure %d is numbered %d", i+1, m.Number)
		}
		if err := m.check(); err != nil {
			return fmt.Errorf("%s: %w", m.Code(), err)
		}
	}
	return nil
}

func (m Measure) check() error {
	for name, v := range map[string]string{"short": m.Short, "zh": m.Chinese, "en": m.English, "party": m.Party} {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("no %s", name)
		}
	}
	for _, id := range m.IDs {
		if _, ok := IndicatorByID(id); !ok {
			return fmt.Errorf("indicator %q is not in the catalogue", id)
		}
	}
	need := func(field, v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("status %s needs %s", m.Status, field)
		}
		return nil
	}
	var err error
	switch m.Status {
	case MeasureIndicator:
		if len(m.IDs) == 0 {
			return fmt.Errorf("status indicator names no indicator")
		}
		err = firstErr(need("rule", m.Rule), need("target", m.Target))
	case MeasurePartial:
		if len(m.IDs) == 0 {
			return fmt.Errorf("status partial names no indicator")
		}
		err = firstErr(need("measured", m.Measured), need("not_measured", m.NotMeasured))
	case MeasureNotFromRecords, MeasurePending:
		if len(m.IDs) > 0 {
			return fmt.Errorf("status %s names indicators", m.Status)
		}
		err = need("reason", m.Reason)
	default:
		return fmt.Errorf("unknown status %q", m.Status)
	}
	return err
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// MeasureCounts counts the register by status.
func MeasureCounts(ms []Measure) map[string]int {
	n := map[string]int{}
	for _, m := range ms {
		n[m.Status]++
	}
	return n
}

// MeasureCountLine is the register's count line.
func MeasureCountLine(ms []Measure) string {
	n := MeasureCounts(ms)
	line := fmt.Sprintf("%d with indicator, %d partial, %d not from records", n[MeasureIndicator], n[MeasurePartial], n[MeasureNotFromRecords])
	if n[MeasurePending] > 0 {
		line += fmt.Sprintf(", %d not yet measured (records exist)", n[MeasurePending])
	}
	return line + fmt.Sprintf(" (%d measures)", len(ms))
}

// MeasuresDoc renders the register as docs/measures.md.
func MeasuresDoc(ms []Measure) string {
	var b strings.Builder
	b.WriteString("# The plan's 66 measures: what the records show\n\n")
	b.WriteString("Generated from `measures.json` and the catalogue entries' M-numbers (an indicator is listed under every measure its\n")
	b.WriteString("entry names) by `safetyrisk measures` (or `go test . -update`); a test fails when it is stale.\n\n")
	b.WriteString("The plan is the Ordos City work-safety committee's 贯彻落实国务院安委会安全生产十五条硬措施实施方案 of\n")
	b.WriteString("2022-09-27. Each measure has one status:\n\n")
	b.WriteString("- **indicator**: catalogue indicators (docs/metrics.md) measure what it asks, by the rule and against the target given;\n")
	b.WriteString("- **partial**: indicators measure part of it; the row says what is measured and what is not;\n")
	b.WriteString("- **not yet measured**: an office keeps records that would show it, but the lake does not hold them yet, or no indicator reads them yet;\n")
	b.WriteString("- **not from records**: no record an office keeps can show it; the row argues why.\n\n")
	fmt.Fprintf(&b, "**Count: %s.**\n\n", MeasureCountLine(ms))
	b.WriteString("| M | measure | 措施 | responsible | status | indicators | how it is measured, or why not |\n|---|---|---|---|---|---|---|\n")
	for _, m := range ms {
		ids := make([]string, len(m.IDs))
		for i, id := range m.IDs {
			ids[i] = "`" + id + "`"
		}
		fmt.Fprintf(&b, "| %d | %s | **%s** %s | %s | %s | %s | %s |\n", m.Number, cell(m.English), cell(m.Short), cell(m.Chinese),
			cell(m.Party), m.StatusName(), strings.Join(ids, ", "), cell(m.explanation()))
	}
	return b.String()
}

// MeasureExplanation is the register's last column: the rule and target, what is and is
// not measured, or the reason.
func MeasureExplanation(m Measure) string { return m.explanation() }

func (m Measure) explanation() string {
	switch m.Status {
	case MeasureIndicator:
		return "Rule: " + m.Rule + ". Target: " + m.Target + "."
	case MeasurePartial:
		return "Measured: " + m.Measured + ". Not measured: " + m.NotMeasured + "."
	default:
		return m.Reason
	}
}

func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }
