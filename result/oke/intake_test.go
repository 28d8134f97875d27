package oke

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	first   = "a1000000-0000-4000-8000-000000000001" // s-101, attempt 1, one extra allowed
	ended   = "a1000000-0000-4000-8000-000000000002" // canceled meanwhile
	levels  = "a1000000-0000-4000-8000-000000000003" // a reference-level component
	session = "5ffc6127-debe-48ce-90ae-75ea80756475" // the offering of the enrolments first and ended

	sessionName = "variant12" // the executedOfferingName message sends: the session's key
)

var ams = calendar.Default().Location()

func at(day string, h int) time.Time {
	d, err := calendar.ParseDate(day)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, ams)
}

func directory(t testing.TB) *Memory {
	t.Helper()
	f, err := os.Open("testdata/directory.json")
	require.NoError(t, err)
	defer f.Close()
	dir, err := LoadDirectory(f)
	require.NoError(t, err)
	return dir
}

func newIntake(t testing.TB) *Intake {
	return &Intake{Directory: directory(t), Calendar: calendar.Default(), Policies: timeline.DefaultPolicies(), Store: NewStore()}
}

// message returns a flow-5 body for the association: a completed score of
// 8.7 (65 of 75, the norm's own grade) for an exam on 18 January 2027,
// changed by the edits.
func message(t testing.TB, id string, attempt int, edits ...func(m, res, rc map[string]any)) []byte {
	t.Helper()
	rc := map[string]any{
		"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": sessionName,
		"assessorId": "05035972-0619-4d0b-8a09-7bdb6eee5e6d", "assessorCode": "JAJE",
		"rawScore": 65, "maxRawScore": 75, "testDate": "2027-01-18T11:00:00+01:00",
	}
	res := map[string]any{"state": "completed", "score": "8.7", "resultDate": "2027-02-04", "weight": 100,
		"consumers": []any{rc}}
	m := map[string]any{"associationType": "componentOfferingAssociation", "result": res,
		"consumers": []any{map[string]any{"consumerKey": "nl-test-admin", "orgAssociationId": id, "attempt": attempt}}}
	for _, e := range edits {
		e(m, res, rc)
	}
	body, err := json.Marshal(m)
	require.NoError(t, err)
	return body
}

func deliver(t testing.TB, in *Intake, method Method, id string, body []byte, now time.Time) Receipt {
	t.Helper()
	rc, err := in.Deliver(Delivery{Method: method, AssociationID: id, Body: body}, now)
	require.NoError(t, err)
	return rc
}

func codes(rs []Reason) []Code {
	var out []Code
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

func stored(t testing.TB, in *Intake, id string) result.Result {
	t.Helper()
	r, ok := in.Store.Result(id)
	require.True(t, ok, "no result %s", id)
	return r
}

func TestAcceptedAndRegistered(t *testing.T) {
	in := newIntake(t)
	rc := deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	assert.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
	assert.Equal(t, 1, rc.Seq)
	r := stored(t, in, first)
	assert.Equal(t, result.Provisional, r.State)
	assert.Equal(t, "8.7", r.Grade.String())
	assert.Equal(t, "s-101", r.Student)
	assert.Equal(t, session, r.Offering)
	assert.Equal(t, &result.RawScore{Points: 65, Max: 75}, r.RawScore)
	assert.Equal(t, at("2027-01-18", 11), r.Exam)
	assert.Equal(t, result.OKE, r.Source)
	require.Len(t, rc.Events, 2)
	assert.Equal(t, result.EventReceived, rc.Events[0].Type)
	assert.Equal(t, result.EventRegistered, rc.Events[1].Type)
}

func TestSameMessageTwiceChangesNothing(t *testing.T) {
	in := newIntake(t)
	body := message(t, first, 1)
	deliver(t, in, Patch, first, body, at("2027-02-05", 9))
	before := stored(t, in, first)
	rc := deliver(t, in, Patch, first, body, at("2027-02-05", 10))
	assert.Equal(t, Duplicate, rc.Outcome)
	assert.Empty(t, rc.Events)
	assert.Equal(t, before, stored(t, in, first))
	// The same content with other whitespace and key order is the same message.
	var v any
	require.NoError(t, json.Unmarshal(body, &v))
	pretty, _ := json.MarshalIndent(v, "", "    ")
	assert.Equal(t, Duplicate, deliver(t, in, Patch, first, pretty, at("2027-02-05", 11)).Outcome)
	assert.Len(t, in.Store.(*MemoryStore).Log(), 3, "every delivery is kept")
}

func TestAttendanceThenScoreMerges(t *testing.T) {
	in := newIntake(t)
	attendance := message(t, first, 1, func(m, res, rc map[string]any) {
		res["state"] = "in progress"
		delete(res, "score")
		delete(rc, "rawScore")
		delete(rc, "maxRawScore")
	})
	rc := deliver(t, in, Patch, first, attendance, at("2027-01-18", 16))
	assert.Equal(t, Accepted, rc.Outcome)
	assert.Equal(t, result.Received, stored(t, in, first).State, "attendance only: not registered yet")

	rc = deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	assert.Equal(t, Merged, rc.Outcome, "%v", rc.Reasons)
	r := stored(t, in, first)
	assert.Equal(t, result.Provisional, r.State)
	assert.Equal(t, "8.7", r.Grade.String())
	assert.Equal(t, []result.EventType{result.EventRedelivered, result.EventRegistered},
		[]result.EventType{rc.Events[0].Type, rc.Events[1].Type})
}

func TestReplacedBeforePublicationIsANewVersion(t *testing.T) {
	in := newIntake(t)
	in.HoldForCheck = true
	deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	assert.Equal(t, result.Received, stored(t, in, first).State, "held for the import check")
	replaced := message(t, first, 1, func(m, res, rc map[string]any) { res["score"] = "10.0"; rc["rawScore"] = 75 })
	rc := deliver(t, in, Patch, first, replaced, at("2027-02-05", 10))
	assert.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
	assert.Equal(t, "8.7", rc.Events[0].OldGrade.String(), "the old version is kept")
	assert.Equal(t, "10.0", stored(t, in, first).Grade.String())
	assert.Len(t, in.Store.(*MemoryStore).Events(first), 2)
}

func TestChangedRedeliveryAfterPublicationNeverOverwrites(t *testing.T) {
	in := newIntake(t)
	deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	changed := message(t, first, 1, func(m, res, rc map[string]any) { res["score"] = "10.0"; rc["rawScore"] = 75 })
	rc := deliver(t, in, Patch, first, changed, at("2027-02-08", 9))
	assert.Equal(t, Exception, rc.Outcome)
	require.Len(t, rc.Reasons, 1)
	assert.Equal(t, Code(result.ChangedRedelivery), rc.Reasons[0].Code)
	assert.Contains(t, rc.Reasons[0].Message, "grade 8.7 → 10.0")
	r := stored(t, in, first)
	assert.Equal(t, "8.7", r.Grade.String(), "never overwritten")
	assert.Equal(t, result.OnHold, r.State, "a person decides")

	// After determination too.
	in2 := newIntake(t)
	deliver(t, in2, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	r = stored(t, in2, first)
	_, err := r.Do(result.Command{Action: result.Determine}, result.Context{
		Actor: result.Actor{ID: "ec", Role: timeline.ExamCommittee}, Calendar: calendar.Default(),
		Policies: timeline.DefaultPolicies(), Now: at("2027-03-01", 9)})
	require.NoError(t, err)
	require.NoError(t, in2.Store.Save(r, nil))
	rc = deliver(t, in2, Patch, first, changed, at("2027-03-02", 9))
	assert.Equal(t, Exception, rc.Outcome)
	r = stored(t, in2, first)
	assert.Equal(t, result.Final, r.State)
	assert.Equal(t, "8.7", r.Grade.String())
}

func TestFinalFromTheSenderIsRecordedNotObeyed(t *testing.T) {
	in := newIntake(t)
	rc := deliver(t, in, Patch, first, message(t, first, 1, func(m, res, rc map[string]any) { rc["final"] = true }),
		at("2027-02-05", 9))
	assert.Equal(t, Accepted, rc.Outcome)
	r := stored(t, in, first)
	assert.True(t, r.SenderFinal)
	assert.Equal(t, result.Provisional, r.State)
}

func TestMustAcceptWithException(t *testing.T) {
	in := newIntake(t)
	// An enrolment canceled meanwhile.
	rc := deliver(t, in, Patch, ended, message(t, ended, 1), at("2027-02-05", 9))
	assert.Equal(t, Exception, rc.Outcome)
	assert.Equal(t, []Code{Code(result.EnrolmentEnded)}, codes(rc.Reasons))
	assert.Equal(t, result.Provisional, stored(t, in, ended).State)

	// An extra attempt, then an unforeseen one beyond those allowed.
	second := "a1000000-0000-4000-8000-0000000000b2"
	retake := func(m, res, rc map[string]any) { rc["testDate"] = "2027-03-01T11:00:00+01:00" }
	rc = deliver(t, in, Put, second, message(t, first, 2, retake), at("2027-03-05", 9))
	assert.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
	r := stored(t, in, second)
	assert.Equal(t, first, r.Retakes)
	assert.Equal(t, 2, r.Attempt)
	third := "a1000000-0000-4000-8000-0000000000b3"
	rc = deliver(t, in, Put, third, message(t, first, 3, retake), at("2027-03-05", 10))
	assert.Equal(t, Exception, rc.Outcome)
	assert.Equal(t, []Code{Code(result.UnforeseenAttempt)}, codes(rc.Reasons))
	assert.Contains(t, rc.Reasons[0].Message, "beyond the 1 extra attempts")

	// The same attempt number under another association is unforeseen too:
	// a new association is a new attempt (§3.5.2), accepted.
	rc = deliver(t, in, Put, "a1000000-0000-4000-8000-0000000000b9", message(t, first, 2, retake), at("2027-03-05", 11))
	assert.Equal(t, Exception, rc.Outcome)
	assert.Equal(t, []Code{Code(result.UnforeseenAttempt)}, codes(rc.Reasons))
	assert.Equal(t, "attempt 2 was delivered before as association "+second+
		"; this association brings another result for it", rc.Reasons[0].Message)
	assert.Equal(t, 2, stored(t, in, "a1000000-0000-4000-8000-0000000000b9").Attempt)
}

func TestGradeRecomputedFromTheRawScore(t *testing.T) {
	in := newIntake(t)
	rc := deliver(t, in, Patch, first, message(t, first, 1, func(m, res, rc map[string]any) { res["score"] = "9.0" }),
		at("2027-02-05", 9))
	assert.Equal(t, Exception, rc.Outcome)
	require.Equal(t, []Code{Code(result.GradeMismatch)}, codes(rc.Reasons))
	assert.Equal(t, "delivered 9.0, but 65 of 75 points give 8.7 with cut score 41.25", rc.Reasons[0].Message)
	r := stored(t, in, first)
	assert.Equal(t, "9.0", r.Grade.String(), "the delivered grade stands until a person decides")
	assert.Equal(t, result.Provisional, r.State)
}

func TestIrregularitiesHold(t *testing.T) {
	in := newIntake(t)
	rc := deliver(t, in, Patch, first, message(t, first, 1, func(m, res, rc map[string]any) {
		rc["irregularities"] = "Jantje heeft gespiekt."
	}), at("2027-02-05", 9))
	assert.Equal(t, Exception, rc.Outcome)
	assert.Equal(t, result.OnHold, stored(t, in, first).State)

	// A session report holds every result of the session, and those that
	// come later: the session is the one the results name in
	// executedOfferingName.
	in = newIntake(t)
	deliver(t, in, Patch, ended, message(t, ended, 1), at("2027-02-05", 9))
	events, err := in.SessionReport(sessionName, "fire alarm during the exam", at("2027-02-05", 12))
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, result.OnHold, stored(t, in, ended).State)
	rc = deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-06", 9))
	assert.Equal(t, Exception, rc.Outcome)
	assert.Contains(t, rc.Reasons[0].Message, "session report: fire alarm")
	assert.Equal(t, result.OnHold, stored(t, in, first).State)
	// Other sessions are untouched.
	deliver(t, in, Patch, levels, message(t, levels, 1, func(m, res, rc map[string]any) {
		res["score"] = "2F"
		delete(rc, "assessorId")
		rc["executedOfferingName"] = "NE-2F 18-01 middag"
	}), at("2027-02-06", 9))
	assert.Equal(t, result.Provisional, stored(t, in, levels).State)
}

func TestRejectedWithEveryReason(t *testing.T) {
	cases := []struct {
		name   string
		method Method
		id     string
		body   []byte
		want   []Code
		field  string
	}{
		{"unknown enrolment", Patch, "x-1", message(t, "x-1", 1), []Code{CodeUnknownAssociation}, "consumers[0].orgAssociationId"},
		{"score off the scale", Patch, first, message(t, first, 1, func(m, res, rc map[string]any) { res["score"] = "V" }),
			[]Code{CodeScoreScale}, "result.score"},
		{"another student", Put, "p-1", message(t, first, 2, func(m, res, rc map[string]any) { m["person"] = "s-999" }),
			[]Code{CodeWrongStudent}, "person"},
		{"malformed", Patch, first, []byte(`{"result": `), []Code{CodeMalformed}, ""},
		{"several at once", Patch, first, message(t, first, 1, func(m, res, rc map[string]any) {
			res["weight"] = 50
			rc["attendance"] = "sleeping"
		}), []Code{CodeOutOfRange, CodeUnknownValue}, "result.weight"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := newIntake(t)
			rc := deliver(t, in, tc.method, tc.id, tc.body, at("2027-02-05", 9))
			assert.Equal(t, Rejected, rc.Outcome)
			assert.ElementsMatch(t, tc.want, codes(rc.Reasons), "%v", rc.Reasons)
			assert.Equal(t, tc.field, rc.Reasons[0].Field)
			_, made := in.Store.Result(tc.id)
			assert.False(t, made, "a rejected message makes no result")
			log := in.Store.(*MemoryStore).Log()
			require.Len(t, log, 1, "the rejected message is kept")
			assert.Equal(t, tc.body, log[0].Delivery.Body)
			assert.Equal(t, Rejected, log[0].Receipt.Outcome)
		})
	}
}

func TestMissingExamDateWaitsForAPerson(t *testing.T) {
	in := newIntake(t)
	rc := deliver(t, in, Patch, first, message(t, first, 1, func(m, res, rc map[string]any) { delete(rc, "testDate") }),
		at("2027-02-05", 9))
	assert.Equal(t, Exception, rc.Outcome)
	assert.Equal(t, []Code{Code(result.ExamDateUnconfirmed), CodeNotRegistered}, codes(rc.Reasons))
	assert.Equal(t, "the result waits, received, for a person: exam: missing", rc.Reasons[1].Message)
	assert.Equal(t, result.Received, stored(t, in, first).State, "without an exam date it cannot be registered")
}

func TestUnauthorisedAssessor(t *testing.T) {
	in := newIntake(t)
	rc := deliver(t, in, Patch, first, message(t, first, 1, func(m, res, rc map[string]any) {
		rc["assessorId"], rc["assessorCode"] = "someone-else", "XYZ"
	}), at("2027-02-05", 9))
	assert.Equal(t, Exception, rc.Outcome)
	assert.Equal(t, []Code{Code(result.AssessorUnauthorised)}, codes(rc.Reasons))
}

func TestBatchReport(t *testing.T) {
	in := newIntake(t)
	rep, err := in.Batch([]Delivery{
		{Patch, first, message(t, first, 1)},
		{Patch, first, message(t, first, 1)},
		{Patch, ended, message(t, ended, 1)},
		{Patch, "nobody", message(t, "nobody", 1)},
	}, at("2027-02-05", 9))
	require.NoError(t, err)
	assert.Equal(t, map[Outcome]int{Accepted: 1, Duplicate: 1, Exception: 1, Rejected: 1}, rep.Counts)
	assert.Len(t, rep.Receipts, 4)
	assert.Equal(t, []int{1, 2, 3, 4}, []int{rep.Receipts[0].Seq, rep.Receipts[1].Seq, rep.Receipts[2].Seq, rep.Receipts[3].Seq})
}

func TestDirectoryValidation(t *testing.T) {
	_, err := NewMemory([]Association{{ID: "a", Student: "s", Component: "nope", Attempt: 1}},
		[]Component{{Code: "c"}, {Code: "d", Scale: result.Decimal0To10, Norm: &result.Norm{Scale: result.PassFail}}})
	require.ErrorIs(t, err, ErrInvalidDirectory)
	for _, want := range []string{"component c: no valid scale", "its norm is for scale pass-or-fail", "unknown component nope"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestLaterAttemptEnrolmentsAndPatchToUnknownAssociations(t *testing.T) {
	in := newIntake(t)
	// The directory's enrolment 5a52… is itself attempt 2: it registers.
	const attempt2 = "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6"
	rc := deliver(t, in, Patch, attempt2, message(t, attempt2, 2, func(m, res, rc map[string]any) {
		rc["testDate"] = "2027-02-01T11:00:00+01:00"
	}), at("2027-02-05", 9))
	assert.Equal(t, Accepted, rc.Outcome, "%v", rc.Reasons)
	assert.Equal(t, result.Provisional, stored(t, in, attempt2).State)

	// A PATCH for an association nobody brought by PUT first.
	rc = deliver(t, in, Patch, "a1000000-0000-4000-8000-0000000000f1", message(t, first, 2), at("2027-02-05", 9))
	assert.Equal(t, Rejected, rc.Outcome)
	assert.Equal(t, []Code{CodeUnknownAssociation}, codes(rc.Reasons))
	assert.Contains(t, rc.Reasons[0].Message, "comes by PUT")
}

func TestResultStoreKeepsNoEvents(t *testing.T) {
	in := newIntake(t)
	in.Store = NewResultStore()
	rc := deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	assert.Len(t, rc.Events, 2, "the receipt still carries them")
	assert.Equal(t, result.Provisional, stored(t, in, first).State)
	assert.Nil(t, in.Store.(*MemoryStore).Events(first))
	assert.Len(t, in.Store.(*MemoryStore).Log(), 1)
}
