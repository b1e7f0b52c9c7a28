-- hazards: curated hidden hazards with their rectification status as of the run.
--
-- Parameters (template): .Dedup (dedup.sql for hazards).
--   Temporary tables: run_params(as_of DATE, bound), known_enterprises(enterprise_id),
--   orphan_inspections(inspection_id: the hazards' inspection ids that are not
--   inspections, orphans.sql).
-- Output columns: the hazard columns, then
--   overdue BOOLEAN            not rectified or verified and deadline < as_of (no deadline: false)
--   days_to_rectify BIGINT     rectified_on - found_on, days (NULL when not rectified)
--   rectified_on_time BOOLEAN  rectified_on <= deadline (NULL when either is absent)
--   orphan BOOLEAN             enterprise_id not in enterprises
--   orphan_inspection BOOLEAN  inspection_id given and not in inspections
--   _batch_id, _source_row, year BIGINT (partition: year of found_on)
-- Measure: hazards_overdue (M24), rectification_ratio and on_time_ratio (M27);
--   overdue: not rectified and past its deadline (docs/rules.md, Hidden hazards).
SELECT
  d.* EXCLUDE (_batch_id, _source_row),
  coalesce(d.status NOT IN ('rectified', 'verified') AND d.deadline < p.as_of, false) AS overdue,
  CAST(date_diff('day', d.found_on, d.rectified_on) AS BIGINT) AS days_to_rectify,
  d.rectified_on <= d.deadline AS rectified_on_time,
  d.enterprise_id IS NOT NULL AND e.enterprise_id IS NULL AS orphan,
  i.inspection_id IS NOT NULL AS orphan_inspection,
  d._batch_id,
  d._source_row,
  year(d.found_on) AS year
FROM ({{.Dedup}}) AS d
CROSS JOIN run_params AS p
LEFT JOIN known_enterprises AS e ON e.enterprise_id = d.enterprise_id
LEFT JOIN orphan_inspections AS i ON i.inspection_id = d.inspection_id
