-- majors: the major hazards with a deadline (of the scope), read once into a temporary table that
--   overdue_trend.sql and oldest_overdue.sql then read, so that a large lake's hazards are scanned once
--   (only the columns those need: no free text).
-- params: $region ('' for the whole city)
-- output: temp table majors
CREATE OR REPLACE TEMP TABLE majors AS
SELECT hazard_id, region, sector, enterprise_id, found_on, deadline, rectified_on, status, listed_supervision
FROM hazards
WHERE level = 'major' AND deadline IS NOT NULL AND ($region = '' OR region = $region)
