package cli

import (
	"fmt"

	"github.com/krs-oke/vaststelling/calendar"
)

// A DateError is a text that is not a date, or a date that is no day. It
// matches calendar.ErrInvalidDate.
type DateError struct {
	Text    string // as given
	Problem string // the whole sentence, such as "2027-02-30 is not a day: February 2027 has 28 days"
	// NoDay is set for a text written YYYY-MM-DD that names no day, such
	// as 2027-02-30; not for one that is not written so.
	NoDay bool
}

// Error returns the problem.
func (e *DateError) Error() string { return e.Problem }

// Unwrap returns calendar.ErrInvalidDate.
func (e *DateError) Unwrap() error { return calendar.ErrInvalidDate }

// ParseDate reads a date YYYY-MM-DD as calendar.ParseDate does, and says
// what is wrong with one it refuses: that it is not written YYYY-MM-DD,
//
//	"18-01-2027" is not a date: want YYYY-MM-DD, such as 2027-01-18
//
// or, written so, that the day does not exist (calendar.ParseDate's
// words):
//
//	2027-02-30 is not a day: February 2027 has 28 days
//	2026-13-01 is not a day: a year has 12 months
func ParseDate(s string) (calendar.Date, error) {
	d, err := calendar.ParseDate(s)
	switch {
	case err == nil:
		return d, nil
	case calendar.IsNoDay(err):
		return calendar.Date{}, &DateError{Text: s, Problem: err.Error(), NoDay: true}
	}
	return calendar.Date{}, &DateError{Text: s, Problem: fmt.Sprintf("%q is not a date: want YYYY-MM-DD, such as 2027-01-18", s)}
}
