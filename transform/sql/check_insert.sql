-- check_insert: the check results, in one statement (one per result cost a commit each:
-- 0.15 s of a transform of a few rows).
--
-- Parameters (template): . a slice with one element per result. Bound: nine per result,
--   in order: seq, run_id, as_of DATE, table, check, column, status, failures, detail.
-- Output: one row per result into check_results.
-- Measure: the data-quality checks that "safetyrisk check" prints.
INSERT INTO check_results VALUES
{{- range $i, $_ := .}}{{if $i}},{{end}}
  (?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?)
{{- end}}
