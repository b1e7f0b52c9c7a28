-- family: enforcement with experts and the blacklist (the measures register)
-- ids: expert_inspection_share, blacklisted_enterprises
-- measures: expert_inspection_share (M47 执法+专家): official inspections of the window (inspected_on, up to
--   as_of; not self-checks) with experts taking part (experts; unknown counts as not) / official inspections.
--   blacklisted_enterprises (M36, M44 joint punishment of serious dishonesty): a state at as_of (window $state_window):
--   enterprises on the blacklist (enterprises.blacklisted), whatever their status.
-- unit: ratio 0..1; count
-- worse: expert_inspection_share down, blacklisted_enterprises -
-- M: M36, M44, M47
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $state_window VARCHAR ('as_of'); table windows(win, lo, hi)
-- records expert_inspection_share: inspections where kind <> 'self_check'
-- records blacklisted_enterprises: enterprises_blacklist where blacklisted
-- output: indicator, region, sector, win, dim_value, value
WITH i AS (
    SELECT w.win, x.region, x.sector, coalesce(x.experts, false) AS experts
    FROM inspections x JOIN windows w ON x.inspected_on BETWEEN w.lo AND w.hi
    WHERE x.inspected_on BETWEEN $lo AND $as_of AND x.kind <> 'self_check'
),
gi AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n, count(*) FILTER (WHERE experts) AS e
    FROM i
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
gb AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n
    FROM enterprises WHERE coalesce(blacklisted, false)
    GROUP BY GROUPING SETS ((region), (sector), ())
)
SELECT 'expert_inspection_share' AS indicator, region, sector, win, '' AS dim_value, e / n AS value FROM gi
UNION ALL
SELECT 'blacklisted_enterprises', region, sector, $state_window, '', n::DOUBLE FROM gb
