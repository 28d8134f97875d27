package report

import (
	"strconv"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// A document is a report as people read it: a title and blocks of
// headings, paragraphs, lists, tables and figures. Every report writes
// its page once, into a document, which the Markdown and the HTML
// renderers write out: the two cannot disagree.
type document struct {
	lang   *lang
	title  string // the page's title and first heading
	blocks []block
}

type blockKind uint8

const (
	headingBlock blockKind = iota
	paragraphBlock
	listBlock
	tableBlock
	figureBlock
)

// A block is one heading (level 2 or 3), paragraph, list, table or figure.
type block struct {
	kind  blockKind
	level int
	text  inline   // a heading's or paragraph's text; a figure's caption
	items []inline // a list's items
	table *table
	svg   []byte // a figure's image; Markdown leaves figures out
}

// A table has a header row and rows of cells. Align has an 'l' or an 'r'
// per column: numbers are aligned right.
type table struct {
	head  []string
	align string
	rows  [][]inline
	wide  bool // many columns: printed smaller
}

// An inline is a run of text in spans.
type inline []span

// A span is a piece of text: plain, or a number or a moment with the value
// a machine reads (HTML <data value> and <time datetime>), the same as in
// the report's JSON.
type span struct {
	text  string
	value string // a number as the JSON writes it
	when  string // a date or moment in ISO 8601
	code  bool   // an id or other code: never hyphenated
}

// txt returns text as an inline.
func txt(s string) inline {
	if s == "" {
		return nil
	}
	return inline{{text: s}}
}

// t appends text.
func (x inline) t(s string) inline {
	if s == "" {
		return x
	}
	return append(x, span{text: s})
}

// id appends an id or other code.
func (x inline) id(s string) inline {
	if s == "" {
		return x
	}
	return append(x, span{text: s, code: true})
}

// n appends a count.
func (x inline) n(n int) inline {
	s := strconv.Itoa(n)
	return append(x, span{text: s, value: s})
}

// num appends a number written text for people and value for machines.
func (x inline) num(text, value string) inline {
	if text == "" {
		return x
	}
	return append(x, span{text: text, value: value})
}

// with appends another inline.
func (x inline) with(y inline) inline { return append(x, y...) }

// date appends a civil date.
func (x inline) date(l *lang, d calendar.Date) inline {
	if d.IsZero() {
		return x
	}
	return append(x, span{text: l.date(d), when: d.String()})
}

// moment appends an instant.
func (x inline) moment(l *lang, t time.Time) inline {
	if t.IsZero() {
		return x
	}
	return append(x, span{text: l.moment(t), when: t.Format(time.RFC3339)})
}

// pct appends a percentage given as in the JSON.
func (x inline) pct(l *lang, p string) inline { return x.num(l.pct(p), p) }

// grade appends a grade given as in the JSON.
func (x inline) grade(l *lang, g string) inline { return x.num(l.grade(g), g) }

// count appends a count of a noun: "2 resultaten", the number marked.
func (x inline) count(l *lang, n int, what noun) inline {
	s := l.count(n, what)
	digits := strconv.Itoa(n)
	if len(s) >= len(digits) && s[:len(digits)] == digits {
		return x.n(n).t(s[len(digits):])
	}
	return x.t(s)
}

// empty reports whether the inline has no text.
func (x inline) empty() bool {
	for _, s := range x {
		if s.text != "" {
			return false
		}
	}
	return true
}

// join joins inlines with a separator.
func join(xs []inline, sep string) inline {
	var out inline
	for i, x := range xs {
		if i > 0 {
			out = out.t(sep)
		}
		out = append(out, x...)
	}
	return out
}

func (d *document) heading(level int, text inline) {
	d.blocks = append(d.blocks, block{kind: headingBlock, level: level, text: text})
}

func (d *document) para(text inline) {
	d.blocks = append(d.blocks, block{kind: paragraphBlock, text: text})
}

func (d *document) list(items []inline) {
	if len(items) > 0 {
		d.blocks = append(d.blocks, block{kind: listBlock, items: items})
	}
}

func (d *document) table(t *table) { d.blocks = append(d.blocks, block{kind: tableBlock, table: t}) }

// figure adds an image with its caption.
func (d *document) figure(svg []byte, caption inline) {
	d.blocks = append(d.blocks, block{kind: figureBlock, svg: svg, text: caption})
}

// row appends a row of cells.
func (t *table) row(cells ...inline) { t.rows = append(t.rows, cells) }
