package calendar

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nationalHolidays lists, per year, every day the Algemene termijnenwet set
// closes, written out by hand from published calendars (Easter Sunday given
// for each year; Ascension is Easter + 39 days, Whit Monday Easter + 50),
// independently of rickar/cal and of this package.
var nationalHolidays = map[int][]string{
	// Easter 23 April; 30 April a Sunday, so Koninginnedag on Saturday 29 April.
	2000: {"01-01 Nieuwjaarsdag", "04-21 Goede Vrijdag", "04-24 Tweede Paasdag", "04-29 Koninginnedag",
		"05-05 Bevrijdingsdag", "06-01 Hemelvaartsdag", "06-12 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 16 April; 30 April a Sunday again.
	2006: {"01-01 Nieuwjaarsdag", "04-14 Goede Vrijdag", "04-17 Tweede Paasdag", "04-29 Koninginnedag",
		"05-05 Bevrijdingsdag", "05-25 Hemelvaartsdag", "06-05 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 23 March; Ascension on 1 May.
	2008: {"01-01 Nieuwjaarsdag", "03-21 Goede Vrijdag", "03-24 Tweede Paasdag", "04-30 Koninginnedag",
		"05-01 Hemelvaartsdag", "05-05 Bevrijdingsdag", "05-12 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 24 April, the latest of these years.
	2011: {"01-01 Nieuwjaarsdag", "04-22 Goede Vrijdag", "04-25 Tweede Paasdag", "04-30 Koninginnedag",
		"05-05 Bevrijdingsdag", "06-02 Hemelvaartsdag", "06-13 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 31 March; the last Koninginnedag.
	2013: {"01-01 Nieuwjaarsdag", "03-29 Goede Vrijdag", "04-01 Tweede Paasdag", "04-30 Koninginnedag",
		"05-05 Bevrijdingsdag", "05-09 Hemelvaartsdag", "05-20 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 20 April; the first Koningsdag, 27 April a Sunday, so Saturday 26 April.
	2014: {"01-01 Nieuwjaarsdag", "04-18 Goede Vrijdag", "04-21 Tweede Paasdag", "04-26 Koningsdag",
		"05-05 Bevrijdingsdag", "05-29 Hemelvaartsdag", "06-09 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 27 March; Ascension falls on 5 May.
	2016: {"01-01 Nieuwjaarsdag", "03-25 Goede Vrijdag", "03-28 Tweede Paasdag", "04-27 Koningsdag",
		"05-05 Bevrijdingsdag / Hemelvaartsdag", "05-16 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 20 April; 27 April a Sunday.
	2025: {"01-01 Nieuwjaarsdag", "04-18 Goede Vrijdag", "04-21 Tweede Paasdag", "04-26 Koningsdag",
		"05-05 Bevrijdingsdag", "05-29 Hemelvaartsdag", "06-09 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 5 April.
	2026: {"01-01 Nieuwjaarsdag", "04-03 Goede Vrijdag", "04-06 Tweede Paasdag", "04-27 Koningsdag",
		"05-05 Bevrijdingsdag", "05-14 Hemelvaartsdag", "05-25 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 28 March.
	2027: {"01-01 Nieuwjaarsdag", "03-26 Goede Vrijdag", "03-29 Tweede Paasdag", "04-27 Koningsdag",
		"05-05 Bevrijdingsdag", "05-06 Hemelvaartsdag", "05-17 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
	// Easter 25 April, the latest possible; Whit Monday in mid-June.
	2038: {"01-01 Nieuwjaarsdag", "04-23 Goede Vrijdag", "04-26 Tweede Paasdag", "04-27 Koningsdag",
		"05-05 Bevrijdingsdag", "06-03 Hemelvaartsdag", "06-14 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
}

// closedDays lists every closed day of a year as "MM-DD names".
func closedDays(t *testing.T, c *Calendar, year int) []string {
	t.Helper()
	var got []string
	for d := (Date{year, time.January, 1}); d.Year == year; d = d.AddDays(1) {
		rs, err := c.Closed(d)
		require.NoError(t, err)
		if rs != nil {
			got = append(got, fmt.Sprintf("%02d-%02d %s", d.Month, d.Day, Skip{d, rs}.Names()))
		}
	}
	return got
}

func TestNationalHolidays(t *testing.T) {
	c := holidaysOnly(t)
	for year, want := range nationalHolidays {
		assert.Equal(t, want, closedDays(t, c, year), "%d", year)
	}
}

func TestKingsDayBefore2014IsQueensDay(t *testing.T) {
	for year := MinYear; year <= 2013; year++ {
		d, name, ok := KingsDay.On(year)
		require.True(t, ok)
		assert.Equal(t, "Koninginnedag", name)
		want := Date{year, time.April, 30}
		if want.Weekday() == time.Sunday {
			want = Date{year, time.April, 29}
		}
		assert.Equal(t, want, d)
	}
	for year := 2014; year <= MaxYear; year++ {
		d, name, ok := KingsDay.On(year)
		require.True(t, ok)
		assert.Equal(t, "Koningsdag", name)
		want := Date{year, time.April, 27}
		if want.Weekday() == time.Sunday {
			want = Date{year, time.April, 26}
		}
		assert.Equal(t, want, d)
	}
}

func TestLiberationDayEveryYear(t *testing.T) {
	for year := MinYear; year <= MaxYear; year++ {
		d, _, ok := LiberationDay.On(year)
		require.True(t, ok)
		assert.Equal(t, Date{year, time.May, 5}, d)
	}
}

func TestHolidaySets(t *testing.T) {
	assert.Len(t, AlgemeneTermijnenwet(), 9)
	assert.NotContains(t, AlgemeneTermijnenwet(), EasterSunday)
	assert.NotContains(t, AlgemeneTermijnenwet(), WhitSunday)
	for _, h := range Holidays() {
		assert.True(t, h.Known(), h)
	}
	assert.False(t, Holiday("sinterklaas").Known())
	_, _, ok := Holiday("sinterklaas").On(2027)
	assert.False(t, ok)
}

// An institution that works on Good Friday and on 5 May counts them; the
// known decree day after Ascension stays closed.
func TestDroppedHolidays(t *testing.T) {
	c, err := New(Config{Without: []Holiday{GoodFriday, LiberationDay}})
	require.NoError(t, err)
	assert.Equal(t, []string{"01-01 Nieuwjaarsdag", "03-29 Tweede Paasdag", "04-27 Koningsdag",
		"05-06 Hemelvaartsdag", "05-07 Vrijdag na Hemelvaartsdag", "05-17 Tweede Pinksterdag",
		"12-25 Eerste Kerstdag", "12-26 Tweede Kerstdag"},
		closedDays(t, c, 2027))
	work, err := c.IsWorkday(Date{2027, time.May, 5})
	require.NoError(t, err)
	assert.True(t, work)
}
