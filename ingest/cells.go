package ingest

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The cell parsers turn the text of one source cell into a lake value. They take a
// cell already trimmed and width-folded (safetyrisk.FoldWidth) and never allocate on
// the common spellings, since they run once per cell of multi-million-row files.

// Dates are accepted between these years; outside them a value is a typo, not a date.
const (
	minYear = 1900
	maxYear = 2100
)

// Excel's serial day 25569 is 1970-01-01 (the 1900 date system, with its fictitious
// 1900-02-29 at serial 60).
const (
	excelEpochOffset = 25569
	maxExcelSerial   = 2958465 // 9999-12-31
	// minExcelSerial is 1927-05-18: a smaller number in a date column is more likely a
	// year or a typo than a date in the records of a work-safety office.
	minExcelSerial = 10000
)

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date
// (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	yy := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		yy++
	}
	return int(yy), m, d
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits reads up to max ASCII digits from s at i; n is how many were read.
func digits(s string, i, max int) (v, n int) {
	for n < max && i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '9' {
		v = v*10 + int(s[i+n]-'0')
		n++
	}
	return v, n
}

// parseYMD reads a calendar date at the start of s: 2022-09-27, 2022-9-27, 2022/9/27,
// 2022.9.27, 2022年9月27日 or 20220927. It returns the date and the rest of s.
func parseYMD(s string) (y, m, d int, rest string, ok bool) {
	y, n := digits(s, 0, 8)
	if n == 8 { // 20220927
		y, m, d = y/10000, y/100%100, y%100
		return y, m, d, s[8:], validYMD(y, m, d)
	}
	if n != 4 {
		return 0, 0, 0, "", false
	}
	i := 4
	var sep byte
	switch {
	case i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.'):
		sep = s[i]
		i++
	case strings.HasPrefix(s[i:], "年"):
		sep = 'y'
		i += len("年")
	default:
		return 0, 0, 0, "", false
	}
	m, n = digits(s, i, 2)
	if n == 0 {
		return 0, 0, 0, "", false
	}
	i += n
	switch {
	case sep == 'y' && strings.HasPrefix(s[i:], "月"):
		i += len("月")
	case sep != 'y' && i < len(s) && s[i] == sep:
		i++
	default:
		return 0, 0, 0, "", false
	}
	d, n = digits(s, i, 2)
	if n == 0 {
		return 0, 0, 0, "", false
	}
	i += n
	if sep == 'y' {
		if strings.HasPrefix(s[i:], "日") {
			i += len("日")
		} else if strings.HasPrefix(s[i:], "号") {
			i += len("号")
		}
	}
	return y, m, d, s[i:], validYMD(y, m, d)
}

func validYMD(y, m, d int) bool {
	return y >= minYear && y <= maxYear && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// excelSerial reads s as an Excel serial date-time (days since 1899-12-30, with a
// fraction for the time of day). It accepts only plain decimal numbers.
func excelSerial(s string) (float64, bool) {
	if s == "" || len(s) > 24 {
		return 0, false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < minExcelSerial || v > maxExcelSerial {
		return 0, false
	}
	return v, true
}

// serialDays converts the whole days of an Excel serial to days since 1970-01-01,
// honouring Excel's fictitious 1900-02-29 (serial 60).
func serialDays(v float64) int64 {
	d := int64(v)
	if d < 61 {
		d++ // before Excel's 1900-02-29 the serials are one day behind
	}
	return d - excelEpochOffset
}

// parseDate parses a date cell into days since 1970-01-01. A time of day after the
// date (as in "2022-09-27 00:00:00", which spreadsheets export) is ignored.
func parseDate(s string) (int32, bool) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' { // 2022-09-27, most dates of an export
		if days, digits, ok := dashedDate(s); digits {
			return days, ok
		}
	}
	if y, m, d, rest, ok := parseYMD(s); ok {
		if rest != "" {
			if _, ok := parseClock(trimTimeSep(rest)); !ok {
				return 0, false
			}
		}
		return int32(daysFromCivil(y, m, d)), true
	}
	if v, ok := excelSerial(s); ok && v < 100000 {
		days := serialDays(v)
		if y, _, _ := civilFromDays(days); y < minYear || y > maxYear {
			return 0, false
		}
		return int32(days), true
	}
	return 0, false
}

// dashedDate reads YYYY-MM-DD, s being ten bytes with dashes at 4 and 7, without a
// loop: digits is false when another byte is no digit (the general parser then tries),
// ok false when the date does not exist or is out of range.
func dashedDate(s string) (days int32, digits, ok bool) {
	y0, y1, y2, y3 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0' // a byte below '0' wraps past 9
	m0, m1, d0, d1 := s[5]-'0', s[6]-'0', s[8]-'0', s[9]-'0'
	if y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9 {
		return 0, false, false
	}
	y := int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
	m, d := int(m0)*10+int(m1), int(d0)*10+int(d1)
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 {
		return 0, true, false
	}
	if d > daysIn(y, m) {
		return 0, true, false
	}
	jan1 := &yearStarts[y-minYear]
	before := monthStarts[m]
	if m > 2 && jan1[1]-jan1[0] == 366 { // after a February 29
		before++
	}
	return jan1[0] + int32(before+d-1), true, true
}

// yearStarts holds the days since 1970-01-01 of January 1 of minYear to maxYear+1,
// in pairs: a year's and the next's (their difference is its length).
var yearStarts = func() (t [maxYear - minYear + 1][2]int32) {
	for y := minYear; y <= maxYear; y++ {
		t[y-minYear] = [2]int32{int32(daysFromCivil(y, 1, 1)), int32(daysFromCivil(y+1, 1, 1))}
	}
	return t
}()

// monthStarts are the days of a common year before each month (1-12).
var monthStarts = [13]int{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

func trimTimeSep(s string) string {
	if s != "" && (s[0] == ' ' || s[0] == 'T' || s[0] == 't') {
		s = strings.TrimLeft(s[1:], " ")
	}
	return s
}

// clock is a time of day with an optional explicit UTC offset.
type clock struct {
	h, m, s, us int
	offset      int // seconds east of UTC
	hasOffset   bool
}

// parseClock reads HH:MM[:SS[.ffffff]] or HH时MM分[SS秒], then an optional Z or
// ±HH:MM offset, and requires the end of s.
func parseClock(s string) (clock, bool) {
	var c clock
	var n int
	c.h, n = digits(s, 0, 2)
	if n == 0 {
		return c, false
	}
	i := n
	cn := strings.HasPrefix(s[i:], "时") || strings.HasPrefix(s[i:], "点")
	switch {
	case cn:
		i += len("时")
	case i < len(s) && s[i] == ':':
		i++
	default:
		return c, false
	}
	c.m, n = digits(s, i, 2)
	if n != 2 && !(cn && n == 1) {
		return c, false
	}
	i += n
	if cn {
		if strings.HasPrefix(s[i:], "分") {
			i += len("分")
			if c.s, n = digits(s, i, 2); n > 0 {
				i += n
				if !strings.HasPrefix(s[i:], "秒") {
					return c, false
				}
				i += len("秒")
			}
		}
	} else if i < len(s) && s[i] == ':' {
		c.s, n = digits(s, i+1, 2)
		if n != 2 {
			return c, false
		}
		i += 1 + n
		if i < len(s) && s[i] == '.' {
			i++
			f, n := digits(s, i, 6)
			if n == 0 {
				return c, false
			}
			for k := n; k < 6; k++ {
				f *= 10
			}
			c.us = f
			i += n
			for i < len(s) && s[i] >= '0' && s[i] <= '9' { // beyond microseconds: truncated
				i++
			}
		}
	}
	rest := strings.TrimLeft(s[i:], " ")
	switch {
	case rest == "":
	case rest == "Z" || rest == "z":
		c.hasOffset = true
	case rest[0] == '+' || rest[0] == '-':
		oh, n := digits(rest, 1, 2)
		if n != 2 {
			return c, false
		}
		j := 3
		if j < len(rest) && rest[j] == ':' {
			j++
		}
		om, n := digits(rest, j, 2)
		if n != 2 || j+2 != len(rest) || oh > 14 || om > 59 {
			return c, false
		}
		c.offset = oh*3600 + om*60
		if rest[0] == '-' {
			c.offset = -c.offset
		}
		c.hasOffset = true
	default:
		return c, false
	}
	if c.h > 23 || c.m > 59 || c.s > 59 {
		return c, false
	}
	return c, true
}

// parseTime parses an instant into microseconds since the Unix epoch (UTC). Without an
// explicit offset the wall time is in loc (the jurisdiction's time zone). A date alone
// is midnight; an Excel serial carries the time of day in its fraction.
func parseTime(s string, loc *time.Location) (int64, bool) {
	us, _, ok := parseTimeGiven(s, loc)
	return us, ok
}

// parseTimeGiven is parseTime, also telling whether a time of day was given: a clock
// written after the date (00:00 included), or an Excel serial with a fraction. A date
// alone, or a whole serial (a date cell), is midnight with no time given (issue 11
// item 3: the time is unknown, not 00:00).
func parseTimeGiven(s string, loc *time.Location) (int64, bool, bool) {
	y, m, d, rest, ok := parseYMD(s)
	var c clock
	given := false
	if ok {
		if rest = trimTimeSep(rest); rest != "" {
			if c, ok = parseClock(rest); !ok {
				return 0, false, false
			}
			given = true
		}
	} else {
		v, ok := excelSerial(s)
		if !ok || v >= 100000 {
			return 0, false, false
		}
		days := serialDays(v)
		y, m, d = civilFromDays(days)
		if y < minYear || y > maxYear {
			return 0, false, false
		}
		given = v != math.Floor(v)
		secs := int(math.Round((v - math.Floor(v)) * 86400))
		if secs == 86400 { // rounding up to the next midnight
			y, m, d = civilFromDays(days + 1)
			secs = 0
		}
		c = clock{h: secs / 3600, m: secs / 60 % 60, s: secs % 60}
	}
	if c.hasOffset {
		sec := daysFromCivil(y, m, d)*86400 + int64(c.h*3600+c.m*60+c.s) - int64(c.offset)
		return sec*1e6 + int64(c.us), given, true
	}
	t := time.Date(y, time.Month(m), d, c.h, c.m, c.s, c.us*1000, loc)
	return t.UnixMicro(), given, true
}

// parseInt parses a whole number, with thousands separators ("12,345") and an
// integral decimal form ("12.0") accepted.
func parseInt(s string) (int64, bool) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	f, ok := parseFloat(s)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// parseFloat parses a decimal number, with well-formed thousands separators.
func parseFloat(s string) (float64, bool) {
	if strings.IndexByte(s, ',') >= 0 {
		var ok bool
		if s, ok = stripThousands(s); !ok {
			return 0, false
		}
	}
	if s == "" || !numeric(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// numeric rejects the spellings strconv accepts but a spreadsheet never means as a
// number: hexadecimal, underscores, "inf" and "nan".
func numeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return false
		}
	}
	return true
}

// stripThousands removes "," grouping separators when they group the integer part by
// threes ("1,234,567.5"); anything else ("1,2") is not a number.
func stripThousands(s string) (string, bool) {
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
		if strings.IndexByte(frac, ',') >= 0 {
			return "", false
		}
	}
	sign := ""
	if intPart != "" && (intPart[0] == '-' || intPart[0] == '+') {
		sign, intPart = intPart[:1], intPart[1:]
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return sign + strings.Join(groups, "") + frac, true
}

// parseBool reads the spellings offices use for yes and no.
func parseBool(s string) (v, ok bool) {
	switch s {
	case "是", "Y", "y", "1", "true", "TRUE", "True", "有", "√", "yes", "Yes", "YES", "T", "t", "✓", "✔":
		return true, true
	case "否", "N", "n", "0", "false", "FALSE", "False", "无", "×", "no", "No", "NO", "F", "f", "✗":
		return false, true
	}
	return false, false
}

// isNullToken reports a placeholder an office writes for "no value" in a typed column.
func isNullToken(s string) bool {
	switch s {
	case "-", "--", "—", "——", "/", "null", "NULL", "Null", "N/A", "n/a", "NA", "#N/A":
		return true
	}
	return false
}
