package sampledata

import (
	"math"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// The stories planted in every data set (see ASSUMPTIONS.md), by name as the truth
// file's stories.csv records them.
const (
	StoryLargeAccident         = "large_accident"          // a 较大 accident (4 deaths): its region's assessment is vetoed (M6)
	StoryOverdueMajorRising    = "overdue_major_rising"    // a sector's overdue major hazards rise month by month (M24)
	StoryLateReport            = "late_report"             // accidents reported more than 60 minutes after (Decree 493 art. 9, M58)
	StoryConcealedAccident     = "concealed_accident"      // an accident concealed (瞒报), revealed by a report (M58-M61)
	StoryConcealedReport       = "concealed_report"        // the substantiated whistleblower report that revealed it, with its reward
	StoryZeroFinding           = "zero_finding_region"     // a region whose inspections mostly find nothing (M46)
	StoryFineOnlyFatal         = "fine_only_fatal"         // a fatal accident whose case ended in a fine, no transfer (M50)
	StorySkippedMeeting        = "skipped_meeting"         // a region without its half-yearly party and government meetings (M2, M9)
	StoryLowStaffQualification = "low_staff_qualification" // a region under the 75% qualified-officer target (M51)
	StoryUnlistedMajorHazard   = "unlisted_major_hazard"   // a major hazard found by inspectors, not in the enterprise's ledger: an accident-equivalent that vetoes its region (M31)
	// StoryCasePending is not a story but a fact the stories need: accidents whose
	// investigation had not ended in a decision by --to, so they have no case yet.
	StoryCasePending = "case_pending"
)

// storyPlan fixes where and when the stories happen, as fractions of the period, so
// that any --from/--to of at least a year holds them all.
type storyPlan struct {
	largeRegion, largeSector string
	largeAt                  time.Time

	concealedRegion, concealedSector string
	concealedAt                      time.Time

	fineOnlyRegion, fineOnlySector string
	fineOnlyAt                     time.Time

	late []lateStory

	zeroFindingRegion string

	skipRegion    string
	skipHalfStart time.Time // first day of the skipped half-year

	lowStaffRegion string
	lowStaffShare  float64

	unlistedRegion string
	unlistedFrom   time.Time // the first major hazard found by inspectors in the region from then on

	overdueSector      string
	overdueWindowStart time.Time // first day of the first story month
	overdueQuota       int       // planted never-rectified major hazards a month

	orphanHazardDays []time.Time
	orphanCaseDays   []time.Time
}

type lateStory struct {
	region, sector string
	at             time.Time
	delayMinutes   int
}

// cast is who plays which story: region codes and sector codes taken from the profile.
type cast struct {
	largeRegion, largeSector         string
	unlistedRegion                   string
	concealedRegion, concealedSector string
	fineOnlyRegion, fineOnlySector   string
	late                             [2][2]string // region, sector
	skipRegion                       string
	zeroFindingRegion                string
	lowStaffRegion                   string
	overdueSector                    string
}

// castStories picks the stories' regions and sectors by their role in the profile's
// economy, never by code, so that any city's profile gets them all and each lands where
// it is plausible. weight[r][s] is region r's share of the city's enterprises in sector
// sectorOrder[s]. Regions are kept distinct while there are enough of them, so that one
// region's veto (M6, M31) or lax inspections do not hide another story.
//
//   - the 较大 accident: the largest hazardous region-sector pair (the city's biggest risk);
//   - the unlisted major hazard (M31): another region, the one with the most hazardous enterprises;
//   - the concealed accident: the largest hazardous pair of another sector in a free region;
//   - the fatal accident ended by a fine alone: the largest industrial, non-hazardous pair;
//   - the two late reports: the largest hazardous pair, then the largest pair of any sector;
//   - the skipped meetings, the lax inspections and the under-qualified officers: the
//     remaining regions, largest first;
//   - the rising overdue major hazards: the major-hazard-prone sector (majorProne) with the
//     most enterprises, other than the 较大 accident's.
func castStories(p *safetyrisk.Profile, weight [][]float64) cast {
	c := &caster{p: p, w: weight, used: make([]int, len(p.Regions))}
	hazardous := func(s int) bool { return p.Sectors[sectorProfileIndex(p, sectorOrder[s])].Hazardous }
	industrialOnly := func(s int) bool {
		x := p.Sectors[sectorProfileIndex(p, sectorOrder[s])]
		return x.Industrial && !x.Hazardous
	}
	any := func(int) bool { return true }
	var k cast
	r, s := c.pair(hazardous, -1)
	k.largeRegion, k.largeSector = c.take(r), sectorOrder[s]
	k.unlistedRegion = c.take(c.region(func(r int) float64 { return c.sum(r, hazardous) }))
	r, s = c.pair(hazardous, s)
	k.concealedRegion, k.concealedSector = c.take(r), sectorOrder[s]
	r, s = c.pair(industrialOnly, -1)
	k.fineOnlyRegion, k.fineOnlySector = c.take(r), sectorOrder[s]
	for i, ok := range []func(int) bool{hazardous, any} {
		r, s = c.pair(ok, -1)
		k.late[i] = [2]string{c.take(r), sectorOrder[s]}
	}
	share := func(r int) float64 { return c.sum(r, any) }
	k.skipRegion = c.take(c.region(share))
	k.zeroFindingRegion = c.take(c.region(share))
	k.lowStaffRegion = c.take(c.region(share))
	best := -1.0
	for si, sec := range sectorOrder {
		if !majorProne(sec) || sec == k.largeSector {
			continue
		}
		if w := c.citySum(si); w > best {
			best, k.overdueSector = w, sec
		}
	}
	if k.overdueSector == "" {
		k.overdueSector = k.largeSector
	}
	return k
}

// caster hands out regions, the least used first, so that stories share a region only
// when the profile has fewer regions than stories.
type caster struct {
	p    *safetyrisk.Profile
	w    [][]float64
	used []int
}

func (c *caster) take(r int) string {
	c.used[r]++
	return c.p.Regions[r].Code
}

func (c *caster) minUsed() int {
	m := c.used[0]
	for _, u := range c.used {
		m = min(m, u)
	}
	return m
}

// pair is the largest region-sector pair among the least used regions whose sector
// passes ok and is not skip; when no sector passes, any sector of those regions.
func (c *caster) pair(ok func(int) bool, skip int) (int, int) {
	br, bs, best := -1, -1, 0.0
	for pass := 0; pass < 2 && br < 0; pass++ {
		for r := range c.w {
			if c.used[r] != c.minUsed() {
				continue
			}
			for s, w := range c.w[r] {
				if (pass == 0 && (!ok(s) || s == skip)) || w <= best {
					continue
				}
				br, bs, best = r, s, w
			}
		}
	}
	return br, bs
}

// region is the least used region with the largest score.
func (c *caster) region(score func(int) float64) int {
	br, best := -1, -1.0
	for r := range c.w {
		if c.used[r] == c.minUsed() && score(r) > best {
			br, best = r, score(r)
		}
	}
	return br
}

func (c *caster) sum(r int, ok func(int) bool) float64 {
	var t float64
	for s, w := range c.w[r] {
		if ok(s) {
			t += w
		}
	}
	return t
}

func (c *caster) citySum(s int) float64 {
	var t float64
	for r := range c.w {
		t += c.w[r][s]
	}
	return t
}

func planStories(from, to time.Time, scale float64, k cast) storyPlan {
	span := to.Sub(from)
	at := func(frac float64, hour, minute int) time.Time {
		d := dateOnly(from.Add(time.Duration(float64(span) * frac)))
		return d.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	skip := at(0.60, 0, 0)
	half := time.Date(skip.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if skip.Month() > 6 {
		half = time.Date(skip.Year(), 7, 1, 0, 0, 0, 0, time.UTC)
	}
	ws := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -7, 0)
	return storyPlan{
		largeRegion: k.largeRegion, largeSector: k.largeSector, largeAt: at(0.78, 10, 20),
		concealedRegion: k.concealedRegion, concealedSector: k.concealedSector, concealedAt: at(0.55, 15, 40),
		fineOnlyRegion: k.fineOnlyRegion, fineOnlySector: k.fineOnlySector, fineOnlyAt: at(0.30, 9, 5),
		late: []lateStory{
			{k.late[0][0], k.late[0][1], at(0.20, 2, 30), 150},
			{k.late[1][0], k.late[1][1], at(0.65, 16, 10), 95},
		},
		zeroFindingRegion: k.zeroFindingRegion,
		skipRegion:        k.skipRegion, skipHalfStart: half,
		lowStaffRegion: k.lowStaffRegion, lowStaffShare: 0.60,
		unlistedRegion: k.unlistedRegion, unlistedFrom: at(0.70, 0, 0),
		overdueSector: k.overdueSector, overdueWindowStart: ws,
		overdueQuota:     max(3, int(math.Round(8*scale))),
		orphanHazardDays: []time.Time{at(0.10, 0, 0), at(0.50, 0, 0), at(0.80, 0, 0)},
		orphanCaseDays:   []time.Time{at(0.35, 0, 0), at(0.75, 0, 0)},
	}
}
