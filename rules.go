package safetyrisk

import "time"

// Grade is an accident grade of State Council Decree 493 art. 3, in increasing severity.
type Grade int

const (
	GradeGeneral       Grade = iota // 一般
	GradeLarge                      // 较大
	GradeMajor                      // 重大
	GradeExtraordinary              // 特别重大
)

func (g Grade) String() string { return AccidentGrades.Values[g].Code }

// Chinese returns the grade's Chinese name.
func (g Grade) Chinese() string { return AccidentGrades.Values[g].Name }

// ParseGrade returns the grade for a code or Chinese name.
func ParseGrade(s string) (Grade, bool) {
	code, ok := AccidentGrades.Lookup(s)
	if !ok {
		return 0, false
	}
	for i, v := range AccidentGrades.Values {
		if v.Code == code {
			return Grade(i), true
		}
	}
	return 0, false
}

// AccidentGrade grades an accident by Decree 493 art. 3: the highest grade that any of
// the three criteria reaches. "以上" includes the number and "以下" excludes it, so 3
// deaths is 较大 and 2 is 一般. Missing persons count with deaths (死亡(含失踪)); serious
// injuries include acute industrial poisoning; loss is direct economic loss in yuan.
func AccidentGrade(deathsInclMissing, seriousInjuries int64, directLossYuan float64) Grade {
	g := GradeGeneral
	up := func(x Grade) {
		if x > g {
			g = x
		}
	}
	switch {
	case deathsInclMissing >= 30:
		up(GradeExtraordinary)
	case deathsInclMissing >= 10:
		up(GradeMajor)
	case deathsInclMissing >= 3:
		up(GradeLarge)
	}
	switch {
	case seriousInjuries >= 100:
		up(GradeExtraordinary)
	case seriousInjuries >= 50:
		up(GradeMajor)
	case seriousInjuries >= 10:
		up(GradeLarge)
	}
	switch {
	case directLossYuan >= 100_000_000:
		up(GradeExtraordinary)
	case directLossYuan >= 50_000_000:
		up(GradeMajor)
	case directLossYuan >= 10_000_000:
		up(GradeLarge)
	}
	return g
}

// FineRange is the statutory range of the fine on a unit responsible for an accident of
// a grade, Work Safety Law (2021) art. 114, in yuan. Especially serious circumstances
// allow two to five times these amounts, so Max is the ordinary ceiling and MaxSerious
// the ceiling at five times.
type FineRange struct {
	Min, Max, MaxSerious float64
}

// AccidentFineRange returns the art. 114 range for a grade.
func AccidentFineRange(g Grade) FineRange {
	switch g {
	case GradeLarge:
		return FineRange{1_000_000, 2_000_000, 10_000_000}
	case GradeMajor:
		return FineRange{2_000_000, 10_000_000, 50_000_000}
	case GradeExtraordinary:
		return FineRange{10_000_000, 20_000_000, 100_000_000}
	default:
		return FineRange{300_000, 1_000_000, 5_000_000}
	}
}

// ReportDeadline is how soon the unit must report an accident to the county-level
// department: Decree 493 art. 9, within 1 hour. A longer delay is a late report (M58).
const ReportDeadline = time.Hour

// VerifyDeadlineDays is the time to handle a whistleblower report from acceptance
// (安监总财〔2018〕19号: 60 days, 30 more with approval).
const VerifyDeadlineDays = 60

// QualifiedStaffTarget is M51's share of enforcement officers with relevant education,
// qualification or experience, due by the end of 2022.
const QualifiedStaffTarget = 0.75

// Reward rules of 安监总财〔2018〕19号 (M56): hazard or illegal-activity reports earn 15% of
// the resulting fine, at least 3,000 and at most 300,000 yuan; a concealed accident earns
// per confirmed death 30k/40k/50k/60k yuan for general/large/major/extraordinary, at most 300,000.
const (
	RewardShareOfFine = 0.15
	RewardMin         = 3_000
	RewardMax         = 300_000
)

// ConcealedAccidentReward returns the reward for revealing a concealed accident.
func ConcealedAccidentReward(g Grade, deaths int64) float64 {
	per := [...]float64{30_000, 40_000, 50_000, 60_000}[g]
	r := per * float64(deaths)
	if r > RewardMax {
		r = RewardMax
	}
	return r
}

// InvestigationTermDays is the time an accident investigation has to conclude: a report
// within 60 days of the accident, extendable by 60 (Decree 493 art. 29). Before it has
// passed, an accident without a transfer to the judiciary is not yet a 以罚代刑 signal (M50).
const InvestigationTermDays = 60 + 60

// RewardPayDays is this project's term, in days after verification, within which a
// reward due to a whistleblower is paid "on time" (M57). The 2018 rules ask for prompt
// payment without a number of days we rely on; 60 days matches the handling term.
// Configurable where the queries are (queries.Config.RewardPayDays).
const RewardPayDays = 60

// Report subjects that earn a reward when substantiated (安监总财〔2018〕19号): a major
// hazard, an illegal act, a concealed accident. "other" earns none.
var RewardSubjects = []string{"major_hazard", "illegal_activity", "concealed_accident"}

// ConcealedAccidentRewardMin is the least a concealed-accident reward can be: one death
// of a general accident (30,000 yuan).
const ConcealedAccidentRewardMin = 30_000

// RewardWithinRules reports whether a paid amount is within the 2018 rules for the
// report's subject: 3,000..300,000 yuan for a hazard or an illegal act (15% of a fine,
// bounded), 30,000..300,000 for a concealed accident (30k..60k per death, bounded). The
// lake does not link a report to the resulting fine or deaths, so only the bounds are
// checked.
func RewardWithinRules(subject string, amount float64) bool {
	switch subject {
	case "major_hazard", "illegal_activity":
		return amount >= RewardMin && amount <= RewardMax
	case "concealed_accident":
		return amount >= ConcealedAccidentRewardMin && amount <= RewardMax
	}
	return false
}

// MinPlausibleFatalLoss is the least direct economic loss, in yuan, that a data check
// accepts for a fatal accident without a flag: anything lower is most likely a 万元
// figure read as yuan (a death alone costs far more).
const MinPlausibleFatalLoss = 1_000

// Decree 493 art. 13: within 30 days of the day of the accident, a change in its
// casualties is reported again (补报); for a road traffic or fire accident, within 7
// days. The term is counted from the day after the accident (the day of the accident
// is day 0), so a 补报 on the accident's date + 30 days is on time and one on + 31 is
// late (docs/rules.md, Supplementary reports).
const (
	SupplementaryTermDays      = 30
	SupplementaryShortTermDays = 7
)

// SupplementaryShortSectors are the sectors whose accidents are road traffic or fire
// accidents (Decree 493 art. 13's 7 days), as the profiles' sector codes name them.
var SupplementaryShortSectors = []string{"road_transport", "fire"}

// SupplementaryShortType is the accident class (GB 6441-86 火灾) that makes an accident
// of any sector a fire accident, with the 7-day term.
const SupplementaryShortType = "fire"

// SupplementaryTerm returns the days after the accident's date within which a change in
// its casualties must be reported (Decree 493 art. 13): 7 for a road traffic or fire
// accident (sector road_transport or fire, or an accident of class fire), 30 otherwise.
func SupplementaryTerm(sector, accidentType string) int {
	if accidentType == SupplementaryShortType {
		return SupplementaryShortTermDays
	}
	for _, s := range SupplementaryShortSectors {
		if s == sector {
			return SupplementaryShortTermDays
		}
	}
	return SupplementaryTermDays
}

// SupplementaryDue returns the last day a 补报 is on time for an accident that happened
// on the local date occurred (Decree 493 art. 13): occurred + the term, in days.
func SupplementaryDue(occurred time.Time, sector, accidentType string) time.Time {
	y, m, d := occurred.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, occurred.Location()).AddDate(0, 0, SupplementaryTerm(sector, accidentType))
}
