-- family: annual inspection plans against inspections done (the measures register)
-- ids: inspection_plan_progress, departments_behind_plan
-- measures: M14: each department's annual supervision-inspection plan (inspection_plans) of the as-of date's
--   year, against the department's own inspections that year up to as_of (inspections with the plan's
--   region and department, not self_check and not cross_region, as for M13). States for the year, with the
--   window $state_window.
--   inspection_plan_progress: sum over plans of min(done, planned) / sum of planned (a department that
--   inspects more than planned does not hide another's shortfall); by the plan's region, and by sector for
--   plans that name one.
--   departments_behind_plan: plans whose done < planned x (day of the year of as_of / days in the year):
--   behind a pro-rata schedule.
-- unit: ratio 0..1; count
-- worse: inspection_plan_progress down, departments_behind_plan up
-- M: M14, M46
-- params: $as_of DATE, $year_lo DATE (1 January of as_of's year), $city VARCHAR, $state_window VARCHAR ('as_of')
-- records inspection_plan_progress: inspection_plans where year = year($as_of)
-- records departments_behind_plan: inspection_plans where year = year($as_of)
-- output: indicator, region, sector, win, dim_value, value
WITH done AS (
    SELECT region, department, count(*) AS n
    FROM inspections
    WHERE inspected_on BETWEEN $year_lo AND $as_of AND kind NOT IN ('self_check', 'cross_region')
    GROUP BY region, department
),
p AS (
    SELECT pl.region, pl.sector, pl.planned, coalesce(d.n, 0) AS done,
           coalesce(d.n, 0) < pl.planned * (dayofyear($as_of) / dayofyear((date_trunc('year', $as_of) + INTERVAL 1 YEAR - INTERVAL 1 DAY)::DATE)) AS behind
    FROM inspection_plans pl LEFT JOIN done d ON d.region = pl.region AND d.department = pl.department
    WHERE pl.year = year($as_of)
),
g AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           sum(least(done, planned)) AS done, sum(planned) AS planned, count(*) FILTER (WHERE behind) AS behind
    FROM p
    GROUP BY GROUPING SETS ((region), (sector), ())
)
SELECT 'inspection_plan_progress' AS indicator, region, sector, $state_window AS win, '' AS dim_value,
       CASE WHEN planned > 0 THEN done / planned END AS value
FROM g WHERE sector IS NOT NULL
UNION ALL
SELECT 'departments_behind_plan', region, sector, $state_window, '', behind::DOUBLE FROM g WHERE sector IS NOT NULL
