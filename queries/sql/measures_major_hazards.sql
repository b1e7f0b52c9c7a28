-- family: the major-hazard register (the measures register)
-- ids: major_hazards_open, major_hazards_five_missing, overdue_major_unsuspended
-- measures: states at as_of, with the window $state_window (docs/rules.md, State and flow): every major hazard found on or before as_of and not
--   rectified by as_of (rectified_on after as_of, or no date and status open or rectifying), whenever found.
--   major_hazards_open (M24, M28): by age (as_of - found_on, days: 0-30, 31-90, 91-180, over 180).
--   major_hazards_five_missing (M24, M28): those without 五落实: five_implementations false or unknown, or no
--   deadline (a major hazard without a time limit lacks one of the five by definition).
--   overdue_major_unsuspended (M28: units refusing to remove a major hazard are ordered to stop): those past
--   their deadline (deadline < as_of) whose enterprise has no enforcement case with suspension or closure
--   decided from the deadline to as_of.
-- unit: counts
-- worse: up
-- M: M24, M28
-- params: $as_of DATE, $city VARCHAR, $state_window VARCHAR ('as_of'); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records major_hazards_open: major_hazard_states where level = 'major' AND found_on <= $as_of
--   AND (rectified_on > $as_of OR (rectified_on IS NULL AND status IN ('open', 'rectifying')))
-- records major_hazards_five_missing: major_hazard_states where level = 'major' AND found_on <= $as_of
--   AND (rectified_on > $as_of OR (rectified_on IS NULL AND status IN ('open', 'rectifying')))
--   AND (NOT coalesce(five_implementations, false) OR deadline IS NULL)
-- records overdue_major_unsuspended: major_hazard_states where level = 'major' AND found_on <= $as_of
--   AND (rectified_on > $as_of OR (rectified_on IS NULL AND status IN ('open', 'rectifying')))
--   AND deadline < $as_of
-- output: indicator, region, sector, win, dim_value, value
WITH o AS MATERIALIZED (
    SELECT h.region, h.sector,
           date_diff('day', h.found_on, $as_of) AS age_days,
           NOT coalesce(h.five_implementations, false) OR h.deadline IS NULL AS five_missing,
           h.deadline < $as_of
               AND NOT EXISTS (SELECT 1 FROM enforcement x
                               WHERE x.enterprise_id = h.enterprise_id AND x.decided_on BETWEEN h.deadline AND $as_of
                                 AND len(list_intersect(string_split(x.actions, ','), ['suspension', 'closure'])) > 0)
               AS unsuspended
    FROM hazards h
    WHERE h.level = 'major' AND h.found_on <= $as_of
      AND (h.rectified_on > $as_of OR (h.rectified_on IS NULL AND h.status IN ('open', 'rectifying')))
),
g AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE five_missing) AS five,
           count(*) FILTER (WHERE unsuspended) AS unsusp
    FROM o
    GROUP BY GROUPING SETS ((region), (sector), ())
),
-- the age bands are major_hazards_open's codes in dim_values, each with its range of days
-- since found (d0_30: 0 to 30 days; d181_plus: 181 days and more)
ga AS (
    SELECT CASE WHEN grouping(o.region) = 1 THEN $city ELSE o.region END AS region,
           CASE WHEN grouping(o.sector) = 1 THEN 'all' ELSE o.sector END AS sector,
           d.code, count(*) AS n
    FROM o JOIN dim_values d ON d.indicator = 'major_hazards_open'
        AND o.age_days >= d.lo_days AND (d.hi_days IS NULL OR o.age_days <= d.hi_days)
    GROUP BY GROUPING SETS ((o.region, d.code), (o.sector, d.code), (d.code))
)
SELECT 'major_hazards_open' AS indicator, region, sector, $state_window AS win, code AS dim_value, n::DOUBLE AS value
FROM ga
UNION ALL
SELECT u.indicator, region, sector, $state_window, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'major_hazards_five_missing', 'dim_value': '', 'value': five::DOUBLE},
    {'indicator': 'overdue_major_unsuspended', 'dim_value': '', 'value': unsusp::DOUBLE}
], recursive := true)) u
