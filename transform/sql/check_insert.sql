-- check_insert: one check result.
--
-- Parameters (bound): $1 seq, $2 run_id, $3 as_of DATE, $4 table, $5 check, $6 column,
--   $7 status, $8 failures, $9 detail.
-- Output: one row into check_results.
-- Measure: the data-quality checks that "safetyrisk check" prints.
INSERT INTO check_results VALUES ($1, $2, CAST($3 AS DATE), $4, $5, $6, $7, $8, $9)
