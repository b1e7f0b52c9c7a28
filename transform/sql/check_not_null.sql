-- check_not_null: dbt's "not_null" test on a required column.
--
-- Parameters (template): .Source the curated files, .Column the column, .Key the key.
-- Output columns: failures BIGINT (rows with the column NULL), detail VARCHAR (up to
--   five keys of such rows).
-- Measure: the required columns of the input tables (tables.go, docs/architecture.md).
SELECT count(*) AS failures,
       coalesce(array_to_string(list_sort(list(CAST({{ident (index .Key 0)}} AS VARCHAR)))[1:5], ', '), '') AS detail
FROM {{.Source}}
WHERE {{ident .Column}} IS NULL
