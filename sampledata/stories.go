package sampledata

import (
	"math"
	"time"
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

func planStories(from, to time.Time, scale float64) storyPlan {
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
		largeRegion: "150622", largeSector: "coal_mine", largeAt: at(0.78, 10, 20),
		concealedRegion: "150624", concealedSector: "non_coal_mine", concealedAt: at(0.55, 15, 40),
		fineOnlyRegion: "150621", fineOnlySector: "industry_trade", fineOnlyAt: at(0.30, 9, 5),
		late: []lateStory{
			{"150626", "hazardous_chemicals", at(0.20, 2, 30), 150},
			{"150602", "construction", at(0.65, 16, 10), 95},
		},
		zeroFindingRegion: "150625",
		skipRegion:        "150626", skipHalfStart: half,
		lowStaffRegion: "150623", lowStaffShare: 0.60,
		unlistedRegion: "150627", unlistedFrom: at(0.70, 0, 0),
		overdueSector: "hazardous_chemicals", overdueWindowStart: ws,
		overdueQuota:     max(3, int(math.Round(8*scale))),
		orphanHazardDays: []time.Time{at(0.10, 0, 0), at(0.50, 0, 0), at(0.80, 0, 0)},
		orphanCaseDays:   []time.Time{at(0.35, 0, 0), at(0.75, 0, 0)},
	}
}
