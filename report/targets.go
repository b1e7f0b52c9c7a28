package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
)

// Targets are the annual control targets the rates are compared with and the thresholds
// of the findings (存在问题). The built-in ones are in targets.json.
type Targets struct {
	// Rates maps a rate indicator id to its annual ceiling (M5).
	Rates map[string]float64 `json:"rates"`
	// QualifiedStaffRatio is M51's floor of qualified enforcement officers (0.75).
	QualifiedStaffRatio float64 `json:"qualified_staff_ratio"`
	// MeetingCompliance is the floor of M2/M9's half-yearly meetings held (1: all).
	MeetingCompliance float64 `json:"meeting_compliance"`
	// ZeroFindingRatio is the share of inspections finding nothing above which a region
	// is named for lax enforcement (M46, 宽松软).
	ZeroFindingRatio float64 `json:"zero_finding_ratio"`
	// HeadLedInspection is the floor of M13's monthly head-led inspections.
	HeadLedInspection float64 `json:"head_led_inspection_compliance"`
	// ThreeSystems is the floor of M49's three systems.
	ThreeSystems float64 `json:"three_systems_compliance"`
	// VerifiedInTime and RewardOnTime are the floors of M54 and M57.
	VerifiedInTime float64 `json:"verified_in_time_ratio"`
	RewardOnTime   float64 `json:"reward_on_time_ratio"`
	// RisingMonths is how many consecutive month-end rises of overdue major hazards make
	// a finding (M24).
	RisingMonths int `json:"rising_months"`
}

//go:embed targets.json
var defaultTargets []byte

// LoadTargets reads a targets file; "" gives the built-in targets.json.
func LoadTargets(path string) (*Targets, error) {
	b := defaultTargets
	if path != "" {
		var err error
		if b, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("targets: %w", err)
		}
	}
	var t Targets
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("targets %s: %w", path, err)
	}
	if t.RisingMonths < 2 {
		t.RisingMonths = 2
	}
	return &t, nil
}
