-- family: dispatched and flexible workers; state-owned enterprises (the measures register)
-- ids: dispatched_qualified_ratio, dispatch_unified_ratio, soe_flexible_share, soe_subcontracting_cases
-- measures: dispatched_qualified_ratio (M41): labour checks of the window (labour_checks.checked_on, up to
--   as_of): of the dispatched and flexible workers found in hazardous posts, those certified (aspect
--   certified) and those trained in safety (aspect trained); an unknown count counts as none.
--   dispatch_unified_ratio (M39): labour checks of the window finding the enterprise manages them as its own
--   (managed_as_own; unknown counts as not) / labour checks of the window.
--   soe_flexible_share (M42): a state: flexible workers / all workers (employees + dispatched + flexible) of
--   operating state-owned enterprises (enterprises.state_owned) in hazardous sectors.
--   soe_subcontracting_cases (M38): enforcement cases of the window for illegal subcontracting whose
--   enterprise is state-owned.
-- unit: ratios 0..1; count
-- worse: dispatched_qualified_ratio down, dispatch_unified_ratio down, soe_flexible_share up, soe_subcontracting_cases up
-- M: M38, M39, M41, M42
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $hazardous VARCHAR (comma-separated sector codes), $state_window VARCHAR ('as_of'); table windows(win, lo, hi)
-- records dispatched_qualified_ratio: labour_checks
-- records dispatch_unified_ratio: labour_checks
-- records soe_flexible_share: enterprises_soe where status = 'operating' AND state_owned
--   AND list_contains(string_split($hazardous, ','), sector)
-- records soe_subcontracting_cases: enforcement_sub where illegal_subcontracting
--   AND enterprise_id IN (SELECT enterprise_id FROM enterprises WHERE state_owned)
-- output: indicator, region, sector, win, dim_value, value
WITH lc AS (
    SELECT w.win, c.region, c.sector, c.post_workers,
           coalesce(c.certified, 0) AS certified, coalesce(c.trained, 0) AS trained,
           coalesce(c.managed_as_own, false) AS own
    FROM labour_checks c JOIN windows w ON c.checked_on BETWEEN w.lo AND w.hi
    WHERE c.checked_on BETWEEN $lo AND $as_of
),
gl AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           sum(post_workers) AS workers, sum(certified) AS certified, sum(trained) AS trained,
           count(*) AS checks, count(*) FILTER (WHERE own) AS own
    FROM lc
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
soe AS (
    SELECT region, sector, coalesce(flexible_workers, 0) AS flexible,
           coalesce(employees, 0) + coalesce(dispatch_workers, 0) + coalesce(flexible_workers, 0) AS workers
    FROM enterprises
    WHERE status = 'operating' AND coalesce(state_owned, false) AND list_contains(string_split($hazardous, ','), sector)
),
gs AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           sum(flexible) AS flexible, sum(workers) AS workers
    FROM soe
    GROUP BY GROUPING SETS ((region), (sector), ())
),
sc AS (
    SELECT w.win, x.region, x.sector
    FROM enforcement x
    JOIN enterprises e USING (enterprise_id)
    JOIN windows w ON x.decided_on BETWEEN w.lo AND w.hi
    WHERE x.decided_on BETWEEN $lo AND $as_of AND coalesce(x.illegal_subcontracting, false) AND coalesce(e.state_owned, false)
),
gc AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n
    FROM sc
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
)
SELECT 'dispatched_qualified_ratio' AS indicator, region, sector, win, 'certified' AS dim_value,
       CASE WHEN workers > 0 THEN certified / workers END AS value
FROM gl
UNION ALL
SELECT 'dispatched_qualified_ratio', region, sector, win, 'trained', CASE WHEN workers > 0 THEN trained / workers END FROM gl
UNION ALL
SELECT 'dispatch_unified_ratio', region, sector, win, '', own / checks FROM gl
UNION ALL
SELECT 'soe_flexible_share', region, sector, $state_window, '', CASE WHEN workers > 0 THEN flexible / workers END
FROM gs
UNION ALL
SELECT 'soe_subcontracting_cases', region, sector, win, '', n::DOUBLE FROM gc
