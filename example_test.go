package vaststelling_test

import (
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// The terms of a result from the policy's example procedure, for an exam on
// Monday 18 January 2027 registered on Friday 5 February.
func Example() {
	cal := calendar.Default()
	exam := calendar.Date{Year: 2027, Month: time.January, Day: 18}
	registered := calendar.Date{Year: 2027, Month: time.February, Day: 5}

	assessmentDue, _ := cal.AddWorkdays(exam, 15)
	inspectionEnds, _ := cal.AddWorkdays(registered, 10)
	determination, _ := cal.AddWorkdays(exam, 30)
	appealEnds, _ := cal.AddWorkdays(determination, 10)
	fmt.Println("assessment due: ", assessmentDue)
	fmt.Println("inspection ends:", inspectionEnds)
	fmt.Println("determination:  ", determination)
	fmt.Println("appeal ends:    ", appealEnds)
	// Output:
	// assessment due:  2027-02-08
	// inspection ends: 2027-02-19
	// determination:   2027-03-01
	// appeal ends:     2027-03-15
}
