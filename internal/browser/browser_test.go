package browser_test

import (
	"context"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/internal/browser"
)

// shared is one browser for the tests that only check pages: starting one
// takes seconds.
var shared struct {
	once sync.Once
	b    *browser.Browser
	err  error
}

// start returns the shared browser, or skips the test without one; with
// VASTSTELLING_BROWSER=required it fails instead.
func start(t *testing.T) *browser.Browser {
	t.Helper()
	needBrowser(t)
	shared.once.Do(func() { shared.b, shared.err = browser.Start(context.Background()) })
	require.NoError(t, shared.err)
	return shared.b
}

func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := browser.Find(); err != nil {
		if browser.Required() {
			t.Fatalf("%s=required: %v", browser.EnvRequired, err)
		}
		t.Skipf("skipped: %v (%s=required fails instead)", err, browser.EnvRequired)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.b != nil {
		if err := shared.b.Close(); err != nil {
			code = 1
		}
	}
	os.Exit(code)
}

func check(t *testing.T, page string, opts browser.Options) browser.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := start(t).Check(ctx, []byte(page), opts)
	require.NoError(t, err)
	return rep
}

// html makes a page of the body, printed on A4 with 20 mm margins: 643 px
// of content.
func html(body string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><style>
@page { size: A4; margin: 20mm }
body { margin: 0; font: 12px sans-serif }
</style></head><body>` + body + `</body></html>`
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100" font-family="sans-serif">
<text x="10" y="20" font-size="12">inside</text>
<text x="290" y="50" font-size="12" text-anchor="end">right aligned, inside</text>
<text x="18" y="50" font-size="12" text-anchor="middle" transform="rotate(-90 18 50)">turned</text>
<text x="250" y="80" font-size="12">sticks out on the right</text>
<text x="150" y="4" font-size="12">over the top</text>
</svg>`

func TestFine(t *testing.T) {
	rep := check(t, html(`<h1>Report</h1><p>Results: 1234 of 5678.</p>
<table style="width:100%"><tr><td>a long cell that wraps as it should, a long cell that wraps as it should</td><td>42</td></tr></table>
<svg width="200" height="60" viewBox="0 0 200 60"><text x="10" y="30" font-size="12">in the box</text></svg>
<p>Counted <data value="1234">1.234</data> on <time datetime="2027-03-01">1 maart 2027</time>.<data value="5" hidden>5</data></p>`),
		browser.Options{PDF: true})
	assert.Empty(t, rep.Problems())
	assert.True(t, rep.OK())
	assert.InDelta(t, 643, rep.Width, 1, "A4 less 20 mm twice")
	assert.Contains(t, rep.Text, "Results: 1234 of 5678.")
	assert.Contains(t, rep.Text, "42")
	assert.Equal(t, []browser.Value{{Tag: "data", Value: "1234", Text: "1.234"}, {Tag: "time", Value: "2027-03-01", Text: "1 maart 2027"},
		{Tag: "data", Value: "5", Text: ""}}, rep.Values)
	assert.Equal(t, 1, rep.Pages)
}

func TestOverflowing(t *testing.T) {
	rep := check(t, html(`<p>fine</p>
<div class="wide" style="width:700px"><span>a box wider than the page's content</span></div>
<table><tr><td style="white-space:nowrap">`+strings.Repeat("unbreakable ", 80)+`</td></tr></table>
<p style="margin-left:-40px">pushed out on the left</p>`), browser.Options{})
	require.Len(t, rep.Overflowing, 3, "%v", rep.Problems())
	assert.Equal(t, "body > div.wide", rep.Overflowing[0].Path, "the outermost only")
	assert.Equal(t, "past the right edge", rep.Overflowing[0].Why)
	assert.InDelta(t, 700, rep.Overflowing[0].Box.Right, 1)
	assert.InDelta(t, 643, rep.Overflowing[0].Limit.Right, 1)
	assert.Equal(t, "body > table", rep.Overflowing[1].Path)
	assert.Equal(t, "body > p:nth-of-type(2)", rep.Overflowing[2].Path)
	assert.Equal(t, "past the left edge", rep.Overflowing[2].Why)
	assert.Greater(t, rep.ScrollWidth, rep.Width)
	assert.Empty(t, rep.Clipped)
	assert.False(t, rep.OK())

	// The same box on a screen as wide as A4 fits.
	rep = check(t, html(`<div style="width:700px">fits on a screen 794 wide</div>`), browser.Options{Screen: true})
	assert.Empty(t, rep.Problems())
	assert.InDelta(t, 794, rep.Width, 1)
}

func TestClipped(t *testing.T) {
	rep := check(t, html(`<p>fine</p>
<div id="ellipsis" style="width:100px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis">a line far too long for its box</div>
<div id="hidden" style="width:100px;height:20px;overflow:hidden">text that wraps onto more lines than the box is high</div>
<div id="scroll" style="width:100px;overflow-x:auto;white-space:nowrap">a scroll box prints only what is in view</div>
<div id="roomy" style="width:300px;overflow:hidden">fits</div>`), browser.Options{})
	require.Len(t, rep.Clipped, 3, "%v", rep.Problems())
	assert.Equal(t, "div#ellipsis", rep.Clipped[0].Path)
	assert.Equal(t, "text cut off with text-overflow: ellipsis", rep.Clipped[0].Why)
	assert.Equal(t, "a line far too long for its box", rep.Clipped[0].Text)
	assert.InDelta(t, 100, rep.Clipped[0].Limit.Right, 0.1)
	assert.Greater(t, rep.Clipped[0].Box.Right, 100.0)
	assert.Equal(t, "div#hidden", rep.Clipped[1].Path)
	assert.Equal(t, "taller than its box (overflow-y: hidden)", rep.Clipped[1].Why)
	assert.Equal(t, "div#scroll", rep.Clipped[2].Path)
	assert.Equal(t, "wider than its box (overflow-x: auto)", rep.Clipped[2].Why)
	assert.Empty(t, rep.Overflowing)
}

func TestSVGText(t *testing.T) {
	for _, c := range []struct {
		name string
		page string
		opts browser.Options
	}{
		{"inline", html(svg), browser.Options{}},
		{"image", svg, browser.Options{SVG: true}},
		{"scaled", html(`<div style="width:150px">` + strings.Replace(svg, `width="300" height="100"`, `width="100%"`, 1) + `</div>`), browser.Options{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := check(t, c.page, c.opts)
			require.Len(t, rep.SVGText, 2, "%v", rep.Problems())
			assert.Equal(t, "sticks out on the right", rep.SVGText[0].Text)
			assert.Equal(t, "past the right edge of the viewBox", rep.SVGText[0].Why)
			assert.Equal(t, browser.Box{Left: 0, Top: 0, Right: 300, Bottom: 100}, rep.SVGText[0].Limit)
			assert.Greater(t, rep.SVGText[0].Box.Right, 300.0)
			assert.InDelta(t, 250, rep.SVGText[0].Box.Left, 1, "in the viewBox's units")
			assert.Equal(t, "over the top", rep.SVGText[1].Text)
			assert.Equal(t, "past the top of the viewBox", rep.SVGText[1].Why)
			assert.Empty(t, rep.Overflowing)
			assert.Empty(t, rep.Clipped)
			assert.Contains(t, rep.Text, "turned")
		})
	}
}

func TestResources(t *testing.T) {
	rep := check(t, html(`<img src="missing.png" alt=""><p>x</p>`), browser.Options{})
	require.Len(t, rep.Resources, 1, "%v", rep.Problems())
	assert.True(t, strings.HasSuffix(rep.Resources[0], "/missing.png"), rep.Resources[0])
}

func TestPages(t *testing.T) {
	var b strings.Builder
	for range 200 {
		b.WriteString("<p>a paragraph of its own</p>\n")
	}
	rep := check(t, html(b.String()), browser.Options{PDF: true})
	assert.Greater(t, rep.Pages, 2)
	assert.Less(t, rep.Pages, 20)
	assert.Empty(t, rep.Problems())
}

func TestPageRule(t *testing.T) {
	page := func(rule string) string {
		return `<!doctype html><html><head><style>` + rule + `</style></head><body>x</body></html>`
	}
	for _, c := range []struct {
		rule  string
		width float64
	}{
		{``, 793.7 - 76.8},
		{`@page { margin: 0 }`, 793.7},
		{`@page { size: A4 landscape; margin: 10mm 15mm }`, 1122.5 - 113.4},
		{`@media print { @page { size: 100mm 50mm; margin: 0 0 0 10mm } }`, 378 - 37.8},
		{`@media screen { @page { margin: 0 } }`, 793.7 - 76.8},
	} {
		rep := check(t, page(c.rule), browser.Options{})
		assert.InDelta(t, c.width, rep.Width, 1, c.rule)
	}
	rep := check(t, page(`@page { margin: 0 }`), browser.Options{Width: 500})
	assert.Equal(t, 500.0, rep.Width)
}

func TestScriptError(t *testing.T) {
	// A page that blocks with a dialog and then throws still checks.
	rep := check(t, html(`<p>after the alert</p><script>alert("hello"); throw new Error("x")</script>`), browser.Options{})
	assert.Contains(t, rep.Text, "after the alert")
}

func TestFind(t *testing.T) {
	t.Setenv(browser.EnvPath, "/nonexistent/chromium")
	_, err := browser.Find()
	require.ErrorIs(t, err, browser.ErrNoBrowser)
	assert.Contains(t, err.Error(), browser.EnvPath)
	_, err = browser.Check(context.Background(), []byte("<p>x</p>"), browser.Options{})
	require.ErrorIs(t, err, browser.ErrNoBrowser)

	t.Setenv(browser.EnvPath, "")
	t.Setenv("PATH", t.TempDir())
	_, err = browser.Find()
	require.ErrorIs(t, err, browser.ErrNoBrowser)
}

// One Check on its own starts and stops its browser, and leaves no
// goroutine behind.
func TestCheckAlone(t *testing.T) {
	needBrowser(t)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := browser.Check(ctx, []byte(html(`<p>alone</p>`)), browser.Options{})
	require.NoError(t, err)
	assert.Equal(t, "alone", rep.Text)
	settled(t, before)
}

// A context that ends kills the browser and everything it started.
func TestCancel(t *testing.T) {
	needBrowser(t)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	b, err := browser.Start(ctx)
	require.NoError(t, err)
	pid := browser.PID(b)
	require.True(t, browser.Alive(pid))

	// A page that never finishes loading holds the check until the
	// context ends.
	done := make(chan error, 1)
	go func() {
		_, err := b.Check(ctx, []byte(html(`<p>x</p><script>while (true) {}</script>`)), browser.Options{})
		done <- err
	}()
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Check did not return after the context ended")
	}
	assert.Less(t, time.Since(start), 5*time.Second)
	require.NoError(t, b.Close())
	assert.False(t, browser.Alive(pid), "the browser's process group is gone")
	_, err = b.Check(context.Background(), []byte("<p>x</p>"), browser.Options{})
	require.ErrorIs(t, err, browser.ErrClosed)
	settled(t, before)
}

// A Check whose own context ends leaves the browser usable.
func TestCheckTimeout(t *testing.T) {
	b := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := b.Check(ctx, []byte(html(`<script>while (true) {}</script>`)), browser.Options{})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	rep := check(t, html(`<p>still here</p>`), browser.Options{})
	assert.Equal(t, "still here", rep.Text)
}

// settled waits a little for the goroutines to end, and fails if more are
// left than there were.
func settled(t *testing.T, before int) {
	t.Helper()
	for range 50 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
}

func TestPagesCount(t *testing.T) {
	assert.Equal(t, 0, browser.Pages(nil))
	assert.Equal(t, 2, browser.Pages([]byte("<< /Type /Pages /Count 2 >> << /Type /Page >> <</Type/Page/Parent 1 0 R>>")))
}

func TestBroken(t *testing.T) {
	rep := check(t, html(`<table><tr>
<td style="width:40px;overflow-wrap:anywhere">Resultaten</td>
<td style="width:40px;overflow-wrap:anywhere">EC-2027-014</td>
<td style="width:60px">two words</td></tr></table>`), browser.Options{})
	require.Len(t, rep.Broken, 1, "%v", rep.Broken)
	assert.Equal(t, "Resultaten", rep.Broken[0].Text)
	assert.Regexp(t, `^broken across lines after "Resul`, rep.Broken[0].Why)
	assert.Equal(t, "body > table > tbody > tr > td:nth-of-type(1)", rep.Broken[0].Path)
	assert.Empty(t, rep.Problems(), "legible")
}

// Checks may run at once, each in a tab of its own.
func TestConcurrent(t *testing.T) {
	b := start(t)
	var wg sync.WaitGroup
	texts := make([]string, 4)
	errs := make([]error, 4)
	for i := range texts {
		wg.Go(func() {
			rep, err := b.Check(context.Background(), []byte(html(strings.Repeat("<p>page</p>", i+1))), browser.Options{})
			texts[i], errs[i] = rep.Text, err
		})
	}
	wg.Wait()
	for i := range texts {
		require.NoError(t, errs[i])
		assert.Equal(t, strings.Repeat("page\n\n", i)+"page", texts[i])
	}
}
