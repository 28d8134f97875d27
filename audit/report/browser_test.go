package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/internal/browser"
	"github.com/krs-oke/vaststelling/timeline"
)

// startBrowser starts a headless Chromium for the test, closed when it
// ends; without one the test is skipped, unless VASTSTELLING_BROWSER=required.
func startBrowser(t *testing.T) *browser.Browser {
	t.Helper()
	b, err := browser.Start(context.Background())
	if errors.Is(err, browser.ErrNoBrowser) && !browser.Required() {
		t.Skipf("skipped: %v (%s=required fails instead)", err, browser.EnvRequired)
	}
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, b.Close()) })
	return b
}

// A printed report: its HTML in a language and its JSON.
type printed struct {
	name string
	html func(lang timeline.Language) ([]byte, error)
	json func() ([]byte, error)
}

func writer(write func(*bytes.Buffer, timeline.Language) error) func(timeline.Language) ([]byte, error) {
	return func(lang timeline.Language) ([]byte, error) {
		var b bytes.Buffer
		err := write(&b, lang)
		return b.Bytes(), err
	}
}

func accountabilityPage(r report.AccountabilityReport) printed {
	return printed{html: writer(func(b *bytes.Buffer, l timeline.Language) error { return r.WriteHTML(b, l) }), json: r.JSON}
}

func timelinessPage(r report.TimelinessReport) printed {
	return printed{html: writer(func(b *bytes.Buffer, l timeline.Language) error { return r.WriteHTML(b, l) }), json: r.JSON}
}

func evaluationPage(r report.EvaluationReport) printed {
	return printed{html: writer(func(b *bytes.Buffer, l timeline.Language) error { return r.WriteHTML(b, l) }), json: r.JSON}
}

// Every HTML report of the fixture, and of an empty trail, lays out in a
// browser on A4, in Dutch and in English: nothing sticks out past the
// page, no text is cut off, the text of the chart stays in its image, the
// page loads nothing from outside, and the numbers a reader sees are the
// JSON's.
func TestReportsInBrowser(t *testing.T) {
	b := startBrowser(t)
	tr := fixture(t)
	empty := &audit.MemoryStore{}

	var pages []printed
	add := func(name string, p printed, err error) {
		t.Helper()
		require.NoError(t, err, name)
		p.name = name
		pages = append(pages, p)
	}
	acc1, err := report.Accountability(ctx, tr.store, cal, session1)
	add("accountability "+session1, accountabilityPage(acc1), err)
	acc2, err := report.Accountability(ctx, tr.store, cal, session2)
	add("accountability "+session2, accountabilityPage(acc2), err)
	accNone, err := report.Accountability(ctx, empty, cal, session1)
	add("accountability empty", accountabilityPage(accNone), err)
	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	add("timeliness", timelinessPage(tl), err)
	tlNone, err := report.Timeliness(ctx, empty, cal, timeline.DefaultPolicies(), reportAt)
	add("timeliness empty", timelinessPage(tlNone), err)
	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	add("evaluation", evaluationPage(ev), err)
	evNone, err := report.Evaluation(ctx, empty, report.SchoolYear(2026, ams))
	add("evaluation empty", evaluationPage(evNone), err)

	for _, p := range pages {
		doc, err := p.json()
		require.NoError(t, err, p.name)
		for _, lang := range []timeline.Language{timeline.Dutch, timeline.English} {
			t.Run(p.name+" "+string(lang), func(t *testing.T) {
				page, err := p.html(lang)
				require.NoError(t, err)
				rep := checkPage(t, b, page, browser.Options{PDF: true})
				assert.Empty(t, rep.Problems(), "what does not fit on A4")
				if n := len(rep.Broken); n > 0 { // legible: told, not failed
					t.Logf("%d words broken in two where the column is too narrow, as %s", n, rep.Broken[0])
				}
				assert.GreaterOrEqual(t, rep.Pages, 1)
				assert.LessOrEqual(t, rep.Pages, 12, "pages printed")
				numbersAsInJSON(t, rep, doc, lang)

				// The screen too, at A4's width.
				screen := checkPage(t, b, page, browser.Options{Screen: true})
				assert.Empty(t, screen.Problems(), "what does not fit on a screen as wide as A4")
			})
		}
	}
}

// The chart of the timeliness report, as an image of its own: its text
// stays within the image, and the n of every bar is written.
func TestTimelinessChartInBrowser(t *testing.T) {
	b := startBrowser(t)
	tr := fixture(t)
	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	tlNone, err := report.Timeliness(ctx, &audit.MemoryStore{}, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		rep  report.TimelinessReport
	}{{"fixture", tl}, {"empty", tlNone}} {
		for _, lang := range []timeline.Language{timeline.Dutch, timeline.English} {
			t.Run(c.name+" "+string(lang), func(t *testing.T) {
				svg := report.TimelinessChart(c.rep, lang)
				rep := checkPage(t, b, svg, browser.Options{SVG: true, Screen: true})
				assert.Empty(t, rep.Problems())
				lines := strings.Split(rep.Text, "\n")
				bars := regexp.MustCompile(`data-n="(\d+)"`).FindAllSubmatch(svg, -1)
				assert.Equal(t, len(c.rep.Months) == 0, len(bars) == 0, "bars for the months")
				var want, got []string
				for _, n := range bars {
					want = append(want, "n = "+string(n[1]))
				}
				for _, l := range lines {
					if strings.HasPrefix(l, "n = ") {
						got = append(got, l)
					}
				}
				assert.Equal(t, want, got, "the n written above each bar")
			})
		}
	}
}

func checkPage(t *testing.T, b *browser.Browser, page []byte, opts browser.Options) browser.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := b.Check(ctx, page, opts)
	require.NoError(t, err)
	return rep
}

// numbersAsInJSON checks the numbers a reader sees against the report's
// JSON: every number and date the page marks up (<data value>, <time
// datetime>) is shown, shows its value, and is a value of the JSON; and
// every count of the JSON is on the page.
func numbersAsInJSON(t *testing.T, rep browser.Report, doc []byte, lang timeline.Language) {
	t.Helper()
	leaves := map[string]bool{} // every value of the JSON, as text
	var counts []string         // the JSON's whole numbers, by path
	moments := map[int64]bool{} // every moment of the JSON
	dates := map[string]bool{}  // every date of the JSON, and the last day before an until
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	walkJSON("", v, func(path string, leaf any) {
		switch x := leaf.(type) {
		case json.Number:
			leaves[x.String()] = true
			if _, err := strconv.Atoi(x.String()); err == nil {
				counts = append(counts, path+"="+x.String())
			}
		case string:
			leaves[x] = true
			if m, err := time.Parse(time.RFC3339, x); err == nil {
				moments[m.Unix()] = true
				dates[m.Format(time.DateOnly)] = true
				if strings.HasSuffix(path, "until") { // an end that is not in it: the page names the day before
					dates[m.AddDate(0, 0, -1).Format(time.DateOnly)] = true
				}
			} else if _, err := time.Parse(time.DateOnly, x); err == nil {
				dates[x] = true
			}
		}
	})

	var shown []string // the numbers the page marks up, as the JSON writes them
	for _, v := range rep.Values {
		if !assert.NotEmpty(t, v.Text, "%s %q is not shown", v.Tag, v.Value) {
			continue
		}
		switch v.Tag {
		case "data":
			assert.True(t, leaves[v.Value], "<data value=%q> is no value of the JSON", v.Value)
			assert.Equal(t, v.Value, numberAsJSON(v.Text, lang), "<data value=%q> shows %q", v.Value, v.Text)
			shown = append(shown, v.Value)
		case "time":
			m, err := time.Parse(time.RFC3339, v.Value)
			assert.True(t, err == nil && moments[m.Unix()] || dates[v.Value],
				"<time datetime=%q> is no moment or date of the JSON", v.Value)
			dateShown(t, v.Value, v.Text)
		}
	}

	// Every count of the JSON is on the page, marked up or in its text.
	words := map[string]bool{}
	for _, w := range regexp.MustCompile(`\d+`).FindAllString(rep.Text, -1) {
		words[w] = true
	}
	for _, c := range counts {
		n := c[strings.LastIndexByte(c, '=')+1:]
		assert.True(t, slices.Contains(shown, n) || words[n], "the JSON's %s is not on the page", c)
	}
}

// walkJSON calls leaf for every number and string in v, with its path.
func walkJSON(path string, v any, leaf func(path string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walkJSON(path+"."+k, e, leaf)
		}
	case []any:
		for i, e := range x {
			walkJSON(fmt.Sprintf("%s[%d]", path, i), e, leaf)
		}
	default:
		leaf(path, v)
	}
}

// numberAsJSON reads a number as the page shows it, "66,7%" in Dutch or
// "66.7%" in English, and writes it as the JSON does: "66.7".
func numberAsJSON(text string, lang timeline.Language) string {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "%"))
	if lang == timeline.Dutch {
		s = strings.ReplaceAll(s, ".", "") // thousands
		s = strings.Replace(s, ",", ".", 1)
	} else {
		s = strings.ReplaceAll(s, ",", "")
	}
	return s
}

// dateShown checks that the text of a <time> shows its datetime: the day,
// the year and, for a moment, the time of day.
func dateShown(t *testing.T, datetime, text string) {
	t.Helper()
	if d, err := time.Parse(time.DateOnly, datetime); err == nil {
		assert.Regexp(t, fmt.Sprintf(`\b%d\b.*\b%d\b`, d.Day(), d.Year()), text, "<time datetime=%q>", datetime)
		return
	}
	m, err := time.Parse(time.RFC3339, datetime)
	if !assert.NoError(t, err, "<time datetime=%q>", datetime) {
		return
	}
	assert.Regexp(t, fmt.Sprintf(`\b%d\b.*\b%d\b.*%s`, m.Day(), m.Year(), m.Format("15:04")), text,
		"<time datetime=%q>", datetime)
}
