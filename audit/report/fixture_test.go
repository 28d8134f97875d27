package report_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

var (
	ctx = context.Background()
	cal = calendar.Default()
	ams = cal.Location()
)

// at returns the moment h:00 on the day in Europe/Amsterdam.
func at(day string, h int) time.Time {
	d, err := calendar.ParseDate(day)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, ams)
}

func grade(text string) result.Grade {
	g, err := result.ParseGrade(result.Decimal0To10, text)
	if err != nil {
		panic(err)
	}
	return g
}

// The actors of the fixture.
var (
	krs       = result.Actor{ID: "krs", Role: timeline.System}
	adm1      = result.Actor{ID: "adm-1", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}
	adm2      = result.Actor{ID: "adm-2", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}
	committee = result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}
	board     = result.Actor{ID: "cbe-1", Role: timeline.AppealsBoard}
)

func student(id string) result.Actor { return result.Actor{ID: id, Role: timeline.Student} }

// A trail builds results through the real state machine, every event into
// an audit log over a memory store.
type trail struct {
	t          testing.TB
	store      *audit.MemoryStore
	log        *audit.Log
	mandates   *result.MandateSet
	policies   *timeline.PolicySet // the rules the commands are decided under
	results    map[string]*result.Result
	deliveries int // the delivery entries written
}

func newTrail(t testing.TB) *trail {
	t.Helper()
	mandates, err := result.NewMandateSet(
		result.Mandate{ID: "M-det", GrantedBy: "ec", To: "examenbureau", Actions: []result.Action{result.Determine},
			Scope: result.Scope{All: true}, From: at("2026-08-01", 0)},
		result.Mandate{ID: "M-exc", GrantedBy: "ec", To: "adm-2", Actions: []result.Action{result.ResolveException},
			Scope: result.Scope{Programmes: []string{"ICT-BOL-4"}}, From: at("2026-08-01", 0)},
	)
	require.NoError(t, err)
	store := &audit.MemoryStore{}
	log, err := audit.NewLog(store)
	require.NoError(t, err)
	return &trail{t: t, store: store, log: log, mandates: mandates, policies: timeline.DefaultPolicies(),
		results: map[string]*result.Result{}}
}

// do has the actor take the command on the result at the moment, and
// appends its events to the log.
func (tr *trail) do(id string, actor result.Actor, when time.Time, cmd result.Command) {
	tr.t.Helper()
	r := tr.results[id]
	if r == nil {
		r = &result.Result{}
		tr.results[id] = r
	}
	events, err := r.Do(cmd, result.Context{Actor: actor, Mandates: tr.mandates, Calendar: cal,
		Policies: tr.policies, Now: when})
	require.NoError(tr.t, err, "%s %s", id, cmd.Action)
	_, err = tr.log.AppendEvents(ctx, events...)
	require.NoError(tr.t, err)
}

// receive delivers a record through OKE.
func (tr *trail) receive(id, offering, programme, component, assessor string, exam time.Time, g string, when time.Time) {
	tr.t.Helper()
	action := result.Receive
	if tr.results[id] != nil {
		action = result.Redeliver
	}
	tr.do(id, krs, when, result.Command{Action: action, Record: &result.Record{
		ID: id, Student: "s-" + id[2:], Component: component, Programme: programme, Crebo: "25604", Team: "team-" + programme,
		Attempt: 1, Exam: exam, Assessor: assessor, Grade: grade(g), Attendance: result.Present, Source: result.OKE,
		Offering: offering}})
}

// delivery writes an OKE delivery with its receipt into the trail, as the
// office does (the root package's deliveryEntry, of type "delivery").
func (tr *trail) delivery(when time.Time, association string, outcome oke.Outcome, reasons ...oke.Reason) {
	tr.t.Helper()
	tr.deliveries++
	payload, err := json.Marshal(struct {
		Seq           int          `json:"seq"`
		Method        oke.Method   `json:"method"`
		AssociationID string       `json:"association_id"`
		Body          []byte       `json:"body"`
		Outcome       oke.Outcome  `json:"outcome"`
		Reasons       []oke.Reason `json:"reasons,omitempty"`
	}{tr.deliveries, oke.Patch, association, []byte(`{"associationId":"` + association + `"}`), outcome, reasons})
	require.NoError(tr.t, err)
	rec, err := audit.NewEntry(audit.Entry{Type: "delivery", Time: when, Role: timeline.System.String(),
		Payload: payload}, rand.Reader)
	require.NoError(tr.t, err)
	_, err = tr.log.Append(ctx, rec)
	require.NoError(tr.t, err)
}

const (
	session1 = "ICT-2027-01"
	session2 = "ZORG-2027-02"
)

// fixture builds the trail the tests read: two exam sessions in two months.
//
// Session ICT-2027-01, exam Monday 18 January 2027 (assessment due 8 February,
// determination by the exam rule 1 March), programme ICT-BOL-4:
//
//   - a-101 (KT1): received, re-delivered with another grade, registered on
//     time, determined on 1 March under M-det, then corrected by the
//     committee (superseded).
//   - a-102 (KT1): registered late (a late_assessment exception by rule),
//     approved by adm-2 under M-exc; determined on its date, 3 March.
//   - a-103 (KT1): an irregularity, resolved by the committee on 5 March;
//     determined late on 8 March.
//   - a-104 (KT2): a complaint upheld with a corrected grade (the terms run
//     afresh: due 5 March); determined on 5 March by adm-2; an appeal not
//     upheld, decided in time.
//   - a-105 (KT2): determined early by the committee for a diploma; an
//     appeal upheld (annulled), decided late.
//
// Session ZORG-2027-02, exam Monday 15 February 2027, programme ZORG-BBL-3,
// component KT3:
//
//   - a-201: registered on time; a complaint not upheld, decided late;
//     determined on its date.
//   - a-202: registered late; its late_assessment exception stays open.
//   - a-203: received, never registered.
//
// The delivery log holds an accepted delivery (a-101's first), and three
// rejected ones: one for a-102 in session ICT-2027-01 (9 February), one
// for a-203 in ZORG-2027-02 (1 March), and one for x-999, an association
// no result in the trail has (20 February): not traceable to a session.
func fixture(t testing.TB) *trail {
	tr := newTrail(t)
	exam1 := at("2027-01-18", 11)
	tr.delivery(at("2027-02-04", 9), "a-101", oke.Accepted)
	tr.delivery(at("2027-02-09", 9), "a-102", oke.Rejected, oke.Reason{Code: oke.CodeMissing, Field: "result.weight",
		Message: "the weight is required and must be 100"})
	tr.delivery(at("2027-02-20", 10), "x-999", oke.Rejected, oke.Reason{Code: oke.CodeUnknownAssociation,
		Message: "PATCH x-999: the KRS knows no such association"})
	tr.delivery(at("2027-03-01", 8), "a-203", oke.Rejected, oke.Reason{Code: oke.CodeWrongType, Field: "result.score",
		Message: "a number is expected"})
	tr.receive("a-101", session1, "ICT-BOL-4", "KT1", "ass-1", exam1, "6.0", at("2027-02-04", 9))
	tr.receive("a-101", session1, "ICT-BOL-4", "KT1", "ass-1", exam1, "6.4", at("2027-02-05", 8))
	tr.do("a-101", krs, at("2027-02-05", 9), result.Command{Action: result.Register})
	tr.do("a-101", adm1, at("2027-03-01", 18), result.Command{Action: result.Determine})
	tr.do("a-101", committee, at("2027-03-10", 10), result.Command{Action: result.Correct, Grade: grade("7.5"),
		Decision: "EC-2027-014", Reason: "points added up wrongly", Successor: "a-101-c"})

	tr.receive("a-102", session1, "ICT-BOL-4", "KT1", "ass-1", exam1, "5.8", at("2027-02-10", 9))
	tr.do("a-102", krs, at("2027-02-10", 9), result.Command{Action: result.Register})
	tr.do("a-102", adm2, at("2027-02-11", 10), result.Command{Action: result.ResolveException, ExceptionID: 1,
		Outcome: result.Approved, Reason: "assessor ill; approved under mandate"})
	tr.do("a-102", adm1, at("2027-03-03", 18), result.Command{Action: result.Determine})

	tr.receive("a-103", session1, "ICT-BOL-4", "KT1", "ass-1", exam1, "7.1", at("2027-02-05", 9))
	tr.do("a-103", krs, at("2027-02-05", 9), result.Command{Action: result.Register})
	tr.do("a-103", adm1, at("2027-02-06", 10), result.Command{Action: result.RaiseException,
		Exception: result.Irregularity, Detail: "session report: phone on the table"})
	tr.do("a-103", committee, at("2027-03-05", 10), result.Command{Action: result.ResolveException, ExceptionID: 1,
		Outcome: result.Resolved, Reason: "no influence on the result"})
	tr.do("a-103", adm1, at("2027-03-08", 18), result.Command{Action: result.Determine})

	tr.receive("a-104", session1, "ICT-BOL-4", "KT2", "ass-2", exam1, "5.2", at("2027-02-05", 9))
	tr.do("a-104", krs, at("2027-02-05", 9), result.Command{Action: result.Register})
	tr.do("a-104", student("s-104"), at("2027-02-09", 14), result.Command{Action: result.LodgeComplaint})
	tr.do("a-104", committee, at("2027-02-12", 10), result.Command{Action: result.DecideComplaint,
		Outcome: result.Upheld, Reason: "marked too strictly", Grade: grade("7.0")})
	tr.do("a-104", adm2, at("2027-03-05", 18), result.Command{Action: result.Determine})
	tr.do("a-104", student("s-104"), at("2027-03-08", 10), result.Command{Action: result.LodgeAppeal})
	tr.do("a-104", board, at("2027-04-01", 10), result.Command{Action: result.DecideAppeal,
		Outcome: result.NotUpheld, Reason: "the committee decided with care"})

	tr.receive("a-105", session1, "ICT-BOL-4", "KT2", "ass-2", exam1, "6.8", at("2027-02-05", 9))
	tr.do("a-105", krs, at("2027-02-05", 9), result.Command{Action: result.Register})
	tr.do("a-105", committee, at("2027-02-10", 12), result.Command{Action: result.DetermineEarly,
		Decision: "EC-2027-009", Reason: "diploma to be issued", Purpose: result.Diploma, StudentAgreed: true})
	tr.do("a-105", student("s-105"), at("2027-02-15", 10), result.Command{Action: result.LodgeAppeal})
	tr.do("a-105", board, at("2027-04-01", 11), result.Command{Action: result.DecideAppeal,
		Outcome: result.Upheld, Reason: "the inspection window was cut short"})

	exam2 := at("2027-02-15", 11)
	tr.receive("a-201", session2, "ZORG-BBL-3", "KT3", "ass-3", exam2, "6.0", at("2027-03-01", 9))
	tr.do("a-201", krs, at("2027-03-01", 9), result.Command{Action: result.Register})
	tr.do("a-201", student("s-201"), at("2027-03-03", 10), result.Command{Action: result.LodgeComplaint})
	tr.do("a-201", committee, at("2027-03-22", 10), result.Command{Action: result.DecideComplaint,
		Outcome: result.NotUpheld, Reason: "the assessment follows the norm"})
	tr.do("a-201", adm1, at("2027-03-31", 18), result.Command{Action: result.Determine})

	tr.receive("a-202", session2, "ZORG-BBL-3", "KT3", "ass-3", exam2, "8.3", at("2027-03-12", 9))
	tr.do("a-202", krs, at("2027-03-12", 9), result.Command{Action: result.Register})

	tr.receive("a-203", session2, "ZORG-BBL-3", "KT3", "ass-3", exam2, "4.9", at("2027-03-01", 9))
	return tr
}

// reportAt is the moment of the timeliness report of the fixture.
var reportAt = at("2027-04-02", 12)
