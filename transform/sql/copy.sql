-- copy: write a curated table's rows to Parquet (zstd), partitioned by year when the
-- table has a time column.
--
-- Parameters (template): .Select (one of the curated queries), .Target (the quoted
--   path: a directory when .Partitioned, else a file), .Partitioned, .Empty (write no
--   row: the schema only, for a table without batches).
-- Output: the files; DuckDB returns the number of rows written.
-- Measure: the curated lake of docs/architecture.md.
COPY (
  SELECT {{if .Drop}}* EXCLUDE (year){{else}}*{{end}} FROM ({{.Select}}){{if .Empty}} WHERE false{{end}}
) TO {{.Target}} (FORMAT parquet, COMPRESSION zstd
{{- if .Partitioned}}, PARTITION_BY (year), FILENAME_PATTERN 'part-0000{i}'{{end}})
