package browser_test

import (
	"fmt"

	"github.com/krs-oke/vaststelling/internal/browser"
)

// A check's report lists what is wrong with a page, a line each: here a
// table that sticks out past the right edge of an A4 page.
func ExampleReport_Problems() {
	rep := browser.Report{Width: 688, Overflowing: []browser.Element{{
		Path: "body > table.wide", Text: "Resultaat Student", Why: "past the page's right edge",
		Box:   browser.Box{Left: 0, Right: 1090, Top: 120, Bottom: 480},
		Limit: browser.Box{Left: 0, Right: 688, Top: 0, Bottom: 1123},
	}}}
	for _, p := range rep.Problems() {
		fmt.Println(p)
	}
	fmt.Println("ok:", rep.OK())
	// Output:
	// overflowing: body > table.wide "Resultaat Student": past the page's right edge (box 0..1090 × 120..480, limit 0..688 × 0..1123)
	// ok: false
}
