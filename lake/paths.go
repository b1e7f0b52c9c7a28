package lake

import (
	"path/filepath"
	"strings"
)

// Names inside a lake (docs/architecture.md).
const (
	rawDir         = "raw"
	quarantineDir  = "quarantine"
	manifestDir    = "manifest"
	manifestFile   = "batches.json"
	curatedLink    = "curated"
	curatedPrefix  = "curated."
	checksDir      = "checks"
	checksFile     = "latest.parquet"
	snapshotDir    = "indicators"
	snapshotPrefix = "snapshot="
	statusDir      = "status"
	catalogFile    = "catalog.duckdb"
	profileFile    = "profile.json"
	batchPrefix    = "batch="

	// PartFile is the name of a single-file Parquet partition (a raw batch, a curated
	// table without a time column).
	PartFile = "part-00000.parquet"
	// TmpPrefix starts the name of everything written under a temporary name.
	TmpPrefix = ".tmp-"
)

// Hidden reports whether a name in the lake is to be skipped by readers: a temporary
// or incomplete one (starting with "." or "_").
func Hidden(name string) bool { return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") }

// RawDir is the folder of a table's raw batches.
func RawDir(lake, table string) string { return filepath.Join(lake, rawDir, table) }

// RawBatchDir is the folder of one raw batch of a table.
func RawBatchDir(lake, table, batchID string) string {
	return filepath.Join(RawDir(lake, table), batchPrefix+batchID)
}

// BatchOfDir returns the batch id of a raw batch folder name ("batch=<id>"), and false
// for any other name.
func BatchOfDir(name string) (string, bool) { return strings.CutPrefix(name, batchPrefix) }

// QuarantineDir is the folder of a table's quarantine files.
func QuarantineDir(lake, table string) string { return filepath.Join(lake, quarantineDir, table) }

// QuarantinePath is the quarantine file of one batch of a table.
func QuarantinePath(lake, table, batchID string) string {
	return filepath.Join(QuarantineDir(lake, table), batchPrefix+batchID+".parquet")
}

// ManifestPath is the ingest manifest.
func ManifestPath(lake string) string { return filepath.Join(lake, manifestDir, manifestFile) }

// CuratedDir is the current curated state (a symlink to curated.<run_id>).
func CuratedDir(lake string) string { return filepath.Join(lake, curatedLink) }

// CuratedRunDir is the curated state a transform run wrote.
func CuratedRunDir(lake, runID string) string { return filepath.Join(lake, curatedPrefix+runID) }

// CuratedTmpDir is where a transform run builds its curated state before renaming it
// to CuratedRunDir.
func CuratedTmpDir(lake, runID string) string {
	return filepath.Join(lake, TmpPrefix+curatedPrefix+runID)
}

// SpillDir is DuckDB's temporary folder for a transform run.
func SpillDir(lake, runID string) string { return filepath.Join(lake, TmpPrefix+"duckdb-"+runID) }

// CuratedGlob is the glob of a table's curated files under dir (a curated.<run_id>
// folder or the curated symlink), for read_parquet with hive_partitioning.
func CuratedGlob(dir, table string, partitioned bool) string {
	if !partitioned {
		return filepath.Join(dir, table, PartFile)
	}
	return filepath.Join(dir, table, "**", "*.parquet")
}

// ChecksPath is the data-quality results of the last transform.
func ChecksPath(lake string) string { return filepath.Join(lake, checksDir, checksFile) }

// ChecksTmpPath is where a transform run writes its checks before renaming them to
// ChecksPath.
func ChecksTmpPath(lake, runID string) string {
	return filepath.Join(lake, checksDir, TmpPrefix+runID+"-"+checksFile)
}

// SnapshotDir is where the indicator snapshots live.
func SnapshotDir(lake string) string { return filepath.Join(lake, snapshotDir) }

// SnapshotRunDir is the snapshot of one run.
func SnapshotRunDir(lake, runID string) string {
	return filepath.Join(SnapshotDir(lake), snapshotPrefix+runID)
}

// StatusDir is where the run statuses live.
func StatusDir(lake string) string { return filepath.Join(lake, statusDir) }

// CatalogPath is the analysts' catalog.
func CatalogPath(lake string) string { return filepath.Join(lake, catalogFile) }

// CatalogTmpPattern is the os.CreateTemp pattern of a catalog being built.
const CatalogTmpPattern = TmpPrefix + "catalog-*.duckdb"

// ProfilePath is the profile the lake was built with.
func ProfilePath(lake string) string { return filepath.Join(lake, profileFile) }

// The files of a snapshot.
const (
	snapshotIndicators = "indicators.parquet"
	snapshotAssessment = "assessment.parquet"
)

// SnapshotIndicatorsPath is the indicator values of a run's snapshot. With lake "."
// and runID "*" it is the glob of every snapshot's values, relative to the lake.
func SnapshotIndicatorsPath(lake, runID string) string {
	return filepath.Join(SnapshotRunDir(lake, runID), snapshotIndicators)
}

// SnapshotAssessmentPath is the assessment results of a run's snapshot.
func SnapshotAssessmentPath(lake, runID string) string {
	return filepath.Join(SnapshotRunDir(lake, runID), snapshotAssessment)
}
