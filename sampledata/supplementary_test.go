package sampledata

import (
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// TestSupplementaryReports: every 补报 states the accident's final casualties, which
// its first report (首报) did not; the change is dated between the accident and the
// 补报; and the two stories are planted as told (Decree 493 art. 13).
func TestSupplementaryReports(t *testing.T) {
	ds := sharedData(t)
	prof := safetyrisk.Ordos()
	at := ds.tables["accidents"]
	type acc struct {
		sector, class   string
		deaths, serious int64
		day             string // the accident's date
	}
	accs := map[string]acc{}
	for _, r := range at.recs {
		if ds.rejected(r) {
			continue
		}
		a := acc{deaths: atoi(ds.clean(at, r, "deaths")) + atoi(ds.clean(at, r, "missing")), serious: atoi(ds.clean(at, r, "serious_injuries"))}
		a.sector, _ = prof.SectorCode(ds.clean(at, r, "sector"))
		a.class, _ = safetyrisk.AccidentTypes.Lookup(ds.clean(at, r, "accident_type"))
		a.day = mustTime(t, ds.clean(at, r, "occurred_at")).Format("2006-01-02")
		accs[at.get(r, "accident_id")] = a
	}
	nt := ds.tables["notifications"]
	type fig struct{ deaths, serious int64 }
	first := map[string]fig{}
	firstAt := map[string]string{}
	type sup struct{ id, accident, at, changed string }
	var sups []sup
	for _, r := range nt.recs {
		id, aid := nt.get(r, "notification_id"), nt.get(r, "accident_id")
		kind, ok := safetyrisk.NotificationKinds.Lookup(nt.get(r, "kind"))
		if !ok {
			t.Fatalf("%s: kind %q", id, nt.get(r, "kind"))
		}
		f := fig{atoi(nt.get(r, "deaths")), atoi(nt.get(r, "serious_injuries"))}
		switch kind {
		case "initial":
			if _, dup := first[aid]; dup {
				t.Errorf("%s: a second first report of %s", id, aid)
			}
			first[aid], firstAt[aid] = f, nt.get(r, "notified_at")
		case "supplementary":
			a := accs[aid]
			if f != (fig{a.deaths, a.serious}) {
				t.Errorf("%s: 补报 states %+v, the accident %s has %d deaths and %d serious injuries", id, f, aid, a.deaths, a.serious)
			}
			sups = append(sups, sup{id, aid, nt.get(r, "notified_at"), nt.get(r, "changed_on")})
		default:
			t.Errorf("%s: kind %s, the generator writes first reports and 补报 only", id, kind)
		}
	}
	if len(sups) < 2 {
		t.Fatalf("%d 补报, want at least the two stories'", len(sups))
	}
	days := func(from, to string) int { return int(mustDate(t, to[:10]).Sub(mustDate(t, from)).Hours() / 24) }
	byID := map[string]sup{}
	for _, s := range sups {
		byID[s.id] = s
		a := accs[s.accident]
		f, ok := first[s.accident]
		switch {
		case !ok:
			t.Errorf("%s: 补报 of %s, which has no first report", s.id, s.accident)
		case f == fig{a.deaths, a.serious}:
			t.Errorf("%s: 补报 of %s, whose first report already had the final casualties", s.id, s.accident)
		case s.at <= firstAt[s.accident]:
			t.Errorf("%s: 补报 at %s, not after the first report at %s", s.id, s.at, firstAt[s.accident])
		}
		if d := days(a.day, s.changed); d < 1 || s.changed > s.at[:10] {
			t.Errorf("%s: changed on %s (day %d), 补报 on %s", s.id, s.changed, d, s.at)
		}
	}
	story := func(name string, day, term int, sector string) acc {
		t.Helper()
		st := ds.stories(name)
		if len(st) != 1 {
			t.Fatalf("%d %s stories, want 1", len(st), name)
		}
		s, ok := byID[st[0][2]]
		if !ok {
			t.Fatalf("%s: no 补报 %s", name, st[0][2])
		}
		a := accs[s.accident]
		if got := days(a.day, s.at); got != day {
			t.Errorf("%s: 补报 on day %d, want %d", name, got, day)
		}
		if got := safetyrisk.SupplementaryTerm(a.sector, a.class); got != term || a.sector != sector || st[0][4] != sector {
			t.Errorf("%s: sector %s (story %s), term %d, want %s and %d", name, a.sector, st[0][4], got, sector, term)
		}
		return a
	}
	// The 较大 accident: 2 deaths first (a general accident), 4 from day 12, 补报 on day 40.
	large := ds.storyKeys(StoryLargeAccident)
	s := ds.stories(StoryLateSupplement)
	a := story(StoryLateSupplement, lateSupplementDay, 30, castStories(prof, weights(prof)).largeSector)
	aid := byID[s[0][2]].accident
	if !large[aid] {
		t.Errorf("late supplement of %s, not the large accident %v", aid, large)
	}
	f := first[aid]
	if f.deaths != a.deaths-2 || safetyrisk.AccidentGrade(f.deaths, f.serious, 0) != safetyrisk.GradeGeneral ||
		safetyrisk.AccidentGrade(a.deaths, a.serious, 0) != safetyrisk.GradeLarge {
		t.Errorf("first report %+v, final %d deaths: want 2 fewer, general then large", f, a.deaths)
	}
	if d := days(a.day, byID[s[0][2]].changed); d != lateSupplementChangeDay {
		t.Errorf("changed on day %d, want %d", d, lateSupplementChangeDay)
	}
	// The road transport accident: 补报 on day 15, late for its 7 days, on time for 30.
	story(StoryLateRoadSupplement, roadSupplementDay, 7, "road_transport")
}
