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
	var b [48]byte // one allocation, the string's
	return string(appendLongDate(b[:0], lang, d))
}

// appendLongDate appends d in long form to b.
func appendLongDate(b []byte, lang Language, d calendar.Date) []byte {
	weekday, month := d.Weekday().String(), d.Month.String()
	if lang == Dutch {
		weekday, month = dutchWeekdays[d.Weekday()], dutchMonths[d.Month-1]
	}
	b = append(append(b, weekday...), ' ')
	b = append(strconv.AppendInt(b, int64(d.Day), 10), ' ')
	b = append(append(b, month...), ' ')
	return strconv.AppendInt(b, int64(d.Year), 10)
}
