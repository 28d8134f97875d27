package result

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
	"github.com/stretchr/testify/require"
)

// Random command sequences by random actors at random moments never reach
// final without the right: the exam committee, or the exam administration
// under a mandate in force and in scope; never the result's assessor; and
// only after the determination date with no complaint open, or early by a
// committee decision (a real reference) for a diploma or certificate, with
// a reason, and inside the inspection window only with the student's
// agreement. An appeal is lodged once the board has not ruled, and late
// only on the board's decision; an inspection never holds a result.
// Replaying the events always gives the live result. The checks here are
// written independently of Decide.
func TestRandomSequencesKeepTheRules(t *testing.T) {
	sequences := 100_000
	if testing.Short() {
		sequences = 5_000
	}
	cal, policies := calendar.Default(), timeline.DefaultPolicies()
	revokedAdmin := Actor{ID: "adm-7", Role: timeline.ExamAdministration}
	mandateList := []Mandate{
		{ID: "M-team", GrantedBy: "ec", To: "examenbureau", Actions: []Action{Determine, DetermineEarly},
			Scope: Scope{Crebos: []string{"25180"}}, From: at(t, "2026-08-01", 0), Until: at(t, "2027-04-01", 0)},
		{ID: "M-exc", GrantedBy: "ec", To: "adm-1", Actions: []Action{ResolveException},
			Scope: Scope{All: true}, From: at(t, "2026-08-01", 0)},
		{ID: "M-revoked", GrantedBy: "ec", To: "adm-7", Actions: []Action{Determine},
			Scope: Scope{All: true}, From: at(t, "2026-08-01", 0), Revoked: at(t, "2027-03-03", 12)},
	}
	set, err := NewMandateSet(mandateList...)
	require.NoError(t, err)
	actors := []Actor{system, admin, outsider, revokedAdmin, committee, assessor, assessorOnCommittee,
		student, otherStudent, board}
	actions := Actions()
	grades := []Grade{{}, grade(t, "4.0"), grade(t, "6.5"), grade(t, "8.0")}
	kinds := []ExceptionKind{LateAssessment, Irregularity, GradeMismatch, ChangedRedelivery, "bogus"}
	outcomes := []Outcome{"", Resolved, Approved, Upheld, NotUpheld, Withdrawn}
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func(n int) int { return rng.IntN(n) }
	maybe := func(s string) string {
		if pick(5) == 0 {
			return ""
		}
		return s
	}

	finals, early := 0, 0
	byRole := map[timeline.Role]int{}
	for seq := range sequences {
		rec := record(t)
		rec.ID = "r"
		if pick(4) == 0 {
			rec.Crebo = "25187" // outside the team's mandate
		}
		if pick(6) == 0 {
			rec.Assessor = "ec-1" // a committee member assessed it
		}
		r := &Result{}
		var trail []Event
		now := at(t, "2027-01-25", 8)
		for range 18 {
			now = now.Add(time.Duration(pick(7*24)) * time.Hour)
			// Half the time an action the state allows, by a role that may
			// take it, so that sequences get far; the rest anything by anyone.
			a := actions[pick(len(actions))]
			actor := actors[pick(len(actors))]
			if pick(2) == 0 {
				var open []Action
				for _, tr := range transitions {
					if tr.From == r.State {
						open = append(open, tr.Action)
					}
				}
				if len(open) > 0 {
					a = open[pick(len(open))]
				}
				var fit []Actor
				for _, x := range actors {
					if slices.ContainsFunc(rights[a], func(g Grant) bool { return g.Role == x.Role }) {
						fit = append(fit, x)
					}
				}
				if len(fit) > 0 {
					actor = fit[pick(len(fit))]
				}
			}
			cmd := Command{Action: a, Reason: maybe("r"), Decision: []string{"", "-", "EC-1", "EC-1"}[pick(4)],
				Exception: kinds[pick(len(kinds))], ExceptionID: pick(4), Outcome: outcomes[pick(len(outcomes))],
				Grade: grades[pick(len(grades))], Successor: maybe("r-next"), Detail: maybe("room 1"),
				Purpose: []Purpose{"", Diploma, Certificate, Certificate}[pick(4)], StudentAgreed: pick(2) == 0}
			if a == Receive {
				cmd.Record = rec
			}
			before := *r
			events, err := r.Do(cmd, Context{Actor: actor, Mandates: set, Calendar: cal, Policies: policies, Now: now})
			if err != nil {
				continue
			}
			for _, e := range events {
				checkEvent(t, seq, &before, e, cal)
				if e.Type == EventDetermined {
					finals++
					byRole[e.Actor.Role]++
					if e.Early {
						early++
					}
					checkDetermination(t, seq, &before, e, cmd, mandateList, cal)
				}
			}
			trail = append(trail, events...)
		}
		replayed, err := Replay(trail)
		require.NoError(t, err, "sequence %d", seq)
		require.Equal(t, *r, replayed, "sequence %d: replay differs", seq)
	}
	require.Greater(t, finals, sequences/50, "too few determinations to mean anything")
	require.Greater(t, early, finals/10, "too few early determinations")
	require.Greater(t, finals-early, finals/10, "too few ordinary determinations")
	require.Greater(t, byRole[timeline.ExamAdministration], finals/10, "too few under mandate")
	t.Logf("%d sequences, %d determinations, %d early, %d under mandate", sequences, finals, early,
		byRole[timeline.ExamAdministration])
}

// checkDetermination verifies, without Decide's code, that a determination
// event was within the rules.
func checkDetermination(t *testing.T, seq int, before *Result, e Event, cmd Command, mandates []Mandate, cal *calendar.Calendar) {
	t.Helper()
	fail := func(why string) {
		t.Fatalf("sequence %d: %s determined by %s at %s: %s\nevent %+v\nbefore %+v", seq, before.ID, e.Actor.ID, e.At, why, e, *before)
	}
	if e.Actor.ID == before.Assessor {
		fail("by its assessor")
	}
	switch e.Actor.Role {
	case timeline.ExamCommittee:
	case timeline.ExamAdministration:
		i := slices.IndexFunc(mandates, func(m Mandate) bool { return m.ID == e.Mandate })
		if i < 0 {
			fail("without a mandate")
		}
		m := mandates[i]
		action := Determine
		if e.Early {
			action = DetermineEarly
		}
		switch {
		case m.To != e.Actor.ID && !slices.Contains(e.Actor.Teams, m.To):
			fail("under another's mandate")
		case !slices.Contains(m.Actions, action):
			fail("under a mandate without the action")
		case e.At.Before(m.From) || (!m.Until.IsZero() && !e.At.Before(m.Until)):
			fail("outside the mandate's period")
		case !m.Revoked.IsZero() && !e.At.Before(m.Revoked):
			fail("under a revoked mandate")
		case !m.Scope.All && !slices.Contains(m.Scope.Crebos, before.Crebo):
			fail("outside the mandate's scope")
		}
	default:
		fail("in role " + e.Actor.Role.String())
	}
	if before.State != Provisional {
		fail("from state " + before.State.String())
	}
	for _, x := range before.Exceptions {
		if x.Outcome == "" {
			fail("with an open exception")
		}
	}
	if e.Early {
		if cmd.Reason == "" || !strings.ContainsAny(cmd.Decision, "0123456789") {
			fail("early without a committee decision and reason")
		}
		if e.Purpose != Diploma && e.Purpose != Certificate {
			fail("early for no diploma or certificate")
		}
		windowEnds, err := cal.AddWorkdays(cal.Date(before.Registered), 10)
		require.NoError(t, err)
		if !cal.Date(e.At).After(windowEnds) && !cmd.StudentAgreed {
			fail("early inside the inspection window without the student's agreement")
		}
		return
	}
	// The default policy: 30 working days after the exam, and 10 + 5 after
	// registration, whichever is later.
	byExam, err := cal.AddWorkdays(cal.Date(before.Exam), 30)
	require.NoError(t, err)
	byRegistration, err := cal.AddWorkdays(cal.Date(before.Registered), 15)
	require.NoError(t, err)
	if day := cal.Date(e.At); day.Before(byExam) || day.Before(byRegistration) {
		fail("before its determination date")
	}
	if !before.ComplaintLodged.IsZero() && before.ComplaintDecided.Before(before.ComplaintLodged) {
		fail("with a complaint open")
	}
}

// checkEvent verifies, without Decide's code, the rules of appeals and
// inspections for any event.
func checkEvent(t *testing.T, seq int, before *Result, e Event, cal *calendar.Calendar) {
	t.Helper()
	fail := func(why string) {
		t.Fatalf("sequence %d: %s %s by %s at %s: %s\nevent %+v\nbefore %+v", seq, before.ID, e.Type, e.Actor.ID, e.At, why, e, *before)
	}
	switch e.Type {
	case EventInspectionAsked, EventInspectionGranted:
		if e.From != e.To {
			fail("an inspection moved the result")
		}
	case EventAppealLodged:
		if !before.AppealDecided.IsZero() {
			fail("a second appeal after the board ruled")
		}
		from := before.Determined
		if !before.Invalidated.IsZero() {
			from = before.Invalidated
		}
		ends, err := cal.AddWorkdays(cal.Date(from), 10)
		require.NoError(t, err)
		if cal.Date(e.At).After(ends) && !strings.ContainsAny(e.Decision, "0123456789") {
			fail("a late appeal without the board's decision")
		}
	}
}
