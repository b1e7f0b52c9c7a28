package ingest

import (
	"bytes"
	"errors"
	"io"
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
