// Package ingest reads the source files a work-safety office has (CSV in UTF-8, UTF-8
// with a byte-order mark or GBK/GB18030; XLSX; JSON arrays and NDJSON), validates every
// row against its table's definition (safetyrisk.Tables) and the jurisdiction profile,
// and writes the lake's first layer (docs/architecture.md):
//
//	raw/<table>/batch=<batch_id>/part-00000.parquet   accepted rows, normalised and typed
//	quarantine/<table>/batch=<batch_id>.parquet       one record per error of each rejected row
//	manifest/batches.json                             one entry per ingested file
//
// Nothing is dropped silently: for every file, rows read = accepted + quarantined. A
// row with any error is quarantined whole, each error naming the file, the row, the
// column, the value and the rule (a reporter identity's value is never shown). A file
// whose structure cannot be read (no header naming a table, a wrong sheet, a truncated
// workbook, broken JSON) is refused whole and nothing of it is written. A file already
// in the manifest (same sha256) is skipped. Every file is written under a temporary name
// and renamed into place, and the raw batch directory is renamed complete, so a crash at
// any instant leaves no partial Parquet where a reader looks.
//
// Every physical line of a CSV file is accounted for: a quoted field that cannot close
// into a record makes its first line an error, and reading goes on at the next line.
// A byte that is not a character of the file's encoding is a row error (or, in a
// workbook, a refusal) and is never stored; cells, records, JSON elements and workbook
// parts are bounded (limits.go). docs/ingest.md says what and why.
//
// Reporter names, phones and ID numbers become lower-case hex HMAC-SHA256 under
// Config.PIIKey (M57); a file of any table with a header that names one is refused
// without a key, and with one keeps only hashes of those cells.
//
// Reading streams: a reader goroutine parses records into batches; workers validate
// them in parallel into column values; an ordered stage finds duplicate keys and writes
// the quarantine, and gives each batch back to its worker, which encodes it into its
// own raw row group (each row group in file order; the row groups of the workers
// interleave, _source_row orders the rows). Memory stays flat whatever the file's size
// (the duplicate-key set costs 8 to 16 bytes per row).
package ingest
