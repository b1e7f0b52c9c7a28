package ingest

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// readAllBoth reads s with encoding/csv and csvParser up to the first error or the end.
func readAllBoth(s string, comma byte) (want, got [][]string, wantErr, gotErr error) {
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	r.Comma = rune(comma)
	for {
		rec, err := r.Read()
		if err != nil {
			if err != io.EOF {
				wantErr = err
			}
			break
		}
		want = append(want, rec)
	}
	p := newCSVParser(strings.NewReader(s), comma)
	for {
		rec, err := p.Read()
		if err != nil {
			if err != io.EOF {
				gotErr = err
			}
			break
		}
		got = append(got, slices.Clone(rec))
	}
	return
}

func TestCSVParser(t *testing.T) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n",
		"a,b\r\n1,2\r\n",
		"a,b\n\n\n1,2", // empty lines skipped, no final newline
		`a,"b,c","d""e"` + "\n",
		"a,\"multi\nline\",c\nx,y,z\n",
		"a,\"multi\r\nline\"\n",
		"a,\"\",b\n",
		",,\n",
		"\"quoted at end\"",
		"东胜区,煤矿,“中文引号”\n",
		"a,b\r",
	} {
		want, got, werr, gerr := readAllBoth(s, ',')
		if !slices.EqualFunc(want, got, slices.Equal) || (werr == nil) != (gerr == nil) {
			t.Errorf("%q: encoding/csv %q %v, csvParser %q %v", s, want, werr, got, gerr)
		}
	}
	for _, s := range []string{"a,b\"c\n", "\"a\"b,c\n", "\"unterminated\n"} {
		if _, _, werr, gerr := readAllBoth(s, ','); werr == nil || gerr == nil ||
			!(errors.Is(gerr, csv.ErrQuote) || errors.Is(gerr, csv.ErrBareQuote)) {
			t.Errorf("%q: encoding/csv %v, csvParser %v", s, werr, gerr)
		}
	}
}

// FuzzCSVParser holds csvParser to encoding/csv: the same records up to the first
// error, and an error where encoding/csv has one.
func FuzzCSVParser(f *testing.F) {
	for _, s := range []string{"a,b,c\n1,2,3\n", `a,"b,c","d""e"` + "\n", "a,\"x\ny\"\r\nq", "\n\n,\n", "a\tb\n"} {
		f.Add(s, byte(','))
	}
	f.Add("a\tb\tc\n", byte('\t'))
	f.Fuzz(func(t *testing.T, s string, comma byte) {
		if comma != ',' && comma != '\t' && comma != ';' {
			comma = ','
		}
		want, got, werr, gerr := readAllBoth(s, comma)
		if !slices.EqualFunc(want, got, slices.Equal) {
			t.Fatalf("%q: encoding/csv %q (%v), csvParser %q (%v)", s, want, werr, got, gerr)
		}
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%q: encoding/csv error %v, csvParser error %v", s, werr, gerr)
		}
	})
}

// TestSplitFields checks the word-at-a-time split against strings.Split, at every
// alignment of the commas, with bytes above 0x80 (which must not match) around them.
func TestSplitFields(t *testing.T) {
	for _, s := range []string{"", ",", ",,", "a", "a,b", "东胜区,煤矿,,2024-02-20", "\x80,\xac,\xff\xff\xff\xff\xff\xff\xff\xff,", strings.Repeat("ab,", 40), "0123456789abcdef,", ",0123456789abcdef"} {
		for pad := 0; pad < 9; pad++ {
			line := strings.Repeat("x", pad) + s
			for _, comma := range []byte{',', '\t'} {
				in := strings.ReplaceAll(line, ",", string(comma))
				got := splitFields(nil, []byte(in), in, comma)
				if want := strings.Split(in, string(comma)); !slices.Equal(got, want) {
					t.Errorf("splitFields(%q) = %q, want %q", in, got, want)
				}
			}
		}
	}
}
