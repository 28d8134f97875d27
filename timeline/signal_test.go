package timeline

import (
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignals(t *testing.T) {
	cal := calendar.Default()
	exampleA := Facts{Result: "A", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")}
	withComplaint := exampleA
	withComplaint.ComplaintLodged = day(t, "2027-02-10")
	decided := withComplaint
	decided.ComplaintDecided = day(t, "2027-02-20")
	appealed := exampleA
	appealed.Determined, appealed.AppealLodged = day(t, "2027-03-12"), day(t, "2027-03-20")

	cases := []struct {
		name string
		f    Facts
		at   string
		h    int
		want []Signal
	}{
		{"nothing due before the assessment term ends", Facts{Result: "A", Exam: day(t, "2027-01-18")}, "2027-02-05", 12, nil},
		{"assessment due today", Facts{Result: "A", Exam: day(t, "2027-01-18")}, "2027-02-08", 12,
			[]Signal{{"A", AssessResult, Assessor, date(t, "2027-02-08"), false, 0}}},
		{"assessment overdue", Facts{Result: "A", Exam: day(t, "2027-01-18")}, "2027-02-12", 9,
			[]Signal{{"A", AssessResult, Assessor, date(t, "2027-02-08"), true, 4}}},
		{"a registration after the moment has not happened yet", exampleA, "2027-02-04", 12, nil},
		{"registered: nothing due", exampleA, "2027-02-20", 12, nil},
		{"due for determination", exampleA, "2027-03-01", 8,
			[]Signal{{"A", DetermineResult, ExamAdministration, date(t, "2027-03-01"), false, 0}}},
		{"determination overdue", exampleA, "2027-03-03", 8,
			[]Signal{{"A", DetermineResult, ExamAdministration, date(t, "2027-03-01"), true, 2}}},
		{"an open complaint holds determination", withComplaint, "2027-03-02", 8,
			[]Signal{{"A", DecideComplaint, ExamCommittee, date(t, "2027-02-24"), true, 4}}},
		{"a decided complaint does not", decided, "2027-03-02", 8,
			[]Signal{{"A", DetermineResult, ExamAdministration, date(t, "2027-03-01"), true, 1}}},
		{"determined: nothing due", appealed, "2027-03-15", 8, nil},
		{"appeal decision due", appealed, "2027-04-28", 8,
			[]Signal{{"A", DecideAppeal, AppealsBoard, date(t, "2027-04-28"), false, 0}}},
		{"appeal decision overdue", appealed, "2027-05-03", 8,
			[]Signal{{"A", DecideAppeal, AppealsBoard, date(t, "2027-04-28"), true, 3}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := New(cal, DefaultPolicies(), tc.f)
			require.NoError(t, err)
			assert.Equal(t, tc.want, tl.Signals(at(t, tc.at, tc.h, 0), nil))
		})
	}
}

// A delivered result waits for the exam administration, not the assessor;
// an invalidated one asks nothing of either, only of the appeals board
// when the invalidation is appealed.
func TestSignalsForDeliveryAndInvalidation(t *testing.T) {
	cal := calendar.Default()
	delivered := Facts{Result: "D", Exam: day(t, "2027-01-18"), Delivered: day(t, "2027-02-04")}
	deliveredLater := Facts{Result: "D", Exam: day(t, "2027-01-18"), Delivered: day(t, "2027-02-10")}
	invalidEarly := Facts{Result: "I", Exam: day(t, "2027-01-18"), Invalidated: day(t, "2027-01-20")}
	invalid := Facts{Result: "I", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Invalidated: day(t, "2027-02-10"), AppealLodged: day(t, "2027-02-20")}
	cases := []struct {
		name string
		f    Facts
		at   string
		h    int
		want []Signal
	}{
		{"delivered: registration due at the end of the assessment term", delivered, "2027-02-08", 12,
			[]Signal{{"D", RegisterResult, ExamAdministration, date(t, "2027-02-08"), false, 0}}},
		{"registration overdue", delivered, "2027-02-09", 8,
			[]Signal{{"D", RegisterResult, ExamAdministration, date(t, "2027-02-08"), true, 1}}},
		{"nothing before the term ends", delivered, "2027-02-05", 12, nil},
		{"a delivery after the moment has not happened yet", deliveredLater, "2027-02-09", 8,
			[]Signal{{"D", AssessResult, Assessor, date(t, "2027-02-08"), true, 1}}},
		{"invalidated before registration: nothing to assess", invalidEarly, "2027-02-12", 12, nil},
		{"invalidated: nothing to determine", invalid, "2027-03-02", 8, nil},
		{"the appeal against the invalidation is due", invalid, "2027-03-24", 8,
			[]Signal{{"I", DecideAppeal, AppealsBoard, date(t, "2027-03-24"), false, 0}}},
		{"and overdue the day after", invalid, "2027-03-25", 8,
			[]Signal{{"I", DecideAppeal, AppealsBoard, date(t, "2027-03-24"), true, 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := New(cal, DefaultPolicies(), tc.f)
			require.NoError(t, err)
			assert.Equal(t, tc.want, tl.Signals(at(t, tc.at, tc.h, 0), nil))
		})
	}
}

// The appeals board's term is the law's: its last day ends at midnight,
// even where the institution's working day ends at 17:00.
func TestSignalsAppealsBoardUntilMidnight(t *testing.T) {
	tl, err := New(busyCalendar(t), DefaultPolicies(), Facts{Result: "A", Exam: day(t, "2027-01-11"),
		Registered: day(t, "2027-01-29"), Determined: day(t, "2027-03-01"), AppealLodged: day(t, "2027-03-05")})
	require.NoError(t, err)
	require.Equal(t, "2027-04-12", tl.AppealDecisionDue.String())
	s := tl.Signals(at(t, "2027-04-12", 23, 59), nil)
	require.Len(t, s, 1)
	assert.Equal(t, DecideAppeal, s[0].Task)
	assert.False(t, s[0].Overdue, "17:00 has passed, the day has not")
	s = tl.Signals(at(t, "2027-04-13", 0, 0), nil)
	require.Len(t, s, 1)
	assert.True(t, s[0].Overdue)
	assert.Equal(t, 1, s[0].WorkdaysOverdue)
}

// A task is due until the end of its last day: 17:00 where days end then.
func TestSignalsRespectTheEndOfTheDay(t *testing.T) {
	tl, err := New(busyCalendar(t), DefaultPolicies(), Facts{Result: "B", Exam: day(t, "2027-01-18")})
	require.NoError(t, err)
	s := tl.Signals(at(t, "2027-02-08", 16, 59), nil)
	require.Len(t, s, 1)
	assert.False(t, s[0].Overdue)
	s = tl.Signals(at(t, "2027-02-08", 17, 0), nil)
	require.Len(t, s, 1)
	assert.True(t, s[0].Overdue)
	assert.Equal(t, 0, s[0].WorkdaysOverdue)
}

func TestSignalsSortAndAppend(t *testing.T) {
	cal := calendar.Default()
	now := at(t, "2027-03-03", 9, 0)
	var all []Signal
	for _, f := range []Facts{
		{Result: "c", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")},
		{Result: "b", Exam: day(t, "2027-01-25")},
		{Result: "a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")},
		{Result: "d", Exam: day(t, "2027-02-15"), Registered: day(t, "2027-02-16")},
	} {
		tl, err := New(cal, DefaultPolicies(), f)
		require.NoError(t, err)
		all = tl.Signals(now, all)
	}
	SortSignals(all)
	var order []string
	for _, s := range all {
		order = append(order, s.Result+" "+string(s.Task)+" "+s.Role.String())
	}
	assert.Equal(t, []string{"b assess assessor", "a determine exam_administration", "c determine exam_administration"}, order)
	assert.Equal(t, -1, all[0].Compare(all[1]))
	assert.Equal(t, 0, all[1].Compare(all[1]))
}

func TestSignalsAllocateOnlyTheirSlice(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(),
		Facts{Result: "A", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")})
	require.NoError(t, err)
	buf := make([]Signal, 0, 8)
	now := at(t, "2027-03-03", 9, 0)
	allocs := testing.AllocsPerRun(100, func() { buf = tl.Signals(now, buf[:0]) })
	assert.Zero(t, allocs)
	assert.Len(t, buf, 1)
}

func TestRoles(t *testing.T) {
	for r := Assessor; r <= System; r++ {
		text, err := r.MarshalText()
		require.NoError(t, err)
		var back Role
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, r, back)
	}
	var r Role
	assert.Error(t, r.UnmarshalText([]byte("dean")))
	assert.Equal(t, "Role(99)", Role(99).String())
}
