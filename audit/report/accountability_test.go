package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
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

// kinds returns the counts per kind as a map.
func kinds(ks []report.KindCount) map[string]int {
	out := map[string]int{}
	for _, k := range ks {
		out[k.Kind] = k.Count
	}
	return out
}

func TestAccountability(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Accountability(ctx, tr.store, cal, session1)
	require.NoError(t, err)

	// Against the events, counted by hand.
	hand := countSession(t, tr, session1)
	tot := rep.Totals
	assert.Equal(t, hand.results, tot.Results)
	assert.Equal(t, hand.registered, tot.Accepted)
	assert.Equal(t, hand.byKind, kinds(tot.ExceptionsByKind))
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
	assert.Equal(t, report.SessionTotals{Results: 5, Accepted: 5, Rejected: 0, RejectedDeliveries: 1, Annulled: 1,
		Superseded: 1, AwaitingSuccessor: 2, Exceptions: 2,
		ExceptionsByKind: []report.KindCount{{Kind: "irregularity", Count: 1}, {Kind: "late_assessment", Count: 1}},
		OpenExceptions:   0, Irregularities: 1, Complaints: 1, Appeals: 2, Determined: 5, Early: 1, NotDetermined: 0,
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
	assert.Equal(t, "superseded", a101.Ended)
	assert.Equal(t, "EC-2027-014", a101.EndDecision)
	assert.Equal(t, "a-101-c", a101.SupersededBy, "the successor the correction named")
	assert.True(t, a101.AwaitingSuccessor, "a-101-c is not in the trail")
	assert.Equal(t, "7.5", a101.Correction.Grade)

	a102 := rep.Results[1]
	assert.True(t, a102.Check.Registered)
	assert.Equal(t, at("2027-02-10", 9), a102.Check.At)
	require.Len(t, a102.Exceptions, 1)
	x := a102.Exceptions[0]
	assert.Equal(t, "late_assessment", x.Kind)
	assert.Equal(t, report.Who{ID: "krs", Role: "system"}, x.RaisedBy)
	assert.Equal(t, "approved", x.Outcome)
	assert.Equal(t, report.Who{ID: "adm-2", Role: "exam_administration"}, x.ClosedBy)
	assert.Equal(t, "M-exc", x.Mandate, "approved under mandate")
	assert.Equal(t, at("2027-02-11", 10), x.Closed)

	a103 := rep.Results[2]
	assert.Equal(t, 1, a103.Irregularities)
	assert.Equal(t, "resolved", a103.Exceptions[0].Outcome)
	assert.Equal(t, "", a103.Exceptions[0].Mandate, "the committee resolves on its own authority")

	a104 := rep.Results[3]
	assert.Equal(t, "7.0", a104.Grade, "corrected on complaint")
	require.Len(t, a104.Complaints, 1)
	assert.Equal(t, report.Decision{Lodged: at("2027-02-09", 14), LodgedBy: report.Who{ID: "s-104", Role: "student"},
		Decided: at("2027-02-12", 10), DecidedBy: report.Who{ID: "ec-1", Role: "exam_committee"},
		Outcome: "upheld", Reason: "marked too strictly", Grade: "7.0", OldGrade: "5.2"}, a104.Complaints[0])
	require.Len(t, a104.Appeals, 1)
	assert.Equal(t, "not_upheld", a104.Appeals[0].Outcome)
	assert.Equal(t, "final", a104.State)
	assert.Equal(t, report.Determination{Determined: true, At: at("2027-03-05", 18),
		By: report.Who{ID: "adm-2", Role: "exam_administration"}, Mandate: "M-det"}, a104.Determination)

	a105 := rep.Results[4]
	assert.Equal(t, report.Determination{Determined: true, At: at("2027-02-10", 12),
		By: report.Who{ID: "ec-1", Role: "exam_committee"}, Early: true, Decision: "EC-2027-009"}, a105.Determination)
	assert.Equal(t, "annulled", a105.State)
	assert.Equal(t, "annulled", a105.Ended)
	assert.Equal(t, "the inspection window was cut short", a105.EndReason)
	assert.Equal(t, "", a105.SupersededBy, "no new decision yet")
	assert.True(t, a105.AwaitingSuccessor)
	assert.Equal(t, "upheld", a105.Appeals[0].Outcome)

	// The rejected delivery for a-102, and the one no session holds.
	require.Len(t, rep.RejectedDeliveries, 1)
	assert.Equal(t, report.RejectedDelivery{At: at("2027-02-09", 9), AssociationID: "a-102", Method: "PATCH",
		Reasons: []report.RejectionReason{{Code: "missing_field", Field: "result.weight",
			Message: "the weight is required and must be 100"}}}, rep.RejectedDeliveries[0])
	require.Len(t, rep.Untraceable, 1)
	assert.Equal(t, "x-999", rep.Untraceable[0].AssociationID)

	// Every time in the calendar's zone; In puts them in another.
	assert.Equal(t, "Europe/Amsterdam", rep.TimeZone)
	assert.Equal(t, ams, rep.Results[0].Deliveries[0].At.Location())
	utc := rep.In(time.UTC)
	assert.Equal(t, "UTC", utc.TimeZone)
	assert.True(t, rep.Results[0].Deliveries[0].At.Equal(utc.Results[0].Deliveries[0].At))
	assert.Equal(t, time.UTC, utc.Results[0].Deliveries[0].At.Location())
	assert.Equal(t, time.UTC, utc.RejectedDeliveries[0].At.Location())
	assert.Equal(t, ams, rep.Results[0].Deliveries[0].At.Location(), "In leaves the report it copies alone")

	js, err := rep.JSON()
	require.NoError(t, err)
	golden(t, "accountability.json", js)
	goldenPages(t, "accountability", map[string]pageWriter{"md": rep.WriteMarkdown, "csv": rep.WriteCSV,
		"html": rep.WriteHTML})
}

func TestAccountabilityPending(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Accountability(ctx, tr.store, cal, session2)
	require.NoError(t, err)
	hand := countSession(t, tr, session2)
	assert.Equal(t, hand.results, rep.Totals.Results)
	assert.Equal(t, hand.registered, rep.Totals.Accepted)
	assert.Equal(t, hand.determined, rep.Totals.Determined)
	assert.Equal(t, hand.byKind, kinds(rep.Totals.ExceptionsByKind))

	assert.Equal(t, 3, rep.Totals.Results)
	assert.Equal(t, 2, rep.Totals.Accepted)
	assert.Equal(t, 1, rep.Totals.Determined)
	assert.Equal(t, 2, rep.Totals.NotDetermined)
	assert.Equal(t, 1, rep.Totals.OpenExceptions)
	assert.Equal(t, 1, rep.Totals.RejectedDeliveries, "a-203's")
	require.Len(t, rep.Results, 3)
	assert.Equal(t, []string{report.PendingStudentTerms, report.PendingExceptions}, rep.Results[1].Determination.Pending)
	assert.Equal(t, []string{report.PendingImportCheck}, rep.Results[2].Determination.Pending)
	assert.False(t, rep.Results[2].Check.Registered)
	assert.Equal(t, "not_upheld", rep.Results[0].Complaints[0].Outcome)

	var md bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "- Not determined: provisional: the student's terms run; open exceptions: late "+
		"assessment #1\n")
	assert.Contains(t, md.String(), "- Not determined: received, not registered yet: the import check waits\n")
	md.Reset()
	require.NoError(t, rep.WriteMarkdown(&md, timeline.Dutch))
	assert.Contains(t, md.String(), "- Niet vastgesteld: voorlopig: de termijnen van de student lopen; open "+
		"uitzonderingen: te late beoordeling #1\n")
	goldenPages(t, "accountability-session2", map[string]pageWriter{"csv": rep.WriteCSV})

	none, err := report.Accountability(ctx, tr.store, cal, "no such session")
	require.NoError(t, err)
	assert.Empty(t, none.Results)
	assert.Equal(t, 0, none.Totals.Results)
	assert.Empty(t, none.RejectedDeliveries)
	assert.Len(t, none.Untraceable, 1, "named in every session report")
}

// A result's details are in the order they happened: a-104's appeal after
// the determination it appeals, its complaint before.
func TestAccountabilityChronological(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Accountability(ctx, tr.store, cal, session1)
	require.NoError(t, err)
	for _, item := range rep.Results {
		for i := 1; i < len(item.Steps); i++ {
			assert.False(t, item.Steps[i].At.Before(item.Steps[i-1].At), "%s step %d", item.ID, i)
		}
	}
	a104 := rep.Results[3]
	var order []string
	for _, s := range a104.Steps {
		order = append(order, s.Event)
	}
	assert.Equal(t, []string{"received", "registered", "complaint_lodged", "complaint_decided", "determined",
		"appeal_lodged", "appeal_decided"}, order)

	for _, c := range []struct {
		lang  timeline.Language
		lines []string
	}{
		{timeline.English, []string{
			"- Fri 5 Feb 2027 09:00: received by krs (system): grade 5.2 (OKE)\n",
			"- Tue 9 Feb 2027 14:00: complaint lodged by s-104 (student)\n",
			"- Fri 12 Feb 2027 10:00: complaint decided by ec-1 (exam committee): upheld: marked too strictly; grade 5.2 → 7.0\n",
			"- Fri 5 Mar 2027 18:00: determined by adm-2 (exam administration), under mandate M-det\n",
			"- Mon 8 Mar 2027 10:00: appeal lodged by s-104 (student)\n",
			"- Thu 1 Apr 2027 10:00: appeal decided by cbe-1 (appeals board): not upheld: the committee decided with care\n",
		}},
		{timeline.Dutch, []string{
			"- vr 5 feb 2027 09:00: ontvangen door krs (systeem): cijfer 5,2 (OKE)\n",
			"- di 9 feb 2027 14:00: klacht ingediend door s-104 (student)\n",
			"- vr 12 feb 2027 10:00: klacht beslist door ec-1 (examencommissie): gegrond: marked too strictly; cijfer 5,2 → 7,0\n",
			"- vr 5 mrt 2027 18:00: vastgesteld door adm-2 (examenadministratie), onder mandaat M-det\n",
			"- ma 8 mrt 2027 10:00: beroep ingesteld door s-104 (student)\n",
			"- do 1 apr 2027 10:00: beroep beslist door cbe-1 (commissie van beroep): ongegrond: the committee decided with care\n",
		}},
	} {
		var md bytes.Buffer
		require.NoError(t, rep.WriteMarkdown(&md, c.lang))
		_, section, ok := strings.Cut(md.String(), "### a-104\n")
		require.True(t, ok)
		section, _, _ = strings.Cut(section, "### a-105\n")
		at := -1
		for _, line := range c.lines {
			i := strings.Index(section, line)
			require.GreaterOrEqual(t, i, 0, "%s: %q", c.lang, line)
			assert.Greater(t, i, at, "%s: %q in order", c.lang, line)
			at = i
		}
	}
}

func TestAccountabilityJSON(t *testing.T) {
	tr := fixture(t)
	rep, err := report.Accountability(ctx, tr.store, cal, session1)
	require.NoError(t, err)
	back := roundTrip(t, rep, "offering", "time_zone", "results", "totals", "unplaced", "deliveries", "check",
		"exceptions", "raised_by", "closed_by", "complaints", "appeals", "determination", "mandate",
		"exceptions_by_kind", "determined_by", "not_determined", "old_grade", "lodged_by", "decided_by",
		"irregularities", "supersedes", "superseded_by", "awaiting_successor", "decision", "inspections",
		"inspections_granted", "appeals_extended", "successors", "extension_reason", "steps", "event", "event_words",
		"details", "state", "state_words", "ended_words", "role_words", "kind_words", "outcome_words", "type_words",
		"source_words", "pending", "pending_words", "rejected_deliveries", "untraceable_rejections", "association_id",
		"reasons", "code", "code_words", "nl", "en")
	// Decoded, the report writes the same pages: the times keep their
	// offsets, the codes their words.
	for _, l := range languages {
		var a, b bytes.Buffer
		require.NoError(t, rep.WriteMarkdown(&a, l.lang))
		require.NoError(t, back.WriteMarkdown(&b, l.lang))
		assert.Equal(t, a.String(), b.String(), l.name)
	}
}
