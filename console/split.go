package console

import "strings"

// SplitStatements cuts text into statements ended by ";" outside string literals,
// quoted identifiers and comments. It returns the complete statements (each with its
// ";" removed and spaces trimmed) and the unfinished rest, so that a prompt can keep
// reading lines until a statement is complete. It only decides when to send text to
// the worker: a wrong cut is harmless, because the worker lets DuckDB's own parser
// extract the statements and refuses a text that holds more than one.
func SplitStatements(text string) (stmts []string, rest string) {
	start := 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(text) && text[j] != c {
				j++
			}
			if j >= len(text) {
				return stmts, text[start:] // an open literal: the statement goes on
			}
			i = j
		case strings.HasPrefix(text[i:], "--"):
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return stmts, text[start:]
			}
			i += end + 3
		case c == ';':
			if s := strings.TrimSpace(text[start:i]); s != "" {
				stmts = append(stmts, s)
			}
			start = i + 1
		}
	}
	return stmts, text[start:]
}
