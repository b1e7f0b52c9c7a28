// Package lake owns the on-disk format of a safetyrisk lake: where every file lives,
// and how each is written and read. No other package builds a path under a lake.
//
// A lake is a folder (docs/architecture.md):
//
//	profile.json                       the jurisdiction the lake was built with (first ingest)
//	raw/<table>/batch=<batch_id>/      accepted rows of one source file, Parquet
//	quarantine/<table>/                rejected rows with the rule that rejected them
//	manifest/batches.json              one entry per ingested batch (Batch)
//	manifest/.lock                     the ingest's publish lock
//	curated -> curated.<run_id>/       the current curated state (a symlink swapped atomically)
//	checks/latest.parquet              data-quality results of the last transform
//	indicators/snapshot=<run_id>/      indicator snapshots (indicators.parquet, assessment.parquet)
//	status/run.json, last_success.json the last run of the pipeline and the last successful one
//	catalog.duckdb                     the analysts' catalog of views
//	.transform.lock                    the transform's lock
//
// Names starting with "." or "_" are temporaries or incomplete: readers skip them
// (Hidden). Every file is written under a temporary name and renamed into place
// (WriteFileAtomic, CreateTemp, TempDir), so a reader sees a whole file or the old one.
//
// The package uses parquet-go for the files it reads and writes itself (snapshots,
// checks) and never DuckDB: the stages that query the lake open DuckDB themselves, on
// the paths this package gives them.
package lake
