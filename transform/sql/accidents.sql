-- accidents: curated accidents with their grade and reporting delay.
--
-- Parameters (template): .Dedup (dedup.sql for accidents).
--   Temporary tables: known_enterprises(enterprise_id), run_params(min_fatal_loss DOUBLE).
-- Output columns: the accident columns (occurred_time_known: false when the occurrence was
--   given as a date without a time; a raw batch without the column, an older lake, reads true),
--   then
--   deaths_incl_missing BIGINT  deaths plus missing persons (死亡(含失踪)), persons
--   grade VARCHAR               Decree 493 art. 3 grade code: general, large, major, extraordinary
--   grade_mismatch BOOLEAN      stated_grade given and different from grade
--   report_delay_minutes DOUBLE reported_at - occurred_at, minutes (NULL when not reported, or
--                               when the time of the occurrence is unknown)
--   late_report BOOLEAN         delay over 60 minutes, Decree 493 art. 9 (NULL when not reported:
--                               the queries count that as not on time; NULL when the time of the
--                               occurrence is unknown: neither late nor on time, left out)
--   orphan BOOLEAN              enterprise_id given and not in enterprises
--   implausible_loss BOOLEAN    a fatal accident with direct_loss under run_params.min_fatal_loss
--                               (1,000 yuan): most likely 万元 read as yuan (a data check counts it)
--   _batch_id, _source_row, year BIGINT (partition: year of occurred_at, local time)
-- Measure: accidents by grade (M17), late_report_ratio (M58); the grade must equal
--   safetyrisk.AccidentGrade, which a test checks on every boundary and random inputs.
SELECT
  g.* EXCLUDE (_grade, _batch_id, _source_row, _orphan, _time_known, occurred_time_known),
  g._time_known AS occurred_time_known,
  g._grade AS grade,
  coalesce(g.stated_grade IS NOT NULL AND g.stated_grade <> g._grade, false) AS grade_mismatch,
  CASE WHEN g._time_known THEN (epoch_us(g.reported_at) - epoch_us(g.occurred_at)) / 60000000.0 END AS report_delay_minutes,
  -- Decree 493 art. 9: report within 1 hour; over 60 minutes is late (M58). A date without a
  -- time is not midnight: the delay is unknown (docs/rules.md).
  CASE WHEN g._time_known THEN (epoch_us(g.reported_at) - epoch_us(g.occurred_at)) > CAST(3600000000 AS BIGINT) END AS late_report,
  g._orphan AS orphan,
  -- a fatal accident with a loss under min_fatal_loss yuan is most likely a 万元 figure read as yuan
  g.deaths_incl_missing > 0 AND g.direct_loss < p.min_fatal_loss AS implausible_loss,
  g._batch_id,
  g._source_row,
  year(g.occurred_at) AS year
FROM (
  SELECT
    d.*,
    d.deaths + coalesce(d.missing, 0) AS deaths_incl_missing,
    coalesce(d.occurred_time_known, true) AS _time_known,
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
CROSS JOIN run_params AS p
