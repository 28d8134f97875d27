package audit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

var ams = calendar.Default().Location()

func on(day string, h int) time.Time {
	d, err := calendar.ParseDate(day)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, ams)
}

// live runs results through their lives, every event into the log, and
// returns the live results with the moments between their steps.
func live(t *testing.T, log *audit.Log, n int) map[string]result.Result {
	t.Helper()
	mandates, err := result.NewMandateSet(result.Mandate{ID: "M-1", GrantedBy: "ec", To: "examenbureau",
		Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true}, From: on("2026-08-01", 0)})
	require.NoError(t, err)
	sys := result.Actor{ID: "krs", Role: timeline.System}
	admin := result.Actor{ID: "adm-1", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}
	committee := result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}
	out := map[string]result.Result{}
	g, _ := result.ParseGrade(result.Decimal0To10, "6.4")
	better, _ := result.ParseGrade(result.Decimal0To10, "7.0")
	for i := range n {
		id := fmt.Sprintf("assoc-%03d", i)
		student := result.Actor{ID: "s-" + id, Role: timeline.Student}
		r := &result.Result{}
		step := func(actor result.Actor, at time.Time, cmd result.Command) {
			events, err := r.Do(cmd, result.Context{Actor: actor, Mandates: mandates, Calendar: calendar.Default(),
				Policies: timeline.DefaultPolicies(), Now: at})
			require.NoError(t, err, "%s %s", id, cmd.Action)
			_, err = log.AppendEvents(ctx, events...)
			require.NoError(t, err)
		}
		step(sys, on("2027-02-05", 9), result.Command{Action: result.Receive, Record: &result.Record{
			ID: id, Student: student.ID, Component: "KT1", Crebo: "25180", Attempt: 1, Exam: on("2027-01-18", 11),
			Assessor: "ass-1", Grade: g, Attendance: result.Present, Source: result.OKE}})
		step(sys, on("2027-02-05", 9), result.Command{Action: result.Register})
		if i%3 == 1 {
			step(student, on("2027-02-09", 14), result.Command{Action: result.LodgeComplaint})
			step(committee, on("2027-02-12", 10), result.Command{Action: result.DecideComplaint, Outcome: result.Upheld,
				Reason: "marked too strictly", Grade: better})
		}
		if i%3 != 2 {
			step(admin, on("2027-03-15", 9), result.Command{Action: result.Determine})
		}
		out[id] = *r
	}
	return out
}

func TestRebuildEqualsLive(t *testing.T) {
	s := &audit.MemoryStore{}
	log, err := audit.NewLog(s)
	require.NoError(t, err)
	want := live(t, log, 12)
	rb, err := audit.Rebuild(ctx, s, ams)
	require.NoError(t, err)
	assert.Empty(t, rb.Erased)
	require.Len(t, rb.Results, len(want))
	for id, r := range want {
		assert.Equal(t, r, rb.Results[id], id)
	}

	// As of a past moment: before the complaint was decided, it was on hold.
	past, err := audit.StateAt(ctx, s, "assoc-001", on("2027-02-10", 0), ams)
	require.NoError(t, err)
	assert.Equal(t, result.OnHold, past.State)
	assert.Equal(t, "6.4", past.Grade.String())
	now, err := audit.StateAt(ctx, s, "assoc-001", on("2027-04-01", 0), ams)
	require.NoError(t, err)
	assert.Equal(t, want["assoc-001"], now)
	before, err := audit.StateAt(ctx, s, "assoc-001", on("2027-01-01", 0), ams)
	require.NoError(t, err)
	assert.Equal(t, result.None, before.State)
}
