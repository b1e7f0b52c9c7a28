//go:build integration

package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/sampledata"
)

// TestMeasuresStoriesOnDemo: the stories planted for the measures register are found by
// the indicators of a generated data set, and the catalog has the register.
func TestMeasuresStoriesOnDemo(t *testing.T) {
	ctx := context.Background()
	// generate --scale 0.05 --seed 7 for 2022 to 2024, then run as of 2024-12-31
	src, lake := lakeSeed7(t)
	vals := indicatorsJSON(t, ctx, lake, "2024-12-31")

	stories := readStories(t, filepath.Join(src, sampledata.TruthDir, sampledata.StoriesFile))
	ro := stories[sampledata.StoryRepeatOffender]
	if len(ro) != 1 {
		t.Fatalf("%d repeat-offender stories, want 1", len(ro))
	}
	region := ro[0]["region"]
	city := safetyrisk.Ordos().City.Code // generate's default profile
	for _, k := range []seriesKey{
		{"closure_candidates", region, "all", safetyrisk.WindowAsOf, ""},
		{"closure_candidates", city, "industry_trade", safetyrisk.WindowAsOf, ""},
		{"overdue_major_unsuspended", region, "all", safetyrisk.WindowAsOf, ""},
	} {
		if v := vals[k]; v < 1 {
			t.Errorf("%+v = %v, want at least 1 (story %s)", k, v, ro[0]["detail"])
		}
	}
	// M14: the department that did a third of its plan is behind, in its region.
	for _, s := range stories[sampledata.StoryPlanThird] {
		k := seriesKey{"departments_behind_plan", s["region"], "all", safetyrisk.WindowAsOf, ""}
		if v := vals[k]; v < 1 {
			t.Errorf("%+v = %v, want at least 1 (%s)", k, v, s["detail"])
		}
		if v, ok := vals[seriesKey{"inspection_plan_progress", s["region"], "all", safetyrisk.WindowAsOf, ""}]; !ok || v >= 1 {
			t.Errorf("plan progress of %s = %v (%v), want below 1", s["region"], v, ok)
		}
	}
	if len(stories[sampledata.StoryPlanThird]) != 1 {
		t.Errorf("%d plan-third stories, want 1", len(stories[sampledata.StoryPlanThird]))
	}
	// M18: the large accident's investigation is overdue.
	if len(stories[sampledata.StoryInvestigationOverdue]) == 0 {
		t.Error("no overdue-investigation story")
	}
	for _, s := range stories[sampledata.StoryInvestigationOverdue] {
		k := seriesKey{"investigation_overdue", s["region"], "all", safetyrisk.WindowAsOf, ""}
		if v := vals[k]; v < 1 {
			t.Errorf("%+v = %v, want at least 1 (%s)", k, v, s["detail"])
		}
	}
	// M59: the late transport department's notifications of 2024 pull its region's
	// on-time ratio of the year below 1.
	late := 0
	for _, s := range stories[sampledata.StoryLateNotifier] {
		if !strings.HasPrefix(s["key"], "TB2024") {
			continue
		}
		late++
		if v, ok := vals[seriesKey{"notification_on_time_ratio", s["region"], "all", "ytd", ""}]; !ok || v >= 1 {
			t.Errorf("notification_on_time_ratio in %s = %v (%v), want below 1 (%s)", s["region"], v, ok, s["detail"])
		}
	}
	if late == 0 {
		t.Log("no late-notifier story in 2024 at this seed and scale")
	}
	// M59, Decree 493 art. 13: the 补报 made past its term (day 40 of 30; day 15 of a road
	// accident's 7) are late in their regions this year.
	for _, n := range []string{sampledata.StoryLateSupplement, sampledata.StoryLateRoadSupplement} {
		if len(stories[n]) != 1 {
			t.Errorf("%d %s stories, want 1", len(stories[n]), n)
		}
		for _, s := range stories[n] {
			k := seriesKey{"supplementary_reports_late", s["region"], "all", "ytd", ""}
			if v := vals[k]; v < 1 {
				t.Errorf("%+v = %v, want at least 1 (%s)", k, v, s["detail"])
			}
		}
	}
	// M8: the region without its task list of 2024 has 3 of its 4 yearly documents.
	for _, s := range stories[sampledata.StoryMissingTaskList] {
		k := seriesKey{"duty_document_coverage", s["region"], "all", safetyrisk.WindowAsOf, ""}
		if v := vals[k]; v != 0.75 {
			t.Errorf("%+v = %v, want 0.75 (%s)", k, v, s["detail"])
		}
	}
	if len(stories[sampledata.StoryMissingTaskList]) != 1 {
		t.Errorf("%d missing-task-list stories, want 1", len(stories[sampledata.StoryMissingTaskList]))
	}
	// M41: half the dispatched workers of the story check lack certificates.
	for _, s := range stories[sampledata.StoryUncertifiedDispatch] {
		k := seriesKey{"dispatched_qualified_ratio", s["region"], "all", "month", "certified"}
		if v, ok := vals[k]; !ok || v > 0.6 {
			t.Errorf("%+v = %v (%v), want at most 0.6 (%s)", k, v, ok, s["detail"])
		}
	}
	// M38: the state-owned subcontractor is counted.
	for _, s := range stories[sampledata.StorySOESubcontracting] {
		k := seriesKey{"soe_subcontracting_cases", s["region"], "all", "month", ""}
		if v := vals[k]; v < 1 {
			t.Errorf("%+v = %v, want at least 1", k, v)
		}
	}
	for _, n := range []string{sampledata.StoryUncertifiedDispatch, sampledata.StorySOESubcontracting} {
		if len(stories[n]) != 1 {
			t.Errorf("%d %s stories, want 1", len(stories[n]), n)
		}
	}
	// M32, M34: the project started before its approval, the substandard chemical project.
	for _, c := range []struct{ story, id, window string }{
		{sampledata.StoryStartedUnapproved, "projects_started_unapproved", "quarter"},
		{sampledata.StoryChemicalRunning, "chemical_substandard_running", safetyrisk.WindowAsOf},
	} {
		if len(stories[c.story]) != 1 {
			t.Errorf("%d %s stories, want 1", len(stories[c.story]), c.story)
		}
		for _, s := range stories[c.story] {
			k := seriesKey{c.id, s["region"], "all", c.window, ""}
			if v := vals[k]; v < 1 {
				t.Errorf("%+v = %v, want at least 1 (%s)", k, v, s["detail"])
			}
		}
	}
	// M47: the region without experts; M44: the repeat offender is blacklisted.
	for _, s := range stories[sampledata.StoryNoExperts] {
		k := seriesKey{"expert_inspection_share", s["region"], "all", "ytd", ""}
		if v, ok := vals[k]; !ok || v != 0 {
			t.Errorf("%+v = %v (%v), want 0", k, v, ok)
		}
		if v := vals[seriesKey{"expert_inspection_share", city, "all", "ytd", ""}]; v <= 0 {
			t.Errorf("city expert share %v, want above 0", v)
		}
	}
	if v := vals[seriesKey{"blacklisted_enterprises", region, "all", safetyrisk.WindowAsOf, ""}]; v < 1 {
		t.Errorf("blacklisted enterprises in %s: %v, want at least the repeat offender", region, v)
	}
	// The concealed accident's listed supervision names it (M61): nothing is missing there.
	for _, s := range stories[sampledata.StoryConcealedAccident] {
		k := seriesKey{"followups_missing", s["region"], "all", safetyrisk.WindowAsOf, "listed_supervision"}
		if v, ok := vals[k]; !ok || v != 0 {
			t.Errorf("%+v = %v (%v), want 0: the concealed accident %s is under listed supervision", k, v, ok, s["key"])
		}
	}
	out := runCLI(t, ctx, []int{exitOK}, "sql", "--lake", lake, "--format", "csv",
		"SELECT count(*) AS n, count(*) FILTER (WHERE status = 'indicator') AS i FROM measures")
	if !strings.Contains(out, "66,") {
		t.Errorf("catalog view measures: %q, want 66 rows", out)
	}
	// the repeat offender's hazard is in the register of open major hazards, overdue, not stopped
	out = runCLI(t, ctx, []int{exitOK}, "sql", "--lake", lake, "--format", "csv",
		"SELECT count(*) FROM major_hazard_register WHERE hazard_id LIKE 'YHCF%' AND days_overdue > 0 AND NOT suspended_since_deadline")
	if !strings.Contains(out, "\n1") {
		t.Errorf("major_hazard_register, the repeat offender's hazard: %q", out)
	}
	out = runCLI(t, ctx, []int{exitOK}, "sql", "--lake", lake, "--format", "csv",
		"SELECT value FROM measure_values WHERE measure = 'M44' AND indicator = 'closure_candidates' AND region = '"+region+"' AND \"window\" = '"+safetyrisk.WindowAsOf+"'")
	if !strings.Contains(out, "\n1") && !strings.Contains(out, "\n2") {
		t.Errorf("catalog view measure_values, M44 closure candidates in %s: %q", region, out)
	}
}

// readStories reads the truth folder's stories.csv into records by story.
func readStories(t *testing.T, path string) map[string][]map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]map[string]string{}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out[m["story"]] = append(out[m["story"]], m)
	}
	return out
}
