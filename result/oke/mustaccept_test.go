package oke

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	unlimited = "a1000000-0000-4000-8000-000000000004" // s-104, attempt 1, attempts_left null
	extra2    = "a1000000-0000-4000-8000-0000000000d2" // a new association for an extra attempt
)

var admin = result.Actor{ID: "examenbureau-1", Role: timeline.ExamAdministration}

// rejectedByAPerson delivers the first score, held for the import check,
// and has the exam administration reject it at 10:00.
func rejectedByAPerson(t *testing.T, in *Intake) {
	t.Helper()
	in.HoldForCheck = true
	deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	r := stored(t, in, first)
	events, err := r.Do(result.Command{Action: result.Reject, Reason: "the score belongs to another sitting"},
		result.Context{Actor: admin, Now: at("2027-02-05", 10)})
	require.NoError(t, err)
	require.NoError(t, in.Store.Save(r, events))
	in.HoldForCheck = false
}

// An acceptCase is a delivery the agreement has the KRS accept (§3.5.3):
// taken in, answered 2xx, with an exception for a person.
type acceptCase struct {
	name   string
	setup  func(t *testing.T, in *Intake) // what happened before; nil for nothing
	method Method
	id     string
	body   []byte
	now    time.Time
	codes  []Code       // the receipt's reasons: the exceptions raised, and why it was not registered
	state  result.State // the result's state after
	check  func(t *testing.T, r result.Result, reasons []Reason)
}

func mustAcceptCases(t *testing.T) []acceptCase {
	delivered := at("2027-02-05", 9)
	return []acceptCase{{
		name: "re-sent after a person rejected it", setup: rejectedByAPerson,
		method: Patch, id: first, body: message(t, first, 1), now: at("2027-02-06", 9),
		codes: []Code{Code(result.RedeliveredRejected), CodeNotRegistered}, state: result.Received,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "delivered again after result "+first+" was rejected at 2027-02-05T10:00:00+01:00 "+
				"by examenbureau-1: the score belongs to another sitting; the same record as before", reasons[0].Message)
			assert.Equal(t, "the result waits, received, for a person: it was rejected before, "+
				"and the exam administration decides on it anew", reasons[1].Message)
			assert.Equal(t, "8.7", r.Grade.String())
		},
	}, {
		name: "re-sent changed after a person rejected it", setup: rejectedByAPerson,
		method: Patch, id: first, now: at("2027-02-06", 9),
		body:  message(t, first, 1, func(m, res, rc map[string]any) { res["score"] = "10.0"; rc["rawScore"] = 75 }),
		codes: []Code{Code(result.RedeliveredRejected), CodeNotRegistered}, state: result.Received,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Contains(t, reasons[0].Message, "; a changed re-delivery: grade 8.7 → 10.0; raw score 65/75 → 75/75")
			assert.Equal(t, "10.0", r.Grade.String(), "the record re-delivered, for the exam administration to judge")
		},
	}, {
		name:   "PUT naming another offering",
		method: Put, id: extra2, now: delivered,
		body: message(t, first, 2, func(m, res, rc map[string]any) {
			m["associationId"], m["offering"] = extra2, "b2000000-0000-4000-8000-0000000000aa"
			rc["testDate"] = "2027-02-04T11:00:00+01:00"
		}),
		codes: []Code{Code(result.OfferingMismatch)}, state: result.Provisional,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "the delivery names offering b2000000-0000-4000-8000-0000000000aa, the enrolment "+session,
				reasons[0].Message)
			assert.Equal(t, session, r.Offering, "the record keeps the enrolment's offering")
			assert.Equal(t, first, r.Retakes)
		},
	}, {
		name:   "PATCH naming another attempt than the enrolment's",
		method: Patch, id: first, body: message(t, first, 2), now: delivered,
		codes: []Code{Code(result.AttemptMismatch)}, state: result.Provisional,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "the delivery names attempt 2, the enrolment is attempt 1; "+
				"the result keeps attempt 1, the enrolment's", reasons[0].Message)
			assert.Equal(t, 1, r.Attempt, "the KRS is the truth for planning")
		},
	}, {
		name:   "testDate minutes ahead of the KRS clock",
		method: Patch, id: first, now: delivered,
		body:  message(t, first, 1, func(m, res, rc map[string]any) { rc["testDate"] = "2027-02-05T09:10:00+01:00" }),
		codes: []Code{Code(result.ExamDateUnconfirmed)}, state: result.Provisional,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "the exam at 2027-02-05T09:10:00+01:00 lies 10m0s ahead of the KRS clock at "+
				"2027-02-05T09:00:00+01:00, within the 15m0s clocks may differ; a person confirms the exam date",
				reasons[0].Message)
			assert.Equal(t, at("2027-02-05", 9).Add(10*time.Minute), r.Exam)
		},
	}, {
		name:   "testDate days ahead of the KRS clock",
		method: Patch, id: first, now: delivered,
		body:  message(t, first, 1, func(m, res, rc map[string]any) { rc["testDate"] = "2027-03-01T09:00:00+01:00" }),
		codes: []Code{Code(result.ExamDateUnconfirmed), CodeNotRegistered}, state: result.Received,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "the exam at 2027-03-01T09:00:00+01:00 lies 576h0m0s ahead of the KRS clock at "+
				"2027-02-05T09:00:00+01:00, more than the 15m0s clocks may differ; a person confirms the exam date",
				reasons[0].Message)
			assert.Equal(t, "the result waits, received, for a person: the exam date lies ahead of the KRS clock",
				reasons[1].Message)
		},
	}, {
		name:   "completed without a score",
		method: Patch, id: first, now: delivered,
		body:  message(t, first, 1, func(m, res, rc map[string]any) { delete(res, "score") }),
		codes: []Code{Code(result.NoGrade), CodeNotRegistered}, state: result.Received,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "a completed result of a student who was present came without a score", reasons[0].Message)
			assert.True(t, r.Grade.IsZero())
		},
	}, {
		name:   "extra attempt that does not come after the enrolment's",
		method: Put, id: extra2, now: delivered,
		body: message(t, first, 1, func(m, res, rc map[string]any) {
			m["associationId"] = extra2
			rc["testDate"] = "2027-02-04T11:00:00+01:00"
		}),
		codes: []Code{Code(result.UnforeseenAttempt)}, state: result.Provisional,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "attempt 1, delivered as a new association, does not come after the enrolment's attempt 1",
				reasons[0].Message)
			assert.Equal(t, 1, r.Attempt, "a new association keeps the number delivered")
		},
	}, {
		name: "extra attempt whose number was delivered before",
		setup: func(t *testing.T, in *Intake) {
			rc := deliver(t, in, Put, extra2, message(t, first, 2, func(m, res, rc map[string]any) {
				rc["testDate"] = "2027-02-04T11:00:00+01:00"
			}), at("2027-02-05", 8))
			require.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
		},
		method: Put, id: "a1000000-0000-4000-8000-0000000000d3", now: delivered,
		body: message(t, first, 2, func(m, res, rc map[string]any) {
			res["score"], rc["rawScore"] = "10.0", 75
			rc["testDate"] = "2027-02-04T13:00:00+01:00"
		}),
		codes: []Code{Code(result.UnforeseenAttempt)}, state: result.Provisional,
		check: func(t *testing.T, r result.Result, reasons []Reason) {
			assert.Equal(t, "attempt 2 was delivered before as association "+extra2+
				"; this association brings another result for it", reasons[0].Message)
		},
	}}
}

// TestMustAcceptAtIntake: each case is taken in with its exception, never
// rejected (issue 14).
func TestMustAcceptAtIntake(t *testing.T) {
	for _, tc := range mustAcceptCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			in := newIntake(t)
			if tc.setup != nil {
				tc.setup(t, in)
			}
			rc := deliver(t, in, tc.method, tc.id, tc.body, tc.now)
			require.Equal(t, Exception, rc.Outcome, "%v", rc.Reasons)
			require.Equal(t, tc.codes, codes(rc.Reasons), "%v", rc.Reasons)
			r := stored(t, in, tc.id)
			assert.Equal(t, tc.state, r.State)
			open := map[Code]bool{}
			for _, e := range r.OpenExceptions() {
				open[Code(e.Kind)] = true
			}
			for _, c := range tc.codes {
				if c != CodeNotRegistered {
					assert.True(t, open[c], "exception %s is open for a person", c)
				}
			}
			tc.check(t, r, rc.Reasons)

			// The same delivery again changes nothing.
			again := deliver(t, in, tc.method, tc.id, tc.body, tc.now.Add(time.Hour))
			assert.Equal(t, Duplicate, again.Outcome, "%v", again.Reasons)
			assert.Empty(t, again.Events)
		})
	}
}

// TestMustAcceptOverHTTP: each case is answered 200 with the exception in
// the receipt, not 400.
func TestMustAcceptOverHTTP(t *testing.T) {
	for _, tc := range mustAcceptCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			in := newIntake(t)
			if tc.setup != nil {
				tc.setup(t, in)
			}
			h, err := NewHandler(IntakeTaker(in), HandlerConfig{Authorize: bearer, Clock: func() time.Time { return tc.now }})
			require.NoError(t, err)
			srv := httptest.NewServer(h)
			defer srv.Close()
			res, a := send(t, srv, string(tc.method), "/ooapi/associations/"+tc.id, "good", tc.body)
			assert.Equal(t, http.StatusOK, res.StatusCode, "%+v", a)
			assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
			assert.Equal(t, Exception, a.Outcome)
			assert.Equal(t, string(Exception), a.Title)
			assert.Equal(t, tc.codes, codes(a.Reasons))
			assert.Equal(t, a.Reasons[0].Message, strings.SplitN(a.Detail, " (and ", 2)[0])
			assert.Equal(t, tc.state, stored(t, in, tc.id).State)
		})
	}
}

// TestStillRejected: what the agreement lets the KRS refuse is still a 400.
func TestStillRejected(t *testing.T) {
	srv, in := server(t)
	cases := []struct {
		name, method, id string
		body             []byte
		code             Code
	}{
		{"unknown enrolment", "PATCH", "x-1", message(t, "x-1", 1), CodeUnknownAssociation},
		{"PATCH before the PUT of an extra attempt", "PATCH", extra2, message(t, first, 2), CodeUnknownAssociation},
		{"another student", "PUT", extra2, message(t, first, 2, func(m, res, rc map[string]any) { m["person"] = "s-999" }),
			CodeWrongStudent},
		{"score off the scale", "PATCH", first, message(t, first, 1, func(m, res, rc map[string]any) { res["score"] = "V" }),
			CodeScoreScale},
		{"testDate that is no date", "PATCH", first, message(t, first, 1, func(m, res, rc map[string]any) {
			rc["testDate"] = "tomorrow"
		}), CodeInvalidDate},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, a := send(t, srv, tc.method, "/ooapi/associations/"+tc.id, "good", tc.body)
			assert.Equal(t, http.StatusBadRequest, res.StatusCode)
			assert.Equal(t, Rejected, a.Outcome)
			assert.Equal(t, []Code{tc.code}, codes(a.Reasons))
		})
	}
	_, made := in.Store.Result(first)
	assert.False(t, made)
}

// TestClockSkew: the skew in force, set or not, and where it divides a
// clock difference from a date that has not come.
func TestClockSkew(t *testing.T) {
	now := at("2027-02-05", 9)
	cases := []struct {
		name  string
		skew  time.Duration
		ahead time.Duration
		codes []Code
		state result.State
	}{
		{"default, at the skew", 0, DefaultClockSkew, []Code{Code(result.ExamDateUnconfirmed)}, result.Provisional},
		{"default, past the skew", 0, DefaultClockSkew + time.Second,
			[]Code{Code(result.ExamDateUnconfirmed), CodeNotRegistered}, result.Received},
		{"an hour", time.Hour, 50 * time.Minute, []Code{Code(result.ExamDateUnconfirmed)}, result.Provisional},
		{"none", -1, time.Second, []Code{Code(result.ExamDateUnconfirmed), CodeNotRegistered}, result.Received},
		{"none, the exam now", -1, 0, nil, result.Provisional},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := newIntake(t)
			in.ClockSkew = tc.skew
			exam := now.Add(tc.ahead).Format(time.RFC3339)
			rc := deliver(t, in, Patch, first, message(t, first, 1, func(m, res, rc map[string]any) { rc["testDate"] = exam }), now)
			assert.Equal(t, tc.codes, codes(rc.Reasons), "%v", rc.Reasons)
			assert.Equal(t, tc.state, stored(t, in, first).State)
		})
	}
}

// TestAttemptsLeft: attempts_left absent or null in the directory is no
// limit, 0 none; the limit bounds the extra attempts foreseen.
func TestAttemptsLeft(t *testing.T) {
	dir := directory(t)
	a, ok := dir.Association(unlimited)
	require.True(t, ok)
	assert.Nil(t, a.AttemptsLeft, "attempts_left null")
	a, _ = dir.Association("5a52f86b-edcd-4f7f-9ea9-c8617f6043b6")
	require.NotNil(t, a.AttemptsLeft)
	assert.Equal(t, 0, *a.AttemptsLeft, "attempts_left 0 is none, not no limit")

	loaded, err := LoadDirectory(strings.NewReader(`{"components": [{"code": "C", "scale": "0-10"}],
		"associations": [{"id": "absent", "student": "s", "component": "C", "attempt": 1},
			{"id": "null", "student": "s", "component": "C", "attempt": 1, "attempts_left": null},
			{"id": "zero", "student": "s", "component": "C", "attempt": 1, "attempts_left": 0},
			{"id": "two", "student": "s", "component": "C", "attempt": 1, "attempts_left": 2}]}`))
	require.NoError(t, err)
	for id, want := range map[string]*int{"absent": nil, "null": nil, "zero": new(0), "two": new(2)} {
		a, _ := loaded.Association(id)
		assert.Equal(t, want, a.AttemptsLeft, id)
	}

	_, err = NewMemory([]Association{{ID: "a", Student: "s", Component: "C", Attempt: 1, AttemptsLeft: new(-1)}},
		[]Component{{Code: "C", Scale: result.Decimal0To10}})
	require.ErrorIs(t, err, ErrInvalidDirectory)
	assert.Contains(t, err.Error(), "attempts_left -1, want 0 or more, or null for no limit")

	// The directory keeps its own copy: the caller's int may change.
	left := 1
	m, err := NewMemory([]Association{{ID: "a", Student: "s", Component: "C", Attempt: 1, AttemptsLeft: &left}},
		[]Component{{Code: "C", Scale: result.Decimal0To10}})
	require.NoError(t, err)
	left = 5
	a, _ = m.Association("a")
	assert.Equal(t, 1, *a.AttemptsLeft)

	// Without a limit, no extra attempt is beyond those allowed: attempts
	// 2 to 6 are foreseen, in turn.
	in := newIntake(t)
	for n := 2; n <= 6; n++ {
		id := "a1000000-0000-4000-8000-0000000000e" + string(rune('0'+n))
		rc := deliver(t, in, Put, id, message(t, unlimited, n, func(m, res, rc map[string]any) {
			rc["testDate"] = "2027-02-04T11:00:00+01:00"
		}), at("2027-02-05", 9))
		assert.Equal(t, Accepted, rc.Outcome, "attempt %d: %v", n, rc.Reasons)
	}
	// A gap is still unforeseen, limit or not.
	rc := deliver(t, in, Put, "a1000000-0000-4000-8000-0000000000e9", message(t, unlimited, 9, func(m, res, rc map[string]any) {
		rc["testDate"] = "2027-02-04T11:00:00+01:00"
	}), at("2027-02-05", 9))
	assert.Equal(t, []Code{Code(result.UnforeseenAttempt)}, codes(rc.Reasons))
	assert.Equal(t, "attempt 9 follows attempt 6", rc.Reasons[0].Message)

	// With a limit of 1, attempt 3 is beyond it.
	rc = deliver(t, in, Put, extra2, message(t, first, 2), at("2027-02-05", 9))
	assert.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
	rc = deliver(t, in, Put, "a1000000-0000-4000-8000-0000000000d3", message(t, first, 3), at("2027-02-05", 9))
	assert.Equal(t, []string{"attempt 3, beyond the 1 extra attempts the KRS allowed"}, messages(rc.Reasons))
}

func messages(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Message)
	}
	return out
}

// TestChangedRedeliveryKeepsTheRecord: a changed re-delivery of a
// published result raises a ChangedRedelivery that keeps the record
// re-delivered; approving it puts the record in place, refusing it keeps
// the old, and both stay in the trail (Table 4.3.D).
func TestChangedRedeliveryKeepsTheRecord(t *testing.T) {
	changed := message(t, first, 1, func(m, res, rc map[string]any) {
		res["score"], rc["rawScore"] = "10.0", 75
		rc["executedOfferingName"] = "KT1-W2 herkansing"
	})
	committee := result.Actor{ID: "ec-voorzitter", Role: timeline.ExamCommittee}
	for _, outcome := range []result.Outcome{result.Approved, result.Resolved} {
		t.Run(string(outcome), func(t *testing.T) {
			in := newIntake(t)
			deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
			rc := deliver(t, in, Patch, first, changed, at("2027-02-08", 9))
			require.Equal(t, Exception, rc.Outcome, "%v", rc.Reasons)
			require.Equal(t, []Code{Code(result.ChangedRedelivery)}, codes(rc.Reasons))
			assert.Equal(t, "a changed re-delivery: grade 8.7 → 10.0; raw score 65/75 → 75/75; "+
				"session variant12 → KT1-W2 herkansing", rc.Reasons[0].Message)
			require.Len(t, rc.Events, 1)
			kept := rc.Events[0].Exception.Record
			require.NotNil(t, kept, "the exception keeps the record re-delivered")
			assert.Equal(t, "10.0", kept.Grade.String())

			r := stored(t, in, first)
			assert.Equal(t, "8.7", r.Grade.String(), "never overwritten by the delivery")
			assert.Equal(t, result.OnHold, r.State)
			assert.Equal(t, []string{first}, in.Store.Session(sessionName))

			// The same changed delivery again: its exception is open already.
			again := deliver(t, in, Patch, first, changed, at("2027-02-08", 10))
			assert.Equal(t, Duplicate, again.Outcome, "%v", again.Reasons)
			assert.Empty(t, again.Events)

			ex := r.OpenExceptions()[0]
			events, err := r.Do(result.Command{Action: result.ResolveException, ExceptionID: ex.ID, Outcome: outcome,
				Reason: "item 12 was withdrawn"}, result.Context{Actor: committee, Calendar: calendar.Default(),
				Policies: timeline.DefaultPolicies(), Now: at("2027-02-09", 9)})
			require.NoError(t, err)
			require.NoError(t, in.Store.Save(r, events))
			r = stored(t, in, first)
			assert.Equal(t, result.Provisional, r.State)
			require.NotNil(t, r.Exceptions[ex.ID-1].Record, "the re-delivered record stays in the trail")
			if outcome == result.Approved {
				assert.Equal(t, "10.0", r.Grade.String(), "approved: the record re-delivered is in place")
				assert.Equal(t, []string{first}, in.Store.Session("KT1-W2 herkansing"), "and its session with it")
				assert.Empty(t, in.Store.Session(sessionName))
			} else {
				assert.Equal(t, "8.7", r.Grade.String(), "refused: the old record stays")
				assert.Equal(t, []string{first}, in.Store.Session(sessionName))
			}
		})
	}
}
