package calendar

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decree2026 is the decree that equated five days of 2026–2028.
const decree2026 = "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag"

// holidaysOnly is the default calendar without decree days: the Algemene
// termijnenwet holidays alone, as DOMAIN.md's worked examples count.
func holidaysOnly(t testing.TB) *Calendar {
	t.Helper()
	c, err := New(Config{DecreeDays: []Day{}})
	require.NoError(t, err)
	return c
}

var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
	"augustus", "september", "oktober", "november", "december"}

// The shipped list reads, and every entry is what a decree can equate: a
// named working weekday that is no holiday, which its decree's title names.
func TestKnownDecreeDays(t *testing.T) {
	days := KnownDecreeDays()
	require.Len(t, days, 17)
	holidays, err := New(Config{DecreeDays: []Day{}, FirstYear: 2017, LastYear: 2028})
	require.NoError(t, err)
	for i, d := range days {
		require.True(t, d.Date.IsValid(), "%d: %v", i, d)
		if i > 0 {
			assert.True(t, days[i-1].Date.Before(d.Date), "%s: not in date order", d.Date)
		}
		assert.NotEmpty(t, d.Name, d.Date)
		assert.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, d.Date.Weekday(), d.Date)
		rs, err := holidays.Closed(d.Date)
		require.NoError(t, err)
		assert.Empty(t, rs, "%s is a holiday already", d.Date)
		// "28 april en 26 mei 2017" names 26 May 2017, "24 en 31 december
		// 2018" 24 December 2018; the year follows.
		month := dutchMonths[d.Date.Month-1]
		assert.True(t, strings.Contains(d.Decree, fmt.Sprintf(" %d %s", d.Date.Day, month)) ||
			strings.Contains(d.Decree, fmt.Sprintf(" %d en ", d.Date.Day)) && strings.Contains(d.Decree, month), d.Date)
		assert.Contains(t, d.Decree, fmt.Sprint(d.Date.Year), d.Date)
		assert.True(t, strings.HasPrefix(d.Decree, "Besluit"), d.Decree)
	}
	assert.Equal(t, Day{Date: Date{2027, time.May, 7}, Name: "Vrijdag na Hemelvaartsdag", Decree: decree2026}, days[14])

	// Every entry of the file names its source.
	var f decreeFile
	require.NoError(t, json.Unmarshal(decreeDaysJSON, &f))
	for _, d := range f.Days {
		assert.True(t, strings.HasPrefix(d.Source, "https://"), d.Date)
	}

	// The list is a copy.
	days[0].Name = "changed"
	assert.Equal(t, "Vrijdag na Koningsdag", KnownDecreeDays()[0].Name)
}

// The zero Config keeps the known decree days; an explicit empty list keeps
// none, and an explicit list only its own.
func TestDecreeDaysNilOrEmpty(t *testing.T) {
	friday := Date{2027, time.May, 7}
	mine := []Day{{Date: Date{2027, time.May, 10}, Name: "Eigen dag"}}
	cases := []struct {
		name      string
		cfg       func() (*Calendar, error)
		works     bool // on Friday 7 May 2027
		decreeLen int
	}{
		{"zero Config", func() (*Calendar, error) { return New(Config{}) }, false, 17},
		{"empty list", func() (*Calendar, error) { return New(Config{DecreeDays: []Day{}}) }, true, 0},
		{"own list", func() (*Calendar, error) { return New(Config{DecreeDays: mine}) }, true, 1},
		{"JSON without decree_days", func() (*Calendar, error) { return ParseAndBuild(`{}`) }, false, 17},
		{"JSON with an empty list", func() (*Calendar, error) { return ParseAndBuild(`{"decree_days": []}`) }, true, 0},
		{"JSON with null", func() (*Calendar, error) { return ParseAndBuild(`{"decree_days": null}`) }, false, 17},
		{"fewer years", func() (*Calendar, error) { return New(Config{FirstYear: 2027, LastYear: 2030}) }, false, 3},
		{"years without known decrees", func() (*Calendar, error) { return New(Config{FirstYear: 2040, LastYear: 2050}) }, true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.cfg()
			require.NoError(t, err)
			days := c.Config().DecreeDays
			assert.NotNil(t, days, "a built calendar says which decree days it keeps")
			assert.Len(t, days, tc.decreeLen)
			if first, last := c.Years(); friday.Year < first || friday.Year > last {
				return
			}
			work, err := c.IsWorkday(friday)
			require.NoError(t, err)
			assert.Equal(t, tc.works, work)

			// The calendar's own definition builds it again, through JSON too.
			again, err := New(c.Config())
			require.NoError(t, err)
			assert.Equal(t, c.before, again.before)
			data, err := json.Marshal(c.Config())
			require.NoError(t, err)
			back, err := ParseConfig(data)
			require.NoError(t, err)
			again, err = New(back)
			require.NoError(t, err)
			assert.Equal(t, c.before, again.before, "%s", data)
		})
	}
}

// The default calendar skips a known decree day and names it, with its
// decree, where it explains a count.
func TestDefaultSkipsDecreeDays(t *testing.T) {
	c := Default()
	e, err := c.Explain(Date{2027, time.May, 4}, 2)
	require.NoError(t, err)
	assert.Equal(t, Date{2027, time.May, 11}, e.To, "Wednesday 5 May, Thursday 6 May and Friday 7 May skipped")
	assert.Equal(t, []Skip{
		{Date{2027, time.May, 5}, []Reason{{Kind: KindHoliday, Name: "Bevrijdingsdag", Holiday: LiberationDay}}},
		{Date{2027, time.May, 6}, []Reason{{Kind: KindHoliday, Name: "Hemelvaartsdag", Holiday: AscensionDay}}},
		{Date{2027, time.May, 7}, []Reason{{Kind: KindDecree, Name: "Vrijdag na Hemelvaartsdag", Decree: decree2026}}},
	}, e.Skipped)
	assert.Contains(t, e.String(), "skipped 2027-05-07 Vrijdag na Hemelvaartsdag")

	rs, err := c.Closed(Date{2026, time.January, 2})
	require.NoError(t, err)
	assert.Equal(t, []Reason{{Kind: KindDecree, Name: "Vrijdag na Nieuwjaarsdag", Decree: decree2026}}, rs)

	// Without decree days the Friday counts.
	e, err = holidaysOnly(t).Explain(Date{2027, time.May, 4}, 2)
	require.NoError(t, err)
	assert.Equal(t, Date{2027, time.May, 10}, e.To)
	assert.Len(t, e.Skipped, 2)
}

// A decree day's decree travels through JSON; an open day may name none.
func TestDecreeInJSON(t *testing.T) {
	c, err := ParseAndBuild(`{"decree_days": [{"date": "2027-05-07", "name": "Vrijdag na Hemelvaartsdag", "decree": "Besluit X"}]}`)
	require.NoError(t, err)
	assert.Equal(t, []Day{{Date: Date{2027, time.May, 7}, Name: "Vrijdag na Hemelvaartsdag", Decree: "Besluit X"}},
		c.Config().DecreeDays)
	data, err := json.Marshal(c.Config())
	require.NoError(t, err)
	assert.Contains(t, string(data), `"decree":"Besluit X"`)

	data, err = json.Marshal(Config{DecreeDays: []Day{}})
	require.NoError(t, err)
	assert.Contains(t, string(data), `"decree_days":[]`)
	data, err = json.Marshal(Config{})
	require.NoError(t, err)
	assert.NotContains(t, string(data), "decree_days")

	_, err = ParseAndBuild(`{"open_days": [{"date": "2027-03-13", "name": "Inhaalzaterdag", "decree": "Besluit X"}]}`)
	problems := configProblems(t, err)
	assert.Equal(t, "open_days[0].decree", problems[0].Path)
}
