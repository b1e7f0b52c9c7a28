package console

import (
	"fmt"
	"regexp"
	"strings"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// RefusedError is a statement the console will not run.
type RefusedError struct {
	Statement string // what was refused: COPY, ATTACH, 2 statements, enable_profiling(), ...
	Reason    string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("refused: %s: %s", e.Statement, e.Reason)
}

const readOnlyReason = "the SQL console is read-only: only SELECT (with DESCRIBE, SHOW, SUMMARIZE, PIVOT) and EXPLAIN run"

// firstWords are the keywords a read-only statement may start with. This is only a
// filter before DuckDB prepares the statement (preparing EXPORT DATABASE already
// creates its directory); the prepared statement's type is what decides.
var firstWords = map[string]bool{
	"select": true, "with": true, "from": true, "values": true, "table": true, "describe": true,
	"show": true, "summarize": true, "explain": true, "pivot": true, "unpivot": true, "(": true,
}

// deniedNames are table functions and named parameters that change settings, write
// files or run SQL text the checker never saw. They are refused wherever the word
// appears, in any quoting or case, as the last layer: DuckDB grows new functions in
// every release, so the operating system's confinement and the locked configuration
// come first and this list only narrows what reaches them.
var deniedNames = []string{
	"enable_profiling", "disable_profiling", "enable_logging", "disable_logging", "truncate_duckdb_logs",
	"enable_peg_parser", "disable_peg_parser", "check_peg_parser", "allow_parser_override_extension",
	"checkpoint", "force_checkpoint", "json_execute_serialized_sql", "query_table",
	"save_location", "storage_path", "storage_config", "profile_output", "profiling_output",
	"logging_storage", "log_query_path", "custom_profiling_settings",
}

var (
	deniedWord = regexp.MustCompile(`(?i)\b(` + strings.Join(deniedNames, "|") + `)\b`)
	// query('...') runs SQL text; as a plain word (a column called query) it is fine.
	queryCall = regexp.MustCompile(`(?is)\bquery\b(\s|"|/\*.*?\*/|--[^\n]*\n)*\(`)
	// Unicode-escaped identifiers (U&"\0071uery") could spell any name.
	unicodeIdent = regexp.MustCompile(`(?i)\bu&["']`)
	leadingNoise = regexp.MustCompile(`^(\s|/\*(?s:.*?)\*/|--[^\n]*(\n|$))*`)
	explainOpts  = regexp.MustCompile(`(?i)^explain(\s|/\*(?s:.*?)\*/|--[^\n]*\n)*(analy[sz]e|\()`)
)

// precheck looks at the text before DuckDB parses it: the names of deniedNames, and a
// first keyword of a read-only statement.
func precheck(text string) error {
	if m := deniedWord.FindString(text); m != "" {
		return &RefusedError{Statement: strings.ToLower(m), Reason: "it changes settings, writes files or runs other SQL"}
	}
	if queryCall.MatchString(text) {
		return &RefusedError{Statement: "query()", Reason: "it runs SQL text the console has not checked"}
	}
	if unicodeIdent.MatchString(text) {
		return &RefusedError{Statement: `U&"..."`, Reason: "escaped identifiers are not accepted in the console"}
	}
	rest := leadingNoise.ReplaceAllString(text, "")
	word := strings.ToLower(firstWord(rest))
	if !firstWords[word] {
		return &RefusedError{Statement: strings.ToUpper(word), Reason: readOnlyReason}
	}
	if word == "explain" && explainOpts.MatchString(rest) {
		return &RefusedError{Statement: "EXPLAIN ANALYZE", Reason: "it runs the statement; use EXPLAIN"}
	}
	return nil
}

func firstWord(s string) string {
	if strings.HasPrefix(s, "(") {
		return "("
	}
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if end < 0 {
		return s
	}
	if end == 0 {
		return s[:1]
	}
	return s[:end]
}

// statementNames names the statement types for messages.
var statementNames = map[bindings.StatementType]string{
	bindings.StatementTypeSelect: "SELECT", bindings.StatementTypeInsert: "INSERT", bindings.StatementTypeUpdate: "UPDATE",
	bindings.StatementTypeExplain: "EXPLAIN", bindings.StatementTypeDelete: "DELETE", bindings.StatementTypePrepare: "PREPARE",
	bindings.StatementTypeCreate: "CREATE", bindings.StatementTypeExecute: "EXECUTE", bindings.StatementTypeAlter: "ALTER",
	bindings.StatementTypeTransaction: "TRANSACTION", bindings.StatementTypeCopy: "COPY", bindings.StatementTypeAnalyze: "ANALYZE",
	bindings.StatementTypeVariableSet: "SET VARIABLE", bindings.StatementTypeCreateFunc: "CREATE FUNCTION", bindings.StatementTypeDrop: "DROP",
	bindings.StatementTypeExport: "EXPORT", bindings.StatementTypePragma: "PRAGMA", bindings.StatementTypeVacuum: "VACUUM",
	bindings.StatementTypeCall: "CALL", bindings.StatementTypeSet: "SET", bindings.StatementTypeLoad: "LOAD/INSTALL",
	bindings.StatementTypeRelation: "RELATION", bindings.StatementTypeExtension: "EXTENSION", bindings.StatementTypeLogicalPlan: "LOGICAL PLAN",
	bindings.StatementTypeAttach: "ATTACH", bindings.StatementTypeDetach: "DETACH", bindings.StatementTypeMulti: "MULTI",
}

// checkType accepts the prepared statement's type when it only reads.
func checkType(t bindings.StatementType) error {
	if t == bindings.StatementTypeSelect || t == bindings.StatementTypeExplain {
		return nil
	}
	name := statementNames[t]
	if name == "" {
		name = fmt.Sprintf("statement type %d", t)
	}
	return &RefusedError{Statement: name, Reason: readOnlyReason}
}
