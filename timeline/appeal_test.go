package timeline

import (
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The appeals board's term is the law's: four weeks after the appeal window
// (six when extended), moved past a weekend, public holiday or decree day
// by the Algemene termijnenwet, never past a closure of the institution.
func TestAppealDecisionTerm(t *testing.T) {
	// busyCalendar: Christmas closure 21 December 2026 – 1 January 2027,
	// May closure 26 April – 7 May 2027, open Saturday 13 March 2027.
	closureCase := Facts{Exam: day(t, "2026-09-14"), Registered: day(t, "2026-09-25"),
		Determined: day(t, "2026-11-09"), AppealLodged: day(t, "2026-11-16")}
	decreeCase := Facts{Exam: day(t, "2027-01-25"), Registered: day(t, "2027-02-10"),
		Determined: day(t, "2027-03-24"), AppealLodged: day(t, "2027-03-31")}
	saturdayCase := Facts{Exam: day(t, "2027-01-11"), Registered: day(t, "2027-01-29"),
		Determined: day(t, "2027-03-01"), AppealLodged: day(t, "2027-03-05")}
	kingsDayCase := Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Determined: day(t, "2027-03-12"), AppealLodged: day(t, "2027-03-20")}
	with := func(f Facts, change func(*Facts)) Facts {
		change(&f)
		return f
	}
	cases := []struct {
		name       string
		cal        *calendar.Calendar
		f          Facts
		appealEnds string
		due        string
		late       bool // AppealDecidedLate
	}{
		{"four weeks end in the Christmas closure: no move", busyCalendar(t), closureCase,
			"2026-11-23", "2026-12-21", false},
		{"decided the next closure day is late", busyCalendar(t),
			with(closureCase, func(f *Facts) { f.AppealDecided = day(t, "2026-12-22") }), "2026-11-23", "2026-12-21", true},
		{"four weeks end on the decree day after Ascension: Monday", nil, decreeCase,
			"2027-04-09", "2027-05-10", false},
		{"without decree days that Friday is the last day", holidaysOnly(t), decreeCase,
			"2027-04-09", "2027-05-07", false},
		{"decided on the moved last day is in time", nil,
			with(decreeCase, func(f *Facts) { f.AppealDecided = at(t, "2027-05-10", 23, 59) }), "2027-04-09", "2027-05-10", false},
		{"decided the day after is late", nil,
			with(decreeCase, func(f *Facts) { f.AppealDecided = day(t, "2027-05-11") }), "2027-04-09", "2027-05-10", true},
		{"extended: six weeks", nil,
			with(decreeCase, func(f *Facts) { f.AppealExtended = true }), "2027-04-09", "2027-05-21", false},
		{"extended and decided within the extension: in time", nil,
			with(decreeCase, func(f *Facts) { f.AppealExtended, f.AppealDecided = true, day(t, "2027-05-20") }),
			"2027-04-09", "2027-05-21", false},
		{"the same decision without the extension: late", nil,
			with(decreeCase, func(f *Facts) { f.AppealDecided = day(t, "2027-05-20") }), "2027-04-09", "2027-05-10", true},
		{"extended and decided after the extension: late", nil,
			with(decreeCase, func(f *Facts) { f.AppealExtended, f.AppealDecided = true, day(t, "2027-05-24") }),
			"2027-04-09", "2027-05-21", true},
		{"four weeks end on King's Day", nil, kingsDayCase, "2027-03-30", "2027-04-28", false},
		{"four weeks end on a Saturday, the window on an open one", busyCalendar(t), saturdayCase,
			"2027-03-13", "2027-04-12", false},
		{"extended: a Saturday, then a closure Monday that stays", busyCalendar(t),
			with(saturdayCase, func(f *Facts) { f.AppealExtended = true }), "2027-03-13", "2027-04-26", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cal := tc.cal
			if cal == nil {
				cal = calendar.Default()
			}
			tl, err := New(cal, DefaultPolicies(), tc.f)
			require.NoError(t, err)
			assert.Equal(t, tc.appealEnds, tl.AppealEnds.String())
			assert.Equal(t, tc.due, tl.AppealDecisionDue.String())
			assert.Equal(t, tc.late, tl.HasConflict(AppealDecidedLate), "%v", tl.Conflicts)
			assert.False(t, tl.HasConflict(AppealLate))
		})
	}
}

func TestAppealDecidedLateDetails(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{Exam: day(t, "2027-01-25"), Registered: day(t, "2027-02-10"),
		Determined: day(t, "2027-03-24"), AppealLodged: day(t, "2027-03-31"), AppealDecided: day(t, "2027-05-20")})
	require.NoError(t, err)
	require.Equal(t, []Code{DeterminedLate, AppealDecidedLate}, codes(tl))
	c := tl.Conflicts[1]
	assert.Equal(t, Conflict{AppealDecidedLate, date(t, "2027-05-10"), date(t, "2027-05-20"), 7, "appeal_decided"}, c,
		"11, 12, 13, 14, 18, 19, 20 May: Whit Monday skipped")
	assert.Equal(t, "2027-05-20", tl.AppealDecided.String())
	assert.Equal(t, "appeal decided on 2027-05-20, 7 working days after the appeals board's term ended on 2027-05-10", c.Message())

	// Decided in the Christmas closure, two days late but no working day late.
	tl, err = New(busyCalendar(t), DefaultPolicies(), Facts{Exam: day(t, "2026-09-14"), Registered: day(t, "2026-09-25"),
		Determined: day(t, "2026-11-09"), AppealLodged: day(t, "2026-11-16"), AppealDecided: day(t, "2026-12-23")})
	require.NoError(t, err)
	require.Len(t, tl.Conflicts, 2) // and determined late, far after its date
	c = tl.Conflicts[1]
	assert.Equal(t, AppealDecidedLate, c.Code)
	assert.Zero(t, c.Workdays)
	assert.Equal(t, "appeal decided on 2026-12-23, after the appeals board's term ended on 2026-12-21", c.Message())
}

// An invalidation is a decision the student can appeal: without a
// determination, or after it and before the appeal, the appeal window runs
// from it, and the board's term after that.
func TestAppealAgainstInvalidation(t *testing.T) {
	base := Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")}
	with := func(change func(*Facts)) Facts {
		f := base
		change(&f)
		return f
	}
	cases := []struct {
		name                  string
		f                     Facts
		invalidated           string
		appealEnds, due       string
		conflicts             []Code
		determinationStillDue bool
	}{
		{"invalidated, not determined", with(func(f *Facts) {
			f.Invalidated, f.AppealLodged = day(t, "2027-02-10"), day(t, "2027-02-20")
		}), "2027-02-10", "2027-02-24", "2027-03-24", nil, true},
		{"invalidated, no appeal yet", with(func(f *Facts) { f.Invalidated = day(t, "2027-02-10") }),
			"2027-02-10", "2027-02-24", "", nil, true},
		{"appeal against the invalidation too late", with(func(f *Facts) {
			f.Invalidated, f.AppealLodged = day(t, "2027-02-10"), day(t, "2027-02-25")
		}), "2027-02-10", "2027-02-24", "2027-03-24", []Code{AppealLate}, true},
		{"invalidated at the exam, never registered", Facts{Exam: at(t, "2027-01-18", 11, 0),
			Invalidated: at(t, "2027-01-18", 15, 0), AppealLodged: day(t, "2027-01-25")},
			"2027-01-18", "2027-02-01", "2027-03-01", nil, false},
		{"invalidated after determination: the appeal is against the invalidation", with(func(f *Facts) {
			f.Determined, f.Invalidated, f.AppealLodged = day(t, "2027-03-01"), day(t, "2027-04-01"), day(t, "2027-04-08")
		}), "2027-04-01", "2027-04-15", "2027-05-13", nil, true},
		{"appeal against the determination, invalidated after it", with(func(f *Facts) {
			f.Determined, f.AppealLodged, f.Invalidated = day(t, "2027-03-01"), day(t, "2027-03-05"), day(t, "2027-03-10")
		}), "2027-03-10", "2027-03-15", "2027-04-12", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := New(calendar.Default(), DefaultPolicies(), tc.f)
			require.NoError(t, err)
			str := func(d calendar.Date) string {
				if d.IsZero() {
					return ""
				}
				return d.String()
			}
			assert.Equal(t, tc.invalidated, str(tl.Invalidated))
			assert.Equal(t, tc.appealEnds, str(tl.AppealEnds))
			assert.Equal(t, tc.due, str(tl.AppealDecisionDue))
			assert.Equal(t, tc.conflicts, codes(tl))
			assert.Equal(t, tc.determinationStillDue, !tl.DeterminationDue.IsZero())
		})
	}
}
