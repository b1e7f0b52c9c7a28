package safetyrisk

import "time"

// IndicatorValue is one number of a snapshot: an indicator of the catalogue for a
// region (or the city), a sector (or AllSectors), a window and a breakdown value, as of
// a date.
type IndicatorValue struct {
	Indicator string    // Catalogue() id
	Region    string    // region code, or the city code
	Sector    string    // sector code, or AllSectors
	Window    string    // one of Windows
	DimValue  string    // value of the indicator's Dim label, "" when it has none
	AsOf      time.Time // a date (midnight UTC of the as-of day)
	Value     float64
}

// Assessment is one annual assessment result (M5, M6).
type Assessment struct {
	Region string // region code, or the city code
	Sector string // sector code, or AllSectors
	Year   int
	Score  float64 // 0..100, higher is better
	Grade  string  // 优秀, 良好, 合格 or 不合格, after the veto
	Veto   bool    // capped below 优秀 by M6 (or M31)
	Reason string  // why the grade was capped, in words; "" when it was not
}

// Snapshot is the indicator results of one run (stored in the lake by package lake).
type Snapshot struct {
	RunID       string
	AsOf        time.Time
	Values      []IndicatorValue
	Assessments []Assessment
}
