package sampledata

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/ingest"
	"github.com/safetyrisk/safetyrisk/lake"
)

// quarantined is the part of a quarantine record the test compares (docs/architecture.md).
type quarantined struct {
	SourceFile string `parquet:"source_file"`
	SourceRow  int64  `parquet:"source_row"`
	Column     string `parquet:"column"`
	Rule       string `parquet:"rule"`
	Value      string `parquet:"value"`
}

// TestIngestQuarantinesExactlyTheDirtyRows ingests a whole generated folder (CSV in
// UTF-8, UTF-8 with BOM and GBK) and checks that the quarantined (file, row) set is
// exactly the truth file's reject rows, and so that every messy-but-valid row was
// accepted; and that rows read = accepted + quarantined for every file.
func TestIngestQuarantinesExactlyTheDirtyRows(t *testing.T) {
	for _, format := range []Format{FormatCSV, FormatJSON, FormatXLSX} {
		t.Run(string(format), func(t *testing.T) {
			t.Parallel() // the formats share nothing
			out, lakeDir := t.TempDir(), t.TempDir()
			cfg := testConfig(out, 20220927)
			cfg.Format = format
			cfg.Dirty = 0.03
			if format == FormatXLSX { // reading workbooks is slow: fewer rows, more of them dirty
				cfg.Scale, cfg.Dirty = 0.02, 0.06
			}
			generate(t, cfg)
			ds := load(t, out)

			in, err := ingest.New(ingest.Config{Lake: lakeDir, PIIKey: []byte("sampledata-test-key-0123456789"),
				Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
			if err != nil {
				t.Fatal(err)
			}
			res, err := in.Paths(context.Background(), []string{out})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != len(ds.files) {
				t.Errorf("ingested %d files, generated %d", len(res), len(ds.files))
			}
			rows := map[string]int64{}
			for _, f := range ds.files {
				rows[f.Name] = f.Rows
			}
			for _, r := range res {
				name := filepath.Base(r.Path)
				if r.Refused != nil {
					t.Errorf("%s refused: %v", name, r.Refused)
					continue
				}
				if r.Read != rows[name] || r.Read != r.Accepted+r.Quarantined {
					t.Errorf("%s: read %d (generated %d), accepted %d, quarantined %d", name, r.Read, rows[name], r.Accepted, r.Quarantined)
				}
			}

			got := map[[2]string][]quarantined{}
			qfiles, _ := filepath.Glob(filepath.Join(lake.QuarantineDir(lakeDir, "*"), "*.parquet"))
			for _, qf := range qfiles {
				recs, err := parquet.ReadFile[quarantined](qf)
				if err != nil {
					t.Fatalf("%s: %v", qf, err)
				}
				for _, q := range recs {
					k := [2]string{filepath.Base(q.SourceFile), fmt.Sprint(q.SourceRow)}
					got[k] = append(got[k], q)
				}
			}
			want := map[[2]string]dirtyRow{}
			for k, d := range ds.dirty {
				if d.expect == ExpectReject {
					want[k] = d
				}
			}
			var extra, missing []string
			for k, qs := range got {
				if _, ok := want[k]; !ok {
					d, dirty := ds.dirty[k]
					extra = append(extra, fmt.Sprintf("%s row %s: %s %s=%q (%s; planted %s %q)", k[0], k[1], qs[0].Rule, qs[0].Column, qs[0].Value,
						ruleList(qs), d.kind, d.value)+map[bool]string{true: " [accept row]", false: " [clean row]"}[dirty])
				}
			}
			for k, d := range want {
				if _, ok := got[k]; !ok {
					missing = append(missing, fmt.Sprintf("%s row %s: %s %s=%q", k[0], k[1], d.kind, d.column, d.value))
				}
			}
			sort.Strings(extra)
			sort.Strings(missing)
			if len(extra) > 0 {
				t.Errorf("%d rows quarantined that the generator did not make invalid, e.g.:\n%s", len(extra), strings.Join(extra[:min(len(extra), 15)], "\n"))
			}
			if len(missing) > 0 {
				t.Errorf("%d invalid rows accepted, e.g.:\n%s", len(missing), strings.Join(missing[:min(len(missing), 15)], "\n"))
			}
			t.Logf("%d files ingested, %d rows quarantined, %d reject rows planted, %d accept rows planted", len(res), len(got), len(want), len(ds.dirty)-len(want))
			if len(want) < 50 {
				t.Errorf("only %d reject rows planted", len(want))
			}
			checkAcceptedValues(t, ds, lakeDir)
			// Reporter identities never reach the lake in clear text (M57).
			checkNoPII(t, ds, lakeDir)
		})
	}
}

func ruleList(qs []quarantined) string {
	var s []string
	for _, q := range qs {
		s = append(s, q.Column+":"+q.Rule)
	}
	return strings.Join(s, ",")
}

// checkNoPII greps the lake's files for a few reporter phones and ID numbers.
func checkNoPII(t *testing.T, ds *dataset, lakeDir string) {
	t.Helper()
	rt := ds.tables["reports"]
	var secrets []string
	for _, r := range rt.recs {
		for _, c := range []string{"reporter_phone", "reporter_id_number"} {
			if v := rt.get(r, c); v != "" && len(secrets) < 50 {
				secrets = append(secrets, v)
			}
		}
	}
	if len(secrets) == 0 {
		t.Fatal("no reporter identities generated")
	}
	filepath.WalkDir(lakeDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds reporter identity %s in clear text", p, s)
				return nil
			}
		}
		return nil
	})
}

// checkAcceptedValues reads the raw batches back and checks that every messy-but-valid
// cell was normalised to what its clean spelling means: the date, the region or sector
// code, the enum code, the boolean, the count.
func checkAcceptedValues(t *testing.T, ds *dataset, lakeDir string) {
	t.Helper()
	man, err := lake.ReadManifest(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	prof := safetyrisk.Ordos()
	want := map[string]map[int64]dirtyRow{} // batch -> source row -> planted
	batchTable := map[string]string{}
	for _, m := range man {
		for _, d := range ds.dirty {
			if d.expect == ExpectAccept && d.file == filepath.Base(m.SourcePath) {
				if want[m.BatchID] == nil {
					want[m.BatchID] = map[int64]dirtyRow{}
				}
				want[m.BatchID][d.row] = d
				batchTable[m.BatchID] = m.Table
			}
		}
	}
	checked := 0
	for batch, rows := range want {
		got := readRaw(t, filepath.Join(lake.RawBatchDir(lakeDir, batchTable[batch], batch), lake.PartFile))
		for row, d := range rows {
			rec, ok := got[row]
			if !ok {
				t.Errorf("%s row %d (%s): not in the raw batch", d.file, row, d.kind)
				continue
			}
			col := safetyrisk.TableByName(d.table).Column(d.column)
			if w := normalised(prof, col, d.clean); rec[d.column] != w {
				t.Errorf("%s row %d %s: planted %q (%s) became %q, want %q", d.file, row, d.column, d.value, d.kind, rec[d.column], w)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d accepted messy cells checked", checked)
	}
}

// normalised is the lake value, as text, of a clean cell.
func normalised(prof *safetyrisk.Profile, c *safetyrisk.Column, clean string) string {
	switch c.Kind {
	case safetyrisk.KindRegion:
		code, _ := prof.RegionCode(clean)
		return code
	case safetyrisk.KindSector:
		code, _ := prof.SectorCode(clean)
		return code
	case safetyrisk.KindEnum:
		code, _ := c.Enum.Lookup(clean)
		return code
	case safetyrisk.KindBool:
		return fmt.Sprint(clean == "是")
	}
	return clean // dates as ISO text, counts as digits
}

// readRaw reads a raw batch into source row -> column -> value as text.
func readRaw(t *testing.T, path string) map[int64]map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	names := map[int]string{}
	for i, p := range pf.Schema().Columns() {
		names[i] = strings.Join(p, ".")
	}
	leaf := map[string]parquet.Type{}
	for _, fld := range pf.Schema().Fields() {
		leaf[fld.Name()] = fld.Type()
	}
	out := map[int64]map[string]string{}
	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, 256)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			rec := map[string]string{}
			for _, v := range row {
				name := names[v.Column()]
				if v.IsNull() {
					continue
				}
				lt := leaf[name].LogicalType()
				switch {
				case lt != nil && lt.Value != nil && lt.Value.String() == "DATE":
					rec[name] = time.Unix(int64(v.Int32())*86400, 0).UTC().Format(time.DateOnly)
				case v.Kind() == parquet.Boolean:
					rec[name] = fmt.Sprint(v.Boolean())
				case v.Kind() == parquet.Int64:
					rec[name] = fmt.Sprint(v.Int64())
				case v.Kind() == parquet.Int32:
					rec[name] = fmt.Sprint(v.Int32())
				case v.Kind() == parquet.Double:
					rec[name] = fmt.Sprint(v.Double())
				case v.Kind() == parquet.ByteArray:
					rec[name] = string(v.ByteArray())
				}
			}
			var src int64
			fmt.Sscan(rec["_source_row"], &src)
			out[src] = rec
		}
		if err != nil {
			break
		}
	}
	return out
}
