package report

import "github.com/krs-oke/vaststelling/timeline"

// TextWidth is textWidth, for the tests of the chart's layout.
var TextWidth = textWidth

// Count writes n of a noun ("result", "new_decision", …) in the language,
// for the tests of the plural forms.
func Count(lang timeline.Language, n int, what string) string {
	l, err := newLang(lang)
	if err != nil {
		panic(err)
	}
	return l.count(n, noun(what))
}
