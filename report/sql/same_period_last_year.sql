-- same_period_last_year: the accident figures of 总体形势 for the same period a year before (同比): the
--   month and the year to date ending on $as_of (the as-of date a year earlier), by Decree 493 grade, with
--   deaths (missing included), serious injuries and direct loss. The definitions are those of
--   queries/sql/accidents.sql (occurred_at as a date in the profile's time zone; the curated grade), so the
--   figures equal what 'safetyrisk indicators --as-of <that date>' computes (a test holds it), without
--   running the whole catalogue for a second date.
-- params: $month_lo, $year_lo, $as_of (DATE text), $region ('' for the whole city)
-- output: win, grade ('' when the window has no accident), accidents, deaths, serious_injuries, direct_loss
WITH w(win, lo, hi) AS (
    VALUES ('month', $month_lo::DATE, $as_of::DATE), ('ytd', $year_lo::DATE, $as_of::DATE)
),
a AS (
    SELECT CAST(occurred_at AS DATE) AS d, grade, deaths_incl_missing, serious_injuries, direct_loss
    FROM accidents
    WHERE CAST(occurred_at AS DATE) BETWEEN $year_lo::DATE AND $as_of::DATE
      AND ($region = '' OR region = $region)
)
SELECT w.win, coalesce(a.grade, '') AS grade, count(a.d) AS accidents,
       coalesce(sum(a.deaths_incl_missing), 0)::DOUBLE AS deaths,
       coalesce(sum(a.serious_injuries), 0)::DOUBLE AS serious_injuries,
       coalesce(sum(a.direct_loss), 0)::DOUBLE AS direct_loss
FROM w LEFT JOIN a ON a.d BETWEEN w.lo AND w.hi
GROUP BY ALL
ORDER BY ALL
