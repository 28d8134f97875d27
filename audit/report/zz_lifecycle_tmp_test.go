package report_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/krs-oke/vaststelling/internal/browser"
)

func TestZZLifecyclePages(t *testing.T) {
	dir := os.Getenv("LC_DIR")
	if dir == "" {
		t.Skip()
	}
	b := startBrowser(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	for _, f := range files {
		page, _ := os.ReadFile(f)
		rep := checkPage(t, b, page, browser.Options{PDF: true})
		t.Logf("%s: pages %d, problems %v, broken %d %v", filepath.Base(f), rep.Pages, rep.Problems(), len(rep.Broken), first(rep.Broken))
	}
	svgs, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	for _, f := range svgs {
		page, _ := os.ReadFile(f)
		rep := checkPage(t, b, page, browser.Options{SVG: true, Screen: true})
		t.Logf("%s: problems %v", filepath.Base(f), rep.Problems())
	}
}

func first[T any](s []T) []T {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}
