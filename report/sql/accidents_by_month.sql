-- accidents_by_month: accidents and deaths (missing included) per calendar month, from 1 January of the
--   year before as_of's year up to as_of, for the month chart of 总体形势. The occurrence date is the
--   one queries/sql/accidents.sql counts by: occurred_at as a date in the profile's time zone (the
--   connection's TimeZone), so this year's months add up to the snapshot's ytd accidents.
-- params: $lo (DATE text), $as_of (DATE text), $region ('' for the whole city)
-- output: year, month, accidents, deaths
SELECT year(d) AS year, month(d) AS month, count(*) AS accidents,
       coalesce(sum(deaths_incl_missing), 0) AS deaths
FROM (SELECT CAST(occurred_at AS DATE) AS d, region, deaths_incl_missing FROM accidents)
WHERE d BETWEEN $lo::DATE AND $as_of::DATE AND ($region = '' OR region = $region)
GROUP BY ALL
ORDER BY ALL
