-- fine_ranges: the statutory range of a unit's fine for an accident of each grade.
--
-- Parameters: none. Rows are inserted by fine_range.sql with values bound from
--   safetyrisk.AccidentFineRange (Work Safety Law 2021 art. 114).
-- Output: fine_ranges(grade VARCHAR, min_yuan DOUBLE, max_yuan DOUBLE,
--   max_serious_yuan DOUBLE), yuan.
-- Measure: the fine_out_of_range flag of enforcement.sql.
CREATE OR REPLACE TEMP TABLE fine_ranges (grade VARCHAR, min_yuan DOUBLE, max_yuan DOUBLE, max_serious_yuan DOUBLE);
