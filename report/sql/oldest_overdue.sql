-- oldest_overdue: the ten major hazards overdue longest at as_of (M24): found by as_of, not rectified by
--   as_of, deadline before as_of (the rule of overdue_trend.sql), oldest deadline first; total is the
--   whole stock.
-- params: $as_of (DATE text); table majors (majors.sql: the scope's major hazards)
-- output: hazard_id, region, sector, enterprise, found_on, deadline, days_overdue,
--   listed_supervision, total
WITH e AS (
    SELECT enterprise_id, any_value(name) AS name FROM enterprises GROUP BY enterprise_id
)
SELECT h.hazard_id, h.region, coalesce(h.sector, '') AS sector,
       coalesce(e.name, h.enterprise_id, '') AS enterprise,
       strftime(h.found_on, '%Y-%m-%d') AS found_on, strftime(h.deadline, '%Y-%m-%d') AS deadline,
       date_diff('day', h.deadline, $as_of::DATE) AS days_overdue,
       coalesce(h.listed_supervision, false) AS listed_supervision,
       count(*) OVER () AS total
FROM majors h
LEFT JOIN e ON e.enterprise_id = h.enterprise_id
WHERE h.found_on <= $as_of::DATE AND h.deadline < $as_of::DATE
  AND NOT coalesce(h.rectified_on <= $as_of::DATE, h.status IN ('rectified', 'verified'))
ORDER BY h.deadline, h.found_on, h.hazard_id
LIMIT 10
