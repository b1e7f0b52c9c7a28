-- check_accepted: dbt's "accepted_values" test on an enum, enum set, region or sector
-- column.
--
-- Parameters (template): .Source, .Column, .Set (the column holds comma-separated
--   codes). Bound: $1 the accepted codes joined by "," (from the root package's enums
--   or the jurisdiction profile; codes hold no comma).
-- Output columns: failures BIGINT (rows with a value not accepted), detail VARCHAR (up
--   to five distinct such values).
-- Measure: codes as metric labels (docs/architecture.md, Metrics: labels are codes).
SELECT count(*) AS failures,
       coalesce(array_to_string(list_sort(list_distinct(flatten(list(bad))))[1:5], ', '), '') AS detail
FROM (
  SELECT list_filter(
           {{if .Set}}string_split({{ident .Column}}, ','){{else}}[{{ident .Column}}]{{end}},
           x -> NOT list_contains(string_split(CAST($1 AS VARCHAR), ','), x)) AS bad
  FROM {{.Source}}
  WHERE {{ident .Column}} IS NOT NULL
)
WHERE len(bad) > 0
