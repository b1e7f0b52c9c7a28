package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/safetyrisk/safetyrisk"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// csvFiles lists the *.csv files directly in dir, sorted.
func csvFiles(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.csv in %s", dir)
	}
	return files, nil
}

// utf8Copies writes a UTF-8 copy of every CSV of -in into -out: a file that is valid
// UTF-8 is copied as it is, any other is read as GB18030 (a superset of GBK).
func utf8Copies(args []string) error {
	fs := flag.NewFlagSet("utf8", flag.ExitOnError)
	in := fs.String("in", "", "inbox directory")
	out := fs.String("out", "", "directory of the UTF-8 copies")
	fs.Parse(args)
	files, err := csvFiles(*in)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := utf8Copy(f, filepath.Join(*out, filepath.Base(f))); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	return nil
}

func utf8Copy(src, dst string) error {
	gbk, err := notUTF8(src)
	if err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst + ".tmp")
	if err != nil {
		return err
	}
	var r io.Reader = in
	if gbk {
		r = transform.NewReader(in, simplifiedchinese.GB18030.NewDecoder())
	}
	if _, err := io.Copy(out, bufio.NewReaderSize(r, 1<<20)); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(dst+".tmp", dst)
}

// notUTF8 reports whether the first 64 KB of a file are not valid UTF-8 (a cut rune at
// the end of the window aside).
func notUTF8(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	b := make([]byte, 64<<10)
	n, err := io.ReadFull(f, b)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	b = b[:n]
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return !utf8.Valid(b), nil
}

// header returns the column names of a UTF-8 CSV's first line, without a BOM.
func header(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, err
	}
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	line = bytes.TrimRight(line, "\r\n")
	return strings.Split(string(line), ","), nil
}

// varcharColumns is the columns= of read_csv for a header: every column VARCHAR, the
// cheapest reading DuckDB can do (no type to parse), so the floor is a strict one.
func varcharColumns(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = quote(n) + ": 'VARCHAR'"
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func openDuck() (*sql.DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec("SET preserve_insertion_order = false"); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// inboxCopy is the ingest floor: COPY (SELECT * FROM read_csv(file, columns=...)) TO
// file.parquet for every CSV of -in (UTF-8 copies), one after the other, each COPY
// using all of DuckDB's threads.
func inboxCopy(args []string) error {
	fs := flag.NewFlagSet("inbox", flag.ExitOnError)
	in := fs.String("in", "", "directory of UTF-8 CSV files")
	out := fs.String("out", "", "directory to write Parquet files into")
	fs.Parse(args)
	files, err := csvFiles(*in)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	db, err := openDuck()
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	var total int64
	for _, f := range files {
		names, err := header(f)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		dst := filepath.Join(*out, strings.TrimSuffix(filepath.Base(f), ".csv")+".parquet")
		// The file names are the helper's own arguments; read_csv and COPY take no bound
		// parameters for them, so they are quoted as SQL string literals.
		q := fmt.Sprintf(`COPY (SELECT * FROM read_csv(%s, header = true, delim = ',', quote = '"', columns = %s))
			TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 131072)`, quote(f), varcharColumns(names), quote(dst))
		r, err := db.Exec(q)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		n, _ := r.RowsAffected()
		total += n
	}
	fmt.Printf("duckdb inbox: %d files, %d rows in %.2fs\n", len(files), total, time.Since(start).Seconds())
	return nil
}

// partitionCopy is the transform floor: every table's raw Parquet files copied to
// -out/<table>/, partitioned by the year of the table's time column as curated/ is
// (one file for a table without one), with no dedup, join or check.
func partitionCopy(args []string) error {
	fs := flag.NewFlagSet("partition", flag.ExitOnError)
	lake := fs.String("lake", "", "lake directory (reads raw/<table>/)")
	out := fs.String("out", "", "directory to write into")
	fs.Parse(args)
	db, err := openDuck()
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	var total int64
	for _, t := range safetyrisk.Tables() {
		glob := filepath.Join(*lake, "raw", t.Name, "**", "*.parquet")
		if m, _ := filepath.Glob(filepath.Join(*lake, "raw", t.Name, "*", "*.parquet")); len(m) == 0 {
			continue
		}
		src := fmt.Sprintf("read_parquet(%s, hive_partitioning = false, union_by_name = true)", quote(glob))
		var q string
		if t.TimeCol == "" {
			if err := os.MkdirAll(filepath.Join(*out, t.Name), 0o755); err != nil {
				return err
			}
			q = fmt.Sprintf(`COPY (SELECT * FROM %s) TO %s (FORMAT parquet, COMPRESSION zstd)`,
				src, quote(filepath.Join(*out, t.Name, "part-0.parquet")))
		} else {
			q = fmt.Sprintf(`COPY (SELECT *, year(%s) AS year FROM %s) TO %s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year))`,
				t.TimeCol, src, quote(filepath.Join(*out, t.Name)))
		}
		r, err := db.Exec(q)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		n, _ := r.RowsAffected()
		total += n
	}
	fmt.Printf("duckdb partition: %d rows in %.2fs\n", total, time.Since(start).Seconds())
	return nil
}
