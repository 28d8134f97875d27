package result

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite STATES.md and testdata/states.mmd")

// variants builds results in every state, some states in several ways,
// and returns them with the moment after their last event.
func variants(t *testing.T) map[State][]*Result {
	t.Helper()
	out := map[State][]*Result{}
	add := func(steps ...func(r *Result)) {
		r := &Result{}
		for _, s := range steps {
			s(r)
		}
		out[r.State] = append(out[r.State], r)
	}
	step := func(actor Actor, when string, cmd Command) func(*Result) {
		return func(r *Result) { do(t, r, actor, at(t, when, 9), cmd) }
	}
	receive := step(system, "2027-02-05", Command{Action: Receive, Record: record(t)})
	register := step(system, "2027-02-05", Command{Action: Register})
	lateAssessment := step(admin, "2027-02-06", Command{Action: RaiseException, Exception: LateAssessment})
	irregularity := step(assessor, "2027-02-06", Command{Action: RaiseException, Exception: Irregularity})
	complaint := step(student, "2027-02-08", Command{Action: LodgeComplaint})
	determine := step(admin, "2027-03-01", Command{Action: Determine})
	appeal := step(student, "2027-03-05", Command{Action: LodgeAppeal})
	laterException := step(admin, "2027-03-06", Command{Action: RaiseException, Exception: UnforeseenAttempt})

	add()
	add(receive)
	add(receive, lateAssessment)
	add(receive, step(admin, "2027-02-05", Command{Action: Reject, Reason: "wrong student"}))
	add(receive, register)
	add(receive, register, lateAssessment)
	add(receive, register, complaint)
	add(receive, register, irregularity)
	add(receive, register, determine)
	add(receive, register, determine, laterException)
	add(receive, register, determine, appeal)
	add(receive, register, determine, appeal, laterException)
	add(receive, register, determine, appeal,
		step(board, "2027-03-20", Command{Action: DecideAppeal, Outcome: Upheld, Reason: "r"}))
	add(receive, register, determine,
		step(committee, "2027-03-10", Command{Action: Correct, Grade: grade(t, "6.0"), Reason: "r", Decision: "EC-5", Successor: "s"}))
	add(receive, register, step(committee, "2027-02-10", Command{Action: Invalidate, Reason: "fraud", Decision: "EC-9"}))
	inspection := step(student, "2027-02-08", Command{Action: RequestInspection})
	add(receive, register, inspection)
	add(receive, register, inspection, step(student, "2027-02-09", Command{Action: LodgeComplaint}))
	add(receive, register, inspection, determine)
	add(receive, register, inspection, determine, appeal)
	return out
}

// best returns, for an action, the actor and command that should succeed
// where the state allows it.
func best(t *testing.T, a Action, r *Result) (Actor, Command) {
	switch a {
	case Receive:
		return system, Command{Action: a, Record: record(t)}
	case Redeliver:
		rec := record(t)
		rec.Grade = grade(t, "6.6")
		return system, Command{Action: a, Record: rec}
	case Reject:
		return admin, Command{Action: a, Reason: "wrong component"}
	case Register:
		return system, Command{Action: a}
	case RaiseException:
		return admin, Command{Action: a, Exception: EnrolmentEnded}
	case ResolveException:
		id := 0
		for _, e := range r.OpenExceptions() {
			id = e.ID
		}
		return committee, Command{Action: a, ExceptionID: id, Outcome: Approved, Reason: "accepted"}
	case LodgeComplaint, LodgeAppeal, RequestInspection:
		return student, Command{Action: a}
	case GrantInspection:
		return admin, Command{Action: a, Detail: "tomorrow at 10, room B2.14"}
	case ExtendAppealTerm:
		return board, Command{Action: a, Reason: "hearing the assessor"}
	case DecideComplaint:
		return committee, Command{Action: a, Outcome: NotUpheld, Reason: "marked correctly"}
	case Determine:
		return admin, Command{Action: a}
	case DetermineEarly:
		return committee, Command{Action: a, Decision: "EC-1", Reason: "diploma", Purpose: Diploma, StudentAgreed: true}
	case DecideAppeal:
		return board, Command{Action: a, Outcome: NotUpheld, Reason: "r"}
	case Correct:
		return committee, Command{Action: a, Grade: grade(t, "6.0"), Reason: "r", Decision: "EC-5", Successor: "s"}
	case Invalidate:
		return committee, Command{Action: a, Reason: "fraud", Decision: "EC-9"}
	}
	t.Fatalf("no command for %s", a)
	return Actor{}, Command{}
}

// Every state × every action: the table's verdict is Decide's. An action
// the table allows succeeds from at least one result in that state; one
// it does not allow is refused with ErrNotAllowed from every one.
func TestEveryStateAndAction(t *testing.T) {
	vs := variants(t)
	for _, s := range append([]State{None}, States()...) {
		require.NotEmpty(t, vs[s], "no result in state %s", s)
		for _, a := range Actions() {
			_, allowed, _ := next(s, a, Always)
			var succeeded bool
			var errs []error
			for _, r := range vs[s] {
				actor, cmd := best(t, a, r)
				now := r.Updated.Add(24 * time.Hour)
				if now.Before(at(t, "2027-03-01", 9)) && (a == Determine) {
					now = at(t, "2027-03-01", 9)
				}
				before := *r
				events, err := Decide(r, cmd, ctx(t, actor, now))
				assert.Equal(t, before, *r, "Decide changed the result")
				if err == nil {
					succeeded = true
					require.NotEmpty(t, events)
					assert.Equal(t, a, actionOf(events[0]), "%s %s", s, a)
					copy := *r
					copy.Exceptions = append([]Exception(nil), r.Exceptions...)
					require.NoError(t, copy.Apply(events...), "%s %s", s, a)
					continue
				}
				errs = append(errs, err)
				if !allowed {
					assert.ErrorIs(t, err, ErrNotAllowed, "%s %s", s, a)
				} else {
					assert.False(t, errors.Is(err, ErrNotAllowed), "%s %s: %v", s, a, err)
				}
			}
			if allowed {
				assert.True(t, succeeded, "%s %s is in the table but never succeeded: %v", s, a, errs)
			} else {
				assert.False(t, succeeded, "%s %s is not in the table but succeeded", s, a)
			}
		}
	}
}

func actionOf(e Event) Action {
	if e.Type == EventDetermined && e.Early {
		return DetermineEarly
	}
	return eventAction[e.Type]
}

// The reference page and the diagram are generated from the table.
func TestDocumentIsGenerated(t *testing.T) {
	for _, g := range []struct{ path, content string }{
		{"STATES.md", Document()},
		{"testdata/states.mmd", Diagram()},
	} {
		if *update {
			require.NoError(t, os.WriteFile(g.path, []byte(g.content), 0o644))
		}
		want, err := os.ReadFile(g.path)
		require.NoError(t, err, "run go test ./result -update")
		assert.Equal(t, string(want), g.content, "%s is stale: run go test ./result -update", g.path)
	}
	d := Diagram()
	for _, tr := range transitions {
		assert.Contains(t, d, fmt.Sprintf("--> %s: %s", tr.To, tr.Action))
	}
	for _, s := range States() {
		moves := movesFrom(s)
		if !s.IsEnd() {
			assert.NotEmpty(t, moves, s.String())
			continue
		}
		// An end is left only by what comes from outside: a re-delivery
		// of a rejected result, an appeal against an invalidation.
		for _, a := range moves {
			assert.Contains(t, []Action{Redeliver, LodgeAppeal}, a, s.String())
		}
		assert.Equal(t, s == Rejected || s == Invalidated, len(moves) > 0, s.String())
	}
}

// movesFrom returns the actions that move a result out of, or within, s.
func movesFrom(s State) []Action {
	var out []Action
	for _, t := range transitions {
		if t.From == s {
			out = append(out, t.Action)
		}
	}
	return out
}

func TestTextForms(t *testing.T) {
	for _, s := range append([]State{None}, States()...) {
		text, err := s.MarshalText()
		require.NoError(t, err)
		var back State
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, s, back)
	}
	for _, a := range Actions() {
		text, err := a.MarshalText()
		require.NoError(t, err)
		var back Action
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, a, back)
	}
	var a Action
	assert.Error(t, a.UnmarshalText([]byte("vaststellen")))
	_, err := Action(0).MarshalText()
	assert.Error(t, err)
	var s State
	assert.Error(t, s.UnmarshalText([]byte("definitief")))
	assert.Equal(t, "State(42)", State(42).String())
	assert.Len(t, Transitions(), len(transitions))
	assert.Equal(t, rights[Determine], Rights(Determine))
}
