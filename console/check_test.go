package console

import (
	"errors"
	"testing"
)

// TestPrecheck: the last layer's name list and first-keyword filter, in any quoting
// or case; read-only statements pass.
func TestPrecheck(t *testing.T) {
	refused := []string{
		"SELECT * FROM enable_profiling()",
		`SELECT * FROM "Enable_Profiling"()`,
		"select * from main.enable_logging(storage_path := 'x')",
		"SELECT * FROM ENABLE_PEG_PARSER()",
		"SELECT * FROM query('COPY x TO ''y''')",
		"SELECT * FROM query\n/* c */ ('ATTACH ''y''')",
		"SELECT * FROM \"query\"('SELECT 1')",
		`SELECT * FROM U&"\0071uery"('SELECT 1')`,
		"SELECT * FROM json_execute_serialized_sql('x')",
		"COPY t TO 'x'",
		"  -- comment\n/* block */ ATTACH 'x'",
		"EXPLAIN ANALYZE SELECT 1",
		"explain /* x */ analyse SELECT 1",
		"EXPLAIN (FORMAT json, ANALYZE) SELECT 1",
		"SET x = 1",
		"CALL checkpoint()",
		"PRAGMA version",
	}
	for _, q := range refused {
		var re *RefusedError
		if err := precheck(q); !errors.As(err, &re) {
			t.Errorf("%q: %v, want a refusal", q, err)
		}
	}
	allowed := []string{
		"SELECT 1",
		"  -- a comment\nWITH x AS (SELECT 2) SELECT * FROM x",
		"/* c */ (SELECT 1) UNION ALL (SELECT 2)",
		"FROM hazards",
		"DESCRIBE hazards",
		"SHOW TABLES",
		"SUMMARIZE accidents",
		"EXPLAIN SELECT 1",
		"PIVOT hazards ON level USING count(*)",
		"VALUES (1), (2)",
		"SELECT query FROM t", // a column called query is not the query() function
	}
	for _, q := range allowed {
		if err := precheck(q); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}
