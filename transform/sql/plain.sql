-- plain: the curated rows of a table without derived fields other than orphan flags
-- (enterprises, inspections, reports, risk_assessments, governance, staff, region_stats).
--
-- Parameters (template): .Dedup (dedup.sql for the table), .Orphan (the table has an
--   enterprise_id: flag records whose enterprise is unknown), .Year (the table's time
--   column, for the year partition; "" when unpartitioned).
--   Temporary tables: known_enterprises(enterprise_id).
-- Output columns: the table's columns, then orphan BOOLEAN (when .Orphan: enterprise_id
--   given and not in enterprises), _batch_id, _source_row, and year BIGINT (the partition,
--   in the profile's time zone) when partitioned.
-- Measure: relationships "every record -> enterprise" (an orphan is kept, counted and
--   reported, never dropped).
SELECT
  d.* EXCLUDE (_batch_id, _source_row),
{{- if .Orphan}}
  d.enterprise_id IS NOT NULL AND e.enterprise_id IS NULL AS orphan,
{{- end}}
  d._batch_id,
  d._source_row
{{- if .Year}},
  year(d.{{ident .Year}}) AS year
{{- end}}
FROM ({{.Dedup}}) AS d
{{- if .Orphan}}
LEFT JOIN known_enterprises AS e ON e.enterprise_id = d.enterprise_id
{{- end}}
