-- check_not_null: dbt's "not_null" test on each required column of a table, in one scan.
--
-- Parameters (template): .Source the curated files, .Columns the required columns, .Key
--   the key.
-- Output columns: for each of .Columns in order, failures BIGINT (rows with the column
--   NULL) then detail VARCHAR (up to five keys of such rows).
-- Measure: the required columns of the input tables (tables.go, docs/architecture.md).
--   One query per table, not per column: each query of a few hundred planned, globbed
--   and read the table's files again.
SELECT {{range $i, $c := .Columns}}{{if $i}},
       {{end}}count(*) FILTER (WHERE {{ident $c}} IS NULL) AS failures_{{$i}},
       coalesce(array_to_string(list_sort(list(CAST({{ident (index $.Key 0)}} AS VARCHAR)) FILTER (WHERE {{ident $c}} IS NULL))[1:5], ', '), '') AS detail_{{$i}}{{end}}
FROM {{.Source}}
