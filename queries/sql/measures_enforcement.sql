-- family: 打非治违 and repeat offenders (the measures register)
-- ids: illegal_subcontracting_cases, subcontracting_accident_cases, closure_candidates, max_penalty_share
-- measures: illegal_subcontracting_cases (M36, M37): enforcement cases decided in the window (decided_on, up to
--   as_of) with illegal_subcontracting true; subcontracting_accident_cases (M37): those with an accident_id.
--   max_penalty_share (M43, M44): cases of the window with a fine for an accident (accident_id of a graded
--   accident); those whose fine reaches the ceiling of the accident's grade under Work Safety Law art. 114
--   (general 1,000,000, large 2,000,000, major 10,000,000, extraordinary 20,000,000 yuan; a fine above it, for
--   an especially serious case, counts as at the ceiling) / those cases. Fines not for an accident are left
--   out: their ceiling depends on the article breached, which legal_basis gives only as free text.
--   closure_candidates (M44, Work Safety Law art. 113(1): a unit with a major accident hazard penalised 3
--   times within 180 days or 4 times within a year is proposed for closure): a state at as_of, with the
--   window $state_window. A penalty is a case decided by as_of with an administrative penalty of the law (warning,
--   fine, confiscation, suspension, closure, revocation, daily_penalty; not detention or transfer), decided
--   while the enterprise had a major hazard open (found on or before the decision, not rectified before
--   it). Enterprises with >= 3 such penalties in the 180 days ending on as_of, or >= 4 in the 365 days ending
--   on as_of; region and sector of the enterprise's latest case.
-- unit: counts; ratio 0..1
-- worse: illegal_subcontracting_cases -, subcontracting_accident_cases up, closure_candidates up, max_penalty_share -
-- M: M36, M37, M43, M44
-- params: $as_of DATE, $lo DATE, $city VARCHAR, $state_window VARCHAR ('as_of'); table windows(win, lo, hi)
-- records illegal_subcontracting_cases: enforcement_sub where illegal_subcontracting
-- records subcontracting_accident_cases: enforcement_sub where illegal_subcontracting
--   AND accident_id IS NOT NULL
-- records closure_candidates: enforcement_sub where x.decided_on BETWEEN $as_of - INTERVAL 364 DAY
--   AND $as_of AND len(list_intersect(string_split(x.actions, ','), ['warning', 'fine', 'confiscation',
--   'suspension', 'closure', 'revocation', 'daily_penalty'])) > 0
--   AND EXISTS (SELECT 1 FROM hazards h WHERE h.enterprise_id = x.enterprise_id AND h.level = 'major'
--   AND h.found_on <= x.decided_on AND (h.rectified_on > x.decided_on OR (h.rectified_on IS NULL
--   AND h.status IN ('open', 'rectifying')))) AND enterprise_id IN (SELECT enterprise_id FROM enforcement x
--   WHERE x.decided_on BETWEEN $as_of - INTERVAL 364 DAY AND $as_of
--   AND len(list_intersect(string_split(x.actions, ','), ['warning', 'fine', 'confiscation', 'suspension',
--   'closure', 'revocation', 'daily_penalty'])) > 0 AND EXISTS (SELECT 1 FROM hazards h WHERE h.enterprise_id =
--   x.enterprise_id AND h.level = 'major' AND h.found_on <= x.decided_on AND (h.rectified_on > x.decided_on
--   OR (h.rectified_on IS NULL AND h.status IN ('open', 'rectifying')))) GROUP BY enterprise_id HAVING count(*)
--   FILTER (WHERE decided_on >= $as_of - INTERVAL 179 DAY) >= 3 OR count(*) >= 4)
-- records max_penalty_share: enforcement_sub where fine > 0 AND accident_id IN (SELECT accident_id FROM
--   accidents WHERE grade IS NOT NULL)
-- output: indicator, region, sector, win, dim_value, value
WITH c AS (
    SELECT w.win, x.region, x.sector, x.fine, x.accident_id,
           coalesce(x.illegal_subcontracting, false) AS sub
    FROM enforcement x JOIN windows w ON x.decided_on BETWEEN w.lo AND w.hi
    WHERE x.decided_on BETWEEN $lo AND $as_of
),
cm AS (
    SELECT c.*,
           c.fine >= CASE a.grade WHEN 'general' THEN 1000000 WHEN 'large' THEN 2000000
                                  WHEN 'major' THEN 10000000 WHEN 'extraordinary' THEN 20000000 END AS at_max,
           a.grade IS NOT NULL AND c.fine > 0 AS acc_fine
    FROM c LEFT JOIN accidents a ON a.accident_id = c.accident_id
),
gc AS (
    SELECT win,
           CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) FILTER (WHERE sub) AS sub,
           count(*) FILTER (WHERE sub AND accident_id IS NOT NULL) AS sub_acc,
           count(*) FILTER (WHERE acc_fine) AS acc_fines,
           count(*) FILTER (WHERE acc_fine AND at_max) AS at_max
    FROM cm
    GROUP BY GROUPING SETS ((win, region), (win, sector), (win))
),
pen AS (
    SELECT x.enterprise_id, x.region, x.sector, x.decided_on
    FROM enforcement x
    WHERE x.decided_on BETWEEN ($as_of - INTERVAL 364 DAY)::DATE AND $as_of
      AND len(list_intersect(string_split(x.actions, ','),
              ['warning', 'fine', 'confiscation', 'suspension', 'closure', 'revocation', 'daily_penalty'])) > 0
      AND EXISTS (SELECT 1 FROM hazards h
                  WHERE h.enterprise_id = x.enterprise_id AND h.level = 'major' AND h.found_on <= x.decided_on
                    AND (h.rectified_on > x.decided_on
                         OR (h.rectified_on IS NULL AND h.status IN ('open', 'rectifying'))))
),
cand AS (
    SELECT enterprise_id, arg_max(region, decided_on) AS region, arg_max(sector, decided_on) AS sector
    FROM pen
    GROUP BY enterprise_id
    HAVING count(*) FILTER (WHERE decided_on >= ($as_of - INTERVAL 179 DAY)::DATE) >= 3 OR count(*) >= 4
),
gk AS (
    SELECT CASE WHEN grouping(region) = 1 THEN $city ELSE region END AS region,
           CASE WHEN grouping(sector) = 1 THEN 'all' ELSE sector END AS sector,
           count(*) AS n
    FROM cand
    GROUP BY GROUPING SETS ((region), (sector), ())
)
SELECT 'illegal_subcontracting_cases' AS indicator, region, sector, win, '' AS dim_value, sub::DOUBLE AS value FROM gc
UNION ALL
SELECT 'subcontracting_accident_cases', region, sector, win, '', sub_acc::DOUBLE FROM gc
UNION ALL
SELECT 'max_penalty_share', region, sector, win, '', CASE WHEN acc_fines > 0 THEN at_max / acc_fines END FROM gc
UNION ALL
SELECT 'closure_candidates', region, sector, $state_window, '', n::DOUBLE FROM gk
