-- check_stats_year: the regions of the profile without a region_stats row for a year.
--
-- Parameters (template): .Source the curated region_stats. Bound: $1 the profile's region
--   codes, comma-separated; $2 the year (the as-of year: the rates' denominators).
-- Output columns: failures BIGINT (regions missing the year), detail VARCHAR (their codes).
-- Measure: rates (M5) take the statistics of the window end's year; a region without them
--   has no rate, and this check says so (docs/rules.md, Rates).
WITH r AS (SELECT unnest(string_split($1, ',')) AS region)
SELECT count(*) AS failures, coalesce(string_agg(region, ', ' ORDER BY region), '') AS detail
FROM r
WHERE region NOT IN (SELECT region FROM {{.Source}} WHERE year = $2)
