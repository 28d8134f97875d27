package result_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result"
)

// allScales lists every Scale constant.
var allScales = []result.Scale{
	result.PassFail, result.InsufficientSatisfactoryGood, result.Whole0To100, result.Whole0To10,
	result.Decimal0To10, result.ReferenceLevelRKTR, result.ReferenceLevelERK,
}

// gradeOf parses a grade that the test knows to be valid.
func gradeOf(t testing.TB, s result.Scale, text string) result.Grade {
	t.Helper()
	g, err := result.ParseGrade(s, text)
	require.NoError(t, err)
	return g
}

func TestScaleText(t *testing.T) {
	want := map[result.Scale]string{
		result.PassFail:                     "pass-or-fail",
		result.InsufficientSatisfactoryGood: "insufficient-satisfactory-good",
		result.Whole0To100:                  "0-100",
		result.Whole0To10:                   "0-10",
		result.Decimal0To10:                 "0.0-10.0",
		result.ReferenceLevelRKTR:           "referenceLevelRKTR",
		result.ReferenceLevelERK:            "referenceLevelERK",
	}
	require.Len(t, want, len(allScales))
	for _, s := range allScales {
		assert.True(t, s.IsValid(), "%s", s)
		assert.Equal(t, want[s], s.String())
		text, err := s.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, want[s], string(text))
		var back result.Scale
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, s, back)
		parsed, err := result.ParseScale(want[s])
		require.NoError(t, err)
		assert.Equal(t, s, parsed)
	}
	assert.True(t, result.Decimal0To10.IsNumeric())
	assert.True(t, result.Whole0To10.IsNumeric())
	assert.True(t, result.Whole0To100.IsNumeric())
	assert.False(t, result.InsufficientSatisfactoryGood.IsNumeric())
	assert.False(t, result.ReferenceLevelERK.IsNumeric())

	var zero result.Scale
	assert.False(t, zero.IsValid())
	assert.Equal(t, "no scale", zero.String())
	text, err := zero.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, text)
	s := result.Decimal0To10
	require.NoError(t, s.UnmarshalText(nil))
	assert.Equal(t, zero, s)

	_, err = result.Scale(42).MarshalText()
	assert.ErrorIs(t, err, result.ErrUnknownScale)
	assert.Equal(t, "Scale(42)", result.Scale(42).String())
	assert.False(t, result.Scale(42).IsValid())
}

func TestParseScale(t *testing.T) {
	for _, alias := range []string{"1.0-10.0", "1-10"} {
		s, err := result.ParseScale(alias)
		require.NoError(t, err, alias)
		assert.Equal(t, result.Decimal0To10, s, alias)
		text, err := s.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, "0.0-10.0", string(text), "an alias is written back canonically")
	}

	for _, text := range []string{"US letter", "UK letter", "DE grade"} {
		s, err := result.ParseScale(text)
		assert.Zero(t, s)
		require.ErrorIs(t, err, result.ErrUnsupportedScale, text)
		assert.NotErrorIs(t, err, result.ErrUnknownScale, text)
		var se *result.ScaleError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, text, se.Text)
		assert.Contains(t, err.Error(), "not used in MBO")
		assert.Contains(t, err.Error(), text)
	}

	for _, text := range []string{"", "10", "0-10 ", " 0-10", "Pass-or-fail", "0.0-10", "0,0-10,0", "no scale", "Scale(3)", "O/V/G"} {
		s, err := result.ParseScale(text)
		assert.Zero(t, s)
		require.ErrorIs(t, err, result.ErrUnknownScale, "%q", text)
		assert.NotErrorIs(t, err, result.ErrUnsupportedScale, "%q", text)
		assert.Contains(t, err.Error(), "pass-or-fail, insufficient-satisfactory-good", "the message lists the scales")
		var s2 result.Scale
		assert.Equal(t, text == "", s2.UnmarshalText([]byte(text)) == nil, "%q", text)
	}
}

// TestParseGrade lists valid texts with their canonical text, and invalid
// ones with the problem reported, for every scale.
func TestParseGrade(t *testing.T) {
	type valid struct{ text, canonical string }
	type invalid struct{ text, problem string }
	tests := []struct {
		scale   result.Scale
		valid   []valid
		invalid []invalid
	}{{
		scale: result.Decimal0To10,
		valid: []valid{
			{"0", "0.0"}, {"0.0", "0.0"}, {"0.5", "0.5"}, {"5.5", "5.5"}, {"7", "7.0"}, {"7.5", "7.5"},
			{"9.9", "9.9"}, {"10", "10.0"}, {"10.0", "10.0"},
		},
		invalid: []invalid{
			{"", "empty"}, {"7.55", "at most one decimal"}, {"5.45", "at most one decimal"},
			{"7.50", "at most one decimal"}, {"10.00", "at most one decimal"},
			{"10.1", "above 10.0"}, {"11", "above 10.0"}, {"100", "above 10.0"}, {"99999999999999999999", "above 10.0"},
			{"-1", "negative"}, {"-0.0", "negative"}, {"+7", "not a number"}, {"1e1", "not a number"},
			{" 7", "not a number"}, {"7 ", "not a number"}, {"7.", "not a number"}, {".5", "not a number"},
			{"7.5.1", "not a number"}, {"seven", "not a number"}, {"NaN", "not a number"}, {"٧", "not a number"},
			{"7,5", "write a decimal point, not a comma"}, {"07", "leading zero"}, {"00.0", "leading zero"},
		},
	}, {
		scale: result.Whole0To10,
		valid: []valid{{"0", "0"}, {"5", "5"}, {"6", "6"}, {"10", "10"}},
		invalid: []invalid{
			{"", "empty"}, {"7.0", "a whole number, without decimals"}, {"5.5", "a whole number, without decimals"},
			{"0.0", "a whole number, without decimals"}, {"10.0", "a whole number, without decimals"},
			{"11", "above 10"}, {"-1", "negative"}, {"1e1", "not a number"}, {"07", "leading zero"},
		},
	}, {
		scale: result.Whole0To100,
		valid: []valid{{"0", "0"}, {"54", "54"}, {"55", "55"}, {"100", "100"}},
		invalid: []invalid{
			{"", "empty"}, {"101", "above 100"}, {"1000", "above 100"}, {"55.0", "a whole number, without decimals"},
			{"-0", "negative"}, {"055", "leading zero"}, {"5 5", "not a number"},
		},
	}, {
		scale: result.InsufficientSatisfactoryGood,
		valid: []valid{
			{"insufficient", "insufficient"}, {"satisfactory", "satisfactory"}, {"good", "good"},
			{"O", "insufficient"}, {"V", "satisfactory"}, {"G", "good"}, {"o", "insufficient"}, {"v", "satisfactory"},
			{"g", "good"}, {"onvoldoende", "insufficient"}, {"Voldoende", "satisfactory"}, {"GOED", "good"},
			{"Satisfactory", "satisfactory"},
		},
		invalid: []invalid{
			{"", "empty"}, {"7", "want insufficient, satisfactory or good"}, {"OV", "want insufficient, satisfactory or good"},
			{" good", "want insufficient, satisfactory or good"}, {"sufficient", "want insufficient, satisfactory or good"},
			{"goede", "want insufficient, satisfactory or good"}, {"ſatisfactory", "want insufficient, satisfactory or good"},
			{"passed", "want insufficient, satisfactory or good"},
		},
	}, {
		scale: result.PassFail,
		valid: []valid{
			{"passed", "passed"}, {"failed", "failed"}, {"pass", "passed"}, {"fail", "failed"},
			{"Passed", "passed"}, {"FAILED", "failed"},
		},
		invalid: []invalid{
			{"", "empty"}, {"ok", "want failed or passed"}, {"true", "want failed or passed"},
			{"behaald", "want failed or passed"}, {"passed ", "want failed or passed"}, {"V", "want failed or passed"},
		},
	}, {
		scale: result.ReferenceLevelRKTR,
		valid: []valid{
			{"1F", "1F"}, {"1S", "1S"}, {"2F", "2F"}, {"2S", "2S"}, {"3F", "3F"}, {"3S", "3S"}, {"4F", "4F"},
			{"4S", "4S"}, {"2f", "2F"}, {"4s", "4S"},
		},
		invalid: []invalid{
			{"", "empty"}, {"5F", "want 1F, 1S, 2F, 2S, 3F, 3S, 4F or 4S"}, {"Op weg naar 1F", "want 1F, 1S"},
			{"B1", "want 1F"}, {"2", "want 1F"}, {"F2", "want 1F"},
		},
	}, {
		scale: result.ReferenceLevelERK,
		valid: []valid{
			{"A1", "A1"}, {"A2", "A2"}, {"B1", "B1"}, {"B2", "B2"}, {"C1", "C1"}, {"C2", "C2"}, {"b1", "B1"},
		},
		invalid: []invalid{
			{"", "empty"}, {"C3", "want A1, A2, B1, B2, C1 or C2"}, {"2F", "want A1"}, {"B", "want A1"},
		},
	}}
	require.Len(t, tests, len(allScales), "every scale is tested")
	for _, tt := range tests {
		t.Run(tt.scale.String(), func(t *testing.T) {
			for _, v := range tt.valid {
				g, err := result.ParseGrade(tt.scale, v.text)
				require.NoError(t, err, "%q", v.text)
				assert.Equal(t, tt.scale, g.Scale(), "%q", v.text)
				assert.Equal(t, v.canonical, g.String(), "%q", v.text)
				assert.False(t, g.IsZero(), "%q", v.text)
				again := gradeOf(t, tt.scale, g.String())
				assert.True(t, again.Equal(g), "%q", v.text)
			}
			for _, b := range tt.invalid {
				g, err := result.ParseGrade(tt.scale, b.text)
				assert.True(t, g.IsZero(), "%q", b.text)
				require.ErrorIs(t, err, result.ErrInvalidGrade, "%q", b.text)
				var ge *result.GradeError
				require.ErrorAs(t, err, &ge, "%q", b.text)
				assert.Equal(t, tt.scale, ge.Scale)
				assert.Equal(t, b.text, ge.Text)
				assert.True(t, strings.HasPrefix(ge.Problem, b.problem), "%q: problem %q, want %q", b.text, ge.Problem, b.problem)
			}
		})
	}
}

func TestParseGradeWithoutScale(t *testing.T) {
	for _, s := range []result.Scale{0, 42} {
		_, err := result.ParseGrade(s, "7")
		require.ErrorIs(t, err, result.ErrInvalidGrade)
		_, err = result.NewNumericGrade(s, decimal.NewFromInt(7))
		require.ErrorIs(t, err, result.ErrInvalidGrade)
	}
	_, err := result.ParseGrade(0, "7")
	assert.EqualError(t, err, `result: grade "7": no scale given`)
}

func TestGradeErrorMessage(t *testing.T) {
	_, err := result.ParseGrade(result.Decimal0To10, "7.55")
	assert.EqualError(t, err, `result: grade "7.55" on scale 0.0-10.0: at most one decimal`)
	_, err = result.ParseGrade(result.PassFail, "ok")
	assert.EqualError(t, err, `result: grade "ok" on scale pass-or-fail: want failed or passed`)
	_, err = result.ParseGrade(result.Whole0To10, "7.0")
	assert.EqualError(t, err, `result: grade "7.0" on scale 0-10: a whole number, without decimals`)

	var ge *result.GradeError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, result.GradeError{Scale: result.Whole0To10, Text: "7.0", Problem: "a whole number, without decimals"}, *ge)
	assert.NotErrorIs(t, err, result.ErrUnknownScale)
	assert.NotErrorIs(t, err, result.ErrInvalidPassRule)
}

func TestNewNumericGrade(t *testing.T) {
	d := decimal.RequireFromString
	valid := []struct {
		scale     result.Scale
		d         decimal.Decimal
		canonical string
	}{
		{result.Decimal0To10, d("7.5"), "7.5"},
		{result.Decimal0To10, d("7.50"), "7.5"},
		{result.Decimal0To10, d("7"), "7.0"},
		{result.Decimal0To10, d("0"), "0.0"},
		{result.Decimal0To10, decimal.Decimal{}, "0.0"},
		{result.Decimal0To10, d("10.000"), "10.0"},
		{result.Decimal0To10, decimal.New(1, 1), "10.0"},
		{result.Decimal0To10, decimal.New(55_000_000, -7), "5.5"},
		{result.Whole0To10, d("7.0"), "7"},
		{result.Whole0To10, d("10"), "10"},
		{result.Whole0To100, decimal.New(1, 2), "100"},
		{result.Whole0To100, d("55.000"), "55"},
	}
	for _, v := range valid {
		g, err := result.NewNumericGrade(v.scale, v.d)
		require.NoError(t, err, "%s on %s", v.d, v.scale)
		assert.Equal(t, v.canonical, g.String())
		assert.Equal(t, gradeOf(t, v.scale, v.canonical), g)
		got, ok := g.Decimal()
		require.True(t, ok)
		assert.True(t, got.Equal(v.d), "%s: Decimal() = %s", v.d, got)
	}

	invalid := []struct {
		scale   result.Scale
		d       decimal.Decimal
		problem string
	}{
		{result.Decimal0To10, d("7.55"), "at most one decimal"},
		{result.Decimal0To10, d("5.45"), "at most one decimal"},
		{result.Decimal0To10, d("10.1"), "above 10.0"},
		{result.Decimal0To10, d("-1"), "negative"},
		{result.Decimal0To10, d("-0.1"), "negative"},
		{result.Decimal0To10, decimal.New(1, 1<<30), "above 10.0"},
		{result.Decimal0To10, decimal.New(1, -1<<30), "at most one decimal"},
		{result.Decimal0To10, decimal.New(1, -1<<31), "at most one decimal"},
		{result.Decimal0To10, decimal.New(1, 1<<31-1), "above 10.0"},
		{result.Decimal0To10, d("123456789012345678901234567890.5"), "above 10.0"},
		{result.Whole0To10, d("7.5"), "a whole number, without decimals"},
		{result.Whole0To10, d("11"), "above 10"},
		{result.Whole0To100, d("55.5"), "a whole number, without decimals"},
		{result.Whole0To100, d("101"), "above 100"},
		{result.InsufficientSatisfactoryGood, d("1"), "not a numeric scale"},
		{result.PassFail, d("1"), "not a numeric scale"},
		{result.ReferenceLevelRKTR, d("2"), "not a numeric scale"},
	}
	for _, b := range invalid {
		g, err := result.NewNumericGrade(b.scale, b.d)
		assert.True(t, g.IsZero())
		require.ErrorIs(t, err, result.ErrInvalidGrade, "%s on %s", b.d, b.scale)
		var ge *result.GradeError
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, b.problem, ge.Problem, "%s on %s", b.d, b.scale)
		assert.Less(t, len(ge.Text), 60, "the message stays short")
	}
}

func TestGradeDecimal(t *testing.T) {
	got, ok := gradeOf(t, result.Decimal0To10, "7.5").Decimal()
	require.True(t, ok)
	assert.Equal(t, "7.5", got.String())
	got, ok = gradeOf(t, result.Whole0To100, "55").Decimal()
	require.True(t, ok)
	assert.Equal(t, "55", got.String())
	for _, g := range []result.Grade{{}, gradeOf(t, result.PassFail, "passed"), gradeOf(t, result.ReferenceLevelERK, "B1")} {
		_, ok := g.Decimal()
		assert.False(t, ok, "%s", g)
	}
}

func TestGradeZero(t *testing.T) {
	var g result.Grade
	assert.True(t, g.IsZero())
	assert.Equal(t, "", g.String())
	assert.Equal(t, result.Scale(0), g.Scale())
	assert.True(t, g.Equal(result.Grade{}))
	assert.False(t, g.Equal(gradeOf(t, result.Whole0To10, "0")))
	assert.False(t, gradeOf(t, result.PassFail, "failed").IsZero(), "the lowest grade is not the zero Grade")
}

func TestGradeEqualCompare(t *testing.T) {
	d10 := func(text string) result.Grade { return gradeOf(t, result.Decimal0To10, text) }
	assert.True(t, d10("7").Equal(d10("7.0")))
	assert.True(t, d10("7") == d10("7.0"), "== agrees with Equal")
	n, err := result.NewNumericGrade(result.Decimal0To10, decimal.RequireFromString("7.00"))
	require.NoError(t, err)
	assert.True(t, n.Equal(d10("7")))
	assert.False(t, d10("7").Equal(d10("7.5")))
	assert.False(t, d10("7").Equal(gradeOf(t, result.Whole0To10, "7")), "different scales are never equal")
	assert.True(t, gradeOf(t, result.InsufficientSatisfactoryGood, "V").Equal(gradeOf(t, result.InsufficientSatisfactoryGood, "voldoende")))
	assert.True(t, gradeOf(t, result.ReferenceLevelRKTR, "2f").Equal(gradeOf(t, result.ReferenceLevelRKTR, "2F")))

	// Each list is in ascending order.
	ordered := []struct {
		scale result.Scale
		texts []string
	}{
		{result.Decimal0To10, []string{"0.0", "0.1", "5.4", "5.5", "9.9", "10.0"}},
		{result.Whole0To10, []string{"0", "5", "6", "10"}},
		{result.Whole0To100, []string{"0", "9", "10", "54", "55", "100"}},
		{result.InsufficientSatisfactoryGood, []string{"insufficient", "satisfactory", "good"}},
		{result.PassFail, []string{"failed", "passed"}},
		{result.ReferenceLevelRKTR, []string{"1F", "1S", "2F", "2S", "3F", "3S", "4F", "4S"}},
		{result.ReferenceLevelERK, []string{"A1", "A2", "B1", "B2", "C1", "C2"}},
	}
	for _, o := range ordered {
		for i, a := range o.texts {
			for j, b := range o.texts {
				c, err := gradeOf(t, o.scale, a).Compare(gradeOf(t, o.scale, b))
				require.NoError(t, err)
				want := 0
				if i < j {
					want = -1
				} else if i > j {
					want = 1
				}
				assert.Equal(t, want, c, "%s vs %s on %s", a, b, o.scale)
				assert.Equal(t, i == j, gradeOf(t, o.scale, a).Equal(gradeOf(t, o.scale, b)))
			}
		}
	}

	_, err = d10("7.0").Compare(gradeOf(t, result.Whole0To10, "7"))
	assert.ErrorIs(t, err, result.ErrScaleMismatch)
	assert.EqualError(t, err, "result: cannot compare 7.0 (0.0-10.0) with 7 (0-10): different scales")
	_, err = d10("7.0").Compare(result.Grade{})
	assert.ErrorIs(t, err, result.ErrNoGrade)
	_, err = result.Grade{}.Compare(result.Grade{})
	assert.ErrorIs(t, err, result.ErrNoGrade)
}

// TestPassRuleDefaults checks the zero PassRule at every scale's boundary.
func TestPassRuleDefaults(t *testing.T) {
	tests := []struct {
		scale        result.Scale
		pass, fail   []string
		lowestPasser string
	}{
		{result.Decimal0To10, []string{"5.5", "5.6", "10.0"}, []string{"0.0", "5.4", "5"}, "5.5"},
		{result.Whole0To10, []string{"6", "10"}, []string{"0", "5"}, "6"},
		{result.Whole0To100, []string{"55", "100"}, []string{"0", "54"}, "55"},
		{result.InsufficientSatisfactoryGood, []string{"satisfactory", "good", "V", "G"}, []string{"insufficient", "O"}, "satisfactory"},
		{result.PassFail, []string{"passed"}, []string{"failed"}, "passed"},
		{result.ReferenceLevelRKTR, []string{"2F", "2S", "3F", "4S"}, []string{"1F", "1S"}, "2F"},
		{result.ReferenceLevelERK, []string{"B1", "B2", "C2"}, []string{"A1", "A2"}, "B1"},
	}
	require.Len(t, tests, len(allScales))
	var rule result.PassRule
	for _, tt := range tests {
		low, err := rule.Lowest(tt.scale)
		require.NoError(t, err)
		assert.Equal(t, tt.lowestPasser, low.String())
		for _, text := range tt.pass {
			ok, err := rule.Passes(gradeOf(t, tt.scale, text))
			require.NoError(t, err)
			assert.True(t, ok, "%s on %s passes", text, tt.scale)
			assert.Equal(t, "passed", gradeOf(t, tt.scale, text).PassState(rule))
		}
		for _, text := range tt.fail {
			ok, err := rule.Passes(gradeOf(t, tt.scale, text))
			require.NoError(t, err)
			assert.False(t, ok, "%s on %s fails", text, tt.scale)
			assert.Equal(t, "failed", gradeOf(t, tt.scale, text).PassState(rule))
		}
	}
}

func TestPassRuleOverrides(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		rule       result.PassRule
		scale      result.Scale
		pass, fail []string
	}{
		{result.PassRule{Scale: result.Decimal0To10, Cut: d("5.5")}, result.Decimal0To10, []string{"5.5"}, []string{"5.4"}},
		{result.PassRule{Scale: result.Decimal0To10, Cut: d("6")}, result.Decimal0To10, []string{"6.0", "6"}, []string{"5.9", "5.5"}},
		{result.PassRule{Scale: result.Decimal0To10, Cut: d("6.00")}, result.Decimal0To10, []string{"6.0"}, []string{"5.9"}},
		{result.PassRule{Scale: result.Whole0To10, Cut: d("5")}, result.Whole0To10, []string{"5"}, []string{"4"}},
		{result.PassRule{Scale: result.Whole0To100, Cut: d("60")}, result.Whole0To100, []string{"60"}, []string{"59", "55"}},
		{result.PassRule{Level: "3F"}, result.ReferenceLevelRKTR, []string{"3F", "3S"}, []string{"2S", "2F"}},
		{result.PassRule{Level: "1s"}, result.ReferenceLevelRKTR, []string{"1S"}, []string{"1F"}},
		{result.PassRule{Level: "B2"}, result.ReferenceLevelERK, []string{"B2", "C1"}, []string{"B1"}},
		{result.PassRule{Scale: result.ReferenceLevelERK, Level: "A2"}, result.ReferenceLevelERK, []string{"A2"}, []string{"A1"}},
		// Level applies to reference levels only; other scales keep their default.
		{result.PassRule{Level: "3F"}, result.Decimal0To10, []string{"5.5"}, []string{"5.4"}},
		{result.PassRule{Level: "3F"}, result.PassFail, []string{"passed"}, []string{"failed"}},
		{result.PassRule{Scale: result.PassFail}, result.PassFail, []string{"passed"}, []string{"failed"}},
	}
	for _, tt := range tests {
		for _, text := range tt.pass {
			ok, err := tt.rule.Passes(gradeOf(t, tt.scale, text))
			require.NoError(t, err)
			assert.True(t, ok, "%+v: %s passes", tt.rule, text)
		}
		for _, text := range tt.fail {
			ok, err := tt.rule.Passes(gradeOf(t, tt.scale, text))
			require.NoError(t, err)
			assert.False(t, ok, "%+v: %s fails", tt.rule, text)
		}
	}
}

func TestPassRuleErrors(t *testing.T) {
	d := decimal.RequireFromString
	ok, err := result.PassRule{}.Passes(result.Grade{})
	assert.False(t, ok)
	assert.ErrorIs(t, err, result.ErrNoGrade)
	assert.Equal(t, "unknown", result.Grade{}.PassState(result.PassRule{}))

	rktr := gradeOf(t, result.ReferenceLevelRKTR, "3F")
	tests := []struct {
		name  string
		rule  result.PassRule
		grade result.Grade
		field string
		msg   string
	}{
		{"ERK level for an RKTR grade", result.PassRule{Level: "B1"}, rktr, "Level",
			`result: pass rule for scale referenceLevelRKTR: Level "B1": want 1F, 1S, 2F, 2S, 3F, 3S, 4F or 4S`},
		{"unknown level", result.PassRule{Level: "Op weg naar 1F"}, rktr, "Level", ""},
		{"level for a numeric scale", result.PassRule{Scale: result.Decimal0To10, Level: "2F"},
			gradeOf(t, result.Decimal0To10, "7.0"), "Level", ""},
		{"cut without scale", result.PassRule{Cut: d("6")}, gradeOf(t, result.Decimal0To10, "7.0"), "Cut",
			`result: pass rule for scale 0.0-10.0: Cut "6": a cut needs the rule's Scale`},
		{"cut without scale, other scale", result.PassRule{Cut: d("6")}, rktr, "Cut", ""},
		{"cut too precise", result.PassRule{Scale: result.Decimal0To10, Cut: d("5.55")},
			gradeOf(t, result.Decimal0To10, "7.0"), "Cut",
			`result: pass rule for scale 0.0-10.0: Cut "5.55": at most one decimal`},
		{"cut above the scale", result.PassRule{Scale: result.Whole0To10, Cut: d("55")},
			gradeOf(t, result.Whole0To10, "7"), "Cut", ""},
		{"cut on a scale that is not numeric", result.PassRule{Scale: result.InsufficientSatisfactoryGood, Cut: d("1")},
			gradeOf(t, result.InsufficientSatisfactoryGood, "good"), "Cut", ""},
		{"no such scale", result.PassRule{Scale: 42}, rktr, "Scale", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := tt.rule.Passes(tt.grade)
			assert.False(t, ok)
			require.ErrorIs(t, err, result.ErrInvalidPassRule)
			assert.NotErrorIs(t, err, result.ErrInvalidGrade, "a bad rule is not a bad grade")
			var pe *result.PassRuleError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
			assert.Equal(t, tt.grade.Scale(), pe.Scale)
			if tt.msg != "" {
				assert.EqualError(t, err, tt.msg)
			}
			assert.Equal(t, "unknown", tt.grade.PassState(tt.rule))
		})
	}

	rule := result.PassRule{Scale: result.Decimal0To10, Cut: d("6")}
	_, err = rule.Passes(gradeOf(t, result.Whole0To100, "60"))
	require.ErrorIs(t, err, result.ErrScaleMismatch)
	assert.NotErrorIs(t, err, result.ErrInvalidPassRule)
	assert.Equal(t, "unknown", gradeOf(t, result.Whole0To100, "60").PassState(rule))

	_, err = result.PassRule{}.Lowest(0)
	assert.ErrorIs(t, err, result.ErrUnknownScale)
}

func TestGradeJSON(t *testing.T) {
	for _, s := range allScales {
		var texts []string
		switch s {
		case result.Decimal0To10:
			texts = []string{"0.0", "5.5", "7.0", "10.0"}
		case result.Whole0To10:
			texts = []string{"0", "6", "10"}
		case result.Whole0To100:
			texts = []string{"0", "55", "100"}
		case result.InsufficientSatisfactoryGood:
			texts = []string{"insufficient", "satisfactory", "good"}
		case result.PassFail:
			texts = []string{"failed", "passed"}
		case result.ReferenceLevelRKTR:
			texts = []string{"1F", "2S", "4S"}
		case result.ReferenceLevelERK:
			texts = []string{"A1", "B2", "C2"}
		}
		require.NotEmpty(t, texts, "%s", s)
		for _, text := range texts {
			g := gradeOf(t, s, text)
			data, err := json.Marshal(g)
			require.NoError(t, err)
			assert.JSONEq(t, `{"scale": "`+s.String()+`", "value": "`+text+`"}`, string(data))
			var back result.Grade
			require.NoError(t, json.Unmarshal(data, &back))
			assert.Equal(t, g, back, "%s", data)
		}
	}

	data, err := json.Marshal(result.Grade{})
	require.NoError(t, err)
	assert.Equal(t, "null", string(data))
	back := gradeOf(t, result.PassFail, "passed")
	require.NoError(t, json.Unmarshal([]byte("null"), &back))
	assert.True(t, back.IsZero())

	// Inside a struct, omitzero leaves out the zero Grade.
	type row struct {
		Grade result.Grade `json:"grade,omitzero"`
	}
	data, err = json.Marshal(row{})
	require.NoError(t, err)
	assert.Equal(t, "{}", string(data))
	data, err = json.Marshal(row{gradeOf(t, result.Decimal0To10, "7.5")})
	require.NoError(t, err)
	assert.Equal(t, `{"grade":{"scale":"0.0-10.0","value":"7.5"}}`, string(data))

	// Other spellings are read, and written back canonically.
	var g result.Grade
	require.NoError(t, json.Unmarshal([]byte(`{"scale": "1-10", "value": "7"}`), &g))
	assert.Equal(t, gradeOf(t, result.Decimal0To10, "7.0"), g)
	require.NoError(t, json.Unmarshal([]byte(` { "value": "V", "scale": "insufficient-satisfactory-good" } `), &g))
	assert.Equal(t, "satisfactory", g.String())
}

func TestGradeJSONErrors(t *testing.T) {
	tests := []struct {
		data string
		is   error
	}{
		{`{"scale": "0.0-10.0", "value": 7.5}`, result.ErrInvalidGrade},
		{`{"scale": "0.0-10.0", "value": "7.55"}`, result.ErrInvalidGrade},
		{`{"scale": "0.0-10.0", "value": ""}`, result.ErrInvalidGrade},
		{`{"scale": "0.0-10.0"}`, result.ErrInvalidGrade},
		{`{"scale": "0.0-10.0", "value": null}`, result.ErrInvalidGrade},
		{`{"value": "7.5"}`, result.ErrInvalidGrade},
		{`{"scale": "0.0-10.0", "value": "7.5", "extra": 1}`, result.ErrInvalidGrade},
		{`{"scale": "0.0-10.0", "value": "7.5"} {}`, result.ErrInvalidGrade},
		{`"7.5"`, result.ErrInvalidGrade},
		{`7.5`, result.ErrInvalidGrade},
		{`[]`, result.ErrInvalidGrade},
		{`{"scale": "0.0-10.0", "value": "7.5",}`, result.ErrInvalidGrade},
		{`{"scale": "US letter", "value": "A"}`, result.ErrUnsupportedScale},
		{`{"scale": "cijfer", "value": "7"}`, result.ErrUnknownScale},
		{`{"scale": "", "value": "7"}`, result.ErrUnknownScale},
	}
	for _, tt := range tests {
		var g result.Grade
		err := g.UnmarshalJSON([]byte(tt.data))
		assert.ErrorIs(t, err, tt.is, tt.data)
		assert.True(t, g.IsZero(), tt.data)
	}
	// Through encoding/json too, which checks the syntax first.
	var g result.Grade
	err := json.Unmarshal([]byte(`{"scale": "0.0-10.0", "value": "10.1"}`), &g)
	var ge *result.GradeError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "above 10.0", ge.Problem)
	assert.True(t, errors.Is(err, result.ErrInvalidGrade))
}

// FuzzParseGrade feeds arbitrary text to ParseGrade on every scale: it must
// never panic, it fails only with a GradeError, and every grade it returns
// reads back from its String as an equal grade with the same String.
func FuzzParseGrade(f *testing.F) {
	for _, s := range []string{
		"", "0", "0.0", "5.5", "5.45", "7", "7.0", "7.55", "10", "10.0", "10.1", "100", "101", "-1", "1e1",
		" 7", "7,5", "07", "passed", "fail", "V", "onvoldoende", "GOED", "2f", "4S", "b1", "C2",
		"Op weg naar 1F", "ſatisfactory", "\xff", "99999999999999999999.9",
	} {
		f.Add(s)
	}
	scales := append([]result.Scale{0, 42}, allScales...)
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range scales {
			g, err := result.ParseGrade(s, text)
			if err != nil {
				var ge *result.GradeError
				if !errors.As(err, &ge) || !errors.Is(err, result.ErrInvalidGrade) || !g.IsZero() {
					t.Fatalf("ParseGrade(%s, %q): error %v is no GradeError, or grade %v not zero", s, text, err, g)
				}
				continue
			}
			if g.Scale() != s || g.IsZero() {
				t.Fatalf("ParseGrade(%s, %q) = %#v", s, text, g)
			}
			again, err := result.ParseGrade(s, g.String())
			if err != nil {
				t.Fatalf("ParseGrade(%s, %q) = %q, which does not parse: %v", s, text, g, err)
			}
			if !again.Equal(g) || again.String() != g.String() {
				t.Fatalf("ParseGrade(%s, %q) = %q, reads back as %q", s, text, g, again)
			}
			if d, ok := g.Decimal(); ok {
				n, err := result.NewNumericGrade(s, d)
				if err != nil || !n.Equal(g) {
					t.Fatalf("NewNumericGrade(%s, %s) = %q, %v; want %q", s, d, n, err, g)
				}
			}
		}
	})
}
