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
	return weekday + " " + strconv.Itoa(d.Day) + " " + month + " " + strconv.Itoa(d.Year)
}
