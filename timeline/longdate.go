package timeline

import (
	"strconv"

	"github.com/krs-oke/vaststelling/calendar"
)

var (
	dutchWeekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	dutchMonths   = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
		"augustus", "september", "oktober", "november", "december"}
)

// longDate writes d in long form: "dinsdag 5 januari 2027" in Dutch,
// "Tuesday 5 January 2027" in English.
func longDate(lang Language, d calendar.Date) string {
	weekday, month := d.Weekday().String(), d.Month.String()
	if lang == Dutch {
		weekday, month = dutchWeekdays[d.Weekday()], dutchMonths[d.Month-1]
	}
	var b [48]byte // one allocation, the string's
	out := append(append(b[:0], weekday...), ' ')
	out = append(strconv.AppendInt(out, int64(d.Day), 10), ' ')
	out = append(append(out, month...), ' ')
	return string(strconv.AppendInt(out, int64(d.Year), 10))
}
