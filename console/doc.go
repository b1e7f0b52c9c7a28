// Package console is the analysts' read-only SQL console ("safetyrisk sql") over a
// lake's catalog (lake/catalog.duckdb, built by transform).
//
// Start runs a worker: the program itself, started again with WorkerEnv set, which
// calls ServeWorker. The worker confines itself with Landlock (it can read the lake and
// write only the session's temporary folder), opens the catalog read-only with
// DuckDB's configuration locked, and for each statement lets DuckDB's own parser
// extract exactly one statement, checks the prepared statement's type, and streams the
// result of that same prepared statement back in the session's format (table, CSV with
// formula escapes, or JSON), chunk by chunk, within row and byte caps. It reads the
// lake and writes nothing but the session's temporary folder, which Close removes.
//
// docs/console.md describes the layers, what each stops, and how to use the catalog
// from a DuckDB client.
package console
