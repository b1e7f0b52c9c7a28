package sampledata

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// TestCastStories: every profile under profiles/ gets every story, in distinct regions
// (it has nine), the large accident in its largest hazardous region-sector pair, the
// fine-only fatal accident in an industrial, non-hazardous sector, and the rising
// overdue major hazards in a major-hazard-prone sector. Nothing depends on region codes.
func TestCastStories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "profiles", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("profiles: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p, err := safetyrisk.LoadProfile(f)
			if err != nil {
				t.Fatal(err)
			}
			w := weights(p)
			k := castStories(p, w)
			t.Logf("%+v", k)
			regions := []string{k.largeRegion, k.unlistedRegion, k.concealedRegion, k.fineOnlyRegion, k.late[0][0], k.late[1][0], k.skipRegion, k.zeroFindingRegion, k.lowStaffRegion}
			seen := map[string]bool{}
			for _, r := range regions {
				if r == "" || seen[r] || p.RegionName(r) == "" {
					t.Errorf("story regions %v: want nine distinct regions of the profile", regions)
					break
				}
				seen[r] = true
			}
			sec := func(code string) safetyrisk.Sector { return p.Sectors[sectorProfileIndex(p, code)] }
			best := 0.0
			for ri := range w {
				for si, v := range w[ri] {
					if sec(sectorOrder[si]).Hazardous {
						best = max(best, v)
					}
				}
			}
			ri := -1
			for i, r := range p.Regions {
				if r.Code == k.largeRegion {
					ri = i
				}
			}
			if !sec(k.largeSector).Hazardous || w[ri][indexOf(sectorOrder, k.largeSector)] != best {
				t.Errorf("large accident in %s/%s, not the largest hazardous pair (%.4f)", k.largeRegion, k.largeSector, best)
			}
			if s := sec(k.fineOnlySector); !s.Industrial || s.Hazardous {
				t.Errorf("fine-only fatal accident in %s", k.fineOnlySector)
			}
			if !majorProne(k.overdueSector) || k.overdueSector == k.largeSector {
				t.Errorf("overdue story sector %s", k.overdueSector)
			}
			for _, c := range [][2]string{{k.largeRegion, k.largeSector}, {k.concealedRegion, k.concealedSector}, {k.fineOnlyRegion, k.fineOnlySector}, k.late[0], k.late[1]} {
				for i, r := range p.Regions {
					if r.Code == c[0] && w[i][indexOf(sectorOrder, c[1])] <= 0 {
						t.Errorf("story in %s/%s, where the profile has no enterprise", c[0], c[1])
					}
				}
			}
		})
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// TestGenerateBaotou: the generator makes a data set of another city from its profile
// alone: every region of 包头市 has enterprises, every story is planted in one of its
// regions, and nothing names a region or city of another profile.
func TestGenerateBaotou(t *testing.T) {
	p, err := safetyrisk.LoadProfile(filepath.Join("..", "profiles", "baotou.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg := testConfig(out, 3)
	cfg.Profile = p
	generate(t, cfg)
	ds := load(t, out)
	en := ds.tables["enterprises"]
	perRegion := map[string]int{}
	for _, r := range en.recs {
		code, ok := p.RegionCode(ds.clean(en, r, "region"))
		if !ok && !ds.rejected(r) {
			t.Fatalf("enterprise region %q is not a region of %s", ds.clean(en, r, "region"), p.City.Name)
		}
		perRegion[code]++
		if name := ds.clean(en, r, "name"); !strings.HasPrefix(name, p.City.Name) {
			t.Errorf("enterprise name %q does not start with %s", name, p.City.Name)
		}
	}
	for _, r := range p.Regions {
		if perRegion[r.Code] == 0 {
			t.Errorf("no enterprise in %s %s", r.Code, r.Name)
		}
	}
	t.Logf("enterprises per region: %v", perRegion)
	enf := ds.tables["enforcement"]
	for _, r := range enf.recs {
		if id := enf.get(r, "case_id"); !strings.HasPrefix(id, "包应急罚") {
			t.Errorf("case id %q: want the city's abbreviation 包", id)
			break
		}
	}
	for _, story := range []string{StoryLargeAccident, StoryOverdueMajorRising, StoryLateReport, StoryConcealedAccident,
		StoryConcealedReport, StoryZeroFinding, StoryFineOnlyFatal, StorySkippedMeeting, StoryLowStaffQualification, StoryUnlistedMajorHazard} {
		recs := ds.stories(story)
		if len(recs) == 0 {
			t.Errorf("story %s not planted", story)
		}
		for _, s := range recs {
			if s[3] != "" && p.RegionName(s[3]) == "" {
				t.Errorf("story %s in region %q, not one of %s", story, s[3], p.City.Name)
			}
		}
	}
	ordos := safetyrisk.Ordos()
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".csv" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, r := range append([]safetyrisk.Region{{Code: ordos.City.Code, Name: ordos.City.Name}}, ordos.Regions...) {
			if bytes.Contains(b, []byte(r.Name)) {
				t.Errorf("%s names %s", path, r.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDefaultPeriod(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		now      time.Time
		from, to string
	}{
		{time.Date(2026, 11, 30, 4, 0, 0, 0, time.UTC), "2023-01-01", "2026-11-29"},
		// 17:00 UTC on 31 December is already 1 January in Shanghai.
		{time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC), "2024-01-01", "2026-12-31"},
		{time.Date(2026, 12, 31, 15, 59, 0, 0, time.UTC), "2023-01-01", "2026-12-30"},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, sh), "2024-01-01", "2027-02-28"},
	}
	for _, c := range cases {
		from, to := DefaultPeriod(c.now, sh)
		if got := from.Format(time.DateOnly) + " " + to.Format(time.DateOnly); got != c.from+" "+c.to {
			t.Errorf("DefaultPeriod(%s) = %s, want %s %s", c.now, got, c.from, c.to)
		}
		cfg := testConfig("out", 1)
		cfg.From, cfg.To = from, to
		if err := cfg.Validate(); err != nil {
			t.Errorf("default period %s..%s: %v", from.Format(time.DateOnly), to.Format(time.DateOnly), err)
		}
	}
}
