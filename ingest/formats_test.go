package ingest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var shanghai = time.FixedZone("CST", 8*3600)

// gbkHazardsCSV is a hazards file as an office's Excel saves it on a Chinese Windows:
// GBK, Chinese headers, a title record above the header.
var gbkHazardsCSV = safetyrisk.Ordos().City.Name + `隐患排查治理台账,,,
隐患编号,企业编号,所属旗区,行业领域,发现日期,隐患等级,整改完成日期,整改状态,隐患描述,挂牌督办
H001,E001,东胜区,煤矿,2024/3/5,重大,2024年3月9日,已整改,顶板离层仪损坏,是
H002,E002,准格尔旗,危险化学品,2024.3.6,一般,,整改中,“储罐区”静电接地不良,否
H003,E003,伊旗,建筑施工,2024-03-07,一般,2024-03-01,已整改,倒序,否
`

func writeGBK(t testing.TB, path, s string) {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeTitleXLSX writes a workbook like a government spreadsheet: a merged title row,
// a blank row, then the header; dates as real date cells (serial numbers with a date
// format) and one as a plain number. A second sheet holds accidents with date-times.
func writeTitleXLSX(t testing.TB, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "隐患台账"
	f.SetSheetName("Sheet1", s)
	f.SetCellValue(s, "A1", safetyrisk.Ordos().City.Name+"2024年隐患排查治理台账")
	f.MergeCell(s, "A1", "G1")
	f.SetSheetRow(s, "A3", &[]any{"*隐患编号", "企业编号", "所属旗区", "*行业领域", "*发现日期", "隐患等级", "整改状态", "整改期限"})
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	rows := [][]any{
		{"H001", "E001", "东胜区", "煤矿", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), "重大", "未整改", 45380},
		{"H002", "E002", "准格尔旗", "危险化学品", 45357, "一般", "已销号", "2024-04-01"},
		{"H003", "E003", "火星", "煤矿", time.Date(2024, 3, 7, 0, 0, 0, 0, time.UTC), "一般", "未整改", nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 4+i)
		f.SetSheetRow(s, cell, &r)
		f.SetCellStyle(s, "E"+strconv.Itoa(4+i), "E"+strconv.Itoa(4+i), dateStyle)
	}
	const a = "事故"
	f.NewSheet(a)
	f.SetSheetRow(a, "A1", &[]any{"事故编号", "发生时间", "报告时间", "所属旗区", "行业领域", "事故类别", "死亡人数", "直接经济损失(万元)"})
	dt, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	f.SetSheetRow(a, "A2", &[]any{"A001", time.Date(2024, 3, 5, 14, 30, 0, 0, time.UTC), "2024-03-05 15:10", "东胜区", "煤矿", "冒顶片帮", 1, 12.5})
	f.SetCellStyle(a, "B2", "B2", dt)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

var accidentsNDJSON = `{"accident_id":"A001","occurred_at":"2024-03-05 14:30","reported_at":"2024-03-05 15:10:30","region":"东胜区","sector":"煤矿","accident_type":"冒顶片帮","deaths":1,"missing":0,"serious_injuries":2,"direct_loss":1205000.5,"sensitive_period":false,"description":"顶板垮落"}

{"accident_id":"A002","occurred_at":"2024-03-06T08:00:00+08:00","region":"` + safetyrisk.Ordos().Regions[3].Code + `","sector":"road_transport","accident_type":"vehicle","deaths":"3","missing":null,"sensitive_period":"是"}
{"accident_id":"A003","occurred_at":"2024-03-07 09:15","reported_at":"2024-03-07 09:00","region":"伊旗","sector":"construction","accident_type":"高处坠落","deaths":0}
not json at all
{"accident_id":"A004","occurred_at":"2024-03-08 10:00","region":"伊旗","sector":"construction","accident_type":"高处坠落","deaths":-2,"extra":{"nested":1}}
`

func TestFormats(t *testing.T) {
	dir := t.TempDir()
	gbk := filepath.Join(dir, "hazards_gbk.csv")
	writeGBK(t, gbk, gbkHazardsCSV)
	xlsx := filepath.Join(dir, "ledger.xlsx")
	writeTitleXLSX(t, xlsx)
	nd := filepath.Join(dir, "accidents.ndjson")
	os.WriteFile(nd, []byte(accidentsNDJSON), 0o644)
	arr := filepath.Join(dir, "staff.json")
	os.WriteFile(arr, []byte(`[{"staff_id":"S1","region":"东胜区","department":"局","experience_years":3},
	  {"staff_id":"S2","region":"东胜区","department":"局","active":true, "experience_years":"x"}, 17]`), 0o644)
	bom := filepath.Join(dir, "bom.csv")
	b, _ := os.ReadFile("testdata/staff.good.csv")
	os.WriteFile(bom, append([]byte("\xEF\xBB\xBF"), b...), 0o644)

	cases := []struct {
		path, sheet, table, enc string
		read, accepted          int64
		badRows                 []int64
	}{
		{gbk, "", "hazards", "gb18030", 3, 2, []int64{5}},
		{xlsx, "", "hazards", "xlsx", 3, 2, []int64{6}},
		{xlsx, "事故", "accidents", "xlsx", 1, 1, nil},
		{nd, "", "accidents", "ndjson", 5, 2, []int64{4, 5, 6}},
		{arr, "", "staff", "json", 3, 1, []int64{2, 3}},
		{bom, "", "staff", "utf-8-bom", 3, 3, nil},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path)+c.sheet, func(t *testing.T) {
			lake := t.TempDir()
			in := newTestIngester(t, lake, func(cfg *Config) { cfg.Sheet = c.sheet })
			r := ingestOK(t, in, c.path)
			if r.Table != c.table || r.Encoding != c.enc || r.Read != c.read || r.Accepted != c.accepted {
				t.Errorf("got table %s enc %s read %d accepted %d; want %s %s %d %d (%v)", r.Table, r.Encoding, r.Read, r.Accepted, c.table, c.enc, c.read, c.accepted, r.Examples)
			}
			var got []int64
			for _, q := range readQuarantine(t, lake, r.Table, r.BatchID) {
				if len(got) == 0 || got[len(got)-1] != q.SourceRow {
					got = append(got, q.SourceRow)
				}
			}
			if len(got) != len(c.badRows) {
				t.Fatalf("quarantined rows %v, want %v", got, c.badRows)
			}
			for i := range got {
				if got[i] != c.badRows[i] {
					t.Errorf("quarantined rows %v, want %v", got, c.badRows)
				}
			}
		})
	}
}

// TestTemplatesReadBack: each table's Excel template is detected as that table and its
// header maps every column. The tables run in parallel (each writes its own folder).
func TestTemplatesReadBack(t *testing.T) {
	for _, tab := range safetyrisk.Tables() {
		t.Run(tab.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			b, err := TemplateXLSX(tab)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, tab.Name+".xlsx")
			os.WriteFile(p, b, 0o644)
			src, err := openXLSX(p, "")
			if err != nil {
				t.Fatal(err)
			}
			var header []string
			for {
				_, cells, err := src.Next()
				if err != nil {
					break
				}
				if got := headerTable(nil, cells); got != nil {
					if got != tab {
						t.Errorf("%s: template detected as %s", tab.Name, got.Name)
					}
					header = append([]string(nil), cells...)
					break
				}
			}
			src.Close()
			m := newMapping(tab)
			if err := m.extend(header); err != nil || len(m.unknown) > 0 || len(header) != len(tab.Columns) {
				t.Errorf("%s: template header %v: %v, unknown %v", tab.Name, header, err, m.unknown)
			}
			c, err := TemplateCSV(tab)
			if err != nil || !strings.HasPrefix(string(c), "\uFEFF") {
				t.Errorf("%s: csv template %q, %v", tab.Name, c, err)
			}
		})
	}
}
