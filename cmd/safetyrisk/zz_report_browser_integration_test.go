//go:build integration

package main

// The monthly briefing in a real browser (issue 14, point 2): headless Chromium loads the
// report from a file with the network disabled and logs no failed request; the first
// page's screenshot is not blank and its Chinese is drawn with a CJK font (distinct glyph
// shapes, not the one box of a missing glyph); a PDF is produced. Chromium and
// fonts-noto-cjk come from scripts/ensure-chromium.sh; under CI=true their absence fails.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/safetyrisk/safetyrisk/report"
)

// needChromium returns chromium's path, skipping the test without it (failing under
// CI=true, where scripts/ensure-chromium.sh must have installed it and the fonts).
func needChromium(t *testing.T) string {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: scripts/ensure-chromium.sh should have installed it)", what)
		}
		t.Skipf("%s: run scripts/ensure-chromium.sh (as root) to install chromium and fonts-noto-cjk", what)
	}
	path, err := report.FindChromium()
	if err != nil {
		missing("chromium not found")
	}
	out, err := exec.Command("fc-list", ":lang=zh", "family").Output()
	if err != nil || !strings.Contains(string(out), "Noto Sans CJK") {
		missing("fonts-noto-cjk not installed (fc-list :lang=zh has no Noto Sans CJK)")
	}
	return path
}

// browser starts headless Chromium with the report's flags, and with the network cut at
// the process level too: every host name resolves to nothing and every request goes to a
// proxy that does not exist.
func browser(t *testing.T, chromium string, env ...string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromium), chromedp.WindowSize(794, 1123)}
	for _, f := range report.ChromiumFlags(t.TempDir()) {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if hasValue {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	opts = append(opts, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"), chromedp.Flag("proxy-bypass-list", "<-loopback>"))
	if len(env) > 0 {
		opts = append(opts, chromedp.Env(env...))
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel3)
	return ctx
}

// pageLoad is what the browser saw while loading a page.
type pageLoad struct {
	mu       sync.Mutex
	requests []string // URLs requested
	failed   []string // requests that failed, with the reason
	logged   []string // console and browser log entries of level error
}

func (l *pageLoad) listen(ctx context.Context) {
	chromedp.ListenTarget(ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			l.requests = append(l.requests, e.Request.URL)
		case *network.EventLoadingFailed:
			l.failed = append(l.failed, fmt.Sprintf("%s %s %s", e.Type, e.ErrorText, e.BlockedReason))
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.LevelError {
				l.logged = append(l.logged, e.Entry.Text+" "+e.Entry.URL)
			}
		case *runtime.EventExceptionThrown:
			l.logged = append(l.logged, e.ExceptionDetails.Text)
		}
	})
}

// load opens url offline in an A4-sized viewport (794 x 1123 CSS pixels: 210 x 297 mm at
// 96 dpi) and returns what the browser saw.
func load(t *testing.T, ctx context.Context, url string) *pageLoad {
	t.Helper()
	l := &pageLoad{}
	l.listen(ctx)
	err := chromedp.Run(ctx,
		network.Enable(), cdplog.Enable(), runtime.Enable(),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := network.EmulateNetworkConditionsByRule(true, []*network.Conditions{{DownloadThroughput: -1, UploadThroughput: -1}}).Do(ctx)
			return err
		}),
		emulation.SetDeviceMetricsOverride(794, 1123, 1, false),
		chromedp.Navigate(url),
		chromedp.WaitReady("body"),
		chromedp.Sleep(300*time.Millisecond), // late subresources and their failures
	)
	if err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
	return l
}

// fontsOf returns the platform fonts that drew the text of the first node matching sel,
// with the glyphs each drew.
func fontsOf(t *testing.T, ctx context.Context, sel string) map[string]float64 {
	t.Helper()
	var fonts []*css.PlatformFontUsage
	err := chromedp.Run(ctx, dom.Enable(), css.Enable(), chromedp.ActionFunc(func(ctx context.Context) error {
		root, err := dom.GetDocument().Do(ctx)
		if err != nil {
			return err
		}
		id, err := dom.QuerySelector(root.NodeID, sel).Do(ctx)
		if err != nil {
			return err
		}
		if id == cdp.NodeID(0) {
			return fmt.Errorf("no node %s", sel)
		}
		fonts, err = css.GetPlatformFontsForNode(id).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatalf("fonts of %s: %v", sel, err)
	}
	out := map[string]float64{}
	for _, f := range fonts {
		out[f.FamilyName] += f.GlyphCount
	}
	return out
}

// cjkGlyphs counts the glyphs drawn by a CJK font.
func cjkGlyphs(fonts map[string]float64) float64 {
	n := 0.0
	for name, g := range fonts {
		if strings.Contains(name, "CJK") || strings.Contains(name, "Han Sans") || strings.Contains(name, "Han Serif") {
			n += g
		}
	}
	return n
}

// charBox is where one character of the title is drawn.
type charBox struct {
	C          string
	X, Y, W, H float64
}

// titleBoxes returns the box of each character of the page's h1.
func titleBoxes(t *testing.T, ctx context.Context) []charBox {
	t.Helper()
	var boxes []charBox
	js := `(() => { const n = document.querySelector('h1').firstChild; const out = [];
	  for (let i = 0; i < n.data.length; i++) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
	    const b = r.getBoundingClientRect(); out.push({C: n.data[i], X: b.x, Y: b.y, W: b.width, H: b.height}); }
	  return out; })()`
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &boxes)); err != nil {
		t.Fatalf("title boxes: %v", err)
	}
	return boxes
}

func screenshot(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	var b []byte
	if err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		b, err = page.CaptureScreenshot().WithFormat(page.CaptureScreenshotFormatPng).Do(ctx)
		return err
	})); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return b
}

func ink(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (299*r+587*g+114*b)/1000 < 0xc000 // darker than light grey
}

// inkShare is the share of the image's pixels that are not background.
func inkShare(img image.Image) float64 {
	n, all := 0, 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			all++
			if ink(img, x, y) {
				n++
			}
		}
	}
	return float64(n) / float64(all)
}

// glyphSignature reduces the ink inside a box to an 8 x 8 bitmap of its ink's bounding
// box: every missing glyph is the same box (one signature, wherever it is drawn), while
// real glyphs of different characters have different shapes.
func glyphSignature(img image.Image, b charBox) string {
	x0, y0, x1, y1 := int(b.X), int(b.Y), int(b.X+b.W+0.999), int(b.Y+b.H+0.999)
	ix0, iy0, ix1, iy1 := x1, y1, x0, y0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if ink(img, x, y) {
				ix0, iy0, ix1, iy1 = min(ix0, x), min(iy0, y), max(ix1, x+1), max(iy1, y+1)
			}
		}
	}
	if ix1 <= ix0 || iy1 <= iy0 {
		return "blank"
	}
	var sig strings.Builder
	for gy := 0; gy < 8; gy++ {
		for gx := 0; gx < 8; gx++ {
			cx0, cx1 := ix0+gx*(ix1-ix0)/8, ix0+(gx+1)*(ix1-ix0)/8
			cy0, cy1 := iy0+gy*(iy1-iy0)/8, iy0+(gy+1)*(iy1-iy0)/8
			n, all := 0, 0
			for y := cy0; y < max(cy1, cy0+1); y++ {
				for x := cx0; x < max(cx1, cx0+1); x++ {
					all++
					if ink(img, x, y) {
						n++
					}
				}
			}
			if 3*n >= all {
				sig.WriteByte('#')
			} else {
				sig.WriteByte('.')
			}
		}
	}
	return sig.String()
}

// distinctGlyphs counts the different glyph shapes drawn for the title's distinct
// characters, and how many distinct characters it has.
func distinctGlyphs(t *testing.T, shot []byte, boxes []charBox) (shapes, chars int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	sigs, seen := map[string]bool{}, map[string]bool{}
	for _, b := range boxes {
		if seen[b.C] || strings.TrimSpace(b.C) == "" {
			continue
		}
		seen[b.C] = true
		sigs[glyphSignature(img, b)] = true
	}
	return len(sigs), len(seen)
}

func TestReportInHeadlessChromium(t *testing.T) {
	chromium := needChromium(t)
	ctx := context.Background()
	lake := buildDemoLake(t, ctx, "--seed", "20220927", "--scale", "0.3")
	dir := t.TempDir()
	if d := os.Getenv("SAFETYRISK_TEST_ARTIFACTS"); d != "" {
		dir = d // keep the HTML, the PDF and the screenshots to look at
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	htmlPath, pdfPath := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.pdf")

	// The PDF, as a user makes it: safetyrisk report --pdf.
	runCLI(t, ctx, []int{exitOK}, "report", "--lake", lake, "--out", htmlPath, "--pdf", pdfPath)
	pdf, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page>>")) + bytes.Count(pdf, []byte("/Type /Page/"))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 20000 {
		t.Errorf("PDF %s: %d bytes, starts %q", pdfPath, len(pdf), pdf[:min(8, len(pdf))])
	}
	t.Logf("PDF %s: %d bytes, about %d pages", pdfPath, len(pdf), pages)

	url, err := report.FileURL(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	bctx := browser(t, chromium)
	l := load(t, bctx, url)
	for _, u := range l.requests {
		if u != url {
			t.Errorf("the page requested %s: a report must not request anything", u)
		}
	}
	if len(l.failed) > 0 || len(l.logged) > 0 {
		t.Errorf("failed requests %v, errors logged %v", l.failed, l.logged)
	}

	shot := screenshot(t, bctx)
	if err := os.WriteFile(filepath.Join(dir, "first-page.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	if s := inkShare(img); s < 0.03 {
		t.Errorf("first page is blank: %.1f%% of its pixels are drawn", 100*s)
	}
	shapes, chars := distinctGlyphs(t, shot, titleBoxes(t, bctx))
	if chars < 8 || shapes < chars-1 {
		t.Errorf("title: %d distinct characters drawn as %d shapes: Chinese shows as boxes", chars, shapes)
	}
	for _, sel := range []string{"h1", "#s1 p", "svg text"} {
		fonts := fontsOf(t, bctx, sel)
		if cjkGlyphs(fonts) == 0 {
			t.Errorf("%s drawn without a CJK font: %v", sel, fonts)
		}
		t.Logf("%s: fonts %v", sel, fonts)
	}
	t.Logf("first page: %d of %d title characters distinct, %.1f%% of pixels drawn", shapes, chars, 100*inkShare(img))

	// The checks can fail. A page that requests an address logs a failed request...
	bad := filepath.Join(t.TempDir(), "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><html><body><h1>安全生产</h1><img src="http://example.com/x.png"></body></html>`), 0o644)
	burl, _ := report.FileURL(bad)
	if lb := load(t, browser(t, chromium), burl); len(lb.failed) == 0 {
		t.Errorf("a page requesting http://example.com loaded without a failed request: the check cannot fail (requests %v)", lb.requests)
	}
	// ...and the same report in a browser whose fontconfig knows no CJK font draws boxes.
	conf := filepath.Join(t.TempDir(), "fonts.conf")
	os.WriteFile(conf, []byte(`<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>`+t.TempDir()+`</cachedir></fontconfig>`), 0o644)
	tctx := browser(t, chromium, "FONTCONFIG_FILE="+conf)
	load(t, tctx, url)
	tofu := screenshot(t, tctx)
	os.WriteFile(filepath.Join(dir, "first-page-without-cjk-fonts.png"), tofu, 0o644)
	tshapes, tchars := distinctGlyphs(t, tofu, titleBoxes(t, tctx))
	if tshapes >= tchars-1 {
		t.Errorf("without CJK fonts the title still has %d shapes for %d characters: the box check cannot fail", tshapes, tchars)
	}
	t.Logf("control without CJK fonts: %d distinct characters drawn as %d shapes", tchars, tshapes)
}
