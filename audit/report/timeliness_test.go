package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

func TestTimeliness(t *testing.T) {
	tr := fixture(t)
	policies := timeline.DefaultPolicies()
	rep, err := report.Timeliness(ctx, tr.store, cal, policies, reportAt)
	require.NoError(t, err)

	// By hand, from the events: the delivery that was registered against
	// exam + 15 working days (the assessor's part), and for a result
	// delivered in time its first registration against the same date (the
	// administration's); each determination against the date of the live
	// result's timeline; each complaint against lodged + 10 working days.
	exam := map[string]calendar.Date{}
	delivered := map[string]time.Time{}
	assessedLate, assessedOnTime := 0, 0
	checkedLate, checkedOnTime, unregistered := 0, 0, 0
	determinedOnTime, determinedLate := 0, 0
	complaintLodged := map[string]calendar.Date{}
	complaintsOnTime, complaintsLate := 0, 0
	registered := map[string]time.Time{}
	for _, e := range events(t, tr.store) {
		switch e.Type {
		case result.EventReceived, result.EventRedelivered:
			exam[e.Result] = cal.Date(e.Record.Exam)
			if registered[e.Result].IsZero() {
				delivered[e.Result] = e.At
			}
		case result.EventRegistered:
			if registered[e.Result].IsZero() {
				registered[e.Result] = e.At
			}
		case result.EventDetermined:
			r := tr.results[e.Result]
			tl, err := timeline.New(cal, policies, r.Facts())
			require.NoError(t, err)
			if cal.Date(e.At) == tl.DeterminationDue || e.Early {
				determinedOnTime++
			} else {
				determinedLate++
			}
		case result.EventComplaintLodged:
			complaintLodged[e.Result] = cal.Date(e.At)
		case result.EventComplaintDecided:
			due, err := cal.AddWorkdays(complaintLodged[e.Result], 10)
			require.NoError(t, err)
			if cal.Date(e.At).After(due) {
				complaintsLate++
			} else {
				complaintsOnTime++
			}
		}
	}
	for id, d := range delivered {
		due, err := cal.AddWorkdays(exam[id], 15)
		require.NoError(t, err)
		end := cal.EndOf(due)
		switch reg := registered[id]; {
		case !d.Before(end):
			assessedLate++
		case reg.IsZero():
			assessedOnTime++
			unregistered++
		case reg.Before(end):
			assessedOnTime++
			checkedOnTime++
		default:
			assessedOnTime++
			checkedLate++
		}
	}
	total := rep.Total
	assert.Equal(t, len(exam), total.Results)
	assert.Equal(t, assessedOnTime, total.Assessed.OnTime)
	assert.Equal(t, assessedLate, total.Assessed.Late)
	assert.Equal(t, checkedOnTime, total.Checked.OnTime)
	assert.Equal(t, checkedLate, total.Checked.Late)
	assert.Equal(t, unregistered, total.Checked.Pending)
	assert.Equal(t, determinedOnTime, total.Determined.OnTime)
	assert.Equal(t, determinedLate, total.Determined.Late)
	assert.Equal(t, complaintsOnTime, total.Complaints.OnTime)
	assert.Equal(t, complaintsLate, total.Complaints.Late)

	// And the figures themselves.
	assert.Equal(t, []report.MonthTimeliness{
		{Month: "2027-01", Results: 5,
			Assessed:   report.Tally{OnTime: 4, Late: 1, Measured: 5, Percent: "80.0"},
			Checked:    report.Tally{OnTime: 4, Measured: 4, Percent: "100.0"},
			Determined: report.Tally{OnTime: 4, Late: 1, Early: 1, Measured: 5, Percent: "80.0"},
			Complaints: report.Tally{OnTime: 1, Measured: 1, Percent: "100.0"},
			Appeals:    report.Tally{OnTime: 1, Late: 1, Measured: 2, Percent: "50.0"}},
		{Month: "2027-02", Results: 3,
			Assessed:   report.Tally{OnTime: 2, Late: 1, Measured: 3, Percent: "66.7"},
			Checked:    report.Tally{OnTime: 1, Pending: 1, Overdue: 1, Measured: 1, Percent: "100.0"},
			Determined: report.Tally{OnTime: 1, Pending: 2, Measured: 1, Percent: "100.0"},
			Complaints: report.Tally{Late: 1, Measured: 1, Percent: "0.0"},
			Appeals:    report.Tally{}},
	}, rep.Months)
	assert.Equal(t, report.MonthTimeliness{Month: "total", Results: 8,
		Assessed:   report.Tally{OnTime: 6, Late: 2, Measured: 8, Percent: "75.0"},
		Checked:    report.Tally{OnTime: 5, Pending: 1, Overdue: 1, Measured: 5, Percent: "100.0"},
		Determined: report.Tally{OnTime: 5, Late: 1, Early: 1, Pending: 2, Measured: 6, Percent: "83.3"},
		Complaints: report.Tally{OnTime: 1, Late: 1, Measured: 2, Percent: "50.0"},
		Appeals:    report.Tally{OnTime: 1, Late: 1, Measured: 2, Percent: "50.0"},
	}, rep.Total)

	line := map[string]report.ResultTimeliness{}
	for _, l := range rep.Results {
		line[l.ID] = l
	}
	require.Len(t, line, 8)
	// a-104 was registered on time; the corrected grade's registration
	// restarts its terms but is no late assessment.
	assert.Equal(t, report.OnTime, line["a-104"].Assessed)
	assert.Equal(t, calendar.Date{Year: 2027, Month: 2, Day: 5}, line["a-104"].Registered)
	assert.Equal(t, "after_registration", line["a-104"].Binding)
	assert.Equal(t, calendar.Date{Year: 2027, Month: 3, Day: 5}, line["a-104"].DeterminationDue)
	assert.Equal(t, report.Late, line["a-102"].Assessed)
	assert.Equal(t, report.NotApplicable, line["a-102"].Checked, "delivered late: the assessor's lateness")
	assert.Equal(t, report.OnTime, line["a-102"].Determination, "on its date, set by the registration rule")
	assert.Equal(t, report.Late, line["a-103"].Determination)
	assert.Equal(t, report.OnTime, line["a-105"].Determination)
	assert.True(t, line["a-105"].Early)
	assert.Equal(t, "early", line["a-105"].Binding)
	assert.Equal(t, []report.Handling{{Lodged: calendar.Date{Year: 2027, Month: 2, Day: 15},
		Due: calendar.Date{Year: 2027, Month: 3, Day: 24}, Decided: calendar.Date{Year: 2027, Month: 4, Day: 1},
		Status: report.Late}}, line["a-105"].Appeals)
	assert.Equal(t, []report.Handling{{Lodged: calendar.Date{Year: 2027, Month: 3, Day: 3},
		Due: calendar.Date{Year: 2027, Month: 3, Day: 17}, Decided: calendar.Date{Year: 2027, Month: 3, Day: 22},
		Status: report.Late}}, line["a-201"].Complaints)
	assert.Equal(t, report.Pending, line["a-202"].Determination, "due on 6 April, after the report")
	assert.Equal(t, report.OnTime, line["a-203"].Assessed, "delivered on 1 March, within its term")
	assert.Equal(t, report.Overdue, line["a-203"].Checked, "not registered, its term ended on 8 March")
	assert.Equal(t, report.Pending, line["a-203"].Determination, "not registered: no date yet")

	assert.Equal(t, "Europe/Amsterdam", rep.TimeZone)
	js, err := rep.JSON()
	require.NoError(t, err)
	golden(t, "timeliness.json", js)
	goldenPages(t, "timeliness", map[string]pageWriter{"md": rep.WriteMarkdown, "csv": rep.WriteCSV,
		"html": rep.WriteHTML})
	goldenPages(t, "timeliness-months", map[string]pageWriter{"csv": rep.WriteMonthsCSV})
}

// At an earlier moment, later events are left out: what was done later
// is pending, or overdue when its date had passed.
func TestTimelinessAtAnEarlierMoment(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), at("2027-03-02", 12))
	require.NoError(t, err)
	line := map[string]report.ResultTimeliness{}
	for _, l := range rep.Results {
		line[l.ID] = l
	}
	assert.Len(t, line, 7, "a-202 was not received yet")
	assert.Equal(t, report.OnTime, line["a-101"].Determination)
	assert.Equal(t, report.Pending, line["a-102"].Determination, "due on 3 March")
	assert.Equal(t, report.Overdue, line["a-103"].Determination, "due on 1 March, on hold")
	assert.Equal(t, "on_hold", line["a-103"].State)
	assert.Equal(t, report.Pending, line["a-104"].Determination, "due on 5 March")
	assert.Equal(t, report.Pending, line["a-105"].Appeals[0].Status, "due on 24 March")
	assert.Empty(t, line["a-201"].Complaints, "lodged on 3 March")
	assert.Equal(t, report.OnTime, line["a-203"].Assessed, "delivered on 1 March")
	assert.Equal(t, report.Pending, line["a-203"].Checked, "due on 8 March")
	assert.Equal(t, report.Tally{OnTime: 2, Pending: 5, Overdue: 1, Measured: 2, Early: 1, Percent: "100.0"},
		rep.Total.Determined)
}

func TestTimelinessChart(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	for _, l := range languages {
		svg := report.TimelinessChart(rep, l.lang)
		assert.Equal(t, svg, report.TimelinessChart(rep, l.lang), "deterministic")
		wellFormed(t, svg)
		golden(t, "timeliness."+l.name+".svg", svg)
	}
	assert.Equal(t, report.TimelinessChart(rep, timeline.Dutch), report.TimelinessChart(rep, ""), "Dutch by default")

	empty := report.TimelinessChart(report.TimelinessReport{}, timeline.English)
	wellFormed(t, empty)
	assert.Contains(t, string(empty), "no results")
	assert.Contains(t, string(report.TimelinessChart(report.TimelinessReport{}, timeline.Dutch)), "geen resultaten")

	// Text is escaped.
	odd := report.TimelinessChart(report.TimelinessReport{Months: []report.MonthTimeliness{
		{Month: `<&"'>`, Results: 1, Assessed: report.Tally{OnTime: 1, Measured: 1, Percent: "100.0"}}}}, timeline.English)
	wellFormed(t, odd)
	assert.Contains(t, string(odd), "&lt;&amp;&quot;&apos;&gt;")
}

func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err)
	}
}

func TestTimelinessJSON(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	back := roundTrip(t, rep, "at", "time_zone", "results", "months", "total", "erased", "assessment_due", "delivered",
		"registered", "assessed", "checked", "determination_due", "binding", "determination", "complaints", "appeals",
		"appeals_extended", "on_time", "before_due", "pending", "overdue", "measured", "percent", "lodged", "due",
		"extended", "decided", "status", "status_words", "state_words", "assessed_words", "checked_words",
		"determination_words", "binding_words")
	assert.Equal(t, rep.Months, back.Months)
	assert.Equal(t, rep.Results, back.Results)
}
