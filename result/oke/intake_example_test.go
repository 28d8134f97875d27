package oke_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// A delivery taken in: attendance first, then the score, which merges and
// registers the result as provisional; the same message again changes
// nothing.
func ExampleIntake_Deliver() {
	dir, err := oke.LoadDirectory(strings.NewReader(`{
		"components": [{"code": "KT1-W2", "scale": "0.0-10.0"}],
		"associations": [{"id": "assoc-1", "student": "s-101", "component": "KT1-W2",
			"crebo": "25180", "attempt": 1, "state": "associated"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	in := &oke.Intake{Directory: dir, Calendar: calendar.Default(), Policies: timeline.DefaultPolicies(),
		Store: oke.NewStore()}
	body := func(state, score string) []byte {
		return []byte(`{"associationType": "componentOfferingAssociation",
			"consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "assoc-1", "attempt": 1}],
			"result": {"state": "` + state + `", ` + score + ` "resultDate": "2027-02-04", "weight": 100,
				"consumers": [{"consumerKey": "nl-test-admin", "attendance": "present",
					"executedOfferingName": "variant-A", "assessorCode": "JAJE",
					"testDate": "2027-01-18T11:00:00+01:00"}]}}`)
	}
	now := time.Date(2027, time.February, 5, 9, 0, 0, 0, calendar.Default().Location())
	for _, b := range [][]byte{body("in progress", ""), body("completed", `"score": "7.5",`), body("completed", `"score": "7.5",`)} {
		rc, err := in.Deliver(oke.Delivery{Method: oke.Patch, AssociationID: "assoc-1", Body: b}, now)
		if err != nil {
			fmt.Println(err)
			return
		}
		r, _ := in.Store.Result("assoc-1")
		fmt.Printf("%d %s %s %q\n", rc.Seq, rc.Outcome, r.State, r.Grade)
	}
	_, err = in.Deliver(oke.Delivery{Method: oke.Patch, AssociationID: "assoc-1", Body: []byte(`{"result": 5}`)}, now)
	fmt.Println(err)
	log := in.Store.(*oke.MemoryStore).Log()
	last := log[len(log)-1].Receipt
	fmt.Println(last.Outcome)
	for _, reason := range last.Reasons {
		fmt.Println(" ", reason.Field, reason.Code)
	}
	// Output:
	// 1 accepted received ""
	// 2 merged provisional "7.5"
	// 3 duplicate provisional "7.5"
	// <nil>
	// rejected
	//   result wrong_type
	//   associationType missing_field
	//   consumers missing_field
}
