-- overdue_trend: the stock of overdue major hazards (M24) at each of the twelve month ends up to as_of
--   (the last one is as_of itself), per sector. A hazard is overdue at a date d when it was found by d,
--   is not rectified by d (rectified_on after d, or no date and a status other than rectified/verified)
--   and its deadline is before d: the rule of queries/sql/hazards.sql, counted over every hazard found
--   whenever, not over a window.
-- params: $as_of (DATE text); table majors (majors.sql: the scope's major hazards)
-- output: month_end, sector, overdue
WITH ends AS (
    SELECT least(last_day(m), $as_of::DATE)::DATE AS d
    FROM (SELECT unnest(generate_series(date_trunc('month', $as_of::DATE) - INTERVAL 11 MONTH,
                                        date_trunc('month', $as_of::DATE), INTERVAL 1 MONTH))::DATE AS m)
),
h AS (
    SELECT sector, found_on, deadline, rectified_on, status FROM majors
)
SELECT e.d AS month_end, h.sector, count(*) AS overdue
FROM ends e
JOIN h ON h.found_on <= e.d AND h.deadline < e.d
      AND NOT coalesce(h.rectified_on <= e.d, h.status IN ('rectified', 'verified'))
GROUP BY ALL
ORDER BY ALL
