package report_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
)

// handCount counts a session's events straight from the store.
type handCount struct {
	results, registered, complaints, appeals, determined, early int
	byKind                                                      map[string]int
	byMandate                                                   map[[2]string]int // mandate, actor
}

func countSession(t *testing.T, tr *trail, offering string) handCount {
	t.Helper()
	in := map[string]bool{}
	registered := map[string]bool{}
	c := handCount{byKind: map[string]int{}, byMandate: map[[2]string]int{}}
	for _, e := range events(t, tr.store) {
		if e.Type == result.EventReceived {
			in[e.Result] = e.Record.Offering == offering
			if in[e.Result] {
				c.results++
			}
		}
		if !in[e.Result] {
			continue
		}
		switch e.Type {
		case result.EventRegistered:
			if !registered[e.Result] {
				registered[e.Result] = true
				c.registered++
			}
		case result.EventExceptionRaised:
			c.byKind[string(e.Exception.Kind)]++
		case result.EventComplaintLodged:
			c.complaints++
		case result.EventAppealLodged:
			c.appeals++
		case result.EventDetermined:
			c.determined++
			if e.Early {
				c.early++
			}
			c.byMandate[[2]string{e.Mandate, e.Actor.ID}]++
		}
	}
	return c
}

func TestAccountability(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Accountability(ctx, tr.store, session1)
	require.NoError(t, err)

	// Against the events, counted by hand.
	hand := countSession(t, tr, session1)
	tot := rep.Totals
	assert.Equal(t, hand.results, tot.Results)
	assert.Equal(t, hand.registered, tot.Accepted)
	assert.Equal(t, hand.byKind, tot.ExceptionsByKind)
	assert.Equal(t, hand.byKind[string(result.Irregularity)], tot.Irregularities)
	assert.Equal(t, hand.complaints, tot.Complaints)
	assert.Equal(t, hand.appeals, tot.Appeals)
	assert.Equal(t, hand.determined, tot.Determined)
	assert.Equal(t, hand.early, tot.Early)
	byMandate := map[[2]string]int{}
	for _, m := range tot.DeterminedBy {
		byMandate[[2]string{m.Mandate, m.By.ID}] = m.Count
	}
	assert.Equal(t, hand.byMandate, byMandate)

	// And the figures themselves.
	assert.Equal(t, report.SessionTotals{Results: 5, Accepted: 5, Rejected: 0, Exceptions: 2,
		ExceptionsByKind: map[string]int{"late_assessment": 1, "irregularity": 1}, OpenExceptions: 0,
		Irregularities: 1, Complaints: 1, Appeals: 2, Determined: 5, Early: 1, NotDetermined: 0,
		DeterminedBy: []report.MandateCount{
			{Mandate: "", By: report.Who{ID: "ec-1", Role: "exam_committee"}, Count: 1},
			{Mandate: "M-det", By: report.Who{ID: "adm-1", Role: "exam_administration"}, Count: 3},
			{Mandate: "M-det", By: report.Who{ID: "adm-2", Role: "exam_administration"}, Count: 1},
		}}, tot)
	require.Len(t, rep.Results, 5)
	ids := []string{}
	for _, item := range rep.Results {
		ids = append(ids, item.ID)
	}
	assert.Equal(t, []string{"a-101", "a-102", "a-103", "a-104", "a-105"}, ids)

	a101 := rep.Results[0]
	assert.Len(t, a101.Deliveries, 2)
	assert.Equal(t, "redelivered", a101.Deliveries[1].Type)
	assert.Equal(t, "6.4", a101.Grade, "the grade as re-delivered; the correction is a new result")
	assert.Equal(t, "superseded", a101.State)
	assert.Equal(t, "superseded by a-101-c", a101.Ended)
	assert.Equal(t, "7.5", a101.Correction.Grade)

	a102 := rep.Results[1]
	assert.True(t, a102.Check.Registered)
	assert.Equal(t, at("2027-02-10", 9).UTC(), a102.Check.At)
	require.Len(t, a102.Exceptions, 1)
	x := a102.Exceptions[0]
	assert.Equal(t, "late_assessment", x.Kind)
	assert.Equal(t, report.Who{ID: "krs", Role: "system"}, x.RaisedBy)
	assert.Equal(t, "approved", x.Outcome)
	assert.Equal(t, report.Who{ID: "adm-2", Role: "exam_administration"}, x.ClosedBy)
	assert.Equal(t, "M-exc", x.Mandate, "approved under mandate")
	assert.Equal(t, at("2027-02-11", 10).UTC(), x.Closed)

	a103 := rep.Results[2]
	assert.Equal(t, 1, a103.Irregularities)
	assert.Equal(t, "resolved", a103.Exceptions[0].Outcome)
	assert.Equal(t, "", a103.Exceptions[0].Mandate, "the committee resolves on its own authority")

	a104 := rep.Results[3]
	assert.Equal(t, "7.0", a104.Grade, "corrected on complaint")
	require.Len(t, a104.Complaints, 1)
	assert.Equal(t, report.Decision{Lodged: at("2027-02-09", 14).UTC(), LodgedBy: report.Who{ID: "s-104", Role: "student"},
		Decided: at("2027-02-12", 10).UTC(), DecidedBy: report.Who{ID: "ec-1", Role: "exam_committee"},
		Outcome: "upheld", Reason: "marked too strictly", Grade: "7.0", OldGrade: "5.2"}, a104.Complaints[0])
	require.Len(t, a104.Appeals, 1)
	assert.Equal(t, "not_upheld", a104.Appeals[0].Outcome)
	assert.Equal(t, "final", a104.State)
	assert.Equal(t, report.Determination{Determined: true, At: at("2027-03-05", 18).UTC(),
		By: report.Who{ID: "adm-2", Role: "exam_administration"}, Mandate: "M-det"}, a104.Determination)

	a105 := rep.Results[4]
	assert.Equal(t, report.Determination{Determined: true, At: at("2027-02-10", 12).UTC(),
		By: report.Who{ID: "ec-1", Role: "exam_committee"}, Early: true, Decision: "EC-2027-009"}, a105.Determination)
	assert.Equal(t, "annulled", a105.State)
	assert.Equal(t, "annulled on appeal", a105.Ended)
	assert.Equal(t, "upheld", a105.Appeals[0].Outcome)

	local := rep.In(ams)
	assert.Equal(t, rep.Results[0].Deliveries[0].At, local.Results[0].Deliveries[0].At.UTC())
	assert.Equal(t, ams, local.Results[0].Deliveries[0].At.Location())
	assert.Equal(t, time.UTC, rep.Results[0].Deliveries[0].At.Location(), "In leaves the report it copies alone")

	var md, csv bytes.Buffer
	require.NoError(t, local.WriteMarkdown(&md))
	require.NoError(t, local.WriteCSV(&csv))
	golden(t, "accountability.md", md.Bytes())
	golden(t, "accountability.csv", csv.Bytes())
}

func TestAccountabilityPending(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Accountability(ctx, tr.store, session2)
	require.NoError(t, err)
	hand := countSession(t, tr, session2)
	assert.Equal(t, hand.results, rep.Totals.Results)
	assert.Equal(t, hand.registered, rep.Totals.Accepted)
	assert.Equal(t, hand.determined, rep.Totals.Determined)
	assert.Equal(t, hand.byKind, rep.Totals.ExceptionsByKind)

	assert.Equal(t, 3, rep.Totals.Results)
	assert.Equal(t, 2, rep.Totals.Accepted)
	assert.Equal(t, 1, rep.Totals.Determined)
	assert.Equal(t, 2, rep.Totals.NotDetermined)
	assert.Equal(t, 1, rep.Totals.OpenExceptions)
	require.Len(t, rep.Results, 3)
	assert.Equal(t, "provisional: the student's terms run; open exceptions: late_assessment #1",
		rep.Results[1].Determination.Pending)
	assert.Equal(t, "received, not registered yet: the import check waits", rep.Results[2].Determination.Pending)
	assert.False(t, rep.Results[2].Check.Registered)
	assert.Equal(t, "not_upheld", rep.Results[0].Complaints[0].Outcome)

	var csv bytes.Buffer
	require.NoError(t, rep.WriteCSV(&csv))
	golden(t, "accountability-session2.csv", csv.Bytes())

	none, err := report.Accountability(ctx, tr.store, "no such session")
	require.NoError(t, err)
	assert.Empty(t, none.Results)
	assert.Equal(t, 0, none.Totals.Results)
}

func TestAccountabilityJSON(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Accountability(ctx, tr.store, session1)
	require.NoError(t, err)
	back := roundTrip(t, rep, "offering", "results", "totals", "unplaced", "deliveries", "check", "exceptions",
		"raised_by", "closed_by", "complaints", "appeals", "determination", "mandate", "exceptions_by_kind",
		"determined_by", "not_determined", "old_grade", "lodged_by", "decided_by", "irregularities",
		"supersedes", "decision", "inspections", "inspections_granted", "appeals_extended", "successors", "extension_reason")
	assert.Equal(t, rep, back, "times in UTC decode to the same report")
}
