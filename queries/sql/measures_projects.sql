-- family: construction projects' safety review (the measures register)
-- ids: projects_assessed_ratio, projects_started_unapproved, chemical_substandard_running
-- measures: projects_assessed_ratio (M32, M35): projects approved in the window (approved_on, up to as_of);
--   those whose safety risk was assessed on or before the approval (risk_assessed_on <= approved_on) /
--   those projects.
--   projects_started_unapproved (M32: no approving, designing and building at once): projects whose works
--   started in the window (started_on, up to as_of) before their approval (no approval by the start).
--   chemical_substandard_running (M34): a state at as_of, with the window $state_window (docs/rules.md, State and flow): chemical projects moving
--   in (chemical_transfer) checked by as_of, found not to meet the standards (compliant false), and neither
--   stopped nor ordered to rectify (stopped not true).
-- unit: ratio 0..1; counts
-- worse: projects_assessed_ratio down, projects_started_unapproved up, chemical_substandard_running up
-- M: M32, M34, M35
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $state_window VARCHAR ('as_of'); table windows(win, lo, hi)
-- records projects_assessed_ratio: projects
-- records projects_started_unapproved: project_starts where approved_on IS NULL OR approved_on > started_on
-- records chemical_substandard_running: projects where chemical_transfer AND checked_on <= $as_of
--   AND compliant = false AND NOT coalesce(stopped, false)
-- output: indicator, region, sector, win, dim_value, value
WITH ap AS (
    SELECT w.win, p.region, p.sector, coalesce(p.risk_assessed_on <= p.approved_on, false) AS assessed
    FROM projects p JOIN windows w ON p.approved_on BETWEEN w.lo AND w.hi
    WHERE p.approved_on BETWEEN $lo AND $as_of
),
ga AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n, count(*) FILTER (WHERE assessed) AS ok
    FROM ap
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
st AS (
    SELECT w.win, p.region, p.sector
    FROM projects p JOIN windows w ON p.started_on BETWEEN w.lo AND w.hi
    WHERE p.started_on BETWEEN $lo AND $as_of AND (p.approved_on IS NULL OR p.approved_on > p.started_on)
),
gs AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n
    FROM st
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
ch AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n
    FROM projects
    WHERE coalesce(chemical_transfer, false) AND checked_on <= $as_of AND compliant = false AND NOT coalesce(stopped, false)
    GROUP BY GROUPING SETS ((region), (sector), ())
)
SELECT 'projects_assessed_ratio' AS indicator, region, sector, win, '' AS dim_value, ok / n AS value FROM ga
UNION ALL
SELECT 'projects_started_unapproved', region, sector, win, '', n::DOUBLE FROM gs
UNION ALL
SELECT 'chemical_substandard_running', region, sector, $state_window, '', n::DOUBLE FROM ch
