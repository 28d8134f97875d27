package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
)

func TestEvaluation(t *testing.T) {
	tr := fixture(t)
	year := report.SchoolYear(2026, ams)
	assert.Equal(t, "2026–2027", year.Name, "with an en dash")
	rep, err := report.Evaluation(ctx, tr.store, year)
	require.NoError(t, err)

	// By hand, from the events.
	var hand report.EvaluationRow
	hand.Key = "total"
	received := map[string]bool{}
	outcome := map[string]result.Outcome{} // the last decision per result and kind
	lodged := map[string]int{}
	for _, e := range events(t, tr.store) {
		if !year.Contains(e.At) {
			continue
		}
		switch e.Type {
		case result.EventReceived:
			if !received[e.Result] {
				received[e.Result] = true
				hand.Results++
				if e.Record.Supersedes != "" {
					hand.Successors++
				}
			}
		case result.EventInspectionAsked:
			hand.Inspections.Requested++
		case result.EventInspectionGranted:
			hand.Inspections.Granted++
		case result.EventAppealExtended:
			hand.AppealsExtended++
		case result.EventComplaintLodged, result.EventAppealLodged:
			lodged[string(e.Type)]++
		case result.EventComplaintDecided, result.EventAppealDecided:
			outcome[e.Result+" "+string(e.Type)] = e.Outcome
			if e.To == result.Annulled {
				hand.Annulled++
				hand.AwaitingSuccessor++
			}
			if e.Type == result.EventComplaintDecided && e.Outcome == result.Upheld && !e.Grade.IsZero() {
				hand.Corrections.Complaint++
				hand.Corrections.Total++
			}
		case result.EventCorrected:
			hand.Corrections.Corrected++
			hand.Corrections.Total++
			if !received[e.Successor] {
				hand.AwaitingSuccessor++ // none of the fixture's successors is received
			}
		case result.EventDetermined:
			hand.Determined++
			if e.Early {
				hand.Early++
			}
		case result.EventExceptionRaised:
			hand.Exceptions++
			if e.Exception.Kind == result.Irregularity {
				hand.Irregularities++
			}
		}
	}
	for _, d := range deliveries(t, tr.store) {
		if year.Contains(d.at) && d.outcome == "rejected" {
			hand.RejectedDeliveries++
		}
	}
	hand.Inspections.Open = hand.Inspections.Requested - hand.Inspections.Granted
	hand.Complaints.Lodged = lodged[string(result.EventComplaintLodged)]
	hand.Appeals.Lodged = lodged[string(result.EventAppealLodged)]
	for key, o := range outcome {
		to := &hand.Complaints
		if strings.HasSuffix(key, string(result.EventAppealDecided)) {
			to = &hand.Appeals
		}
		switch o {
		case result.Upheld:
			to.Upheld++
		case result.NotUpheld:
			to.NotUpheld++
		}
	}
	assert.Equal(t, hand, rep.Total)

	// And the figures themselves.
	assert.Equal(t, report.EvaluationRow{Key: "total", Results: 8, RejectedDeliveries: 3, Annulled: 1,
		AwaitingSuccessor: 2, Determined: 6, Early: 1,
		Corrections: report.Corrections{Total: 2, Complaint: 1, Corrected: 1},
		Complaints:  report.Outcomes{Lodged: 2, Upheld: 1, NotUpheld: 1},
		Appeals:     report.Outcomes{Lodged: 2, Upheld: 1, NotUpheld: 1},
		Exceptions:  3, Irregularities: 1}, rep.Total)
	assert.Equal(t, 1, rep.UntraceableRejections, "x-999's")
	assert.Equal(t, []report.EvaluationRow{
		{Key: "ICT-BOL-4", Results: 5, RejectedDeliveries: 1, Annulled: 1, AwaitingSuccessor: 2, Determined: 5, Early: 1,
			Corrections: report.Corrections{Total: 2, Complaint: 1, Corrected: 1},
			Complaints:  report.Outcomes{Lodged: 1, Upheld: 1}, Appeals: report.Outcomes{Lodged: 2, Upheld: 1, NotUpheld: 1},
			Exceptions: 2, Irregularities: 1},
		{Key: "ZORG-BBL-3", Results: 3, RejectedDeliveries: 1, Determined: 1,
			Complaints: report.Outcomes{Lodged: 1, NotUpheld: 1}, Exceptions: 1},
	}, rep.ByProgramme)
	assert.Equal(t, []report.EvaluationRow{
		{Key: "KT1", Results: 3, RejectedDeliveries: 1, AwaitingSuccessor: 1, Determined: 3,
			Corrections: report.Corrections{Total: 1, Corrected: 1}, Exceptions: 2, Irregularities: 1},
		{Key: "KT2", Results: 2, Annulled: 1, AwaitingSuccessor: 1, Determined: 2, Early: 1,
			Corrections: report.Corrections{Total: 1, Complaint: 1}, Complaints: report.Outcomes{Lodged: 1, Upheld: 1},
			Appeals: report.Outcomes{Lodged: 2, Upheld: 1, NotUpheld: 1}},
		{Key: "KT3", Results: 3, RejectedDeliveries: 1, Determined: 1, Complaints: report.Outcomes{Lodged: 1, NotUpheld: 1},
			Exceptions: 1},
	}, rep.ByComponent)
	require.Len(t, rep.ByMonth, 12)
	assert.Equal(t, "2026-08", rep.ByMonth[0].Key)
	assert.Equal(t, "2027-07", rep.ByMonth[11].Key)
	assert.Equal(t, report.EvaluationRow{Key: "2027-02", Results: 5, RejectedDeliveries: 2, Determined: 1, Early: 1,
		Corrections: report.Corrections{Total: 1, Complaint: 1}, Complaints: report.Outcomes{Lodged: 1, Upheld: 1},
		Appeals: report.Outcomes{Lodged: 1, Upheld: 1}, Exceptions: 2, Irregularities: 1}, rep.ByMonth[6])
	assert.Equal(t, report.EvaluationRow{Key: "2027-03", Results: 3, RejectedDeliveries: 1, AwaitingSuccessor: 1,
		Determined: 5, Corrections: report.Corrections{Total: 1, Corrected: 1},
		Complaints: report.Outcomes{Lodged: 1, NotUpheld: 1}, Appeals: report.Outcomes{Lodged: 1, NotUpheld: 1},
		Exceptions: 1}, rep.ByMonth[7])
	assert.Equal(t, report.EvaluationRow{Key: "2027-04", Annulled: 1, AwaitingSuccessor: 1}, rep.ByMonth[8],
		"a-105 annulled; the appeals' outcomes count with the month they were lodged in")

	js, err := rep.JSON()
	require.NoError(t, err)
	golden(t, "evaluation.json", js)
	goldenPages(t, "evaluation", map[string]pageWriter{"md": rep.WriteMarkdown, "csv": rep.WriteCSV,
		"html": rep.WriteHTML})
}

func TestEvaluationPeriod(t *testing.T) {
	tr := fixture(t)
	feb := report.Period{Name: "February 2027", From: at("2027-02-01", 0), Until: at("2027-03-01", 0)}
	rep, err := report.Evaluation(ctx, tr.store, feb)
	require.NoError(t, err)
	require.Len(t, rep.ByMonth, 1)
	assert.Equal(t, rep.Total.Results, rep.ByMonth[0].Results)
	assert.Equal(t, 5, rep.Total.Results)
	assert.Equal(t, report.Outcomes{Lodged: 1, Upheld: 1}, rep.Total.Appeals, "a-105's, upheld in April")

	cy, err := report.Evaluation(ctx, tr.store, report.CalendarYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, report.EvaluationRow{Key: "total"}, cy.Total, "nothing happened in 2026")
	assert.Len(t, cy.ByMonth, 12)

	_, err = report.Evaluation(ctx, tr.store, report.Period{From: feb.Until, Until: feb.From})
	require.ErrorIs(t, err, report.ErrPeriod)
	_, err = report.Evaluation(ctx, tr.store, report.Period{From: feb.From, Until: feb.From})
	require.ErrorIs(t, err, report.ErrPeriod)
	assert.True(t, feb.Contains(feb.From))
	assert.False(t, feb.Contains(feb.Until))
	assert.False(t, feb.Contains(feb.From.Add(-time.Nanosecond)))
}

func TestEvaluationJSON(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	back := roundTrip(t, rep, "period", "name", "from", "until", "total", "by_programme", "by_component",
		"by_month", "erased", "key", "results", "determined", "early", "corrections", "complaint", "corrected",
		"complaints", "appeals", "lodged", "upheld", "not_upheld", "withdrawn", "inadmissible", "open",
		"exceptions", "irregularities", "successors", "inspections", "requested", "granted", "appeals_extended",
		"time_zone", "rejected_deliveries", "annulled", "awaiting_successor", "untraceable_rejections")
	assert.Equal(t, rep.Total, back.Total)
	assert.Equal(t, rep.ByMonth, back.ByMonth)
}
