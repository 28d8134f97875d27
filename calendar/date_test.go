package calendar

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The day arithmetic is checked against the time package for every day of
// five centuries around the supported years.
func TestDateMatchesTimePackage(t *testing.T) {
	for tm := time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2350; tm = tm.AddDate(0, 0, 1) {
		d := DateOf(tm)
		ord := tm.Unix() / 86400
		require.Equal(t, ord, d.ordinal(), "%s", d)
		require.Equal(t, d, dateFromOrdinal(ord), "%s", d)
		require.Equal(t, tm.Weekday(), d.Weekday(), "%s", d)
		require.True(t, d.IsValid(), "%s", d)
	}
}

func TestDateBasics(t *testing.T) {
	d := Date{2027, time.January, 5}
	assert.Equal(t, "2027-01-05", d.String())
	assert.Equal(t, time.Tuesday, d.Weekday())
	assert.Equal(t, Date{2026, time.December, 31}, d.AddDays(-5))
	assert.Equal(t, 18, Date{2026, time.December, 18}.DaysUntil(d))
	assert.True(t, Date{2026, time.December, 18}.Before(d))
	assert.True(t, d.After(Date{2026, time.December, 18}))
	assert.Equal(t, 0, d.Compare(Date{2027, time.January, 5}))
	assert.True(t, Date{}.IsZero())
	assert.False(t, Date{}.IsValid())
	assert.False(t, Date{2027, time.February, 29}.IsValid())
	assert.True(t, Date{2028, time.February, 29}.IsValid())
	assert.False(t, Date{2100, time.February, 29}.IsValid())
	assert.True(t, Date{2000, time.February, 29}.IsValid())
	assert.False(t, Date{2027, 13, 1}.IsValid())
	assert.False(t, Date{2027, time.April, 31}.IsValid())
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("2026-12-18")
	require.NoError(t, err)
	assert.Equal(t, Date{2026, time.December, 18}, d)
	for _, bad := range []string{"", "2026-13-01", "2026-02-30", "18-12-2026", "2026-12-18T00:00:00Z", "2026-1-5"} {
		_, err := ParseDate(bad)
		assert.ErrorIs(t, err, ErrInvalidDate, "%q", bad)
	}
}

func TestDateIn(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	require.NoError(t, err)
	// The night of the spring change: midnight exists, 02:00–03:00 does not.
	start := Date{2027, time.March, 28}.In(ams)
	assert.Equal(t, "2027-03-27T23:00:00Z", start.UTC().Format(time.RFC3339))
}

func TestDateText(t *testing.T) {
	type doc struct {
		Exam Date  `json:"exam"`
		Due  *Date `json:"due,omitempty"`
		None Date  `json:"none"`
	}
	in := doc{Exam: Date{2027, time.January, 18}}
	out, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"exam":"2027-01-18","none":""}`, string(out))

	var back doc
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, in, back)

	assert.ErrorIs(t, json.Unmarshal([]byte(`{"exam":"2027-02-30"}`), &back), ErrInvalidDate)
	_, err = json.Marshal(doc{Exam: Date{2027, time.February, 30}})
	assert.ErrorIs(t, err, ErrInvalidDate)
}

// A date in the right form that names no day says which part is wrong.
func TestParseDateNamesTheMissingDay(t *testing.T) {
	for s, want := range map[string]string{
		"2027-02-30": "2027-02-30 is not a day: February 2027 has 28 days",
		"2028-02-30": "2028-02-30 is not a day: February 2028 has 29 days",
		"2027-13-01": "2027-13-01 is not a day: a year has 12 months",
		"2027-04-31": "2027-04-31 is not a day: April 2027 has 30 days",
		"18-01-2027": `"18-01-2027": want YYYY-MM-DD`,
	} {
		_, err := ParseDate(s)
		require.ErrorIs(t, err, ErrInvalidDate, s)
		assert.Contains(t, err.Error(), want, s)
	}
}
