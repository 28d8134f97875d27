package report

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The chart lays its text out by measured width, so that no text leaves
// its box whatever sans-serif font draws it: each character's advance
// width is the larger of DejaVu Sans's (the common default sans-serif on
// Linux, and the widest) and Helvetica's (= Arial, Liberation Sans), in
// thousandths of the font size, and the sum gets a safety margin.
var advance = [95]int16{
	// space ! " # $ % & ' ( ) * + , - . /
	318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
	// 0-9
	636, 636, 636, 636, 636, 636, 636, 636, 636, 636,
	// : ; < = > ? @
	337, 337, 838, 838, 838, 556, 1015,
	// A-Z
	684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748, 787, 667, 787, 722, 667, 611, 732, 684,
	989, 685, 667, 685,
	// [ \ ] ^ _ `
	390, 337, 390, 838, 500, 500,
	// a-z
	613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592,
	818, 592, 592, 525,
	// { | } ~
	636, 337, 636, 838,
}

// The safety margins, in percent: on every width, and on top of it for
// bold text (DejaVu Sans Bold is up to a tenth wider than regular).
const (
	widthMargin = 110
	boldMargin  = 110
)

// runeAdvance returns a character's advance in thousandths of the font
// size: a letter with a diacritic as its letter ("é" as "e"), a few
// typographic signs as they are, anything else as a full em.
func runeAdvance(r rune) int {
	if r >= ' ' && r <= '~' {
		return int(advance[r-' '])
	}
	switch r {
	case '–', '_':
		return 500
	case '—', '…':
		return 1000
	case '→', '≤', '≥':
		return 838
	case '‘', '’', '‚':
		return 318
	case '“', '”', '„':
		return 460
	case '\u00a0':
		return 318
	}
	if base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r))); base != r && base >= ' ' && base <= '~' {
		return int(advance[base-' '])
	}
	return 1000
}

// textWidth estimates the width of s in pixels at the font size (in
// pixels), with the safety margin, rounded up.
func textWidth(s string, size int, bold bool) int {
	sum := 0
	for _, r := range s {
		sum += runeAdvance(r)
	}
	w := sum * size * widthMargin
	div := 1000 * 100
	if bold {
		w *= boldMargin
		div *= 100
	}
	return (w + div - 1) / div
}

// fitText lays s out within width pixels: on one line at the size if it
// fits, else at a smaller size down to least, else wrapped at spaces at
// the size, a word too wide for a line cut where it must be. It returns
// the lines and the size.
func fitText(s string, size, least, width int, bold bool) ([]string, int) {
	for try := size; try >= least; try-- {
		if textWidth(s, try, bold) <= width {
			return []string{s}, try
		}
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if textWidth(try, size, bold) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for textWidth(word, size, bold) > width {
			cut := cutAt(word, size, width, bold)
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		line = word
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines, size
}

// cutAt returns how many bytes of word fit within width, at least one
// character's.
func cutAt(word string, size, width int, bold bool) int {
	n := 0
	for i, r := range word {
		if i > 0 && textWidth(word[:i+utf8.RuneLen(r)], size, bold) > width {
			return i
		}
		n = i + utf8.RuneLen(r)
	}
	return n
}
