-- family: hazard states (counted at as_of, no window)
-- ids: hazards_open, hazards_overdue, major_hazards_long_overdue, major_hazards_overdue_max_age, major_hazards_no_deadline, listed_supervision
-- measures: states, not flows (docs/rules.md, State and flow): every hazard found on or before as_of, whenever,
--   in its state AS OF as_of (not the stored overdue flag, which transform computes as of its own run):
--   rectified by as_of = rectified_on <= as_of, or status rectified/verified with no date; open = not rectified
--   by as_of. hazards_open: open hazards by level (M24, M27);
--   hazards_overdue: open and deadline < as_of, by level (M24); days overdue = as_of - deadline;
--   major_hazards_long_overdue: overdue major hazards more than 30, 90, 365 days overdue (cumulative: the 30d
--   count includes the 90d and 365d ones) (M24);
--   major_hazards_overdue_max_age: the most days overdue of an overdue major hazard, in seconds (0 when none);
--   major_hazards_no_deadline: open major hazards with no deadline: a 五落实 failure (time limit missing) (M24, M27);
--   listed_supervision: open major hazards under 挂牌督办 (M28).
--   Every row has the window $state_window ('as_of'): a state does not depend on a window.
-- unit: hazards count; major_hazards_overdue_max_age seconds
-- worse: hazards_open up, hazards_overdue up, major_hazards_long_overdue up, major_hazards_overdue_max_age up,
--   major_hazards_no_deadline up, listed_supervision -
-- M: M24, M27, M28
-- params: $as_of DATE, $city VARCHAR, $state_window VARCHAR ('as_of'); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records hazards_open: hazard_states by level where found_on <= $as_of AND NOT ((rectified_on IS NOT NULL
--   AND rectified_on <= $as_of) OR (rectified_on IS NULL AND status IN ('rectified', 'verified')))
-- records hazards_overdue: hazard_states by level where found_on <= $as_of
--   AND NOT ((rectified_on IS NOT NULL AND rectified_on <= $as_of) OR (rectified_on IS NULL
--   AND status IN ('rectified', 'verified'))) AND deadline < $as_of
-- records major_hazards_long_overdue: hazard_states by overdue_over where found_on <= $as_of
--   AND NOT ((rectified_on IS NOT NULL AND rectified_on <= $as_of) OR (rectified_on IS NULL
--   AND status IN ('rectified', 'verified'))) AND deadline < $as_of AND level = 'major'
-- records major_hazards_overdue_max_age: hazard_states where found_on <= $as_of
--   AND NOT ((rectified_on IS NOT NULL AND rectified_on <= $as_of) OR (rectified_on IS NULL
--   AND status IN ('rectified', 'verified'))) AND deadline < $as_of AND level = 'major'
-- records major_hazards_no_deadline: hazard_states where found_on <= $as_of
--   AND NOT ((rectified_on IS NOT NULL AND rectified_on <= $as_of) OR (rectified_on IS NULL
--   AND status IN ('rectified', 'verified'))) AND level = 'major' AND deadline IS NULL
-- records listed_supervision: hazard_states where found_on <= $as_of AND NOT ((rectified_on IS NOT NULL
--   AND rectified_on <= $as_of) OR (rectified_on IS NULL AND status IN ('rectified', 'verified')))
--   AND level = 'major' AND listed_supervision
-- output: indicator, region, sector, win, dim_value, value
WITH x AS (
    SELECT region, sector, level, deadline, listed_supervision,
           (rectified_on IS NOT NULL AND rectified_on <= $as_of)
               OR (rectified_on IS NULL AND status IN ('rectified', 'verified')) AS done
    FROM hazards
    WHERE found_on <= $as_of
),
s AS MATERIALIZED (
    SELECT region, sector, level, listed_supervision, deadline,
           CASE WHEN deadline < $as_of THEN date_diff('day', deadline, $as_of) END AS days_overdue
    FROM x
    WHERE NOT done
),
-- by level (the level groups) and over all levels (all_levels); the levels reported are the
-- codes of each indicator's enum in dim_values (the engine writes it from the catalogue)
g AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(level) = 1 AS all_levels, level,
           count(*) AS open,
           count(days_overdue) AS overdue,
           coalesce(max(days_overdue) FILTER (WHERE level = 'major'), 0) AS od_m_max,
           count(*) FILTER (WHERE level = 'major' AND deadline IS NULL) AS no_deadline,
           count(*) FILTER (WHERE level = 'major' AND listed_supervision) AS listed
    FROM s
    GROUP BY GROUPING SETS ((region, level), (sector, level), (level), (region), (sector), ())
),
-- overdue major hazards in each day range of major_hazards_long_overdue's codes ("30d":
-- more than 30 days overdue, so the 30d count includes the longer ones)
lo AS (
    SELECT CASE WHEN grouping(s.region) = 1 THEN $city ELSE s.region END AS region,
           CASE WHEN grouping(s.sector) = 1 THEN 'all' ELSE s.sector END AS sector,
           d.code, count(*) AS n
    FROM s JOIN dim_values d ON d.indicator = 'major_hazards_long_overdue'
        AND s.days_overdue >= d.lo_days AND (d.hi_days IS NULL OR s.days_overdue <= d.hi_days)
    WHERE s.level = 'major'
    GROUP BY GROUPING SETS ((s.region, d.code), (s.sector, d.code), (d.code))
)
SELECT u.indicator, region, sector, $state_window AS win, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'hazards_open', 'dim_value': level, 'value': open::DOUBLE},
    {'indicator': 'hazards_overdue', 'dim_value': level, 'value': overdue::DOUBLE}
], recursive := true)) u
WHERE NOT all_levels AND sector IS NOT NULL
  AND u.dim_value IN (SELECT d.code FROM dim_values d WHERE d.indicator = u.indicator)
UNION ALL
SELECT u.indicator, region, sector, $state_window, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'major_hazards_overdue_max_age', 'dim_value': '', 'value': od_m_max * 86400.0},
    {'indicator': 'major_hazards_no_deadline', 'dim_value': '', 'value': no_deadline::DOUBLE},
    {'indicator': 'listed_supervision', 'dim_value': '', 'value': listed::DOUBLE}
], recursive := true)) u
WHERE all_levels AND sector IS NOT NULL
UNION ALL
SELECT 'major_hazards_long_overdue', region, sector, $state_window, code, n::DOUBLE
FROM lo
WHERE sector IS NOT NULL
