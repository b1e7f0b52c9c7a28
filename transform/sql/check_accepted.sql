-- check_accepted: dbt's "accepted_values" test on each enum, enum set, region or sector
-- column of a table, in one scan.
--
-- Parameters (template): .Source, .Columns (each .Name, and .Set when the column holds
--   comma-separated codes). Bound: one argument per column, in order, the accepted codes
--   joined by "," (from the root package's enums or the jurisdiction profile; codes hold
--   no comma).
-- Output columns: for each of .Columns in order, failures BIGINT (rows with a value not
--   accepted) then detail VARCHAR (up to five distinct such values).
-- Measure: codes as metric labels (docs/architecture.md, Metrics: labels are codes).
--   One query per table, not per column: each query of a few hundred planned, globbed
--   and read the table's files again. A NULL is not checked (its bad list is NULL).
SELECT {{range $i, $c := .Columns}}{{if $i}},
       {{end}}count(*) FILTER (WHERE len(bad_{{$i}}) > 0) AS failures_{{$i}},
       coalesce(array_to_string(list_sort(list_distinct(flatten(list(bad_{{$i}}) FILTER (WHERE len(bad_{{$i}}) > 0))))[1:5], ', '), '') AS detail_{{$i}}{{end}}
FROM (
  SELECT {{range $i, $c := .Columns}}{{if $i}},
         {{end}}CASE WHEN {{ident $c.Name}} IS NOT NULL THEN list_filter(
           {{if $c.Set}}string_split({{ident $c.Name}}, ','){{else}}[{{ident $c.Name}}]{{end}},
           x -> NOT list_contains(string_split(CAST(? AS VARCHAR), ','), x)) END AS bad_{{$i}}{{end}}
  FROM {{.Source}}
)
