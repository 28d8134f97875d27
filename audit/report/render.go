package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// marshal encodes v as JSON indented by two spaces, ending in a newline.
func marshal(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: encoding JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// writeCSV writes the header and the rows as CSV (RFC 4180, encoding/csv).
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("report: writing CSV: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("report: writing CSV: %w", err)
	}
	return nil
}

// A page builds a Markdown page and writes it in one go.
type page struct{ b bytes.Buffer }

// line writes one line of text.
func (p *page) line(format string, args ...any) {
	fmt.Fprintf(&p.b, format, args...)
	p.b.WriteByte('\n')
}

// blank writes an empty line.
func (p *page) blank() { p.b.WriteByte('\n') }

// table writes a table; align has an 'l' or 'r' per column. The cells
// are written as given: escape free text with md first. An empty cell
// shows as "–".
func (p *page) table(head []string, align string, rows [][]string) {
	p.b.WriteByte('|')
	for _, h := range head {
		p.b.WriteString(" " + h + " |")
	}
	p.b.WriteByte('\n')
	p.b.WriteByte('|')
	for i := range head {
		if i < len(align) && align[i] == 'r' {
			p.b.WriteString("--:|")
		} else {
			p.b.WriteString("---|")
		}
	}
	p.b.WriteByte('\n')
	for _, r := range rows {
		p.row(r)
	}
	p.blank()
}

func (p *page) row(cells []string) {
	p.b.WriteByte('|')
	for _, c := range cells {
		if c == "" {
			c = "–"
		}
		p.b.WriteString(" " + c + " |")
	}
	p.b.WriteByte('\n')
}

func (p *page) writeTo(w io.Writer) error {
	if _, err := w.Write(p.b.Bytes()); err != nil {
		return fmt.Errorf("report: writing Markdown: %w", err)
	}
	return nil
}

// mdEscaper escapes the characters that Markdown would read as markup,
// and the table's cell separator.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "|", `\|`,
	"#", `\#`, "\r\n", " ", "\n", " ", "\r", " ",
)

// md escapes free text (ids, details, reasons) for a Markdown page, on
// one line. Codes the package writes itself, such as "late_assessment",
// need no escaping: an underscore within a word is no emphasis.
func md(s string) string { return mdEscaper.Replace(s) }

// whoText writes an actor for a Markdown page: "adm-1 (exam administration)".
func whoText(w Who) string {
	switch {
	case w.IsZero():
		return ""
	case w.ID == "":
		return "(" + words(w.Role) + ")"
	case w.Role == "":
		return md(w.ID)
	}
	return md(w.ID) + " (" + words(w.Role) + ")"
}

// words writes a code in words: "not_upheld" as "not upheld".
func words(code string) string { return strings.ReplaceAll(code, "_", " ") }

// mdTime writes a moment for people: "2027-02-05 09:00 CET", in the
// moment's own zone; "" for the zero time.
func mdTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04 MST")
}

// csvTime writes a moment as RFC 3339; "" for the zero time.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// dateText writes a date as YYYY-MM-DD; "" for the zero date.
func dateText(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolText(b bool) string { return strconv.FormatBool(b) }

// pct writes a percentage for people: "66.7%", or "" for none.
func pct(p string) string {
	if p == "" {
		return ""
	}
	return p + "%"
}
