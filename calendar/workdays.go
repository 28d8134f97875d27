package calendar

import "time"

// Counting convention. A term of n working days from a date d ends on the
// n-th working day after d: d itself is day 0 and never counts, whether or
// not it is a working day. So 10 working days from Friday 18 December 2026
// is Tuesday 5 January 2027, Christmas and New Year skipped. Counting
// backwards, -n gives the n-th working day before d.

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	i, err := c.index(d)
	if err != nil {
		return false, err
	}
	return c.before[i+1] > c.before[i], nil
}

// AddWorkdays returns the n-th working day after d, or before d when n is
// negative; d itself when n is 0. See the counting convention above.
func (c *Calendar) AddWorkdays(d Date, n int) (Date, error) {
	i, err := c.index(d)
	if err != nil {
		return Date{}, err
	}
	k, ok := c.nthFrom(i, n)
	if !ok {
		return Date{}, &RangeError{Date: d, Workdays: n, First: c.cfg.FirstYear, Last: c.cfg.LastYear}
	}
	return c.dateAt(k), nil
}

// nthFrom returns the day index n working days from day index i.
func (c *Calendar) nthFrom(i int32, n int) (int32, bool) {
	if n == 0 {
		return i, true
	}
	if n > len(c.nth) || n < -len(c.nth) {
		return 0, false // also keeps the sums below from overflowing
	}
	k := int(c.before[i]) + n // n working days back from i
	if n > 0 {
		k = int(c.before[i+1]) + n - 1 // the working days up to i, then n more
	}
	if k < 0 || k >= len(c.nth) {
		return 0, false
	}
	return c.nth[k], true
}

// NextWorkday returns the first working day after d.
func (c *Calendar) NextWorkday(d Date) (Date, error) { return c.AddWorkdays(d, 1) }

// PreviousWorkday returns the last working day before d.
func (c *Calendar) PreviousWorkday(d Date) (Date, error) { return c.AddWorkdays(d, -1) }

// WorkdaysBetween returns the number of working days counted from `from` to
// `to`: forward, the working days after from up to and including to;
// backward, minus the working days from to up to but not including from.
// It is the inverse of AddWorkdays: whenever to is a working day,
// AddWorkdays(from, WorkdaysBetween(from, to)) is to.
func (c *Calendar) WorkdaysBetween(from, to Date) (int, error) {
	a, err := c.index(from)
	if err != nil {
		return 0, err
	}
	b, err := c.index(to)
	if err != nil {
		return 0, err
	}
	if b >= a {
		return int(c.before[b+1] - c.before[a+1]), nil
	}
	return -int(c.before[a] - c.before[b]), nil
}

// Deadline returns the instant at which a term of n working days from d
// ends: the end (EndOf) of the n-th working day after d. Something done at t
// is in time exactly when t is before the deadline.
func (c *Calendar) Deadline(d Date, n int) (time.Time, error) {
	end, err := c.AddWorkdays(d, n)
	if err != nil {
		return time.Time{}, err
	}
	return c.EndOf(end), nil
}
