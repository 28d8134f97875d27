package result

import (
	"strings"
	"testing"

	"github.com/krs-oke/vaststelling/timeline"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProvisionalToFinalUnderMandate(t *testing.T) {
	r := provisional(t)
	assert.Equal(t, Provisional, r.State)
	assert.Equal(t, "Voorbeeldprocedure", r.Policy)
	assert.Empty(t, r.Exceptions)

	events := do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})
	require.Len(t, events, 1)
	e := events[0]
	assert.Equal(t, EventDetermined, e.Type)
	assert.Equal(t, "M-2026-01", e.Mandate)
	assert.Equal(t, Provisional, e.From)
	assert.Equal(t, Final, e.To)
	assert.Equal(t, Final, r.State)
	assert.Equal(t, admin, r.DeterminedBy)
	assert.Equal(t, "M-2026-01", r.Mandate)
	assert.Equal(t, 3, r.Version)
}

func TestRefusedDeterminationNamesEveryCheck(t *testing.T) {
	r := &Result{}
	rec := record(t)
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Receive, Record: rec})
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Register})
	do(t, r, assessor, at(t, "2027-02-08", 9), Command{Action: RaiseException, Exception: GradeMismatch, Detail: "raw 31/60"})
	do(t, r, student, at(t, "2027-02-10", 9), Command{Action: LodgeComplaint})

	_, err := Decide(r, Command{Action: Determine}, ctx(t, admin, at(t, "2027-02-15", 9)))
	require.ErrorIs(t, err, ErrChecksFailed)
	require.ErrorIs(t, err, ErrNotAllowed, "the status check failed too")
	var ce *CheckError
	require.ErrorAs(t, err, &ce)
	assert.False(t, ce.Failed(CheckArrival))
	assert.True(t, ce.Failed(CheckStatus))
	assert.True(t, ce.Failed(CheckTerm))
	assert.True(t, ce.Failed(CheckExceptions))
	assert.Equal(t, "result assoc-1: cannot determine: "+
		"right_status: the result is on_hold: a complaint is open; "+
		"term_passed: a complaint lodged on 2027-02-10 is open; "+
		"term_passed: the determination date is 2027-03-01 (after_exam); inspection and complaint are open until the end of 2027-02-19; "+
		"exceptions_closed: open: grade_mismatch #1 (raw 31/60)", err.Error())
}

func TestComplaintUpheldCorrectsTheGrade(t *testing.T) {
	r := provisional(t)
	do(t, r, student, at(t, "2027-02-10", 14), Command{Action: LodgeComplaint})
	assert.Equal(t, OnHold, r.State)

	// The assessor may not decide the complaint on their own assessment.
	_, err := Decide(r, Command{Action: DecideComplaint, Outcome: Upheld, Reason: "x"},
		ctx(t, assessorOnCommittee, at(t, "2027-02-17", 10)))
	require.ErrorIs(t, err, ErrSeparationOfDuties)

	events := do(t, r, committee, at(t, "2027-02-17", 10), Command{Action: DecideComplaint, Outcome: Upheld,
		Reason: "question 12 was marked wrongly", Grade: grade(t, "6.1")})
	e := events[0]
	assert.Equal(t, grade(t, "5.4"), e.OldGrade)
	assert.Equal(t, grade(t, "6.1"), e.Grade)
	assert.Equal(t, Provisional, r.State)
	assert.Equal(t, grade(t, "6.1"), r.Grade)
	// The corrected grade is registered anew: its terms run again.
	assert.Equal(t, at(t, "2027-02-17", 10), r.Registered)
	_, err = Decide(r, Command{Action: Determine}, ctx(t, admin, at(t, "2027-03-01", 9)))
	require.ErrorIs(t, err, ErrChecksFailed)
	assert.Contains(t, err.Error(), "the determination date is 2027-03-10 (after_registration)")
	do(t, r, admin, at(t, "2027-03-10", 9), Command{Action: Determine})
	assert.Equal(t, Final, r.State)
}

func TestAppealUpheldAnnulsThenNewDecision(t *testing.T) {
	r := provisional(t)
	do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})
	do(t, r, student, at(t, "2027-03-08", 16), Command{Action: LodgeAppeal})
	assert.Equal(t, UnderAppeal, r.State)

	_, err := Decide(r, Command{Action: DecideAppeal, Outcome: Upheld, Reason: "x", Grade: grade(t, "6.0")},
		ctx(t, board, at(t, "2027-04-01", 10)))
	require.ErrorIs(t, err, ErrInvalidCommand, "the board never sets a grade")

	do(t, r, board, at(t, "2027-04-01", 10), Command{Action: DecideAppeal, Outcome: Upheld,
		Reason: "the assessment criteria were not published"})
	assert.Equal(t, Annulled, r.State)
	assert.True(t, r.State.IsEnd())
	_, err = Decide(r, Command{Action: Determine}, ctx(t, admin, at(t, "2027-04-02", 9)))
	require.ErrorIs(t, err, ErrNotAllowed)

	// The new decision is a new result that supersedes the annulled one.
	next := &Result{}
	rec := r.Successor("assoc-1-b", grade(t, "6.0"), Manual)
	do(t, next, admin, at(t, "2027-04-08", 9), Command{Action: Receive, Record: &rec, Decision: "EC-2027-044"})
	do(t, next, admin, at(t, "2027-04-08", 9), Command{Action: Register})
	assert.Equal(t, "assoc-1", next.Supersedes)
	assert.Equal(t, Provisional, next.State)
	assert.Empty(t, kinds(next), "the committee's new decision is no late assessment")
}

func TestCorrectionAfterDetermination(t *testing.T) {
	r := provisional(t)
	do(t, r, admin, at(t, "2027-03-01", 9), Command{Action: Determine})

	cmd := Command{Action: Correct, Grade: grade(t, "6.0"), Reason: "counting error", Decision: "EC-2027-031", Successor: "assoc-1-c"}
	_, err := Decide(r, cmd, ctx(t, admin, at(t, "2027-03-15", 9)))
	require.ErrorIs(t, err, ErrWrongRole, "a correction needs the committee")
	noDecision := cmd
	noDecision.Decision = ""
	_, err = Decide(r, noDecision, ctx(t, committee, at(t, "2027-03-15", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand)

	events := do(t, r, committee, at(t, "2027-03-15", 9), cmd)
	assert.Equal(t, Superseded, r.State)
	assert.Equal(t, "assoc-1-c", r.SupersededBy)
	assert.Equal(t, grade(t, "5.4"), events[0].OldGrade)
	assert.Equal(t, grade(t, "6.0"), events[0].Grade)
}

func TestEarlyDetermination(t *testing.T) {
	r := provisional(t)
	early := Command{Action: DetermineEarly, Decision: "EC-2027-012", Reason: "diploma ceremony on 12 February",
		Purpose: Diploma, StudentAgreed: true}
	missing := early
	missing.Reason = ""
	_, err := Decide(r, missing, ctx(t, committee, at(t, "2027-02-09", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand)

	// Ordinary determination is refused before its date; early is not.
	_, err = Decide(r, Command{Action: Determine}, ctx(t, admin, at(t, "2027-02-09", 9)))
	require.ErrorIs(t, err, ErrChecksFailed)
	events := do(t, r, admin, at(t, "2027-02-09", 9), early)
	assert.True(t, events[0].Early)
	assert.Equal(t, "EC-2027-012", events[0].Decision)
	assert.Equal(t, "M-2026-01", events[0].Mandate)
	assert.True(t, r.Early)
}

func TestExceptionsRaisedByRules(t *testing.T) {
	// DOMAIN example B: registered after the assessment term.
	r := &Result{}
	rec := record(t)
	rec.Exam = at(t, "2027-04-12", 10)
	do(t, r, system, at(t, "2027-05-10", 8), Command{Action: Receive, Record: rec})
	events := do(t, r, system, at(t, "2027-05-10", 8), Command{Action: Register})
	require.Len(t, events, 2)
	assert.Equal(t, EventExceptionRaised, events[1].Type)
	require.Len(t, r.Exceptions, 1)
	ex := r.Exceptions[0]
	assert.Equal(t, LateAssessment, ex.Kind)
	// 5 May is Liberation Day, 6 May Ascension, and Friday 7 May 2027 a day
	// equal to a holiday by decree (Atw art. 3(3)), which the default
	// calendar keeps: 10 May is the first working day after the term.
	assert.Equal(t, "delivered on 2027-05-10, 1 working day after the assessment term ended on 2027-05-04", ex.Detail)
	assert.True(t, ex.Open())
	assert.Equal(t, Provisional, r.State, "a late assessment does not hold the result")

	// The determination waits for the exception.
	_, err := Decide(r, Command{Action: Determine}, ctx(t, admin, at(t, "2027-06-01", 9)))
	var ce *CheckError
	require.ErrorAs(t, err, &ce)
	require.Len(t, ce.Failures, 1)
	assert.Equal(t, CheckExceptions, ce.Failures[0].Check)
	assert.Equal(t, "open: late_assessment #1 ("+ex.Detail+")", ce.Failures[0].Reason)
	assert.Equal(t, "open: te late beoordeling #1 ("+ex.Detail+")", ce.Failures[0].Because.Dutch)

	// The exam administration approves it under mandate; who, when and why is kept.
	do(t, r, admin, at(t, "2027-05-12", 9), Command{Action: ResolveException, ExceptionID: 1, Outcome: Approved,
		Reason: "assessor was ill, confirmed by team leader"})
	ex = r.Exceptions[0]
	assert.Equal(t, Approved, ex.Outcome)
	assert.Equal(t, admin, ex.ClosedBy)
	assert.Equal(t, "M-2026-02", ex.Mandate)
	assert.Equal(t, at(t, "2027-05-12", 9), ex.Closed)
	do(t, r, admin, at(t, "2027-06-01", 9), Command{Action: Determine})
	assert.Equal(t, Final, r.State)

	// Registered before the exam.
	r = &Result{}
	rec = record(t)
	do(t, r, system, at(t, "2027-01-15", 8), Command{Action: Receive, Record: rec})
	do(t, r, system, at(t, "2027-01-15", 8), Command{Action: Register})
	assert.Equal(t, []ExceptionKind{RegisteredBeforeExam}, kinds(r))
}

func TestHoldingExceptions(t *testing.T) {
	r := provisional(t)
	do(t, r, assessor, at(t, "2027-02-08", 9), Command{Action: RaiseException, Exception: Irregularity, Detail: "phone use"})
	assert.Equal(t, OnHold, r.State)
	do(t, r, student, at(t, "2027-02-09", 9), Command{Action: LodgeComplaint})

	// Only the committee resolves an irregularity, even for a mandated administrator.
	_, err := Decide(r, Command{Action: ResolveException, ExceptionID: 1, Outcome: Resolved, Reason: "x"},
		ctx(t, admin, at(t, "2027-02-10", 9)))
	require.ErrorIs(t, err, ErrWrongRole)
	assert.Contains(t, err.Error(), "only the exam committee resolves irregularity")

	do(t, r, committee, at(t, "2027-02-10", 9), Command{Action: ResolveException, ExceptionID: 1, Outcome: Resolved,
		Reason: "no effect on the result"})
	assert.Equal(t, OnHold, r.State, "the complaint still holds it")
	do(t, r, committee, at(t, "2027-02-12", 9), Command{Action: DecideComplaint, Outcome: NotUpheld, Reason: "marked correctly"})
	assert.Equal(t, Provisional, r.State)
	_, err = Decide(r, Command{Action: ResolveException, ExceptionID: 1, Outcome: Resolved, Reason: "again"},
		ctx(t, committee, at(t, "2027-02-12", 10)))
	require.ErrorIs(t, err, ErrInvalidCommand)
	assert.Contains(t, err.Error(), "irregularity #1 (phone use) was resolved on 2027-02-10")
}

func TestPermissions(t *testing.T) {
	r := provisional(t)
	deadline := at(t, "2027-03-01", 9)
	cases := []struct {
		name    string
		actor   Actor
		now     string
		cmd     Command
		kind    error
		missing string
	}{
		{"a student may not determine", student, "2027-03-01", Command{Action: Determine}, ErrWrongRole,
			"the role student may not determine; it is for exam_committee, exam_administration under mandate"},
		{"no mandate at all", outsider, "2027-03-01", Command{Action: Determine}, ErrNoMandate,
			"no mandate grants determine to adm-9 or their teams"},
		{"the mandate expired", admin, "2027-08-02", Command{Action: Determine}, ErrNoMandate,
			"no mandate for determine is in force and in scope: mandate M-2026-01 expired on 2027-08-01 00:00:00"},
		{"the assessor judges their own result", assessorOnCommittee, "2027-03-01", Command{Action: Determine},
			ErrSeparationOfDuties, "ass-1 assessed this result"},
		{"another student complains", otherStudent, "2027-02-10", Command{Action: LodgeComplaint},
			ErrSeparationOfDuties, "stu-2 is not the result's student"},
		{"an anonymous actor", Actor{Role: timeline.ExamCommittee}, "2027-03-01", Command{Action: Determine},
			ErrWrongRole, "the actor has no id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decide(r, tc.cmd, ctx(t, tc.actor, at(t, tc.now, 9)))
			require.ErrorIs(t, err, ErrForbidden)
			require.ErrorIs(t, err, tc.kind)
			var pe *PermissionError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.missing, pe.Missing)
			assert.Equal(t, "assoc-1", pe.Result)
			assert.Equal(t, tc.cmd.Action, pe.Action)
			assert.Contains(t, err.Error(), tc.actor.ID)
		})
	}

	// Out of scope, and revoked.
	set, err := NewMandateSet(
		Mandate{ID: "M-a", GrantedBy: "ec", To: "adm-1", Actions: []Action{Determine},
			Scope: Scope{Crebos: []string{"25187"}}, From: at(t, "2026-08-01", 0)},
		Mandate{ID: "M-b", GrantedBy: "ec", To: "examenbureau", Actions: []Action{Determine},
			Scope: Scope{All: true}, From: at(t, "2026-08-01", 0), Revoked: at(t, "2027-02-20", 12)},
	)
	require.NoError(t, err)
	c := ctx(t, admin, deadline)
	c.Mandates = set
	_, err = Decide(r, Command{Action: Determine}, c)
	require.ErrorIs(t, err, ErrNoMandate)
	assert.Contains(t, err.Error(), `mandate M-a does not cover crebo "25180"; mandate M-b was revoked on 2027-02-20 12:00:00`)
	c.Now = at(t, "2027-02-20", 11)
	_, err = Decide(r, Command{Action: Determine}, c)
	assert.ErrorIs(t, err, ErrChecksFailed, "before the revocation the mandate holds; the term does not")
}

func TestMandateValidation(t *testing.T) {
	_, err := NewMandateSet(Mandate{ID: "x"}, Mandate{ID: "x", GrantedBy: "ec", To: "a", Actions: []Action{Determine},
		Scope: Scope{All: true}, From: at(t, "2027-01-01", 0), Until: at(t, "2026-01-01", 0)})
	require.ErrorIs(t, err, ErrInvalidMandate)
	for _, want := range []string{"granted_by is required", "to is required", "grants no action", "scope is empty",
		"from is required", "the id is used twice", "until is not after from"} {
		assert.Contains(t, err.Error(), want)
	}
	set, err := LoadMandates(strings.NewReader(`[{"id": "M1", "granted_by": "ec", "to": "examenbureau",
		"actions": ["determine", "resolve_exception"], "scope": {"crebos": ["25180"]}, "from": "2026-08-01T00:00:00+02:00"}]`))
	require.NoError(t, err)
	assert.Equal(t, []Action{Determine, ResolveException}, set.Mandates()[0].Actions)
	_, err = LoadMandates(strings.NewReader(`[{"id": "M1", "actions": ["vaststellen"]}]`))
	assert.ErrorIs(t, err, ErrInvalidMandate)
	_, err = LoadMandates(strings.NewReader(`[{"id": "M1", "scopes": {}}]`))
	assert.ErrorIs(t, err, ErrInvalidMandate)
}

func TestCommandsNeedWhatTheyNeed(t *testing.T) {
	r := provisional(t)
	now := at(t, "2027-02-10", 9)
	for _, tc := range []struct {
		actor Actor
		cmd   Command
		text  string
	}{
		{committee, Command{Action: Invalidate, Reason: "fraud"}, "decision to invalidate (Decision) is required"},
		{committee, Command{Action: Invalidate, Decision: "EC-1"}, "a reason is required"},
		{admin, Command{Action: RaiseException, Exception: "weather"}, `unknown exception kind "weather"`},
		{committee, Command{Action: ResolveException, ExceptionID: 3, Outcome: Resolved, Reason: "x"}, "no exception 3"},
		{student, Command{Action: Action(99)}, "unknown action 99"},
	} {
		_, err := Decide(r, tc.cmd, ctx(t, tc.actor, now))
		require.ErrorIs(t, err, ErrInvalidCommand, tc.text)
		assert.Contains(t, err.Error(), tc.text)
	}
	// Time never runs backwards.
	_, err := Decide(r, Command{Action: LodgeComplaint}, ctx(t, student, at(t, "2027-02-01", 9)))
	require.ErrorIs(t, err, ErrInvalidCommand)
	assert.Contains(t, err.Error(), "before the result's last event")
	_, err = Decide(r, Command{Action: LodgeComplaint}, Context{Actor: student})
	require.ErrorIs(t, err, ErrInvalidCommand)

	// An incomplete record is not registered.
	r = &Result{}
	rec := record(t)
	rec.Assessor, rec.Attempt = "", 0
	do(t, r, system, now, Command{Action: Receive, Record: rec})
	_, err = Decide(r, Command{Action: Register}, ctx(t, system, now))
	var ce *CheckError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, []Failure{{CheckArrival, "attempt: 0, want 1 or more, assessor: missing",
		timeline.Words{Dutch: "poging: 0, verwacht 1 of meer, examinator: ontbreekt",
			English: "attempt: 0, want 1 or more, assessor: missing"}}}, ce.Failures)
	assert.Equal(t, "resultaat assoc-1: kan niet registreren: correct aangeleverd: poging: 0, verwacht 1 of meer, examinator: ontbreekt",
		Explain(err).Dutch)
}

func TestReplayGivesTheSameResult(t *testing.T) {
	r := &Result{}
	var all []Event
	step := func(actor Actor, when string, h int, cmd Command) {
		all = append(all, do(t, r, actor, at(t, when, h), cmd)...)
	}
	rec := record(t)
	rec.Exam = at(t, "2027-04-12", 10)
	step(system, "2027-05-10", 8, Command{Action: Receive, Record: rec})
	step(system, "2027-05-10", 8, Command{Action: Register})
	step(student, "2027-05-12", 8, Command{Action: LodgeComplaint})
	step(committee, "2027-05-14", 8, Command{Action: DecideComplaint, Outcome: Upheld, Reason: "r", Grade: grade(t, "5.8")})
	step(committee, "2027-05-14", 9, Command{Action: ResolveException, ExceptionID: 1, Outcome: Approved, Reason: "ok"})
	step(admin, "2027-06-15", 9, Command{Action: Determine})
	step(student, "2027-06-20", 9, Command{Action: LodgeAppeal})
	step(board, "2027-07-10", 9, Command{Action: DecideAppeal, Outcome: NotUpheld, Reason: "r"})

	replayed, err := Replay(all)
	require.NoError(t, err)
	assert.Equal(t, *r, replayed)
	assert.Equal(t, Final, replayed.State)
	assert.Equal(t, len(all), replayed.Version)

	// A trail with a gap, a forged move or a foreign event is refused.
	_, err = Replay(append(all[:2:2], all[3:]...))
	assert.ErrorIs(t, err, ErrInvalidEvent)
	forged := append([]Event(nil), all...)
	forged[3].To = Final
	_, err = Replay(forged)
	assert.ErrorIs(t, err, ErrInvalidEvent)
	assert.Contains(t, err.Error(), "no move provisional → final by lodge_complaint")
	foreign := append([]Event(nil), all...)
	foreign[4].Result = "assoc-2"
	_, err = Replay(foreign)
	assert.ErrorIs(t, err, ErrInvalidEvent)
}

func kinds(r *Result) []ExceptionKind {
	var out []ExceptionKind
	for _, e := range r.Exceptions {
		out = append(out, e.Kind)
	}
	return out
}

// Before registration a re-delivery replaces the record; the old one stays in the trail.
func TestRedeliveryBeforeRegistration(t *testing.T) {
	r := &Result{}
	first := record(t)
	first.Grade, first.Attendance = Grade{}, NotKnown
	var trail []Event
	trail = append(trail, do(t, r, system, at(t, "2027-01-19", 9), Command{Action: Receive, Record: first})...)
	second := record(t)
	events := do(t, r, system, at(t, "2027-02-01", 9), Command{Action: Redeliver, Record: second})
	trail = append(trail, events...)
	assert.Equal(t, Received, r.State)
	assert.Equal(t, grade(t, "5.4"), r.Grade)
	assert.Equal(t, Grade{}, events[0].OldGrade)
	assert.Equal(t, first, trail[0].Record, "the first delivery is kept")

	other := record(t)
	other.ID = "assoc-2"
	_, err := Decide(r, Command{Action: Redeliver, Record: other}, ctx(t, system, at(t, "2027-02-01", 10)))
	require.ErrorIs(t, err, ErrInvalidCommand)

	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Register})
	_, err = Decide(r, Command{Action: Redeliver, Record: second}, ctx(t, system, at(t, "2027-02-06", 9)))
	require.ErrorIs(t, err, ErrNotAllowed, "after publication a re-delivery is an exception, not an overwrite")
}

// A second complaint after the first was decided is open; the timeline
// sees it so (found by FuzzDecide).
func TestSecondComplaint(t *testing.T) {
	r := provisional(t)
	do(t, r, student, at(t, "2027-02-08", 9), Command{Action: LodgeComplaint})
	do(t, r, committee, at(t, "2027-02-09", 9), Command{Action: DecideComplaint, Outcome: NotUpheld, Reason: "r"})
	do(t, r, student, at(t, "2027-02-10", 9), Command{Action: LodgeComplaint})
	assert.Equal(t, OnHold, r.State)
	f := r.Facts()
	assert.True(t, f.ComplaintDecided.IsZero())
	_, err := Decide(r, Command{Action: Determine}, ctx(t, admin, at(t, "2027-03-01", 9)))
	var ce *CheckError
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Failed(CheckStatus))
	assert.True(t, ce.Failed(CheckTerm))
}

// AppendDo puts a command's events after the ones given, applies only
// them, and leaves the slice as it was when the command is refused.
func TestAppendDoAppends(t *testing.T) {
	r := provisional(t)
	before := Event{Result: "other", Seq: 9, Type: EventReceived}
	dst := make([]Event, 1, 4)
	dst[0] = before
	refused, err := r.AppendDo(dst, Command{Action: Determine}, ctx(t, admin, at(t, "2027-02-15", 9)))
	require.Error(t, err)
	assert.Equal(t, dst, refused)
	assert.Equal(t, Provisional, r.State, "a refused command changes nothing")

	events, err := r.AppendDo(dst, Command{Action: Determine}, ctx(t, admin, at(t, "2027-03-01", 9)))
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.Equal(t, before, events[0])
	assert.Equal(t, EventDetermined, events[1].Type)
	assert.Equal(t, Final, r.State)
	assert.Equal(t, 3, r.Version, "only the new event applied")
}
