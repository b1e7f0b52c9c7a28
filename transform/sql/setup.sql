-- setup: the run's parameters as temporary tables that the curated queries join.
--
-- Parameters (bound): $1 as_of DATE (the run's as-of day, in the profile's time zone),
--   $2 min_fatal_loss DOUBLE (yuan: a fatal accident with a smaller loss is implausible).
-- Output: run_params(as_of DATE, min_fatal_loss DOUBLE); fine_ranges(grade VARCHAR, min_yuan DOUBLE,
--   max_yuan DOUBLE, max_serious_yuan DOUBLE), filled by fine_range.sql.
-- Measure: hazards_overdue (M24) needs as_of; fine ranges of Work Safety Law art. 114; the
--   implausible-money check (docs/rules.md, Money).
CREATE OR REPLACE TEMP TABLE run_params AS SELECT CAST($1 AS DATE) AS as_of, CAST($2 AS DOUBLE) AS min_fatal_loss;
