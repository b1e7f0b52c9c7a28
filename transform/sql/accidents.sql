-- accidents: curated accidents with their grade and reporting delay.
--
-- Parameters (template): .Dedup (dedup.sql for accidents).
--   Temporary tables: known_enterprises(enterprise_id).
-- Output columns: the accident columns, then
--   deaths_incl_missing BIGINT  deaths plus missing persons (死亡(含失踪)), persons
--   grade VARCHAR               Decree 493 art. 3 grade code: general, large, major, extraordinary
--   grade_mismatch BOOLEAN      stated_grade given and different from grade
--   report_delay_minutes DOUBLE reported_at - occurred_at, minutes (NULL when not reported)
--   late_report BOOLEAN         delay over 60 minutes, Decree 493 art. 9 (NULL when not reported)
--   orphan BOOLEAN              enterprise_id given and not in enterprises
--   _batch_id, _source_row, year BIGINT (partition: year of occurred_at, local time)
-- Measure: accidents by grade (M17), late_report_ratio (M58); the grade must equal
--   safetyrisk.AccidentGrade, which a test checks on every boundary and random inputs.
SELECT
  g.* EXCLUDE (_grade, _batch_id, _source_row, _orphan),
  g._grade AS grade,
  coalesce(g.stated_grade IS NOT NULL AND g.stated_grade <> g._grade, false) AS grade_mismatch,
  (epoch_us(g.reported_at) - epoch_us(g.occurred_at)) / 60000000.0 AS report_delay_minutes,
  -- Decree 493 art. 9: report within 1 hour; over 60 minutes is late (M58).
  (epoch_us(g.reported_at) - epoch_us(g.occurred_at)) > CAST(3600000000 AS BIGINT) AS late_report,
  g._orphan AS orphan,
  g._batch_id,
  g._source_row,
  year(g.occurred_at) AS year
FROM (
  SELECT
    d.*,
    d.deaths + coalesce(d.missing, 0) AS deaths_incl_missing,
    -- Decree 493 art. 3: the highest grade any of the three criteria reaches; "以上"
    -- includes the number. Missing persons count with deaths; absent counts and loss are 0.
    ['general', 'large', 'major', 'extraordinary'][1 + greatest(
      CASE WHEN d.deaths + coalesce(d.missing, 0) >= 30 THEN 3
           WHEN d.deaths + coalesce(d.missing, 0) >= 10 THEN 2
           WHEN d.deaths + coalesce(d.missing, 0) >= 3 THEN 1 ELSE 0 END,
      CASE WHEN coalesce(d.serious_injuries, 0) >= 100 THEN 3
           WHEN coalesce(d.serious_injuries, 0) >= 50 THEN 2
           WHEN coalesce(d.serious_injuries, 0) >= 10 THEN 1 ELSE 0 END,
      CASE WHEN coalesce(d.direct_loss, 0) >= 100000000 THEN 3
           WHEN coalesce(d.direct_loss, 0) >= 50000000 THEN 2
           WHEN coalesce(d.direct_loss, 0) >= 10000000 THEN 1 ELSE 0 END
    )] AS _grade,
    d.enterprise_id IS NOT NULL AND e.enterprise_id IS NULL AS _orphan
  FROM ({{.Dedup}}) AS d
  LEFT JOIN known_enterprises AS e ON e.enterprise_id = d.enterprise_id
) AS g
