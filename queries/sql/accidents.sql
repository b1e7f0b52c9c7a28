-- family: accidents
-- ids: accidents, deaths, serious_injuries, direct_loss, late_report_ratio, accidents_unreported, reporting_violations
-- measures: accidents that occurred in the window (occurred_at as an Asia/Shanghai date, up to as_of),
--   by Decree 493 art. 3 grade (the curated column grade); deaths incl. missing (deaths_incl_missing);
--   serious injuries; direct economic loss;
--   late_report_ratio: accidents not reported on time / accidents whose timeliness is known (Decree 493 art. 9:
--   within 1 hour). Not on time: late_report (the curated flag: delay over 60 minutes), or no report time at all
--   (reported_at NULL: no evidence of a timely report). Left out: late_report NULL with a report time, which
--   transform writes when the occurrence has a date but no time (occurred_time_known false);
--   accidents_unreported: accidents with no report time (M58);
--   reporting_violations: accidents found reported late / omitted / false / concealed (reporting_violation).
-- unit: accidents count; deaths, serious_injuries count (people); direct_loss yuan; late_report_ratio 0..1;
--   accidents_unreported, reporting_violations count
-- worse: up (all)
-- M: M17, M58, M60
-- params: $as_of DATE, $lo DATE (earliest window start), $city VARCHAR (city code); table windows(win, lo, hi); table dim_values(indicator, code, lo_days, hi_days): the breakdowns' enum codes
-- records accidents: accidents by grade
-- records deaths: accidents where deaths_incl_missing > 0
-- records serious_injuries: accidents where serious_injuries > 0
-- records direct_loss: accidents
-- records late_report_ratio: accidents where (late_report IS NOT NULL OR reported_at IS NULL)
-- records accidents_unreported: accidents where reported_at IS NULL
-- records reporting_violations: accidents by reporting_violation where reporting_violation <> 'none'
-- output: indicator, region, sector, win, dim_value, value (NULL value: no denominator, no row)
WITH a AS (
    SELECT w.win, x.region, x.sector, x.grade, x.deaths_incl_missing, x.serious_injuries, x.direct_loss,
           x.reporting_violation, x.reported_at IS NULL AS unreported,
           -- Decree 493 art. 9; no report time: not on time; date-only occurrence: unknown (NULL)
           CASE WHEN x.reported_at IS NULL THEN true ELSE x.late_report END AS not_on_time
    FROM accidents x
    JOIN windows w ON CAST(x.occurred_at AS DATE) BETWEEN w.lo AND w.hi
    WHERE CAST(x.occurred_at AS DATE) BETWEEN $lo AND $as_of
),
g AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(sector) = 0 AND sector IS NULL AS unknown_sector,
           coalesce(sum(deaths_incl_missing), 0) AS deaths,
           coalesce(sum(serious_injuries), 0) AS serious,
           coalesce(sum(direct_loss), 0) AS loss,
           count(*) FILTER (WHERE not_on_time) AS late,
           count(not_on_time) AS with_delay,
           count(*) FILTER (WHERE unreported) AS unreported
    FROM a
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
-- the breakdowns: accidents by grade, reporting_violations by reporting_violation, each kept
-- to its indicator's codes in dim_values (the engine writes them from the catalogue; the
-- violations' enum has no 'none')
b AS (
    SELECT win, region, sector, u.indicator, u.code
    FROM a, LATERAL (SELECT unnest([
        {'indicator': 'accidents', 'code': grade},
        {'indicator': 'reporting_violations', 'code': reporting_violation}
    ], recursive := true)) u
),
gb AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           grouping(sector) = 0 AND sector IS NULL AS unknown_sector,
           indicator, code, count(*) AS n
    FROM b
    WHERE code IN (SELECT d.code FROM dim_values d WHERE d.indicator = b.indicator)
    GROUP BY GROUPING SETS ((win, region, indicator, code), (win, sector, indicator, code), (win, indicator, code))
)
SELECT indicator, region, sector, win, code AS dim_value, n::DOUBLE AS value
FROM gb
WHERE NOT unknown_sector
UNION ALL
SELECT u.indicator, region, sector, win, u.dim_value, u.value
FROM g, LATERAL (SELECT unnest([
    {'indicator': 'deaths', 'dim_value': '', 'value': deaths::DOUBLE},
    {'indicator': 'serious_injuries', 'dim_value': '', 'value': serious::DOUBLE},
    {'indicator': 'direct_loss', 'dim_value': '', 'value': loss::DOUBLE},
    {'indicator': 'late_report_ratio', 'dim_value': '', 'value': CASE WHEN with_delay > 0 THEN late / with_delay END},
    {'indicator': 'accidents_unreported', 'dim_value': '', 'value': unreported::DOUBLE}
], recursive := true)) u
WHERE NOT unknown_sector
