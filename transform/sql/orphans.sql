-- orphans: the ids one table refers to that the table it refers to lacks, one hash
-- slice at a time.
--
-- Parameters (template): .Name (the temporary table to add to, one VARCHAR column
--   named .Column), .Column (the referring column; the referred table's key has the
--   same name), .Files (the referring table's raw batch files, a SQL list of quoted
--   paths), .Ref (a read_parquet call on the referred table's curated files).
--   Bound: $1 the number of slices, $2 this slice (0 .. $1-1).
-- Output: the distinct ids of the slice that are not keys of the referred table.
-- Measure: relationships (hazard -> inspection, M24 stock). A curated row of the
--   referring table is an orphan exactly when its id is in the table (its rows are a
--   subset of the raw rows). Slicing by the hash of the id keeps each anti-join's hash
--   table to a part of the referred keys: at 50 times a city's data the 9.4 million
--   inspection ids in one hash table outgrow the memory limit and spill, which doubled
--   the hazards' curation time.
INSERT INTO {{ident .Name}}
SELECT DISTINCT CAST(r.{{ident .Column}} AS VARCHAR)
FROM read_parquet({{.Files}}, hive_partitioning = true, hive_types = {'batch': VARCHAR}, union_by_name = true) AS r
WHERE r.{{ident .Column}} IS NOT NULL
  AND hash(CAST(r.{{ident .Column}} AS VARCHAR)) % CAST($1 AS UBIGINT) = CAST($2 AS UBIGINT)
  AND CAST(r.{{ident .Column}} AS VARCHAR) NOT IN (
    SELECT k.{{ident .Column}}
    FROM {{.Ref}} AS k
    WHERE k.{{ident .Column}} IS NOT NULL
      AND hash(k.{{ident .Column}}) % CAST($1 AS UBIGINT) = CAST($2 AS UBIGINT)
  )
