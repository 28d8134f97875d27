package report

import (
	"bytes"
	"fmt"
	"strings"
)

// The chart's layout, in pixels.
const (
	chartLeft   = 64  // the y axis
	chartRight  = 24  // after the last month
	chartTop    = 48  // above the plot: the title
	chartPlot   = 200 // the plot's height: 100%
	chartBottom = 112 // below the plot: month labels, axis title, legend
	chartGroup  = 104 // one month's width, at least
	chartWidth  = 480 // the image's width, at least: the months spread out to fill it
	chartBar    = 32  // one bar's width
	chartGap    = 4   // between a month's two bars

	colourAssessed   = "#2b6cb0"
	colourDetermined = "#c05621"
)

// TimelinessChart draws the report's months as an SVG image: per month of
// the exam date, grouped bars of the percentage assessed in time and the
// percentage determined on time, with the percentages written above the
// bars, the axes labelled and a legend. A month with nothing measured on
// a bar shows "n/a" in its place. It uses only integer arithmetic and
// writes the same bytes for the same report.
func TimelinessChart(r TimelinessReport) []byte {
	n := max(len(r.Months), 1)
	group := max(chartGroup, (chartWidth-chartLeft-chartRight)/n)
	width := chartLeft + n*group + chartRight
	height := chartTop + chartPlot + chartBottom
	base := chartTop + chartPlot // the y of 0%
	var b bytes.Buffer
	w := func(format string, args ...any) {
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	title := "Timeliness per month of the exam date (tijdigheid)"
	w(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" font-family="sans-serif">`,
		width, height, width, height)
	w(`<title>%s</title>`, xmlText(title))
	w(`<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, width, height)
	w(`<text x="%d" y="24" font-size="15" font-weight="bold" fill="#1a202c">%s</text>`, chartLeft, xmlText(title))

	// The y axis: grid lines and their labels every 25%.
	for pct := 0; pct <= 100; pct += 25 {
		y := base - chartPlot*pct/100
		w(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#e2e8f0" stroke-width="1"/>`, chartLeft, y, width-chartRight, y)
		w(`<text x="%d" y="%d" font-size="11" text-anchor="end" fill="#4a5568">%d%%</text>`, chartLeft-8, y+4, pct)
	}
	mid := chartTop + chartPlot/2
	w(`<text x="18" y="%d" font-size="12" text-anchor="middle" fill="#1a202c" transform="rotate(-90 18 %d)">%s</text>`,
		mid, mid, xmlText("% in time"))
	w(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1a202c" stroke-width="1"/>`, chartLeft, chartTop, chartLeft, base)
	w(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1a202c" stroke-width="1"/>`, chartLeft, base, width-chartRight, base)

	// The months.
	if len(r.Months) == 0 {
		w(`<text x="%d" y="%d" font-size="12" text-anchor="middle" fill="#4a5568">%s</text>`,
			chartLeft+group/2, mid, xmlText("no results"))
	}
	pad := (group - 2*chartBar - chartGap) / 2
	for i, m := range r.Months {
		x := chartLeft + i*group + pad
		bar(w, x, base, m.Assessed, colourAssessed, "assessed in time", m.Month)
		bar(w, x+chartBar+chartGap, base, m.Determined, colourDetermined, "determined on time", m.Month)
		centre := chartLeft + i*group + group/2
		w(`<text x="%d" y="%d" font-size="12" text-anchor="middle" fill="#1a202c">%s</text>`, centre, base+18, xmlText(m.Month))
		w(`<text x="%d" y="%d" font-size="10" text-anchor="middle" fill="#4a5568">%s</text>`, centre, base+32,
			xmlText(fmt.Sprintf("n = %d", m.Results)))
	}
	w(`<text x="%d" y="%d" font-size="12" text-anchor="middle" fill="#1a202c">%s</text>`,
		chartLeft+n*group/2, base+52, xmlText("month of the exam (afnamedatum)"))

	// The legend.
	ly := base + 70
	w(`<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`, chartLeft, ly, colourAssessed)
	w(`<text x="%d" y="%d" font-size="12" fill="#1a202c">%s</text>`, chartLeft+18, ly+10,
		xmlText("assessed in time (beoordelingstermijn)"))
	w(`<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`, chartLeft, ly+20, colourDetermined)
	w(`<text x="%d" y="%d" font-size="12" fill="#1a202c">%s</text>`, chartLeft+18, ly+30,
		xmlText("determined on time (vaststelling)"))
	w(`</svg>`)
	return b.Bytes()
}

// bar draws one bar of a tally from the baseline, its percentage above it.
func bar(w func(string, ...any), x, base int, t Tally, colour, measure, month string) {
	centre := x + chartBar/2
	if t.Measured == 0 {
		w(`<text x="%d" y="%d" font-size="10" text-anchor="middle" fill="#718096">n/a</text>`, centre, base-4)
		return
	}
	// OnTime/Measured of the plot's height, rounded half up, in integers.
	h := (2*t.OnTime*chartPlot + t.Measured) / (2 * t.Measured)
	label := fmt.Sprintf("%s %s: %d of %d (%s%%)", month, measure, t.OnTime, t.Measured, t.Percent)
	w(`<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s</title></rect>`, x, base-h, chartBar, h, colour,
		xmlText(label))
	w(`<text x="%d" y="%d" font-size="10" text-anchor="middle" fill="#1a202c">%s</text>`, centre, base-h-4,
		xmlText(t.Percent+"%"))
}

// xmlEscaper escapes text for XML character data and attribute values.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlText(s string) string { return xmlEscaper.Replace(s) }
