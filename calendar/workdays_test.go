package calendar

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func date(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	require.NoError(t, err)
	return d
}

// Counts over real dates, worked out by hand on a printed calendar: want
// with the Algemene termijnenwet holidays alone, as DOMAIN.md's worked
// examples count; decreed, when it differs, on the default calendar, which
// also skips the known decree days.
func TestAddWorkdaysRealDates(t *testing.T) {
	cases := []struct {
		from    string
		n       int
		want    string
		why     string
		decreed string
	}{
		{"2026-12-18", 10, "2027-01-05", "Christmas and New Year skipped; Boxing Day is a Saturday", ""},
		{"2027-01-05", -10, "2026-12-18", "the same, backwards", ""},
		{"2024-12-20", 5, "2024-12-31", "25 and 26 December on Wednesday and Thursday", "2025-01-02"},
		{"2024-12-20", 6, "2025-01-02", "then New Year; decreed, Friday 27 December too", "2025-01-03"},
		{"2026-04-02", 1, "2026-04-07", "Good Friday, the weekend and Easter Monday", ""},
		{"2026-04-07", -1, "2026-04-02", "the same, backwards", ""},
		{"2010-04-26", 1, "2010-04-27", "no King's Day on 27 April before 2014", ""},
		{"2010-04-29", 1, "2010-05-03", "Koninginnedag on Friday 30 April", ""},
		{"2012-04-27", 1, "2012-05-01", "Koninginnedag on Monday 30 April", ""},
		{"2013-04-29", 1, "2013-05-01", "the last Koninginnedag, Tuesday 30 April", ""},
		{"2025-04-25", 1, "2025-04-28", "King's Day on Saturday 26 April costs nothing", ""},
		{"2026-04-24", 1, "2026-04-28", "King's Day on Monday 27 April", ""},
		{"2025-05-02", 1, "2025-05-06", "5 May on a Monday", ""},
		{"2026-05-04", 1, "2026-05-06", "5 May on a Tuesday", ""},
		{"2026-05-13", 1, "2026-05-15", "Ascension; decreed, the Friday after it too", "2026-05-18"},
		{"2026-05-22", 1, "2026-05-26", "Whit Monday", ""},
		{"2016-05-04", 1, "2016-05-06", "Ascension on 5 May is one day off, not two", ""},
		{"2016-05-04", 2, "2016-05-09", "then the weekend", ""},
		{"2027-01-18", 15, "2027-02-08", "DOMAIN example A: assessment due", ""},
		{"2027-02-05", 10, "2027-02-19", "example A: inspection until", ""},
		{"2027-01-18", 30, "2027-03-01", "example A: exam + 30", ""},
		{"2027-02-05", 15, "2027-02-26", "example A: registration + 10 + 5", ""},
		{"2027-03-01", 10, "2027-03-15", "example A: appeal until", ""},
		{"2027-04-12", 15, "2027-05-04", "DOMAIN example B: King's Day skipped", ""},
		{"2027-05-10", 10, "2027-05-25", "example B: Whit Monday skipped", ""},
		{"2027-04-12", 30, "2027-05-28", "example B: exam + 30, four holidays; decreed, Friday 7 May too", "2027-05-31"},
		{"2027-05-10", 15, "2027-06-01", "example B: registration + 10 + 5", ""},
		{"2027-05-28", -30, "2027-04-12", "example B backwards", "2027-04-09"},
		{"2026-12-19", 0, "2026-12-19", "zero is the day itself, even a Saturday", ""},
		{"2026-12-19", 1, "2026-12-21", "from a Saturday", ""},
		{"2026-12-19", -1, "2026-12-18", "back from a Saturday", ""},
		{"2026-12-25", 1, "2026-12-28", "from a holiday", ""},
	}
	c := holidaysOnly(t)
	for _, tc := range cases {
		got, err := c.AddWorkdays(date(t, tc.from), tc.n)
		require.NoError(t, err, tc.why)
		assert.Equal(t, tc.want, got.String(), "%s %+d: %s", tc.from, tc.n, tc.why)
		if tc.decreed == "" {
			tc.decreed = tc.want
		}
		got, err = Default().AddWorkdays(date(t, tc.from), tc.n)
		require.NoError(t, err, tc.why)
		assert.Equal(t, tc.decreed, got.String(), "default calendar: %s %+d: %s", tc.from, tc.n, tc.why)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := Default()
	cases := []struct {
		from, to string
		want     int
	}{
		{"2026-12-18", "2027-01-05", 10},
		{"2027-01-05", "2026-12-18", -10},
		{"2027-01-18", "2027-01-18", 0},
		{"2027-01-18", "2027-01-19", 1},
		{"2027-01-19", "2027-01-18", -1},
		{"2026-12-19", "2026-12-21", 1},  // Saturday to Monday
		{"2026-12-21", "2026-12-19", 0},  // Monday back to Saturday steps over no working day
		{"2026-12-21", "2026-12-18", -1}, // back to Friday
		{"2026-12-19", "2026-12-20", 0},  // a weekend
		{"2027-04-12", "2027-05-28", 29}, // the known decree day Friday 7 May skipped
	}
	for _, tc := range cases {
		got, err := c.WorkdaysBetween(date(t, tc.from), date(t, tc.to))
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%s → %s", tc.from, tc.to)
	}
}

func TestNextAndPreviousWorkday(t *testing.T) {
	c := Default()
	next, err := c.NextWorkday(date(t, "2026-12-24"))
	require.NoError(t, err)
	assert.Equal(t, "2026-12-28", next.String())
	prev, err := c.PreviousWorkday(date(t, "2027-01-04"))
	require.NoError(t, err)
	assert.Equal(t, "2026-12-31", prev.String())
}

func TestIsWorkday(t *testing.T) {
	c := Default()
	for s, want := range map[string]bool{
		"2027-01-01": false, "2027-01-04": true, "2027-01-02": false, "2027-04-27": false,
		"2027-04-28": true, "2027-05-05": false, "2027-05-06": false, "2027-05-07": false,
		"2027-05-10": true,
	} {
		got, err := c.IsWorkday(date(t, s))
		require.NoError(t, err)
		assert.Equal(t, want, got, s)
	}
}

// rickarCalendar is rickar/cal's own business calendar with the same
// holidays as Default, the reference the tables are checked against.
func rickarCalendar() *cal.BusinessCalendar {
	b := cal.NewBusinessCalendar()
	b.Cacheable = true
	for _, h := range AlgemeneTermijnenwet() {
		b.AddHoliday(rules[h]...)
	}
	return b
}

// Every start day 2014–2099, counted 1, 5, 10, 15 and 30 working days on
// (and some back), agrees with rickar/cal's WorkdaysFrom, which knows the
// holidays but no decree days.
func TestAgreesWithRickarWorkdaysFrom(t *testing.T) {
	if testing.Short() {
		t.Skip("exhaustive cross-check skipped in -short mode")
	}
	c, ref := holidaysOnly(t), rickarCalendar()
	for d := (Date{2014, time.January, 1}); d.Year <= 2099; d = d.AddDays(1) {
		start := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
		for _, n := range []int{1, 5, 10, 15, 30, -1, -10, -30} {
			got, err := c.AddWorkdays(d, n)
			require.NoError(t, err)
			want := DateOf(ref.WorkdaysFrom(start, n))
			if got != want {
				t.Fatalf("%s %+d: got %s, rickar/cal %s", d, n, got, want)
			}
		}
	}
}

// Properties over random dates and counts, on a calendar with closures,
// decree days and an open Saturday as well.
func TestArithmeticProperties(t *testing.T) {
	busy := busyCalendar(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []*Calendar{Default(), busy} {
		first, last := c.Years()
		lo, hi := Date{first + 1, 1, 1}.ordinal(), Date{last - 1, 1, 1}.ordinal()
		for range 20000 {
			d := dateFromOrdinal(lo + rng.Int64N(hi-lo))
			n := rng.IntN(200) + 1
			checkProperties(t, c, d, n)
		}
	}
}

func checkProperties(t *testing.T, c *Calendar, d Date, n int) {
	t.Helper()
	fwd, err := c.AddWorkdays(d, n)
	require.NoError(t, err)
	back, err := c.AddWorkdays(d, -n)
	require.NoError(t, err)

	// Counting the way there gives n; the result is a working day after d.
	got, err := c.WorkdaysBetween(d, fwd)
	require.NoError(t, err)
	require.Equal(t, n, got, "%s %+d = %s", d, n, fwd)
	got, err = c.WorkdaysBetween(d, back)
	require.NoError(t, err)
	require.Equal(t, -n, got, "%s %+d = %s", d, -n, back)
	require.True(t, fwd.After(d) && back.Before(d))
	for _, e := range []Date{fwd, back} {
		work, err := c.IsWorkday(e)
		require.NoError(t, err)
		require.True(t, work, "%s is no working day", e)
	}

	// One more working day is later; negative inverts positive.
	further, err := c.AddWorkdays(d, n+1)
	require.NoError(t, err)
	require.True(t, further.After(fwd))
	there, err := c.AddWorkdays(fwd, -n)
	require.NoError(t, err)
	work, err := c.IsWorkday(d)
	require.NoError(t, err)
	if work {
		require.Equal(t, d, there, "%s %+d %+d", d, n, -n)
	} else {
		prev, err := c.PreviousWorkday(d)
		require.NoError(t, err)
		require.Equal(t, prev, there, "%s is no working day: back lands on the one before", d)
	}

	// A slow count day by day agrees.
	if n <= 40 {
		e, k := d, 0
		for k < n {
			e = e.AddDays(1)
			if w, _ := c.IsWorkday(e); w {
				k++
			}
		}
		require.Equal(t, e, fwd)
	}
}

func TestOutOfRange(t *testing.T) {
	c := Default()
	for _, d := range []Date{{1999, time.December, 31}, {2101, time.January, 1}} {
		_, err := c.AddWorkdays(d, 1)
		require.ErrorIs(t, err, ErrOutOfRange)
		var re *RangeError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, d, re.Date)
		assert.Equal(t, 0, re.Workdays)
		assert.Contains(t, err.Error(), "2000–2100")
		_, err = c.IsWorkday(d)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.WorkdaysBetween(Date{2027, 1, 1}, d)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.Explain(d, 3)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.Closed(d)
		assert.ErrorIs(t, err, ErrOutOfRange)
	}
	// The result of a count leaves the years: an error, never a guess.
	for _, tc := range []struct {
		d Date
		n int
	}{{Date{2100, time.December, 20}, 30}, {Date{2000, time.January, 10}, -30},
		{Date{2050, 6, 1}, math.MaxInt}, {Date{2050, 6, 1}, math.MinInt}, {Date{2050, 6, 1}, 1 << 40}} {
		_, err := c.AddWorkdays(tc.d, tc.n)
		var re *RangeError
		require.ErrorAs(t, err, &re, "%s %+d", tc.d, tc.n)
		assert.Equal(t, tc.n, re.Workdays)
		_, err = c.Deadline(tc.d, tc.n)
		assert.ErrorIs(t, err, ErrOutOfRange)
	}
	// The last supported day still counts, and the first.
	last, err := c.AddWorkdays(Date{2100, time.December, 1}, 20)
	require.NoError(t, err)
	assert.Equal(t, "2100-12-29", last.String())

	_, err = c.AddWorkdays(Date{2027, time.February, 30}, 1)
	assert.ErrorIs(t, err, ErrInvalidDate)
	_, err = c.AddWorkdays(Date{}, 1)
	assert.ErrorIs(t, err, ErrInvalidDate)
}

// Instants in any zone are first taken to the Amsterdam date, and the
// deadline is the Amsterdam wall clock whatever the season.
func TestZonesAndDaylightSaving(t *testing.T) {
	c := Default()
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)

	// 18:30 in New York on Friday 18 December is 00:30 on Saturday in Amsterdam.
	assert.Equal(t, "2026-12-19", c.Date(time.Date(2026, 12, 18, 18, 30, 0, 0, ny)).String())
	// 23:30 UTC on 24 October 2026 is 01:30 CEST on the 25th, the night the clocks go back.
	assert.Equal(t, "2026-10-25", c.Date(time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC)).String())
	assert.Equal(t, "2026-10-24", c.Date(time.Date(2026, 10, 24, 21, 59, 0, 0, time.UTC)).String())

	// A term over the spring change ends at midnight CEST, 22:00 UTC.
	dl, err := c.Deadline(date(t, "2027-03-26"), 1)
	require.NoError(t, err)
	assert.Equal(t, "2027-03-30T22:00:00Z", dl.UTC().Format(time.RFC3339))
	// One over the autumn change at midnight CET, 23:00 UTC.
	dl, err = c.Deadline(date(t, "2026-10-23"), 1)
	require.NoError(t, err)
	assert.Equal(t, "2026-10-26T23:00:00Z", dl.UTC().Format(time.RFC3339))

	// Counting from the instant's date: the days on either side of a change
	// give the same deadline date as any other day.
	for _, s := range []string{"2027-03-27", "2027-03-28", "2026-10-24", "2026-10-25"} {
		d := date(t, s)
		for _, h := range []int{0, 1, 2, 3, 12, 23} {
			at := time.Date(d.Year, d.Month, d.Day, h, 30, 0, 0, c.Location())
			want, err := c.AddWorkdays(d, 10)
			require.NoError(t, err)
			got, err := c.AddWorkdays(c.Date(at), 10)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s %02d:30", s, h)
		}
	}

	// With working days ending at 17:00, the deadline is 17:00 local time.
	five, err := New(Config{DayEnds: 17 * time.Hour})
	require.NoError(t, err)
	dl, err = five.Deadline(date(t, "2027-03-26"), 1)
	require.NoError(t, err)
	assert.Equal(t, "2027-03-30T17:00:00+02:00", dl.Format(time.RFC3339), "Good Friday and Easter Monday skipped")
	assert.True(t, time.Date(2027, 3, 30, 16, 59, 59, 0, c.Location()).Before(dl))
	assert.False(t, time.Date(2027, 3, 30, 17, 0, 0, 0, c.Location()).Before(dl))
}

func TestArithmeticAllocatesNothing(t *testing.T) {
	c := Default()
	d := date(t, "2026-12-18")
	allocs := testing.AllocsPerRun(1000, func() {
		e, _ := c.AddWorkdays(d, 30)
		_, _ = c.WorkdaysBetween(d, e)
		_, _ = c.IsWorkday(e)
		_, _ = c.Deadline(d, 10)
		_, _ = c.IsGeneralDayOff(e)
		_, _ = c.GeneralTermEnd(d.AddDays(28))
	})
	assert.Zero(t, allocs)
}

func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]Date, 8)
	for g := range results {
		wg.Go(func() {
			c := Default()
			var d Date
			for i := range 2000 {
				d, _ = c.AddWorkdays(Date{2026, time.December, 18}.AddDays(i%50), 10+g%3)
				_, _ = c.Explain(d, -5)
			}
			results[g] = d
		})
	}
	wg.Wait()
	for g, d := range results {
		want, err := Default().AddWorkdays(Date{2026, time.December, 18}.AddDays(1999%50), 10+g%3)
		require.NoError(t, err)
		assert.Equal(t, want, d)
	}
	assert.Same(t, Default(), Default())
}
