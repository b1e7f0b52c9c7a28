package safetyrisk

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestCreditCode(t *testing.T) {
	// A well-known valid code, then the same with every other check character.
	valid := "91350100M000100Y43"
	if !ValidCreditCode(valid) {
		t.Fatalf("%s should be valid", valid)
	}
	for _, c := range creditAlphabet {
		s := valid[:17] + string(c)
		if s != valid && ValidCreditCode(s) {
			t.Errorf("%s accepted with a wrong check character", s)
		}
	}
	for _, bad := range []string{"", "91350100M000100Y4", "91350100M000100Y431", "91350100M00010OY43"} {
		if ValidCreditCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTablesWellFormed(t *testing.T) {
	if len(Tables()) != 10+len(measuresTables()) {
		t.Fatalf("want 10 tables and the measures register's %d, have %d", len(measuresTables()), len(Tables()))
	}
	for _, tb := range Tables() {
		seen := map[string]string{}
		for _, c := range tb.Columns {
			for _, h := range append([]string{c.Name, c.Header}, aliasHeaders(c)...) {
				k := FoldKey(h)
				if prev, dup := seen[k]; dup && prev != c.Name {
					t.Errorf("%s: header %q names both %s and %s", tb.Name, h, prev, c.Name)
				}
				seen[k] = c.Name
			}
			if (c.Kind == KindEnum || c.Kind == KindEnumSet) != (c.Enum != nil) {
				t.Errorf("%s.%s: enum kind and Enum disagree", tb.Name, c.Name)
			}
			if w := c.RequiredWhen; w != nil {
				on := tb.Column(w.Column)
				if on == nil || on.Kind != KindEnum || on.Enum.NameOf(w.Code) == "" || c.Required {
					t.Errorf("%s.%s: RequiredWhen %+v names no code of an enum column, or the column is always required", tb.Name, c.Name, *w)
				}
			}
			if c.Default != "" && (c.Kind != KindEnum || c.Enum.NameOf(c.Default) == "" || c.Required) {
				t.Errorf("%s.%s: Default %q is not a code of an optional enum column", tb.Name, c.Name, c.Default)
			}
		}
		for _, k := range tb.Key {
			if tb.Column(k) == nil || !tb.Column(k).Required {
				t.Errorf("%s: key %s missing or not required", tb.Name, k)
			}
		}
		if tb.TimeCol != "" && tb.Column(tb.TimeCol) == nil {
			t.Errorf("%s: time column %s missing", tb.Name, tb.TimeCol)
		}
		for _, o := range tb.Order {
			if tb.Column(o.Later) == nil || tb.Column(o.Earlier) == nil {
				t.Errorf("%s: order rule %+v names a missing column", tb.Name, o)
			}
		}
	}
}

func aliasHeaders(c Column) []string {
	var out []string
	for _, a := range c.Aliases {
		out = append(out, a.Header)
	}
	return out
}

func TestMatchHeader(t *testing.T) {
	tests := []struct {
		header string
		col    string
		scale  float64
	}{
		{"直接经济损失", "direct_loss", 1},
		{"直接经济损失（万元）", "direct_loss", 10000},
		{" *死亡人数 ", "deaths", 1},
		{"DEATHS", "deaths", 1},
		{"所属旗区", "region", 1},
	}
	for _, tt := range tests {
		i, s := Accidents.MatchHeader(tt.header)
		if i < 0 || Accidents.Columns[i].Name != tt.col || s != tt.scale {
			t.Errorf("MatchHeader(%q) = %d, %v; want %s, %v", tt.header, i, s, tt.col, tt.scale)
		}
	}
	if i, _ := Accidents.MatchHeader("备注"); i >= 0 {
		t.Error("unknown header matched")
	}
}

func TestDetectTable(t *testing.T) {
	for _, tb := range Tables() {
		if got := DetectTable(tb.Headers()); got != tb {
			t.Errorf("headers of %s detected as %v", tb.Name, got)
		}
		if got := DetectTable(tb.ColumnNames()); got != tb {
			t.Errorf("names of %s detected as %v", tb.Name, got)
		}
	}
	if DetectTable([]string{"foo", "bar"}) != nil {
		t.Error("nonsense headers detected as a table")
	}
}

func TestEnumLookup(t *testing.T) {
	for in, want := range map[string]string{"双随机": "double_random", "DOUBLE_RANDOM": "double_random", "明察暗访": "covert"} {
		if got, ok := InspectionKinds.Lookup(in); !ok || got != want {
			t.Errorf("Lookup(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestProfile(t *testing.T) {
	p := Ordos()
	var file struct{ City City } // the profile file, decoded without the loader
	if b, err := os.ReadFile("profiles/ordos.json"); err != nil || json.Unmarshal(b, &file) != nil || file.City.Code == "" {
		t.Fatalf("profiles/ordos.json: %v, city %+v", err, file.City)
	}
	if len(p.Regions) != 9 || p.City != file.City || p.City.Code[:4] != p.Regions[0].Code[:4] {
		t.Fatalf("ordos profile: %d regions, city %+v, want %+v", len(p.Regions), p.City, file.City)
	}
	for in, want := range map[string]string{"东胜": "150602", "东胜区": "150602", "150622": "150622", "伊旗": "150627", "１５０６２２": "150622"} {
		if got, ok := p.RegionCode(in); !ok || got != want {
			t.Errorf("RegionCode(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := p.RegionCode("东圣区"); ok {
		t.Error("a region typo was accepted")
	}
	if c, ok := p.SectorCode("危化品"); !ok || c != "hazardous_chemicals" {
		t.Errorf("SectorCode alias: %q %v", c, ok)
	}
	if _, err := ParseProfile([]byte(`{"city":{"code":"1","name":"x"},"regions":[{"code":"1","name":"y"}],"sectors":[{"code":"a","name":"b"}]}`)); err == nil || !strings.Contains(err.Error(), "region") {
		t.Errorf("a region with the city's code was accepted: %v", err)
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range Catalogue() {
		if seen[in.ID] || seen[in.Metric] {
			t.Errorf("duplicate %s / %s", in.ID, in.Metric)
		}
		seen[in.ID], seen[in.Metric] = true, true
		if !strings.HasPrefix(in.Metric, "safetyrisk_") || strings.HasSuffix(in.Metric, "_total") {
			t.Errorf("%s: bad metric name %s", in.ID, in.Metric)
		}
		if (in.Unit == UnitRatio) != strings.HasSuffix(in.Metric, "_ratio") {
			t.Errorf("%s: ratio unit and _ratio suffix disagree", in.ID)
		}
		if in.Name == "" || in.Help == "" || in.Measures == "" {
			t.Errorf("%s: name, help and measures required", in.ID)
		}
	}
}

// FuzzFoldKey holds FoldKey, which returns a folded string as it is, to the plain fold,
// seeded with every column name, header and alias and the spellings offices write.
func FuzzFoldKey(f *testing.F) {
	for _, t := range Tables() {
		for _, c := range t.Columns {
			f.Add(c.Name)
			f.Add(c.Header)
			for _, a := range c.Aliases {
				f.Add(a.Header)
			}
		}
	}
	for _, s := range []string{"", "Hazard_ID", "隐患 编号", "*隐患编号", "隐患编号\n", "ＡＢＣ１", "\u3000重大", "\xff", "a\xe3\x80", "。、", "（整改）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := FoldKey(s), foldKeyPlain(s); got != want {
			t.Errorf("FoldKey(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestHeaderIndexAsScan: the header index of the registered tables answers what the
// column-by-column scan answers, for every name, header and alias of every table, in
// the spellings offices write (upper case, full width, spaces, a required mark), and for
// headers of other tables; a table outside the registry (a modified copy) is scanned.
func TestHeaderIndexAsScan(t *testing.T) {
	var headers []string
	for _, tb := range Tables() {
		for _, c := range tb.Columns {
			hs := append([]string{c.Name, c.Header}, aliasHeaders(c)...)
			for _, h := range hs {
				headers = append(headers, h, strings.ToUpper(h), " "+h+" ", "*"+h, strings.ReplaceAll(h, "(", "（"))
			}
		}
	}
	headers = append(headers, "", "no such header", "隐患", "ＩＤ")
	for _, tb := range Tables() {
		for _, h := range headers {
			i, a := tb.MatchHeaderAlias(h)
			wi, wa := -1, HeaderAlias{}
			if k := FoldKey(h); k != "" {
				wi, wa = tb.matchHeaderScan(k)
			}
			if i != wi || a != wa {
				t.Fatalf("%s: MatchHeaderAlias(%q) = %d %+v, the scan %d %+v", tb.Name, h, i, a, wi, wa)
			}
		}
	}
	cp := *Hazards
	cp.Columns = cp.Columns[1:] // not registered: scanned
	if i, _ := cp.MatchHeaderAlias(Hazards.Columns[1].Name); i != 0 {
		t.Errorf("a modified copy: %s at column %d, want 0", Hazards.Columns[1].Name, i)
	}
}
