package result

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

// The tests of this file hold the procedure to the letter of the seed, the
// WEB and the OKE agreement where an earlier version departed from it
// (issue 14). Example A: exam 18 January 2027, registered 5 February,
// inspection until 19 February, determination on 1 March, appeal until 15
// March.

func TestAResultWithoutAGradeNeedsAPerson(t *testing.T) {
	rec := record(t)
	rec.Grade, rec.Attendance = Grade{}, NotPresent
	r := &Result{}
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Receive, Record: rec})
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Register})
	assert.Equal(t, Provisional, r.State)
	assert.Equal(t, []ExceptionKind{NoGrade}, kinds(r))
	assert.Equal(t, timeline.Words{Dutch: "niet verschenen (geen cijfer)", English: "absent (no grade)"}, r.Words())

	_, err := Decide(r, Command{Action: Determine}, ctx(t, admin, at(t, "2027-03-01", 9)))
	var ce *CheckError
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Failed(CheckExceptions), "a result without a grade is not determined unchecked")
	do(t, r, admin, at(t, "2027-03-01", 8), Command{Action: ResolveException, ExceptionID: 1, Outcome: Approved,
		Reason: "absence confirmed by the assessor"})
	do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})
	assert.Equal(t, Final, r.State)

	unknown := record(t)
	unknown.Grade, unknown.Attendance = Grade{}, NotKnown
	r = &Result{}
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Receive, Record: unknown})
	_, err = Decide(r, Command{Action: Register}, ctx(t, system, at(t, "2027-02-05", 9)))
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Failed(CheckArrival), "notKnown is no result yet: %v", err)
	assert.Empty(t, r.Words().Dutch, "nothing can be told of it")
}

func TestEarlyDeterminationIsACommitteeDecision(t *testing.T) {
	early := Command{Action: DetermineEarly, Decision: "EC-2027-012", Reason: "diploma ceremony on 26 February",
		Purpose: Diploma}
	for _, tc := range []struct {
		name   string
		change func(*Command)
	}{
		{"placeholder decision", func(c *Command) { c.Decision = "-" }},
		{"n.v.t.", func(c *Command) { c.Decision = "n.v.t." }},
		{"no decision", func(c *Command) { c.Decision = "" }},
		{"no purpose", func(c *Command) { c.Purpose = "" }},
		{"another purpose", func(c *Command) { c.Purpose = "holiday" }},
	} {
		cmd := early
		tc.change(&cmd)
		_, err := Decide(provisional(t), cmd, ctx(t, committee, at(t, "2027-02-22", 9)))
		require.ErrorIs(t, err, ErrInvalidCommand, tc.name)
	}

	// Inside the inspection window only with the student's agreement.
	r := provisional(t)
	_, err := Decide(r, early, ctx(t, committee, at(t, "2027-02-09", 9)))
	var ce *CheckError
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Failed(CheckTerm))
	assert.Contains(t, err.Error(), "2027-02-19")
	agreed := early
	agreed.StudentAgreed = true
	events := do(t, r, committee, at(t, "2027-02-09", 9), agreed)
	assert.Equal(t, Diploma, events[0].Purpose)
	assert.True(t, events[0].Agreed)
	assert.True(t, r.Agreed)
	assert.Equal(t, Diploma, r.Purpose)

	// After the window the decision needs no agreement.
	r = provisional(t)
	do(t, r, committee, at(t, "2027-02-22", 9), early)
	assert.True(t, r.Early)

	// A mandate carries it only when it names it.
	set, err := NewMandateSet(Mandate{ID: "M-det", GrantedBy: "ec", To: "examenbureau", Actions: []Action{Determine},
		Scope: Scope{All: true}, From: at(t, "2026-08-01", 0)})
	require.NoError(t, err)
	c := ctx(t, admin, at(t, "2027-02-22", 9))
	c.Mandates = set
	_, err = Decide(provisional(t), early, c)
	require.ErrorIs(t, err, ErrNoMandate)
	do(t, provisional(t), admin, at(t, "2027-02-22", 9), early) // under M-2026-01, which names it
}

func TestApprovedRedeliveryPutsTheNewGrade(t *testing.T) {
	redelivered := func(r *Result, g string) *Record {
		rec := r.Record
		rec.Grade = grade(t, g)
		return &rec
	}
	r := provisional(t)
	do(t, r, system, at(t, "2027-02-10", 9), Command{Action: RaiseException, Exception: ChangedRedelivery,
		Detail: "grade 5.4 → 7.0", Record: redelivered(r, "7.0")})
	assert.Equal(t, OnHold, r.State)
	events := do(t, r, committee, at(t, "2027-02-11", 9), Command{Action: ResolveException, ExceptionID: 1,
		Outcome: Approved, Reason: "the assessor corrected a counting error"})
	assert.Equal(t, Provisional, r.State)
	assert.Equal(t, grade(t, "7.0"), r.Grade, "the new grade is in place")
	assert.Equal(t, grade(t, "5.4"), events[0].OldGrade)
	assert.Equal(t, at(t, "2027-02-11", 9), r.Registered, "its terms run afresh")

	r = provisional(t)
	do(t, r, system, at(t, "2027-02-10", 9), Command{Action: RaiseException, Exception: ChangedRedelivery,
		Record: redelivered(r, "7.0")})
	do(t, r, committee, at(t, "2027-02-11", 9), Command{Action: ResolveException, ExceptionID: 1,
		Outcome: Resolved, Reason: "the first grade stands"})
	assert.Equal(t, grade(t, "5.4"), r.Grade)
	require.NotNil(t, r.Exceptions[0].Record, "the refused re-delivery stays on record")
	assert.Equal(t, grade(t, "7.0"), r.Exceptions[0].Record.Grade)

	// A determined result changes only by a correction.
	r = provisional(t)
	do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})
	do(t, r, system, at(t, "2027-03-02", 9), Command{Action: RaiseException, Exception: ChangedRedelivery,
		Record: redelivered(r, "7.0")})
	_, err := Decide(r, Command{Action: ResolveException, ExceptionID: 1, Outcome: Approved, Reason: "r"},
		ctx(t, committee, at(t, "2027-03-03", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand)
	assert.Contains(t, err.Error(), "correction")

	_, err = Decide(provisional(t), Command{Action: RaiseException, Exception: Irregularity, Record: record(t)},
		ctx(t, system, at(t, "2027-02-10", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand, "only a changed re-delivery carries a record")
}

func TestAppealTerms(t *testing.T) {
	determined := func() *Result {
		r := provisional(t)
		do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})
		return r
	}
	r := determined()
	_, err := Decide(r, Command{Action: LodgeAppeal}, ctx(t, student, at(t, "2027-03-16", 9)))
	require.ErrorIs(t, err, ErrTermPassed, "the appeal term ended with 15 March")
	_, err = Decide(r, Command{Action: LodgeAppeal, Decision: "-"}, ctx(t, student, at(t, "2027-03-16", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand)
	events := do(t, r, student, at(t, "2027-03-16", 9), Command{Action: LodgeAppeal, Decision: "CBE-2027-07 late filing excused"})
	assert.Equal(t, "CBE-2027-07 late filing excused", events[0].Decision)

	do(t, r, board, at(t, "2027-04-01", 9), Command{Action: ExtendAppealTerm, Reason: "hearing the assessor"})
	assert.True(t, r.AppealExtended)
	assert.True(t, r.Facts().AppealExtended)
	_, err = Decide(r, Command{Action: ExtendAppealTerm, Reason: "again"}, ctx(t, board, at(t, "2027-04-02", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand, "extended once")
	do(t, r, board, at(t, "2027-04-20", 9), Command{Action: DecideAppeal, Outcome: NotUpheld, Reason: "r"})
	assert.Equal(t, Final, r.State)
	_, err = Decide(r, Command{Action: LodgeAppeal, Decision: "CBE-2027-9"}, ctx(t, student, at(t, "2027-04-21", 9)))
	require.ErrorIs(t, err, ErrTermPassed, "no second appeal after the board ruled")

	// The extension comes before the term it extends ends: four weeks
	// after 15 March is 12 April.
	r = determined()
	do(t, r, student, at(t, "2027-03-08", 9), Command{Action: LodgeAppeal})
	_, err = Decide(r, Command{Action: ExtendAppealTerm, Reason: "late"}, ctx(t, board, at(t, "2027-04-13", 9)))
	require.ErrorIs(t, err, ErrTermPassed)
	_, err = Decide(r, Command{Action: ExtendAppealTerm, Reason: "r"}, ctx(t, admin, at(t, "2027-04-01", 9)))
	require.ErrorIs(t, err, ErrWrongRole, "the board's act")
}

func TestAppealAgainstAnInvalidation(t *testing.T) {
	for _, tc := range []struct {
		outcome Outcome
		want    State
	}{{Upheld, Annulled}, {NotUpheld, Invalidated}, {Withdrawn, Invalidated}} {
		r := provisional(t)
		do(t, r, committee, at(t, "2027-02-10", 9), Command{Action: Invalidate, Reason: "fraud", Decision: "EC-2027-20"})
		assert.Equal(t, at(t, "2027-02-10", 9), r.Invalidated)
		_, err := Decide(r, Command{Action: LodgeAppeal}, ctx(t, student, at(t, "2027-02-25", 9)))
		require.ErrorIs(t, err, ErrTermPassed, "ten working days after the invalidation: 24 February")
		do(t, r, student, at(t, "2027-02-15", 9), Command{Action: LodgeAppeal})
		assert.Equal(t, UnderAppeal, r.State)
		do(t, r, board, at(t, "2027-03-10", 9), Command{Action: DecideAppeal, Outcome: tc.outcome, Reason: "r"})
		assert.Equal(t, tc.want, r.State, "%s", tc.outcome)
	}
}

func TestInspectionIsNoComplaint(t *testing.T) {
	r := provisional(t)
	_, err := Decide(r, Command{Action: GrantInspection, Detail: "x"}, ctx(t, admin, at(t, "2027-02-08", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand, "nothing asked")
	do(t, r, student, at(t, "2027-02-08", 9), Command{Action: RequestInspection})
	assert.Equal(t, Provisional, r.State, "an inspection holds nothing")
	_, err = Decide(r, Command{Action: RequestInspection}, ctx(t, student, at(t, "2027-02-08", 10)))
	require.ErrorIs(t, err, ErrInvalidCommand, "one open at a time")
	_, err = Decide(r, Command{Action: GrantInspection}, ctx(t, admin, at(t, "2027-02-09", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand, "when and where")
	events := do(t, r, admin, at(t, "2027-02-09", 9), Command{Action: GrantInspection, Detail: "12 February 10:00, room B2.14"})
	assert.Equal(t, "12 February 10:00, room B2.14", events[0].Detail)
	assert.Equal(t, at(t, "2027-02-09", 9), r.InspectionGranted)
	assert.True(t, r.ComplaintLodged.IsZero())
	do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})
	assert.Equal(t, Final, r.State, "and keeps the determination date")
}

func TestSuccessorIsEnteredOnTheCommitteesDecision(t *testing.T) {
	r := provisional(t)
	do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})
	do(t, r, student, at(t, "2027-03-08", 9), Command{Action: LodgeAppeal})
	do(t, r, board, at(t, "2027-04-01", 9), Command{Action: DecideAppeal, Outcome: Upheld, Reason: "r"})
	rec := r.Successor("assoc-1-b", grade(t, "6.0"), Manual)
	for _, decision := range []string{"", "-", "nvt"} {
		_, err := Decide(&Result{}, Command{Action: Receive, Record: &rec, Decision: decision}, ctx(t, admin, at(t, "2027-04-08", 9)))
		require.ErrorIs(t, err, ErrInvalidCommand, "%q", decision)
	}
	next := &Result{}
	events := do(t, next, committee, at(t, "2027-04-08", 9), Command{Action: Receive, Record: &rec, Decision: "EC-2027-044"})
	assert.Equal(t, "EC-2027-044", events[0].Decision)
	do(t, next, admin, at(t, "2027-04-08", 9), Command{Action: Register})
	assert.Equal(t, "EC-2027-044", next.Decision)
	assert.Empty(t, kinds(next), "the new decision is no late assessment")
}

func TestLateCheckIsNoLateAssessment(t *testing.T) {
	// The assessment term of example A's exam ends on 8 February.
	r := &Result{}
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Receive, Record: record(t)})
	do(t, r, admin, at(t, "2027-02-12", 9), Command{Action: Register})
	assert.Empty(t, kinds(r), "delivered in time, checked late by the administration")

	r = &Result{}
	do(t, r, system, at(t, "2027-02-10", 9), Command{Action: Receive, Record: record(t)})
	do(t, r, admin, at(t, "2027-02-12", 9), Command{Action: Register})
	assert.Equal(t, []ExceptionKind{LateAssessment}, kinds(r), "delivered late")
}

// A new grade the committee gives registers the result anew, after the
// assessment term: that is neither the assessor's lateness nor the
// administration's. Nor is a successor's registration, long after the exam.
func TestNewGradesAreNoLateAssessment(t *testing.T) {
	conflicts := func(r *Result) []timeline.Code {
		tl, err := timeline.New(calendar.Default(), timeline.DefaultPolicies(), r.Facts())
		require.NoError(t, err)
		var codes []timeline.Code
		for _, c := range tl.Conflicts {
			codes = append(codes, c.Code)
		}
		return codes
	}
	r := provisional(t)
	do(t, r, student, at(t, "2027-02-10", 9), Command{Action: LodgeComplaint})
	do(t, r, committee, at(t, "2027-02-17", 9), Command{Action: DecideComplaint, Outcome: Upheld, Reason: "r",
		Grade: grade(t, "6.1")})
	assert.Equal(t, at(t, "2027-02-17", 9), r.Registered)
	assert.Equal(t, at(t, "2027-02-05", 9), r.FirstRegistered)
	assert.NotContains(t, conflicts(r), timeline.CheckedLate)
	assert.NotContains(t, conflicts(r), timeline.RegisteredLate)

	do(t, r, admin, at(t, "2027-03-10", 9), Command{Action: Determine})
	do(t, r, student, at(t, "2027-03-11", 9), Command{Action: LodgeAppeal})
	do(t, r, board, at(t, "2027-04-01", 9), Command{Action: DecideAppeal, Outcome: Upheld, Reason: "r"})
	rec := r.Successor("assoc-1-b", grade(t, "6.0"), Manual)
	next := &Result{}
	do(t, next, committee, at(t, "2027-04-08", 9), Command{Action: Receive, Record: &rec, Decision: "EC-2027-044"})
	do(t, next, admin, at(t, "2027-04-08", 9), Command{Action: Register})
	assert.NotContains(t, conflicts(next), timeline.RegisteredLate)
}

func TestSeparationOfDutiesComparesPeople(t *testing.T) {
	r := provisional(t)
	do(t, r, student, at(t, "2027-02-08", 9), Command{Action: LodgeComplaint})
	decide := Command{Action: DecideComplaint, Outcome: NotUpheld, Reason: "r"}
	c := ctx(t, committee, at(t, "2027-02-10", 9))
	c.Assessors = AssessorMap{"ass-1": "ec-1"} // the committee member is the assessor, under the KRS's id
	_, err := Decide(r, decide, c)
	require.ErrorIs(t, err, ErrSeparationOfDuties)
	c.Assessors = AssessorMap{"someone-else": "x"}
	_, err = Decide(r, decide, c)
	require.ErrorIs(t, err, ErrUnknownAssessor, "a missing mapping is reported, never passed")
	assert.Contains(t, err.Error(), `"ass-1"`)
	c.Assessors = AssessorMap{"ass-1": "t-77"}
	_, err = Decide(r, decide, c)
	require.NoError(t, err)
}
