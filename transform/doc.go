// Package transform turns the raw batches of a lake into its curated state, checks
// the data's quality and builds the analysts' catalog.
//
// It reads lake/raw/<table>/batch=<id>/*.parquet (written by ingest, see
// docs/architecture.md) and writes:
//
//   - lake/curated.<run_id>/<table>/[year=YYYY/]part-00000.parquet: one row per record
//     key, the newest batch winning, with the derived fields of the domain (accident
//     grade by Decree 493 art. 3, report delay, hazard overdue, fines out of their Work
//     Safety Law art. 114 range, orphan flags), then the symlink lake/curated is
//     swapped to it atomically;
//   - lake/checks/latest.parquet: data-quality checks in dbt's manner (unique,
//     not_null, accepted_values, relationships, freshness, row-count change);
//   - lake/catalog.duckdb: views over the curated tables, the checks and the indicator
//     snapshots, commented in Chinese and English, rebuilt in a temporary file and
//     renamed so that an analyst holding it open read-only is never locked out.
//
// All SQL lives in the embedded sql/*.sql files; table and column names come from the
// root package's table definitions, never from user input.
package transform
