package timeline

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultPolicyIsValid(t *testing.T) {
	require.NoError(t, DefaultPolicy().Validate())
	p, err := DefaultPolicies().At(date(t, "2027-01-18"))
	require.NoError(t, err)
	assert.Equal(t, DefaultPolicy(), *p)
}

func TestPolicyValidation(t *testing.T) {
	with := func(change func(*Policy)) Policy {
		p := DefaultPolicy()
		change(&p)
		return p
	}
	cases := []struct {
		name  string
		p     Policy
		field string
		text  string
	}{
		{"zero assessment term", with(func(p *Policy) { p.AssessmentTerm = 0 }), "assessment_term", "at least 1, not 0"},
		{"negative appeal term", with(func(p *Policy) { p.AppealTerm = -10 }), "appeal_term", "not -10"},
		{"zero appeals board term", with(func(p *Policy) { p.AppealDecisionWeeks = 0 }), "appeal_decision_weeks", "at least 1"},
		{"negative tail", with(func(p *Policy) { p.ProvisionalTail = -1 }), "provisional_tail", "negative"},
		{"negative extension", with(func(p *Policy) { p.AppealExtensionWeeks = -2 }), "appeal_extension_weeks", "negative"},
		{"extension beyond the law", with(func(p *Policy) { p.AppealExtensionWeeks = 3 }), "appeal_extension_weeks",
			"at most 2, the law's maximum (WEB art. 7.5.4), not 3"},
		{"determination inside the inspection window", with(func(p *Policy) { p.ProvisionalTerm, p.ProvisionalTail = 5, 5 }),
			"provisional_term", "cannot end before determination"},
		{"calendar tail of zero on the window's last day", with(func(p *Policy) { p.TailUnit, p.ProvisionalTail = CalendarDays, 0 }),
			"provisional_term", "cannot end before determination"},
		{"determination before assessment", with(func(p *Policy) { p.DeterminationTerm = 15 }),
			"determination_term", "no time after the assessment term"},
		{"unknown unit", with(func(p *Policy) { p.TailUnit = 7 }), "tail_unit", "unknown unit"},
		{"period reversed", with(func(p *Policy) {
			p.ValidFrom, p.ValidUntil = date(t, "2027-08-01"), date(t, "2027-07-31")
		}), "valid_until", "before valid_from"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			require.ErrorIs(t, err, ErrInvalidPolicy)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.field, pe.Field)
			assert.Contains(t, err.Error(), tc.text)
			assert.Contains(t, err.Error(), "Voorbeeldprocedure")

			_, err = NewPolicySet(tc.p)
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "versions[0]."+tc.field, pe.Field)
		})
	}
	// The law's limits themselves are valid: one week, and two more.
	require.NoError(t, with(func(p *Policy) { p.AppealDecisionWeeks, p.AppealExtensionWeeks = 1, 2 }).Validate())
	require.NoError(t, with(func(p *Policy) { p.AppealExtensionWeeks = 0 }).Validate())

	// Every problem is reported.
	err := Policy{Name: "leeg"}.Validate()
	assert.Equal(t, 7, strings.Count(err.Error(), "must be at least 1"), err.Error())
}

func TestPolicySet(t *testing.T) {
	v := func(name, from, until string) Policy {
		p := DefaultPolicy()
		p.Name = name
		if from != "" {
			p.ValidFrom = date(t, from)
		}
		if until != "" {
			p.ValidUntil = date(t, until)
		}
		return p
	}
	set, err := NewPolicySet(v("2027", "2027-08-01", ""), v("2025", "2025-08-01", "2026-07-31"), v("2026", "2026-08-01", ""))
	require.NoError(t, err)
	for exam, want := range map[string]string{
		"2025-08-01": "2025", "2026-07-31": "2025", "2026-08-01": "2026", "2027-07-31": "2026",
		"2027-08-01": "2027", "2040-01-01": "2027",
	} {
		p, err := set.At(date(t, exam))
		require.NoError(t, err, exam)
		assert.Equal(t, want, p.Name, exam)
	}
	_, err = set.At(date(t, "2025-07-31"))
	assert.ErrorIs(t, err, ErrNoPolicy)
	assert.Contains(t, err.Error(), "2025-07-31")

	// A gap between an ended version and the next.
	gap, err := NewPolicySet(v("old", "", "2026-07-31"), v("new", "2026-09-01", ""))
	require.NoError(t, err)
	p, err := gap.At(date(t, "2020-01-01"))
	require.NoError(t, err)
	assert.Equal(t, "old", p.Name)
	_, err = gap.At(date(t, "2026-08-15"))
	assert.ErrorIs(t, err, ErrNoPolicy)

	// Overlaps.
	_, err = NewPolicySet(v("a", "2026-08-01", ""), v("b", "2026-08-01", ""))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	assert.Contains(t, err.Error(), `overlaps version "a"`)
	_, err = NewPolicySet(v("a", "2025-08-01", "2026-08-31"), v("b", "2026-08-01", ""))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	assert.Contains(t, err.Error(), "until 2026-08-31")

	_, err = NewPolicySet()
	assert.ErrorIs(t, err, ErrInvalidPolicy)

	// The zero set holds nothing.
	_, err = (&PolicySet{}).At(date(t, "2027-01-01"))
	assert.ErrorIs(t, err, ErrNoPolicy)
	var nilSet *PolicySet
	_, err = nilSet.At(date(t, "2027-01-01"))
	assert.ErrorIs(t, err, ErrNoPolicy)
	assert.Nil(t, nilSet.Versions())

	// Versions is a copy.
	vs := set.Versions()
	vs[0].Name = "changed"
	assert.Equal(t, "2025", set.Versions()[0].Name)
}

func TestPoliciesJSON(t *testing.T) {
	set, err := LoadPolicyFile("testdata/policies.json")
	require.NoError(t, err)
	vs := set.Versions()
	require.Len(t, vs, 2)
	assert.Equal(t, CalendarDays, vs[0].TailUnit)
	assert.Equal(t, date(t, "2026-07-31"), vs[0].ValidUntil)
	assert.True(t, vs[0].ValidUntil.After(vs[0].ValidFrom))
	assert.True(t, vs[1].ValidUntil.IsZero())

	data, err := json.Marshal(set)
	require.NoError(t, err)
	again, err := ParsePolicies(data)
	require.NoError(t, err)
	assert.Equal(t, set.Versions(), again.Versions())
	assert.NotContains(t, string(data), `"valid_until": ""`)

	data, err = json.Marshal(DefaultPolicies())
	require.NoError(t, err)
	again, err = ParsePolicies(data)
	require.NoError(t, err)
	assert.Equal(t, DefaultPolicies().Versions(), again.Versions())
}

func TestPoliciesJSONErrors(t *testing.T) {
	cases := []struct{ name, json, text string }{
		{"unknown field", `{"versions": [{"assesment_term": 15}]}`, `unknown field "assesment_term"`},
		{"malformed", "{\"versions\": [\n{\"name\": \"x\",}]}", "malformed JSON at line 2, column 14"},
		{"wrong type", `{"versions": [{"appeal_term": "10"}]}`, "a JSON string where int is wanted at line 1"},
		{"bad unit", `{"versions": [{"tail_unit": "weeks"}]}`, `unit "weeks"`},
		{"bad date", `{"versions": [{"valid_from": "2026-13-01"}]}`, `2026-13-01 is not a day: a year has 12 months`},
		{"missing terms", `{"versions": [{"name": "leeg"}]}`, "versions[0].assessment_term: must be at least 1"},
		{"no versions", `{}`, "versions: at least one version is required"},
		{"empty versions", `{"versions": []}`, "versions: at least one version is required"},
		{"trailing data", `{"versions": []} []`, "data after the policy set at line 1, column 18"},
		{"trailing brackets", "{\"versions\": []}\n}]}}", "data after the policy set at line 2, column 1"},
		{"forgotten early rule", `{"versions": [{"name": "x", "assessment_term": 15, "inspection_term": 10,
			"determination_term": 30, "provisional_term": 10, "provisional_tail": 5, "appeal_term": 10,
			"appeal_decision_weeks": 4, "complaint_handling_term": 10}]}`, "versions[0].early_determination: is required"},
		{"truncated", `{"versions": [`, "ends too early"},
		{"extension beyond the law", `{"versions": [{"name": "x", "assessment_term": 15, "inspection_term": 10,
			"determination_term": 30, "provisional_term": 10, "provisional_tail": 5, "appeal_term": 10,
			"appeal_decision_weeks": 4, "appeal_extension_weeks": 3, "complaint_handling_term": 10,
			"early_determination": true}]}`, "versions[0].appeal_extension_weeks: must be at most 2"},
		{"too large", `{"versions": [], "x": "` + strings.Repeat("x", MaxPolicySize) + `"}`, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadPolicies(strings.NewReader(tc.json))
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
	_, err := LoadPolicyFile("testdata/none.json")
	assert.Error(t, err)
}

func TestUnitText(t *testing.T) {
	var u Unit
	require.NoError(t, u.UnmarshalText([]byte("calendar_days")))
	assert.Equal(t, CalendarDays, u)
	_, err := Unit(9).MarshalText()
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	assert.Equal(t, "Unit(9)", Unit(9).String())
	assert.Equal(t, "early", Early.String())
	assert.Equal(t, "Rule(9)", Rule(9).String())
	var r Rule
	require.NoError(t, r.UnmarshalText([]byte("after_registration")))
	assert.Equal(t, AfterRegistration, r)
	assert.Error(t, r.UnmarshalText([]byte("whenever")))
}
