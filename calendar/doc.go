// Package calendar counts terms in working days at a Dutch MBO institution:
// which days are working days, the date and the instant at which a term
// of n working days ends, and why.
//
// # Dates and instants
//
// Terms are counted in civil dates ([Date]: year, month, day, no zone).
// An instant, such as the moment a result was registered, is first taken to
// the date on which it falls in the calendar's time zone with
// [Calendar.Date]; Europe/Amsterdam unless the definition says otherwise.
// A change of daylight saving time therefore never moves a deadline. The
// instant at which a working day ends is [Calendar.EndOf]: the calendar's
// DayEnds by the local wall clock, by default midnight at the end of the day.
//
// # Counting
//
// A term of n working days from a date d ends on the n-th working day after
// d: d itself is day 0 and never counts, whether or not it is a working day.
// Ten working days from Friday 18 December 2026 is Tuesday 5 January 2027,
// Christmas Day and New Year's Day skipped. A negative n counts back.
//
//   - [Calendar.AddWorkdays] gives that date; [Calendar.Deadline] the instant
//     the term ends, so that something done at t is in time when t is
//     before it.
//   - [Calendar.WorkdaysBetween] is its inverse: the count from one date to
//     another.
//   - [Calendar.IsWorkday], [Calendar.NextWorkday], [Calendar.PreviousWorkday].
//   - [Calendar.Explain] lists every day on a working weekday the count passed
//     over, with the names of its holidays, decree days (and their decrees)
//     and closures.
//
// Every count is a few look-ups in a table that [New] lays out once for
// every day of the supported years: constant time, whatever n, and no
// allocation. A date outside the supported years, or a count that would end
// outside them, is a [*RangeError] matching [ErrOutOfRange]: the calendar
// never guesses.
//
// # Which days work
//
// A [Config] says which weekdays work (Monday to Friday by default), which
// public holidays count (by default [AlgemeneTermijnenwet]: the holidays
// that the Algemene termijnenwet, art. 3, equates with Sunday), the days
// declared equal to them by decree, the institution's closing days and
// periods, and open days on an otherwise free weekday. The dates of the
// holidays come from github.com/rickar/cal/v2/nl, with one correction:
// before 2014 the day was Koninginnedag on 30 April, or Saturday 29 April
// when the 30th was a Sunday. An institution may drop holidays, such as
// Good Friday or 5 May, with Config.Without.
//
// # Decree days
//
// By art. 3(3) of the Algemene termijnenwet a royal decree may equate
// other days with the public holidays; one is made about every three years,
// for days such as the Friday after Ascension. They are configuration, not
// rules: [KnownDecreeDays] is the list the package ships
// (calendar/decree_days.json, each day with the decree it comes from), and
// a Config whose DecreeDays is nil, the zero Config and [Default] included,
// keeps those within its years. An empty, non-nil DecreeDays keeps none;
// any other list replaces the known days, so an institution adds a decree
// the package does not know yet by appending its days to KnownDecreeDays()
// (in JSON, by listing every day under "decree_days"). The shipped list
// holds only decrees that could be checked: those for 2017–2019 and
// 2023–2028.
//
// # Statutory terms
//
// A term that a law sets, such as the appeals board's four weeks, is no
// count of working days: by the Algemene termijnenwet art. 1(1) it ends on
// its last day unless that is a Saturday, a Sunday, a public holiday of
// the Act or a decree day, and then on the next day that is none of these.
// The institution's closures and open days play no part.
// [Calendar.GeneralTermEnd] gives that day and [Calendar.IsGeneralDayOff]
// tells such a day, from a second table laid out with the first: constant
// time and no allocation as well.
//
// A Config is written in Go or read from JSON with [Load], [LoadFile] or
// [ParseConfig]; the format is documented at ParseConfig, and
// calendar/testdata/voorbeeld.json is an example file. Every problem in a definition
// is reported, each a [*ConfigError] with the path of the field (and its
// line and column when read from JSON), matching [ErrInvalidConfig] and one
// of [ErrReversedRange], [ErrUnknownHoliday], [ErrConflict],
// [ErrUnknownField], [ErrInvalidDate] or [ErrOutOfRange].
//
// A [Calendar] is immutable and safe for concurrent use.
package calendar
