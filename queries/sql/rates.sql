-- family: rates (national definitions, DOMAIN.md)
-- ids: deaths_per_100m_gdp, industrial_deaths_per_100k_workers, road_deaths_per_10k_vehicles, coal_deaths_per_mt
-- measures: deaths incl. missing of accidents that occurred in the window over region_stats of ONE year:
--   as_of's year when the region has it, else the region's latest earlier year (a year's statistics are
--   published the next year). The denominator is the whole year's, for every window (month, quarter, ytd,
--   12m): the rate is not annualised, so a month's value is the month's deaths per a year's GDP.
--   deaths_per_100m_gdp = deaths / gdp (亿元);
--   industrial_deaths_per_100k_workers = deaths in industrial sectors (profile Sector.Industrial) /
--   industrial_workers x 100,000;
--   road_deaths_per_10k_vehicles = road_transport deaths / motor_vehicles x 10,000;
--   coal_deaths_per_mt = coal_mine deaths / (coal_output 万吨 / 100) (Mt).
--   City: the regions' deaths over the sum of the regions' statistics. Sector rows (city, sector):
--   deaths_per_100m_gdp for every sector (the sector's deaths per the city's GDP), the road rate for
--   road_transport and the coal rate for coal_mine only (denominators are not broken down by sector).
--   A zero or missing denominator gives no row.
-- unit: rate (per 亿元 GDP, per 100k workers, per 10k vehicles, per Mt)
-- worse: up
-- M: M5
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $industrial VARCHAR and $sectors VARCHAR (comma-separated sector codes);
--   table windows(win, lo, hi)
-- output: indicator, region, sector, win, dim_value, value
WITH stat_year AS (
    SELECT region, max(year) AS year FROM region_stats WHERE year <= year($as_of) GROUP BY region
),
st AS (
    SELECT s.region, s.gdp, s.industrial_workers, s.motor_vehicles, s.coal_output
    FROM region_stats s JOIN stat_year y ON s.region = y.region AND s.year = y.year
),
stc AS (
    SELECT sum(gdp) AS gdp, sum(industrial_workers) AS industrial_workers,
           sum(motor_vehicles) AS motor_vehicles, sum(coal_output) AS coal_output
    FROM st
),
d AS (
    SELECT w.win, x.region, x.sector, coalesce(x.deaths_incl_missing, 0) AS deaths,
           list_contains(string_split($industrial, ','), x.sector) AS industrial
    FROM accidents x
    JOIN windows w ON CAST(x.occurred_at AS DATE) BETWEEN w.lo AND w.hi
    WHERE CAST(x.occurred_at AS DATE) BETWEEN $lo AND $as_of
),
-- every region with statistics gets a row per window, deaths or not
keys AS (
    SELECT w.win, st.region FROM windows w CROSS JOIN st
),
dr AS (
    SELECT k.win, k.region,
           coalesce(sum(d.deaths), 0) AS deaths,
           coalesce(sum(d.deaths) FILTER (WHERE d.industrial), 0) AS ind,
           coalesce(sum(d.deaths) FILTER (WHERE d.sector = 'road_transport'), 0) AS road,
           coalesce(sum(d.deaths) FILTER (WHERE d.sector = 'coal_mine'), 0) AS coal
    FROM keys k LEFT JOIN d ON d.win = k.win AND d.region = k.region
    GROUP BY k.win, k.region
),
-- the city: every accident (also in a region without statistics) over the sum of the statistics
dc AS (
    SELECT w.win,
           coalesce(sum(d.deaths), 0) AS deaths,
           coalesce(sum(d.deaths) FILTER (WHERE d.industrial), 0) AS ind,
           coalesce(sum(d.deaths) FILTER (WHERE d.sector = 'road_transport'), 0) AS road,
           coalesce(sum(d.deaths) FILTER (WHERE d.sector = 'coal_mine'), 0) AS coal
    FROM windows w LEFT JOIN d ON d.win = w.win
    GROUP BY w.win
),
rows AS (
    SELECT dr.win, dr.region, 'all' AS sector, dr.deaths, dr.ind, dr.road, dr.coal,
           st.gdp, st.industrial_workers, st.motor_vehicles, st.coal_output
    FROM dr JOIN st USING (region)
    UNION ALL
    SELECT dc.win, $city, 'all', dc.deaths, dc.ind, dc.road, dc.coal,
           stc.gdp, stc.industrial_workers, stc.motor_vehicles, stc.coal_output
    FROM dc CROSS JOIN stc
),
sector_deaths AS (
    SELECT w.win, s.sector, coalesce(sum(d.deaths), 0) AS deaths
    FROM windows w
    CROSS JOIN (SELECT unnest(string_split($sectors, ',')) AS sector) s
    LEFT JOIN d ON d.win = w.win AND d.sector = s.sector
    GROUP BY w.win, s.sector
)
SELECT u.indicator, region, sector, win, '' AS dim_value, u.value
FROM rows, LATERAL (SELECT unnest([
    {'indicator': 'deaths_per_100m_gdp', 'value': CASE WHEN gdp > 0 THEN deaths / gdp END},
    {'indicator': 'industrial_deaths_per_100k_workers', 'value': CASE WHEN industrial_workers > 0 THEN ind / industrial_workers * 100000 END},
    {'indicator': 'road_deaths_per_10k_vehicles', 'value': CASE WHEN motor_vehicles > 0 THEN road / motor_vehicles * 10000 END},
    {'indicator': 'coal_deaths_per_mt', 'value': CASE WHEN coal_output > 0 THEN coal / (coal_output / 100) END}
], recursive := true)) u
UNION ALL
SELECT 'deaths_per_100m_gdp', $city, sd.sector, sd.win, '', CASE WHEN stc.gdp > 0 THEN sd.deaths / stc.gdp END
FROM sector_deaths sd CROSS JOIN stc
UNION ALL
SELECT 'road_deaths_per_10k_vehicles', $city, 'road_transport', r.win, '', r.value
FROM (SELECT win, CASE WHEN stc.motor_vehicles > 0 THEN dc.road / stc.motor_vehicles * 10000 END AS value FROM dc CROSS JOIN stc) r
UNION ALL
SELECT 'coal_deaths_per_mt', $city, 'coal_mine', c.win, '', c.value
FROM (SELECT win, CASE WHEN stc.coal_output > 0 THEN dc.coal / (stc.coal_output / 100) END AS value FROM dc CROSS JOIN stc) c
