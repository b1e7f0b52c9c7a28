package transform

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWriteTableAlignsChinese(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	rs := &ResultSet{
		Columns: []string{"region", "名称", "n", "at"},
		Types:   []string{"VARCHAR", "VARCHAR", "BIGINT", "TIMESTAMPTZ"},
		Rows: [][]any{
			{"150602", "东胜区", int64(7), time.Date(2024, 2, 1, 0, 30, 0, 0, time.UTC)},
			{"150627", "伊金霍洛旗", int64(12345), nil},
			{"x", "ab", int64(-1), nil},
		},
	}
	var b bytes.Buffer
	if err := rs.WriteTable(&b, sh); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"region | 名称       |     n | at\n" +
		"-------+------------+-------+-----------------------\n" +
		"150602 | 东胜区     |     7 | 2024-02-01 08:30:00+08\n" +
		"150627 | 伊金霍洛旗 | 12345 | NULL\n" +
		"x      | ab         |    -1 | NULL\n" +
		"(3 rows)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// Every line's separators sit at the same display column.
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n")[:5] {
		if i := strings.Index(l, "|"); i >= 0 && DisplayWidth(l[:i]) != 7 {
			t.Errorf("misaligned: %q", l)
		}
	}
	b.Reset()
	if err := rs.WriteJSON(&b, sh); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `{"region": "150627", "名称": "伊金霍洛旗", "n": 12345, "at": null}`) {
		t.Errorf("json: %s", b.String())
	}
	b.Reset()
	if err := rs.WriteCSV(&b, sh); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "region,名称,n,at\n150602,东胜区,7,2024-02-01 08:30:00+08\n") {
		t.Errorf("csv: %s", b.String())
	}
}
