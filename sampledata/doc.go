// Package sampledata writes realistic, deterministic sample data for a jurisdiction
// profile (its regions' economies say where the enterprises are): the ten input tables
// of docs/ as an office would export them (Chinese
// headers, CSV in UTF-8, UTF-8 with BOM or GBK, or JSON, or XLSX), consistent across
// tables, with planted stories for the dashboards and planted dirty rows for ingest.
//
// Generate writes, under Config.Out:
//
//	enterprises.csv, region_stats.csv, staff.csv, enforcement.csv, reports.csv, governance.csv
//	inspections_YYYY.csv, hazards_YYYY.csv, accidents_YYYY.csv, risk_assessments_YYYY.csv
//	_truth/dirty.csv    every dirty row: file, row, table, key, kind, column, value, clean, expect
//	_truth/orphans.csv  the planted broken references
//	_truth/stories.csv  the story records (ids) and story facts
//	_truth/files.csv    the files written, their table, encoding, rows and dirty rows
//
// The same Config (seed included) gives byte-identical files. Rows are streamed to
// buffered writers as they are generated; only the enterprises (ids, regions, sectors,
// risk levels), the accidents and the governance events are held in memory, so
// --scale 50 (about ten million hazards) runs in about 100 MB.
//
// Every assumption (magnitudes, mixes, seasons, probabilities) is a named constant in
// assumptions.go; ASSUMPTIONS.md explains them with the stories and the dirty-row kinds.
package sampledata
