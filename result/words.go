package result

import (
	"strings"

	"github.com/krs-oke/vaststelling/timeline"
)

// Words says what the result is, as a student reads it, in Dutch and in
// English: the grade ("7,5" and "7.5"; "voldoende" and "satisfactory"),
// or, for a result without a grade, what the attendance says ("niet
// verschenen (geen cijfer)"). It is empty when nothing can be said, such
// as for an attendance that is not known: such a result is never told.
func (r *Record) Words() timeline.Words { return GradeWords(r.Grade, r.Attendance) }

// GradeWords says what a grade is, or without one what the attendance
// means, in Dutch and English (see Record.Words).
func GradeWords(g Grade, a Attendance) timeline.Words {
	if !g.IsZero() {
		en := g.String()
		switch g.Scale() {
		case Decimal0To10:
			return timeline.Words{Dutch: strings.Replace(en, ".", ",", 1), English: en}
		case PassFail:
			return timeline.Words{Dutch: map[string]string{"passed": "behaald", "failed": "niet behaald"}[en], English: en}
		case InsufficientSatisfactoryGood:
			return timeline.Words{Dutch: ordinals[g.scale][g.v][2], English: en}
		}
		return timeline.Words{Dutch: en, English: en}
	}
	return attendanceWords[a]
}

var attendanceWords = map[Attendance]timeline.Words{
	NotPresent:  {Dutch: "niet verschenen (geen cijfer)", English: "absent (no grade)"},
	NotStarted:  {Dutch: "aanwezig, niet begonnen (geen cijfer)", English: "present, did not start (no grade)"},
	NotFinished: {Dutch: "niet afgemaakt of niet ingeleverd (geen cijfer)", English: "did not finish or hand in (no grade)"},
}
