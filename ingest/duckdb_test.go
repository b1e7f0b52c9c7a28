package ingest

// The only test file that links DuckDB: the raw Parquet that ingest writes is read back
// by the engine transform and the analysts use, and must give the source's values.

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk/lake"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDuckDBReadsSourceValues(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	gbk := filepath.Join(dir, "hazards_gbk.csv")
	writeGBK(t, gbk, gbkHazardsCSV)
	xlsx := filepath.Join(dir, "ledger.xlsx")
	writeTitleXLSX(t, xlsx)
	nd := filepath.Join(dir, "accidents.ndjson")
	if err := os.WriteFile(nd, []byte(accidentsNDJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	in := newTestIngester(t, lakeDir)
	rGBK := ingestOK(t, in, gbk)
	rXLSX := ingestOK(t, in, xlsx)
	inAcc := newTestIngester(t, lakeDir, func(c *Config) { c.Sheet = "事故" })
	rXLSXAcc := ingestOK(t, inAcc, xlsx)
	rND := ingestOK(t, in, nd)

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw := func(r Result) string {
		return filepath.Join(lake.RawBatchDir(lakeDir, r.Table, r.BatchID), lake.PartFile)
	}
	query := func(q string, args ...any) []string {
		t.Helper()
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, v := range vals {
				parts = append(parts, fmt.Sprint(v))
			}
			out = append(out, strings.Join(parts, "|"))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	us := func(y, mo, d, h, mi, s int) string {
		return fmt.Sprint(time.Date(y, time.Month(mo), d, h, mi, s, 0, shanghai).UnixMicro())
	}
	check := func(name string, got, want []string) {
		t.Helper()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", name, got, want)
		}
	}

	// Types as the contract in docs/architecture.md says DuckDB reads them.
	check("types", query(`SELECT typeof(found_on), typeof(listed_supervision), typeof(region), typeof(_source_row) FROM read_parquet(?) LIMIT 1`, raw(rGBK)),
		[]string{"DATE|BOOLEAN|VARCHAR|BIGINT"})
	check("time types", query(`SELECT typeof(occurred_at), typeof(deaths), typeof(direct_loss) FROM read_parquet(?) LIMIT 1`, raw(rND)),
		[]string{"TIMESTAMP WITH TIME ZONE|BIGINT|DOUBLE"})

	check("gbk csv", query(`SELECT _source_row, hazard_id, enterprise_id, region, sector, CAST(found_on AS VARCHAR), level,
		coalesce(CAST(rectified_on AS VARCHAR), 'NULL'), status, description, listed_supervision
		FROM read_parquet(?) ORDER BY _source_row`, raw(rGBK)), []string{
		"3|H001|E001|150602|coal_mine|2024-03-05|major|2024-03-09|rectified|顶板离层仪损坏|true",
		"4|H002|E002|150622|hazardous_chemicals|2024-03-06|general|NULL|rectifying|“储罐区”静电接地不良|false",
	})
	check("xlsx with a title row and serial dates", query(`SELECT _source_row, hazard_id, region, CAST(found_on AS VARCHAR),
		CAST(deadline AS VARCHAR), status FROM read_parquet(?) ORDER BY _source_row`, raw(rXLSX)), []string{
		"4|H001|150602|2024-03-05|2024-03-29|open",
		"5|H002|150622|2024-03-06|2024-04-01|verified",
	})
	check("xlsx serial date-times", query(`SELECT _source_row, accident_id, epoch_us(occurred_at), epoch_us(reported_at), deaths, direct_loss
		FROM read_parquet(?)`, raw(rXLSXAcc)), []string{
		"2|A001|" + us(2024, 3, 5, 14, 30, 0) + "|" + us(2024, 3, 5, 15, 10, 0) + "|1|125000",
	})
	check("ndjson", query(`SELECT _source_row, accident_id, epoch_us(occurred_at), coalesce(CAST(epoch_us(reported_at) AS VARCHAR), 'NULL'),
		region, sector, accident_type, deaths, coalesce(CAST(missing AS VARCHAR), 'NULL'), coalesce(CAST(direct_loss AS VARCHAR), 'NULL'),
		sensitive_period, coalesce(description, 'NULL')
		FROM read_parquet(?) ORDER BY _source_row`, raw(rND)), []string{
		"1|A001|" + us(2024, 3, 5, 14, 30, 0) + "|" + us(2024, 3, 5, 15, 10, 30) + "|150602|coal_mine|roof_fall|1|0|1205000.5|false|顶板垮落",
		"3|A002|" + us(2024, 3, 6, 8, 0, 0) + "|NULL|150622|road_transport|vehicle|3|NULL|NULL|true|NULL",
	})
	// The quarantine, read by DuckDB too: one record per error, with the raw row.
	q := lake.QuarantinePath(lakeDir, "accidents", rND.BatchID)
	check("quarantine", query(`SELECT source_row, "column", rule FROM read_parquet(?) ORDER BY source_row, rule`, q), []string{
		"4|reported_at|order",
		"5||syntax",
		"6||syntax", // a nested object is not a cell
	})
}

// TestDuckDBReadsRowGroups ingests a file of several row groups, encoded by parallel
// encoders (a batch may be split between two row groups), with a duplicate row in the
// middle of a batch: every accepted row is in the raw file once, with its own values.
func TestDuckDBReadsRowGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 300k-row file")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "hazards.csv")
	const n = 300000
	writeHazardsCSV(t, path, n, "g")
	// A copy of the row of H…05 (source row 7) as source row 1003, after that of H…1000.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	lines = slices.Insert(lines, 1002, lines[6])
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	in := newTestIngester(t, filepath.Join(dir, "lake"))
	r, err := in.File(t.Context(), path)
	if err != nil || r.Refused != nil {
		t.Fatal(err, r.Refused)
	}
	bad := int64((n + 996) / 997) // writeHazardsCSV's unknown regions
	if r.Read != n+1 || r.Quarantined != bad+1 || r.Accepted != n-bad {
		t.Fatalf("read %d, accepted %d, quarantined %d; want %d, %d, %d", r.Read, r.Accepted, r.Quarantined, n+1, n-bad, bad+1)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw := filepath.Join(lake.RawBatchDir(filepath.Join(dir, "lake"), r.Table, r.BatchID), lake.PartFile)
	var rows, distinct, wrong, groups int64
	err = db.QueryRow(`SELECT count(*), count(DISTINCT _source_row),
		count(*) FILTER (WHERE hazard_id <> 'Hg' || lpad(CAST(i AS VARCHAR), 8, '0')
			OR inspection_id <> 'I' || lpad(CAST(i // 3 AS VARCHAR), 7, '0')
			OR NOT five_implementations OR listed_supervision OR NOT in_ledger
			OR category <> '通风' OR description <> '局部通风机未挂牌 风筒破损')
		FROM (SELECT *, _source_row - 2 - CASE WHEN _source_row > 1003 THEN 1 ELSE 0 END AS i FROM read_parquet(?))`,
		raw).Scan(&rows, &distinct, &wrong)
	if err != nil {
		t.Fatal(err)
	}
	if rows != n-bad || distinct != rows || wrong != 0 {
		t.Errorf("raw: %d rows, %d distinct source rows, %d with another row's values; want %d, %d, 0", rows, distinct, wrong, n-bad, n-bad)
	}
	if err := db.QueryRow(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata(?)`, raw).Scan(&groups); err != nil {
		t.Fatal(err)
	}
	if want := (n - bad + rowGroupRows - 1) / rowGroupRows; groups < want {
		t.Errorf("raw: %d row groups, want at least %d", groups, want)
	}
	// Column.Few: category is dictionary-encoded in every row group, free text is not.
	var notDict, dict int64
	err = db.QueryRow(`SELECT count(*) FILTER (WHERE path_in_schema = 'category' AND encodings NOT LIKE '%RLE_DICTIONARY%'),
		count(*) FILTER (WHERE path_in_schema = 'description' AND encodings LIKE '%DICTIONARY%') FROM parquet_metadata(?)`, raw).Scan(&notDict, &dict)
	if err != nil {
		t.Fatal(err)
	}
	if notDict != 0 || dict != 0 {
		t.Errorf("raw: %d row groups of category without a dictionary, %d of description with one; want 0 and 0", notDict, dict)
	}
}

// TestDuckDBReadsAfterBadBytes is issue 10 item 3: after a source with bad bytes (a
// UTF-8 CSV past its first 64 KiB, GBK, JSON, NDJSON), DuckDB reads every raw and
// quarantine file whole, where a bad byte stored in raw made every later run fail with
// "Invalid string encoding found in Parquet file".
func TestDuckDBReadsAfterBadBytes(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(staffHeader)
	for i := 1; b.Len() < 100<<10; i++ {
		b.WriteString(staffRow(i))
	}
	b.WriteString("S99999,东胜区,东胜区应急\xff管理局,是,否,3,是\n")
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(staffHeader + "G1,东胜区,应急局,是,否,3,是\n"))
	gbk = append(gbk, []byte("G2,\x81\xff,x,是,否,3,是\n")...)
	obj := func(id, dept string) string {
		return `{"staff_id":"` + id + `","region":"东胜区","department":"` + dept + `"}`
	}
	files := []string{
		writeFile(t, dir, "staff.csv", []byte(b.String())),
		writeFile(t, dir, "staff_gbk.csv", gbk),
		writeFile(t, dir, "staff.json", []byte("["+obj("J1", "局")+","+obj("J2", "\xfe局")+"]")),
		writeFile(t, dir, "staff.ndjson", []byte(obj("N1", "局")+"\n"+obj("N2", "局\xc3")+"\n")),
	}
	lakeDir := filepath.Join(dir, "lake")
	in := newTestIngester(t, lakeDir)
	for _, f := range files {
		if r := ingestOK(t, in, f); r.Quarantined != 1 || r.TopReasons[0].Rule != RuleEncoding {
			t.Errorf("%s: %d quarantined %v, want 1 for encoding", f, r.Quarantined, r.TopReasons)
		}
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, glob := range []string{filepath.Join(lake.RawDir(lakeDir, "staff"), "*", "*.parquet"), filepath.Join(lake.QuarantineDir(lakeDir, "staff"), "*.parquet")} {
		var n int64
		var sum string
		// Casting each row to text reads every string of every row.
		if err := db.QueryRow(`SELECT count(*), md5(string_agg(CAST(t AS VARCHAR), '')) FROM read_parquet(?, union_by_name = true) t`, glob).Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", glob, err)
		}
		if n == 0 {
			t.Errorf("%s: no rows", glob)
		}
	}
}

// TestDuckDBTimeKnown is the ingest side of issue 11 item 3: raw accidents carries
// occurred_time_known, false where the source gave a date alone.
func TestDuckDBTimeKnown(t *testing.T) {
	dir := t.TempDir()
	head := "事故编号,发生时间,所属旗区,行业领域,事故类别,死亡人数\n"
	rows := "A1,2024-06-05,东胜区,煤矿,冒顶片帮,0\n" +
		"A2,2024-06-05 08:30,东胜区,煤矿,冒顶片帮,0\n" +
		"A3,2024-06-05 00:00,东胜区,煤矿,冒顶片帮,0\n" +
		"A4,45448,东胜区,煤矿,冒顶片帮,0\n" +
		"A5,45448.25,东胜区,煤矿,冒顶片帮,0\n" +
		"A6,2024年6月5日,东胜区,煤矿,冒顶片帮,0\n" +
		"A7,2024-06-05T08:30:00+08:00,东胜区,煤矿,冒顶片帮,0\n"
	lakeDir := filepath.Join(dir, "lake")
	r := ingestOK(t, newTestIngester(t, lakeDir), writeFile(t, dir, "acc.csv", []byte(head+rows)))
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q, err := db.Query(`SELECT accident_id, typeof(occurred_time_known), occurred_time_known FROM read_parquet(?) ORDER BY 1`,
		filepath.Join(lake.RawBatchDir(lakeDir, "accidents", r.BatchID), lake.PartFile))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var got []string
	for q.Next() {
		var id, typ string
		var known bool
		if err := q.Scan(&id, &typ, &known); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %v", id, typ, known))
	}
	want := []string{"A1 BOOLEAN false", "A2 BOOLEAN true", "A3 BOOLEAN true", "A4 BOOLEAN false", "A5 BOOLEAN true", "A6 BOOLEAN false", "A7 BOOLEAN true"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestDuckDBNotificationKinds: the notification log's kind and casualties (Decree 493
// art. 13) read back as codes and counts, under the Chinese headers and their aliases;
// a log kept before the columns existed is accepted, its kind left null (transform reads
// it as initial, safetyrisk.Column.Default).
func TestDuckDBNotificationKinds(t *testing.T) {
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	in := newTestIngester(t, lakeDir)
	good := ingestOK(t, in, "testdata/notifications.good.csv")
	canonical := ingestOK(t, in, writeFile(t, dir, "canonical.csv", []byte(
		"通报编号,事故编号,所属旗区,通报部门,通报时间,报告类型,死亡(含失踪)人数,重伤人数,伤亡变化日期\n"+
			"TB1,SG1,鄂托克旗,能源局,2024-03-01 10:20,initial,2,4,\n"+
			"TB2,SG1,鄂托克旗,能源局,2024-04-10 09:00,伤亡补报,4,2,2024-03-13\n"+
			"TB3,SG1,鄂托克旗,能源局,2024-03-02 09:00,follow-up,,,\n")))
	legacy := ingestOK(t, in, writeFile(t, dir, "legacy.csv", []byte(
		"通报编号,事故编号,所属旗区,通报部门,通报时间\nTB9,SG9,东胜区,交警大队,2024-03-01 10:20\n")))
	for _, r := range []Result{good, canonical, legacy} {
		if r.Quarantined != 0 {
			t.Fatalf("%s: %d quarantined: %v", r.Path, r.Quarantined, r.Examples)
		}
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := func(r Result) []string {
		t.Helper()
		rows, err := db.Query(`SELECT notification_id || ' ' || coalesce(kind, 'NULL') || ' ' || coalesce(CAST(deaths AS VARCHAR), '-') || ' ' ||
			coalesce(CAST(serious_injuries AS VARCHAR), '-') || ' ' || coalesce(CAST(changed_on AS VARCHAR), '-')
			FROM read_parquet(?) ORDER BY 1`, filepath.Join(lake.RawBatchDir(lakeDir, r.Table, r.BatchID), lake.PartFile))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	for _, tc := range []struct {
		r    Result
		want []string
	}{
		{good, []string{"TB2024001 initial 1 2 -", "TB2024002 follow_up - - -", "TB2024003 supplementary 2 1 2024-03-05"}},
		{canonical, []string{"TB1 initial 2 4 -", "TB2 supplementary 4 2 2024-03-13", "TB3 follow_up - - -"}},
		{legacy, []string{"TB9 NULL - - -"}},
	} {
		if got := read(tc.r); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.r.Path, got, tc.want)
		}
	}
}
