-- fine_range: one grade's range of Work Safety Law art. 114.
--
-- Parameters (bound): $1 grade code, $2 minimum, $3 ordinary maximum, $4 maximum when
--   especially serious (five times), yuan.
-- Output: one row into fine_ranges.
-- Measure: the fine_out_of_range flag of enforcement.sql.
INSERT INTO fine_ranges VALUES ($1, $2, $3, $4);
