-- family: rates (national definitions, docs/rules.md)
-- ids: deaths_per_100m_gdp, industrial_deaths_per_100k_workers, road_transport_deaths_per_10k_vehicles, coal_deaths_per_mt
-- measures: deaths incl. missing of accidents that occurred in the window over region_stats of the window end's
--   year (as_of's year), published for the ytd and 12m windows only (a month's deaths over a year's denominator
--   mean nothing). The 12m window takes the whole year's figure; ytd takes it prorated by the elapsed share of
--   the year, $year_share = days from 1 January to as_of inclusive / days of the year (region_stats rows are
--   whole years: the lake holds no period figures that would replace the proration).
--   A region without statistics for that year gets no rate (transform's data check names it).
--   deaths_per_100m_gdp = deaths / gdp (亿元);
--   industrial_deaths_per_100k_workers = deaths in industrial sectors (profile Sector.Industrial) /
--   industrial_workers x 100,000;
--   road_transport_deaths_per_10k_vehicles = production-safety road-transport accident deaths (sector
--   road_transport; the lake has no road traffic accidents outside it) / motor_vehicles x 10,000;
--   coal_deaths_per_mt = coal_mine deaths / (coal_output 万吨 / 100) (Mt).
--   City: the city's own statistics row (region = $city) for the year where present, over every death;
--   otherwise the regions that have the year, numerator and denominator alike (deaths elsewhere left out).
--   Sector rows (city, sector) on the same basis: deaths_per_100m_gdp for every sector (the sector's deaths
--   per the GDP), the road rate for road_transport and the coal rate for coal_mine only.
--   A zero or missing denominator gives no row.
-- unit: rate (per 亿元 GDP, per 100k workers, per 10k vehicles, per Mt)
-- worse: up
-- M: M5
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $industrial VARCHAR and $sectors VARCHAR (comma-separated sector codes),
--   $year_share DOUBLE (elapsed share of as_of's year); table windows(win, lo, hi)
-- records deaths_per_100m_gdp: accidents where deaths_incl_missing > 0
-- records industrial_deaths_per_100k_workers: accidents where deaths_incl_missing > 0
--   AND list_contains(string_split($industrial, ','), sector)
-- records road_transport_deaths_per_10k_vehicles: accidents where deaths_incl_missing > 0
--   AND sector = 'road_transport'
-- records coal_deaths_per_mt: accidents where deaths_incl_missing > 0 AND sector = 'coal_mine'
-- output: indicator, region, sector, win, dim_value, value
WITH w AS (
    SELECT win, lo, hi, CASE WHEN win = 'ytd' THEN $year_share ELSE 1.0 END AS share
    FROM windows WHERE win IN ('ytd', '12m')
),
st AS (
    SELECT region, gdp, industrial_workers, motor_vehicles, coal_output
    FROM region_stats WHERE year = year($as_of) AND region <> $city
),
own AS (
    SELECT gdp, industrial_workers, motor_vehicles, coal_output
    FROM region_stats WHERE year = year($as_of) AND region = $city
),
-- the city's denominator: its own row, else the sum over the regions that have the year
stc AS (
    SELECT gdp, industrial_workers, motor_vehicles, coal_output, true AS own FROM own
    UNION ALL
    SELECT sum(gdp), sum(industrial_workers), sum(motor_vehicles), sum(coal_output), false
    FROM st HAVING count(*) > 0 AND NOT EXISTS (SELECT 1 FROM own)
),
d AS (
    SELECT w.win, x.region, x.sector, coalesce(x.deaths_incl_missing, 0) AS deaths,
           list_contains(string_split($industrial, ','), x.sector) AS industrial,
           x.region IN (SELECT region FROM st) AS has_stats
    FROM accidents x
    JOIN w ON CAST(x.occurred_at AS DATE) BETWEEN w.lo AND w.hi
    WHERE CAST(x.occurred_at AS DATE) BETWEEN $lo AND $as_of
),
-- every region with the year's statistics gets a row per window, deaths or not
dr AS (
    SELECT k.win, k.region,
           coalesce(sum(d.deaths), 0) AS deaths,
           coalesce(sum(d.deaths) FILTER (WHERE d.industrial), 0) AS ind,
           coalesce(sum(d.deaths) FILTER (WHERE d.sector = 'road_transport'), 0) AS road,
           coalesce(sum(d.deaths) FILTER (WHERE d.sector = 'coal_mine'), 0) AS coal
    FROM (SELECT w.win, st.region FROM w CROSS JOIN st) k
    LEFT JOIN d ON d.win = k.win AND d.region = k.region
    GROUP BY k.win, k.region
),
-- the city's numerator on the same basis as its denominator
dcs AS (
    SELECT w.win, s.sector, coalesce(sum(d.deaths), 0) AS deaths,
           coalesce(sum(d.deaths) FILTER (WHERE d.industrial), 0) AS ind
    FROM w
    CROSS JOIN (SELECT unnest(string_split($sectors, ',')) AS sector) s
    CROSS JOIN stc
    LEFT JOIN d ON d.win = w.win AND d.sector = s.sector AND (stc.own OR d.has_stats)
    GROUP BY w.win, s.sector
),
dc AS (
    SELECT win, sum(deaths) AS deaths, sum(ind) AS ind,
           sum(deaths) FILTER (WHERE sector = 'road_transport') AS road,
           sum(deaths) FILTER (WHERE sector = 'coal_mine') AS coal
    FROM dcs GROUP BY win
),
rows AS (
    SELECT dr.win, dr.region, 'all' AS sector, dr.deaths, dr.ind, dr.road, dr.coal, w.share,
           st.gdp, st.industrial_workers, st.motor_vehicles, st.coal_output
    FROM dr JOIN st USING (region) JOIN w USING (win)
    UNION ALL
    SELECT dc.win, $city, 'all', dc.deaths, dc.ind, coalesce(dc.road, 0), coalesce(dc.coal, 0), w.share,
           stc.gdp, stc.industrial_workers, stc.motor_vehicles, stc.coal_output
    FROM dc JOIN w USING (win) CROSS JOIN stc
)
SELECT u.indicator, region, sector, win, '' AS dim_value, u.value
FROM rows, LATERAL (SELECT unnest([
    {'indicator': 'deaths_per_100m_gdp', 'value': CASE WHEN gdp > 0 THEN deaths / (gdp * share) END},
    {'indicator': 'industrial_deaths_per_100k_workers', 'value': CASE WHEN industrial_workers > 0 THEN ind / (industrial_workers * share) * 100000 END},
    {'indicator': 'road_transport_deaths_per_10k_vehicles', 'value': CASE WHEN motor_vehicles > 0 THEN road / (motor_vehicles * share) * 10000 END},
    {'indicator': 'coal_deaths_per_mt', 'value': CASE WHEN coal_output > 0 THEN coal / (coal_output * share / 100) END}
], recursive := true)) u
UNION ALL
SELECT 'deaths_per_100m_gdp', $city, dcs.sector, dcs.win, '', CASE WHEN stc.gdp > 0 THEN dcs.deaths / (stc.gdp * w.share) END
FROM dcs JOIN w USING (win) CROSS JOIN stc
UNION ALL
SELECT 'road_transport_deaths_per_10k_vehicles', $city, 'road_transport', dc.win, '',
       CASE WHEN stc.motor_vehicles > 0 THEN coalesce(dc.road, 0) / (stc.motor_vehicles * w.share) * 10000 END
FROM dc JOIN w USING (win) CROSS JOIN stc
UNION ALL
SELECT 'coal_deaths_per_mt', $city, 'coal_mine', dc.win, '',
       CASE WHEN stc.coal_output > 0 THEN coalesce(dc.coal, 0) / (stc.coal_output * w.share / 100) END
FROM dc JOIN w USING (win) CROSS JOIN stc
