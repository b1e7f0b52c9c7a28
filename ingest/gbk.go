package ingest

import (
	"encoding/binary"
	"sync"

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
}

// gbkPairs is the number of two-byte sequences: a lead byte 0x81-0xFE and a trail
// byte 0x40-0xFE.
const gbkPairs = 126 * 191

func newGB18030Decoder() *gb18030Decoder {
	return &gb18030Decoder{slow: simplifiedchinese.GB18030.NewDecoder(), pair: gbkPairTable()}
}

// gbkPairTable holds the UTF-8 of each two-byte sequence as decoded by x/text: its
// bytes in the low 24 bits and their number in the top 8, or 0 when x/text does not
// read the two bytes as one character (a trail byte 0x7F or 0xFF, or a digit that
// begins a four-byte sequence). Built once, never changed.
var gbkPairTable = sync.OnceValue(func() *[gbkPairs]uint32 {
	t := new([gbkPairs]uint32)
	dec := simplifiedchinese.GB18030.NewDecoder()
	var out [8]byte
	for c0 := 0x81; c0 <= 0xFE; c0++ {
		for c1 := 0x40; c1 <= 0xFE; c1++ {
			nDst, nSrc, err := dec.Transform(out[:], []byte{byte(c0), byte(c1)}, true)
			if err != nil || nSrc != 2 || nDst == 0 || nDst > 3 {
				continue
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
				if x := binary.LittleEndian.Uint64(src[nSrc:]); x&highs == 0 {
					binary.LittleEndian.PutUint64(dst[nDst:], x)
					nSrc += 8
					nDst += 8
					continue
				}
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
