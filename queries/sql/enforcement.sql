-- family: enforcement
-- ids: enforcement_cases, fines, three_systems_compliance, fine_only_fatal_accidents
-- measures: enforcement cases decided in the window (decided_on, up to as_of), by action (a case with several
--   actions counts under each) (M43, M44); fines decided, yuan; the share of cases recorded in full AND
--   publicized AND, when a major decision, legally reviewed (unknown flags count as not done) (M49);
--   fatal accidents (deaths_incl_missing > 0) that occurred in the window with no enforcement case decided by
--   as_of that transferred them to the judiciary (transferred, or action transfer): the 以罚代刑 signal;
--   an accident with no case at all counts too (M50).
-- unit: cases count; fines yuan; ratio 0..1; accidents count
-- worse: enforcement_cases -, fines -, three_systems_compliance down, fine_only_fatal_accidents up
-- M: M43, M44, M49, M50
-- params: $as_of DATE, $lo DATE, $city VARCHAR; table windows(win, lo, hi)
-- output: indicator, region, sector, win, dim_value, value
WITH c AS (
    SELECT w.win, x.region, x.sector, string_split(x.actions, ',') AS acts, x.fine,
           coalesce(x.recorded, false) AND coalesce(x.publicized, false)
               AND (NOT coalesce(x.major_decision, false) OR coalesce(x.legal_review, false)) AS three_ok
    FROM enforcement x
    JOIN windows w ON x.decided_on BETWEEN w.lo AND w.hi
    WHERE x.decided_on BETWEEN $lo AND $as_of
),
gc AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n,
           count(*) FILTER (WHERE list_contains(acts, 'warning')) AS a_warning,
           count(*) FILTER (WHERE list_contains(acts, 'fine')) AS a_fine,
           count(*) FILTER (WHERE list_contains(acts, 'confiscation')) AS a_confiscation,
           count(*) FILTER (WHERE list_contains(acts, 'suspension')) AS a_suspension,
           count(*) FILTER (WHERE list_contains(acts, 'closure')) AS a_closure,
           count(*) FILTER (WHERE list_contains(acts, 'revocation')) AS a_revocation,
           count(*) FILTER (WHERE list_contains(acts, 'daily_penalty')) AS a_daily_penalty,
           count(*) FILTER (WHERE list_contains(acts, 'detention')) AS a_detention,
           count(*) FILTER (WHERE list_contains(acts, 'transfer')) AS a_transfer,
           coalesce(sum(fine), 0) AS fines,
           count(*) FILTER (WHERE three_ok) AS three_ok
    FROM c
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
transferred AS (
    SELECT DISTINCT accident_id FROM enforcement
    WHERE accident_id IS NOT NULL AND decided_on <= $as_of
      AND (coalesce(transferred, false) OR list_contains(string_split(actions, ','), 'transfer'))
),
fa AS (
    SELECT w.win, a.region, a.sector, t.accident_id IS NULL AS fine_only
    FROM accidents a
    JOIN windows w ON CAST(a.occurred_at AS DATE) BETWEEN w.lo AND w.hi
    LEFT JOIN transferred t ON t.accident_id = a.accident_id
    WHERE CAST(a.occurred_at AS DATE) BETWEEN $lo AND $as_of AND a.deaths_incl_missing > 0
),
-- every (win, region) and (win, sector) key of the catalogue gets a count, zero included, in Go.
gf AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE fine_only) AS n
    FROM fa
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
)
SELECT u.indicator, region, sector, win, u.dim_value, u.value
FROM gc, LATERAL (SELECT unnest([
    {'indicator': 'enforcement_cases', 'dim_value': 'warning', 'value': a_warning::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'fine', 'value': a_fine::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'confiscation', 'value': a_confiscation::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'suspension', 'value': a_suspension::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'closure', 'value': a_closure::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'revocation', 'value': a_revocation::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'daily_penalty', 'value': a_daily_penalty::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'detention', 'value': a_detention::DOUBLE},
    {'indicator': 'enforcement_cases', 'dim_value': 'transfer', 'value': a_transfer::DOUBLE},
    {'indicator': 'fines', 'dim_value': '', 'value': fines::DOUBLE},
    {'indicator': 'three_systems_compliance', 'dim_value': '', 'value': CASE WHEN n > 0 THEN three_ok / n END}
], recursive := true)) u
UNION ALL
SELECT 'fine_only_fatal_accidents', region, sector, win, '', n::DOUBLE FROM gf
