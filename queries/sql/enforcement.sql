-- family: enforcement
-- ids: enforcement_cases, fines, three_systems_compliance, fine_only_fatal_accidents, fatal_accidents_no_enforcement
-- measures: enforcement cases decided in the window (decided_on, up to as_of), by action (a case with several
--   actions counts under each) (M43, M44); fines decided, yuan; the share of cases recorded in full AND
--   publicized AND, when a major decision, legally reviewed (unknown flags count as not done) (M49);
--   the 以罚代刑 signals (M50), only once the investigation term has passed: a fatal accident (deaths_incl_missing
--   > 0) occurred on day D (local date) is due on D + $term_days + 1 (the term: 60 + 60 days, Decree 493
--   art. 29), and is counted in the window that holds its due day (due day <= as_of, so never before the term):
--   fine_only_fatal_accidents: its cases decided by as_of include a fine (action fine, or a fine amount) and none
--   transferred it to the judiciary (transferred, or action transfer);
--   fatal_accidents_no_enforcement: no case decided by as_of refers to it.
-- unit: cases count; fines yuan; ratio 0..1; accidents count
-- worse: enforcement_cases -, fines -, three_systems_compliance down, fine_only_fatal_accidents up,
--   fatal_accidents_no_enforcement up
-- M: M43, M44, M49, M50
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $term_days INTEGER (investigation term, 120);
--   table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records enforcement_cases: enforcement by actions
-- records fines: enforcement where fine > 0
-- records three_systems_compliance: enforcement
-- records fine_only_fatal_accidents: fatal_due where deaths_incl_missing > 0
--   AND accident_id IN (SELECT accident_id FROM enforcement WHERE accident_id IS NOT NULL
--   AND decided_on <= $as_of AND (coalesce(fine, 0) > 0 OR list_contains(string_split(actions, ','), 'fine')))
--   AND accident_id NOT IN (SELECT accident_id FROM enforcement WHERE accident_id IS NOT NULL
--   AND decided_on <= $as_of AND (coalesce(transferred, false)
--   OR list_contains(string_split(actions, ','), 'transfer')))
-- records fatal_accidents_no_enforcement: fatal_due where deaths_incl_missing > 0
--   AND accident_id NOT IN (SELECT accident_id FROM enforcement WHERE accident_id IS NOT NULL
--   AND decided_on <= $as_of)
-- output: indicator, region, sector, win, dim_value, value
WITH c AS (
    SELECT w.win, x.region, x.sector, x.fine,
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
           coalesce(sum(fine), 0) AS fines,
           count(*) FILTER (WHERE three_ok) AS three_ok
    FROM c
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
-- cases by action (a case with several actions counts under each, once), kept to the codes
-- of enforcement_cases in dim_values (the engine writes them from the catalogue); counted per
-- day first, then over the windows
ad AS (
    SELECT region, sector, decided_on, act, count(*) AS n
    FROM (SELECT region, sector, decided_on, unnest(list_distinct(string_split(actions, ','))) AS act
          FROM enforcement WHERE decided_on BETWEEN $lo AND $as_of) x
    WHERE act IN (SELECT d.code FROM dim_values d WHERE d.indicator = 'enforcement_cases')
    GROUP BY region, sector, decided_on, act
),
ga AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           act, sum(n) AS n
    FROM ad JOIN windows w ON ad.decided_on BETWEEN w.lo AND w.hi
    GROUP BY GROUPING SETS ((win, region, act), (win, sector, act), (win, act))
),
outcome AS (
    SELECT accident_id,
           bool_or(coalesce(transferred, false) OR list_contains(string_split(actions, ','), 'transfer')) AS transferred,
           bool_or(coalesce(fine, 0) > 0 OR list_contains(string_split(actions, ','), 'fine')) AS fined
    FROM enforcement
    WHERE accident_id IS NOT NULL AND decided_on <= $as_of
    GROUP BY accident_id
),
fa AS (
    -- Decree 493 art. 29: counted from the day after the investigation term
    SELECT w.win, a.region, a.sector,
           o.accident_id IS NOT NULL AND o.fined AND NOT o.transferred AS fine_only,
           o.accident_id IS NULL AS no_case
    FROM accidents a
    JOIN windows w ON CAST(a.occurred_at AS DATE) + $term_days + 1 BETWEEN w.lo AND w.hi
    LEFT JOIN outcome o ON o.accident_id = a.accident_id
    WHERE CAST(a.occurred_at AS DATE) + $term_days + 1 BETWEEN $lo AND $as_of AND a.deaths_incl_missing > 0
),
-- every (win, region) and (win, sector) key of the catalogue gets a count, zero included, in Go.
gf AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE fine_only) AS n,
           count(*) FILTER (WHERE no_case) AS n_none
    FROM fa
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
)
SELECT 'enforcement_cases' AS indicator, region, sector, win, act AS dim_value, n::DOUBLE AS value
FROM ga
UNION ALL
SELECT u.indicator, region, sector, win, u.dim_value, u.value
FROM gc, LATERAL (SELECT unnest([
    {'indicator': 'fines', 'dim_value': '', 'value': fines::DOUBLE},
    {'indicator': 'three_systems_compliance', 'dim_value': '', 'value': CASE WHEN n > 0 THEN three_ok / n END}
], recursive := true)) u
UNION ALL
SELECT 'fine_only_fatal_accidents', region, sector, win, '', n::DOUBLE FROM gf
UNION ALL
SELECT 'fatal_accidents_no_enforcement', region, sector, win, '', n_none::DOUBLE FROM gf
