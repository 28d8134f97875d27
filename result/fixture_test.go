package result

import (
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
	"github.com/stretchr/testify/require"
)

var ams = calendar.Default().Location()

func at(t testing.TB, s string, h int) time.Time {
	t.Helper()
	d, err := calendar.ParseDate(s)
	require.NoError(t, err)
	return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, ams)
}

func grade(t testing.TB, s string) Grade {
	t.Helper()
	g, err := ParseGrade(Decimal0To10, s)
	require.NoError(t, err)
	return g
}

// The cast of the tests.
var (
	system    = Actor{ID: "krs", Role: timeline.System}
	admin     = Actor{ID: "adm-1", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}
	outsider  = Actor{ID: "adm-9", Role: timeline.ExamAdministration}
	committee = Actor{ID: "ec-1", Role: timeline.ExamCommittee}
	assessor  = Actor{ID: "ass-1", Role: timeline.Assessor}
	// The assessor also sits on the exam committee.
	assessorOnCommittee = Actor{ID: "ass-1", Role: timeline.ExamCommittee}
	student             = Actor{ID: "stu-1", Role: timeline.Student}
	otherStudent        = Actor{ID: "stu-2", Role: timeline.Student}
	board               = Actor{ID: "cbe-1", Role: timeline.AppealsBoard}
)

// mandates grants the exam office determination of crebo 25180 for the
// school year 2026–2027, and adm-1 the resolution of exceptions.
func mandates(t testing.TB) *MandateSet {
	t.Helper()
	set, err := NewMandateSet(
		Mandate{ID: "M-2026-01", GrantedBy: "examencommissie ICT", To: "examenbureau",
			Actions: []Action{Determine, DetermineEarly}, Scope: Scope{Crebos: []string{"25180"}},
			From: at(t, "2026-08-01", 0), Until: at(t, "2027-08-01", 0)},
		Mandate{ID: "M-2026-02", GrantedBy: "examencommissie ICT", To: "adm-1",
			Actions: []Action{ResolveException}, Scope: Scope{All: true}, From: at(t, "2026-08-01", 0)},
	)
	require.NoError(t, err)
	return set
}

func record(t testing.TB) *Record {
	return &Record{
		ID: "assoc-1", Student: "stu-1", Component: "KT1-W1", Programme: "ICT-BOL-4", Crebo: "25180",
		Team: "ict", Attempt: 1, Exam: at(t, "2027-01-18", 11), Assessor: "ass-1",
		Grade: grade(t, "5.4"), Attendance: Present, Source: OKE,
	}
}

// ctx returns the context of an actor at a moment.
func ctx(t testing.TB, actor Actor, now time.Time) Context {
	return Context{Actor: actor, Mandates: mandates(t), Calendar: calendar.Default(),
		Policies: timeline.DefaultPolicies(), Now: now}
}

// do runs a command that must succeed.
func do(t testing.TB, r *Result, actor Actor, now time.Time, cmd Command) []Event {
	t.Helper()
	events, err := r.Do(cmd, ctx(t, actor, now))
	require.NoError(t, err)
	return events
}

// provisional returns the DOMAIN's example A registered on time: exam
// Monday 18 January 2027, registered Friday 5 February, determination on
// Monday 1 March.
func provisional(t testing.TB) *Result {
	r := &Result{}
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Receive, Record: record(t)})
	do(t, r, system, at(t, "2027-02-05", 9), Command{Action: Register})
	return r
}
