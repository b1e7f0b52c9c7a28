-- sandbox_parse: parse (and only parse) an analyst's statement: DuckDB's serializer
-- accepts SELECT statements (with DESCRIBE, SHOW, SUMMARIZE, VALUES, set operations)
-- and nothing else, and runs none of them.
--
-- Parameters (bound): $1 the statement text.
-- Output columns: error BOOLEAN (not parsable, or not a SELECT), statements BIGINT
--   (how many statements the text holds), message VARCHAR (the parser's reason).
-- Measure: the read-only sandbox of "safetyrisk sql".
SELECT coalesce(CAST(j ->> 'error' AS BOOLEAN), true) AS error,
       coalesce(json_array_length(j, '$.statements'), 0) AS statements,
       coalesce(j ->> 'error_message', '') AS message
FROM (SELECT json_serialize_sql(CAST($1 AS VARCHAR)) AS j)
