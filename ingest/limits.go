package ingest

// Bounds on what one source file may hold (docs/ingest.md). They keep a hostile or
// broken file from taking the machine's memory: every reader refuses or quarantines
// what is larger before it holds it whole.
const (
	// maxCellBytes is the largest cell, in bytes of UTF-8: Excel itself holds at most
	// 32,767 characters in a cell, which is at most 128 KiB.
	maxCellBytes = 128 << 10
	// maxRowBytes is the largest record: a CSV line, a JSON object or NDJSON line, the
	// cells of a spreadsheet row.
	maxRowBytes = 1 << 20
	// maxRowCells is the most cells with a value that a spreadsheet row may have
	// (styled empty cells do not count): the tables have at most sixteen columns.
	maxRowCells = 1024
	// batchBytes closes a batch of records early when its cells add up to this, so that
	// the batches in flight hold a few tens of megabytes whatever the rows' size.
	batchBytes = 4 << 20
	// rowGroupBytes closes a raw row group early when the source text of its rows adds
	// up to this (the row group is held in memory until it is written).
	rowGroupBytes = 64 << 20
	// maxXLSXPartBytes bounds the uncompressed size of a workbook's parts.
	maxXLSXPartBytes = 4 << 30
	// xlsxXMLInMemory is the size above which excelize unzips a sheet or the shared
	// strings to a temporary file and streams it, instead of holding it in memory.
	xlsxXMLInMemory = 16 << 20
)
