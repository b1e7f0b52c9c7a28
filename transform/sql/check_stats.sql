-- check_stats: a table's row count and newest time, for dbt's "freshness" test and
-- the row-count change against the previous transform.
--
-- Parameters (template): .Source, .TimeCol (the table's time column, "" for none).
-- Output columns: rows BIGINT, newest DATE (the newest time column value as a local
--   date; NULL without rows or time column).
-- Measure: freshness of every table (the indicators are "as of the newest batch").
SELECT count(*) AS rows,
       {{if .TimeCol}}CAST(max({{ident .TimeCol}}) AS DATE){{else}}CAST(NULL AS DATE){{end}} AS newest
FROM {{.Source}}
