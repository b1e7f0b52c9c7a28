-- check_unique: dbt's "unique" test on a table's key.
--
-- Parameters (template): .Source the curated files (read_parquet), .Key the key columns.
-- Output columns: failures BIGINT (keys present more than once), detail VARCHAR (up to
--   five of them).
-- Measure: one truth per record (docs/architecture.md, curated).
SELECT count(*) AS failures,
       coalesce(array_to_string(list_sort(list(k))[1:5], ', '), '') AS detail
FROM (
  SELECT concat_ws('|', {{range $i, $k := .Key}}{{if $i}}, {{end}}CAST({{ident $k}} AS VARCHAR){{end}}) AS k
  FROM {{.Source}}
  GROUP BY ALL
  HAVING count(*) > 1
)
