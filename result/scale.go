package result

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// A Scale is the kind of value a grade has: OKE's resultValueType. Each
// scale's text is its OKE spelling, used by String, MarshalText and
// UnmarshalText.
//
// The zero Scale means "no scale" and is not valid; ParseScale never
// returns it. OKE's letter scales ("US letter", "UK letter", "DE grade") are
// not used in MBO and have no Scale.
type Scale uint8

// The scales MBO uses, in the order of OKE's resultValueType enumeration.
const (
	// PassFail: "pass-or-fail", the grades passed and failed.
	PassFail Scale = iota + 1
	// InsufficientSatisfactoryGood: "insufficient-satisfactory-good", the
	// O/V/G scale of onvoldoende, voldoende and goed.
	InsufficientSatisfactoryGood
	// Whole0To100: "0-100", whole numbers from 0 to 100.
	Whole0To100
	// Whole0To10: "0-10", whole numbers from 0 to 10.
	Whole0To10
	// Decimal0To10: "0.0-10.0", numbers from 0.0 to 10.0 with at most one
	// decimal.
	Decimal0To10
	// ReferenceLevelRKTR: "referenceLevelRKTR", the levels of the
	// Referentiekader Taal en Rekenen, from low to high 1F, 1S, 2F, 2S, 3F,
	// 3S, 4F, 4S.
	ReferenceLevelRKTR
	// ReferenceLevelERK: "referenceLevelERK", the levels of the Europees
	// Referentiekader voor de talen (CEFR), from low to high A1, A2, B1, B2,
	// C1, C2.
	ReferenceLevelERK

	lastScale = ReferenceLevelERK
)

// Sentinel errors for scales, for errors.Is; a *ScaleError matches one.
var (
	// ErrUnknownScale: the text is no OKE result value type at all.
	ErrUnknownScale = errors.New("unknown scale")

	// ErrUnsupportedScale: the text is an OKE result value type that MBO
	// does not use: "US letter", "UK letter" or "DE grade".
	ErrUnsupportedScale = errors.New("scale not used in MBO")
)

// A ScaleError reports text that names no Scale. Err is ErrUnknownScale or
// ErrUnsupportedScale.
type ScaleError struct {
	Text string
	Err  error
}

// Error returns the problem as a sentence a person can read.
func (e *ScaleError) Error() string {
	if errors.Is(e.Err, ErrUnsupportedScale) {
		return fmt.Sprintf("result: scale %q is an OKE result value type not used in MBO, and not supported", e.Text)
	}
	return fmt.Sprintf("result: %v %q; known are %s", e.Err, e.Text, strings.Join(scaleNames[1:], ", "))
}

// Unwrap returns ErrUnknownScale or ErrUnsupportedScale.
func (e *ScaleError) Unwrap() error { return e.Err }

// scaleNames holds the OKE spelling of each Scale, by its value.
var scaleNames = []string{
	PassFail:                     "pass-or-fail",
	InsufficientSatisfactoryGood: "insufficient-satisfactory-good",
	Whole0To100:                  "0-100",
	Whole0To10:                   "0-10",
	Decimal0To10:                 "0.0-10.0",
	ReferenceLevelRKTR:           "referenceLevelRKTR",
	ReferenceLevelERK:            "referenceLevelERK",
}

// ParseScale returns the Scale whose OKE spelling is text, exactly as the
// resultValueType enumeration spells it (the match is case-sensitive).
//
// Besides "0.0-10.0" it accepts "1.0-10.0" and "1-10" for Decimal0To10:
// the OKE examples write the decimal scale that way. Such a grade still
// ranges from 0.0 to 10.0, and the scale is written back as "0.0-10.0".
//
// The letter scales "US letter", "UK letter" and "DE grade" give a
// *ScaleError matching ErrUnsupportedScale; any other text one matching
// ErrUnknownScale.
func ParseScale(text string) (Scale, error) {
	switch text {
	case "1.0-10.0", "1-10":
		return Decimal0To10, nil
	case "US letter", "UK letter", "DE grade":
		return 0, &ScaleError{Text: text, Err: ErrUnsupportedScale}
	}
	for s := PassFail; s <= lastScale; s++ {
		if text == scaleNames[s] {
			return s, nil
		}
	}
	return 0, &ScaleError{Text: text, Err: ErrUnknownScale}
}

// IsValid reports whether s is one of the Scale constants.
func (s Scale) IsValid() bool { return s >= PassFail && s <= lastScale }

// IsNumeric reports whether grades on s are numbers: Whole0To100,
// Whole0To10 and Decimal0To10.
func (s Scale) IsNumeric() bool { return s == Whole0To100 || s == Whole0To10 || s == Decimal0To10 }

// String returns the OKE spelling of s, "no scale" for the zero Scale and
// "Scale(n)" for a value that is no Scale constant.
func (s Scale) String() string {
	switch {
	case s.IsValid():
		return scaleNames[s]
	case s == 0:
		return "no scale"
	}
	return fmt.Sprintf("Scale(%d)", uint8(s))
}

// MarshalText encodes s as its OKE spelling; the zero Scale encodes as
// empty text. A value that is no Scale constant is an error matching
// ErrUnknownScale.
func (s Scale) MarshalText() ([]byte, error) {
	switch {
	case s.IsValid():
		return []byte(scaleNames[s]), nil
	case s == 0:
		return []byte{}, nil
	}
	return nil, &ScaleError{Text: s.String(), Err: ErrUnknownScale}
}

// UnmarshalText decodes what ParseScale accepts; empty text decodes to the
// zero Scale.
func (s *Scale) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*s = 0
		return nil
	}
	v, err := ParseScale(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ordinals lists, for each scale that is not numeric, its grades from low to
// high: first the canonical text, then the other spellings ParseGrade reads.
var ordinals = [lastScale + 1][][]string{
	PassFail:                     {{"failed", "fail"}, {"passed", "pass"}},
	InsufficientSatisfactoryGood: {{"insufficient", "O", "onvoldoende"}, {"satisfactory", "V", "voldoende"}, {"good", "G", "goed"}},
	ReferenceLevelRKTR:           {{"1F"}, {"1S"}, {"2F"}, {"2S"}, {"3F"}, {"3S"}, {"4F"}, {"4S"}},
	ReferenceLevelERK:            {{"A1"}, {"A2"}, {"B1"}, {"B2"}, {"C1"}, {"C2"}},
}

// highest is the largest value of each numeric scale, in the unit of
// Grade.v (tenths on Decimal0To10).
var highest = [lastScale + 1]int64{Whole0To100: 100, Whole0To10: 10, Decimal0To10: 100}

// noScale says what is wrong with a Scale that is not valid.
func noScale(s Scale) string {
	if s == 0 {
		return "no scale given"
	}
	return s.String() + " is no scale"
}

// orList lists the canonical grades of scale s: "failed or passed".
func orList(s Scale) string {
	vals := ordinals[s]
	names := make([]string, len(vals))
	for i, v := range vals {
		names[i] = v[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// A PassRule says which grades pass. Its zero value is the usual MBO rule for
// every scale; an institution changes it for a scale by setting fields:
//
//   - Decimal0To10 passes from 5.5, Whole0To10 from 6, Whole0To100 from 55
//     (Cut overrides these);
//   - InsufficientSatisfactoryGood passes with satisfactory or good;
//   - PassFail passes with passed;
//   - ReferenceLevelRKTR passes from 2F and ReferenceLevelERK from B1 (Level
//     overrides these). These two are defaults, not law: the level an exam
//     requires depends on the qualification, and an institution sets it.
//
// A PassRule is a plain value, safe to copy and to use concurrently.
type PassRule struct {
	// Scale, when set, is the only scale the rule judges; a grade on another
	// scale is an error matching ErrScaleMismatch. It is required with Cut,
	// because a number does not say which scale it is on.
	Scale Scale

	// Cut is the lowest passing grade on Scale, which must be numeric; the
	// Cut must itself be a grade on that scale (5.5 is none on 0-10). Zero
	// means the default.
	Cut decimal.Decimal

	// Level is the lowest passing reference level, such as "2F" or "B2"
	// (any case); empty means the default. It must be a level of the scale
	// of the grade judged: a rule with Level "B1" cannot judge a 2F grade.
	// Without Scale, grades on scales that have no levels keep their
	// default; with Scale, Level requires a reference level scale.
	Level string
}

// ErrInvalidPassRule is matched by every *PassRuleError.
var ErrInvalidPassRule = errors.New("invalid pass rule")

// A PassRuleError reports a PassRule that cannot judge grades on Scale:
// Field names the field at fault ("Scale", "Cut" or "Level"), Text its value
// and Problem what is wrong. It matches ErrInvalidPassRule.
type PassRuleError struct {
	Scale   Scale
	Field   string
	Text    string
	Problem string
}

// Error returns the problem as a sentence a person can read.
func (e *PassRuleError) Error() string {
	return fmt.Sprintf("result: pass rule for scale %s: %s %q: %s", e.Scale, e.Field, e.Text, e.Problem)
}

// Is makes every PassRuleError match ErrInvalidPassRule.
func (e *PassRuleError) Is(target error) bool { return target == ErrInvalidPassRule }

// Passes reports whether g passes under r: whether g is at least r's Lowest
// grade on g's scale. The zero Grade is an error matching ErrNoGrade; a rule
// that cannot judge g is a *PassRuleError or matches ErrScaleMismatch.
func (r PassRule) Passes(g Grade) (bool, error) {
	if g.IsZero() {
		return false, fmt.Errorf("result: %w to judge", ErrNoGrade)
	}
	low, err := r.Lowest(g.scale)
	if err != nil {
		return false, err
	}
	return g.v >= low.v, nil
}

// Lowest returns the lowest passing grade on scale s under r: 5.5 on
// Decimal0To10 for the zero PassRule. A rule that cannot judge grades on s
// gives a *PassRuleError; a rule for another scale an error matching
// ErrScaleMismatch; a scale s that is not valid a *ScaleError.
func (r PassRule) Lowest(s Scale) (Grade, error) {
	bad := func(field, text, problem string) (Grade, error) {
		return Grade{}, &PassRuleError{Scale: s, Field: field, Text: text, Problem: problem}
	}
	switch {
	case !s.IsValid():
		return Grade{}, &ScaleError{Text: s.String(), Err: ErrUnknownScale}
	case r.Scale != 0 && !r.Scale.IsValid():
		return bad("Scale", r.Scale.String(), "no scale")
	case r.Scale != 0 && r.Scale != s:
		return Grade{}, fmt.Errorf("result: a pass rule for scale %s cannot judge a grade on scale %s: %w", r.Scale, s, ErrScaleMismatch)
	}
	low := defaultLowest[s]
	if !r.Cut.IsZero() {
		if r.Scale == 0 {
			return bad("Cut", decimalText(r.Cut), "a cut needs the rule's Scale")
		}
		g, err := NewNumericGrade(s, r.Cut)
		if err != nil {
			return bad("Cut", decimalText(r.Cut), problemOf(err))
		}
		low = g
	}
	levels := s == ReferenceLevelRKTR || s == ReferenceLevelERK
	if r.Level != "" && (r.Scale != 0 || levels) {
		if !levels {
			return bad("Level", r.Level, "the scale has no reference levels")
		}
		g, err := ParseGrade(s, r.Level)
		if err != nil {
			return bad("Level", r.Level, problemOf(err))
		}
		low = g
	}
	return low, nil
}

// defaultLowest is the lowest passing grade of the zero PassRule, by scale.
var defaultLowest = [lastScale + 1]Grade{
	PassFail:                     {PassFail, 1},                     // passed
	InsufficientSatisfactoryGood: {InsufficientSatisfactoryGood, 1}, // satisfactory
	Whole0To100:                  {Whole0To100, 55},
	Whole0To10:                   {Whole0To10, 6},
	Decimal0To10:                 {Decimal0To10, 55},      // 5.5
	ReferenceLevelRKTR:           {ReferenceLevelRKTR, 2}, // 2F
	ReferenceLevelERK:            {ReferenceLevelERK, 2},  // B1
}
