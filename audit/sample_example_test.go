package audit_test

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// The exam committee samples the results of January 2027: a fifth of what
// each assessor assessed per exam component, at least two. It records the
// sample in the trail, where anyone can read it back and draw it again.
func ExampleDrawSample() {
	cal := calendar.Default()
	january := time.Date(2027, time.January, 18, 10, 0, 0, 0, cal.Location())
	var results []result.Result
	add := func(n int, assessor, component string, exam time.Time, state result.State) {
		for range n {
			id := fmt.Sprintf("r-%03d", len(results)+1)
			results = append(results, result.Result{State: state, Record: result.Record{
				ID: id, Student: "s-" + id, Component: component, Assessor: assessor, Exam: exam}})
		}
	}
	add(12, "ass-1", "KT1-W1", january, result.Final)
	add(3, "ass-1", "KT1-W2", january, result.Provisional)
	add(9, "ass-2", "KT1-W1", january, result.Final)
	add(4, "ass-2", "KT1-W1", january.AddDate(0, 1, 0), result.Final) // February: outside the window
	add(2, "ass-3", "KT1-W1", january, result.Received)               // not registered: no candidates

	spec := audit.SampleSpec{
		Seed: 2027_01, Percent: 20, Minimum: 2,
		From:  calendar.Date{Year: 2027, Month: time.January, Day: 1}.In(cal.Location()),
		Until: calendar.Date{Year: 2027, Month: time.February, Day: 1}.In(cal.Location()),
		Note:  "steekproef januari 2027",
	}
	sample, err := audit.DrawSample(spec, results)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range sample.Strata {
		fmt.Printf("%s × %s: %d of %d: %v\n", st.Assessor, st.Component, len(st.Picked), st.Size, st.Picked)
	}

	ctx := context.Background()
	store := &audit.MemoryStore{}
	log, err := audit.NewLog(store)
	if err != nil {
		fmt.Println(err)
		return
	}
	committee := result.Actor{ID: "ec-voorzitter", Role: timeline.ExamCommittee}
	index, err := log.AppendSample(ctx, sample, committee, time.Date(2027, time.February, 3, 10, 0, 0, 0, cal.Location()))
	if err != nil {
		fmt.Println(err)
		return
	}
	records, _ := store.Records(ctx, index, index+1)
	back, actor, err := audit.ReadSample(records[0])
	fmt.Println("recorded as", records[0].Type, "by", actor.ID, "("+actor.Role.String()+"):", err)
	fmt.Println("read back the same:", reflect.DeepEqual(back, sample))
	_, err = audit.Verify(ctx, store, nil)
	fmt.Println("verified:", err)
	// Output:
	// ass-1 × KT1-W1: 3 of 12: [r-012 r-008 r-003]
	// ass-1 × KT1-W2: 2 of 3: [r-014 r-013]
	// ass-2 × KT1-W1: 2 of 9: [r-024 r-022]
	// recorded as sample_drawn by ec-voorzitter (exam_committee): <nil>
	// read back the same: true
	// verified: <nil>
}
