package result

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

// FuzzDecide drives the state machine with command sequences read from the
// fuzzer's bytes: it never panics, a refusal is always one of the typed
// errors, a determination is never by the assessor or a role without the
// right, and replay gives the live result.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{0, 0, 2, 0, 7, 3, 9, 40, 2})
	f.Add([]byte{0, 0, 2, 0, 5, 6, 7, 1, 3, 7, 40, 9, 10, 1})
	mandates := mandates(f)
	cal, policies := calendar.Default(), timeline.DefaultPolicies()
	actors := []Actor{system, admin, outsider, committee, assessor, assessorOnCommittee, student, otherStudent, board}
	actions := Actions()
	g := grade(f, "6.5")
	rec := record(f)
	f.Fuzz(func(t *testing.T, script []byte) {
		r := &Result{}
		var trail []Event
		now := at(t, "2027-01-25", 8)
		for i := 0; i+2 < len(script); i += 3 {
			a := actions[int(script[i])%len(actions)]
			actor := actors[int(script[i+1])%len(actors)]
			now = now.Add(time.Duration(script[i+2]) * 6 * time.Hour)
			cmd := Command{Action: a, Record: rec, Reason: "r", Decision: "EC-1", Exception: Irregularity,
				ExceptionID: int(script[i+2]) % 3, Outcome: []Outcome{Approved, Upheld, NotUpheld}[int(script[i])%3],
				Successor: "next"}
			if script[i+2]%2 == 0 {
				cmd.Grade = g
			}
			events, err := r.Do(cmd, Context{Actor: actor, Mandates: mandates, Calendar: cal, Policies: policies, Now: now})
			if err != nil {
				if !errors.Is(err, ErrNotAllowed) && !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrChecksFailed) &&
					!errors.Is(err, ErrInvalidCommand) {
					t.Fatalf("untyped refusal: %v", err)
				}
				continue
			}
			for _, e := range events {
				if e.Type == EventDetermined && (e.Actor.ID == rec.Assessor ||
					(e.Actor.Role != timeline.ExamCommittee && e.Mandate == "")) {
					t.Fatalf("determined by %+v without the right", e.Actor)
				}
			}
			trail = append(trail, events...)
		}
		again, err := Replay(trail)
		if err != nil {
			t.Fatal(err)
		}
		if again.Version != r.Version || again.State != r.State || again.Grade != r.Grade {
			t.Fatalf("replay differs: %+v vs %+v", again, *r)
		}
	})
}

// FuzzLoadMandates feeds arbitrary text to the mandate reader: it never
// panics and every failure matches ErrInvalidMandate.
func FuzzLoadMandates(f *testing.F) {
	f.Add(`[{"id": "M1", "granted_by": "ec", "to": "examenbureau", "actions": ["determine"],
		"scope": {"crebos": ["25180"]}, "from": "2026-08-01T00:00:00+02:00"}]`)
	f.Add(`[]`)
	f.Add(`[{"id": "M1", "actions": ["nope"]}]`)
	f.Fuzz(func(t *testing.T, text string) {
		set, err := LoadMandates(strings.NewReader(text))
		if err != nil {
			if !errors.Is(err, ErrInvalidMandate) {
				t.Fatalf("error does not match ErrInvalidMandate: %v", err)
			}
			return
		}
		for _, m := range set.Mandates() {
			if m.ID == "" || len(m.Actions) == 0 || m.Scope.empty() {
				t.Fatalf("accepted an invalid mandate: %+v", m)
			}
		}
	})
}
