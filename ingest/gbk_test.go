package ingest

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// decodeBoth decodes b with gb18030Decoder and x/text's decoder, through readers that
// hand over one byte at a time when oneByte is set (every sequence cut at every place).
func decodeBoth(t *testing.T, b []byte, oneByte bool) (got, want []byte) {
	t.Helper()
	in := func() io.Reader {
		if oneByte {
			return iotest.OneByteReader(bytes.NewReader(b))
		}
		return bytes.NewReader(b)
	}
	got, err := io.ReadAll(transform.NewReader(in(), newGB18030Decoder()))
	if err != nil {
		t.Fatalf("gb18030Decoder on % x: %v", b, err)
	}
	want, err = io.ReadAll(transform.NewReader(in(), simplifiedchinese.GB18030.NewDecoder()))
	if err != nil {
		t.Fatalf("x/text on % x: %v", b, err)
	}
	// gb18030Reader, read whole and read a byte at a time, gives the same bytes.
	for _, r := range []io.Reader{newGB18030Reader(in()), iotest.OneByteReader(newGB18030Reader(in())), iotest.HalfReader(newGB18030Reader(in()))} {
		direct, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("gb18030Reader on % x: %v", b, err)
		}
		if !bytes.Equal(direct, got) {
			t.Fatalf("gb18030Reader on % x: % x, the decoder through transform.Reader: % x", b, direct, got)
		}
	}
	return got, want
}

// TestGB18030Reader: the reader keeps io.Reader's contract (iotest.TestReader) on a
// text longer than its buffer, and hands on its source's error after the decoded text.
func TestGB18030Reader(t *testing.T) {
	var b []byte
	for len(b) < 3*gb18030Buf {
		b = append(b, "\xd6\xd0\xce\xc4,abc,\x81\x30\x81\x30,\xa1\xa1\n"...)
	}
	want, err := io.ReadAll(transform.NewReader(bytes.NewReader(b), simplifiedchinese.GB18030.NewDecoder()))
	if err != nil {
		t.Fatal(err)
	}
	if err := iotest.TestReader(newGB18030Reader(bytes.NewReader(b)), want); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk gone")
	got, err := io.ReadAll(newGB18030Reader(io.MultiReader(bytes.NewReader(b[:1000]), iotest.ErrReader(boom))))
	if !errors.Is(err, boom) || !bytes.HasPrefix(want, got) || len(got) == 0 {
		t.Fatalf("after a read error: %d bytes, %v; want a prefix of the text and %v", len(got), err, boom)
	}
}

// TestGB18030DecoderPairs: every two-byte sequence, alone, after ASCII and before a cut
// sequence, decodes as x/text decodes it.
func TestGB18030DecoderPairs(t *testing.T) {
	var all []byte
	for c0 := 0x80; c0 <= 0xFF; c0++ {
		for c1 := 0x00; c1 <= 0xFF; c1++ {
			all = append(all, byte(c0), byte(c1))
		}
	}
	for _, b := range [][]byte{all, append([]byte("id,名称\n"), all...), append(all, 0x81, 0x30, 0x81)} {
		if got, want := decodeBoth(t, b, false); !bytes.Equal(got, want) {
			t.Fatalf("decoded %d bytes differently: got %d bytes, want %d", len(b), len(got), len(want))
		}
	}
}

// TestGB18030DecoderEdges: the sequences the fast path leaves to x/text.
func TestGB18030DecoderEdges(t *testing.T) {
	for _, s := range []string{
		"",
		"ascii only, longer than eight bytes\r\n",
		"\x80",                 // the euro sign
		"\xff",                 // never a lead byte
		"\x81",                 // a lead byte at the end
		"\x81\x30\x81\x30",     // a four-byte sequence (U+0080)
		"\x81\x30\x81",         // cut
		"\x81\x30\x81\x29abcd", // a bad fourth byte
		"\x84\x31\xa4\x39",     // the last of the BMP
		"\x90\x30\x81\x30",     // U+10000
		"\xe3\x32\x9a\x35",     // U+10FFFF
		"\xfe\x39\xfe\x39",     // beyond
		"\xd6\xd0\xce\xc4,\xa1\xa1\x7f\x81\x7f",
	} {
		for _, oneByte := range []bool{false, true} {
			if got, want := decodeBoth(t, []byte(s), oneByte); !bytes.Equal(got, want) {
				t.Errorf("% x (one byte at a time %v): got % x, want % x", s, oneByte, got, want)
			}
		}
	}
}

// FuzzGB18030Decoder: whatever the bytes, and however they are cut, the output is
// x/text's.
func FuzzGB18030Decoder(f *testing.F) {
	for _, s := range []string{"\xd6\xd0\xce\xc4,abc\n", "\x81\x30\x81\x30", "\x80\xff\x81", "plain ascii text, 12345678"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, oneByte := range []bool{false, true} {
			if got, want := decodeBoth(t, b, oneByte); !bytes.Equal(got, want) {
				t.Fatalf("% x (one byte at a time %v): got % x, want % x", b, oneByte, got, want)
			}
		}
	})
}

// The decoder flags every U+FFFD it writes (replacement), which lets the converters skip
// looking for one in a file that has none: the two-byte table (the fast path) holds
// none, and the slow path's are flagged, alone or among other characters.
func TestGB18030Replacement(t *testing.T) {
	fffd := uint32(3)<<24 | 0xEF | 0xBF<<8 | 0xBD<<16
	for i, v := range gbkPairTable() {
		if v == fffd {
			t.Fatalf("the pair %x %x decodes to U+FFFD", 0x81+i/191, 0x40+i%191)
		}
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"\xd6\xd0\xce\xc4,abc,\xa1\xa1\n", false},
		{"\x81\x30\x81\x30 euro \x80", false},
		{"\xffabc", true},          // a bad byte, then ASCII in the same slow call
		{"ab\x81", true},           // a lead byte cut at the end
		{"\x84\x31\xa4\x37", true}, // U+FFFD itself, encoded: a bad byte to the converter too
	} {
		r := newGB18030Reader(bytes.NewReader([]byte(tc.in)))
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.d.replacement(); got != tc.want || got != bytes.Contains(out, []byte("\uFFFD")) {
			t.Errorf("%q: decoded %q, replacement %v, want %v", tc.in, out, got, tc.want)
		}
	}
}

// A GBK file whose first U+FFFD comes late, from a pair x/text reads as U+FFFD (A1 40),
// far past the first batches: its row is quarantined for its encoding, every other
// row accepted.
func TestGB18030LateReplacementQuarantined(t *testing.T) {
	var b strings.Builder
	b.WriteString(staffHeader)
	for i := 1; i <= 5000; i++ {
		b.WriteString(staffRow(i))
	}
	text, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	text = append(text, "G9,\xb6\xab\xca\xa4\xc7\xf8,\xa1\x40,\xca\xc7,\xb7\xf1,3,\xca\xc7\n"...) // G9,东胜区,<A1 40>,是,否,3,是
	dir := t.TempDir()
	in := newTestIngester(t, filepath.Join(dir, "lake"))
	r := ingestOK(t, in, writeFile(t, dir, "staff_gbk.csv", text))
	if r.Encoding != "gb18030" || r.Accepted != 5000 || r.Quarantined != 1 || r.TopReasons[0].Rule != RuleEncoding {
		t.Errorf("%s: %d accepted, %d quarantined %v; want 5000 and 1 for encoding", r.Encoding, r.Accepted, r.Quarantined, r.TopReasons)
	}
}
