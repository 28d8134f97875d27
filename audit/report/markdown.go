package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// writeMarkdown writes the document as a Markdown page (CommonMark with
// GitHub's tables). Figures are left out: a Markdown page has no place
// for an inline image.
func (d *document) writeMarkdown(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("# " + md(d.title) + "\n\n")
	for _, bl := range d.blocks {
		switch bl.kind {
		case headingBlock:
			b.WriteString(strings.Repeat("#", bl.level) + " " + mdInline(bl.text) + "\n\n")
		case paragraphBlock:
			b.WriteString(mdLine(mdInline(bl.text)) + "\n\n")
		case listBlock:
			for _, item := range bl.items {
				b.WriteString("- " + mdInline(item) + "\n")
			}
			b.WriteByte('\n')
		case tableBlock:
			mdTable(&b, bl.table)
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("report: writing Markdown: %w", err)
	}
	return nil
}

func mdTable(b *bytes.Buffer, t *table) {
	b.WriteByte('|')
	for _, h := range t.head {
		b.WriteString(" " + md(h) + " |")
	}
	b.WriteString("\n|")
	for i := range t.head {
		if i < len(t.align) && t.align[i] == 'r' {
			b.WriteString("--:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteByte('\n')
	for _, r := range t.rows {
		b.WriteByte('|')
		for _, c := range r {
			s := mdInline(c)
			if s == "" {
				s = "–"
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
}

// mdInline writes an inline's text, escaped.
func mdInline(x inline) string {
	var b strings.Builder
	for _, s := range x {
		b.WriteString(md(s.text))
	}
	return b.String()
}

// mdEscaper escapes the characters that Markdown would read as markup,
// and the table's cell separator; a line break becomes a space.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "|", `\|`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// md escapes text for a Markdown page, on one line. A "#" is markup only
// where a line begins: see mdLine.
func md(s string) string { return mdEscaper.Replace(s) }

// mdLine escapes a "#" that begins a line, which would make it a heading.
func mdLine(s string) string {
	if strings.HasPrefix(s, "#") {
		return `\` + s
	}
	return s
}
