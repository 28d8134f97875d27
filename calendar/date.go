package calendar

import (
	"errors"
	"fmt"
	"time"
)

// A Date is a civil date: a day in the proleptic Gregorian calendar, without
// a time of day or a time zone. Terms are counted in dates; instants are taken
// to a date with [Calendar.Date] before any counting starts, so that a change
// of daylight saving time can never move a deadline.
//
// The zero Date is not a valid day; it reads as "no date" and IsZero reports
// it. Dates are comparable with == and ordered with Compare, Before and After.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalidDate is returned for a Date that names no day, such as
// 2027-02-30 or the zero Date.
var ErrInvalidDate = errors.New("invalid date")

// DateOf returns the date of t in t's own location. To take an instant to the
// date on which it falls at an institution, use [Calendar.Date] instead.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a date in the form YYYY-MM-DD. A date in that form
// that names no day, such as 2027-02-30, is refused as such: "2027-02-30
// is not a day: February 2027 has 28 days".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err == nil {
		return DateOf(t), nil
	}
	var y, m, d int
	if n, _ := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); n == 3 && len(s) == len("2006-01-02") {
		switch {
		case m < 1 || m > 12:
			return Date{}, noDay(s + " is not a day: a year has 12 months")
		case d < 1:
			return Date{}, noDay(s + " is not a day: the days of a month count from 01")
		case d > daysIn(time.Month(m), y):
			return Date{}, noDay(fmt.Sprintf("%s is not a day: %s %d has %d days", s, time.Month(m), y, daysIn(time.Month(m), y)))
		}
	}
	return Date{}, fmt.Errorf("%w %q: want YYYY-MM-DD", ErrInvalidDate, s)
}

// noDay is a date written YYYY-MM-DD that names no day, said as a person
// says it; it matches ErrInvalidDate.
type noDay string

func (e noDay) Error() string        { return string(e) }
func (e noDay) Is(target error) bool { return target == ErrInvalidDate }

// IsNoDay reports whether err says that a date written YYYY-MM-DD names
// no day, such as 2027-02-30, rather than that it is not written so.
func IsNoDay(err error) bool {
	var e noDay
	return errors.As(err, &e)
}

// String returns the date as YYYY-MM-DD, the form ParseDate reads.
func (d Date) String() string {
	if d.Year < 0 || d.Year > 9999 {
		return fmt.Sprintf("%d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date, meaning "no date".
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a real day.
func (d Date) IsValid() bool {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Month, d.Year)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (d.ordinal() + int64(time.Thursday)) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns the date n calendar days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return dateFromOrdinal(d.ordinal() + int64(n)) }

// DaysUntil returns the number of calendar days from d to e: negative when e
// is before d.
func (d Date) DaysUntil(e Date) int { return int(e.ordinal() - d.ordinal()) }

// Compare returns -1 if d is before e, 0 if they are the same day, +1 if d is after e.
func (d Date) Compare(e Date) int {
	a, b := d.ordinal(), e.ordinal()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// In returns the first instant of d in loc: midnight, or the first moment
// that exists on that day when a clock change skips midnight.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText encodes d as YYYY-MM-DD; the zero Date encodes as empty text.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	if !d.IsValid() {
		return nil, fmt.Errorf("%w %s", ErrInvalidDate, d)
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes YYYY-MM-DD; empty text decodes to the zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ordinal returns the number of days from 1970-01-01 to d, following
// Howard Hinnant's days_from_civil: exact for every Gregorian date and free of
// time.Time's zone handling.
func (d Date) ordinal() int64 {
	y := int64(d.Year)
	m := int64(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateFromOrdinal is the inverse of ordinal (Hinnant's civil_from_days).
func dateFromOrdinal(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{int(y), time.Month(m), int(day)}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
