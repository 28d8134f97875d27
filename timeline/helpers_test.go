package timeline

import (
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/require"
)

var ams = calendar.Default().Location()

// day returns noon on the date s in Amsterdam.
func day(t testing.TB, s string) time.Time {
	t.Helper()
	return at(t, s, 12, 0)
}

// at returns the Amsterdam wall-clock time h:m on the date s.
func at(t testing.TB, s string, h, m int) time.Time {
	t.Helper()
	d, err := calendar.ParseDate(s)
	require.NoError(t, err)
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, ams)
}

func date(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	require.NoError(t, err)
	return d
}

// busyCalendar is the calendar package's example institution: a Christmas
// closure, a May closure, a study day, days ending at 17:00.
func busyCalendar(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := calendar.LoadFile("../calendar/testdata/voorbeeld.json")
	require.NoError(t, err)
	return c
}

func codes(tl Timeline) []Code {
	var out []Code
	for _, c := range tl.Conflicts {
		out = append(out, c.Code)
	}
	return out
}
