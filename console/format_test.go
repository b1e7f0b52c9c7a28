package console

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

func write(t *testing.T, format string, cols []string, numeric []bool, rows [][]Cell) string {
	t.Helper()
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	w := newResultWriter(format, bw)
	if err := w.header(cols, numeric); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.end(int64(len(rows))); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	return b.String()
}

func s(x string) Cell { return Cell{Text: x, Kind: KindString} }
func n(x string) Cell { return Cell{Text: x, Kind: KindNumber} }

var null = Cell{Kind: KindNull}

func TestTableAlignsChinese(t *testing.T) {
	got := write(t, FormatTable, []string{"region", "名称", "n", "at"}, []bool{false, false, true, false}, [][]Cell{
		{s("150602"), s("东胜区"), n("7"), s("2024-02-01 08:30:00+08")},
		{s("150627"), s("伊金霍洛旗"), n("12345"), null},
		{s("x"), s("ab"), n("-1"), null},
	})
	want := "" +
		"region | 名称       |     n | at\n" +
		"-------+------------+-------+-----------------------\n" +
		"150602 | 东胜区     |     7 | 2024-02-01 08:30:00+08\n" +
		"150627 | 伊金霍洛旗 | 12345 | NULL\n" +
		"x      | ab         |    -1 | NULL\n" +
		"(3 rows)\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestTableStreamsPastSample: past the sampled rows the widths stay fixed and rows
// are written as they come; a wider cell overflows its column.
func TestTableStreamsPastSample(t *testing.T) {
	rows := make([][]Cell, tableSample+2)
	for i := range rows {
		rows[i] = []Cell{s("a")}
	}
	rows[tableSample+1] = []Cell{s("wider")}
	got := write(t, FormatTable, []string{"c"}, []bool{false}, rows)
	lines := strings.Split(got, "\n")
	if lines[1] != "-" || lines[len(lines)-3] != "wider" || lines[len(lines)-2] != "(1002 rows)" {
		t.Errorf("%q ... %q", lines[:3], lines[len(lines)-3:])
	}
}

// TestCSVEscapesFormulas: (issue 10, item 8) text cells starting with =, +, -, @, a
// tab or a carriage return get a leading quote (OWASP); numbers, negative ones
// included, and NULL do not.
func TestCSVEscapesFormulas(t *testing.T) {
	got := write(t, FormatCSV, []string{"a", "b", "c", "d", "e", "f", "n", "m", "z"}, nil, [][]Cell{
		{s("=1+1"), s("+86 139"), s("-x"), s("@SUM(A1)"), s("\tTAB"), s("ok=1"), n("-3"), n("-1.5"), null},
	})
	want := "a,b,c,d,e,f,n,m,z\n'=1+1,'+86 139,'-x,'@SUM(A1),'\tTAB,ok=1,-3,-1.5,\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestJSON(t *testing.T) {
	got := write(t, FormatJSON, []string{"名称", "n", "ok", "x"}, nil, [][]Cell{
		{s("伊金霍洛旗"), n("12"), Cell{Text: "true", Kind: KindBool}, null},
		{s(`a "q"`), n("-Inf"), Cell{Text: "false", Kind: KindBool}, s("1")},
	})
	want := "[\n  {\"名称\": \"伊金霍洛旗\", \"n\": 12, \"ok\": true, \"x\": null},\n  {\"名称\": \"a \\\"q\\\"\", \"n\": \"-Inf\", \"ok\": false, \"x\": \"1\"}\n]\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := write(t, FormatJSON, []string{"a"}, nil, nil); got != "[]\n" {
		t.Errorf("empty: %q", got)
	}
}
