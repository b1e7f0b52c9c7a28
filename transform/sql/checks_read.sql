-- checks_read: the check results of the last transform.
--
-- Parameters (template): .Source the quoted path of lake/checks/latest.parquet.
-- Output columns: run_id, as_of DATE, table, check, column, status, failures BIGINT, detail.
-- Measure: what "safetyrisk check" prints.
SELECT run_id, CAST(as_of AS VARCHAR), "table", "check", "column", status, failures, detail
FROM read_parquet({{.Source}})
ORDER BY seq
