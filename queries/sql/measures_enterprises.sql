-- family: enterprises' insurance and published risk assessments (the measures register)
-- ids: liability_insurance_coverage, risk_published_ratio
-- measures: both are states at as_of, with the window $state_window (docs/rules.md, State and flow) (the lake keeps no history of enterprises).
--   liability_insurance_coverage (M26): operating enterprises (status operating) in the profile's hazardous
--   sectors with liability_insurance true (unknown counts as not insured) / those enterprises.
--   risk_published_ratio (M22: the annual assessment result is published): operating enterprises with a
--   risk assessment published (published true) and assessed in the 365 days ending on as_of / operating
--   enterprises.
-- unit: ratio 0..1
-- worse: down
-- M: M22, M26
-- params: $as_of DATE, $city VARCHAR, $hazardous VARCHAR (comma-separated sector codes), $state_window VARCHAR ('as_of')
-- records liability_insurance_coverage: enterprises_insured where status = 'operating'
--   AND list_contains(string_split($hazardous, ','), sector)
-- records risk_published_ratio: assessments where published AND assessed_on BETWEEN $as_of - INTERVAL 364 DAY
--   AND $as_of
-- output: indicator, region, sector, win, dim_value, value
WITH ent AS (
    SELECT e.enterprise_id, e.region, e.sector,
           list_contains(string_split($hazardous, ','), e.sector) AS hazardous,
           coalesce(e.liability_insurance, false) AS insured,
           EXISTS (SELECT 1 FROM risk_assessments r
                   WHERE r.enterprise_id = e.enterprise_id AND coalesce(r.published, false)
                     AND r.assessed_on BETWEEN ($as_of - INTERVAL 364 DAY)::DATE AND $as_of) AS published
    FROM enterprises e
    WHERE e.status = 'operating'
),
g AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE hazardous) AS haz,
           count(*) FILTER (WHERE hazardous AND insured) AS haz_insured,
           count(*) AS n,
           count(*) FILTER (WHERE published) AS pub
    FROM ent
    GROUP BY GROUPING SETS ((region), (sector), ())
)
SELECT 'liability_insurance_coverage' AS indicator, region, sector, $state_window AS win, '' AS dim_value,
       CASE WHEN haz > 0 THEN haz_insured / haz END AS value
FROM g
UNION ALL
SELECT 'risk_published_ratio', region, sector, $state_window, '', pub / n FROM g
