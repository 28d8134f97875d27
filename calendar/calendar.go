package calendar

import (
	"errors"
	"fmt"
	"sync"
	"time"

	// The default zone must load on every machine, including one without a
	// zoneinfo database: a deadline silently computed in UTC would be wrong
	// by a day for an hour each night. The embedded copy costs about 450 KB.
	_ "time/tzdata"
)

// A Calendar says which days are working days at an institution and counts
// terms in them. Build one with New or LoadConfig; Default gives the
// national calendar.
//
// A Calendar is immutable and safe for concurrent use. It keeps a table of
// every day of its years, so that every count is a few array look-ups:
// constant time and no allocation, however long the term.
type Calendar struct {
	cfg  Config
	base int64 // ordinal of 1 January of the first year; day index 0

	// before[i] is the number of working days among the day indexes [0, i),
	// so that day i is a working day exactly when before[i+1] > before[i].
	before []int32
	// nth[k] is the day index of the working day with before-count k.
	nth []int32
	// marks holds, for the days that have them, the holidays, decree days,
	// closures and open days that fall on that day.
	marks map[int32][]Reason
	// termEnd[i] is the day index of the first day at or after day i that
	// is no general day off (see general.go), or -1 when that day lies
	// beyond the table.
	termEnd []int32
}

// New returns the Calendar that cfg defines, or every problem in cfg,
// joined; each problem is a *ConfigError matching ErrInvalidConfig and the
// sentinel that names its kind.
func New(cfg Config) (*Calendar, error) {
	cfg, errs := cfg.validate()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c := &Calendar{cfg: cfg, base: Date{cfg.FirstYear, time.January, 1}.ordinal()}
	if errs := c.build(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

var national = sync.OnceValues(func() (*Calendar, error) { return New(Config{}) })

// Default returns the calendar of the zero Config: Monday to Friday in
// Europe/Amsterdam with the Algemene termijnenwet holidays and the decree
// days that KnownDecreeDays lists, for the years DefaultFirstYear to
// DefaultLastYear. It is built once and shared.
func Default() *Calendar {
	c, err := national()
	if err != nil {
		// Unreachable: the zero Config is valid and its zone is embedded.
		panic("calendar: the default calendar does not build: " + err.Error())
	}
	return c
}

// build lays out the day table, and reports open days that are also closed.
func (c *Calendar) build() []error {
	cfg := c.cfg
	days := int32(Date{cfg.FirstYear, time.January, 1}.DaysUntil(Date{cfg.LastYear + 1, time.January, 1}))
	c.marks = make(map[int32][]Reason)
	mark := func(d Date, r Reason) {
		if i := c.dayIndex(d); i >= 0 && i < int64(days) {
			c.marks[int32(i)] = append(c.marks[int32(i)], r)
		}
	}

	for y := cfg.FirstYear; y <= cfg.LastYear; y++ {
		for _, h := range cfg.Holidays {
			if d, name, ok := h.On(y); ok {
				mark(d, Reason{Kind: KindHoliday, Name: name, Holiday: h})
			}
		}
	}
	for _, d := range cfg.DecreeDays {
		mark(d.Date, Reason{Kind: KindDecree, Name: d.Name, Decree: d.Decree})
	}
	for _, cl := range cfg.Closures {
		for d := cl.From; !d.After(cl.To); d = d.AddDays(1) {
			mark(d, Reason{Kind: KindClosure, Name: cl.Name})
		}
	}
	var errs []error
	for i, d := range cfg.OpenDays {
		if closed := closedBy(c.marks[int32(c.dayIndex(d.Date))]); closed != nil {
			errs = append(errs, configErr(fmt.Sprintf("open_days[%d]", i), ErrConflict,
				"%s (%s) is declared open but is also %s", d.Date, d.Name, closed.Name))
			continue
		}
		mark(d.Date, Reason{Kind: KindOpen, Name: d.Name})
	}

	var works [7]bool
	for _, w := range cfg.Workdays {
		works[w] = true
	}
	first := Date{cfg.FirstYear, time.January, 1}.Weekday()
	c.before = make([]int32, days+1)
	c.nth = make([]int32, 0, days*5/7+8)
	for i := int32(0); i < days; i++ {
		work := works[(int(first)+int(i))%7]
		if m := c.marks[i]; m != nil {
			work = (work && closedBy(m) == nil) || openBy(m)
		}
		c.before[i+1] = c.before[i]
		if work {
			c.nth = append(c.nth, i)
			c.before[i+1]++
		}
	}
	c.buildGeneral(days, first)
	return errs
}

func closedBy(rs []Reason) *Reason {
	for i := range rs {
		if rs[i].Kind != KindOpen {
			return &rs[i]
		}
	}
	return nil
}

func openBy(rs []Reason) bool {
	for _, r := range rs {
		if r.Kind == KindOpen {
			return true
		}
	}
	return false
}

// Config returns the definition of c with every default filled in. The
// result is a copy: changing it does not change c.
func (c *Calendar) Config() Config {
	cfg := c.cfg
	cfg.Workdays = append([]time.Weekday(nil), cfg.Workdays...)
	cfg.Holidays = append([]Holiday{}, cfg.Holidays...)
	cfg.Without = append([]Holiday(nil), cfg.Without...)
	cfg.DecreeDays = append([]Day{}, cfg.DecreeDays...) // never nil: nil would mean the known days
	cfg.Closures = append([]Closure(nil), cfg.Closures...)
	cfg.OpenDays = append([]Day(nil), cfg.OpenDays...)
	return cfg
}

// DayEnds returns when a working day ends for a deadline: 24h for
// midnight, or the time of day the calendar's configuration sets.
func (c *Calendar) DayEnds() time.Duration { return c.cfg.DayEnds }

// Name returns the calendar's name, which may be empty.
func (c *Calendar) Name() string { return c.cfg.Name }

// Location returns the time zone of c.
func (c *Calendar) Location() *time.Location { return c.cfg.Location }

// Years returns the first and last year c supports.
func (c *Calendar) Years() (first, last int) { return c.cfg.FirstYear, c.cfg.LastYear }

// Date returns the date on which the instant t falls in c's time zone,
// whatever zone t carries. Every count starts from such a date.
func (c *Calendar) Date(t time.Time) Date { return DateOf(t.In(c.cfg.Location)) }

// EndOf returns the instant at which the working day d ends: d at the
// calendar's DayEnds in its zone, by the wall clock, so that a change of
// daylight saving time does not move it. By default that is midnight at the
// start of the next day. Something done at t is done on d in time exactly
// when t is before EndOf(d).
func (c *Calendar) EndOf(d Date) time.Time {
	end := c.cfg.DayEnds
	h, m := int(end/time.Hour), int(end%time.Hour/time.Minute)
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, c.cfg.Location)
}

// dayIndex returns d's index in the table; it may be outside the table.
func (c *Calendar) dayIndex(d Date) int64 { return d.ordinal() - c.base }

// index returns d's index in the table, or why there is none.
func (c *Calendar) index(d Date) (int32, error) {
	if !d.IsValid() {
		return 0, fmt.Errorf("calendar: %w %s", ErrInvalidDate, d)
	}
	i := c.dayIndex(d)
	if i < 0 || i >= int64(len(c.before)-1) {
		return 0, &RangeError{Date: d, First: c.cfg.FirstYear, Last: c.cfg.LastYear}
	}
	return int32(i), nil
}

// dateAt returns the date of day index i.
func (c *Calendar) dateAt(i int32) Date { return dateFromOrdinal(c.base + int64(i)) }
