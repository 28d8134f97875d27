package result_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

var amsterdam = calendar.Default().Location()

func on(month time.Month, day, hour int) time.Time {
	return time.Date(2027, month, day, hour, 0, 0, 0, amsterdam)
}

// The institution's setting: the national calendar, the example policy,
// and the exam committee's mandate to the exam office.
func setting(actor result.Actor, now time.Time) result.Context {
	mandates, err := result.NewMandateSet(result.Mandate{
		ID: "M-2026-01", GrantedBy: "examencommissie ICT", To: "examenbureau",
		Actions: []result.Action{result.Determine}, Scope: result.Scope{Crebos: []string{"25180"}},
		From: time.Date(2026, time.August, 1, 0, 0, 0, 0, amsterdam),
	})
	if err != nil {
		panic(err)
	}
	return result.Context{Actor: actor, Mandates: mandates, Calendar: calendar.Default(),
		Policies: timeline.DefaultPolicies(), Now: now}
}

var (
	krs       = result.Actor{ID: "krs", Role: timeline.System}
	office    = result.Actor{ID: "j.jansen", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}
	committee = result.Actor{ID: "e.de.vries", Role: timeline.ExamCommittee}
	student   = result.Actor{ID: "s123456", Role: timeline.Student}
	board     = result.Actor{ID: "cbe-voorzitter", Role: timeline.AppealsBoard}
)

// delivered returns a result received through OKE and registered on
// Friday 5 February 2027, for an exam on Monday 18 January.
func delivered(grade string) *result.Result {
	g, _ := result.ParseGrade(result.Decimal0To10, grade)
	r := &result.Result{}
	must(r.Do(result.Command{Action: result.Receive, Record: &result.Record{
		ID: "assoc-1207", Student: "s123456", Component: "KT1-W2", Programme: "ICT-BOL-4", Crebo: "25180",
		Team: "ict", Attempt: 1, Exam: on(time.January, 18, 11), Assessor: "a.bakker",
		Grade: g, Attendance: result.Present, Source: result.OKE,
	}}, setting(krs, on(time.February, 5, 9))))
	must(r.Do(result.Command{Action: result.Register}, setting(krs, on(time.February, 5, 9))))
	return r
}

func must(events []result.Event, err error) {
	if err != nil {
		panic(err)
	}
}

func show(events []result.Event) {
	for _, e := range events {
		fmt.Printf("%s: %s → %s by %s (%s)", e.Type, e.From, e.To, e.Actor.ID, e.Actor.Role)
		if e.Mandate != "" {
			fmt.Printf(" under %s", e.Mandate)
		}
		fmt.Println()
	}
}

// Provisional to final: the exam office determines the result under the
// committee's mandate once its determination date has come.
func Example() {
	r := delivered("7.5")
	events, err := r.Do(result.Command{Action: result.Determine}, setting(office, on(time.March, 1, 9)))
	if err != nil {
		fmt.Println(err)
		return
	}
	show(events)
	fmt.Println(r.State, r.Grade)
	// Output:
	// determined: provisional → final by j.jansen (exam_administration) under M-2026-01
	// final 7.5
}

// A refused determination names every check that failed.
func ExampleDecide_refused() {
	r := delivered("7.5")
	must(r.Do(result.Command{Action: result.LodgeComplaint}, setting(student, on(time.February, 10, 16))))

	_, err := result.Decide(r, result.Command{Action: result.Determine}, setting(office, on(time.February, 22, 9)))
	fmt.Println(err)
	// Output:
	// result assoc-1207: cannot determine: right_status: the result is on_hold: a complaint is open; term_passed: a complaint lodged on 2027-02-10 is open; term_passed: the determination date is 2027-03-01 (after_exam); inspection and complaint are open until the end of 2027-02-19
}

// A complaint upheld: the committee corrects the grade, old and new kept;
// the corrected grade is registered anew.
func ExampleResult_Do_complaintUpheld() {
	r := delivered("5.4")
	must(r.Do(result.Command{Action: result.LodgeComplaint}, setting(student, on(time.February, 10, 16))))
	g, _ := result.ParseGrade(result.Decimal0To10, "6.1")
	events, _ := r.Do(result.Command{Action: result.DecideComplaint, Outcome: result.Upheld,
		Reason: "question 12 was marked wrongly", Grade: g}, setting(committee, on(time.February, 17, 10)))
	e := events[0]
	fmt.Println(e.Type, e.Outcome, e.OldGrade, "→", e.Grade)
	fmt.Println(r.State, r.Grade, "registered", r.Registered.Format(time.DateOnly))
	// Output:
	// complaint_decided upheld 5.4 → 6.1
	// provisional 6.1 registered 2027-02-17
}

// An appeal upheld: the appeals board annuls the result (it never sets a
// grade); the new decision is a new result that supersedes it, entered on
// the exam committee's decision, which it names.
func ExampleResult_Successor() {
	r := delivered("5.0")
	must(r.Do(result.Command{Action: result.Determine}, setting(office, on(time.March, 1, 9))))
	must(r.Do(result.Command{Action: result.LodgeAppeal}, setting(student, on(time.March, 8, 16))))
	must(r.Do(result.Command{Action: result.DecideAppeal, Outcome: result.Upheld,
		Reason: "the assessment criteria were not published"}, setting(board, on(time.April, 1, 10))))
	fmt.Println(r.ID, r.State)

	g, _ := result.ParseGrade(result.Decimal0To10, "6.0")
	rec := r.Successor("assoc-1207-2", g, result.Manual)
	next := &result.Result{}
	must(next.Do(result.Command{Action: result.Receive, Record: &rec, Decision: "EC-2027-044"}, setting(office, on(time.April, 8, 9))))
	must(next.Do(result.Command{Action: result.Register}, setting(office, on(time.April, 8, 9))))
	fmt.Println(next.ID, next.State, next.Grade, "supersedes", next.Supersedes, "on decision", next.Decision)
	fmt.Println("open exceptions:", len(next.OpenExceptions()))
	// Output:
	// assoc-1207 annulled
	// assoc-1207-2 provisional 6.0 supersedes assoc-1207 on decision EC-2027-044
	// open exceptions: 0
}

// Replaying the events gives the same result.
func ExampleReplay() {
	r := &result.Result{}
	var trail []result.Event
	for _, step := range []struct {
		actor result.Actor
		at    time.Time
		cmd   result.Command
	}{
		{krs, on(time.February, 5, 9), result.Command{Action: result.Receive, Record: &result.Record{
			ID: "assoc-9", Student: "s123456", Component: "KT1-W2", Crebo: "25180", Attempt: 1,
			Exam: on(time.January, 18, 11), Assessor: "a.bakker", Attendance: result.NotPresent, Source: result.OKE}}},
		{krs, on(time.February, 5, 9), result.Command{Action: result.Register}},
		// A result without a grade waits for a person before it is final.
		{committee, on(time.February, 8, 9), result.Command{Action: result.ResolveException, ExceptionID: 1,
			Outcome: result.Approved, Reason: "absence confirmed"}},
		{office, on(time.March, 1, 9), result.Command{Action: result.Determine}},
	} {
		events, err := r.Do(step.cmd, setting(step.actor, step.at))
		if err != nil {
			fmt.Println(err)
			return
		}
		trail = append(trail, events...)
	}
	again, err := result.Replay(trail)
	fmt.Println(again.State, again.Version, again.Attendance, err, again.DeterminedBy.ID == r.DeterminedBy.ID)
	// Output:
	// final 5 notPresent <nil> true
}

func ExampleDiagram() {
	lines := strings.Split(result.Diagram(), "\n")
	fmt.Println(strings.Join(lines[:4], "\n"))
	// Output:
	// stateDiagram-v2
	//     [*] --> received: receive
	//     received --> received: redeliver
	//     rejected --> received: redeliver
}
