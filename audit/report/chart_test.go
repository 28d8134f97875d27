package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/timeline"
)

// An svgBar is a bar of the chart as the image holds it.
type svgBar struct {
	measure, month string
	n              int
	parts          map[string]int // status → count
	sum            int            // of the parts
	heights        int            // of the parts, in pixels
	label          string         // the n written above it
}

// A svgText is a text of the chart with its box.
type svgText struct {
	x, y, size int
	anchor     string
	bold       bool
	text       string
}

// readChart reads the bars and the texts of a chart, and its width.
func readChart(t *testing.T, svg []byte) (bars []svgBar, texts []svgText, width int) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var bar *svgBar
	var text *svgText
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	num := func(e xml.StartElement, name string) int {
		n, err := strconv.Atoi(attr(e, name))
		require.NoError(t, err, "%s of <%s>", name, e.Name.Local)
		return n
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "svg":
				width = num(e, "width")
			case "g":
				bar = &svgBar{measure: attr(e, "data-measure"), month: attr(e, "data-month"), n: num(e, "data-n"),
					parts: map[string]int{}}
			case "rect":
				if bar != nil {
					c := num(e, "data-count")
					bar.parts[attr(e, "data-status")] += c
					bar.sum += c
					bar.heights += num(e, "height")
				}
			case "text":
				text = &svgText{x: num(e, "x"), y: num(e, "y"), size: num(e, "font-size"), anchor: attr(e, "text-anchor"),
					bold: attr(e, "font-weight") == "bold"}
			}
		case xml.CharData:
			if text != nil {
				text.text += string(e)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "g":
				bars = append(bars, *bar)
				bar = nil
			case "text":
				if bar != nil {
					bar.label = text.text
				}
				texts = append(texts, *text)
				text = nil
			}
		}
	}
	return bars, texts, width
}

// The n written above a bar is what the bar counts: every result the
// measure counts, measured or pending, and no other (issue 15: "n = 201"
// stood above bars of 200 and 198). The parts fill the bar.
func TestChartNIsWhatTheBarsCount(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	months := map[string]report.MonthTimeliness{}
	for _, m := range rep.Months {
		months[m.Month] = m
	}
	for _, l := range languages {
		bars, _, _ := readChart(t, report.TimelinessChart(rep, l.lang))
		require.Len(t, bars, 3*len(rep.Months), "a bar per measure and month")
		for _, b := range bars {
			m := months[b.month]
			tally := map[string]report.Tally{"assessed": m.Assessed, "checked": m.Checked, "determined": m.Determined}[b.measure]
			want := tally.OnTime + tally.Late + tally.BeforeDue + tally.Pending
			assert.Equal(t, want, b.n, "%s %s", b.measure, b.month)
			assert.Equal(t, b.n, b.sum, "%s %s: the parts add up to n", b.measure, b.month)
			assert.Equal(t, fmt.Sprintf("n = %d", b.n), b.label)
			if b.n > 0 {
				assert.Equal(t, 140, b.heights, "%s %s: the parts fill the bar", b.measure, b.month)
			}
		}
	}
	// February: 3 results, of which a-202 was delivered late and is not
	// measured on registration: 2 on that bar, not 3.
	bars, _, _ := readChart(t, report.TimelinessChart(rep, timeline.English))
	for _, b := range bars {
		if b.month == "2027-02" && b.measure == "checked" {
			assert.Equal(t, 2, b.n)
			assert.NotEqual(t, months["2027-02"].Results, b.n)
		}
	}
}

// Pending and overdue results are parts of their bars, with a legend, in
// both languages (issue 15: "determined on time 100%" hid them).
func TestChartShowsPendingAndOverdue(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	for _, c := range []struct {
		lang             timeline.Language
		pending, overdue string
	}{
		{timeline.Dutch, "lopend: open, de datum is niet verstreken", "over tijd: open, de datum is verstreken"},
		{timeline.English, "pending: open, its date has not passed", "overdue: open, its date has passed"},
	} {
		svg := report.TimelinessChart(rep, c.lang)
		bars, texts, _ := readChart(t, svg)
		found := map[string]int{}
		for _, b := range bars {
			if b.month == "2027-02" {
				found[b.measure+" pending"] = b.parts["pending"]
				found[b.measure+" overdue"] = b.parts["overdue"]
			}
		}
		// Determined in February: 1 on time, 2 pending (a-202 due on 6
		// April, a-203 not registered); registered: a-203 overdue.
		assert.Equal(t, 2, found["determined pending"], c.lang)
		assert.Equal(t, 1, found["checked overdue"], c.lang)
		legend := map[string]bool{}
		for _, x := range texts {
			legend[x.text] = true
		}
		assert.True(t, legend[c.pending], "%s: legend %q", c.lang, c.pending)
		assert.True(t, legend[c.overdue], "%s: legend %q", c.lang, c.overdue)
	}
}

// Every text of the chart fits its box: within the image, and no two texts
// on one line overlap, in both languages, for the fixture, for no months
// and for a year of months with long labels.
func TestChartTextFits(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	year := report.TimelinessReport{}
	for m := 1; m <= 12; m++ {
		t := report.Tally{OnTime: 1234, Late: 56, Pending: 789, Overdue: 12, Measured: 1290, Percent: "95.7"}
		year.Months = append(year.Months, report.MonthTimeliness{Month: fmt.Sprintf("2027-%02d", m), Results: 2079,
			Assessed: t, Checked: t, Determined: t})
	}
	odd := report.TimelinessReport{Months: []report.MonthTimeliness{{Month: "a month of a very long name indeed",
		Results: 1, Assessed: report.Tally{OnTime: 1, Measured: 1, Percent: "100.0"}}}}
	for name, r := range map[string]report.TimelinessReport{"fixture": rep, "empty": {}, "year": year, "odd": odd} {
		for _, l := range languages {
			_, texts, width := readChart(t, report.TimelinessChart(r, l.lang))
			type span struct{ from, to int }
			lines := map[int][]span{}
			for _, x := range texts {
				w := report.TextWidth(x.text, x.size, x.bold)
				from := x.x
				switch x.anchor {
				case "middle":
					from -= w / 2
				case "end":
					from -= w
				}
				to := from + w
				assert.True(t, from >= 0 && to <= width, "%s %s: %q (%d to %d) leaves the image (%d wide)", name,
					l.name, x.text, from, to, width)
				for _, o := range lines[x.y] {
					assert.True(t, to <= o.from || from >= o.to, "%s %s: %q overlaps another text", name, l.name, x.text)
				}
				lines[x.y] = append(lines[x.y], span{from, to})
			}
			title := texts[0]
			assert.True(t, strings.HasPrefix(l.name, "nl") == strings.HasPrefix(title.text, "Tijdigheid"), title.text)
		}
	}

	// The width table: a wider text is estimated wider; bold wider still.
	assert.Greater(t, report.TextWidth("Tijdigheid per maand", 16, false), report.TextWidth("Tijdigheid", 16, false))
	assert.Greater(t, report.TextWidth("WWW", 12, true), report.TextWidth("WWW", 12, false))
	assert.Equal(t, report.TextWidth("e", 12, false), report.TextWidth("é", 12, false), "a diacritic adds nothing")
}
