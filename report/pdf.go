package report

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// ErrNoBrowser says no headless Chromium is installed to print a PDF with.
var ErrNoBrowser = errors.New("no chromium found on PATH (Debian: apt-get install chromium fonts-noto-cjk, or scripts/ensure-chromium.sh); " +
	"open the HTML in a browser and print it to PDF (A4, margins default, background graphics on)")

// FindChromium returns the path of Debian's chromium (or chromium-browser), or
// ErrNoBrowser.
func FindChromium() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// ChromiumFlags are the flags every headless run uses: no sandbox (containers run as
// root), no GPU, and none of the browser's own network traffic (updates, sync, field
// trials).
func ChromiumFlags(userDataDir string) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + userDataDir}
}

// FileURL is the file:// URL of a local path.
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: abs}).String(), nil
}

// PrintPDF prints the HTML file to pdf with headless Chromium, in a new empty profile
// directory that is removed afterwards.
func PrintPDF(ctx context.Context, chromium, html, pdf string) error {
	u, err := FileURL(html)
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	out, err := filepath.Abs(pdf)
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	profile, err := os.MkdirTemp("", "safetyrisk-chromium-")
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	tmp := out + ".tmp.pdf"
	defer os.Remove(tmp)
	args := append(ChromiumFlags(profile), "--no-pdf-header-footer", "--print-to-pdf="+tmp, u)
	cmd := exec.CommandContext(ctx, chromium, args...)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("pdf: chromium: %w: %s", err, tail(msg, 800))
	}
	st, err := os.Stat(tmp)
	if err != nil || st.Size() == 0 {
		return fmt.Errorf("pdf: chromium wrote no PDF: %s", tail(msg, 800))
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
