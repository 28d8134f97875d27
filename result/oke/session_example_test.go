package oke_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// exampleIntake is an intake over a directory of three enrolments for one
// offering, sat in two sessions.
func exampleIntake() (*oke.Intake, func(id, session string) []byte) {
	dir, err := oke.LoadDirectory(strings.NewReader(`{
		"components": [{"code": "KT1-W2", "scale": "0.0-10.0"}],
		"associations": [
			{"id": "assoc-1", "student": "s-101", "offering": "offering-7c1e", "component": "KT1-W2",
			 "crebo": "25180", "attempt": 1, "state": "associated"},
			{"id": "assoc-2", "student": "s-102", "offering": "offering-7c1e", "component": "KT1-W2",
			 "crebo": "25180", "attempt": 1, "state": "associated"},
			{"id": "assoc-3", "student": "s-103", "offering": "offering-7c1e", "component": "KT1-W2",
			 "crebo": "25180", "attempt": 1, "state": "associated"}]}`))
	if err != nil {
		panic(err)
	}
	in := &oke.Intake{Directory: dir, Calendar: calendar.Default(), Policies: timeline.DefaultPolicies(),
		Store: oke.NewStore()}
	body := func(id, session string) []byte {
		return []byte(`{"associationType": "componentOfferingAssociation",
			"consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "` + id + `", "attempt": 1}],
			"result": {"state": "completed", "score": "7.5", "resultDate": "2027-02-04", "weight": 100,
				"consumers": [{"consumerKey": "nl-test-admin", "attendance": "present",
					"executedOfferingName": "` + session + `", "assessorCode": "JAJE",
					"testDate": "2027-01-18T11:00:00+01:00"}]}}`)
	}
	return in, body
}

// A session is found by its name as the exam platform writes it in the
// result's executedOfferingName; a result without one has no session.
func ExampleSessionKey() {
	fmt.Printf("%q\n", oke.SessionKey(&result.Record{Offering: "offering-7c1e", ExecutedOffering: "KT1-W2 18-01 ochtend "}))
	fmt.Printf("%q\n", oke.SessionKey(&result.Record{Offering: "offering-7c1e", Source: result.Manual}))
	// Output:
	// "KT1-W2 18-01 ochtend"
	// ""
}

// The planner's session report of the morning session is passed under the
// session's name, and holds its results; the afternoon session has results
// and no report yet, which UnreportedSessions signals.
func ExampleIntake_UnreportedSessions() {
	in, body := exampleIntake()
	now := time.Date(2027, time.February, 5, 9, 0, 0, 0, calendar.Default().Location())
	for _, d := range []struct{ id, session string }{
		{"assoc-1", "KT1-W2 18-01 ochtend"}, {"assoc-2", "KT1-W2 18-01 ochtend"}, {"assoc-3", "KT1-W2 18-01 middag"},
	} {
		if _, err := in.Deliver(oke.Delivery{Method: oke.Patch, AssociationID: d.id, Body: body(d.id, d.session)}, now); err != nil {
			fmt.Println(err)
			return
		}
	}
	events, err := in.SessionReport("KT1-W2 18-01 ochtend", "fire alarm at 10:40", now.Add(time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.Result, e.To, e.Exception.Detail)
	}
	unreported, err := in.UnreportedSessions()
	fmt.Println(unreported, err)

	// A report that names no irregularities holds nothing, but is a report.
	if _, err := in.SessionReport("KT1-W2 18-01 middag", "", now.Add(time.Hour)); err != nil {
		fmt.Println(err)
		return
	}
	unreported, err = in.UnreportedSessions()
	fmt.Println(unreported, err)
	// Output:
	// assoc-1 on_hold session report: fire alarm at 10:40
	// assoc-2 on_hold session report: fire alarm at 10:40
	// [KT1-W2 18-01 middag] <nil>
	// [] <nil>
}

// A testDate a few minutes ahead of the KRS clock is the clocks differing:
// the result is registered, with the exam date for a person to confirm. One
// a day ahead waits, received, until a person confirms it.
func ExampleIntake_Deliver_clockSkew() {
	in, body := exampleIntake()
	in.ClockSkew = 10 * time.Minute
	now := time.Date(2027, time.January, 18, 11, 0, 0, 0, calendar.Default().Location())
	for _, d := range []struct{ id, testDate string }{
		{"assoc-1", "2027-01-18T11:05:00+01:00"}, {"assoc-2", "2027-01-19T11:00:00+01:00"},
	} {
		b := strings.Replace(string(body(d.id, "KT1-W2 18-01 ochtend")), "2027-01-18T11:00:00+01:00", d.testDate, 1)
		rc, err := in.Deliver(oke.Delivery{Method: oke.Patch, AssociationID: d.id, Body: []byte(b)}, now)
		if err != nil {
			fmt.Println(err)
			return
		}
		r, _ := in.Store.Result(d.id)
		fmt.Println(d.id, rc.Outcome, r.State)
		for _, reason := range rc.Reasons {
			fmt.Println(" ", reason.Code, reason.Message)
		}
	}
	// Output:
	// assoc-1 exception provisional
	//   exam_date_unconfirmed the exam at 2027-01-18T11:05:00+01:00 lies 5m0s ahead of the KRS clock at 2027-01-18T11:00:00+01:00, within the 10m0s clocks may differ; a person confirms the exam date
	// assoc-2 exception received
	//   exam_date_unconfirmed the exam at 2027-01-19T11:00:00+01:00 lies 24h0m0s ahead of the KRS clock at 2027-01-18T11:00:00+01:00, more than the 10m0s clocks may differ; a person confirms the exam date
	//   not_registered the result waits, received, for a person: the exam date lies ahead of the KRS clock
}

// In the directory, attempts_left is the number of extra attempts the KRS
// allows; null, or absent, is no limit (flow 1's attemptLeft null).
func ExampleLoadDirectory() {
	dir, err := oke.LoadDirectory(strings.NewReader(`{
		"components": [{"code": "KT1-W2", "scale": "0.0-10.0"}],
		"associations": [
			{"id": "none", "student": "s-101", "component": "KT1-W2", "attempt": 1, "attempts_left": 0},
			{"id": "two", "student": "s-102", "component": "KT1-W2", "attempt": 1, "attempts_left": 2},
			{"id": "unlimited", "student": "s-103", "component": "KT1-W2", "attempt": 1, "attempts_left": null}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range []string{"none", "two", "unlimited"} {
		a, _ := dir.Association(id)
		if a.AttemptsLeft == nil {
			fmt.Println(id, "no limit")
			continue
		}
		fmt.Println(id, *a.AttemptsLeft)
	}
	// Output:
	// none 0
	// two 2
	// unlimited no limit
}
