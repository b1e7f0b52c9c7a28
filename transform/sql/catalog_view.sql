-- catalog_view: one view of the analysts' catalog over Parquet files of the lake.
--
-- Parameters (template): .Name the view (a table name of the root package, or one of
--   data_checks, indicators, assessment, indicator_history), .Path the quoted path or
--   glob relative to the lake folder (never absolute, so that the lake stays
--   relocatable), .Hive whether to read hive partitions (year=, snapshot=), .HiveTypes
--   an optional hive_types struct literal.
-- Output: the view; its columns are those of the files (plus the partition column).
-- Measure: analysts' ad-hoc SQL over the curated lake and the indicator snapshots.
CREATE OR REPLACE VIEW {{ident .Name}} AS
SELECT * FROM read_parquet({{.Path}}, hive_partitioning = {{.Hive}}{{if .HiveTypes}}, hive_types = {{.HiveTypes}}{{end}}, union_by_name = true)
