package timeline

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Timelines over real dates, worked out by hand on a printed calendar.
func TestTimelineRealDates(t *testing.T) {
	type want struct {
		assessment, inspection, examRule, regRule, due string
		binding                                        Rule
		determined, appealEnds                         string
		conflicts                                      []Code
	}
	cases := []struct {
		name string
		cal  *calendar.Calendar
		f    Facts
		want want
	}{
		{"DOMAIN example A: on time", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"), Determined: day(t, "2027-03-01")},
			want{"2027-02-08", "2027-02-19", "2027-03-01", "2027-02-26", "2027-03-01", AfterExam,
				"2027-03-01", "2027-03-15", nil}},
		{"DOMAIN example B: late registration", holidaysOnly(t),
			Facts{Exam: day(t, "2027-04-12"), Registered: day(t, "2027-05-10")},
			want{"2027-05-04", "2027-05-25", "2027-05-28", "2027-06-01", "2027-06-01", AfterRegistration,
				"", "", []Code{RegisteredLate, DeterminationPostponed}}},
		{"example B on the default calendar: the decree day Friday 7 May skipped", nil,
			Facts{Exam: day(t, "2027-04-12"), Registered: day(t, "2027-05-10")},
			want{"2027-05-04", "2027-05-25", "2027-05-31", "2027-06-01", "2027-06-01", AfterRegistration,
				"", "", []Code{RegisteredLate, DeterminationPostponed}}},
		{"registered on the last day: the rules tie, the exam rule wins", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: at(t, "2027-02-08", 23, 59)},
			want{"2027-02-08", "2027-02-22", "2027-03-01", "2027-03-01", "2027-03-01", AfterExam, "", "", nil}},
		{"registered the day after the exam", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-01-19")},
			want{"2027-02-08", "2027-02-02", "2027-03-01", "2027-02-09", "2027-03-01", AfterExam, "", "", nil}},
		{"registered before the exam", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-01-15")},
			want{"2027-02-08", "2027-01-29", "2027-03-01", "2027-02-05", "2027-03-01", AfterExam, "", "",
				[]Code{RegisteredBeforeExam}}},
		{"over Christmas and New Year", nil,
			Facts{Exam: day(t, "2026-11-30"), Registered: day(t, "2026-12-18")},
			want{"2026-12-21", "2027-01-05", "2027-01-13", "2027-01-12", "2027-01-13", AfterExam, "", "", nil}},
		{"over a closure week, days ending at 17:00", busyCalendar(t),
			Facts{Exam: day(t, "2026-11-30"), Registered: at(t, "2026-12-18", 14, 0)},
			want{"2027-01-04", "2027-01-15", "2027-01-25", "2027-01-22", "2027-01-25", AfterExam, "", "", nil}},
		{"registered after 17:00 on the last day is late", busyCalendar(t),
			Facts{Exam: day(t, "2027-01-18"), Registered: at(t, "2027-02-08", 17, 30)},
			want{"2027-02-08", "2027-02-23", "2027-03-02", "2027-03-02", "2027-03-02", AfterExam, "", "",
				[]Code{RegisteredLate}}},
		{"May closure and holidays", busyCalendar(t),
			Facts{Exam: day(t, "2027-04-12"), Registered: day(t, "2027-04-23")},
			want{"2027-05-18", "2027-05-24", "2027-06-08", "2027-05-31", "2027-06-08", AfterExam, "", "", nil}},
		{"early determination inside the inspection window", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"), Determined: day(t, "2027-02-10"), Early: true},
			want{"2027-02-08", "2027-02-19", "2027-03-01", "2027-02-26", "2027-02-10", Early,
				"2027-02-10", "2027-02-24", []Code{InspectionCutShort}}},
		{"early determination after the inspection window", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"), Determined: day(t, "2027-02-22"), Early: true},
			want{"2027-02-08", "2027-02-19", "2027-03-01", "2027-02-26", "2027-02-22", Early,
				"2027-02-22", "2027-03-08", nil}},
		{"determined before its date without an early decision", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"), Determined: day(t, "2027-02-22")},
			want{"2027-02-08", "2027-02-19", "2027-03-01", "2027-02-26", "2027-03-01", AfterExam,
				"2027-02-22", "2027-03-08", []Code{DeterminedBeforeDue}}},
		{"determined late", nil,
			Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"), Determined: day(t, "2027-03-03")},
			want{"2027-02-08", "2027-02-19", "2027-03-01", "2027-02-26", "2027-03-01", AfterExam,
				"2027-03-03", "2027-03-17", []Code{DeterminedLate}}},
		{"not yet registered", nil,
			Facts{Exam: day(t, "2027-01-18")},
			want{"2027-02-08", "", "2027-03-01", "", "", NoRule, "", "", nil}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cal := tc.cal
			if cal == nil {
				cal = calendar.Default()
			}
			tl, err := New(cal, DefaultPolicies(), tc.f)
			require.NoError(t, err)
			str := func(d calendar.Date) string {
				if d.IsZero() {
					return ""
				}
				return d.String()
			}
			got := want{str(tl.AssessmentDue), str(tl.InspectionEnds), str(tl.ExamRule), str(tl.RegistrationRule),
				str(tl.DeterminationDue), tl.Binding, str(tl.Determined), str(tl.AppealEnds), codes(tl)}
			assert.Equal(t, tc.want, got)
		})
	}
}

// holidaysOnly is the default calendar without decree days: the Algemene
// termijnenwet holidays alone, as DOMAIN.md's worked examples count.
func holidaysOnly(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(calendar.Config{DecreeDays: []calendar.Day{}})
	require.NoError(t, err)
	return c
}

func TestConflictDetails(t *testing.T) {
	tl, err := New(holidaysOnly(t), DefaultPolicies(),
		Facts{Result: "a-1", Exam: day(t, "2027-04-12"), Registered: day(t, "2027-05-10")})
	require.NoError(t, err)
	require.Len(t, tl.Conflicts, 2)
	assert.Equal(t, Conflict{RegisteredLate, date(t, "2027-05-04"), date(t, "2027-05-10"), 2, "registered"}, tl.Conflicts[0])
	assert.Equal(t, "registered on 2027-05-10, 2 working days after the assessment term ended on 2027-05-04",
		tl.Conflicts[0].Message())
	assert.Equal(t, Conflict{DeterminationPostponed, date(t, "2027-05-28"), date(t, "2027-06-01"), 2, ""}, tl.Conflicts[1])
	assert.Equal(t, "the registration rule sets determination on 2027-06-01, 2 working days after the exam rule's 2027-05-28",
		tl.Conflicts[1].Message())
	assert.True(t, tl.HasConflict(RegisteredLate))
	assert.False(t, tl.HasConflict(AppealLate))

	var err2 error = tl.Conflicts[0]
	assert.Contains(t, err2.Error(), "registered_late: registered on 2027-05-10")

	data, err := json.Marshal(tl.Conflicts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"code": "registered_late", "rule": "2027-05-04", "actual": "2027-05-10", "workdays": 2,
		"fact": "registered",
		"message": "registered on 2027-05-10, 2 working days after the assessment term ended on 2027-05-04"}`, string(data))
}

func TestComplaintsAndAppeals(t *testing.T) {
	cal := calendar.Default()
	base := Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")}

	f := base
	f.ComplaintLodged = day(t, "2027-02-10")
	tl, err := New(cal, DefaultPolicies(), f)
	require.NoError(t, err)
	assert.Equal(t, "2027-02-24", tl.ComplaintDecisionDue.String())
	assert.Empty(t, tl.Conflicts)

	f.ComplaintLodged = day(t, "2027-02-22")
	tl, err = New(cal, DefaultPolicies(), f)
	require.NoError(t, err)
	assert.Equal(t, []Code{ComplaintLate}, codes(tl))
	assert.Equal(t, "complaint lodged on 2027-02-22, after the inspection window ended at the end of 2027-02-19",
		tl.Conflicts[0].Message())

	// An appeal: decided within four weeks after the window, moved past
	// King's Day; two weeks more when extended.
	f = Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Determined: day(t, "2027-03-12"), AppealLodged: day(t, "2027-03-20")}
	tl, err = New(cal, DefaultPolicies(), f)
	require.NoError(t, err)
	assert.Equal(t, "2027-03-30", tl.AppealEnds.String(), "Good Friday and Easter Monday skipped")
	assert.Equal(t, "2027-04-28", tl.AppealDecisionDue.String(), "27 April is King's Day")
	assert.Equal(t, []Code{DeterminedLate}, codes(tl))
	f.AppealExtended = true
	tl, err = New(cal, DefaultPolicies(), f)
	require.NoError(t, err)
	assert.Equal(t, "2027-05-11", tl.AppealDecisionDue.String())

	f.AppealLodged = at(t, "2027-03-31", 0, 1)
	tl, err = New(cal, DefaultPolicies(), f)
	require.NoError(t, err)
	assert.True(t, tl.HasConflict(AppealLate))
}

func TestPolicyVersionsApply(t *testing.T) {
	set, err := LoadPolicyFile("testdata/policies.json")
	require.NoError(t, err)
	cal := calendar.Default()

	// 2026-2027: assessment 10, determination 25 after the exam.
	tl, err := New(cal, set, Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-01")})
	require.NoError(t, err)
	assert.Equal(t, "Examenreglement 2026-2027", tl.Policy.Name)
	assert.Equal(t, "2027-02-01", tl.AssessmentDue.String())
	assert.Equal(t, "2027-02-22", tl.ExamRule.String())
	assert.Equal(t, "2027-02-22", tl.RegistrationRule.String())
	assert.Equal(t, AfterExam, tl.Binding)

	// 2025-2026: a tail of 5 calendar days, moved to a working day; no early determination.
	tl, err = New(cal, set, Facts{Exam: day(t, "2026-03-02"), Registered: day(t, "2026-03-20"),
		Determined: day(t, "2026-04-01"), Early: true})
	require.NoError(t, err)
	assert.Equal(t, "Examenreglement 2025-2026", tl.Policy.Name)
	assert.Equal(t, "2026-03-23", tl.AssessmentDue.String())
	// 10 working days after 20 March, Good Friday 3 April and Easter Monday
	// 6 April skipped, is Tuesday 7 April; 5 calendar days more is Sunday
	// 12 April, so Monday 13 April.
	assert.Equal(t, "2026-04-07", tl.InspectionEnds.String())
	assert.Equal(t, "2026-04-13", tl.RegistrationRule.String())
	assert.Equal(t, []Code{EarlyNotAllowed}, codes(tl))

	// Before the first version: no policy.
	_, err = New(cal, set, Facts{Exam: day(t, "2025-06-01")})
	assert.ErrorIs(t, err, ErrNoPolicy)
}

func TestFactsErrors(t *testing.T) {
	cal := calendar.Default()
	cases := []struct {
		name  string
		f     Facts
		field string
	}{
		{"no exam", Facts{Registered: day(t, "2027-01-20")}, "exam"},
		{"determined before registration", Facts{Exam: day(t, "2027-01-18"), Determined: day(t, "2027-03-01")}, "determined"},
		{"determined before registered", Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
			Determined: day(t, "2027-02-01")}, "determined"},
		{"appeal without determination", Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
			AppealLodged: day(t, "2027-03-02")}, "appeal_lodged"},
		{"complaint decided before lodged", Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
			ComplaintLodged: day(t, "2027-02-10"), ComplaintDecided: day(t, "2027-02-09")}, "complaint_decided"},
		{"appeal decided without appeal", Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
			Determined: day(t, "2027-03-01"), AppealDecided: day(t, "2027-03-20")}, "appeal_decided"},
		{"early without determination", Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"), Early: true}, "early"},
		{"registered before delivered", Facts{Exam: day(t, "2027-01-18"), Delivered: day(t, "2027-02-05"),
			Registered: day(t, "2027-02-04")}, "delivered"},
		{"invalidated before the exam", Facts{Exam: day(t, "2027-01-18"), Invalidated: day(t, "2027-01-15")}, "invalidated"},
		{"appeal before the invalidation", Facts{Exam: day(t, "2027-01-18"), Invalidated: day(t, "2027-02-10"),
			AppealLodged: day(t, "2027-02-09")}, "appeal_lodged"},
		{"appeal before determination and invalidation", Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
			Determined: day(t, "2027-03-01"), Invalidated: day(t, "2027-03-10"), AppealLodged: day(t, "2027-02-20")}, "appeal_lodged"},
		{"outside the calendar", Facts{Exam: day(t, "2100-12-20")}, "exam"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Result = "assoc-42"
			_, err := New(cal, DefaultPolicies(), tc.f)
			require.ErrorIs(t, err, ErrInvalidFacts)
			var fe *FactsError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.field, fe.Field)
			assert.Contains(t, err.Error(), "assoc-42")
		})
	}
	_, err := New(cal, DefaultPolicies(), Facts{Exam: day(t, "2100-12-20")})
	assert.ErrorIs(t, err, calendar.ErrOutOfRange)
	_, err = New(cal, &PolicySet{}, Facts{Exam: day(t, "2027-01-18")})
	assert.ErrorIs(t, err, ErrNoPolicy)
}

// The determination date is never inside the inspection window unless the
// early rule was used, and always the latest of the rules, for any exam
// date, registration day and valid policy.
func TestDeterminationNeverInsideInspectionWindow(t *testing.T) {
	cals := []*calendar.Calendar{calendar.Default(), busyCalendar(t)}
	policies := []Policy{DefaultPolicy(), {
		Name: "tight", AssessmentTerm: 5, InspectionTerm: 10, DeterminationTerm: 6, ProvisionalTerm: 10,
		ProvisionalTail: 1, TailUnit: CalendarDays, AppealTerm: 5, AppealDecisionWeeks: 4, ComplaintHandlingTerm: 5,
	}, {
		Name: "long", AssessmentTerm: 20, InspectionTerm: 15, DeterminationTerm: 45, ProvisionalTerm: 12,
		ProvisionalTail: 4, AppealTerm: 10, AppealDecisionWeeks: 6, ComplaintHandlingTerm: 10, EarlyDetermination: true,
	}}
	for _, cal := range cals {
		for _, p := range policies {
			set, err := NewPolicySet(p)
			require.NoError(t, err)
			for exam := date(t, "2026-01-01"); exam.Before(date(t, "2028-01-01")); exam = exam.AddDays(3) {
				for _, offset := range []int{-2, 0, 1, 7, 14, 15, 16, 25, 40} {
					reg := exam.AddDays(offset)
					f := Facts{Exam: exam.In(ams), Registered: reg.In(ams).Add(9 * time.Hour)}
					tl, err := New(cal, set, f)
					require.NoError(t, err)
					require.True(t, tl.DeterminationDue.After(tl.InspectionEnds),
						"%s exam %s registered %s: determination %s inside window until %s",
						p.Name, exam, reg, tl.DeterminationDue, tl.InspectionEnds)
					require.False(t, tl.DeterminationDue.Before(tl.ExamRule))
					require.False(t, tl.DeterminationDue.Before(tl.RegistrationRule))
					require.Contains(t, []calendar.Date{tl.ExamRule, tl.RegistrationRule}, tl.DeterminationDue)
					work, err := cal.IsWorkday(tl.DeterminationDue)
					require.NoError(t, err)
					require.True(t, work, "determination on a day off")
					require.Equal(t, tl.Binding == AfterRegistration, tl.HasConflict(DeterminationPostponed))

					// An early determination is the only way inside.
					f.Determined, f.Early = tl.InspectionEnds.In(ams), true
					if f.Determined.Before(f.Registered) {
						continue
					}
					early, err := New(cal, set, f)
					require.NoError(t, err)
					if p.EarlyDetermination {
						require.Equal(t, Early, early.Binding)
						require.True(t, early.HasConflict(InspectionCutShort))
					} else {
						require.NotEqual(t, Early, early.Binding)
						require.True(t, early.HasConflict(EarlyNotAllowed))
					}
				}
			}
		}
	}
}

// At most two allocations per result: the conflicts, when there are any.
func TestTimelineAllocations(t *testing.T) {
	cal, set := calendar.Default(), DefaultPolicies()
	onTime := Facts{Exam: day(t, "2027-01-18"), Delivered: day(t, "2027-02-04"), Registered: day(t, "2027-02-05"),
		Determined: day(t, "2027-03-01"), AppealLodged: day(t, "2027-03-05"), AppealDecided: day(t, "2027-04-01")}
	late := Facts{Exam: day(t, "2027-04-12"), Registered: day(t, "2027-05-10"), Determined: day(t, "2027-06-03")}
	assert.Zero(t, testing.AllocsPerRun(200, func() { _, _ = New(cal, set, onTime) }))
	assert.LessOrEqual(t, testing.AllocsPerRun(200, func() { _, _ = New(cal, set, late) }), 2.0)
}
