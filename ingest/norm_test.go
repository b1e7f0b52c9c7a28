package ingest

import (
	"strings"
	"testing"
	"unicode"

	"github.com/safetyrisk/safetyrisk"
)

// TestSpaceEdge: every unicode.IsSpace rune begins with a byte marked 1 and ends with a
// byte marked 2, so that trimSpace may skip the cells whose edges are not marked.
func TestSpaceEdge(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsSpace(r) {
			continue
		}
		s := string(r)
		if spaceEdge[s[0]]&1 == 0 || spaceEdge[s[len(s)-1]]&2 == 0 {
			t.Errorf("U+%04X (% x): edges not marked", r, s)
		}
	}
}

// normCellRef and normTextRef are normCell and normText written plainly, byte by byte.
func normCellRef(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if (s[i] == 0xEF && i+1 < len(s) && (s[i+1] == 0xBC || s[i+1] == 0xBD)) || (s[i] == 0xE3 && strings.HasPrefix(s[i:], "\u3000")) {
			return strings.TrimSpace(safetyrisk.FoldWidth(s))
		}
	}
	return s
}

func normTextRef(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i+2 < len(s); i++ {
		switch {
		case s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99,
			s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0xA1 && s[i+2] <= 0xBA,
			s[i] == 0xEF && s[i+1] == 0xBD && s[i+2] >= 0x81 && s[i+2] <= 0x9A,
			s[i] == 0xE3 && s[i+1] == 0x80 && s[i+2] == 0x80:
			return strings.TrimSpace(safetyrisk.FoldWidth(s))
		}
	}
	return s
}

// FuzzNormCell holds normCell and normText (eight bytes at a time, edges first) to the
// plain versions.
func FuzzNormCell(f *testing.F) {
	for _, s := range []string{"", " a ", "１２３", "隐患描述，（整改）", "abcdefgh１", "\u3000重大\u3000", "x\u2029", "\u00a0y", "\xef", "abcdefg\xe3\x80\x80", "一二三\xef\xbc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normCell(s), normCellRef(s); got != want {
			t.Errorf("normCell(%q) = %q, want %q", s, got, want)
		}
		if got, want := normText(s), normTextRef(s); got != want {
			t.Errorf("normText(%q) = %q, want %q", s, got, want)
		}
	})
}

// indexEFE3 finds what a byte loop finds, at every start, in strings of every length
// about the eight bytes it loads at a time.
func TestIndexEFE3(t *testing.T) {
	slow := func(s string, i int) int {
		for ; i < len(s); i++ {
			if s[i] == 0xEF || s[i] == 0xE3 {
				return i
			}
		}
		return -1
	}
	pieces := []string{"a", "1", "隐", "，", "\u3000", "Ａ", "\xef", "\xe3", "\x80", "\xff"}
	for n := 0; n <= 20; n++ {
		for seed := range 40 {
			var b []byte
			for k := 0; len(b) < n; k++ {
				b = append(b, pieces[(seed*7+k*k*3+k)%len(pieces)]...)
			}
			s := string(b[:n])
			for i := 0; i <= len(s); i++ {
				if got, want := indexEFE3(s, i), slow(s, i); got != want {
					t.Fatalf("indexEFE3(%q, %d) = %d, want %d", s, i, got, want)
				}
			}
		}
	}
}
