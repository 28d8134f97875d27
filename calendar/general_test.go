package calendar

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Where a statutory term that would end on a day really ends: only
// weekends, the Algemene termijnenwet holidays and decree days move it; the
// institution's closures, open days and worked holidays do not.
func TestGeneralTermEnd(t *testing.T) {
	busy := busyCalendar(t) // Christmas and May closures, a study day, an open Saturday, Good Friday worked
	saturdays, err := New(Config{Workdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday,
		time.Thursday, time.Friday, time.Saturday}})
	require.NoError(t, err)
	cases := []struct {
		name string
		cal  *Calendar
		day  string
		off  bool
		end  string
	}{
		{"an ordinary Wednesday", Default(), "2027-02-10", false, "2027-02-10"},
		{"a Saturday", Default(), "2026-12-19", true, "2026-12-21"},
		{"a Sunday", Default(), "2026-12-20", true, "2026-12-21"},
		{"Christmas Day on a Friday", Default(), "2026-12-25", true, "2026-12-28"},
		{"New Year's Day, then the weekend", Default(), "2027-01-01", true, "2027-01-04"},
		{"King's Day", Default(), "2027-04-27", true, "2027-04-28"},
		{"5 May, Ascension and the decree day after it", Default(), "2027-05-05", true, "2027-05-10"},
		{"the decree day itself", Default(), "2027-05-07", true, "2027-05-10"},
		{"no decree days kept", holidaysOnly(t), "2027-05-07", false, "2027-05-07"},
		{"Whit Monday", Default(), "2027-05-17", true, "2027-05-18"},
		{"a closure day does not move", busy, "2026-12-21", false, "2026-12-21"},
		{"nor the study day", busy, "2027-02-10", false, "2027-02-10"},
		{"a Saturday in a closure moves past the weekend only", busy, "2026-12-26", true, "2026-12-28"},
		{"Good Friday, worked here, still counts", busy, "2027-03-26", true, "2027-03-30"},
		{"an open Saturday is still a Saturday", busy, "2027-03-13", true, "2027-03-15"},
		{"a working Saturday is still a Saturday", saturdays, "2027-03-13", true, "2027-03-15"},
		{"the known decree day, kept by the example", busy, "2026-05-15", true, "2026-05-18"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := date(t, tc.day)
			off, err := tc.cal.IsGeneralDayOff(d)
			require.NoError(t, err)
			assert.Equal(t, tc.off, off)
			end, err := tc.cal.GeneralTermEnd(d)
			require.NoError(t, err)
			assert.Equal(t, tc.end, end.String())
		})
	}
}

// The end is never a general day off, never before the day, and every day
// it passes over is one; checked for every day the default calendar holds.
func TestGeneralTermEndProperties(t *testing.T) {
	for _, c := range []*Calendar{Default(), busyCalendar(t)} {
		first, last := c.Years()
		for d := (Date{first, time.January, 1}); d.Year <= last; d = d.AddDays(1) {
			end, err := c.GeneralTermEnd(d)
			if err != nil {
				require.ErrorIs(t, err, ErrOutOfRange)
				require.Equal(t, last, d.Year, "%s", d)
				continue
			}
			require.False(t, end.Before(d))
			off, err := c.IsGeneralDayOff(end)
			require.NoError(t, err)
			require.False(t, off, "%s ends on %s, a day off", d, end)
			for e := d; e.Before(end); e = e.AddDays(1) {
				off, err := c.IsGeneralDayOff(e)
				require.NoError(t, err)
				require.True(t, off, "%s passed over %s, no day off", d, e)
			}
		}
	}
}

func TestGeneralTermEndOutOfRange(t *testing.T) {
	_, err := Default().GeneralTermEnd(Date{2101, time.January, 1})
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = Default().IsGeneralDayOff(Date{1999, time.December, 31})
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = Default().GeneralTermEnd(Date{2027, time.February, 30})
	assert.ErrorIs(t, err, ErrInvalidDate)

	// Saturday 31 December 2022 is the last day: the term would end outside.
	c, err := New(Config{FirstYear: 2020, LastYear: 2022})
	require.NoError(t, err)
	_, err = c.GeneralTermEnd(Date{2022, time.December, 31})
	var re *RangeError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, Date{2023, time.January, 1}, re.Date)
	end, err := c.GeneralTermEnd(Date{2022, time.December, 30})
	require.NoError(t, err)
	assert.Equal(t, Date{2022, time.December, 30}, end)
}
