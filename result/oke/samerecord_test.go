package oke

import (
	"reflect"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// sameRecord says what reflect.DeepEqual says of records, for a change to
// any one field, but for the exam, which it compares as an instant: a
// result read back from the trail has it in another *time.Location.
func TestSameRecordIsDeepEqual(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	grade, err := result.ParseGrade(result.Decimal0To10, "7.5")
	if err != nil {
		t.Fatal(err)
	}
	base := result.Record{ID: "a", Student: "s", Component: "c", Programme: "p", Crebo: "25180", Team: "t", Attempt: 1,
		Exam: time.Date(2027, 3, 1, 11, 0, 0, 0, ams), Assessor: "A1", Grade: grade, Attendance: result.Present,
		Source: result.OKE, Offering: "o", ExecutedOffering: "v1", RawScore: &result.RawScore{Points: 30, Max: 40}}
	changes := []func(r *result.Record){
		func(r *result.Record) {},
		func(r *result.Record) { r.ID = "b" },
		func(r *result.Record) { r.Retakes = "x" },
		func(r *result.Record) { r.Exam = r.Exam.Add(time.Nanosecond) },
		func(r *result.Record) { r.Exam = r.Exam.In(time.UTC) },
		func(r *result.Record) { r.Grade = result.Grade{} },
		func(r *result.Record) { r.RawScore = &result.RawScore{Points: 30, Max: 40} }, // equal, not the same
		func(r *result.Record) { r.RawScore = &result.RawScore{Points: 31, Max: 40} },
		func(r *result.Record) { r.RawScore = nil },
		func(r *result.Record) { r.SenderFinal = true },
	}
	for i, change := range changes {
		other := base
		change(&other)
		sameInstant := i == 4
		if got, want := sameRecord(&base, &other), reflect.DeepEqual(base, other) || sameInstant; got != want {
			t.Errorf("change %d: sameRecord %v, DeepEqual %v", i, got, want)
		}
		if got, want := sameRecord(&other, &base), reflect.DeepEqual(other, base) || sameInstant; got != want {
			t.Errorf("change %d, the other way: sameRecord %v, DeepEqual %v", i, got, want)
		}
	}
}
