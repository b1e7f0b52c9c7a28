-- catalog_major_hazard_register: the register of open major hazards, for analysts: every major
-- hazard not rectified at the as-of date (the newest snapshot's, or today without one), with its
-- age, days overdue, listed supervision, 五落实 and whether its enterprise was ordered to stop
-- since the deadline. The same rules as queries/sql/measures_major_hazards.sql.
--
-- Parameters (template): .AsOf, the SQL expression of the as-of date (the newest snapshot's
--   as_of, or current_date).
-- Output: the view major_hazard_register(hazard_id, enterprise_id, enterprise_name, region, sector,
--   found_on, deadline, status, age_days, days_overdue, listed_supervision, five_implementations,
--   five_missing, suspended_since_deadline, as_of).
-- Measure: M24, M28 (major hazards listed, 五落实, refusing units stopped).
CREATE OR REPLACE VIEW major_hazard_register AS
WITH a AS (SELECT {{.AsOf}} AS as_of)
SELECT h.hazard_id, h.enterprise_id, e.name AS enterprise_name, h.region, h.sector, h.found_on, h.deadline, h.status,
       date_diff('day', h.found_on, a.as_of) AS age_days,
       CASE WHEN h.deadline < a.as_of THEN date_diff('day', h.deadline, a.as_of) END AS days_overdue,
       coalesce(h.listed_supervision, false) AS listed_supervision, h.five_implementations,
       NOT coalesce(h.five_implementations, false) OR h.deadline IS NULL AS five_missing,
       h.deadline IS NOT NULL AND EXISTS (SELECT 1 FROM enforcement x
               WHERE x.enterprise_id = h.enterprise_id AND x.decided_on BETWEEN h.deadline AND a.as_of
                 AND len(list_intersect(string_split(x.actions, ','), ['suspension', 'closure'])) > 0) AS suspended_since_deadline,
       a.as_of
FROM hazards h CROSS JOIN a
LEFT JOIN enterprises e ON e.enterprise_id = h.enterprise_id
WHERE h.level = 'major' AND h.found_on <= a.as_of
  AND (h.rectified_on > a.as_of OR (h.rectified_on IS NULL AND h.status IN ('open', 'rectifying')))
