package timeline

import (
	"encoding/json"
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every conflict reads in English and in Dutch.
func TestConflictWords(t *testing.T) {
	a, b := date(t, "2027-05-04"), date(t, "2027-05-10")
	cases := []struct {
		c      Conflict
		en, nl string
	}{
		{Conflict{RegisteredLate, a, b, 2, "registered"},
			"registered on 2027-05-10, 2 working days after the assessment term ended on 2027-05-04",
			"geregistreerd op 2027-05-10, 2 werkdagen na het einde van de beoordelingstermijn op 2027-05-04"},
		{Conflict{RegisteredLate, a, a, 0, "registered"},
			"registered on 2027-05-04 after the assessment term ended that day",
			"geregistreerd op 2027-05-04, na het einde van de beoordelingstermijn die dag"},
		{Conflict{RegisteredLate, a, b, 1, "delivered"},
			"delivered on 2027-05-10, 1 working day after the assessment term ended on 2027-05-04",
			"aangeleverd op 2027-05-10, 1 werkdag na het einde van de beoordelingstermijn op 2027-05-04"},
		{Conflict{CheckedLate, a, b, 2, "registered"},
			"delivered in time but registered on 2027-05-10, 2 working days after the assessment term ended on 2027-05-04",
			"op tijd aangeleverd maar geregistreerd op 2027-05-10, 2 werkdagen na het einde van de beoordelingstermijn op 2027-05-04"},
		{Conflict{CheckedLate, a, a, 0, "registered"},
			"delivered in time but registered on 2027-05-04 after the assessment term ended that day",
			"op tijd aangeleverd maar geregistreerd op 2027-05-04, na het einde van de beoordelingstermijn die dag"},
		{Conflict{RegisteredBeforeExam, b, a, 0, "registered"},
			"registered on 2027-05-04, before the exam on 2027-05-10",
			"geregistreerd op 2027-05-04, vóór de afname op 2027-05-10"},
		{Conflict{DeterminationPostponed, a, b, 2, ""},
			"the registration rule sets determination on 2027-05-10, 2 working days after the exam rule's 2027-05-04",
			"de registratieregel legt de vaststelling op 2027-05-10, 2 werkdagen na de datum 2027-05-04 van de afnameregel"},
		{Conflict{InspectionCutShort, b, a, -2, "determined"},
			"determined early on 2027-05-04, while inspection and complaint were open until 2027-05-10",
			"vervroegd vastgesteld op 2027-05-04, terwijl inzage en klacht openstonden tot en met 2027-05-10"},
		{Conflict{EarlyNotAllowed, b, a, 0, "determined"},
			"determined early on 2027-05-04, but the policy does not allow early determination",
			"vervroegd vastgesteld op 2027-05-04, maar het reglement staat vervroegd vaststellen niet toe"},
		{Conflict{DeterminedBeforeDue, b, a, -2, "determined"},
			"determined on 2027-05-04 without an early decision, 2 working days before its date 2027-05-10",
			"vastgesteld op 2027-05-04 zonder besluit tot vervroegen, 2 werkdagen vóór de datum 2027-05-10"},
		{Conflict{DeterminedLate, a, b, 1, "determined"},
			"determined on 2027-05-10, 1 working day after its date 2027-05-04",
			"vastgesteld op 2027-05-10, 1 werkdag na de datum 2027-05-04"},
		{Conflict{ComplaintLate, a, b, 2, "complaint_lodged"},
			"complaint lodged on 2027-05-10, after the inspection window ended at the end of 2027-05-04",
			"klacht ingediend op 2027-05-10, na het einde van de inzagetermijn aan het eind van 2027-05-04"},
		{Conflict{AppealLate, a, b, 2, "appeal_lodged"},
			"appeal lodged on 2027-05-10, after the appeal window ended at the end of 2027-05-04",
			"beroep ingesteld op 2027-05-10, na het einde van de beroepstermijn aan het eind van 2027-05-04"},
		{Conflict{AppealDecidedLate, a, b, 2, "appeal_decided"},
			"appeal decided on 2027-05-10, 2 working days after the appeals board's term ended on 2027-05-04",
			"beroep beslist op 2027-05-10, 2 werkdagen na het einde van de beslistermijn van de commissie van beroep op 2027-05-04"},
		{Conflict{AppealDecidedLate, a, b, 0, "appeal_decided"},
			"appeal decided on 2027-05-10, after the appeals board's term ended on 2027-05-04",
			"beroep beslist op 2027-05-10, na het einde van de beslistermijn van de commissie van beroep op 2027-05-04"},
		{Conflict{"something_else", a, b, 2, ""},
			"something_else: 2027-05-10 against 2027-05-04",
			"something_else: 2027-05-10 tegenover 2027-05-04"},
	}
	for _, tc := range cases {
		t.Run(string(tc.c.Code), func(t *testing.T) {
			assert.Equal(t, tc.en, tc.c.Message())
			assert.Equal(t, tc.en, tc.c.MessageIn(English))
			assert.Equal(t, tc.nl, tc.c.MessageIn(Dutch))
			assert.Equal(t, string(tc.c.Code)+": "+tc.en, tc.c.Error())
		})
	}
}

func TestConflictJSONNamesItsFact(t *testing.T) {
	data, err := json.Marshal(Conflict{AppealDecidedLate, date(t, "2027-05-10"), date(t, "2027-05-11"), 1, "appeal_decided"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"code": "appeal_decided_late", "rule": "2027-05-10", "actual": "2027-05-11", "workdays": 1,
		"fact": "appeal_decided",
		"message": "appeal decided on 2027-05-11, 1 working day after the appeals board's term ended on 2027-05-10"}`, string(data))
	data, err = json.Marshal(Conflict{Code: DeterminationPostponed, Rule: date(t, "2027-05-28"), Actual: date(t, "2027-06-01"), Workdays: 2})
	require.NoError(t, err)
	assert.NotContains(t, string(data), "fact")
}

// A result that came in on a day off after the assessment term ended is
// late by no working day, yet not on the term's last day.
func TestLateOnADayOff(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r", Exam: day(t, "2027-01-29"),
		Registered: day(t, "2027-02-20")})
	require.NoError(t, err)
	require.True(t, tl.HasConflict(RegisteredLate))
	c := tl.Conflicts[0]
	assert.Equal(t, "registered on 2027-02-20, a day off after the assessment term ended on 2027-02-19", c.MessageIn(English))
	assert.Equal(t, "geregistreerd op 2027-02-20, een vrije dag na het einde van de beoordelingstermijn op 2027-02-19", c.MessageIn(Dutch))
}
