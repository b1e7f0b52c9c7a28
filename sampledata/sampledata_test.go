package sampledata

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// shared is one generated data set that the read-only tests check.
var shared struct {
	once sync.Once
	dir  string
	ds   *dataset
}

func sharedData(t *testing.T) *dataset {
	t.Helper()
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "sampledata-test-")
		if err != nil {
			t.Fatal(err)
		}
		shared.dir = dir
		generate(t, testConfig(dir, 42))
		shared.ds = load(t, dir)
	})
	if shared.ds == nil {
		t.Fatal("shared data set failed to generate")
	}
	return shared.ds
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// hashes returns the sha256 of every file under dir (truth files included).
func hashes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	for _, format := range []Format{FormatCSV, FormatJSON, FormatXLSX} {
		t.Run(string(format), func(t *testing.T) {
			t.Parallel() // the formats share nothing
			a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
			for _, x := range []struct {
				dir  string
				seed uint64
			}{{a, 7}, {b, 7}, {c, 8}} {
				cfg := testConfig(x.dir, x.seed)
				cfg.Format = format
				generate(t, cfg)
			}
			ha, hb, hc := hashes(t, a), hashes(t, b), hashes(t, c)
			if len(ha) < 14 {
				t.Fatalf("only %d files: %v", len(ha), ha)
			}
			for name, h := range ha {
				if strings.HasPrefix(filepath.Base(name), ".") {
					t.Errorf("temporary file left: %s", name)
				}
				if hb[name] != h {
					t.Errorf("%s: same seed, different bytes", name)
				}
			}
			if len(hb) != len(ha) {
				t.Errorf("same seed: %d files vs %d", len(hb), len(ha))
			}
			same := 0
			for name, h := range ha {
				if hc[name] == h {
					same++
				}
			}
			// region_stats does not depend on the seed; nothing else should match.
			if same > 1 {
				t.Errorf("seeds 7 and 8 give %d identical files", same)
			}
		})
	}
}

func TestMagnitudesAndFiles(t *testing.T) {
	ds := sharedData(t)
	encs := map[string]bool{}
	for _, f := range ds.files {
		encs[f.Encoding] = true
	}
	for _, e := range []string{encUTF8, encUTF8BOM, encGBK} {
		if !encs[e] {
			t.Errorf("no %s file", e)
		}
	}
	if len(ds.tables) != len(safetyrisk.Tables()) {
		t.Fatalf("%d tables, want %d", len(ds.tables), len(safetyrisk.Tables()))
	}
	// Scale 0.05 of the assumptions (three years): loose bounds.
	for _, c := range []struct {
		table  string
		lo, hi int
	}{
		{"enterprises", 240, 260}, {"inspections", 6000, 14000}, {"hazards", 7000, 15000},
		{"accidents", 8, 60}, {"staff", 9 * StaffMin, 9 * StaffMin}, {"region_stats", 27, 27},
	} {
		if n := len(ds.tables[c.table].recs); n < c.lo || n > c.hi {
			t.Errorf("%s: %d rows, want %d..%d", c.table, n, c.lo, c.hi)
		}
	}
	// Every file's headers identify its table (as ingest detects it).
	for _, tb := range ds.tables {
		for name, hdr := range tb.hdr {
			if got := safetyrisk.DetectTable(hdr); got != tb.t {
				t.Errorf("%s: headers detect table %v, want %s", name, got, tb.t.Name)
			}
		}
	}
}

// TestCleanRowsAreClean checks that a row without a planted problem is exactly as a
// careful office would write it: ISO dates, full region names, Chinese enum names, 是/否,
// valid credit codes and ID numbers, and nothing in the future or out of order.
func TestCleanRowsAreClean(t *testing.T) {
	ds := sharedData(t)
	prof := safetyrisk.Ordos()
	to := time.Date(2024, 12, 31, 23, 59, 0, 0, time.UTC)
	for _, tb := range ds.tables {
		bad := 0
		for _, r := range tb.recs {
			if _, dirty := ds.isDirty(r); dirty {
				continue
			}
			fail := func(col, v, why string) {
				if bad < 5 {
					t.Errorf("%s row %d %s=%q: %s", r.file, r.row, col, v, why)
				}
				bad++
			}
			for i, c := range tb.t.Columns {
				v := r.cells[i]
				if v == "" {
					if c.Required {
						fail(c.Name, v, "required and blank")
					}
					continue
				}
				switch c.Kind {
				case safetyrisk.KindDate:
					d, err := time.Parse(time.DateOnly, v)
					if err != nil {
						fail(c.Name, v, "not an ISO date")
					} else if c.NotFuture && d.After(to) {
						fail(c.Name, v, "after --to")
					}
				case safetyrisk.KindTime:
					if d, err := time.Parse("2006-01-02 15:04", v); err != nil || d.After(to) {
						fail(c.Name, v, "not a time up to --to")
					}
				case safetyrisk.KindInt:
					if n := atoi(v); n < 0 || itoa(int(n)) != v {
						fail(c.Name, v, "not a count")
					}
				case safetyrisk.KindBool:
					if v != "是" && v != "否" {
						fail(c.Name, v, "not 是/否")
					}
				case safetyrisk.KindEnum:
					code, ok := c.Enum.Lookup(v)
					if !ok || c.Enum.NameOf(code) != v {
						fail(c.Name, v, "not a Chinese enum name")
					}
				case safetyrisk.KindEnumSet:
					for _, p := range strings.Split(v, "、") {
						if _, ok := c.Enum.Lookup(p); !ok {
							fail(c.Name, v, "unknown action "+p)
						}
					}
				case safetyrisk.KindRegion:
					code, ok := prof.RegionCode(v)
					if !ok || prof.RegionName(code) != v {
						fail(c.Name, v, "not a full region name")
					}
				case safetyrisk.KindSector:
					code, ok := prof.SectorCode(v)
					if !ok || prof.SectorName(code) != v {
						fail(c.Name, v, "not a sector name")
					}
				case safetyrisk.KindCreditCode:
					if !safetyrisk.ValidCreditCode(v) {
						fail(c.Name, v, "bad GB 32100 check character")
					}
				}
				if c.Name == "reporter_id_number" && (len(v) != 18 || IDCheckDigit(v[:17]) != v[17]) {
					fail(c.Name, v, "bad GB 11643 check character")
				}
			}
			for _, o := range tb.t.Order {
				l, e := r.cells[tb.ix[o.Later]], r.cells[tb.ix[o.Earlier]]
				if l != "" && e != "" && l < e { // ISO dates and times sort as strings
					fail(o.Later, l, "before "+o.Earlier+" "+e)
				}
			}
		}
	}
}

func TestReferentialIntegrity(t *testing.T) {
	ds := sharedData(t)
	ents := map[string][2]string{} // id -> region, sector
	en := ds.tables["enterprises"]
	for _, r := range en.recs {
		ents[en.get(r, "enterprise_id")] = [2]string{ds.clean(en, r, "region"), ds.clean(en, r, "sector")}
	}
	insp := map[string]string{} // inspection -> enterprise
	it := ds.tables["inspections"]
	for _, r := range it.recs {
		insp[it.get(r, "inspection_id")] = it.get(r, "enterprise_id")
	}
	acc := map[string]bool{}
	at := ds.tables["accidents"]
	for _, r := range at.recs {
		acc[at.get(r, "accident_id")] = true
	}
	found := map[[2]string]string{}
	check := func(table string, r record, col, ref string, ok bool) {
		v := ds.tables[table].get(r, col)
		if v == "" || ok {
			return
		}
		found[[2]string{r.file, itoa(int(r.row))}] = col + "=" + v + "->" + ref
	}
	for name, tb := range ds.tables {
		if tb.t.Column("enterprise_id") == nil || name == "enterprises" {
			continue
		}
		for _, r := range tb.recs {
			if ds.rejected(r) {
				continue
			}
			id := tb.get(r, "enterprise_id")
			e, ok := ents[id]
			check(name, r, "enterprise_id", "enterprises.enterprise_id", ok)
			// A record's region and sector are its enterprise's.
			if ok && tb.t.Column("region") != nil && tb.t.Column("sector") != nil && ds.clean(tb, r, "sector") != "" {
				if got := [2]string{ds.clean(tb, r, "region"), ds.clean(tb, r, "sector")}; got != e {
					t.Errorf("%s row %d: region/sector %v, enterprise %s has %v", r.file, r.row, got, id, e)
				}
			}
		}
	}
	for _, tbn := range []string{"hazards", "enforcement"} {
		tb := ds.tables[tbn]
		for _, r := range tb.recs {
			if ds.rejected(r) {
				continue
			}
			iid := tb.get(r, "inspection_id")
			owner, ok := insp[iid]
			check(tbn, r, "inspection_id", "inspections.inspection_id", ok)
			if ok && iid != "" && owner != tb.get(r, "enterprise_id") {
				t.Errorf("%s row %d: enterprise %s, its inspection %s is of %s", r.file, r.row, tb.get(r, "enterprise_id"), iid, owner)
			}
			if tbn == "enforcement" {
				check(tbn, r, "accident_id", "accidents.accident_id", acc[tb.get(r, "accident_id")])
			}
		}
	}
	// Every broken reference is a planted orphan, and every planted orphan is broken.
	if len(ds.orphan) < 5 {
		t.Errorf("%d planted orphans, want at least 5", len(ds.orphan))
	}
	for k, v := range found {
		o, ok := ds.orphan[k]
		if !ok {
			t.Errorf("unplanted broken reference %s row %s: %s", k[0], k[1], v)
			continue
		}
		if !strings.HasPrefix(v, o[4]+"="+o[5]+"->"+o[6]) {
			t.Errorf("orphan %v: found %s", o, v)
		}
	}
	for k, o := range ds.orphan {
		if _, ok := found[k]; !ok {
			t.Errorf("planted orphan %v not broken", o)
		}
	}
	// Key uniqueness.
	for _, tb := range ds.tables {
		seen := map[string]bool{}
		for _, r := range tb.recs {
			var parts []string
			for _, k := range tb.t.Key {
				parts = append(parts, ds.clean(tb, r, k))
			}
			k := strings.Join(parts, "/")
			if seen[k] {
				t.Errorf("%s: duplicate key %s", tb.t.Name, k)
			}
			seen[k] = true
		}
	}
}

// TestDirtyRows checks the truth file against the files: the planted cell is there,
// differs from the clean value, and the kind is of the class the truth says.
func TestDirtyRows(t *testing.T) {
	ds := sharedData(t)
	accept := map[string]bool{KindExcelSerial: true, KindFullWidth: true, KindChineseDate: true, KindSlashDate: true,
		KindRegionShort: true, KindRegionCode: true, KindBoolYN: true, KindEnumCode: true, KindSectorCode: true, KindPadded: true}
	byKind := map[string]int{}
	recs := map[[2]string]record{}
	for _, tb := range ds.tables {
		for _, r := range tb.recs {
			recs[[2]string{r.file, itoa(int(r.row))}] = r
		}
	}
	prof := safetyrisk.Ordos()
	for k, d := range ds.dirty {
		byKind[d.kind]++
		r, ok := recs[k]
		if !ok {
			t.Errorf("dirty row %v: no such row", k)
			continue
		}
		tb := ds.tables[d.table]
		if r.file != d.file || tb == nil {
			t.Errorf("dirty row %v: table %s", k, d.table)
			continue
		}
		if got := tb.get(r, d.column); got != d.value || got == d.clean {
			t.Errorf("%s row %d %s: cell %q, truth says planted %q (clean %q)", d.file, d.row, d.column, got, d.value, d.clean)
		}
		if (d.expect == ExpectAccept) != accept[d.kind] {
			t.Errorf("%v: kind %s with expect %s", k, d.kind, d.expect)
		}
		switch d.table {
		case "enterprises", "accidents", "staff", "region_stats":
			if d.expect == ExpectReject {
				t.Errorf("%v: invalid row in %s, whose rows must all be accepted", k, d.table)
			}
		}
		col := tb.t.Column(d.column)
		// The messy-but-valid values mean the clean one.
		switch d.kind {
		case KindExcelSerial:
			if days := int(atoi(d.value)); time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Format(time.DateOnly) != d.clean {
				t.Errorf("%v: serial %s is not %s", k, d.value, d.clean)
			}
		case KindFullWidth, KindPadded:
			if strings.TrimSpace(safetyrisk.FoldWidth(d.value)) != d.clean {
				t.Errorf("%v: %q does not fold to %q", k, d.value, d.clean)
			}
		case KindRegionShort, KindRegionCode:
			a, _ := prof.RegionCode(d.value)
			b, _ := prof.RegionCode(d.clean)
			if a == "" || a != b {
				t.Errorf("%v: region %q is not %q", k, d.value, d.clean)
			}
		case KindRegionTypo:
			if _, ok := prof.RegionCode(d.value); ok {
				t.Errorf("%v: typo %q names a region", k, d.value)
			}
		case KindEnumCode, KindUnknownEnum:
			a, okA := col.Enum.Lookup(d.value)
			b, _ := col.Enum.Lookup(d.clean)
			if (d.kind == KindEnumCode) != (okA && a == b) {
				t.Errorf("%v: enum %q vs %q", k, d.value, d.clean)
			}
		case KindImpossibleDay:
			if _, err := time.Parse(time.DateOnly, d.value); err == nil {
				t.Errorf("%v: %q is a real date", k, d.value)
			}
		case KindFutureDate:
			if mustDate(t, d.value).Before(time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("%v: %q is not far in the future", k, d.value)
			}
		case KindNegative:
			if atof(d.value) >= 0 {
				t.Errorf("%v: %q is not negative", k, d.value)
			}
		case KindBlankRequired:
			if d.value != "" || !col.Required {
				t.Errorf("%v: blank %q in optional column %s", k, d.value, d.column)
			}
		}
	}
	n := 0
	for _, tb := range ds.tables {
		n += len(tb.recs)
	}
	if rate := float64(len(ds.dirty)) / float64(n); rate < 0.01 || rate > 0.03 {
		t.Errorf("dirty rate %.4f, configured 0.02", rate)
	}
	for _, k := range []string{KindExcelSerial, KindFullWidth, KindChineseDate, KindSlashDate, KindRegionShort, KindBoolYN,
		KindPadded, KindRegionTypo, KindBlankRequired, KindImpossibleDay, KindFutureDate, KindOrder, KindUnknownEnum, KindNegative} {
		if byKind[k] == 0 {
			t.Errorf("no dirty row of kind %s", k)
		}
	}
}

func TestStories(t *testing.T) {
	ds := sharedData(t)
	prof := safetyrisk.Ordos()
	code := func(name string) string { c, _ := prof.RegionCode(name); return c }
	at := ds.tables["accidents"]
	type acc struct {
		id, region, sector, enterprise, violation string
		deaths                                    int64
		grade                                     safetyrisk.Grade
		at, reported                              time.Time
	}
	accs := map[string]acc{}
	var ids []string
	for _, r := range at.recs {
		a := acc{id: at.get(r, "accident_id"), region: code(ds.clean(at, r, "region")), enterprise: at.get(r, "enterprise_id"),
			violation: ds.clean(at, r, "reporting_violation"), deaths: atoi(at.get(r, "deaths")) + atoi(at.get(r, "missing")),
			at: mustTime(t, at.get(r, "occurred_at")), reported: mustTime(t, at.get(r, "reported_at"))}
		a.sector, _ = prof.SectorCode(ds.clean(at, r, "sector"))
		a.grade = safetyrisk.AccidentGrade(a.deaths, atoi(at.get(r, "serious_injuries")), atof(at.get(r, "direct_loss")))
		accs[a.id] = a
		ids = append(ids, a.id)
	}
	sort.Strings(ids)

	t.Run("large accident and veto", func(t *testing.T) {
		want := ds.storyKeys(StoryLargeAccident)
		got := map[string]bool{}
		region := castStories(prof, weights(prof)).largeRegion
		for _, a := range accs {
			if a.grade >= safetyrisk.GradeLarge {
				got[a.id] = true
				if a.region != region || a.deaths < 3 || a.deaths > 9 {
					t.Errorf("large accident %+v", a)
				}
			}
		}
		if len(want) != 1 || !equalSets(got, want) {
			t.Errorf("large accidents %v, truth %v", got, want)
		}
	})
	t.Run("late reports", func(t *testing.T) {
		want := ds.storyKeys(StoryLateReport)
		got := map[string]bool{}
		for _, a := range accs {
			if a.reported.Sub(a.at) > safetyrisk.ReportDeadline {
				got[a.id] = true
			}
		}
		if len(want) < 3 || !equalSets(got, want) {
			t.Errorf("late accidents %v, truth %v", got, want)
		}
	})
	t.Run("concealed accident revealed by a report", func(t *testing.T) {
		want := ds.storyKeys(StoryConcealedAccident)
		var con []acc
		for _, id := range ids {
			if accs[id].violation == "瞒报" {
				con = append(con, accs[id])
			}
		}
		if len(con) != 1 || !want[con[0].id] {
			t.Fatalf("concealed accidents %v, truth %v", con, want)
		}
		c := con[0]
		rt := ds.tables["reports"]
		found := 0
		for _, r := range rt.recs {
			if ds.clean(rt, r, "subject") != "瞒报事故" || ds.clean(rt, r, "substantiated") != "是" {
				continue
			}
			found++
			received := mustDate(t, ds.clean(rt, r, "received_on"))
			if rt.get(r, "enterprise_id") != c.enterprise || received.Before(c.at.Truncate(24*time.Hour)) || received.After(c.reported) {
				t.Errorf("report %s: enterprise %s received %s, accident %+v", rt.get(r, "report_id"), rt.get(r, "enterprise_id"), received, c)
			}
			if want := safetyrisk.ConcealedAccidentReward(c.grade, c.deaths); atof(rt.get(r, "reward")) != want {
				t.Errorf("reward %s, want %.0f (安监总财〔2018〕19号)", rt.get(r, "reward"), want)
			}
			if !ds.storyKeys(StoryConcealedReport)[rt.get(r, "report_id")] {
				t.Errorf("report %s not in the truth file", rt.get(r, "report_id"))
			}
		}
		if found != 1 {
			t.Errorf("%d substantiated concealed-accident reports, want 1", found)
		}
	})
	et := ds.tables["enforcement"]
	t.Run("accident fines by grade and fine-only fatal accident", func(t *testing.T) {
		noTransfer, hasCase := map[string]bool{}, map[string]bool{}
		for _, r := range et.recs {
			aid := et.get(r, "accident_id")
			if aid == "" || ds.rejected(r) {
				continue
			}
			hasCase[aid] = true
			a := accs[aid]
			fr := safetyrisk.AccidentFineRange(a.grade)
			if f := atof(et.get(r, "fine")); f < fr.Min || f > fr.Max {
				t.Errorf("case %s: fine %.0f outside %v for grade %s (Work Safety Law art. 114)", et.get(r, "case_id"), f, fr, a.grade)
			}
			if a.deaths > 0 && ds.clean(et, r, "transferred") != "是" {
				noTransfer[aid] = true
				if strings.Contains(et.get(r, "actions"), "移送司法") || !strings.Contains(et.get(r, "actions"), "罚款") {
					t.Errorf("case %s actions %q", et.get(r, "case_id"), et.get(r, "actions"))
				}
			}
		}
		want := map[string]bool{}
		for _, s := range ds.stories(StoryFineOnlyFatal) {
			if s[1] == "accidents" {
				want[s[2]] = true
			}
		}
		if len(want) != 1 || !equalSets(noTransfer, want) {
			t.Errorf("fatal accidents without transfer %v, truth %v", noTransfer, want)
		}
		// Every accident has its case, or is listed as pending at --to.
		pending := ds.storyKeys(StoryCasePending)
		for _, id := range ids {
			if hasCase[id] == pending[id] {
				t.Errorf("accident %s: case %v, pending %v", id, hasCase[id], pending[id])
			}
		}
	})

	it := ds.tables["inspections"]
	t.Run("zero-finding region", func(t *testing.T) {
		n, zero := map[string]float64{}, map[string]float64{}
		for _, r := range it.recs {
			if ds.clean(it, r, "kind") == "企业自查" || ds.rejected(r) {
				continue
			}
			reg := code(ds.clean(it, r, "region"))
			n[reg]++
			if strings.TrimSpace(safetyrisk.FoldWidth(it.get(r, "hazards_found"))) == "0" {
				zero[reg]++
			}
		}
		story := ds.stories(StoryZeroFinding)
		if len(story) != 1 {
			t.Fatalf("zero-finding stories %v", story)
		}
		for reg := range n {
			ratio := zero[reg] / n[reg]
			if reg == story[0][3] && ratio < 0.7 || reg != story[0][3] && ratio > 0.45 {
				t.Errorf("region %s: zero-finding ratio %.2f", reg, ratio)
			}
		}
	})
	t.Run("skipped half-yearly meeting", func(t *testing.T) {
		gt := ds.tables["governance"]
		held := map[string]int{} // region/half/kind
		for _, r := range gt.recs {
			if ds.rejected(r) {
				continue
			}
			k := ds.clean(gt, r, "kind")
			if k != "党委常委会" && k != "政府常务会" {
				continue
			}
			d := mustDate(t, ds.clean(gt, r, "held_on"))
			held[code(ds.clean(gt, r, "region"))+"/"+halfOf(d)+"/"+k]++
		}
		story := ds.stories(StorySkippedMeeting)
		if len(story) != 1 {
			t.Fatalf("skipped-meeting stories %v", story)
		}
		var missing []string
		for y := 2022; y <= 2024; y++ {
			for _, h := range []string{"H1", "H2"} {
				for _, reg := range prof.Regions {
					for _, k := range []string{"党委常委会", "政府常务会"} {
						if held[reg.Code+"/"+itoa(y)+h+"/"+k] == 0 {
							missing = append(missing, reg.Code+"/"+itoa(y)+h)
						}
					}
				}
			}
		}
		if len(missing) != 2 || missing[0] != missing[1] || !strings.HasPrefix(missing[0], story[0][3]+"/") ||
			!strings.Contains(story[0][5], strings.TrimPrefix(missing[0], story[0][3]+"/")) {
			t.Errorf("missing meetings %v, story %v", missing, story[0])
		}
	})
	t.Run("staff qualification", func(t *testing.T) {
		st := ds.tables["staff"]
		n, q := map[string]float64{}, map[string]float64{}
		for _, r := range st.recs {
			if ds.clean(st, r, "active") != "是" {
				continue
			}
			reg := code(ds.clean(st, r, "region"))
			n[reg]++
			if ds.clean(st, r, "qualified_education") == "是" || ds.clean(st, r, "qualified_certificate") == "是" || atoi(ds.clean(st, r, "experience_years")) >= 3 {
				q[reg]++
			}
		}
		story := ds.stories(StoryLowStaffQualification)
		for reg := range n {
			low := q[reg]/n[reg] < safetyrisk.QualifiedStaffTarget
			if low != (reg == story[0][3]) {
				t.Errorf("region %s: qualified %.2f (M51 target %.2f), story region %s", reg, q[reg]/n[reg], safetyrisk.QualifiedStaffTarget, story[0][3])
			}
		}
	})
	ht := ds.tables["hazards"]
	t.Run("one unlisted major hazard (M31)", func(t *testing.T) {
		want := ds.storyKeys(StoryUnlistedMajorHazard)
		got := map[string]bool{}
		for _, r := range ht.recs {
			if ds.rejected(r) || ds.clean(ht, r, "level") != "重大" || ds.clean(ht, r, "in_ledger") != "否" {
				continue
			}
			got[ds.clean(ht, r, "hazard_id")] = true
			if src := ds.clean(ht, r, "source"); src != "监督检查" {
				t.Errorf("unlisted major hazard from %s, want an inspection", src)
			}
			if reg := ds.clean(ht, r, "region"); reg != "伊金霍洛旗" {
				t.Errorf("unlisted major hazard in %s, want 伊金霍洛旗", reg)
			}
		}
		if len(want) != 1 || !equalSets(got, want) {
			t.Errorf("unlisted major hazards %v, truth %v", got, want)
		}
	})
	t.Run("overdue major hazards rise", func(t *testing.T) {
		type hz struct{ found, deadline, rectified time.Time }
		var major, others []hz
		for _, r := range ht.recs {
			if ds.rejected(r) || ds.clean(ht, r, "level") != "重大" {
				continue
			}
			h := hz{found: mustDate(t, ds.clean(ht, r, "found_on")), deadline: mustDate(t, ds.clean(ht, r, "deadline"))}
			if v := ds.clean(ht, r, "rectified_on"); v != "" {
				h.rectified = mustDate(t, v)
			}
			if ds.clean(ht, r, "sector") == "危险化学品" {
				major = append(major, h)
			} else {
				others = append(others, h)
			}
		}
		overdue := func(hs []hz) []int {
			var series []int
			for m := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC); m.Year() < 2025; m = m.AddDate(0, 1, 0) {
				end := m.AddDate(0, 1, -1)
				n := 0
				for _, h := range hs {
					if h.deadline.Before(end) && !h.found.After(end) && (h.rectified.IsZero() || h.rectified.After(end)) {
						n++
					}
				}
				series = append(series, n)
			}
			return series
		}
		series, rest := overdue(major), overdue(others)
		// The other sectors together (about nine times as many hazards) rise less.
		if rise, restRise := series[len(series)-1]-series[0], rest[len(rest)-1]-rest[0]; rise < 15 || restRise >= rise {
			t.Errorf("overdue major hazards Jun-Dec 2024: story sector %v, the others %v", series, rest)
		}
		for i := 1; i < len(series); i++ {
			if series[i] <= series[i-1] {
				t.Errorf("overdue major hazards by month-end Jun-Dec 2024: %v, not rising", series)
				break
			}
		}
		if len(ds.stories(StoryOverdueMajorRising)) < 8*3 {
			t.Errorf("only %d planted hazards", len(ds.stories(StoryOverdueMajorRising)))
		}
	})
	t.Run("sector mix and seasonality", func(t *testing.T) {
		en := ds.tables["enterprises"]
		coal := map[string]int{}
		total := 0
		for _, r := range en.recs {
			if ds.clean(en, r, "sector") == "煤矿" {
				coal[code(ds.clean(en, r, "region"))]++
				total++
			}
		}
		// The two regions the profile gives the most coal mines hold most of them.
		w := weights(prof)
		top := []int{0, 1}
		for ri := range w {
			c := w[ri][0] // sectorOrder[0] is coal_mine
			if c > w[top[0]][0] {
				top = []int{ri, top[0]}
			} else if ri != top[0] && c > w[top[1]][0] {
				top[1] = ri
			}
		}
		a, b := prof.Regions[top[0]].Code, prof.Regions[top[1]].Code
		if share := float64(coal[a]+coal[b]) / float64(total); share < 0.4 {
			t.Errorf("coal enterprises in %s and %s: %.2f of %d", a, b, share, total)
		}
		summer, winter := 0, 0
		for _, r := range it.recs {
			// Departmental inspections follow the season; self-checks are monthly all year.
			if ds.clean(it, r, "sector") != "建筑施工" || ds.clean(it, r, "kind") == "企业自查" || ds.rejected(r) {
				continue
			}
			switch mustDate(t, ds.clean(it, r, "inspected_on")).Month() {
			case time.June, time.July, time.August:
				summer++
			case time.December, time.January, time.February:
				winter++
			}
		}
		if float64(summer) < 2*float64(winter) {
			t.Errorf("construction inspections: summer %d, winter %d", summer, winter)
		}
	})
	t.Run("every story is in the truth file", func(t *testing.T) {
		for _, s := range []string{StoryLargeAccident, StoryOverdueMajorRising, StoryLateReport, StoryConcealedAccident, StoryConcealedReport,
			StoryZeroFinding, StoryFineOnlyFatal, StorySkippedMeeting, StoryLowStaffQualification, StoryUnlistedMajorHazard} {
			if len(ds.stories(s)) == 0 {
				t.Errorf("story %s missing", s)
			}
		}
	})
}

func halfOf(d time.Time) string {
	if d.Month() <= 6 {
		return itoa(d.Year()) + "H1"
	}
	return itoa(d.Year()) + "H2"
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestIDCheckDigit(t *testing.T) {
	// GB 11643-1999 worked example: 11010519491231002X.
	for _, c := range []struct {
		id   string
		want byte
	}{{"11010519491231002X", 'X'}, {"440524188001010014", '4'}} {
		if got := IDCheckDigit(c.id[:17]); got != c.want {
			t.Errorf("%s: check %c, want %c", c.id, got, c.want)
		}
	}
	if math.Abs(float64(excelSerial(time.Date(2022, 9, 27, 0, 0, 0, 0, time.UTC))-44831)) > 0 {
		t.Errorf("excel serial of 2022-09-27: %d, want 44831", excelSerial(time.Date(2022, 9, 27, 0, 0, 0, 0, time.UTC)))
	}
}

func TestConfigValidate(t *testing.T) {
	ok := testConfig("out", 1)
	cases := []struct {
		name string
		mod  func(*Config)
		bad  bool
	}{
		{"good", func(*Config) {}, false},
		{"no out", func(c *Config) { c.Out = "" }, true},
		{"zero scale", func(c *Config) { c.Scale = 0 }, true},
		{"short period", func(c *Config) { c.To = c.From.AddDate(0, 6, 0) }, true},
		{"xlsx", func(c *Config) { c.Format = FormatXLSX }, false},
		{"xlsx too big", func(c *Config) { c.Format, c.Scale = FormatXLSX, 10 }, true},
		{"bad format", func(c *Config) { c.Format = "xml" }, true},
		{"dirty too high", func(c *Config) { c.Dirty = 0.9 }, true},
		{"json", func(c *Config) { c.Format = FormatJSON }, false},
		{"region without economy", func(c *Config) {
			p := safetyrisk.Ordos()
			p.Regions[4].Economy = nil
			c.Profile = p
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := ok
			c.mod(&cfg)
			if err := cfg.Validate(); (err != nil) != c.bad {
				t.Errorf("Validate() = %v, want error %v", err, c.bad)
			}
		})
	}
}
