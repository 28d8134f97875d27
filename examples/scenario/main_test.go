package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/internal/cmdtest"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

var update = flag.Bool("update", false, "rewrite testdata/*.out.json with the outcomes of the scenarios")

// cases returns the scenarios in testdata, by name.
func cases(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".out.json") {
			names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
		}
	}
	require.NotEmpty(t, names)
	return names
}

// run1 runs the command and returns its status, output and errors.
func run1(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// Every scenario in testdata runs, and prints what its golden file holds;
// with -update the golden files are written instead.
func TestScenarios(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			code, out, errs := run1(t, "", filepath.Join("testdata", name+".json"))
			require.Equal(t, 0, code, errs)
			require.Empty(t, errs)
			golden := filepath.Join("testdata", name+".out.json")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden file: run go test -run TestScenarios -update")
			assert.Equal(t, string(want), out)
		})
	}
}

// The shipped scenarios show what they are meant to show.
func TestScenarioStories(t *testing.T) {
	ran := func(name string) outcome {
		t.Helper()
		code, out, errs := run1(t, "", filepath.Join("testdata", name+".json"))
		require.Equal(t, 0, code, errs)
		var o outcome
		require.NoError(t, json.Unmarshal([]byte(out), &o))
		require.True(t, o.Trail.Verified)
		return o
	}
	notices := func(o outcome) []string {
		var out []string
		for _, n := range o.Notices {
			out = append(out, n.Result+" "+n.Kind+" "+n.On)
		}
		return out
	}

	a := ran("a-on-time")
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "7.5", DeterminedOn: "2027-03-01"}, a.Results["a-101"])
	assert.Empty(t, a.Steps[2].Determined, "not on 26 February: the exam rule binds")
	assert.Equal(t, []string{"a-101 provisional 2027-02-05", "a-101 final 2027-03-01"}, notices(a))
	assert.Empty(t, a.Conflicts)

	b := ran("b-late")
	assert.Equal(t, oke.Outcome("exception"), b.Steps[0].Outcome)
	assert.Equal(t, []string{"late_assessment"}, b.Steps[0].Reasons)
	assert.Empty(t, b.Steps[3].Determined, "not on 28 May: the registration rule binds")
	assert.Equal(t, "2027-06-01", b.Results["a-201"].DeterminedOn)
	assert.Equal(t, []string{"registered_late", "determination_postponed"}, b.Conflicts["a-201"])

	c := ran("complaint")
	assert.Equal(t, []string{"wrong_role"}, c.Steps[4].Codes)
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "6.0", DeterminedOn: "2027-03-08"}, c.Results["a-101"])
	assert.Contains(t, notices(c), "a-101 complaint_decided 2027-02-15")

	ap := ran("appeal")
	assert.Equal(t, []string{"separation_of_duties"}, ap.Steps[5].Codes)
	assert.Equal(t, result.Final, ap.Results["a-101"].State)
	assert.Equal(t, result.Annulled, ap.Results["a-102"].State)

	co := ran("correction")
	assert.Equal(t, []string{"command"}, co.Steps[3].Codes)
	assert.Equal(t, resultOutcome{State: result.Superseded, Grade: "5.4", DeterminedOn: "2027-03-01", SupersededBy: "a-101-2"},
		co.Results["a-101"])
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "6.4", DeterminedOn: "2027-03-24", Supersedes: "a-101"},
		co.Results["a-101-2"])

	in := ran("invalidation")
	assert.Equal(t, []string{"wrong_role"}, in.Steps[3].Codes)
	assert.Equal(t, result.Invalidated, in.Results["a-102"].State)
	assert.Empty(t, in.Results["a-102"].DeterminedOn)
	assert.Contains(t, notices(in), "a-102 invalidated 2027-02-12")

	e := ran("early")
	assert.Equal(t, []string{"no_mandate"}, e.Steps[2].Codes)
	assert.Equal(t, []string{"command"}, e.Steps[3].Codes)
	assert.Equal(t, "2027-02-12", e.Results["a-101"].DeterminedOn)
	assert.Equal(t, []string{"inspection_cut_short"}, e.Conflicts["a-101"])
}

// story runs a shipped scenario and returns its outcome, the trail
// verified.
func story(t *testing.T, name string) outcome {
	t.Helper()
	code, out, errs := run1(t, "", filepath.Join("testdata", name+".json"))
	require.Equal(t, 0, code, errs)
	var o outcome
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	require.True(t, o.Trail.Verified)
	return o
}

// told lists the notices of an outcome as "result kind day", in order.
func told(o outcome) []string {
	var out []string
	for _, n := range o.Notices {
		out = append(out, n.Result+" "+n.Kind+" "+n.On)
	}
	return out
}

// toldOf lists the notices of one result as "kind day", in order.
func toldOf(o outcome, id string) []string {
	var out []string
	for _, n := range o.Notices {
		if n.Result == id {
			out = append(out, n.Kind+" "+n.On)
		}
	}
	return out
}

// blockedReasons returns the reasons a daily run step gave for not
// determining the result, joined; "" when it was not blocked.
func blockedReasons(s stepOutcome, id string) string {
	for _, b := range s.Blocked {
		if b.Result == id {
			return strings.Join(b.Reasons, "; ")
		}
	}
	return ""
}

// Issue 14, item 1: every change of status is told; an early
// determination on the day of registration sends both messages.
func TestStoryD01EveryChangeTold(t *testing.T) {
	o := story(t, "d01-every-change-told")
	assert.Equal(t, []result.EventType{"determined"}, o.Steps[6].Events, "a-102 determined early before the first run")
	assert.Equal(t, []string{"provisional 2027-02-05", "determined_early 2027-02-05"}, toldOf(o, "a-102"),
		"both messages of the early determination on the day of registration, provisional first")
	assert.Equal(t, []string{"provisional 2027-02-05", "final 2027-03-01", "appeal_decided 2027-03-29"}, toldOf(o, "a-101"))
	assert.Equal(t, []string{"provisional 2027-02-05", "complaint_decided 2027-02-15", "final 2027-03-01"}, toldOf(o, "a-103"))
	assert.Equal(t, []string{"provisional 2027-02-05", "final 2027-03-01", "annulled 2027-03-29"}, toldOf(o, "a-104"))
	assert.Equal(t, []string{"provisional 2027-02-05", "final 2027-03-01", "corrected 2027-03-03"}, toldOf(o, "a-105"))
	assert.Equal(t, []string{"provisional 2027-03-03", "final 2027-03-24"}, toldOf(o, "a-105-2"))
	assert.Equal(t, []string{"provisional 2027-02-05", "invalidated 2027-02-12"}, toldOf(o, "a-106"))
	kinds := map[string]bool{}
	for _, n := range o.Notices {
		kinds[n.Kind] = true
	}
	for _, k := range []string{"provisional", "final", "determined_early", "complaint_decided", "appeal_decided",
		"annulled", "corrected", "invalidated"} {
		assert.True(t, kinds[k], "no %s notice", k)
	}
	for _, s := range o.Steps {
		assert.Empty(t, s.Failed, "a notice failed")
	}
	assert.Equal(t, result.Annulled, o.Results["a-104"].State)
	assert.Equal(t, result.Invalidated, o.Results["a-106"].State)
	assert.Equal(t, "a-105-2", o.Results["a-105"].SupersededBy)
}

// Issue 14, item 2: a completed result without a grade is registered
// with a no_grade exception and waits for a person; notKnown waits,
// received, untold.
func TestStoryD02NoGrade(t *testing.T) {
	o := story(t, "d02-no-grade")
	for i, id := range []string{"a-201", "a-202", "a-203"} {
		s := o.Steps[i]
		assert.Equal(t, oke.Outcome("exception"), s.Outcome, id)
		assert.Equal(t, []string{"no_grade"}, s.Reasons, id)
		assert.Contains(t, s.Events, result.EventType("registered"), id)
		assert.Contains(t, blockedReasons(o.Steps[5], id), "no_grade", "%s determined with its no_grade exception open", id)
	}
	assert.Equal(t, []string{"not_registered"}, o.Steps[3].Reasons, "notKnown: not registered")
	assert.Equal(t, []result.EventType{"received"}, o.Steps[3].Events)
	assert.Equal(t, []string{"a-201", "a-202", "a-203"}, o.Steps[4].Notified, "no message for a-204")
	assert.Empty(t, o.Steps[5].Determined)
	assert.Equal(t, []string{"no_mandate"}, o.Steps[6].Codes, "a mandate without resolve_exception")
	assert.True(t, o.Steps[7].OK, "the exam administration under a mandate naming resolve_exception")
	assert.True(t, o.Steps[8].OK, "the exam committee")
	assert.Equal(t, []string{"a-201", "a-202"}, o.Steps[9].Determined)
	assert.Contains(t, blockedReasons(o.Steps[9], "a-203"), "no_grade")
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "", DeterminedOn: "2027-03-02"}, o.Results["a-201"])
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "", DeterminedOn: "2027-03-02"}, o.Results["a-202"])
	assert.Equal(t, result.Provisional, o.Results["a-203"].State)
	assert.Equal(t, result.Received, o.Results["a-204"].State)
	assert.Empty(t, toldOf(o, "a-204"), "no message while it waits, received")
}

// Issue 14, item 3: early determination needs a real decision, a purpose,
// a reason, inside the window the student's agreement, and a mandate
// naming determine_early.
func TestStoryD03EarlyDetermination(t *testing.T) {
	o := story(t, "d03-early-determination")
	for i, want := range [][]string{{"no_mandate"}, {"command"}, {"command"}, {"command"}, {"command"}, {"check_term_passed"}} {
		assert.Equal(t, want, o.Steps[3+i].Codes, "step %d: %s", 3+i, o.Steps[3+i].Message)
	}
	assert.Contains(t, o.Steps[4].Message, `"-" names none`)
	assert.Contains(t, o.Steps[5].Message, `"n.v.t." names none`)
	assert.Contains(t, o.Steps[6].Message, "diploma or a certificate")
	assert.Contains(t, o.Steps[8].Message, "StudentAgreed")
	assert.Equal(t, []result.EventType{"determined"}, o.Steps[9].Events, "under the mandate naming determine_early")
	assert.Equal(t, "2027-02-08", o.Results["a-301"].DeterminedOn)
	assert.Equal(t, []string{"inspection_cut_short"}, o.Conflicts["a-301"])
	assert.Equal(t, "2027-02-22", o.Results["a-302"].DeterminedOn, "after the window, without the student's agreement")
	assert.Empty(t, o.Conflicts["a-302"])
	assert.Equal(t, []string{"provisional 2027-02-05", "determined_early 2027-02-08"}, toldOf(o, "a-301"))
	assert.Equal(t, []string{"provisional 2027-02-05", "determined_early 2027-02-22"}, toldOf(o, "a-302"))
}

// Issue 14, item 4: a changed re-delivery is an exception carrying the
// new record; approved, the new grade is in place and told; resolved,
// the old grade stays.
func TestStoryD04ChangedRedelivery(t *testing.T) {
	o := story(t, "d04-changed-redelivery")
	for _, i := range []int{3, 4} {
		assert.Equal(t, oke.Outcome("exception"), o.Steps[i].Outcome)
		assert.Equal(t, []string{"changed_redelivery"}, o.Steps[i].Reasons)
	}
	assert.Empty(t, o.Steps[5].Notified, "nothing told while the old grade is in place")
	assert.Equal(t, []string{"wrong_role"}, o.Steps[6].Codes, "only the committee resolves a changed re-delivery")
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "6.2", DeterminedOn: "2027-03-04"}, o.Results["a-401"],
		"approved: the re-delivered grade, its terms afresh from the approval")
	assert.Equal(t, []string{"provisional 2027-02-05", "provisional 2027-02-11", "final 2027-03-04"}, toldOf(o, "a-401"))
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "5.4", DeterminedOn: "2027-03-01"}, o.Results["a-402"],
		"resolved: the old grade stays")
	assert.Equal(t, []string{"provisional 2027-02-05", "final 2027-03-01"}, toldOf(o, "a-402"))
}

// Issue 14, item 5: what the OKE agreement has the KRS accept is taken in
// with an exception, never rejected.
func TestStoryD05OKEMustAccept(t *testing.T) {
	o := story(t, "d05-oke-must-accept")
	for i, s := range o.Steps {
		assert.NotEqual(t, oke.Rejected, s.Outcome, "step %d rejected", i)
	}
	for _, tc := range []struct {
		step       int
		reasons    []string
		registered bool
	}{
		{3, []string{"attempt_mismatch"}, true},
		{4, []string{"exam_date_unconfirmed"}, true},
		{5, []string{"exam_date_unconfirmed", "not_registered"}, false},
		{7, []string{"redelivered_rejected", "not_registered"}, false},
		{8, []string{"offering_mismatch"}, true},
	} {
		s := o.Steps[tc.step]
		assert.Equal(t, oke.Outcome("exception"), s.Outcome, "step %d", tc.step)
		assert.Equal(t, tc.reasons, s.Reasons, "step %d", tc.step)
		assert.Equal(t, tc.registered, slices.Contains(s.Events, result.EventType("registered")), "step %d registered", tc.step)
	}
	assert.Equal(t, []result.EventType{"rejected"}, o.Steps[1].Events)
	assert.Equal(t, []result.EventType{"redelivered", "exception_raised"}, o.Steps[7].Events)
	assert.Equal(t, result.Provisional, o.Results["a-501"].State, "resolved and registered by the exam administration")
	assert.Equal(t, "6.7", o.Results["a-501"].Grade)
	assert.Equal(t, result.Provisional, o.Results["a-502-2"].State)
	assert.Equal(t, result.Received, o.Results["a-505"].State, "a testDate a day ahead waits for a person")
}

// Issue 14, item 6: the appeal terms: a late appeal, a second appeal, an
// appeal against an invalidation, the board's extension, and the board's
// term counted per the Algemene termijnenwet, closures aside.
func TestStoryD06AppealTerms(t *testing.T) {
	o := story(t, "d06-appeal-terms")
	assert.Equal(t, []result.EventType{"appeal_lodged"}, o.Steps[9].Events, "an appeal against the invalidation")
	assert.Equal(t, []string{"command", "term_passed"}, o.Steps[15].Codes, "late, without the board's decision")
	assert.Equal(t, []string{"command"}, o.Steps[16].Codes, `"n.v.t." names no decision`)
	assert.Equal(t, []result.EventType{"appeal_lodged"}, o.Steps[17].Events, "late, on the board's decision")
	assert.Equal(t, []string{"appeal_late"}, o.Conflicts["a-601"])
	assert.Equal(t, []string{"command", "term_passed"}, o.Steps[20].Codes, "a second appeal after the board ruled")
	assert.Contains(t, o.Steps[20].Message, "not appealed again")
	assert.Equal(t, result.Invalidated, o.Results["a-603"].State, "the invalidation stands")
	assert.Empty(t, o.Conflicts["a-603"], "decided on Tuesday 30 March: the term that ended on Good Friday moved past Easter")
	assert.Equal(t, []string{"wrong_role"}, o.Steps[23].Codes, "the committee does not extend the board's term")
	assert.Equal(t, []string{"command"}, o.Steps[24].Codes, "an extension needs a reason")
	assert.Equal(t, []result.EventType{"appeal_term_extended"}, o.Steps[25].Events)
	assert.Equal(t, []string{"command"}, o.Steps[26].Codes, "extended once")
	assert.Empty(t, o.Conflicts["a-604"], "decided within the extended term")
	assert.Empty(t, o.Conflicts["a-606"], "decided on the last day, a closure day")
	assert.Equal(t, []string{"appeal_decided_late"}, o.Conflicts["a-605"], "the closure did not move the board's term")
	for _, id := range []string{"a-602", "a-604", "a-605", "a-606"} {
		assert.Equal(t, result.Final, o.Results[id].State, id)
	}
	t.Run("a-603 told of the board's decision", func(t *testing.T) {
		assert.Contains(t, toldOf(o, "a-603"), "appeal_decided 2027-03-30")
		for _, s := range o.Steps {
			assert.Empty(t, s.Failed)
		}
	})
}

// Issue 14, item 7: an inspection is no complaint: nothing held, the
// result determined on its ordinary date.
func TestStoryD07Inspection(t *testing.T) {
	o := story(t, "d07-inspection")
	assert.Equal(t, []result.EventType{"inspection_requested"}, o.Steps[2].Events)
	assert.Equal(t, []string{"command"}, o.Steps[3].Codes, "one request at a time")
	assert.Equal(t, []string{"wrong_role"}, o.Steps[5].Codes, "a student does not grant an inspection")
	assert.Equal(t, []string{"command"}, o.Steps[6].Codes, "a grant says when and where")
	assert.Equal(t, []result.EventType{"inspection_granted"}, o.Steps[7].Events)
	assert.Empty(t, o.Steps[8].Determined, "not on 26 February: the exam rule binds")
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "5.6", DeterminedOn: "2027-03-01"}, o.Results["a-701"])
	assert.Empty(t, o.Conflicts)
	assert.Equal(t, []string{"a-701 provisional 2027-02-05", "a-701 final 2027-03-01"}, told(o))
}

// Issue 14, item 8: the successor of an annulled result is entered on the
// committee's decision, linked, and not judged late.
func TestStoryD08SuccessorAfterAnnulment(t *testing.T) {
	o := story(t, "d08-successor-after-annulment")
	assert.Equal(t, []string{"command"}, o.Steps[6].Codes, "no decision")
	assert.Equal(t, []result.EventType{"received"}, o.Steps[7].Events)
	assert.Equal(t, []result.EventType{"registered"}, o.Steps[8].Events, "no late_assessment exception")
	assert.Equal(t, resultOutcome{State: result.Annulled, Grade: "5.1", DeterminedOn: "2027-03-01", SupersededBy: "a-801-2"},
		o.Results["a-801"])
	assert.Equal(t, resultOutcome{State: result.Final, Grade: "6.0", DeterminedOn: "2027-04-28", Supersedes: "a-801"},
		o.Results["a-801-2"])
	assert.Equal(t, []string{"determination_postponed"}, o.Conflicts["a-801-2"], "no registered_late")
	assert.Equal(t, []string{"provisional 2027-04-06", "final 2027-04-28"}, toldOf(o, "a-801-2"))
}

// Issue 14, item 9: delivered in time and registered late after the
// import check is checked_late, without late_assessment; delivered late
// is registered_late, with it.
func TestStoryD09CheckedLate(t *testing.T) {
	o := story(t, "d09-checked-late")
	assert.Equal(t, []result.EventType{"received"}, o.Steps[0].Events, "held for the import check")
	assert.Equal(t, []result.EventType{"registered"}, o.Steps[5].Events, "a-901: no late_assessment")
	assert.Equal(t, []result.EventType{"registered", "exception_raised"}, o.Steps[6].Events, "a-902")
	assert.Equal(t, []string{"checked_late", "determination_postponed"}, o.Conflicts["a-901"])
	assert.Equal(t, []string{"registered_late", "determination_postponed"}, o.Conflicts["a-902"])
	assert.Empty(t, o.Conflicts["a-903"])
	assert.Equal(t, []string{"a-901"}, o.Steps[9].Determined)
	assert.Contains(t, blockedReasons(o.Steps[9], "a-902"), "late_assessment")
	assert.Equal(t, "2027-03-01", o.Results["a-903"].DeterminedOn)
}

// Issue 14, item 13: the standing mandate determines a result only once
// its student was told in time.
func TestStoryD13ToldBeforeDetermined(t *testing.T) {
	o := story(t, "d13-told-before-determined")
	assert.Empty(t, o.Steps[1].Determined)
	assert.Contains(t, blockedReasons(o.Steps[1], "a-1301"), "not told of the provisional result yet")
	assert.Equal(t, []string{"a-1301"}, o.Steps[1].Notified, "told on the determination date, after the window")
	assert.Empty(t, o.Steps[2].Determined)
	assert.Contains(t, blockedReasons(o.Steps[2], "a-1301"), "only after the inspection deadline")
	assert.Equal(t, []result.EventType{"determined"}, o.Steps[3].Events, "the exam committee decides")
	assert.Equal(t, []string{"provisional 2027-03-01", "final 2027-03-03"}, toldOf(o, "a-1301"))
	assert.Equal(t, "2027-03-03", o.Results["a-1301"].DeterminedOn)
}

// Issue 14, item 14: the default calendar keeps the decree day of Friday
// 7 May 2027; without decree days the term ends one working day earlier.
func TestStoryD14DecreeDays(t *testing.T) {
	with := story(t, "d14-decree-day")
	assert.Empty(t, with.Steps[3].Determined, "not on Friday 28 May")
	assert.Equal(t, "2027-05-31", with.Results["a-1401"].DeterminedOn)
	without := story(t, "d14-no-decree-days")
	assert.Equal(t, []string{"a-1401"}, without.Steps[3].Determined)
	assert.Equal(t, "2027-05-28", without.Results["a-1401"].DeterminedOn)
}

// base is a small valid scenario for the tests below to break: one
// enrolment, one delivery, one daily run, one action.
const base = `{
  "directory": {
    "components": [{"code": "KT1-W2", "scale": "0.0-10.0"}],
    "associations": [
      {"id": "a-1", "student": "s-1", "offering": "o-1", "component": "KT1-W2", "programme": "ICT-BOL-4",
       "crebo": "25187", "team": "ict", "attempt": 1, "attempts_left": 1, "state": "associated"}
    ]
  },
  "mandates": [
    {"id": "M-1", "granted_by": "ec", "to": "eb", "actions": ["determine"], "scope": {"all": true},
     "from": "2026-08-01T00:00:00+02:00"}
  ],
  "standing": "eb",
  "actors": [
    {"id": "eb", "role": "exam_administration"},
    {"id": "ec", "role": "exam_committee"},
    {"id": "s-1", "role": "student"}
  ],
  "steps": [
    {"at": "2027-02-05T09:00:00+01:00", "deliver": {"method": "PATCH", "id": "a-1", "body": {
      "associationType": "componentOfferingAssociation",
      "consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "a-1", "attempt": 1}],
      "result": {"state": "completed", "score": "7.5", "resultDate": "2027-02-05", "weight": 100,
        "consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "v1",
                       "assessorCode": "JAJE", "testDate": "2027-01-18T11:00:00+01:00"}]}}}},
    {"at": "2027-02-05T17:00:00+01:00", "daily_run": true},
    {"at": "2027-02-10T14:00:00+01:00", "actor": "s-1", "result": "a-1", "action": "lodge_complaint"}
  ]
}`

// The base scenario runs.
func TestBase(t *testing.T) {
	code, out, errs := run1(t, base, "-")
	require.Equal(t, 0, code, errs)
	var o outcome
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	require.Len(t, o.Steps, 3)
	for _, s := range o.Steps {
		assert.True(t, s.OK, "%+v", s)
	}
	assert.Equal(t, result.OnHold, o.Results["a-1"].State)
}

// The calendar and the policies of a scenario are the office's: a closure
// week moves the determination of worked example A from 1 March to 8
// March; a determination term of 31 working days to 2 March.
func TestCalendarAndPolicies(t *testing.T) {
	runs := `{"at": "2027-02-05T17:00:00+01:00", "daily_run": true},
    {"at": "2027-03-01T17:00:00+01:00", "daily_run": true},
    {"at": "2027-03-02T17:00:00+01:00", "daily_run": true},
    {"at": "2027-03-08T17:00:00+01:00", "daily_run": true}`
	determined := func(sections string) string {
		t.Helper()
		text := strings.Replace(base, `"standing": "eb",`, `"standing": "eb", `+sections+`,`, 1)
		text = strings.Replace(text, `{"at": "2027-02-05T17:00:00+01:00", "daily_run": true},
    {"at": "2027-02-10T14:00:00+01:00", "actor": "s-1", "result": "a-1", "action": "lodge_complaint"}`, runs, 1)
		code, out, errs := run1(t, text, "-")
		require.Equal(t, 0, code, errs)
		var o outcome
		require.NoError(t, json.Unmarshal([]byte(out), &o))
		return o.Results["a-1"].DeterminedOn
	}
	assert.Equal(t, "2027-03-01", determined(`"note": "the defaults"`))
	assert.Equal(t, "2027-03-08", determined(`"calendar": {"closures": [{"name": "Voorjaarsvakantie", "from": "2027-02-22", "to": "2027-02-26"}]}`))
	assert.Equal(t, "2027-03-02", determined(`"policies": {"versions": [{"name": "Strenger", "assessment_term": 15,
	  "inspection_term": 10, "determination_term": 31, "provisional_term": 10, "provisional_tail": 5,
	  "appeal_term": 10, "appeal_decision_weeks": 4, "appeal_extension_weeks": 2, "complaint_handling_term": 10,
	  "early_determination": true}]}`))
}

// A malformed scenario is exit status 2 with one line on stderr naming the
// file, the line and column of the fault, and its path; nothing on stdout.
func TestMalformed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string // base with old replaced by new
		at       string // the fault is at the first occurrence of this in the scenario
		want     string // the message after the position, a regexp
	}{
		{"syntax", `"standing": "eb",`, `"standing": "eb",,`, `,
  "actors"`,
			`malformed JSON: invalid character ',' looking for beginning of object key string`},
		{"truncated", base, base[:200], "", `malformed JSON: the file ends too early`},
		{"not an object", base, `[1, 2]`, `[1`, `want a scenario object, not a list`},
		{"duplicate key", `"standing": "eb",`, `"standing": "eb", "standing": "ec",`, `"standing": "ec"`,
			`the key "standing" appears twice in one object`},
		{"unknown top field", `"standing": "eb",`, `"standing": "eb", "stading": "eb",`, `"stading"`,
			`^stading: unknown field; want note, calendar, policies, settings, hold_for_check, directory, mandates, standing, actors, steps$`},
		{"missing field", `"standing": "eb",`, ``, `{`, `^"standing" is required$`},
		{"unknown actor", `"actor": "s-1"`, `"actor": "s-9"`, `"s-9"`,
			`^steps\[2\]\.actor: unknown actor "s-9"; want one of "actors"$`},
		{"unknown action", `"action": "lodge_complaint"`, `"action": "foo"`, `"foo"`,
			`^steps\[2\]\.action: unknown action "foo"; want one of receive, .*, invalidate`},
		{"unknown argument", `"action": "lodge_complaint"`, `"action": "lodge_complaint", "args": {"reasn": "x"}`, `"reasn"`,
			`^steps\[2\]\.args\.reasn: unknown field; want record, reason, .*`},
		{"action in args", `"action": "lodge_complaint"`, `"action": "lodge_complaint", "args": {"action": "x"}`, `"action": "x"`,
			`^steps\[2\]\.args\.action: the action is the step's "action", not an argument$`},
		{"argument of the wrong type", `"action": "lodge_complaint"`, `"action": "lodge_complaint", "args": {"exception_id": "1"}`, `"1"`,
			`^steps\[2\]\.args\.exception_id: want a whole number, not a JSON string$`},
		{"bad grade", `"action": "lodge_complaint"`, `"action": "lodge_complaint", "args": {"grade": {"scale": "0.0-10.0", "value": "11"}}`,
			`{"scale": "0.0-10.0", "value": "11"}`, `^steps\[2\]\.args\.grade: .*11`},
		{"two kinds", `"daily_run": true}`, `"daily_run": true, "deliver": {}}`, `"deliver": {}`,
			`^steps\[1\]\.deliver: a step does one thing: daily_run, or deliver, not both$`},
		{"no kind", `"daily_run": true}`, `"note": "x"}`, `{"at": "2027-02-05T17:00:00+01:00", "note"`,
			`^steps\[1\]: want one of deliver, session_report, daily_run or action$`},
		{"action key in another step", `"daily_run": true}`, `"daily_run": true, "actor": "eb"}`, `"actor": "eb"}`,
			`^steps\[1\]\.actor: belongs to an action step, not to a daily_run step$`},
		{"hold for check", `"standing": "eb",`, `"standing": "eb", "hold_for_check": "yes",`, `"yes"`,
			`^hold_for_check: want true or false, not a JSON string$`},
		{"daily run false", `"daily_run": true`, `"daily_run": false`, `false`, `^steps\[1\]\.daily_run: want true, not false$`},
		{"bad moment", `"2027-02-05T17:00:00+01:00"`, `"5 februari"`, `"5 februari"`,
			`^steps\[1\]\.at: "5 februari": want an RFC 3339 date-time`},
		{"missing moment", `{"at": "2027-02-05T17:00:00+01:00", "daily_run": true}`, `{"daily_run": true}`, `{"daily_run": true}`,
			`^steps\[1\]: "at" is required`},
		{"out of order", `"2027-02-10T14:00:00+01:00"`, `"2027-02-01T14:00:00+01:00"`, `"2027-02-01T14:00:00+01:00"`,
			`^steps\[2\]\.at: 2027-02-01T14:00:00\+01:00 is before the moment of steps\[1\]`},
		{"delivery without body", `"id": "a-1", "body": {`, `"id": "a-1", "bod": {`, `"bod"`,
			`^steps\[0\]\.deliver\.bod: unknown field; want method, id, body, raw_body$`},
		{"body twice", `"id": "a-1", "body": {`, `"id": "a-1", "raw_body": "{", "body": {`, `{"method": "PATCH", "id": "a-1", "raw`,
			`^steps\[0\]\.deliver: give "body" or "raw_body", not both$`},
		{"unknown standing", `"standing": "eb"`, `"standing": "nobody"`, `"nobody"`,
			`^standing: unknown actor "nobody"`},
		{"actor without role", `{"id": "ec", "role": "exam_committee"}`, `{"id": "ec"}`, `{"id": "ec"}`,
			`^actors\[1\]\.role: is required: one of assessor, exam_administration, exam_committee, appeals_board, student, system$`},
		{"unknown role", `"role": "exam_committee"`, `"role": "dean"`, `"dean"`, `^actors\[1\]\.role: .*unknown role "dean"$`},
		{"actor twice", `{"id": "ec", "role": "exam_committee"}`, `{"id": "eb", "role": "exam_committee"}`, `{"id": "eb", "role": "exam_committee"}`,
			`^actors\[1\]\.id: the actor "eb" appears twice$`},
		{"settings empty", `"standing": "eb",`, `"standing": "eb", "settings": {"krs": ""},`, `{"krs": ""}`,
			`^settings: .*KRS`},
		{"settings unknown", `"standing": "eb",`, `"standing": "eb", "settings": {"kr": "x"},`, `"kr"`,
			`^settings\.kr: unknown field; want institution, krs, committee_address, appeals_board_address$`},
		{"calendar field", `"standing": "eb",`, `"standing": "eb", "calendar": {"closures": [{"name": "x", "from": "2027-13-01", "to": "2027-12-01"}]},`,
			`"2027-13-01"`, `^calendar\.closures\[0\]\.from: invalid date`},
		{"calendar unknown", `"standing": "eb",`, `"standing": "eb", "calendar": {"clossures": []},`, `"clossures"`,
			`^calendar\.clossures: unknown field "clossures"$`},
		{"policies", `"standing": "eb",`, `"standing": "eb", "policies": {"versions": [{"assessment_term": 15}]},`,
			`{"assessment_term": 15}`, `^policies: versions\[0\]\.`},
		{"directory type", `"attempt": 1, "attempts_left"`, `"attempt": "one", "attempts_left"`, `"one"`,
			`^directory\.associations\[0\]\.attempt: want a whole number, not a JSON string$`},
		{"directory unknown", `"team": "ict",`, `"team": "ict", "tema": "x",`, `"tema"`,
			`^directory\.associations\[0\]\.tema: unknown field`},
		{"directory invalid", `"component": "KT1-W2", "programme"`, `"component": "KT9", "programme"`, `{
    "components"`,
			`^directory: .*KT9`},
		{"mandate action", `"actions": ["determine"]`, `"actions": ["determin"]`, `"determin"`,
			`^mandates\[0\]\.actions\[0\]: .*unknown action "determin"$`},
		{"mandate invalid", `"scope": {"all": true}`, `"scope": {}`, `[
    {"id": "M-1"`, `^mandates: .*scope`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, base, tc.old)
			text := strings.Replace(base, tc.old, tc.new, 1)
			code, out, errs := run1(t, text, "-")
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			require.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
			off := len(text)
			if tc.at != "" {
				off = strings.Index(text, tc.at)
				require.GreaterOrEqual(t, off, 0, "no %q in the scenario", tc.at)
			}
			line, col := position([]byte(text), off)
			prefix := fmt.Sprintf("scenario: stdin:%d:%d: ", line, col)
			require.True(t, strings.HasPrefix(errs, prefix), "want %q, got %q", prefix, errs)
			assert.Regexp(t, regexp.MustCompile(tc.want), strings.TrimSuffix(strings.TrimPrefix(errs, prefix), "\n"))
		})
	}
}

// A file named on the command line is named in the message.
func TestMalformedFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "case.json")
	require.NoError(t, os.WriteFile(name, []byte(strings.Replace(base, `"lodge_complaint"`, `"foo"`, 1)), 0o644))
	code, out, errs := run1(t, "", name)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^scenario: `+regexp.QuoteMeta(name)+`:\d+:\d+: steps\[2\]\.action: unknown action "foo"`, errs)
}

// A refused step is an outcome, not a failure: exit status 0, the step
// not ok, with its codes and the error's text.
func TestRefusedStep(t *testing.T) {
	text := strings.Replace(base, `"actor": "s-1", "result": "a-1", "action": "lodge_complaint"`,
		`"actor": "s-1", "result": "a-1", "action": "determine"`, 1)
	code, out, errs := run1(t, text, "-")
	require.Equal(t, 0, code, errs)
	assert.Empty(t, errs)
	var o outcome
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	s := o.Steps[2]
	assert.False(t, s.OK)
	assert.Equal(t, []string{"wrong_role"}, s.Codes)
	assert.Contains(t, s.Message, "s-1 (student) may not determine")
	assert.Equal(t, result.Provisional, o.Results["a-1"].State)

	// A rejected delivery: not ok, the reasons' codes.
	text = strings.Replace(base, `"id": "a-1", "body"`, `"id": "a-9", "body"`, 1)
	text = strings.Replace(text, `"orgAssociationId": "a-1"`, `"orgAssociationId": "a-9"`, 1)
	code, out, errs = run1(t, text, "-")
	require.Equal(t, 0, code, errs)
	o = outcome{}
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	assert.Equal(t, stepOutcome{Outcome: "rejected", Codes: []string{"unknown_association"}, Message: o.Steps[0].Message},
		o.Steps[0])
	assert.NotEmpty(t, o.Steps[0].Message)

	// A session report that is not flow 4: not ok, the rejection's codes.
	text = strings.Replace(base, `{"at": "2027-02-05T17:00:00+01:00", "daily_run": true}`,
		`{"at": "2027-02-05T10:00:00+01:00", "session_report": {"id": "o-1", "body": {"consumers": []}}},
    {"at": "2027-02-05T11:00:00+01:00", "session_report": {"id": "o-1", "body": {"consumers": [
      {"consumerKey": "nl-test-admin", "irregularities": "a fire alarm"}]}}},
    {"at": "2027-02-05T17:00:00+01:00", "daily_run": true}`, 1)
	code, out, errs = run1(t, text, "-")
	require.Equal(t, 0, code, errs)
	o = outcome{}
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	assert.False(t, o.Steps[1].OK)
	assert.Equal(t, []string{"missing_field"}, o.Steps[1].Codes)
	assert.True(t, o.Steps[2].OK)
	assert.Equal(t, result.OnHold, o.Results["a-1"].State, "held for the session's irregularity")
}

// A body given as text is delivered as it is: one that is not JSON is
// rejected as malformed.
func TestRawBody(t *testing.T) {
	text := strings.Replace(base, `{"at": "2027-02-05T17:00:00+01:00", "daily_run": true}`,
		`{"at": "2027-02-05T10:00:00+01:00", "deliver": {"method": "PATCH", "id": "a-1", "raw_body": "{\"result\": "}},
    {"at": "2027-02-05T17:00:00+01:00", "daily_run": true}`, 1)
	code, out, errs := run1(t, text, "-")
	require.Equal(t, 0, code, errs)
	var o outcome
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	assert.Equal(t, oke.Rejected, o.Steps[1].Outcome)
	assert.Equal(t, []string{"malformed_json"}, o.Steps[1].Codes)
}

// With hold_for_check a delivery waits, received, until the exam
// administration registers it.
func TestHoldForCheck(t *testing.T) {
	text := strings.Replace(base, `"standing": "eb",`, `"standing": "eb", "hold_for_check": true,`, 1)
	text = strings.Replace(text, `"actor": "s-1", "result": "a-1", "action": "lodge_complaint"`,
		`"actor": "eb", "result": "a-1", "action": "register"`, 1)
	code, out, errs := run1(t, text, "-")
	require.Equal(t, 0, code, errs)
	var o outcome
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	assert.Equal(t, []result.EventType{"received"}, o.Steps[0].Events)
	assert.Empty(t, o.Steps[1].Notified, "nothing registered, nothing told")
	assert.Equal(t, []result.EventType{"registered"}, o.Steps[2].Events)
	assert.Equal(t, result.Provisional, o.Results["a-1"].State)
}

// An office that will not open is exit status 1: a standing actor no
// mandate lets determine.
func TestOfficeWouldNotOpen(t *testing.T) {
	code, out, errs := run1(t, strings.Replace(base, `"standing": "eb"`, `"standing": "ec"`, 1), "-")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^scenario: stdin: the office would not open: .*ec holds no mandate to determine\n$`, errs)
}

func TestUsage(t *testing.T) {
	for _, arg := range []string{"-h", "-help"} {
		code, out, errs := run1(t, "", arg)
		assert.Equal(t, 0, code)
		assert.Empty(t, errs)
		assert.True(t, strings.HasPrefix(out, "usage: scenario [-h] FILE\n"), out)
		for _, key := range append(append([]string{}, topKeys...), stepKinds...) {
			assert.Contains(t, out, `"`+key+`"`)
		}
	}

	// Bad usage: the problem, the synopsis and where to read more.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "scenario: no scenario file"},
		{[]string{"a.json", "b.json"}, "scenario: unexpected argument \"b.json\" after the scenario file"},
		{[]string{"-x"}, "scenario: flag provided but not defined: -x"},
	} {
		code, out, errs := run1(t, "", tc.args...)
		assert.Equal(t, 2, code, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Equal(t, tc.want+"\nusage: scenario [-h] FILE\nRun 'scenario -h' for details.\n", errs, tc.args)
	}

	// An input that cannot be read, or is empty: one line naming it and
	// what it should hold.
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o644))
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"testdata/no-such-case.json"}, "", "scenario: testdata/no-such-case.json: no such file, want a scenario: a JSON object (see scenario -h)\n"},
		{[]string{"no-such-dir/case.json"}, "", "scenario: no-such-dir/case.json: no such file, want a scenario: a JSON object (see scenario -h)\n"},
		{[]string{"testdata"}, "", "scenario: testdata: a directory, not a file, want a scenario: a JSON object (see scenario -h)\n"},
		{[]string{empty}, "", "scenario: " + empty + ": empty, want a scenario: a JSON object (see scenario -h)\n"},
		{[]string{"-"}, " \n", "scenario: stdin: empty, want a scenario: a JSON object (see scenario -h)\n"},
	} {
		code, out, errs := run1(t, tc.stdin, tc.args...)
		assert.Equal(t, 2, code, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Equal(t, tc.want, errs, tc.args)
	}
}

// A moment on a day that does not exist says so.
func TestNoSuchDay(t *testing.T) {
	text := strings.Replace(base, `"2027-02-05T17:00:00+01:00"`, `"2027-02-30T17:00:00+01:00"`, 1)
	code, out, errs := run1(t, text, "-")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^scenario: stdin:\d+:\d+: steps\[1\]\.at: "2027-02-30T17:00:00\+01:00": 2027-02-30 is not a day: February 2027 has 28 days\n$`, errs)
}

// An outcome that cannot be written is exit status 1.
func TestWriteFails(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{"-"}, strings.NewReader(base), cmdtest.FailingWriter{}, &stderr)
	assert.Equal(t, 1, code)
	assert.Equal(t, "scenario: writing the outcome: "+cmdtest.ErrBrokenPipe.Error()+"\n", stderr.String())
}

// The codes of the library's errors.
func TestCodes(t *testing.T) {
	perm := func(err error) error {
		return &result.PermissionError{Result: "a-1", Action: result.Determine, Err: err}
	}
	for _, tc := range []struct {
		err  error
		want []string
	}{
		{&result.TransitionError{Result: "a-1", State: result.Final, Action: result.LodgeComplaint}, []string{"transition"}},
		{&result.CheckError{Result: "a-1", Action: result.Determine, Failures: []result.Failure{
			{Check: result.CheckStatus}, {Check: result.CheckTerm}, {Check: result.CheckExceptions}}},
			[]string{"check_right_status", "check_term_passed", "check_exceptions_closed"}},
		{perm(result.ErrWrongRole), []string{"wrong_role"}},
		{perm(result.ErrNoMandate), []string{"no_mandate"}},
		{perm(result.ErrSeparationOfDuties), []string{"separation_of_duties"}},
		{perm(errors.New("something new")), []string{"forbidden"}},
		{&result.CommandError{Result: "a-1", Action: result.LodgeAppeal, Problem: "late", Err: result.ErrTermPassed},
			[]string{"command", "term_passed"}},
		{fmt.Errorf("x: %w", vaststelling.ErrRunning), []string{"running"}},
		{fmt.Errorf("x: %w: %w", vaststelling.ErrConflict, perm(result.ErrWrongRole)), []string{"wrong_role", "conflict"}},
		{fmt.Errorf("x: %w", vaststelling.ErrMandate), []string{"mandate"}},
		{fmt.Errorf("x: %w", timeline.ErrNoPolicy), []string{"no_policy"}},
		{errors.New("what is this"), []string{unclassified}},
	} {
		assert.Equal(t, tc.want, codes(tc.err), "%v", tc.err)
	}
}

// The command built and run as a script runs it prints what the test
// expects, from a file and from standard input.
func TestBuilt(t *testing.T) {
	bin := cmdtest.Build(t, "scenario")
	name := filepath.Join("testdata", "a-on-time.json")
	want, err := os.ReadFile(filepath.Join("testdata", "a-on-time.out.json"))
	require.NoError(t, err)

	out, err := exec.CommandContext(t.Context(), bin, name).Output()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(out))

	in, err := os.Open(name)
	require.NoError(t, err)
	defer in.Close()
	cmd := exec.CommandContext(t.Context(), bin, "-")
	cmd.Stdin = in
	out, err = cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(out))

	cmd = exec.CommandContext(t.Context(), bin, "-")
	cmd.Stdin = strings.NewReader("{")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 2, exit.ExitCode())
	assert.Equal(t, "scenario: stdin:1:2: malformed JSON: the file ends too early\n", stderr.String())
}
