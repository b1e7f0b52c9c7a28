package main

// The file is named to sort last: go test runs a package's tests in file order, and these
// run the whole pipeline in process, which raises the test process's lifetime peak RSS
// (and, through exec, that of its children) that TestSQLConsoleBoundedMemory measures.
//
// The monthly briefing (issue 14): its headline figures are the ones 'safetyrisk
// indicators --format json' prints for the same as-of date (point 1), and every story
// planted in the sample data is named under 存在问题 (point 3).

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/sampledata"
	"golang.org/x/crypto/bcrypt"
)

// sumDims adds an indicator's breakdown (accidents of every grade) in one window.
func sumDims(vals map[seriesKey]float64, id, region, window string) float64 {
	s := 0.0
	for k, v := range vals {
		if k.indicator == id && k.region == region && k.sector == safetyrisk.AllSectors && k.window == window {
			s += v
		}
	}
	return s
}

// stockValue reads a state indicator as the report does: its as-of row (window "as_of",
// or none) when the snapshot stores it so, else the widest window computed.
func stockValue(t *testing.T, vals map[seriesKey]float64, id, region, dim string) float64 {
	t.Helper()
	for _, w := range []string{safetyrisk.WindowAsOf, "", safetyrisk.Window12M, safetyrisk.WindowYTD} {
		if v, ok := vals[seriesKey{id, region, safetyrisk.AllSectors, w, dim}]; ok {
			return v
		}
	}
	t.Fatalf("%s %s %s: not in the indicators output", id, region, dim)
	return 0
}

var figRE = regexp.MustCompile(`<span class="fig" data-fig="([^"]+)">([^<]*)</span>`)

// reportFigs returns every figure of the page, by key, in page order.
func reportFigs(page string) map[string][]string {
	out := map[string][]string{}
	for _, m := range figRE.FindAllStringSubmatch(page, -1) {
		out[m[1]] = append(out[m[1]], html.UnescapeString(m[2]))
	}
	return out
}

var tagRE = regexp.MustCompile(`<[^>]+>`)

// pageText is the page's text without tags, styles and charts.
func pageText(page string) string {
	page = regexp.MustCompile(`(?s)<style>.*?</style>|<svg.*?</svg>`).ReplaceAllString(page, "")
	return html.UnescapeString(tagRE.ReplaceAllString(page, ""))
}

// buildDemoLake generates sample data and runs the pipeline into a new lake.
func buildDemoLake(t *testing.T, ctx context.Context, genArgs ...string) string {
	t.Helper()
	dir := t.TempDir()
	src, lake := filepath.Join(dir, "inbox"), filepath.Join(dir, "lake")
	t.Setenv("SAFETYRISK_PII_KEY", "report-test-key-0123456789abcdef")
	runCLI(t, ctx, []int{exitOK}, append([]string{"generate", "--out", src}, genArgs...)...)
	runCLI(t, ctx, []int{exitOK, exitQuarantined}, "run", "--lake", lake, "--inbox", src, "--as-of", "2024-12-31")
	return lake
}

func TestReportHeadlinesMatchIndicators(t *testing.T) {
	ctx := context.Background()
	// The demo's data (scripts/demo.sh): seed 20220927, scale 1, 2022-2024, as of 2024-12-31.
	lake := buildDemoLake(t, ctx, "--seed", "20220927", "--scale", "1")
	out := filepath.Join(t.TempDir(), "report.html")
	runCLI(t, ctx, []int{exitOK}, "report", "--lake", lake, "--out", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	figs := reportFigs(page)
	text := pageText(page)
	now := indicatorsJSON(t, ctx, lake, "2024-12-31")
	prev := indicatorsJSON(t, ctx, lake, "2023-12-31")
	city := safetyrisk.Ordos().City.Code

	want := func(key string, v float64) {
		t.Helper()
		got := figs[key]
		if len(got) == 0 {
			t.Errorf("figure %s: not in the report", key)
			return
		}
		for _, g := range got {
			if g != strconv.FormatFloat(math.Round(v), 'f', 0, 64) {
				t.Errorf("figure %s: report says %q, indicators %v", key, g, v)
			}
		}
	}
	acc, acc0 := sumDims(now, "accidents", city, "ytd"), sumDims(prev, "accidents", city, "ytd")
	dea, dea0 := sumDims(now, "deaths", city, "ytd"), sumDims(prev, "deaths", city, "ytd")
	want("accidents.month", sumDims(now, "accidents", city, "month"))
	want("accidents.month.prev", sumDims(prev, "accidents", city, "month"))
	want("accidents.ytd", acc)
	want("accidents.ytd.prev", acc0)
	want("deaths.month", sumDims(now, "deaths", city, "month"))
	want("deaths.ytd", dea)
	want("deaths.ytd.prev", dea0)
	for _, g := range safetyrisk.AccidentGrades.Codes() {
		want("accidents.ytd."+g, now[seriesKey{"accidents", city, "all", "ytd", g}])
	}
	want("hazards_overdue.major", stockValue(t, now, "hazards_overdue", city, "major"))
	// Where the snapshot counts overdue majors at as-of over every record (window "as_of"),
	// the oldest-ten table's stock, counted from the records, is the same number.
	if v, ok := now[seriesKey{"hazards_overdue", city, "all", safetyrisk.WindowAsOf, "major"}]; ok {
		m := regexp.MustCompile(`共(\d+)项逾期`).FindStringSubmatch(text)
		if m == nil || m[1] != strconv.FormatFloat(v, 'f', 0, 64) {
			t.Errorf("oldest overdue majors: the records' stock %v, the snapshot's %v", m, v)
		}
	}

	// 同比 in words: the sentence of section 1.
	for _, c := range []struct {
		what, unit string
		v, v0      float64
	}{{"累计发生事故", "起", acc, acc0}, {"死亡（含失踪）", "人", dea, dea0}} {
		word := map[bool]string{true: "增加", false: "减少"}[c.v > c.v0]
		phrase := fmt.Sprintf("%s%.0f%s，同比%s%.0f%s", c.what, c.v, c.unit, word, math.Abs(c.v-c.v0), c.unit)
		if c.v == c.v0 {
			phrase = fmt.Sprintf("%s%.0f%s，同比持平", c.what, c.v, c.unit)
		}
		if !strings.Contains(text, phrase) {
			t.Errorf("section 1 does not say %q", phrase)
		}
	}

	// The region ranking: by the year's risk index, worst first.
	type ranked struct {
		code string
		idx  float64
	}
	var wantRank []ranked
	for _, r := range safetyrisk.Ordos().Regions {
		wantRank = append(wantRank, ranked{r.Code, now[seriesKey{"risk_index", r.Code, "all", "ytd", ""}]})
	}
	sort.SliceStable(wantRank, func(i, j int) bool {
		if wantRank[i].idx != wantRank[j].idx {
			return wantRank[i].idx > wantRank[j].idx
		}
		return wantRank[i].code < wantRank[j].code
	})
	rows := regexp.MustCompile(`data-rank="(\d+)" data-region="(\d+)"`).FindAllStringSubmatch(page, -1)
	if len(rows) != len(wantRank) {
		t.Fatalf("ranking has %d regions, want %d", len(rows), len(wantRank))
	}
	for i, r := range rows {
		if r[1] != strconv.Itoa(i+1) || r[2] != wantRank[i].code {
			t.Errorf("rank %d: report has %s (rank %s), indicators rank %s (index %.2f)", i+1, r[2], r[1], wantRank[i].code, wantRank[i].idx)
		}
		key := "rank." + r[2] + ".index"
		for _, got := range figs[key] {
			if got != strconv.FormatFloat(wantRank[i].idx, 'f', 1, 64) {
				t.Errorf("%s: report %v, indicators %.4f", key, got, wantRank[i].idx)
			}
		}
		if len(figs[key]) == 0 {
			t.Errorf("%s: not in the report", key)
		}
	}
	// A region's report: the same figures for 准格尔旗.
	regionOut := filepath.Join(t.TempDir(), "region.html")
	runCLI(t, ctx, []int{exitOK}, "report", "--lake", lake, "--region", "准格尔旗", "--out", regionOut)
	rb, err := os.ReadFile(regionOut)
	if err != nil {
		t.Fatal(err)
	}
	rfigs := reportFigs(string(rb))
	zgr, ok := safetyrisk.Ordos().RegionCode("准格尔旗")
	if !ok {
		t.Fatal("准格尔旗 is not in the built-in profile")
	}
	for key, v := range map[string]float64{
		"accidents.ytd":         sumDims(now, "accidents", zgr, "ytd"),
		"accidents.ytd.prev":    sumDims(prev, "accidents", zgr, "ytd"),
		"deaths.ytd":            sumDims(now, "deaths", zgr, "ytd"),
		"deaths.ytd.prev":       sumDims(prev, "deaths", zgr, "ytd"),
		"hazards_overdue.major": stockValue(t, now, "hazards_overdue", zgr, "major"),
	} {
		if got := rfigs[key]; len(got) == 0 || got[0] != strconv.FormatFloat(v, 'f', 0, 64) {
			t.Errorf("准格尔旗 %s: report %v, indicators %v", key, got, v)
		}
	}
	// A report that says nothing cannot pass: the demo has accidents and a veto.
	if acc == 0 || !strings.Contains(text, "一票否决") {
		t.Errorf("the demo's report has %v accidents and no veto: the data is not the demo's", acc)
	}
}

// storyCheck is what 存在问题 must say about a story: a finding naming where, with the
// measure and a word of the rule.
type storyCheck struct{ measure, word string }

var storyChecks = map[string]storyCheck{
	"large_accident":          {"M6", "较大事故"},
	"overdue_major_rising":    {"M24", "上升"},
	"late_report":             {"M58", "迟报"},
	"concealed_accident":      {"M60", "瞒报"},
	"concealed_report":        {"M57", "举报核查属实"},
	"zero_finding_region":     {"M46", "零隐患"},
	"fine_only_fatal":         {"M50", "未移送司法"},
	"skipped_meeting":         {"M2", "会"},
	"low_staff_qualification": {"M51", "执法人员"},
	"unlisted_major_hazard":   {"M31", "台账"},
	// the measures register's stories (issue 13)
	sampledata.StoryRepeatOffender:       {"M44", "提请关闭"},
	sampledata.StoryPlanThird:            {"M14", "检查计划"},
	sampledata.StoryInvestigationOverdue: {"M18", "调查"},
	sampledata.StoryLateNotifier:         {"M59", "通报"},
	sampledata.StoryMissingTaskList:      {"M8", "履职文件"},
	sampledata.StoryUncertifiedDispatch:  {"M41", "持证"},
	sampledata.StorySOESubcontracting:    {"M38", "分包"},
	sampledata.StoryStartedUnapproved:    {"M32", "未批先建"},
	sampledata.StoryChemicalRunning:      {"M34", "化工"},
	sampledata.StoryNoExperts:            {"M47", "专家"},
	sampledata.StoryLateSupplement:       {"M59", "补报"},
	sampledata.StoryLateRoadSupplement:   {"M59", "补报"},
}

func TestReportNamesEveryPlantedStory(t *testing.T) {
	ctx := context.Background()
	// One year of data, so that every story falls in the report's year.
	lake := buildDemoLake(t, ctx, "--seed", "20220927", "--scale", "0.3", "--from", "2024-01-01", "--to", "2024-12-31")
	src := filepath.Join(filepath.Dir(lake), "inbox")
	out := filepath.Join(t.TempDir(), "report.html")
	runCLI(t, ctx, []int{exitOK}, "report", "--lake", lake, "--month", "2024-12", "--out", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sec := regexp.MustCompile(`(?s)<ol class="findings" id="findings">(.*?)</ol>`).FindStringSubmatch(string(b))
	if sec == nil {
		t.Fatal("no 存在问题 list in the report")
	}
	var items []string
	for _, m := range regexp.MustCompile(`(?s)<li[^>]*>(.*?)</li>`).FindAllStringSubmatch(sec[1], -1) {
		items = append(items, html.UnescapeString(m[1]))
	}
	f, err := os.Open(filepath.Join(src, "_truth", "stories.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	p := safetyrisk.Ordos()
	seen, stories := map[string]bool{}, map[string]bool{}
	for _, r := range recs[1:] {
		story, region, sector := r[0], r[3], r[4]
		// case_pending is not a story (accidents without a case yet)
		if story == "case_pending" {
			continue
		}
		c, ok := storyChecks[story]
		if !ok {
			t.Errorf("story %s: the test does not know what 存在问题 should say about it", story)
			continue
		}
		where := p.RegionName(region)
		if story == "overdue_major_rising" {
			where = p.SectorName(sector) + "行业"
		}
		stories[story] = true
		key := story + "/" + where
		if seen[key] {
			continue
		}
		seen[key] = true
		found := false
		for _, it := range items {
			if strings.Contains(it, where) && strings.Contains(it, c.measure) && strings.Contains(it, c.word) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("story %s (%s): no finding names %s with %s and %q; findings:\n%s", story, r[5], where, c.measure, c.word, strings.Join(items, "\n"))
		}
	}
	if len(stories) != len(storyChecks) {
		t.Errorf("the truth file holds %d of the %d stories: %v", len(stories), len(storyChecks), stories)
	}
}

// TestServeReport: serve answers /report with the newest month's briefing behind the
// same basic auth as /metrics, and the landing page links it.
func TestServeReport(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lake := buildDemoLake(t, ctx, "--seed", "7", "--scale", "0.05")
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := filepath.Join(t.TempDir(), "web.yml")
	if err := os.WriteFile(webCfg, []byte(fmt.Sprintf("basic_auth_users:\n  office: %s\n", hash)), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	served := make(chan int, 1)
	go func() {
		var out, errb bytes.Buffer
		served <- NewMain(nil, &out, &errb).Run(ctx, []string{"serve", "--lake", lake, "--listen", addr, "--web.config.file", webCfg})
	}()
	get := func(path string, auth bool) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		if auth {
			req.SetBasicAuth("office", "s3cret")
		}
		var resp *http.Response
		for i := 0; i < 100; i++ {
			if resp, err = http.DefaultClient.Do(req); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/report", false); code != http.StatusUnauthorized {
		t.Errorf("GET /report without credentials: %d, want 401", code)
	}
	code, body := get("/report", true)
	if code != http.StatusOK || !strings.Contains(body, "<h1>"+safetyrisk.Ordos().City.Name+"安全生产形势分析</h1>") || !strings.Contains(body, "七、存在问题") {
		t.Errorf("GET /report: %d, %.300s", code, body)
	}
	if code, body := get("/", true); code != http.StatusOK || !strings.Contains(body, `href="/report"`) {
		t.Errorf("GET /: %d, no link to /report: %.600s", code, body)
	}
	if code, _ := get("/metrics", true); code != http.StatusOK {
		t.Errorf("GET /metrics: %d", code)
	}
	cancel()
	if c := <-served; c != exitOK {
		t.Errorf("serve exited %d", c)
	}
}
