-- family: hazards
-- ids: hazards_found, rectification_ratio, on_time_ratio, unlisted_major_hazards
-- measures: hidden hazards found in the window (found_on, up to as_of), by level; their state is taken AS OF
--   as_of, not from the stored overdue flag (transform computes that as of its own run):
--   rectified by as_of = rectified_on <= as_of, or status rectified/verified with no date;
--   (the states at as_of, overdue and open hazards and 挂牌督办, are hazard_states.sql, over every hazard);
--   rectification_ratio = rectified by as_of / found, per level (M27);
--   on_time_ratio = rectified on or before the deadline / hazards with a deadline whose outcome is known by
--   as_of (rectified with a date by as_of, or deadline passed unrectified); undated rectifications left out;
--   unlisted_major_hazards = major hazards found by anyone outside the enterprise ("未列入清单、经查实": an
--   inspection, a report, another department: any source but self_check; no source but an inspection id
--   counts too) that were not in the enterprise's ledger (in_ledger false): each counts as an accident (M31).
-- unit: counts; ratios 0..1
-- worse: hazards_found -, rectification_ratio down, on_time_ratio down, unlisted_major_hazards up
-- M: M27, M31
-- params: $as_of DATE, $lo DATE, $city VARCHAR; table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records hazards_found: hazards by level
-- records rectification_ratio: hazards by level
-- records on_time_ratio: hazards by level where deadline IS NOT NULL
-- records unlisted_major_hazards: hazards where level = 'major' AND in_ledger = false
--   AND (source <> 'self_check' OR (source IS NULL AND inspection_id IS NOT NULL))
-- output: indicator, region, sector, win, dim_value, value
-- The state of each hazard as of as_of is computed once, then counted per (region, sector, day,
-- level): the window join and the grouping sets run on those daily counts, not on every hazard.
WITH x AS (
    SELECT region, sector, found_on, level, deadline, rectified_on,
           (rectified_on IS NOT NULL AND rectified_on <= $as_of)
               OR (rectified_on IS NULL AND status IN ('rectified', 'verified')) AS done,
           -- M31: any outside finder; only the enterprise's own self-check does not count
           level = 'major' AND in_ledger = false
               AND (source <> 'self_check' OR (source IS NULL AND inspection_id IS NOT NULL)) AS m31
    FROM hazards
    WHERE found_on BETWEEN $lo AND $as_of
),
f AS (
    SELECT *,
           deadline IS NOT NULL AND ((rectified_on IS NOT NULL AND rectified_on <= $as_of)
               OR (NOT done AND deadline < $as_of)) AS due,
           coalesce(rectified_on <= deadline AND rectified_on <= $as_of, false) AS on_time
    FROM x
),
daily AS (
    SELECT region, sector, found_on, level,
           count(*) AS n,
           count(*) FILTER (WHERE done) AS done,
           count(*) FILTER (WHERE due) AS due,
           count(*) FILTER (WHERE due AND on_time) AS on_time,
           count(*) FILTER (WHERE m31) AS m31
    FROM f
    GROUP BY region, sector, found_on, level
),
-- by level (the level groups) and over all levels (all_levels); the levels reported are the
-- codes of each indicator's enum in dim_values (the engine writes it from the catalogue)
g AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(level) = 1 AS all_levels, level,
           coalesce(sum(n), 0) AS n,
           coalesce(sum(done), 0) AS done,
           coalesce(sum(due), 0) AS due,
           coalesce(sum(on_time), 0) AS on_time,
           coalesce(sum(m31), 0) AS unlisted
    FROM daily JOIN windows w ON daily.found_on BETWEEN w.lo AND w.hi
    GROUP BY GROUPING SETS ((win, region, level), (win, sector, level), (win, level), (win, region), (win, sector), (win))
)
SELECT u.indicator, region, sector, win, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'hazards_found', 'dim_value': level, 'value': n::DOUBLE},
    {'indicator': 'rectification_ratio', 'dim_value': level, 'value': CASE WHEN n > 0 THEN done / n END},
    {'indicator': 'on_time_ratio', 'dim_value': level, 'value': CASE WHEN due > 0 THEN on_time / due END}
], recursive := true)) u
WHERE NOT all_levels AND sector IS NOT NULL
  AND u.dim_value IN (SELECT d.code FROM dim_values d WHERE d.indicator = u.indicator)
UNION ALL
SELECT 'unlisted_major_hazards', region, sector, win, '', unlisted::DOUBLE
FROM g
WHERE all_levels AND sector IS NOT NULL
