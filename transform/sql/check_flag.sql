-- check_flag: rows that a derived flag marks: dbt's "relationships" test (orphan,
-- orphan_inspection, orphan_accident) and the domain's data warnings (grade_mismatch,
-- fine_out_of_range, implausible_loss, an occurrence time not known).
--
-- Parameters (template): .Source, .Flag the BOOLEAN column, .Key the key, .Ref the
--   referring column shown in the detail, .Not to count the rows where the flag is false
--   (occurred_time_known).
-- Output columns: failures BIGINT (rows flagged), detail VARCHAR (up to five
--   "key -> referred id" pairs).
-- Measure: relationships across tables (an orphan is kept, counted and reported);
--   Decree 493 art. 3 (stated grade), Work Safety Law art. 114 (fine range).
SELECT count(*) AS failures,
       coalesce(array_to_string(list_sort(list(
         CAST({{ident (index .Key 0)}} AS VARCHAR) || ' -> ' || coalesce(CAST({{ident .Ref}} AS VARCHAR), 'NULL')
       ))[1:5], ', '), '') AS detail
FROM {{.Source}}
WHERE {{if .Not}}NOT {{end}}{{ident .Flag}}
