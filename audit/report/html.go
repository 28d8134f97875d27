package report

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"
)

// htmlStyle is the page's style sheet, for the screen and for printing on
// A4: tables break across pages with their header repeated, and nothing
// is wider than the page (long ids wrap).
const htmlStyle = `@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { font-family: Arial, Helvetica, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10pt;
  line-height: 1.35; color: #1a202c; background: #ffffff; }
body { margin: 0 auto; padding: 8mm 6mm; max-width: 194mm; }
h1 { font-size: 17pt; margin: 0 0 8pt; }
h2 { font-size: 13pt; margin: 16pt 0 6pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; overflow-wrap: anywhere; }
p, li { overflow-wrap: anywhere; orphans: 3; widows: 3; }
ul { margin: 4pt 0 8pt; padding-left: 14pt; }
table { border-collapse: collapse; width: 100%; max-width: 100%; margin: 4pt 0 10pt; }
table.wide { font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.5pt solid #a0aec0; padding: 2pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: break-word; hyphens: manual; }
th { background: #edf2f7; }
.r { text-align: right; font-variant-numeric: tabular-nums; }
.code { hyphens: none; }
figure { margin: 8pt 0 12pt; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #4a5568; margin-top: 4pt; }
@media print {
  body { padding: 0; max-width: none; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`

// writeHTML writes the document as one self-contained HTML page: its style
// and images inline, no link to anything outside it.
func (d *document) writeHTML(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + string(d.lang.tag) + "\">\n<head>\n<meta charset=\"utf-8\"/>\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
	b.WriteString("<title>" + html.EscapeString(d.title) + "</title>\n<style>\n" + htmlStyle + "</style>\n</head>\n<body>\n")
	b.WriteString("<h1>" + html.EscapeString(d.title) + "</h1>\n")
	for _, bl := range d.blocks {
		switch bl.kind {
		case headingBlock:
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", bl.level, htmlInline(bl.text), bl.level)
		case paragraphBlock:
			b.WriteString("<p>" + htmlInline(bl.text) + "</p>\n")
		case listBlock:
			b.WriteString("<ul>\n")
			for _, item := range bl.items {
				b.WriteString("<li>" + htmlInline(item) + "</li>\n")
			}
			b.WriteString("</ul>\n")
		case tableBlock:
			htmlTable(&b, bl.table)
		case figureBlock:
			b.WriteString("<figure>\n")
			b.Write(bytes.TrimSpace(bl.svg))
			b.WriteByte('\n')
			if !bl.text.empty() {
				b.WriteString("<figcaption>" + htmlInline(bl.text) + "</figcaption>\n")
			}
			b.WriteString("</figure>\n")
		}
	}
	b.WriteString("</body>\n</html>\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	return nil
}

func htmlTable(b *bytes.Buffer, t *table) {
	if t.wide {
		b.WriteString("<table class=\"wide\">\n")
	} else {
		b.WriteString("<table>\n")
	}
	b.WriteString("<thead>\n<tr>")
	for i, h := range t.head {
		b.WriteString("<th scope=\"col\"" + alignClass(t.align, i) + ">" + html.EscapeString(h) + "</th>")
	}
	b.WriteString("</tr>\n</thead>\n<tbody>\n")
	for _, r := range t.rows {
		b.WriteString("<tr>")
		for i, c := range r {
			s := htmlInline(c)
			if s == "" {
				s = "–"
			}
			b.WriteString("<td" + alignClass(t.align, i) + ">" + s + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}

func alignClass(align string, i int) string {
	if i < len(align) && align[i] == 'r' {
		return ` class="r"`
	}
	return ""
}

// breakable lets a long id or other code, escaped, break after its
// separators ("sessie-<wbr/>kt1-<wbr/>0118-<wbr/>050"), so that it wraps
// rather than widen its column.
func breakable(s string) string {
	if len(s) <= 12 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		b.WriteRune(r)
		if strings.ContainsRune("-_/.:@", r) && i < len(s)-1 {
			b.WriteString("<wbr/>")
		}
	}
	return b.String()
}

// htmlInline writes an inline's text, escaped, its numbers in <data> and
// its dates and moments in <time>, with the values of the JSON.
func htmlInline(x inline) string {
	var b strings.Builder
	for _, s := range x {
		text := html.EscapeString(s.text)
		switch {
		case s.value != "":
			b.WriteString(`<data value="` + html.EscapeString(s.value) + `">` + text + `</data>`)
		case s.when != "":
			b.WriteString(`<time datetime="` + html.EscapeString(s.when) + `">` + text + `</time>`)
		case s.code:
			b.WriteString(`<span class="code">` + breakable(text) + `</span>`)
		default:
			b.WriteString(text)
		}
	}
	return b.String()
}
