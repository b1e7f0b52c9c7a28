-- checks_write: the check results of a run as a Parquet file.
--
-- Parameters (template): .Target the quoted temporary path in lake/checks/.
--   Temporary table check_results, filled by check_insert.sql.
-- Output columns: run_id VARCHAR, as_of DATE, table VARCHAR, check VARCHAR, column
--   VARCHAR, status VARCHAR (pass, warn, fail), failures BIGINT (rows or keys), detail VARCHAR.
-- Measure: the data-quality checks that "safetyrisk check" prints.
COPY (SELECT * FROM check_results ORDER BY seq) TO {{.Target}} (FORMAT parquet, COMPRESSION zstd)
