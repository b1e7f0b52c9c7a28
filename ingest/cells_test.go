package ingest

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{"2022-09-27", "2022-09-27"},
		{"2022-9-7", "2022-09-07"},
		{"2022/9/27", "2022-09-27"},
		{"2022.9.27", "2022-09-27"},
		{"2022年9月27日", "2022-09-27"},
		{"2022年09月27号", "2022-09-27"},
		{"20220927", "2022-09-27"},
		{"2022-09-27 00:00:00", "2022-09-27"},
		{"2022-09-27T08:30", "2022-09-27"},
		{"44831", "2022-09-27"},      // Excel serial
		{"44831.75", "2022-09-27"},   // with a time of day
		{"10000", "1927-05-18"},      // the smallest serial taken for a date
		{"9999", ""},                 // a year or a typo more likely than 1927
		{"2024-02-29", "2024-02-29"}, // leap day
		{"2023-02-29", ""},
		{"2022-13-01", ""},
		{"2022-00-10", ""},
		{"2022-09-00", ""},
		{"2022-0a-27", ""},
		{"2022-09-2/", ""}, // '/' is '0'-1: a byte just below the digits
		{"2022-09-2:", ""}, // ':' is '9'+1
		{"1900-01-01", "1900-01-01"},
		{"2100-12-31", "2100-12-31"},
		{"2101-01-01", ""},
		{"1899-12-31", ""},
		{"2022-09-27 25:00", ""},
		{"2022/09-27", ""},
		{"27/09/2022", ""},
		{"20221327", ""},
		{"", ""},
		{"0", ""},
		{"-5", ""},
		{"2022", ""},
		{"abc", ""},
	}
	for _, tt := range tests {
		d, ok := parseDate(tt.in)
		got := ""
		if ok {
			y, m, dd := civilFromDays(int64(d))
			got = fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
		}
		if got != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero for an error
	}{
		{"2022-09-27 14:30", time.Date(2022, 9, 27, 14, 30, 0, 0, shanghai)},
		{"2022-09-27 14:30:15", time.Date(2022, 9, 27, 14, 30, 15, 0, shanghai)},
		{"2022/9/27 8:05", time.Date(2022, 9, 27, 8, 5, 0, 0, shanghai)},
		{"2022年9月27日 14时30分", time.Date(2022, 9, 27, 14, 30, 0, 0, shanghai)},
		{"2022-09-27T14:30:15.25", time.Date(2022, 9, 27, 14, 30, 15, 250e6, shanghai)},
		{"2022-09-27T06:30:00Z", time.Date(2022, 9, 27, 14, 30, 0, 0, shanghai)},
		{"2022-09-27T14:30:00+08:00", time.Date(2022, 9, 27, 14, 30, 0, 0, shanghai)},
		{"2022-09-27", time.Date(2022, 9, 27, 0, 0, 0, 0, shanghai)},
		{"44831.604166666664", time.Date(2022, 9, 27, 14, 30, 0, 0, shanghai)},
		{"44831.99999999", time.Date(2022, 9, 28, 0, 0, 0, 0, shanghai)},
		{"2022-09-27 24:00", time.Time{}},
		{"2022-09-27 14:3", time.Time{}},
		{"2022-09-27 14:30 +25:00", time.Time{}},
		{"14:30", time.Time{}},
		{"yesterday", time.Time{}},
	}
	for _, tt := range tests {
		us, ok := parseTime(tt.in, shanghai)
		switch {
		case tt.want.IsZero() && ok:
			t.Errorf("parseTime(%q) = %v, want an error", tt.in, time.UnixMicro(us))
		case !tt.want.IsZero() && (!ok || us != tt.want.UnixMicro()):
			t.Errorf("parseTime(%q) = %v, %v; want %v", tt.in, time.UnixMicro(us).In(shanghai), ok, tt.want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	floats := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true}, {"1,234.5", 1234.5, true}, {"-1,234,567", -1234567, true}, {"0.5", 0.5, true},
		{"1e3", 1000, true}, {"1,2", 0, false}, {"12,34.5", 0, false}, {",123", 0, false}, {"1.5,000", 0, false},
		{"NaN", 0, false}, {"Inf", 0, false}, {"0x10", 0, false}, {"1_000", 0, false}, {"", 0, false}, {"12o", 0, false},
	}
	for _, tt := range floats {
		got, ok := parseFloat(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseFloat(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	ints := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12", 12, true}, {"-3", -3, true}, {"1,250", 1250, true}, {"12.0", 12, true}, {"12.5", 0, false}, {"三", 0, false},
	}
	for _, tt := range ints {
		got, ok := parseInt(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseInt(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for in, want := range map[string]bool{"是": true, "否": false, "Y": true, "n": false, "true": true, "0": false, "有": true, "无": false, "√": true, "×": false} {
		if got, ok := parseBool(in); !ok || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := parseBool("也许"); ok {
		t.Errorf("parseBool(也许) accepted")
	}
}

func TestNormCell(t *testing.T) {
	for in, want := range map[string]string{" ４４８３１ ": "44831", "\u3000东胜区\u3000": "东胜区", "ＡＢＣ１２３": "ABC123", "普通文本": "普通文本", "（万元）": "(万元)"} {
		if got := normCell(in); got != want {
			t.Errorf("normCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDaysFromCivilRoundTrip(t *testing.T) {
	for d := int64(-30000); d < 80000; d += 7 {
		y, m, dd := civilFromDays(d)
		if got := daysFromCivil(y, m, dd); got != d {
			t.Fatalf("day %d -> %d-%d-%d -> %d", d, y, m, dd, got)
		}
		if want := time.Unix(d*86400, 0).UTC(); want.Year() != y || int(want.Month()) != m || want.Day() != dd {
			t.Fatalf("day %d: %d-%d-%d, time says %v", d, y, m, dd, want)
		}
	}
}

// FuzzParseDate: whatever the input, a parsed date is a valid calendar date in range,
// and its ISO form parses back to the same day.
// TestDashedDate holds dashedDate to validYMD and daysFromCivil on every year, month
// and day around the accepted range.
func TestDashedDate(t *testing.T) {
	for y := minYear - 5; y <= maxYear+5; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				s := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
				days, digits, ok := dashedDate(s)
				want := validYMD(y, m, d)
				if !digits || ok != want || (ok && int64(days) != daysFromCivil(y, m, d)) {
					t.Fatalf("dashedDate(%q) = %d, %v, %v; want %d, true, %v", s, days, digits, ok, daysFromCivil(y, m, d), want)
				}
			}
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2022-09-27", "2022/9/27", "2022.9.27", "2022年9月27日", "20220927", "44831", "44831.5", "2022-09-27 14:30:00", "1,234", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDate(s)
		if !ok {
			return
		}
		y, m, dd := civilFromDays(int64(d))
		if !validYMD(y, m, dd) {
			t.Fatalf("parseDate(%q) = %d-%d-%d", s, y, m, dd)
		}
		iso := fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
		if d2, ok := parseDate(iso); !ok || d2 != d {
			t.Fatalf("parseDate(%q) = %s, which parses to %d, %v", s, iso, d2, ok)
		}
		if _, ok := parseTime(s, shanghai); !ok && excelOrYMD(s) {
			t.Fatalf("%q is a date but not a time", s)
		}
	})
}

// excelOrYMD reports the date spellings that a time column must accept too.
func excelOrYMD(s string) bool {
	_, _, _, rest, ok := parseYMD(s)
	return ok && rest == ""
}

// FuzzParseNumber: a parsed number is finite and survives formatting and parsing; an
// integer is what strconv reads after the separators go.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"12", "1,234.5", "-1,234,567", "1e3", "12.0", "0.1", "1,2", "NaN", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := parseFloat(s); ok {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("parseFloat(%q) = %v", s, v)
			}
			back, ok := parseFloat(strconv.FormatFloat(v, 'g', -1, 64))
			if !ok || back != v {
				t.Fatalf("parseFloat(%q) = %v, round trip %v, %v", s, v, back, ok)
			}
		}
		if v, ok := parseInt(s); ok {
			back, ok := parseInt(strconv.FormatInt(v, 10))
			if !ok || back != v {
				t.Fatalf("parseInt(%q) = %v, round trip %v", s, v, back)
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2022-09-27 14:30", "2022-09-27T14:30:00+08:00", "2022年9月27日 14时30分", "44831.604166666664", "2022-09-27T06:30:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		us, ok := parseTime(s, shanghai)
		if !ok {
			return
		}
		tm := time.UnixMicro(us).In(shanghai)
		if tm.Year() < minYear-1 || tm.Year() > maxYear+1 {
			t.Fatalf("parseTime(%q) = %v", s, tm)
		}
	})
}

// TestTrimSpace checks trimSpace's byte-level fast path against strings.TrimSpace for
// every rune at the start and at the end of a cell.
func TestTrimSpace(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		for _, s := range []string{string(r) + "值", "值" + string(r), string(r)} {
			if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
				t.Fatalf("trimSpace(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"", " ", "\xff", "a\xe3\x80", "\xe3\x80\x80隐患\u00a0", "\u3000"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestLookupMemo checks the memo of codes against the function it memoises, with more
// spellings than the memo has slots (collisions) and than the map keeps (cacheLimit),
// unknown ones among them.
func TestLookupMemo(t *testing.T) {
	c := &converter{cache: []map[string]memoEntry{{}}, memo: make([][]memoEntry, 1)}
	f := func(s string) (string, bool) {
		if strings.HasSuffix(s, "7") {
			return "", false
		}
		return "code:" + s, true
	}
	var spellings []string
	for i := range cacheLimit + 1000 {
		spellings = append(spellings, fmt.Sprintf("区%d", i), fmt.Sprintf("%d旗", i))
	}
	for round := range 3 {
		for k := range spellings {
			s := spellings[(k*7919+round)%len(spellings)]
			v, ok := c.lookup(0, s, 0, f)
			want, wantOK := f(s)
			if ok != wantOK || (ok && string(v.ByteArray()) != want) || (!ok && !v.IsNull()) {
				t.Fatalf("lookup(%q) = %v, %v; want %q, %v", s, v, ok, want, wantOK)
			}
		}
	}
}

// TestKeySetReserve checks that a reserved key set takes its keys without growing (the
// old and new tables of a late growth are the ingest's peak of memory), and finds them,
// and that it is sized to its keys, not to a power of two (at most 1024 slots over
// ⌈4n/3⌉: a scale-50 hazards file's 3.4 million keys take 36 MB, not the 64 of 8M slots).
func TestKeySetReserve(t *testing.T) {
	const n = 100000
	b := &recBatch{n: 2, off: []int{0, 2, 4}, flat: []string{"H1", "东胜区", "H2", "东胜区"}}
	// Each record is 2+1+9+1 = 13 bytes: a file of 13n bytes has n rows.
	if got := estimateRows(13*n, b); got != n {
		t.Errorf("estimateRows = %d, want %d", got, n)
	}
	// Sizes about a whole number of 1024 slots, and a scale-50 hazards file's.
	for _, n := range []int{1, 767, 768, 769, 3071, 3072, 3073, n, 3_400_000} {
		var s keySet
		s.reserve(n)
		slots := len(s.slots)
		if least := (4*n + 2) / 3; slots < least || slots >= least+1024 {
			t.Errorf("%d keys reserved %d slots, want %d to %d", n, slots, least, least+1023)
		}
		if n > 100000 {
			// The scale-50 size is only sized: filling it (0.2 s) would check again what
			// the sizes above check. Whether an add grows the set depends only on how
			// many keys it holds and on its slots, and rises with the keys, so the last
			// of the n adds is the one that would grow it: the set is given n-1 keys.
			s.n = n - 1
			if !s.add(7) || len(s.slots) != slots {
				t.Errorf("the set grew from %d to %d slots at the last of the %d keys it reserved", slots, len(s.slots), n)
			}
			continue
		}
		for i := range uint64(n) {
			if !s.add(i*0x9E3779B97F4A7C15 + 7) {
				t.Fatalf("%d keys: key %d taken for a duplicate", n, i)
			}
		}
		if len(s.slots) != slots {
			t.Errorf("the set grew from %d to %d slots for the %d keys it reserved", slots, len(s.slots), n)
		}
		for i := range uint64(n) {
			if s.add(i*0x9E3779B97F4A7C15 + 7) {
				t.Fatalf("%d keys: key %d not found again", n, i)
			}
		}
	}
}

// TestKeySetWraps: keys whose home is the last slot probe on from the first.
func TestKeySetWraps(t *testing.T) {
	var s keySet
	s.reserve(10)
	last := uint64(len(s.slots)-1) << 54 // home(h, 1024) is h's top ten bits
	if len(s.slots) != 1024 || home(last|1, len(s.slots)) != 1023 {
		t.Fatalf("%d slots, home %d", len(s.slots), home(last|1, len(s.slots)))
	}
	for i := range uint64(5) {
		if !s.add(last + i<<1) {
			t.Fatalf("key %d taken for a duplicate", i)
		}
	}
	for i := range uint64(5) {
		if s.add(last + i<<1) {
			t.Fatalf("key %d not found again", i)
		}
	}
	if s.slots[0] == 0 || s.slots[3] == 0 || s.slots[4] != 0 {
		t.Errorf("the keys after the last slot are not in slots 0-3: % x", s.slots[:5])
	}
}

// appendJSONString writes what json.Marshal writes, for every kind of character it
// escapes and for bytes that are not UTF-8.
func TestAppendJSONStringMatchesMarshal(t *testing.T) {
	cases := []string{"", "plain", `"quoted" \back\slash`, "<a href='x'>&amp;</a>", "tab\there\nnew\rret\b\f",
		"\x00\x01\x1f\x7f", "隐患\u2028行\u2029段", "bad \xff\xfe byte", "\xe4\xb8", "准格尔旗,\"企业\"", "😀 emoji"}
	for c := range 0x80 {
		cases = append(cases, "x"+string(rune(c))+"y")
	}
	for _, s := range cases {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("隐患<描述>\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	})
}
