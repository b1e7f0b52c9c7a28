package console

import (
	"reflect"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		in    string
		stmts []string
		rest  string
	}{
		{"SELECT 1;", []string{"SELECT 1"}, ""},
		{"SELECT 1; SELECT 2;\n", []string{"SELECT 1", "SELECT 2"}, "\n"},
		{"SELECT 'a;b';", []string{"SELECT 'a;b'"}, ""},
		{"SELECT 'it''s; ok';", []string{"SELECT 'it''s; ok'"}, ""},
		{`SELECT "a;b" FROM t;`, []string{`SELECT "a;b" FROM t`}, ""},
		{"SELECT 1 -- no; end\n;", []string{"SELECT 1 -- no; end"}, ""},
		{"SELECT /* ; */ 1;", []string{"SELECT /* ; */ 1"}, ""},
		{"SELECT 1\nFROM t", nil, "SELECT 1\nFROM t"},
		{"SELECT 'open;", nil, "SELECT 'open;"},
		{"SELECT 1; SELECT '中文;", []string{"SELECT 1"}, " SELECT '中文;"},
		{";;", nil, ""},
	}
	for _, tt := range tests {
		stmts, rest := SplitStatements(tt.in)
		if !reflect.DeepEqual(stmts, tt.stmts) || rest != tt.rest {
			t.Errorf("SplitStatements(%q) = %q, %q; want %q, %q", tt.in, stmts, rest, tt.stmts, tt.rest)
		}
	}
}

func FuzzSplitStatements(f *testing.F) {
	for _, s := range []string{"SELECT 1;", "SELECT 'a;b'; --c\n;", "/* x */;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stmts, rest := SplitStatements(s)
		n := len(rest)
		for _, st := range stmts {
			n += len(st)
		}
		if n > len(s) {
			t.Fatalf("output longer than input: %q -> %q %q", s, stmts, rest)
		}
	})
}
