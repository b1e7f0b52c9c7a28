-- family: enterprises
-- ids: enterprises_by_risk_level, inspection_coverage, dispatch_worker_share
-- measures: enterprises now operating (enterprises.status; the lake keeps no status history), with their
--   risk level as of as_of: the latest risk assessment on or before as_of, else enterprises.risk_level.
--   enterprises_by_risk_level: operating enterprises by level (a stock: the same value in every window) (M24).
--   inspection_coverage: operating enterprises inspected by the authorities (any kind but self_check) in the
--   window / operating enterprises, by risk level; the 12m window is M46's definition (M46).
--   dispatch_worker_share: in hazardous sectors (profile Sector.Hazardous), (dispatch_workers +
--   flexible_workers) / (employees + dispatch_workers + flexible_workers) of operating enterprises: employees
--   is read as the enterprise's own staff; a stock (M40). Sector rows only for hazardous sectors.
-- unit: enterprises count; ratios 0..1
-- worse: enterprises_by_risk_level up (more red), inspection_coverage down, dispatch_worker_share up
-- M: M24, M40, M46
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $hazardous VARCHAR (comma-separated sector codes);
--   table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records enterprises_by_risk_level: enterprises by risk_level where status = 'operating'
-- records inspection_coverage: enterprises by risk_level where status = 'operating'
-- records dispatch_worker_share: enterprises where status = 'operating'
--   AND list_contains(string_split($hazardous, ','), sector)
-- output: indicator, region, sector, win, dim_value, value
WITH latest AS (
    SELECT enterprise_id, arg_max(risk_level, assessed_on) AS risk_level
    FROM risk_assessments WHERE assessed_on <= $as_of GROUP BY enterprise_id
),
ent AS (
    SELECT e.enterprise_id, e.region, e.sector, coalesce(l.risk_level, e.risk_level) AS risk_level,
           coalesce(e.employees, 0) AS employees, coalesce(e.dispatch_workers, 0) AS dispatch,
           coalesce(e.flexible_workers, 0) AS flexible,
           list_contains(string_split($hazardous, ','), e.sector) AS hazardous
    FROM enterprises e LEFT JOIN latest l USING (enterprise_id)
    WHERE e.status = 'operating'
),
inspected AS (
    SELECT DISTINCT w.win, x.enterprise_id
    FROM inspections x JOIN windows w ON x.inspected_on BETWEEN w.lo AND w.hi
    WHERE x.kind <> 'self_check' AND x.inspected_on BETWEEN $lo AND $as_of
),
ew AS (
    SELECT w.win, e.*, i.enterprise_id IS NOT NULL AS covered
    FROM ent e CROSS JOIN windows w
    LEFT JOIN inspected i ON i.win = w.win AND i.enterprise_id = e.enterprise_id
),
-- by risk level; the levels reported are the codes of each indicator's enum in dim_values
-- (the engine writes it from the catalogue). A NULL level is a group of its own, so the sums
-- over a key's level groups (t; gset tells the grouping sets apart) are its totals.
g AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(region, sector) AS gset, risk_level,
           count(*) AS n,
           count(*) FILTER (WHERE covered) AS covered,
           sum(dispatch + flexible) FILTER (WHERE hazardous) AS temp_workers,
           sum(employees + dispatch + flexible) FILTER (WHERE hazardous) AS all_workers
    FROM ew
    GROUP BY GROUPING SETS ((win, region, risk_level), (win, sector, risk_level), (win, risk_level))
),
t AS (
    SELECT win, region, sector,
           coalesce(sum(temp_workers), 0) AS temp_workers,
           coalesce(sum(all_workers), 0) AS all_workers
    FROM g
    GROUP BY win, gset, region, sector
)
SELECT u.indicator, region, sector, win, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'enterprises_by_risk_level', 'dim_value': risk_level, 'value': n::DOUBLE},
    {'indicator': 'inspection_coverage', 'dim_value': risk_level, 'value': CASE WHEN n > 0 THEN covered / n END}
], recursive := true)) u
WHERE u.dim_value IN (SELECT d.code FROM dim_values d WHERE d.indicator = u.indicator)
UNION ALL
SELECT 'dispatch_worker_share', region, sector, win, '', CASE WHEN all_workers > 0 THEN temp_workers / all_workers END
FROM t
