package timeline_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

var amsterdam = calendar.Default().Location()

func on(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, amsterdam)
}

// The policy text's example B: the assessor registers late, so the
// registration rule postpones determination, and both are conflicts. The
// default calendar also skips Friday 7 May 2027, a decree day, so each is
// one working day where DOMAIN.md, counting the holidays alone, has two.
func Example() {
	tl, err := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Result:     "assoc-1207",
		Exam:       on(2027, time.April, 12, 11),
		Registered: on(2027, time.May, 10, 9),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("assessment due: ", tl.AssessmentDue)
	fmt.Println("inspection ends:", tl.InspectionEnds)
	fmt.Println("determination:  ", tl.DeterminationDue, tl.Binding)
	for _, c := range tl.Conflicts {
		fmt.Println(c.Code+":", c.Message())
	}
	// Output:
	// assessment due:  2027-05-04
	// inspection ends: 2027-05-25
	// determination:   2027-06-01 after_registration
	// registered_late: registered on 2027-05-10, 1 working day after the assessment term ended on 2027-05-04
	// determination_postponed: the registration rule sets determination on 2027-06-01, 1 working day after the exam rule's 2027-05-31
}

// An appeal against an invalidation for fraud: the appeal window runs from
// the invalidation, and the appeals board's four weeks after it end on
// Friday 7 May 2027, a decree day, so on Monday 10 May by the Algemene
// termijnenwet. A decision on the Tuesday is late, in both languages.
func ExampleNew_appealAgainstInvalidation() {
	tl, err := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Exam:          on(2027, time.March, 1, 11),
		Invalidated:   on(2027, time.March, 24, 14),
		AppealLodged:  on(2027, time.April, 2, 9),
		AppealDecided: on(2027, time.May, 11, 16),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("appeal until:  ", tl.AppealEnds)
	fmt.Println("board decides: ", tl.AppealDecisionDue)
	for _, c := range tl.Conflicts {
		fmt.Println(c.Code+":", c.Message())
		fmt.Println(c.Code+":", c.MessageIn(timeline.Dutch))
	}
	// Output:
	// appeal until:   2027-04-09
	// board decides:  2027-05-10
	// appeal_decided_late: appeal decided on 2027-05-11, 1 working day after the appeals board's term ended on 2027-05-10
	// appeal_decided_late: beroep beslist op 2027-05-11, 1 werkdag na het einde van de beslistermijn van de commissie van beroep op 2027-05-10
}

// A result the assessor delivered in time but the exam administration
// registered after the assessment term: the lateness is the check's, not
// the assessor's.
func ExampleNew_checkedLate() {
	tl, _ := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Exam:       on(2027, time.January, 18, 11),
		Delivered:  on(2027, time.February, 5, 16),
		Registered: on(2027, time.February, 9, 10),
	})
	fmt.Println(tl.Conflicts[0].Code, tl.Conflicts[0].Fact)
	fmt.Println(tl.Conflicts[0].Message())
	fmt.Println("inspection until", tl.InspectionEnds)
	// Output:
	// checked_late registered
	// delivered in time but registered on 2027-02-09, 1 working day after the assessment term ended on 2027-02-08
	// inspection until 2027-02-23
}

// An early determination for a diploma binds, and says what it cut short.
func ExampleNew_early() {
	tl, _ := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Exam:       on(2027, time.January, 18, 11),
		Registered: on(2027, time.February, 5, 9),
		Determined: on(2027, time.February, 10, 15),
		Early:      true,
	})
	fmt.Println(tl.DeterminationDue, tl.Binding, "appeal until", tl.AppealEnds)
	fmt.Println(tl.Conflicts[0].Message())
	// Output:
	// 2027-02-10 early appeal until 2027-02-24
	// determined early on 2027-02-10, while inspection and complaint were open until 2027-02-19
}

func ExampleTimeline_Signals() {
	cal, policies := calendar.Default(), timeline.DefaultPolicies()
	results := []timeline.Facts{
		{Result: "r-1", Exam: on(2027, time.January, 18, 11), Registered: on(2027, time.February, 5, 9)},
		{Result: "r-2", Exam: on(2027, time.January, 25, 11)},
		{Result: "r-3", Exam: on(2027, time.January, 18, 11), Registered: on(2027, time.February, 3, 9),
			ComplaintLodged: on(2027, time.February, 12, 16)},
	}
	now := on(2027, time.March, 2, 8)
	var signals []timeline.Signal
	for _, f := range results {
		tl, err := timeline.New(cal, policies, f)
		if err != nil {
			fmt.Println(err)
			return
		}
		signals = tl.Signals(now, signals)
	}
	timeline.SortSignals(signals)
	for _, s := range signals {
		fmt.Println(s.Result, s.Task, s.Role, "due", s.Due, "overdue", s.WorkdaysOverdue)
	}
	// Output:
	// r-2 assess assessor due 2027-02-15 overdue 11
	// r-3 decide_complaint exam_committee due 2027-02-26 overdue 2
	// r-1 determine exam_administration due 2027-03-01 overdue 1
}

func ExampleTimeline_StudentMessage() {
	tl, _ := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Exam:       on(2026, time.November, 30, 11),
		Registered: on(2026, time.December, 18, 9),
	})
	msg, err := tl.StudentMessage(timeline.Dutch, timeline.Settings{
		Institution:         "Examencommissie ROC Voorbeeld",
		KRS:                 "Eduarte",
		CommitteeAddress:    "examencommissie@roc-voorbeeld.nl",
		AppealsBoardAddress: "cbe@roc-voorbeeld.nl",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Split(msg, "\n")[6])
	// Output:
	// Ben je het niet eens met het voorlopige resultaat? Neem dan uiterlijk dinsdag 5 januari 2027 contact op met de examencommissie via examencommissie@roc-voorbeeld.nl.
}

func ExamplePolicySet_At() {
	old := timeline.DefaultPolicy()
	old.Name, old.ValidUntil = "2025-2026", calendar.Date{Year: 2026, Month: time.July, Day: 31}
	current := timeline.DefaultPolicy()
	current.Name, current.ValidFrom = "2026-2027", calendar.Date{Year: 2026, Month: time.August, Day: 1}
	current.AssessmentTerm = 10

	set, err := timeline.NewPolicySet(old, current)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, exam := range []calendar.Date{{Year: 2026, Month: time.June, Day: 30}, {Year: 2026, Month: time.September, Day: 1}} {
		p, _ := set.At(exam)
		fmt.Println(exam, p.Name, p.AssessmentTerm)
	}
	// Output:
	// 2026-06-30 2025-2026 15
	// 2026-09-01 2026-2027 10
}

func ExampleParsePolicies() {
	_, err := timeline.ParsePolicies([]byte(`{"versions": [{
		"name": "Concept", "assessment_term": 15, "inspection_term": 10, "determination_term": 30,
		"provisional_term": 5, "provisional_tail": 2, "appeal_term": 10,
		"appeal_decision_weeks": 4, "complaint_handling_term": 10, "early_determination": true
	}]}`))
	fmt.Println(err)
	// Output:
	// timeline: invalid policy "Concept": versions[0].provisional_term: the inspection window (10 working days after registration) cannot end before determination (5 working days and 2 working days after registration)
}
