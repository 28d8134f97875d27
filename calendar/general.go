package calendar

import "time"

// General days off. A term that a law sets, such as the appeals board's
// four weeks (WEB art. 7.5.4), is no count of the institution's working
// days: the Algemene termijnenwet (Atw) decides where it ends. By its
// art. 1(1) a statutory term that ends on a Saturday, a Sunday or a
// generally recognised public holiday runs on to the next day that is none
// of these. The holidays are those of art. 3(1) and Good Friday (art. 3(2)),
// whatever the calendar's Holidays and Without say, for those choose the
// institution's working days, not the law's; and the decree days the
// calendar keeps (art. 3(3)). The institution's closures, its open days
// and its choice of working weekdays do not count.

// buildGeneral lays out termEnd for the days day indexes [0, days), the
// first of which falls on the weekday first.
func (c *Calendar) buildGeneral(days int32, first time.Weekday) {
	off := make([]bool, days)
	for i := range days {
		w := (int(first) + int(i)) % 7
		off[i] = w == int(time.Saturday) || w == int(time.Sunday)
	}
	set := func(d Date) {
		if i := c.dayIndex(d); i >= 0 && i < int64(days) {
			off[i] = true
		}
	}
	for y := c.cfg.FirstYear; y <= c.cfg.LastYear; y++ {
		for _, h := range AlgemeneTermijnenwet() {
			if d, _, ok := h.On(y); ok {
				set(d)
			}
		}
	}
	for _, d := range c.cfg.DecreeDays {
		set(d.Date)
	}
	c.termEnd = make([]int32, days)
	next := int32(-1)
	for i := days - 1; i >= 0; i-- {
		if !off[i] {
			next = i
		}
		c.termEnd[i] = next
	}
}

// IsGeneralDayOff reports whether d is a day on which no statutory term
// ends under the Algemene termijnenwet art. 1(1): a Saturday, a Sunday, a
// public holiday of its art. 3(1) or Good Friday, or a decree day the
// calendar keeps. The institution's closures and open days do not count,
// so a day of the Christmas closure can be no working day and yet no
// general day off.
func (c *Calendar) IsGeneralDayOff(d Date) (bool, error) {
	i, err := c.index(d)
	if err != nil {
		return false, err
	}
	return c.termEnd[i] != i, nil
}

// GeneralTermEnd returns the day on which a statutory term that would end on
// d really ends under the Algemene termijnenwet art. 1(1): d itself, or,
// when d is a general day off (see IsGeneralDayOff), the first day after
// it that is none. Use it for terms a law sets in days, weeks or months,
// such as the appeals board's decision term; count the institution's own
// terms in working days with AddWorkdays.
func (c *Calendar) GeneralTermEnd(d Date) (Date, error) {
	i, err := c.index(d)
	if err != nil {
		return Date{}, err
	}
	end := c.termEnd[i]
	if end < 0 {
		return Date{}, &RangeError{Date: Date{c.cfg.LastYear + 1, time.January, 1}, First: c.cfg.FirstYear, Last: c.cfg.LastYear}
	}
	return c.dateAt(end), nil
}
