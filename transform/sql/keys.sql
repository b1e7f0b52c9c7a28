-- keys: the record ids of a curated table that other tables refer to.
--
-- Parameters (template): .Name the temporary table to create, .Columns the columns to
--   keep (the key first), .Source the table's curated files (a read_parquet call on
--   paths built from the lake path).
-- Output: a temporary table with one row per distinct key.
-- Measure: relationships (hazard -> inspection, case -> accident, record -> enterprise).
CREATE OR REPLACE TEMP TABLE {{ident .Name}} AS
SELECT DISTINCT {{range $i, $c := .Columns}}{{if $i}}, {{end}}{{ident $c}}{{end}}
FROM {{.Source}}
