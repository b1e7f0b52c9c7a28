-- family: governance and staff
-- ids: qualified_staff_ratio, meeting_compliance
-- measures: qualified_staff_ratio: active enforcement officers (active true or unknown) with emergency-management
--   education, a professional qualification, or at least $min_experience_years years of practice, over active
--   officers; a stock (the staff table has no dates): the same value in every window; target 0.75 (M51).
--   meeting_compliance: for each region of the profile and each half-year lying wholly inside the window, a
--   party committee standing committee meeting and a government executive meeting on work safety are
--   required (M2, M9): required meetings held / required meetings; the city total is over its regions'
--   requirements. A window with no whole half-year has no denominator and gives no row.
--   Neither has a sector breakdown (officers and meetings belong to regions): rows (region, all), (city, all).
-- unit: ratio 0..1
-- worse: down
-- M: M2, M9, M51
-- params: $as_of DATE, $city VARCHAR, $regions VARCHAR (comma-separated region codes),
--   $min_experience_years INTEGER; table windows(win, lo, hi)
-- records qualified_staff_ratio: staff
-- records meeting_compliance: governance where kind IN ('party_committee_meeting', 'government_meeting')
-- output: indicator, region, sector, win, dim_value, value
WITH s AS (
    SELECT region,
           coalesce(qualified_education, false) OR coalesce(qualified_certificate, false)
               OR coalesce(experience_years >= $min_experience_years, false) AS ok
    FROM staff WHERE coalesce(active, true)
),
gs AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           count(*) FILTER (WHERE ok) / count(*) AS value
    FROM s GROUP BY GROUPING SETS ((region), ())
),
halves AS (
    SELECT win, h0, (h0 + INTERVAL 6 MONTH - INTERVAL 1 DAY)::DATE AS h1
    FROM (SELECT win, lo, hi, unnest(generate_series(date_trunc('year', lo), date_trunc('year', hi) + INTERVAL 6 MONTH, INTERVAL 6 MONTH))::DATE AS h0
          FROM windows)
    WHERE h0 >= lo AND (h0 + INTERVAL 6 MONTH - INTERVAL 1 DAY)::DATE <= hi
),
req AS (
    SELECT h.win, r.region, h.h0, h.h1, k.kind
    FROM halves h
    CROSS JOIN (SELECT unnest(string_split($regions, ',')) AS region) r
    CROSS JOIN (VALUES ('party_committee_meeting'), ('government_meeting')) k(kind)
),
met AS (
    SELECT q.win, q.region,
           EXISTS (SELECT 1 FROM governance g WHERE g.region = q.region AND g.kind = q.kind
                   AND g.held_on BETWEEN q.h0 AND q.h1 AND g.held_on <= $as_of) AS ok
    FROM req q
)
SELECT 'qualified_staff_ratio' AS indicator, gs.region, 'all' AS sector, w.win, '' AS dim_value, gs.value
FROM gs CROSS JOIN windows w
UNION ALL
SELECT 'meeting_compliance', CASE WHEN grouping(region) = 1 THEN $city ELSE region END, 'all', win, '',
       count(*) FILTER (WHERE ok) / count(*)
FROM met GROUP BY GROUPING SETS ((win, region), (win))
