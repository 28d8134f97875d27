package timeline

import (
	"fmt"

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
	if lang == Dutch {
		return fmt.Sprintf("%s %d %s %d", dutchWeekdays[d.Weekday()], d.Day, dutchMonths[d.Month-1], d.Year)
	}
	return fmt.Sprintf("%s %d %s %d", d.Weekday(), d.Day, d.Month, d.Year)
}
