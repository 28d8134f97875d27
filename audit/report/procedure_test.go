package report_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// What the procedure records besides the fixture (issue 14): the appeals
// board's extension, inspection beside complaint, the new decision after
// an annulment, and the import check's own lateness.

const sessionX = "ICT-2027-X"

// determined has the result received and registered on 5 February, in
// time for the exam of 18 January, and determined on 1 March.
func (tr *trail) determined(id string) {
	tr.t.Helper()
	tr.receive(id, sessionX, "ICT-BOL-4", "KT1", "ass-1", at("2027-01-18", 11), "6.0", at("2027-02-05", 9))
	tr.do(id, krs, at("2027-02-05", 9), result.Command{Action: result.Register})
	tr.do(id, adm1, at("2027-03-01", 18), result.Command{Action: result.Determine})
}

func lines(rep report.TimelinessReport) map[string]report.ResultTimeliness {
	out := map[string]report.ResultTimeliness{}
	for _, l := range rep.Results {
		out[l.ID] = l
	}
	return out
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Item 6: the appeals board decides within 4 weeks after the appeal term,
// which it may extend by 2 weeks. An appeal decided within its extended
// term is on time, at any moment of its last day; the extensions are
// counted.
func TestAppealTermExtended(t *testing.T) {
	tr := newTrail(t)
	// Determined on 1 March: the appeal term ends on 15 March, the board's
	// on 12 April, extended on 26 April.
	for _, id := range []string{"c-1", "c-2"} {
		tr.determined(id)
		tr.do(id, student("s-"+id[2:]), at("2027-03-08", 10), result.Command{Action: result.LodgeAppeal})
	}
	tr.do("c-1", board, at("2027-04-01", 10), result.Command{Action: result.ExtendAppealTerm,
		Reason: "a hearing of the assessor is needed"})
	tr.do("c-1", board, at("2027-04-26", 20), result.Command{Action: result.DecideAppeal, Outcome: result.NotUpheld,
		Reason: "the assessment stands"})
	tr.do("c-2", board, at("2027-04-13", 10), result.Command{Action: result.DecideAppeal, Outcome: result.NotUpheld,
		Reason: "the assessment stands"})

	// An institution whose working day ends at 17:00: the board's term is
	// the law's, and the board is in time on any moment of its last day.
	office, err := calendar.New(calendar.Config{DayEnds: 17 * time.Hour})
	require.NoError(t, err)
	for _, c := range []*calendar.Calendar{cal, office} {
		rep, err := report.Timeliness(ctx, tr.store, c, timeline.DefaultPolicies(), at("2027-05-03", 12))
		require.NoError(t, err)
		line := lines(rep)
		assert.Equal(t, []report.Handling{{Lodged: date("2027-03-08"), Due: date("2027-04-26"), Extended: true,
			Decided: date("2027-04-26"), Status: report.OnTime}}, line["c-1"].Appeals, "decided on its extended last day")
		assert.Equal(t, []report.Handling{{Lodged: date("2027-03-08"), Due: date("2027-04-12"),
			Decided: date("2027-04-13"), Status: report.Late}}, line["c-2"].Appeals, "not extended")
		assert.Equal(t, report.Tally{OnTime: 1, Late: 1, Measured: 2, Percent: "50.0"}, rep.Total.Appeals)
		assert.Equal(t, 1, rep.Total.AppealsExtended)

		var md, months bytes.Buffer
		require.NoError(t, rep.WriteMarkdown(&md, timeline.English))
		require.NoError(t, rep.WriteMonthsCSV(&months, timeline.English))
		assert.Contains(t, md.String(), "lodged Mon 8 Mar 2027, decided Mon 26 Apr 2027, due Mon 26 Apr 2027 (extended): on time")
		assert.Contains(t, md.String(), "1 of 2 (50.0%), 1 extended |")
		assert.Contains(t, months.String(), ",appeals_extended\n")
		md.Reset()
		require.NoError(t, rep.WriteMarkdown(&md, timeline.Dutch))
		assert.Contains(t, md.String(), "ingediend ma 8 mrt 2027, beslist ma 26 apr 2027, uiterlijk ma 26 apr 2027 (verlengd): op tijd")
		assert.Contains(t, md.String(), "1 van 2 (50,0%), 1 verlengd |")
	}

	// Before the decisions: past the unextended date, the extended appeal
	// is pending and the other overdue.
	early, err := report.Timeliness(ctx, tr.store, office, timeline.DefaultPolicies(), at("2027-04-13", 9))
	require.NoError(t, err)
	line := lines(early)
	assert.Equal(t, report.Handling{Lodged: date("2027-03-08"), Due: date("2027-04-26"), Extended: true,
		Status: report.Pending}, line["c-1"].Appeals[0])
	assert.Equal(t, report.Handling{Lodged: date("2027-03-08"), Due: date("2027-04-12"), Status: report.Overdue},
		line["c-2"].Appeals[0])
	// Before the extension, the appeal is measured against the term as it
	// stood then.
	before, err := report.Timeliness(ctx, tr.store, office, timeline.DefaultPolicies(), at("2027-03-31", 9))
	require.NoError(t, err)
	assert.Equal(t, report.Handling{Lodged: date("2027-03-08"), Due: date("2027-04-12"), Status: report.Pending},
		lines(before)["c-1"].Appeals[0])

	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, report.Outcomes{Lodged: 2, NotUpheld: 2}, ev.Total.Appeals)
	assert.Equal(t, 1, ev.Total.AppealsExtended, "counted with the appeal, in the month it was lodged")
	assert.Equal(t, 1, ev.ByMonth[7].AppealsExtended, "March 2027")

	acc, err := report.Accountability(ctx, tr.store, cal, sessionX)
	require.NoError(t, err)
	assert.Equal(t, 2, acc.Totals.Appeals)
	assert.Equal(t, 1, acc.Totals.AppealsExtended)
	a := acc.Results[0].Appeals[0]
	assert.Equal(t, at("2027-04-01", 10), a.Extended)
	assert.Equal(t, report.Who{ID: "cbe-1", Role: "appeals_board"}, a.ExtendedBy)
	assert.Equal(t, "a hearing of the assessor is needed", a.ExtensionReason)
	assert.True(t, acc.Results[1].Appeals[0].Extended.IsZero())
	var md bytes.Buffer
	require.NoError(t, acc.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "| – of which the decision term was extended | 1 |")
	assert.Contains(t, md.String(), "- Thu 1 Apr 2027 10:00: decision term extended by cbe-1 (appeals board): "+
		"a hearing of the assessor is needed\n- Mon 26 Apr 2027 20:00: appeal decided by cbe-1 (appeals board): not upheld: "+
		"the assessment stands\n")
	md.Reset()
	require.NoError(t, acc.WriteMarkdown(&md, timeline.Dutch))
	assert.Contains(t, md.String(), "| – waarvan de beslistermijn is verlengd | 1 |")
	assert.Contains(t, md.String(), "- do 1 apr 2027 10:00: beslistermijn verlengd door cbe-1 (commissie van beroep): "+
		"a hearing of the assessor is needed\n")
}

// Item 7: an inspection (inzage) is no complaint: it is counted apart,
// requested and granted, and the complaints hold none.
func TestInspectionIsNoComplaint(t *testing.T) {
	tr := newTrail(t)
	exam := at("2027-01-18", 11)
	for _, id := range []string{"d-1", "d-2"} {
		tr.receive(id, sessionX, "ICT-BOL-4", "KT1", "ass-1", exam, "5.0", at("2027-02-05", 9))
		tr.do(id, krs, at("2027-02-05", 9), result.Command{Action: result.Register})
		tr.do(id, student("s-"+id[2:]), at("2027-02-08", 10), result.Command{Action: result.RequestInspection})
	}
	tr.do("d-1", adm1, at("2027-02-09", 10), result.Command{Action: result.GrantInspection,
		Detail: "12 February 2027, 14:00, room B1.12"})
	tr.do("d-1", adm1, at("2027-03-01", 18), result.Command{Action: result.Determine})
	tr.do("d-2", student("s-2"), at("2027-02-10", 10), result.Command{Action: result.LodgeComplaint})
	tr.do("d-2", committee, at("2027-02-12", 10), result.Command{Action: result.DecideComplaint,
		Outcome: result.NotUpheld, Reason: "the assessment follows the norm"})

	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, report.Inspections{Requested: 2, Granted: 1, Open: 1}, ev.Total.Inspections)
	assert.Equal(t, report.Outcomes{Lodged: 1, NotUpheld: 1}, ev.Total.Complaints, "the complaint alone")
	assert.Equal(t, report.Inspections{Requested: 2, Granted: 1, Open: 1}, ev.ByMonth[6].Inspections, "February 2027")
	var md, csv bytes.Buffer
	require.NoError(t, ev.WriteMarkdown(&md, timeline.English))
	require.NoError(t, ev.WriteCSV(&csv, timeline.English))
	assert.Contains(t, md.String(), "| Inspections requested | 2 |\n| – granted | 1 |\n| – open | 1 |\n| Complaints | 1 |")
	assert.Contains(t, md.String(), "| ICT-BOL-4 | 2: 1 granted, 1 open | 1: 1 not upheld | 0 | 0 |")
	assert.Contains(t, csv.String(), "total,total,2,1,0,0,0,0,1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,2,1,1,0,0,0,0\n")
	md.Reset()
	require.NoError(t, ev.WriteMarkdown(&md, timeline.Dutch))
	assert.Contains(t, md.String(), "| Inzageverzoeken | 2 |\n| – verleend | 1 |\n| – open | 1 |\n| Klachten | 1 |")
	assert.Contains(t, md.String(), "| ICT-BOL-4 | 2: 1 verleend, 1 open | 1: 1 ongegrond | 0 | 0 |")

	acc, err := report.Accountability(ctx, tr.store, cal, sessionX)
	require.NoError(t, err)
	assert.Equal(t, 2, acc.Totals.Inspections)
	assert.Equal(t, 1, acc.Totals.InspectionsGranted)
	assert.Equal(t, 1, acc.Totals.Complaints)
	d1, d2 := acc.Results[0], acc.Results[1]
	assert.Equal(t, []report.Inspection{{Requested: at("2027-02-08", 10),
		RequestedBy: report.Who{ID: "s-1", Role: "student"}, Granted: at("2027-02-09", 10),
		GrantedBy: report.Who{ID: "adm-1", Role: "exam_administration"}, Detail: "12 February 2027, 14:00, room B1.12"}},
		d1.Inspections)
	assert.Empty(t, d1.Complaints)
	require.Len(t, d2.Inspections, 1)
	assert.True(t, d2.Inspections[0].Open())
	assert.Len(t, d2.Complaints, 1)
	md.Reset()
	require.NoError(t, acc.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "- Mon 8 Feb 2027 10:00: inspection requested by s-1 (student)\n"+
		"- Tue 9 Feb 2027 10:00: inspection granted by adm-1 (exam administration): 12 February 2027, 14:00, room B1.12\n")

	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), at("2027-03-02", 12))
	require.NoError(t, err)
	line := lines(tl)
	assert.Empty(t, line["d-1"].Complaints, "an inspection has no decision term")
	assert.Len(t, line["d-2"].Complaints, 1)
	assert.Equal(t, 1, tl.Total.Complaints.Measured)
}

// Item 8: the new decision after an annulment (a successor, entered on the
// exam committee's decision) is counted as such, and its lateness against
// the assessment term is no late assessment.
func TestSuccessorAfterAnnulment(t *testing.T) {
	tr := newTrail(t)
	tr.determined("e-1")
	tr.do("e-1", student("s-1"), at("2027-03-08", 10), result.Command{Action: result.LodgeAppeal})
	tr.do("e-1", board, at("2027-04-01", 10), result.Command{Action: result.DecideAppeal, Outcome: result.Upheld,
		Reason: "the assessment form was incomplete"})
	next := tr.results["e-1"].Successor("e-1-n", grade("7.0"), result.Manual)
	tr.do("e-1-n", committee, at("2027-04-08", 10), result.Command{Action: result.Receive, Record: &next,
		Decision: "EC-2027-031"})
	tr.do("e-1-n", adm1, at("2027-04-08", 11), result.Command{Action: result.Register})
	// An assessor's late result beside it, for comparison.
	tr.receive("e-2", sessionX, "ICT-BOL-4", "KT1", "ass-1", at("2027-01-18", 11), "6.0", at("2027-02-10", 9))
	tr.do("e-2", krs, at("2027-02-10", 9), result.Command{Action: result.Register})

	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, 3, ev.Total.Results)
	assert.Equal(t, 1, ev.Total.Successors)
	assert.Equal(t, 1, ev.ByMonth[8].Successors, "April 2027, when it was received")
	assert.Equal(t, 1, ev.Total.Exceptions, "e-2's late assessment only")
	assert.Equal(t, 1, ev.Total.Annulled)
	assert.Equal(t, 0, ev.Total.AwaitingSuccessor, "its new decision is entered")
	var md bytes.Buffer
	require.NoError(t, ev.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "| – of which new decisions after annulment or correction | 1 |")
	assert.Contains(t, md.String(), "| Annulled on appeal | 1 |\n| Superseded or annulled, still without a new decision | 0 |")
	assert.Contains(t, md.String(), "| April 2027 | 1 (1 new decision) |")
	md.Reset()
	require.NoError(t, ev.WriteMarkdown(&md, timeline.Dutch))
	assert.Contains(t, md.String(), "| april 2027 | 1 (1 nieuwe beslissing) |")

	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), at("2027-04-09", 12))
	require.NoError(t, err)
	line := lines(tl)
	assert.Equal(t, report.NotApplicable, line["e-1-n"].Assessed, "a new decision, not an assessment")
	assert.Equal(t, report.NotApplicable, line["e-1-n"].Checked)
	assert.Equal(t, report.Late, line["e-2"].Assessed)
	assert.Equal(t, report.Tally{OnTime: 1, Late: 1, Measured: 2, Percent: "50.0"}, tl.Total.Assessed)
	assert.Equal(t, report.Tally{OnTime: 1, Measured: 1, Percent: "100.0"}, tl.Total.Checked)

	acc, err := report.Accountability(ctx, tr.store, cal, sessionX)
	require.NoError(t, err)
	assert.Equal(t, 1, acc.Totals.Successors)
	assert.Equal(t, 1, acc.Totals.Annulled)
	assert.Equal(t, 0, acc.Totals.AwaitingSuccessor)
	assert.Equal(t, map[string]int{"late_assessment": 1}, kinds(acc.Totals.ExceptionsByKind))
	require.Len(t, acc.Results, 3)
	n := acc.Results[1]
	assert.Equal(t, "e-1-n", n.ID)
	assert.Equal(t, "e-1", n.Supersedes)
	assert.Equal(t, "EC-2027-031", n.Decision)
	assert.Empty(t, n.Exceptions)
	// Both ways: the successor names what it replaces, the annulled
	// result its successor.
	old := acc.Results[0]
	assert.Equal(t, "annulled", old.Ended)
	assert.Equal(t, "e-1-n", old.SupersededBy)
	assert.False(t, old.AwaitingSuccessor)
	assert.Equal(t, "", n.SupersededBy)
	md.Reset()
	require.NoError(t, acc.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "- New decision after annulment or correction: replaces e-1, on the exam "+
		"committee's decision EC-2027-031\n")
	assert.Contains(t, md.String(), "- Replaced by e-1-n\n")
	md.Reset()
	require.NoError(t, acc.WriteMarkdown(&md, timeline.Dutch))
	assert.Contains(t, md.String(), "- Nieuwe beslissing na vernietiging of correctie: vervangt e-1, op besluit "+
		"EC-2027-031 van de examencommissie\n")
	assert.Contains(t, md.String(), "- Vervangen door e-1-n\n")
	var csv bytes.Buffer
	require.NoError(t, acc.WriteCSV(&csv, timeline.English))
	assert.Contains(t, csv.String(), ",e-1-n,no\n", "superseded_by and awaiting_successor of e-1")
}

// Item 9: a result delivered in time but registered late, after the exam
// administration's check, is no late assessment: the assessor was in
// time, the administration late (checked_late).
func TestCheckedLateIsNoLateAssessment(t *testing.T) {
	tr := newTrail(t)
	exam := at("2027-01-18", 11) // assessment due 8 February
	receive := func(id string, when time.Time) {
		tr.receive(id, sessionX, "ICT-BOL-4", "KT1", "ass-1", exam, "6.0", when)
	}
	receive("f-1", at("2027-02-05", 9)) // delivered in time, checked late
	tr.do("f-1", adm1, at("2027-02-10", 9), result.Command{Action: result.Register})
	receive("f-2", at("2027-02-10", 9)) // delivered late
	tr.do("f-2", krs, at("2027-02-10", 9), result.Command{Action: result.Register})
	receive("f-3", at("2027-02-04", 9)) // both in time
	tr.do("f-3", adm1, at("2027-02-05", 9), result.Command{Action: result.Register})
	receive("f-4", at("2027-02-05", 9)) // delivered in time, not checked yet

	rep, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), at("2027-02-12", 12))
	require.NoError(t, err)
	line := lines(rep)
	for id, want := range map[string][2]report.Status{
		"f-1": {report.OnTime, report.Late},
		"f-2": {report.Late, report.NotApplicable},
		"f-3": {report.OnTime, report.OnTime},
		"f-4": {report.OnTime, report.Overdue},
	} {
		assert.Equal(t, want, [2]report.Status{line[id].Assessed, line[id].Checked}, id)
	}
	assert.Equal(t, date("2027-02-05"), line["f-1"].Delivered)
	assert.Equal(t, date("2027-02-10"), line["f-1"].Registered)
	assert.Equal(t, report.Tally{OnTime: 3, Late: 1, Measured: 4, Percent: "75.0"}, rep.Total.Assessed,
		"one late assessment: f-2's")
	assert.Equal(t, report.Tally{OnTime: 1, Late: 1, Pending: 1, Overdue: 1, Measured: 2, Percent: "50.0"},
		rep.Total.Checked, "the administration's lateness, apart")

	var md, csv bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md, timeline.English))
	require.NoError(t, rep.WriteCSV(&csv, timeline.English))
	assert.Contains(t, md.String(), "| total | 4 | 3 of 4 (75.0%) | 1 of 2 (50.0%), 1 pending (1 overdue) |")
	assert.Contains(t, csv.String(), "\nf-1,ICT-2027-X,ICT-BOL-4,KT1,provisional,2027-01,2027-01-18,2027-02-08,2027-02-10,"+
		"on time,2027-03-03,term after registration,,no,pending,,,2027-02-05,late,0\n")
	md.Reset()
	csv.Reset()
	require.NoError(t, rep.WriteMarkdown(&md, timeline.Dutch))
	require.NoError(t, rep.WriteCSV(&csv, timeline.Dutch))
	assert.Contains(t, md.String(), "| totaal | 4 | 3 van 4 (75,0%) | 1 van 2 (50,0%), 1 lopend (1 over tijd) |")
	assert.Contains(t, csv.String(), "\nf-1,ICT-2027-X,ICT-BOL-4,KT1,voorlopig,2027-01,2027-01-18,2027-02-08,2027-02-10,"+
		"op tijd,2027-03-03,termijn na de registratie,,nee,lopend,,,2027-02-05,te laat,0\n")

	acc, err := report.Accountability(ctx, tr.store, cal, sessionX)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"late_assessment": 1}, kinds(acc.Totals.ExceptionsByKind), "f-2's only")
	assert.Empty(t, acc.Results[0].Exceptions, "f-1")
}

// The new states and kinds: an invalidated result appealed, annulled or
// invalidated again; a result without a grade (no_grade) and an
// offering_mismatch.
func TestInvalidationAppealed(t *testing.T) {
	tr := newTrail(t)
	exam := at("2027-01-18", 11)
	tr.do("g-1", krs, at("2027-02-05", 9), result.Command{Action: result.Receive, Record: &result.Record{
		ID: "g-1", Student: "s-1", Component: "KT1", Programme: "ICT-BOL-4", Crebo: "25604", Attempt: 1, Exam: exam,
		Assessor: "ass-1", Attendance: result.NotPresent, Source: result.OKE, Offering: sessionX}})
	tr.do("g-1", krs, at("2027-02-05", 9), result.Command{Action: result.Register})
	for _, id := range []string{"g-2", "g-3"} {
		tr.receive(id, sessionX, "ICT-BOL-4", "KT1", "ass-1", exam, "6.0", at("2027-02-05", 9))
		tr.do(id, krs, at("2027-02-05", 9), result.Command{Action: result.Register})
	}
	tr.do("g-2", adm1, at("2027-02-06", 9), result.Command{Action: result.RaiseException,
		Exception: result.OfferingMismatch, Detail: "enrolled in ICT-2027-02"})
	for _, id := range []string{"g-1", "g-2", "g-3"} {
		tr.do(id, committee, at("2027-02-10", 9), result.Command{Action: result.Invalidate, Decision: "EC-2027-040",
			Reason: "fraud"})
		tr.do(id, student("s-"+id[2:]), at("2027-02-15", 9), result.Command{Action: result.LodgeAppeal})
	}
	tr.do("g-2", board, at("2027-03-15", 9), result.Command{Action: result.DecideAppeal, Outcome: result.NotUpheld,
		Reason: "the fraud is proven"})
	tr.do("g-3", board, at("2027-03-15", 9), result.Command{Action: result.DecideAppeal, Outcome: result.Upheld,
		Reason: "the fraud is not proven"})
	require.Equal(t, result.UnderAppeal, tr.results["g-1"].State)
	require.Equal(t, result.Invalidated, tr.results["g-2"].State)
	require.Equal(t, result.Annulled, tr.results["g-3"].State)

	acc, err := report.Accountability(ctx, tr.store, cal, sessionX)
	require.NoError(t, err)
	require.Len(t, acc.Results, 3)
	g1, g2, g3 := acc.Results[0], acc.Results[1], acc.Results[2]
	assert.Equal(t, "under_appeal", g1.State)
	assert.Equal(t, "", g1.Ended, "under way again")
	assert.Equal(t, []string{report.PendingInvalidationUnderAppeal}, g1.Determination.Pending)
	assert.Equal(t, "invalidated", g2.Ended)
	assert.Equal(t, "EC-2027-040", g2.EndDecision)
	assert.Equal(t, "fraud", g2.EndReason)
	assert.Equal(t, "not_upheld", g2.Appeals[0].Outcome)
	assert.Equal(t, "annulled", g3.Ended)
	assert.Equal(t, map[string]int{"no_grade": 1, "offering_mismatch": 1}, kinds(acc.Totals.ExceptionsByKind))
	var md, csv bytes.Buffer
	require.NoError(t, acc.WriteMarkdown(&md, timeline.English))
	require.NoError(t, acc.WriteCSV(&csv, timeline.English))
	assert.Contains(t, md.String(), "| – no grade | 1 |\n| – offering mismatch | 1 |")
	assert.Contains(t, md.String(), "- Not determined: invalidated; under appeal against the invalidation\n")

	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), at("2027-04-01", 12))
	require.NoError(t, err)
	line := lines(tl)
	for _, id := range []string{"g-1", "g-2", "g-3"} {
		assert.Equal(t, report.NotApplicable, line[id].Determination, id)
		assert.Equal(t, report.OnTime, line[id].Checked, id)
	}
	// The appeal term runs from the invalidation, 10 February: until 24
	// February; the board's until 24 March, passed on 1 April.
	assert.Equal(t, report.Handling{Lodged: date("2027-02-15"), Due: date("2027-03-24"), Status: report.Overdue},
		line["g-1"].Appeals[0])
	assert.Equal(t, report.Tally{OnTime: 2, Pending: 1, Overdue: 1, Measured: 2, Percent: "100.0"}, tl.Total.Appeals)
	assert.Equal(t, report.Tally{}, tl.Total.Determined, "nothing to determine")
	md.Reset()
	require.NoError(t, tl.WriteMarkdown(&md, timeline.English))

	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, report.Outcomes{Lodged: 3, Upheld: 1, NotUpheld: 1, Open: 1}, ev.Total.Appeals)
	assert.Equal(t, 2, ev.Total.Exceptions)
	md.Reset()
	require.NoError(t, ev.WriteMarkdown(&md, timeline.English))
}
