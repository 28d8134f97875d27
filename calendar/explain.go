package calendar

import (
	"fmt"
	"strings"
)

// A Kind says why a day is marked in a calendar.
type Kind uint8

// The kinds of marked day.
const (
	KindHoliday Kind = iota + 1 // a public holiday (feestdag)
	KindDecree                  // a day declared equal to a holiday (Algemene termijnenwet art. 3(3))
	KindClosure                 // a closing day of the institution
	KindOpen                    // a working day on an otherwise free weekday
)

var kindNames = [...]string{"", "holiday", "decree day", "closure", "open day"}

// String returns the kind in English: "holiday", "decree day", "closure" or "open day".
func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// A Reason is one cause that marks a day.
type Reason struct {
	Kind    Kind
	Name    string  // Dutch name of the holiday, or the name the definition gave
	Holiday Holiday // the holiday, for KindHoliday
	Decree  string  // the decree that declared the day, for KindDecree, if known
}

// A Skip is a day on a working weekday that a count passed over because it
// was closed, with every reason it was closed.
type Skip struct {
	Date    Date
	Reasons []Reason
}

// Names returns the names of the reasons, joined with " / ".
func (s Skip) Names() string {
	names := make([]string, len(s.Reasons))
	for i, r := range s.Reasons {
		names[i] = r.Name
	}
	return strings.Join(names, " / ")
}

// An Explanation says how a count of working days reached its date.
type Explanation struct {
	From     Date
	Workdays int
	To       Date
	// Skipped lists, in date order, the days on a working weekday that were
	// not counted, and why. Weekends are not listed.
	Skipped []Skip
	// Opened lists the days on a free weekday that were counted as open days.
	Opened []Day
}

// String explains the count in one line per skipped or opened day, for
// example:
//
//	10 working days from 2026-12-18 is 2027-01-05
//	skipped 2026-12-25 Eerste Kerstdag
//	skipped 2027-01-01 Nieuwjaarsdag
func (e Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d working days from %s is %s", e.Workdays, e.From, e.To)
	for _, s := range e.Skipped {
		fmt.Fprintf(&b, "\nskipped %s %s", s.Date, s.Names())
	}
	for _, d := range e.Opened {
		fmt.Fprintf(&b, "\ncounted %s %s", d.Date, d.Name)
	}
	return b.String()
}

// Explain counts n working days from d as AddWorkdays does and lists every
// day it passed over that is closed although its weekday is a working day,
// with the name of each holiday, decree day or closure.
func (c *Calendar) Explain(d Date, n int) (Explanation, error) {
	to, err := c.AddWorkdays(d, n)
	if err != nil {
		return Explanation{}, err
	}
	e := Explanation{From: d, Workdays: n, To: to}
	lo, hi := d, to // the days strictly between d and to were passed over
	if n < 0 {
		lo, hi = to, d
	}
	e.Skipped, e.Opened = c.marked(lo.AddDays(1), hi.AddDays(-1))
	return e, nil
}

// Closed returns the reasons d is closed: its holidays, decree days and
// closures, whether or not d falls on a working weekday. It returns nil for
// a day with none.
func (c *Calendar) Closed(d Date) ([]Reason, error) {
	i, err := c.index(d)
	if err != nil {
		return nil, err
	}
	var rs []Reason
	for _, r := range c.marks[i] {
		if r.Kind != KindOpen {
			rs = append(rs, r)
		}
	}
	return rs, nil
}

// marked lists the closed working weekdays and the open days from lo to hi
// inclusive; both lie inside the table.
func (c *Calendar) marked(lo, hi Date) (skipped []Skip, opened []Day) {
	var works [7]bool
	for _, w := range c.cfg.Workdays {
		works[w] = true
	}
	for d := lo; !d.After(hi); d = d.AddDays(1) {
		rs := c.marks[int32(c.dayIndex(d))]
		if rs == nil {
			continue
		}
		if openBy(rs) {
			for _, r := range rs {
				opened = append(opened, Day{Date: d, Name: r.Name})
			}
			continue
		}
		if works[d.Weekday()] {
			skipped = append(skipped, Skip{Date: d, Reasons: append([]Reason(nil), rs...)})
		}
	}
	return skipped, opened
}
