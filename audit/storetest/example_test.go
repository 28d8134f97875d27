package storetest_test

import (
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/audit/storetest"
)

// Events makes the suite's test data: results received, registered and
// determined in turn.
func ExampleEvents() {
	for _, e := range storetest.Events(4, time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)) {
		fmt.Println(e.Result, e.Seq, e.Type, e.From, "→", e.To)
	}
	// Output:
	// assoc-000000 1 received none → received
	// assoc-000000 2 registered received → provisional
	// assoc-000000 3 determined provisional → final
	// assoc-000001 1 received none → received
}
