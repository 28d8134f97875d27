package timeline

import (
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The assessor is late when the delivery came after the assessment term;
// a result delivered in time and registered after it is the exam
// administration's lateness. Registration still starts the inspection
// window. The exam is Monday 18 January 2027: the term ends Monday 8 February.
func TestDeliveryAndRegistration(t *testing.T) {
	exam := day(t, "2027-01-18")
	cases := []struct {
		name       string
		cal        *calendar.Calendar
		f          Facts
		conflicts  []Conflict
		inspection string
	}{
		{"delivered and registered in time", nil,
			Facts{Exam: exam, Delivered: day(t, "2027-02-04"), Registered: day(t, "2027-02-05")}, nil, "2027-02-19"},
		{"delivered in time, registered late: the check was late", nil,
			Facts{Exam: exam, Delivered: day(t, "2027-02-08"), Registered: day(t, "2027-02-10")},
			[]Conflict{{CheckedLate, date(t, "2027-02-08"), date(t, "2027-02-10"), 2, "registered"}}, "2027-02-24"},
		{"delivered late: the assessor was late, not the check", nil,
			Facts{Exam: exam, Delivered: day(t, "2027-02-09"), Registered: day(t, "2027-02-10")},
			[]Conflict{{RegisteredLate, date(t, "2027-02-08"), date(t, "2027-02-09"), 1, "delivered"}}, "2027-02-24"},
		{"delivered late, not registered yet", nil,
			Facts{Exam: exam, Delivered: day(t, "2027-02-09")},
			[]Conflict{{RegisteredLate, date(t, "2027-02-08"), date(t, "2027-02-09"), 1, "delivered"}}, ""},
		{"delivered in time, not registered yet", nil, Facts{Exam: exam, Delivered: day(t, "2027-02-04")}, nil, ""},
		{"no delivery known: the registration counts", nil,
			Facts{Exam: exam, Registered: day(t, "2027-02-10")},
			[]Conflict{{RegisteredLate, date(t, "2027-02-08"), date(t, "2027-02-10"), 2, "registered"}}, "2027-02-24"},
		{"delivered after 17:00 on the last day", busyCalendar(t),
			Facts{Exam: exam, Delivered: at(t, "2027-02-08", 17, 30), Registered: at(t, "2027-02-09", 9, 0)},
			[]Conflict{{RegisteredLate, date(t, "2027-02-08"), date(t, "2027-02-08"), 0, "delivered"}}, "2027-02-24"},
		{"delivered before 17:00, registered after it the same day", busyCalendar(t),
			Facts{Exam: exam, Delivered: at(t, "2027-02-08", 16, 0), Registered: at(t, "2027-02-08", 17, 30)},
			[]Conflict{{CheckedLate, date(t, "2027-02-08"), date(t, "2027-02-08"), 0, "registered"}}, "2027-02-23"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cal := tc.cal
			if cal == nil {
				cal = calendar.Default()
			}
			tl, err := New(cal, DefaultPolicies(), tc.f)
			require.NoError(t, err)
			var got []Conflict // a late registration may postpone determination too; that is tested elsewhere
			for _, c := range tl.Conflicts {
				if c.Code == RegisteredLate || c.Code == CheckedLate {
					got = append(got, c)
				}
			}
			assert.Equal(t, tc.conflicts, got)
			if tc.inspection == "" {
				assert.True(t, tl.InspectionEnds.IsZero())
			} else {
				assert.Equal(t, tc.inspection, tl.InspectionEnds.String())
			}
			if !tc.f.Delivered.IsZero() {
				assert.Equal(t, cal.Date(tc.f.Delivered), tl.Delivered)
			}
		})
	}
}

func TestDeliveryMessages(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(),
		Facts{Exam: day(t, "2027-01-18"), Delivered: day(t, "2027-02-09"), Registered: day(t, "2027-02-10")})
	require.NoError(t, err)
	require.Equal(t, []Code{RegisteredLate, DeterminationPostponed}, codes(tl))
	assert.Equal(t, "delivered on 2027-02-09, 1 working day after the assessment term ended on 2027-02-08",
		tl.Conflicts[0].Message())
	assert.Equal(t, "aangeleverd op 2027-02-09, 1 werkdag na het einde van de beoordelingstermijn op 2027-02-08",
		tl.Conflicts[0].MessageIn(Dutch))

	tl, err = New(calendar.Default(), DefaultPolicies(),
		Facts{Exam: day(t, "2027-01-18"), Delivered: day(t, "2027-02-05"), Registered: day(t, "2027-02-10")})
	require.NoError(t, err)
	require.Equal(t, []Code{CheckedLate, DeterminationPostponed}, codes(tl))
	assert.Equal(t, "delivered in time but registered on 2027-02-10, 2 working days after the assessment term ended on 2027-02-08",
		tl.Conflicts[0].Message())
	assert.Equal(t, "checked_late: delivered in time but registered on 2027-02-10, 2 working days after the assessment term ended on 2027-02-08",
		tl.Conflicts[0].Error())
}
