package calendar

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// busyCalendar is the example definition in testdata: closures, the known
// decree days, an open Saturday, Good Friday worked, days ending at 17:00.
func busyCalendar(t testing.TB) *Calendar {
	t.Helper()
	c, err := LoadFile("testdata/voorbeeld.json")
	require.NoError(t, err)
	return c
}

func TestZeroConfigIsDefault(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	cfg := c.Config()
	assert.Equal(t, "Europe/Amsterdam", cfg.Location.String())
	assert.Equal(t, []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, cfg.Workdays)
	assert.Equal(t, 24*time.Hour, cfg.DayEnds)
	assert.Equal(t, AlgemeneTermijnenwet(), cfg.Holidays)
	first, last := c.Years()
	assert.Equal(t, [2]int{2000, 2100}, [2]int{first, last})
	assert.Equal(t, Default().Config(), cfg)
}

func TestExampleDefinition(t *testing.T) {
	c := busyCalendar(t)
	assert.Equal(t, "ROC Voorbeeld", c.Name())

	// The Christmas closure stretches a ten-day term over three weeks.
	e, err := c.Explain(date(t, "2026-12-18"), 10)
	require.NoError(t, err)
	assert.Equal(t, "2027-01-15", e.To.String())
	require.Len(t, e.Skipped, 10)
	assert.Equal(t, "2026-12-21", e.Skipped[0].Date.String())
	assert.Equal(t, "Kerstvakantie", e.Skipped[0].Names())
	assert.Equal(t, "Eerste Kerstdag / Kerstvakantie", e.Skipped[4].Names())
	assert.Equal(t, []Reason{{Kind: KindHoliday, Name: "Eerste Kerstdag", Holiday: ChristmasDay},
		{Kind: KindClosure, Name: "Kerstvakantie"}}, e.Skipped[4].Reasons)

	// The known decree day after Ascension, and Good Friday worked.
	e, err = c.Explain(date(t, "2026-05-13"), 1)
	require.NoError(t, err)
	assert.Equal(t, "2026-05-18", e.To.String())
	assert.Equal(t, []Skip{
		{Date{2026, 5, 14}, []Reason{{Kind: KindHoliday, Name: "Hemelvaartsdag", Holiday: AscensionDay}}},
		{Date{2026, 5, 15}, []Reason{{Kind: KindDecree, Name: "Vrijdag na Hemelvaartsdag", Decree: decree2026}}},
	}, e.Skipped)
	work, err := c.IsWorkday(date(t, "2027-03-26"))
	require.NoError(t, err)
	assert.True(t, work, "Good Friday is worked here")

	// The open Saturday counts.
	e, err = c.Explain(date(t, "2027-03-12"), 1)
	require.NoError(t, err)
	assert.Equal(t, "2027-03-13", e.To.String())
	e, err = c.Explain(date(t, "2027-03-11"), 2)
	require.NoError(t, err)
	assert.Equal(t, "2027-03-13", e.To.String())
	e, err = c.Explain(date(t, "2027-03-11"), 3)
	require.NoError(t, err)
	assert.Equal(t, []Day{{Date: Date{2027, 3, 13}, Name: "Inhaalzaterdag"}}, e.Opened)
	assert.Contains(t, e.String(), "counted 2027-03-13 Inhaalzaterdag")

	// Days end at 17:00.
	dl, err := c.Deadline(date(t, "2027-02-09"), 1)
	require.NoError(t, err)
	assert.Equal(t, "2027-02-11T17:00:00+01:00", dl.Format(time.RFC3339), "the study day is skipped")

	// A weekend day of a closure is not listed: only days that would have worked.
	rs, err := c.Closed(date(t, "2026-12-26"))
	require.NoError(t, err)
	assert.Len(t, rs, 2)
	for _, s := range e.Skipped {
		assert.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, s.Date.Weekday())
	}
}

func TestExplanationString(t *testing.T) {
	e, err := Default().Explain(date(t, "2026-12-18"), 10)
	require.NoError(t, err)
	assert.Equal(t, "10 working days from 2026-12-18 is 2027-01-05\n"+
		"skipped 2026-12-25 Eerste Kerstdag\n"+
		"skipped 2027-01-01 Nieuwjaarsdag", e.String())
	back, err := Default().Explain(date(t, "2027-01-05"), -10)
	require.NoError(t, err)
	assert.Equal(t, e.Skipped, back.Skipped)
	none, err := Default().Explain(date(t, "2027-01-05"), 0)
	require.NoError(t, err)
	assert.Empty(t, none.Skipped)
}

// configProblems returns the ConfigErrors joined in err.
func configProblems(t *testing.T, err error) []*ConfigError {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, ErrInvalidConfig)
	var out []*ConfigError
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ce *ConfigError
		require.ErrorAs(t, err, &ce)
		out = append(out, ce)
	}
	walk(err)
	return out
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name     string
		cfg      Config
		sentinel error
		path     string
		text     string
	}{
		{"reversed closure", Config{Closures: []Closure{{"Kerst", Date{2027, 1, 1}, Date{2026, 12, 21}}}},
			ErrReversedRange, "closures[0]", "2027-01-01 to 2026-12-21"},
		{"unknown holiday", Config{Holidays: []Holiday{"sinterklaas"}}, ErrUnknownHoliday, "holidays[0]", "koningsdag"},
		{"unknown dropped holiday", Config{Without: []Holiday{"carnaval"}}, ErrUnknownHoliday, "without[0]", "carnaval"},
		{"kept and dropped", Config{Holidays: []Holiday{GoodFriday}, Without: []Holiday{GoodFriday}},
			ErrConflict, "without[0]", "both"},
		{"open on a holiday", Config{OpenDays: []Day{{Date: Date{2027, 4, 27}, Name: "Open dag"}}},
			ErrConflict, "open_days[0]", "Koningsdag"},
		{"open in a closure", Config{
			Closures: []Closure{{"Zomer", Date{2027, 7, 10}, Date{2027, 8, 20}}},
			OpenDays: []Day{{Date: Date{2027, 7, 17}, Name: "Herkansingszaterdag"}}},
			ErrConflict, "open_days[0]", "Zomer"},
		{"open on a decree day", Config{
			DecreeDays: []Day{{Date: Date{2027, 5, 8}, Name: "Gelijkgesteld"}},
			OpenDays:   []Day{{Date: Date{2027, 5, 8}, Name: "Zaterdag"}}},
			ErrConflict, "open_days[0]", "Gelijkgesteld"},
		{"open on a known decree day", Config{OpenDays: []Day{{Date: Date{2027, 5, 7}, Name: "Werkdag"}}},
			ErrConflict, "open_days[0]", "Vrijdag na Hemelvaartsdag"},
		{"open day naming a decree", Config{OpenDays: []Day{{Date: Date{2027, 5, 8}, Name: "Zaterdag", Decree: "Besluit"}}},
			ErrInvalidConfig, "open_days[0].decree", "only a decree day"},
		{"nameless decree day", Config{DecreeDays: []Day{{Date: Date{2027, 5, 7}}}},
			ErrInvalidConfig, "decree_days[0].name", "name is required"},
		{"invalid date", Config{DecreeDays: []Day{{Date: Date{2027, 2, 30}, Name: "x"}}}, ErrInvalidDate, "decree_days[0].date", "2027-02-30"},
		{"date outside years", Config{Closures: []Closure{{"Oud", Date{1999, 12, 30}, Date{2000, 1, 5}}}},
			ErrOutOfRange, "closures[0].from", "1999-12-30"},
		{"nameless closure", Config{Closures: []Closure{{"", Date{2027, 1, 1}, Date{2027, 1, 2}}}},
			ErrInvalidConfig, "closures[0].name", "name is required"},
		{"no working days", Config{Workdays: []time.Weekday{}}, ErrInvalidConfig, "workdays", "no weekday"},
		{"weekday twice", Config{Workdays: []time.Weekday{time.Monday, time.Monday}}, ErrInvalidConfig, "workdays[1]", "twice"},
		{"no weekday", Config{Workdays: []time.Weekday{9}}, ErrInvalidConfig, "workdays[0]", "9"},
		{"day ends too late", Config{DayEnds: 25 * time.Hour}, ErrInvalidConfig, "day_ends", "25h"},
		{"day ends in seconds", Config{DayEnds: 17*time.Hour + time.Second}, ErrInvalidConfig, "day_ends", "minutes"},
		{"years reversed", Config{FirstYear: 2030, LastYear: 2020}, ErrInvalidConfig, "years", "2030–2020"},
		{"years too early", Config{FirstYear: 1970}, ErrInvalidConfig, "years", "1980"},
		{"holiday twice", Config{Holidays: []Holiday{NewYear, NewYear}}, ErrInvalidConfig, "holidays[1]", "twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			problems := configProblems(t, err)
			require.Len(t, problems, 1, "%v", err)
			assert.ErrorIs(t, err, tc.sentinel)
			assert.Equal(t, tc.path, problems[0].Path)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	_, err := New(Config{
		Holidays: []Holiday{"sinterklaas"},
		Closures: []Closure{{"A", Date{2027, 2, 1}, Date{2027, 1, 1}}, {"", Date{2027, 3, 1}, Date{2027, 3, 2}}},
		DayEnds:  -time.Hour,
	})
	problems := configProblems(t, err)
	var paths []string
	for _, p := range problems {
		paths = append(paths, p.Path)
	}
	assert.ElementsMatch(t, []string{"day_ends", "holidays[0]", "closures[0]", "closures[1].name"}, paths)
	assert.ErrorIs(t, err, ErrUnknownHoliday)
	assert.ErrorIs(t, err, ErrReversedRange)
}

func TestEmptyHolidayListMeansNone(t *testing.T) {
	c, err := New(Config{Holidays: []Holiday{}})
	require.NoError(t, err)
	work, err := c.IsWorkday(date(t, "2027-01-01"))
	require.NoError(t, err)
	assert.True(t, work)

	c, err = ParseAndBuild(`{"holidays": []}`)
	require.NoError(t, err)
	work, err = c.IsWorkday(date(t, "2027-01-01"))
	require.NoError(t, err)
	assert.True(t, work)
}

// ParseAndBuild is a test shorthand: Load from a string.
func ParseAndBuild(s string) (*Calendar, error) { return Load(strings.NewReader(s)) }

func TestJSONErrors(t *testing.T) {
	cases := []struct {
		name, json string
		sentinel   error
		path       string
		line, col  int
		text       string
	}{
		{"unknown field", "{\n  \"name\": \"x\",\n  \"holydays\": []\n}", ErrUnknownField, "holydays", 3, 3, `"holydays"`},
		{"malformed", "{\n  \"name\": \"x\"\n  \"location\": \"y\"\n}", ErrInvalidConfig, "", 3, 3, "malformed"},
		{"wrong type", "{\"first_year\": \"2020\"}", ErrInvalidConfig, "first_year", 1, 21, "a JSON string where a whole number is wanted"},
		{"truncated", "{\"name\": \"x\"", ErrInvalidConfig, "", 1, 13, "ends too early"},
		{"trailing data", "{} \n {}", ErrInvalidConfig, "", 2, 2, "after the definition"},
		{"bad date", `{"closures": [{"name": "K", "from": "2026-12-21", "to": "2027-01-32"}]}`,
			ErrInvalidDate, "closures[0].to", 0, 0, "2027-01-32"},
		{"bad weekday", `{"workdays": ["monday", "funday"]}`, ErrInvalidConfig, "workdays[1]", 0, 0, "funday"},
		{"bad zone", `{"location": "Europe/Utrecht"}`, ErrInvalidConfig, "location", 0, 0, "Europe/Utrecht"},
		{"bad clock", `{"day_ends": "5pm"}`, ErrInvalidConfig, "day_ends", 0, 0, "5pm"},
		{"clock past midnight", `{"day_ends": "24:30"}`, ErrInvalidConfig, "day_ends", 0, 0, "24:30"},
		{"unknown holiday", `{"without": ["carnaval"]}`, ErrUnknownHoliday, "without[0]", 0, 0, "carnaval"},
		{"not an object", `[]`, ErrInvalidConfig, "", 1, 1, "a JSON array where an object is wanted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAndBuild(tc.json)
			problems := configProblems(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			assert.Equal(t, tc.path, problems[0].Path)
			assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{problems[0].Line, problems[0].Column}, "%v", err)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

func TestJSONTooLarge(t *testing.T) {
	big := `{"name": "` + strings.Repeat("x", MaxConfigSize) + `"}`
	_, err := ParseAndBuild(big)
	assert.ErrorIs(t, err, ErrInvalidConfig)
	assert.Contains(t, err.Error(), "larger than")
}

func TestLoadFileErrors(t *testing.T) {
	_, err := LoadFile("testdata/does-not-exist.json")
	assert.ErrorIs(t, err, os.ErrNotExist)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(dir+"/bad.json", []byte(`{"without": ["x"]}`), 0o600))
	_, err = LoadFile(dir + "/bad.json")
	assert.ErrorIs(t, err, ErrUnknownHoliday)
	assert.Contains(t, err.Error(), "bad.json")
}

func TestJSONRoundTrip(t *testing.T) {
	for _, c := range []*Calendar{Default(), busyCalendar(t)} {
		data, err := json.Marshal(c.Config())
		require.NoError(t, err)
		var cfg Config
		require.NoError(t, json.Unmarshal(data, &cfg))
		again, err := New(cfg)
		require.NoError(t, err)
		assert.Equal(t, c.Config(), again.Config())
		assert.Equal(t, c.before, again.before)
	}
	// Dutch day names and mixed case read as well.
	c, err := ParseAndBuild(`{"workdays": ["Maandag", "DINSDAG", "woensdag", "donderdag", "Friday"]}`)
	require.NoError(t, err)
	assert.Equal(t, Default().before, c.before)
}

func TestConfigIsACopy(t *testing.T) {
	c := busyCalendar(t)
	cfg := c.Config()
	cfg.Closures[0].Name = "changed"
	cfg.Workdays[0] = time.Sunday
	assert.Equal(t, "Kerstvakantie", c.Config().Closures[0].Name)
	assert.Equal(t, time.Monday, c.Config().Workdays[0])
}

func TestErrorsRead(t *testing.T) {
	_, err := Default().AddWorkdays(Date{2100, 12, 20}, 30)
	assert.EqualError(t, err, "calendar: 30 working days from 2100-12-20 end outside the supported years 2000–2100")
	_, err = New(Config{Closures: []Closure{{"Kerst", Date{2027, 1, 1}, Date{2026, 12, 21}}}})
	assert.EqualError(t, err, "calendar: closures[0]: range ends before it starts: 2027-01-01 to 2026-12-21")
	assert.True(t, errors.Is(err, ErrReversedRange))
}

func TestDayEnds(t *testing.T) {
	if got := Default().DayEnds(); got != 24*time.Hour {
		t.Errorf("the national calendar's day ends at %v, want midnight (24h)", got)
	}
	c, err := New(Config{DayEnds: 17 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.DayEnds(); got != 17*time.Hour {
		t.Errorf("DayEnds = %v, want 17h", got)
	}
}
