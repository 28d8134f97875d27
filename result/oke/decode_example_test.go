package oke_test

import (
	"errors"
	"fmt"

	"github.com/krs-oke/vaststelling/result/oke"
)

func ExampleDecode() {
	body := []byte(`{
  "associationType": "componentOfferingAssociation",
  "consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6", "attempt": 1}],
  "result": {
    "state": "completed", "score": "7.5", "resultDate": "2027-01-22", "weight": 100,
    "consumers": [{
      "consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "NED-2F-variant3",
      "assessorCode": "JAJE", "final": true, "rawScore": 52, "maxRawScore": 60,
      "testDate": "2027-01-20T10:45:00+01:00"
    }]
  }
}`)
	m, err := oke.Decode(oke.Patch, "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6", body)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := m.Result
	fmt.Println(m.Method, m.OrgAssociationID, "attempt", m.Attempt)
	fmt.Println(r.State, r.Score, r.Attendance, r.ExecutedOfferingName)
	fmt.Println("raw score", *r.RawScore, "of", *r.MaxRawScore, "final (information only):", r.Final)
	fmt.Println("result set on", r.ResultDate, "exam at", r.TestDate.UTC())
	// Output:
	// PATCH 5a52f86b-edcd-4f7f-9ea9-c8617f6043b6 attempt 1
	// completed 7.5 present NED-2F-variant3
	// raw score 52 of 60 final (information only): true
	// result set on 2027-01-22 exam at 2027-01-20 09:45:00 +0000 UTC
}

func ExampleDecode_rejected() {
	// The attendance example of flow5.md with its commas fixed: it lacks
	// what the definitive agreement made mandatory.
	body := []byte(`{
  "consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6", "attempt": 2}],
  "result": {
    "state": "in progress", "resultDate": "2020-09-28",
    "consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "testDate": "2020-09-29"}]
  }
}`)
	_, err := oke.Decode(oke.Patch, "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6", body)
	var rej *oke.Rejection
	if errors.As(err, &rej) {
		for _, r := range rej.Reasons {
			fmt.Println(r.Code, r.Field)
		}
	}
	fmt.Println(errors.Is(err, oke.ErrRejected))
	// Output:
	// missing_field associationType
	// missing_field result.weight
	// missing_field result.consumers[0].executedOfferingName
	// true
}

func ExampleDecode_malformed() {
	body := []byte("{\n  \"associationType\": \"componentOfferingAssociation\"\n  \"consumers\": []\n}")
	_, err := oke.Decode(oke.Patch, "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6", body)
	fmt.Println(err)
	// Output:
	// oke: association 5a52f86b-edcd-4f7f-9ea9-c8617f6043b6: rejected: line 3, column 3: malformed_json: invalid character '"' after object key:value pair
}
