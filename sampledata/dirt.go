package sampledata

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// The kinds of planted problems. Messy-but-valid kinds ingest must normalise and
// accept; invalid kinds it must quarantine. A dirty row carries exactly one.
const (
	// accept
	KindExcelSerial = "excel_serial"     // a date as an Excel serial number (44831 for 2022-09-27)
	KindFullWidth   = "fullwidth_digits" // digits of a date or count in full width (２０２２-０９-２７, １２)
	KindChineseDate = "cn_date"          // 2022年9月27日
	KindSlashDate   = "slash_date"       // 2022/9/27
	KindRegionShort = "region_short"     // 东胜 for 东胜区
	KindRegionCode  = "region_code"      // 150602 for 东胜区
	KindBoolYN      = "bool_yn"          // Y/N for 是/否
	KindEnumCode    = "enum_code"        // the English code for the Chinese name
	KindSectorCode  = "sector_code"      // coal_mine for 煤矿
	KindPadded      = "padded_spaces"    // spaces around the value
	// reject
	KindRegionTypo    = "region_typo"     // 东胜去 for 东胜区
	KindBlankRequired = "blank_required"  // a required cell left blank
	KindImpossibleDay = "impossible_date" // 2022-02-30
	KindFutureDate    = "future_date"     // 2092-09-27 for 2022-09-27 (a slip of the finger)
	KindNegative      = "negative_number" // a count or amount below zero
	KindOrder         = "order_violation" // rectified before found, verified before received
	KindUnknownEnum   = "unknown_enum"    // a value of no enum
)

// Expectations in the truth file.
const (
	ExpectAccept = "accept"
	ExpectReject = "reject"
)

// unknownEnumValue is written for KindUnknownEnum: plausible in a form, in no enum.
const unknownEnumValue = "待核实"

// suffixHomophones are what an input method offers for the last character of a
// region's name: 去 for 区, 棋 for 旗, and so on.
var suffixHomophones = map[rune]rune{'区': '去', '旗': '棋', '县': '线', '市': '是'}

// regionTypo is a one-character slip of a region's name (its suffix replaced by a
// homophone), or "" when the name has no suffix with a homophone.
func regionTypo(name string) string {
	r := []rune(name)
	if len(r) < 2 {
		return ""
	}
	h, ok := suffixHomophones[r[len(r)-1]]
	if !ok {
		return ""
	}
	r[len(r)-1] = h
	return string(r)
}

// dirtyRow is one planted problem, as the truth file records it.
type dirtyRow struct {
	file, table, key string
	row              int64
	kind, column     string
	value, clean     string
	expect           string
}

// dirtPlan knows, for one table, which cells each kind of problem can go into.
type dirtPlan struct {
	t       *safetyrisk.Table
	prof    *safetyrisk.Profile
	key     map[int]bool
	earlier map[int]bool
	order   [][2]int // later, earlier
}

func newDirtPlan(t *safetyrisk.Table, prof *safetyrisk.Profile) *dirtPlan {
	p := &dirtPlan{t: t, prof: prof, key: map[int]bool{}, earlier: map[int]bool{}}
	for _, k := range t.Key {
		p.key[t.Index(k)] = true
	}
	for _, o := range t.Order {
		l, e := t.Index(o.Later), t.Index(o.Earlier)
		p.earlier[e] = true
		if t.Columns[l].Kind == safetyrisk.KindDate && t.Columns[e].Kind == safetyrisk.KindDate {
			p.order = append(p.order, [2]int{l, e})
		}
	}
	return p
}

type candidate struct {
	kind string
	col  int
	aux  int
}

// apply plants one problem into cells (an invalid one only when reject allows, and
// then with probability 1-AcceptShare) and says what it did.
func (p *dirtPlan) apply(rng *rand.Rand, cells []string, reject bool) (dirtyRow, bool) {
	wantReject := reject && rng.Float64() >= AcceptShare
	var cands []candidate
	if wantReject {
		cands = p.rejectCandidates(cells)
	}
	if len(cands) == 0 {
		wantReject = false
		cands = p.acceptCandidates(cells)
	}
	if len(cands) == 0 {
		return dirtyRow{}, false
	}
	c := cands[rng.IntN(len(cands))]
	col := &p.t.Columns[c.col]
	clean := cells[c.col]
	v, ok := p.value(rng, c, cells)
	if !ok {
		return dirtyRow{}, false
	}
	cells[c.col] = v
	d := dirtyRow{kind: c.kind, column: col.Name, value: v, clean: clean, expect: ExpectAccept}
	if wantReject {
		d.expect = ExpectReject
	}
	return d, true
}

func (p *dirtPlan) acceptCandidates(cells []string) []candidate {
	var out []candidate
	for i, c := range p.t.Columns {
		if p.key[i] || cells[i] == "" {
			continue
		}
		switch c.Kind {
		case safetyrisk.KindDate:
			out = append(out, candidate{KindExcelSerial, i, 0}, candidate{KindFullWidth, i, 0},
				candidate{KindChineseDate, i, 0}, candidate{KindSlashDate, i, 0}, candidate{KindPadded, i, 0})
		case safetyrisk.KindInt:
			out = append(out, candidate{KindFullWidth, i, 0}, candidate{KindPadded, i, 0})
		case safetyrisk.KindBool:
			out = append(out, candidate{KindBoolYN, i, 0})
		case safetyrisk.KindEnum:
			out = append(out, candidate{KindEnumCode, i, 0}, candidate{KindPadded, i, 0})
		case safetyrisk.KindRegion:
			out = append(out, candidate{KindRegionShort, i, 0}, candidate{KindRegionCode, i, 0}, candidate{KindPadded, i, 0})
		case safetyrisk.KindSector:
			out = append(out, candidate{KindSectorCode, i, 0})
		}
	}
	return out
}

func (p *dirtPlan) rejectCandidates(cells []string) []candidate {
	var out []candidate
	for i, c := range p.t.Columns {
		if p.key[i] || cells[i] == "" {
			continue
		}
		if c.Required {
			out = append(out, candidate{KindBlankRequired, i, 0})
		}
		switch c.Kind {
		case safetyrisk.KindDate:
			out = append(out, candidate{KindImpossibleDay, i, 0})
			if c.NotFuture && !p.earlier[i] {
				out = append(out, candidate{KindFutureDate, i, 0})
			}
		case safetyrisk.KindInt, safetyrisk.KindFloat:
			if c.HasMin && c.Min >= 0 {
				out = append(out, candidate{KindNegative, i, 0})
			}
		case safetyrisk.KindEnum:
			out = append(out, candidate{KindUnknownEnum, i, 0})
		case safetyrisk.KindRegion:
			out = append(out, candidate{KindRegionTypo, i, 0})
		}
	}
	for _, o := range p.order {
		if cells[o[0]] != "" && cells[o[1]] != "" {
			out = append(out, candidate{KindOrder, o[0], o[1]})
		}
	}
	return out
}

// value is the planted cell for candidate c.
func (p *dirtPlan) value(rng *rand.Rand, c candidate, cells []string) (string, bool) {
	s := cells[c.col]
	col := &p.t.Columns[c.col]
	switch c.kind {
	case KindExcelSerial:
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", false
		}
		return strconv.Itoa(excelSerial(d)), true
	case KindFullWidth:
		return fullWidthDigits(s), true
	case KindChineseDate, KindSlashDate:
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", false
		}
		if c.kind == KindSlashDate {
			return fmt.Sprintf("%d/%d/%d", d.Year(), d.Month(), d.Day()), true
		}
		return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day()), true
	case KindPadded:
		return []string{" ", "  "}[rng.IntN(2)] + s + []string{" ", "  ", ""}[rng.IntN(3)], true
	case KindRegionShort, KindRegionCode, KindRegionTypo:
		code, ok := p.prof.RegionCode(s)
		if !ok {
			return "", false
		}
		for _, r := range p.prof.Regions {
			if r.Code != code {
				continue
			}
			switch c.kind {
			case KindRegionShort:
				return r.Short, r.Short != ""
			case KindRegionCode:
				return r.Code, true
			}
			typo := regionTypo(r.Name)
			if _, resolves := p.prof.RegionCode(typo); typo == "" || resolves {
				return "", false
			}
			return typo, true
		}
		return "", false
	case KindBoolYN:
		switch s {
		case "是":
			return "Y", true
		case "否":
			return "N", true
		}
		return "", false
	case KindEnumCode:
		code, ok := col.Enum.Lookup(s)
		return code, ok
	case KindSectorCode:
		code, ok := p.prof.SectorCode(s)
		return code, ok
	case KindBlankRequired:
		return "", true
	case KindImpossibleDay:
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", false
		}
		return fmt.Sprintf("%d-%s", d.Year(), []string{"02-30", "02-31", "04-31", "06-31", "09-31", "11-31"}[rng.IntN(6)]), true
	case KindFutureDate:
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", false
		}
		day := d.Day()
		if d.Month() == 2 && day == 29 {
			day = 28
		}
		return fmt.Sprintf("%04d-%02d-%02d", d.Year()+70, int(d.Month()), day), true
	case KindNegative:
		if s == "0" {
			return "-1", true
		}
		return "-" + s, true
	case KindOrder:
		e, err := time.Parse(time.DateOnly, cells[c.aux])
		if err != nil {
			return "", false
		}
		return e.AddDate(0, 0, -1-rng.IntN(15)).Format(time.DateOnly), true
	case KindUnknownEnum:
		if _, ok := col.Enum.Lookup(unknownEnumValue); ok {
			return "", false
		}
		return unknownEnumValue, true
	}
	return "", false
}

// excelSerial is the 1900-system serial of a date (days since 1899-12-30).
func excelSerial(d time.Time) int {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return int(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Sub(base).Hours() / 24)
}

// fullWidthDigits writes ASCII digits as their full-width forms (U+FF10..U+FF19).
func fullWidthDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r += 0xFF10 - '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}
