package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/krs-oke/vaststelling/timeline"
)

// The chart's layout, in pixels.
const (
	chartMargin   = 16  // around everything
	chartAxis     = 44  // left of the plots: the labels of the y axis
	chartPlot     = 140 // a plot's height: 100%
	chartBar      = 40  // a bar's width
	chartMinGroup = 88  // a month's width, at least
	chartMinWidth = 560 // the image's width, at least: the months spread out to fill it
	chartSwatch   = 12  // a legend's colour square

	titleSize  = 16 // the title, bold; it shrinks to titleLeast, then wraps
	titleLeast = 13
	panelSize  = 13 // a measure's title, bold
	panelLeast = 11
	labelSize  = 11 // months, legend, axis
	smallSize  = 10 // n above the bars, notes
	leastSize  = 9
	lineGap    = 4 // between the lines of a wrapped text
)

// The outcomes a bar is split into, bottom up, with their colours.
var chartSegments = []struct {
	status Status
	colour string
	legend Words
}{
	{OnTime, "#2f855a", Words{Dutch: "op tijd", English: "on time"}},
	{BeforeDue, "#d69e2e", Words{Dutch: "vóór de datum, zonder besluit", English: "before its date, without a decision"}},
	{Late, "#c53030", Words{Dutch: "te laat", English: "late"}},
	{Overdue, "#dd6b20", Words{Dutch: "over tijd: open, de datum is verstreken", English: "overdue: open, its date has passed"}},
	{Pending, "#a0aec0", Words{Dutch: "lopend: open, de datum is niet verstreken", English: "pending: open, its date has not passed"}},
}

// The measures the chart draws, a panel each.
var chartMeasures = []struct {
	key   string
	title Words
	tally func(*MonthTimeliness) Tally
}{
	{"assessed", Words{Dutch: "Beoordeeld binnen de beoordelingstermijn (examinator)",
		English: "Assessed within the assessment term (assessor)"}, func(m *MonthTimeliness) Tally { return m.Assessed }},
	{"checked", Words{Dutch: "Geregistreerd binnen die termijn na de importcontrole (examenadministratie)",
		English: "Registered within that term after the import check (exam administration)"},
		func(m *MonthTimeliness) Tally { return m.Checked }},
	{"determined", Words{Dutch: "Vastgesteld op de vaststellingsdatum of vervroegd bij besluit",
		English: "Determined on the determination date, or early by decision"},
		func(m *MonthTimeliness) Tally { return m.Determined }},
}

// barCounts splits a tally into the chart's segments, in their order,
// and returns them with their sum: every result the measure counts,
// measured or pending.
func barCounts(t Tally) ([]int, int) {
	counts := []int{t.OnTime, t.BeforeDue, t.Late, t.Overdue, t.Pending - t.Overdue}
	n := 0
	for _, c := range counts {
		n += c
	}
	return counts, n
}

// TimelinessChart draws the report's months as an SVG image in the
// language (the zero Language is Dutch; another language than English
// draws Dutch): a panel per measure (assessed, registered after the
// import check, determined), in each a bar per month of the exam date
// holding every result the measure counts, n, written above it, split by
// outcome: on time, before its date, late, overdue and pending, in the
// colours of the legend. The height of a part is its share of n. Every
// text is laid out by its measured width (see textWidth), shrunk or
// wrapped to fit its box, and the image is as large as its text needs. A
// bar is a <g> with data-measure, data-month and data-n, its parts
// <rect>s with data-status and data-count. It uses only integer
// arithmetic and writes the same bytes for the same report.
func TimelinessChart(r TimelinessReport, lang timeline.Language) []byte {
	if lang != timeline.English {
		lang = timeline.Dutch
	}
	l, _ := newLang(lang)
	c := &chart{l: l}

	// The width: every month's label and n fit their group.
	group := chartMinGroup
	for i := range r.Months {
		m := &r.Months[i]
		group = max(group, textWidth(l.month(m.Month, true), labelSize, false)+12)
		for _, ms := range chartMeasures {
			_, n := barCounts(ms.tally(m))
			group = max(group, textWidth(nText(n), smallSize, false)+8)
		}
	}
	months := max(len(r.Months), 1)
	c.width = max(chartMinWidth, 2*chartMargin+chartAxis+months*group)
	inner := c.width - 2*chartMargin
	left := chartMargin + chartAxis // the plots' left edge
	right := c.width - chartMargin
	group = max(group, (right-left)/months)

	y := chartMargin
	title := l.s("Tijdigheid per maand van de afnamedatum", "Timeliness per month of the exam date")
	y = c.text(chartMargin, y, title, titleSize, titleLeast, inner, true, "start", "#1a202c")
	y = c.text(chartMargin, y+4, l.s("Per staaf: n = de resultaten die de maatstaf telt, verdeeld naar uitkomst; "+
		"de hoogte van een deel is zijn aandeel in n.", "Per bar: n = the results the measure counts, split by "+
		"outcome; the height of a part is its share of n."), smallSize, leastSize, inner, false, "start", "#4a5568")

	for _, ms := range chartMeasures {
		y = c.text(chartMargin, y+16, l.w(ms.title), panelSize, panelLeast, inner, true, "start", "#1a202c")
		top := y + smallSize + 8 // room for n above a full bar
		base := top + chartPlot
		for pct := 0; pct <= 100; pct += 50 {
			gy := base - chartPlot*pct/100
			c.line(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#e2e8f0" stroke-width="1"/>`, left, gy, right, gy)
			c.line(`<text x="%d" y="%d" font-size="%d" text-anchor="end" fill="#4a5568">%d%%</text>`, left-6, gy+4,
				labelSize, pct)
		}
		c.line(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1a202c" stroke-width="1"/>`, left, top, left, base)
		c.line(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1a202c" stroke-width="1"/>`, left, base, right, base)
		if len(r.Months) == 0 {
			c.text(left+(right-left)/2, top+chartPlot/2-labelSize, l.s("geen resultaten", "no results"), labelSize,
				leastSize, right-left, false, "middle", "#4a5568")
		}
		below := base
		for i := range r.Months {
			m := &r.Months[i]
			centre := left + i*group + group/2
			c.bar(centre-chartBar/2, base, ms.key, m, ms.tally(m))
			below = max(below, c.text(centre, base+4, l.month(m.Month, true), labelSize, leastSize, group-8, false,
				"middle", "#1a202c"))
		}
		y = below
	}

	// The legend, its items in rows.
	y += 12
	x, below := chartMargin, y
	for _, s := range chartSegments {
		words := l.w(s.legend)
		w := min(chartSwatch+6+textWidth(words, labelSize, false), inner)
		if x > chartMargin && x+w > right {
			x, y = chartMargin, below+4
		}
		c.line(`<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, x, y+1, chartSwatch, chartSwatch, s.colour)
		below = max(below, c.text(x+chartSwatch+6, y, words, labelSize, leastSize, w-chartSwatch-6, false, "start",
			"#1a202c"))
		x += w + 16
	}
	y = below

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" `+
		`xml:lang="%s" font-family="Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif">`+"\n",
		c.width, y+chartMargin, c.width, y+chartMargin, lang)
	fmt.Fprintf(&b, "<title>%s</title>\n", xmlText(title))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", c.width, y+chartMargin)
	b.Write(c.b.Bytes())
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// A chart collects the elements of the image, laid out top down.
type chart struct {
	l     *lang
	width int
	b     bytes.Buffer
}

func (c *chart) line(format string, args ...any) {
	fmt.Fprintf(&c.b, format, args...)
	c.b.WriteByte('\n')
}

// text writes s with its top at y, anchored at x, fitted within width
// (see fitText), and returns the y below it.
func (c *chart) text(x, y int, s string, size, least, width int, bold bool, anchor, colour string) int {
	lines, size := fitText(s, size, least, width, bold)
	weight := ""
	if bold {
		weight = ` font-weight="bold"`
	}
	for _, line := range lines {
		y += size
		c.line(`<text x="%d" y="%d" font-size="%d"%s text-anchor="%s" fill="%s">%s</text>`, x, y, size, weight, anchor,
			colour, xmlText(line))
		y += lineGap
	}
	return y
}

// nText writes the count of a bar.
func nText(n int) string { return fmt.Sprintf("n = %d", n) }

// bar draws one bar of a tally from the baseline: its parts, and n above it.
func (c *chart) bar(x, base int, measure string, m *MonthTimeliness, t Tally) {
	counts, n := barCounts(t)
	c.line(`<g data-measure="%s" data-month="%s" data-n="%d">`, measure, xmlText(m.Month), n)
	done, top := 0, base
	for i, count := range counts {
		if count == 0 {
			continue
		}
		// The part's edges at done and done+count of n, of the plot's
		// height, rounded half up: the parts add up to the whole bar.
		y0 := base - (2*done*chartPlot+n)/(2*n)
		done += count
		y1 := base - (2*done*chartPlot+n)/(2*n)
		s := chartSegments[i]
		label := fmt.Sprintf("%s: %d %s (n = %d)", c.l.month(m.Month, false), count, c.l.w(lookup(statusWords,
			string(s.status))), n)
		c.line(`<rect x="%d" y="%d" width="%d" height="%d" fill="%s" data-status="%s" data-count="%d"><title>%s</title></rect>`,
			x, y1, chartBar, y0-y1, s.colour, s.status, count, xmlText(label))
		top = y1
	}
	c.line(`<text x="%d" y="%d" font-size="%d" text-anchor="middle" fill="#1a202c">%s</text>`, x+chartBar/2, top-4,
		smallSize, nText(n))
	c.line(`</g>`)
}

// xmlEscaper escapes text for XML character data and attribute values.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlText(s string) string { return xmlEscaper.Replace(s) }
