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
-- params: $as_of DATE, $city VARCHAR, $state_window VARCHAR ('as_of')
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
s AS (
    SELECT region, sector, level, listed_supervision, deadline,
           CASE WHEN deadline < $as_of THEN date_diff('day', deadline, $as_of) END AS days_overdue
    FROM x
    WHERE NOT done
),
g AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE level = 'general') AS open_g,
           count(*) FILTER (WHERE level = 'major') AS open_m,
           count(days_overdue) FILTER (WHERE level = 'general') AS od_g,
           count(days_overdue) FILTER (WHERE level = 'major') AS od_m,
           count(*) FILTER (WHERE level = 'major' AND days_overdue > 30) AS od_m30,
           count(*) FILTER (WHERE level = 'major' AND days_overdue > 90) AS od_m90,
           count(*) FILTER (WHERE level = 'major' AND days_overdue > 365) AS od_m365,
           coalesce(max(days_overdue) FILTER (WHERE level = 'major'), 0) AS od_m_max,
           count(*) FILTER (WHERE level = 'major' AND deadline IS NULL) AS no_deadline,
           count(*) FILTER (WHERE level = 'major' AND listed_supervision) AS listed
    FROM s
    GROUP BY GROUPING SETS ((region), (sector), ())
)
SELECT u.indicator, region, sector, $state_window AS win, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'hazards_open', 'dim_value': 'general', 'value': open_g::DOUBLE},
    {'indicator': 'hazards_open', 'dim_value': 'major', 'value': open_m::DOUBLE},
    {'indicator': 'hazards_overdue', 'dim_value': 'general', 'value': od_g::DOUBLE},
    {'indicator': 'hazards_overdue', 'dim_value': 'major', 'value': od_m::DOUBLE},
    {'indicator': 'major_hazards_long_overdue', 'dim_value': '30d', 'value': od_m30::DOUBLE},
    {'indicator': 'major_hazards_long_overdue', 'dim_value': '90d', 'value': od_m90::DOUBLE},
    {'indicator': 'major_hazards_long_overdue', 'dim_value': '365d', 'value': od_m365::DOUBLE},
    {'indicator': 'major_hazards_overdue_max_age', 'dim_value': '', 'value': od_m_max * 86400.0},
    {'indicator': 'major_hazards_no_deadline', 'dim_value': '', 'value': no_deadline::DOUBLE},
    {'indicator': 'listed_supervision', 'dim_value': '', 'value': listed::DOUBLE}
], recursive := true)) u
WHERE sector IS NOT NULL
