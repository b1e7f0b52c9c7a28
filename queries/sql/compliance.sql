-- family: compliance (periodic duties)
-- ids: head_led_inspection_compliance, selfcheck_compliance, risk_assessment_compliance
-- measures: the periods (calendar months, quarters) lying wholly inside the window [lo, as_of]; a window with
--   none (a month or quarter still running) has no denominator and gives no row.
--   head_led_inspection_compliance (M13): a department is a (region, department) pair that made an
--   inspection (not a self-check, not a cross-region check) on or before as_of; department-months with an inspection led by its head
--   (led_by_head) / department-months. Per sector: (region, department) pairs that inspected the sector, with
--   a head-led inspection of that sector in the month.
--   selfcheck_compliance (M22): enterprises now operating (enterprises.status; the lake keeps no status
--   history) x months; those with a self_check inspection in the month / enterprise-months.
--   risk_assessment_compliance (M22): enterprises now operating with a risk assessment (assessed_on) in every
--   quarter of the window / operating enterprises.
-- unit: ratio 0..1
-- worse: down
-- M: M13, M22
-- params: $as_of DATE, $lo DATE (earliest window start), $city VARCHAR; table windows(win, lo, hi)
-- records head_led_inspection_compliance: inspections where kind <> 'self_check' AND led_by_head
-- records selfcheck_compliance: inspections where kind = 'self_check'
-- records risk_assessment_compliance: assessments
-- output: indicator, region, sector, win, dim_value, value
WITH months AS (
    SELECT win, m0, (m0 + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS m1
    FROM (SELECT win, lo, hi, unnest(generate_series(date_trunc('month', lo), date_trunc('month', hi), INTERVAL 1 MONTH))::DATE AS m0
          FROM windows)
    WHERE m0 >= lo AND (m0 + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE <= hi
),
quarters AS (
    SELECT win, q0, (q0 + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS q1
    FROM (SELECT win, lo, hi, unnest(generate_series(date_trunc('quarter', lo), date_trunc('quarter', hi), INTERVAL 3 MONTH))::DATE AS q0
          FROM windows)
    WHERE q0 >= lo AND (q0 + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE <= hi
),
official AS (
    -- M13 is about a department's own sector: self-checks are the enterprise's, and a
    -- cross-region check is made by another region's team, so neither counts.
    SELECT region, department, sector, inspected_on, led_by_head
    FROM inspections WHERE kind NOT IN ('self_check', 'cross_region') AND inspected_on <= $as_of
),
led AS (
    SELECT DISTINCT region, department, sector, date_trunc('month', inspected_on)::DATE AS m0
    FROM official WHERE led_by_head AND inspected_on >= $lo
),
dept_months AS (
    SELECT m.win, d.region, d.department, m.m0,
           EXISTS (SELECT 1 FROM led l WHERE l.region = d.region AND l.department = d.department AND l.m0 = m.m0) AS ok
    FROM (SELECT DISTINCT region, department FROM official) d CROSS JOIN months m
),
dept_sector_months AS (
    SELECT m.win, d.sector, m.m0,
           EXISTS (SELECT 1 FROM led l WHERE l.region = d.region AND l.department = d.department
                   AND l.sector = d.sector AND l.m0 = m.m0) AS ok
    FROM (SELECT DISTINCT region, department, sector FROM official) d CROSS JOIN months m
),
ent AS (
    SELECT enterprise_id, region, sector FROM enterprises WHERE status = 'operating'
),
selfm AS (
    SELECT DISTINCT enterprise_id, date_trunc('month', inspected_on)::DATE AS m0
    FROM inspections WHERE kind = 'self_check' AND inspected_on BETWEEN $lo AND $as_of
),
ent_months AS (
    SELECT m.win, e.region, e.sector,
           EXISTS (SELECT 1 FROM selfm s WHERE s.enterprise_id = e.enterprise_id AND s.m0 = m.m0) AS ok
    FROM ent e CROSS JOIN months m
),
assessed AS (
    SELECT DISTINCT enterprise_id, date_trunc('quarter', assessed_on)::DATE AS q0
    FROM risk_assessments WHERE assessed_on BETWEEN $lo AND $as_of
),
ent_quarters AS (
    SELECT q.win, e.enterprise_id, e.region, e.sector,
           EXISTS (SELECT 1 FROM assessed a WHERE a.enterprise_id = e.enterprise_id AND a.q0 = q.q0) AS ok
    FROM ent e CROSS JOIN quarters q
),
ent_all_quarters AS (
    SELECT win, enterprise_id, any_value(region) AS region, any_value(sector) AS sector, bool_and(ok) AS ok
    FROM ent_quarters GROUP BY win, enterprise_id
)
SELECT 'head_led_inspection_compliance' AS indicator,
       CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region, 'all' AS sector, win, '' AS dim_value,
       count(*) FILTER (WHERE ok) / count(*) AS value
FROM dept_months GROUP BY GROUPING SETS ((win, region), (win))
UNION ALL
SELECT 'head_led_inspection_compliance', $city, sector, win, '', count(*) FILTER (WHERE ok) / count(*)
FROM dept_sector_months GROUP BY win, sector
UNION ALL
SELECT 'selfcheck_compliance',
       CASE WHEN grouping(region) = 1 THEN $city ELSE region END,
       CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END, win, '',
       count(*) FILTER (WHERE ok) / count(*)
FROM ent_months GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
UNION ALL
SELECT 'risk_assessment_compliance',
       CASE WHEN grouping(region) = 1 THEN $city ELSE region END,
       CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END, win, '',
       count(*) FILTER (WHERE ok) / count(*)
FROM ent_all_quarters GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
