package ingest

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
	"sync"
	"sync/atomic"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// gb18030Decoder decodes GB18030 (and so GBK) into UTF-8 exactly as x/text's decoder
// does, a few times faster on the text of an export: ASCII is copied eight bytes at a
// time and a two-byte character is one load from a table made by x/text's decoder
// itself. Anything else (the euro byte 0x80, a four-byte sequence, a bad byte, a
// sequence cut at the end of src) goes to x/text's decoder, one character at a time.
// FuzzGB18030Decoder holds the two to the same output.
type gb18030Decoder struct {
	transform.NopResetter
	slow transform.Transformer
	pair *[gbkPairs]uint32
	// fffd is set once a U+FFFD is written (a bad byte, or the character itself), and
	// read by the converters (replacement): the fast path never writes one.
	fffd atomic.Bool
}

var replacementChar = []byte("\uFFFD")

// replacement reports whether the decoder has written a U+FFFD so far. A record is
// decoded before it is parsed and handed to a converter, so the flag is set, for a
// record that holds one, before the converter looks.
func (d *gb18030Decoder) replacement() bool { return d.fffd.Load() }

// gbkPairs is the number of two-byte sequences: a lead byte 0x81-0xFE and a trail
// byte 0x40-0xFE.
const gbkPairs = 126 * 191

func newGB18030Decoder() *gb18030Decoder {
	return &gb18030Decoder{slow: simplifiedchinese.GB18030.NewDecoder(), pair: gbkPairTable()}
}

// gbkPairTable holds the UTF-8 of each two-byte sequence as decoded by x/text: its
// bytes in the low 24 bits and their number in the top 8, or 0 when x/text does not
// read the two bytes as one character (a trail byte 0x7F or 0xFF, or a digit that
// begins a four-byte sequence) or reads them as U+FFFD. Built once, never changed.
var gbkPairTable = sync.OnceValue(func() *[gbkPairs]uint32 {
	t := new([gbkPairs]uint32)
	dec := simplifiedchinese.GB18030.NewDecoder()
	var out [8]byte
	for c0 := 0x81; c0 <= 0xFE; c0++ {
		for c1 := 0x40; c1 <= 0xFE; c1++ {
			nDst, nSrc, err := dec.Transform(out[:], []byte{byte(c0), byte(c1)}, true)
			if err != nil || nSrc != 2 || nDst == 0 || nDst > 3 || string(out[:nDst]) == "\uFFFD" {
				continue // the slow path's, which flags a U+FFFD (replacement)
			}
			v := uint32(nDst) << 24
			for i := range nDst {
				v |= uint32(out[i]) << (8 * i)
			}
			t[(c0-0x81)*191+c1-0x40] = v
		}
	}
	return t
})

func (d *gb18030Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	const highs = 0x8080808080808080
	for nSrc < len(src) {
		c0 := src[nSrc]
		if c0 < 0x80 {
			if nSrc+8 <= len(src) && nDst+8 <= len(dst) {
				// The ASCII bytes that begin the next eight, at least c0, copied at once
				// (the bytes after them are overwritten next: dst past nDst is scratch).
				x := binary.LittleEndian.Uint64(src[nSrc:])
				binary.LittleEndian.PutUint64(dst[nDst:], x)
				n := 8
				if h := x & highs; h != 0 {
					n = bits.TrailingZeros64(h) / 8
				}
				nSrc += n
				nDst += n
				continue
			}
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c0
			nDst++
			nSrc++
			continue
		}
		if c0 != 0x80 && c0 != 0xFF && nSrc+1 < len(src) && src[nSrc+1] >= 0x40 && src[nSrc+1] != 0xFF {
			if v := d.pair[int(c0-0x81)*191+int(src[nSrc+1]-0x40)]; v != 0 {
				n := int(v >> 24)
				if nDst+4 <= len(dst) { // one store; its last byte (n) is scratch
					binary.LittleEndian.PutUint32(dst[nDst:], v)
					nDst += n
					nSrc += 2
					continue
				}
				if nDst+n > len(dst) {
					return nDst, nSrc, transform.ErrShortDst
				}
				dst[nDst] = byte(v)
				if n > 1 {
					dst[nDst+1] = byte(v >> 8)
				}
				if n > 2 {
					dst[nDst+2] = byte(v >> 16)
				}
				nDst += n
				nSrc += 2
				continue
			}
		}
		// One character the slow way: it is at most four bytes long.
		end := min(len(src), nSrc+4)
		n, m, e := d.slow.Transform(dst[nDst:], src[nSrc:end], atEOF && end == len(src))
		if bytes.Contains(dst[nDst:nDst+n], replacementChar) { // it may decode more than one character
			d.fffd.Store(true)
		}
		nDst += n
		nSrc += m
		if m == 0 {
			if e == nil { // cannot happen: a decoder that makes no progress says why
				e = transform.ErrShortSrc
			}
			return nDst, nSrc, e
		}
	}
	return nDst, nSrc, nil
}

// gb18030Reader decodes GB18030 from r straight into the caller's buffer. x/text's
// transform.Reader copies every byte twice more on the way: into its own 4 KiB source
// buffer, and from its 4 KiB output buffer to the caller's. More than half of a
// city's exports are GBK, so those copies were 2% of ingest's time.
type gb18030Reader struct {
	r      io.Reader
	d      *gb18030Decoder
	src    []byte // bytes read; src[s0:s1] are not decoded yet
	s0, s1 int
	small  [8]byte // output for a read too small for a character
	out    []byte  // what is left of small
	err    error   // r's error, returned once src is decoded
}

// gb18030Buf is the size of a gb18030Reader's source buffer: the size of a
// bufio.Reader's buffer at least (256 KiB in csvSource), so that one reads into it
// directly, plus the three bytes of a cut sequence carried over.
const gb18030Buf = 256<<10 + 4

func newGB18030Reader(r io.Reader) *gb18030Reader {
	return &gb18030Reader{r: r, d: newGB18030Decoder(), src: make([]byte, gb18030Buf)}
}

func (g *gb18030Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(g.out) > 0 {
		n := copy(p, g.out)
		g.out = g.out[n:]
		return n, nil
	}
	for {
		if g.s1 > g.s0 || g.err != nil {
			dst := p
			if len(p) < len(g.small) { // a character is up to four bytes of UTF-8
				dst = g.small[:]
			}
			nDst, nSrc, err := g.d.Transform(dst, g.src[g.s0:g.s1], g.err == io.EOF)
			g.s0 += nSrc
			if len(p) < len(g.small) {
				n := copy(p, dst[:nDst])
				g.out = dst[n:nDst]
				nDst = n
			}
			if nDst > 0 {
				return nDst, nil
			}
			if err != nil && err != transform.ErrShortSrc {
				return 0, err
			}
			if g.err != nil && (g.s0 == g.s1 || g.err != io.EOF) {
				return 0, g.err
			}
		}
		// Read more behind the undecoded tail (a sequence cut by the last read).
		n := copy(g.src, g.src[g.s0:g.s1])
		m, err := g.r.Read(g.src[n:])
		g.s0, g.s1 = 0, n+m
		if err != nil {
			g.err = err
		}
	}
}
