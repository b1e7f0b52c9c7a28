-- checks_table: the temporary table the check results are collected in.
--
-- Parameters: none.
-- Output: check_results(seq, run_id, as_of, table, check, column, status, failures, detail).
-- Measure: the data-quality checks that "safetyrisk check" prints.
CREATE OR REPLACE TEMP TABLE check_results (
  seq BIGINT, run_id VARCHAR, as_of DATE, "table" VARCHAR, "check" VARCHAR, "column" VARCHAR,
  status VARCHAR, failures BIGINT, detail VARCHAR
)
