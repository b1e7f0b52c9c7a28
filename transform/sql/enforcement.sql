-- enforcement: curated enforcement cases with the grade of their accident and the
-- statutory range check of the fine.
--
-- Parameters (template): .Dedup (dedup.sql for enforcement).
--   Temporary tables: known_enterprises(enterprise_id), known_accidents(accident_id,
--   grade), fine_ranges(grade, min_yuan, max_yuan, max_serious_yuan: bound from
--   safetyrisk.AccidentFineRange).
-- Output columns: the case columns, then
--   accident_grade VARCHAR      Decree 493 art. 3 grade of the case's accident (NULL without one)
--   fine_out_of_range BOOLEAN   fine below the grade's minimum or above five times its
--                               maximum, yuan (Work Safety Law art. 114); NULL without an
--                               accident or a fine
--   orphan BOOLEAN              enterprise_id not in enterprises
--   orphan_accident BOOLEAN     accident_id given and not in accidents
--   _batch_id, _source_row, year BIGINT (partition: year of decided_on)
-- Measure: enforcement cases and fines (M43, M44), fine_only_fatal_accidents (M50);
--   a fine outside its grade's range is a data warning (docs/rules.md, Fines outside their range).
SELECT
  d.* EXCLUDE (_batch_id, _source_row),
  a.grade AS accident_grade,
  CASE WHEN a.grade IS NULL OR d.fine IS NULL THEN NULL
       ELSE d.fine < r.min_yuan OR d.fine > r.max_serious_yuan END AS fine_out_of_range,
  d.enterprise_id IS NOT NULL AND e.enterprise_id IS NULL AS orphan,
  d.accident_id IS NOT NULL AND a.accident_id IS NULL AS orphan_accident,
  d._batch_id,
  d._source_row,
  year(d.decided_on) AS year
FROM ({{.Dedup}}) AS d
LEFT JOIN known_enterprises AS e ON e.enterprise_id = d.enterprise_id
LEFT JOIN known_accidents AS a ON a.accident_id = d.accident_id
LEFT JOIN fine_ranges AS r ON r.grade = a.grade
