package calendar

import (
	"fmt"
	"slices"
	"time"
)

// Defaults of a Config left at its zero value.
const (
	DefaultLocation  = "Europe/Amsterdam"
	DefaultFirstYear = 2000
	DefaultLastYear  = 2100
)

// The widest span of years a Calendar can cover. Queen's Day followed its
// 1980–2013 rule only from 1980; past 2199 a calendar would be a guess.
const (
	MinYear = 1980
	MaxYear = 2199
)

// A Config defines a Calendar: which days are working days at an institution.
// The zero Config is valid and gives Monday to Friday in Europe/Amsterdam,
// the Algemene termijnenwet holidays and the decree days the package knows
// (KnownDecreeDays), days ending at midnight, years DefaultFirstYear to
// DefaultLastYear.
//
// A day is a working day when its weekday is in Workdays and it is no kept
// holiday, decree day or closure day; or when it is an open day.
type Config struct {
	// Name identifies the calendar in explanations, for example the institution.
	Name string

	// Location is the time zone in which instants are taken to dates and in
	// which a working day ends; nil means Europe/Amsterdam.
	Location *time.Location

	// Workdays are the weekdays that are working days; nil means Monday to Friday.
	Workdays []time.Weekday

	// DayEnds is the time of day at which a working day, and so a term, ends;
	// zero means the end of the day (midnight). Whole minutes, at most 24h.
	DayEnds time.Duration

	// FirstYear and LastYear bound the supported years; zero means
	// DefaultFirstYear and DefaultLastYear. Both lie within MinYear–MaxYear.
	FirstYear, LastYear int

	// Holidays are the public holidays that count; nil means
	// AlgemeneTermijnenwet(). An empty, non-nil list means none.
	Holidays []Holiday

	// Without drops holidays from Holidays, for an institution that works
	// on Good Friday or on 5 May. The Config of a built Calendar has the
	// holidays that count in Holidays and Without empty.
	Without []Holiday

	// DecreeDays are days declared equal to a public holiday by decree under
	// the Algemene termijnenwet art. 3(3), such as a Friday after Ascension:
	// they are no working days, and a statutory term does not end on them
	// (see Calendar.GeneralTermEnd). Nil means KnownDecreeDays(), those
	// within the calendar's years; an empty, non-nil list means none. A list
	// replaces the known days: to add one, append to KnownDecreeDays().
	DecreeDays []Day

	// Closures are the institution's own closing days and periods: school
	// holidays, a collective closing week, a study day.
	Closures []Closure

	// OpenDays are working days on a weekday that is otherwise free, such as
	// a Saturday declared a working day. An open day may not also be closed.
	OpenDays []Day
}

// A Day is one named date. A decree day also names the decree that
// declared it, so that an explanation can say where it comes from.
type Day struct {
	Date Date
	Name string
	// Decree is the title of the decree that equated a decree day with a
	// public holiday, such as "Besluit gelijkstelling van 2 januari 2026,
	// […] met een algemeen erkende feestdag"; it may be empty for a decree
	// day and must be empty for an open day.
	Decree string
}

// A Closure is a named period in which the institution is closed, From and
// To included. A single closing day has From equal to To.
type Closure struct {
	Name     string
	From, To Date
}

// validate checks c and returns it with every default filled in, or every
// problem found.
func (c Config) validate() (Config, []error) {
	var errs []error
	bad := func(path string, sentinel error, format string, args ...any) {
		errs = append(errs, configErr(path, sentinel, format, args...))
	}

	if c.Location == nil {
		loc, err := time.LoadLocation(DefaultLocation)
		if err != nil {
			bad("location", ErrInvalidConfig, "%v", err)
		}
		c.Location = loc
	}

	if c.Workdays == nil {
		c.Workdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	} else {
		c.Workdays = append([]time.Weekday(nil), c.Workdays...)
		if len(c.Workdays) == 0 {
			bad("workdays", ErrInvalidConfig, "no weekday is a working day")
		}
		var seen [7]bool
		for i, w := range c.Workdays {
			path := fmt.Sprintf("workdays[%d]", i)
			switch {
			case w < time.Sunday || w > time.Saturday:
				bad(path, ErrInvalidConfig, "%d is no weekday", int(w))
			case seen[w]:
				bad(path, ErrInvalidConfig, "%s is listed twice", w)
			default:
				seen[w] = true
			}
		}
	}

	switch {
	case c.DayEnds == 0:
		c.DayEnds = 24 * time.Hour
	case c.DayEnds < 0 || c.DayEnds > 24*time.Hour || c.DayEnds%time.Minute != 0:
		bad("day_ends", ErrInvalidConfig, "%v is not a time of day in whole minutes up to 24:00", c.DayEnds)
	}

	if c.FirstYear == 0 {
		c.FirstYear = DefaultFirstYear
	}
	if c.LastYear == 0 {
		c.LastYear = DefaultLastYear
	}
	if c.FirstYear < MinYear || c.LastYear > MaxYear || c.FirstYear > c.LastYear {
		bad("years", ErrInvalidConfig, "%d–%d is not a span within %d–%d", c.FirstYear, c.LastYear, MinYear, MaxYear)
	}

	explicit := c.Holidays != nil
	if !explicit {
		c.Holidays = AlgemeneTermijnenwet()
	} else {
		c.Holidays = append([]Holiday{}, c.Holidays...)
	}
	kept := map[Holiday]bool{}
	for i, h := range c.Holidays {
		path := fmt.Sprintf("holidays[%d]", i)
		switch {
		case !h.Known():
			bad(path, ErrUnknownHoliday, "%q; known are %s", h, knownHolidays())
		case kept[h]:
			bad(path, ErrInvalidConfig, "%q is listed twice", h)
		}
		kept[h] = true
	}
	dropped := map[Holiday]bool{}
	for i, h := range c.Without {
		path := fmt.Sprintf("without[%d]", i)
		switch {
		case !h.Known():
			bad(path, ErrUnknownHoliday, "%q; known are %s", h, knownHolidays())
		case dropped[h]:
			bad(path, ErrInvalidConfig, "%q is listed twice", h)
		case explicit && kept[h]:
			bad(path, ErrConflict, "%q is both listed in holidays and dropped", h)
		}
		dropped[h] = true
	}
	// The holidays that count, once; Without has done its work.
	c.Holidays = slices.DeleteFunc(c.Holidays, func(h Holiday) bool { return dropped[h] })
	c.Without = nil

	inYears := func(path string, d Date) bool {
		switch {
		case !d.IsValid():
			bad(path, ErrInvalidDate, "%s", d)
		case d.Year < c.FirstYear || d.Year > c.LastYear:
			bad(path, ErrOutOfRange, "%s is outside %d–%d", d, c.FirstYear, c.LastYear)
		default:
			return true
		}
		return false
	}
	checkDays := func(field string, days []Day) {
		for i, d := range days {
			path := fmt.Sprintf("%s[%d]", field, i)
			inYears(path+".date", d.Date)
			if d.Name == "" {
				bad(path+".name", ErrInvalidConfig, "a name is required")
			}
			if field == "open_days" && d.Decree != "" {
				bad(path+".decree", ErrInvalidConfig, "only a decree day names a decree")
			}
		}
	}
	if c.DecreeDays == nil {
		c.DecreeDays = knownDecreeDaysIn(c.FirstYear, c.LastYear)
	} else {
		checkDays("decree_days", c.DecreeDays)
		c.DecreeDays = append([]Day{}, c.DecreeDays...) // empty stays empty, not nil
	}
	checkDays("open_days", c.OpenDays)
	c.OpenDays = append([]Day(nil), c.OpenDays...)
	for i, cl := range c.Closures {
		path := fmt.Sprintf("closures[%d]", i)
		okFrom := inYears(path+".from", cl.From)
		okTo := inYears(path+".to", cl.To)
		if okFrom && okTo && cl.To.Before(cl.From) {
			bad(path, ErrReversedRange, "%s to %s", cl.From, cl.To)
		}
		if cl.Name == "" {
			bad(path+".name", ErrInvalidConfig, "a name is required")
		}
	}
	c.Closures = append([]Closure(nil), c.Closures...)
	return c, errs
}
