package result

import (
	"fmt"
	"strings"
	"unicode"
)

// reference checks that the command's Decision names a real decision: a
// decision is what an inspector or an appeals board looks up, and a
// placeholder such as "-" or "n.v.t." refers to nothing.
func (d *decision) reference(what string, args ...any) error {
	if placeholder(d.cmd.Decision) {
		w := say(what, args...)
		e := d.invalid("%s (Decision) is required, and %q names none", w.English, d.cmd.Decision).(*CommandError)
		e.Because.Dutch = fmt.Sprintf(dutch["%s (Decision) is required, and %q names none"], w.Dutch, d.cmd.Decision)
		return e
	}
	return nil
}

// placeholders are what people type when they have no reference, with
// everything but letters and digits left out.
var placeholders = map[string]bool{"na": true, "nvt": true, "tbd": true, "todo": true, "none": true, "geen": true,
	"onbekend": true, "unknown": true, "xxx": true, "nog": true, "volgt": true, "later": true, "test": true}

// placeholder reports whether s stands for no reference at all: it has
// fewer than two letters or digits, or is a known stand-in.
func placeholder(s string) bool {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(c)
		}
	}
	return b.Len() < 2 || placeholders[b.String()]
}
