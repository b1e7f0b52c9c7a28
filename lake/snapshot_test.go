package lake

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

func TestSnapshotRoundTrip(t *testing.T) {
	lake := t.TempDir()
	p := safetyrisk.Ordos()
	asOf := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	s := &safetyrisk.Snapshot{RunID: NewRunID(time.Date(2024, 7, 1, 2, 3, 4, 5000, time.UTC)), AsOf: asOf,
		Values: []safetyrisk.IndicatorValue{
			iv("accidents", p.Regions[3].Code, "all", "ytd", "large", asOf, 1),
			iv("late_report_ratio", p.City.Code, "coal_mine", "12m", "", asOf, 0.25),
		},
		Assessments: []safetyrisk.Assessment{{Region: p.Regions[3].Code, Sector: "all", Year: 2024, Score: 93.5, Grade: "良好", Veto: true, Reason: "较大事故 A-1 一票否决 (M6)"}},
	}
	if err := WriteSnapshot(lake, s); err != nil {
		t.Fatal(err)
	}
	older := &safetyrisk.Snapshot{RunID: NewRunID(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))}
	if err := WriteSnapshot(lake, older); err != nil {
		t.Fatal(err)
	}
	// A half-written snapshot is never listed.
	if err := os.MkdirAll(filepath.Join(SnapshotDir(lake), ".tmp-snapshot-x"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := LatestSnapshot(lake)
	if err != nil {
		t.Fatal(err)
	}
	if got.RunID != s.RunID || !got.AsOf.Equal(asOf) {
		t.Errorf("latest = %s as of %v", got.RunID, got.AsOf)
	}
	if !reflect.DeepEqual(got.Values, s.Values) || !reflect.DeepEqual(got.Assessments, s.Assessments) {
		t.Errorf("round trip:\n got %+v %+v\nwant %+v %+v", got.Values, got.Assessments, s.Values, s.Assessments)
	}
	if _, err := LatestSnapshot(t.TempDir()); err != ErrNoSnapshot {
		t.Errorf("empty lake: %v", err)
	}
}

func TestReadSnapshotCorrupt(t *testing.T) {
	lake := t.TempDir()
	s := &safetyrisk.Snapshot{RunID: "20240701T000000.000000Z", Values: []safetyrisk.IndicatorValue{iv("deaths", safetyrisk.Ordos().Regions[3].Code, "all", "ytd", "", time.Now(), 1)}}
	if err := WriteSnapshot(lake, s); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(SnapshotDir(lake), "snapshot="+s.RunID, "indicators.parquet")
	if err := os.WriteFile(p, []byte("PAR1 not a parquet file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LatestSnapshot(lake); err == nil {
		t.Fatal("a corrupt snapshot was read without error")
	}
}

func iv(ind, region, sector, window, dim string, asOf time.Time, v float64) safetyrisk.IndicatorValue {
	return safetyrisk.IndicatorValue{Indicator: ind, Region: region, Sector: sector, Window: window, DimValue: dim, AsOf: asOf, Value: v}
}
