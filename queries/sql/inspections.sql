-- family: inspections
-- ids: inspections, zero_finding_ratio, double_random_share
-- measures: inspections made in the window (inspected_on, up to as_of), by kind (all eight kinds, enterprise
--   self-checks included); among inspections by the authorities (every kind but self_check): the share that
--   found no hazard (hazards_found = 0; inspections with an unknown count left out), a lax-enforcement
--   signal (宽松软, M46), and the share drawn by 双随机一公开 (M47).
-- unit: inspections count; ratios 0..1
-- worse: inspections -, zero_finding_ratio up, double_random_share down
-- M: M27, M29, M46, M47, M48
-- params: $as_of DATE, $lo DATE, $city VARCHAR; table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records inspections: inspections by kind
-- records zero_finding_ratio: inspections where kind <> 'self_check'
-- records double_random_share: inspections where kind <> 'self_check'
-- output: indicator, region, sector, win, dim_value, value
-- counted per (region, sector, day, kind) first; the window join runs on the daily counts
WITH daily AS (
    SELECT region, sector, inspected_on, kind,
           count(*) AS n,
           count(hazards_found) AS known,
           count(*) FILTER (WHERE hazards_found = 0) AS zero
    FROM inspections
    WHERE inspected_on BETWEEN $lo AND $as_of
    GROUP BY region, sector, inspected_on, kind
),
-- by kind; the kinds reported are the codes of inspections' enum in dim_values (the engine
-- writes it from the catalogue). A NULL kind is a group of its own, so the sums over a key's
-- kind groups (t; gset tells the grouping sets apart) are its totals.
g AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(region, sector) AS gset, kind,
           sum(n) AS n, sum(known) AS known, sum(zero) AS zero
    FROM daily JOIN windows w ON daily.inspected_on BETWEEN w.lo AND w.hi
    GROUP BY GROUPING SETS ((win, region, kind), (win, sector, kind), (win, kind))
),
t AS (
    SELECT win, region, sector,
           coalesce(sum(n) FILTER (WHERE kind = 'double_random'), 0) AS double_random,
           coalesce(sum(n) FILTER (WHERE kind <> 'self_check'), 0) AS official,
           coalesce(sum(known) FILTER (WHERE kind <> 'self_check'), 0) AS official_known,
           coalesce(sum(zero) FILTER (WHERE kind <> 'self_check'), 0) AS zero
    FROM g
    GROUP BY win, gset, region, sector
)
SELECT 'inspections' AS indicator, region, sector, win, kind AS dim_value, n::DOUBLE AS value
FROM g
WHERE kind IN (SELECT d.code FROM dim_values d WHERE d.indicator = 'inspections')
UNION ALL
SELECT u.indicator, region, sector, win, u.dim_value, u.value
FROM t, LATERAL (SELECT unnest([
    {'indicator': 'zero_finding_ratio', 'dim_value': '', 'value': CASE WHEN official_known > 0 THEN zero / official_known END},
    {'indicator': 'double_random_share', 'dim_value': '', 'value': CASE WHEN official > 0 THEN double_random / official END}
], recursive := true)) u
