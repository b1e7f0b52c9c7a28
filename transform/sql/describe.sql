-- describe: the column names of a table's raw batch files (union of all files).
--
-- Parameters (template): .Files the raw files, a SQL list of quoted paths.
-- Output columns: column_name VARCHAR (the hive partition column "batch" included).
-- Measure: none; robustness to a raw file of an older schema.
SELECT column_name
FROM (DESCRIBE SELECT * FROM read_parquet({{.Files}}, hive_partitioning = true, hive_types = {'batch': VARCHAR}, union_by_name = true))
