-- overlap: whether two raw batches of a table may carry the same key, from the range of
-- the first key column in each batch.
--
-- Parameters (template): .Key (the first key column), .Type (its lake type), .Files (the
--   raw batch files, a SQL list of quoted paths).
-- Output columns: overlaps BIGINT, the pairs of batches whose ranges of the first key
--   column intersect (0: no key is in two batches, so dedup.sql needs no newest-batch
--   join).
-- Measure: "one truth per record" (dedup.sql). A key in two batches has its first column
--   in both batches' ranges, so 0 is exact; yearly files of increasing ids never overlap,
--   a corrected file re-ingested does. One pass over two columns (10 million rows: about
--   1 s) replaces the aggregate of every key (10 s of CPU and most of the memory limit).
WITH ranges AS (
  SELECT CAST(batch AS VARCHAR) AS b, min(CAST({{ident .Key}} AS {{.Type}})) AS lo, max(CAST({{ident .Key}} AS {{.Type}})) AS hi
  FROM read_parquet({{.Files}}, hive_partitioning = true, hive_types = {'batch': VARCHAR}, union_by_name = true)
  GROUP BY ALL
)
SELECT count(*) AS overlaps
FROM ranges AS x
JOIN ranges AS y ON x.b < y.b AND x.lo <= y.hi AND y.lo <= x.hi
