package result

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// A Grade is the value of a result on a Scale: 7.5 on 0.0-10.0, satisfactory
// on insufficient-satisfactory-good, 2F on referenceLevelRKTR. Make one with
// ParseGrade or NewNumericGrade; they refuse anything that is not exactly a
// grade on its scale and never round.
//
// A Grade is an immutable value. Grades are comparable: g == h exactly when
// g.Equal(h), so a Grade can be a map key. Grades on one scale are ordered
// with Compare; grades on different scales are never equal and cannot be
// compared.
//
// The zero Grade means "no grade", for a result without a value yet; IsZero
// reports it, its text is empty and it encodes to JSON as null.
type Grade struct {
	scale Scale
	// v is the value: on Decimal0To10 in tenths, on the other numeric scales
	// the number itself, on the other scales the index in ordinals[scale].
	v int16
}

// ErrInvalidGrade is matched by every *GradeError.
var ErrInvalidGrade = errors.New("invalid grade")

// ErrNoGrade: a Grade was needed and the zero Grade was given.
var ErrNoGrade = errors.New("no grade")

// ErrScaleMismatch: grades on different scales were compared, or a PassRule
// for one scale was asked to judge a grade on another.
var ErrScaleMismatch = errors.New("different scales")

// A GradeError reports text or a number that is no grade on Scale. Problem
// says why in words, such as "at most one decimal". It matches
// ErrInvalidGrade.
type GradeError struct {
	Scale   Scale
	Text    string
	Problem string
}

// Error returns the problem as a sentence a person can read.
func (e *GradeError) Error() string {
	if !e.Scale.IsValid() {
		return fmt.Sprintf("result: grade %q: %s", e.Text, e.Problem)
	}
	return fmt.Sprintf("result: grade %q on scale %s: %s", e.Text, e.Scale, e.Problem)
}

// Is makes every GradeError match ErrInvalidGrade.
func (e *GradeError) Is(target error) bool { return target == ErrInvalidGrade }

// ParseGrade returns the grade that text spells on scale s. It is strict:
// the text must be exactly a grade, without spaces, and is never rounded.
//
//   - Decimal0To10: 0 to 10.0 with at most one decimal, written with a
//     decimal point: "7", "7.5", "10.0"; not "7.55", "10.1", "-1", "07",
//     "7,5", "1e1" or " 7".
//   - Whole0To10 and Whole0To100: a whole number without decimals, 0 to 10
//     or 0 to 100: "7", not "7.0".
//   - InsufficientSatisfactoryGood: "insufficient", "satisfactory", "good",
//     the Dutch "onvoldoende", "voldoende", "goed" or their letters "O", "V",
//     "G".
//   - PassFail: "passed" and "failed" as OKE spells them, or "pass" and "fail".
//   - ReferenceLevelRKTR: 1F, 1S, 2F, 2S, 3F, 3S, 4F, 4S; ReferenceLevelERK:
//     A1, A2, B1, B2, C1, C2. Values outside the set, such as RKTR's
//     "Op weg naar 1F", are refused.
//
// Words and levels are matched without regard to (ASCII) case. Any other
// text gives a *GradeError matching ErrInvalidGrade.
func ParseGrade(s Scale, text string) (Grade, error) {
	bad := func(problem string) (Grade, error) {
		return Grade{}, &GradeError{Scale: s, Text: text, Problem: problem}
	}
	switch {
	case !s.IsValid():
		return bad(noScale(s))
	case text == "":
		return bad("empty")
	case s.IsNumeric():
		v, problem := parseNumber(s, text)
		if problem != "" {
			return bad(problem)
		}
		return Grade{scale: s, v: int16(v)}, nil
	}
	for i, spellings := range ordinals[s] {
		for _, sp := range spellings {
			if equalFoldASCII(text, sp) {
				return Grade{scale: s, v: int16(i)}, nil
			}
		}
	}
	return bad("want " + orList(s))
}

// parseNumber reads text as a grade on the numeric scale s and returns its
// value in the unit of Grade.v, or a problem.
func parseNumber(s Scale, text string) (int64, string) {
	whole, frac, point := strings.Cut(text, ".")
	switch {
	case text[0] == '-':
		return 0, "negative"
	case !digits(whole) || point && !digits(frac):
		if w, f, ok := strings.Cut(text, ","); ok && digits(w) && digits(f) {
			return 0, "write a decimal point, not a comma"
		}
		return 0, "not a number"
	case len(whole) > 1 && whole[0] == '0':
		return 0, "leading zero"
	case point && s != Decimal0To10:
		return 0, "a whole number, without decimals"
	case len(frac) > 1:
		return 0, "at most one decimal"
	case len(whole) > 3:
		return 0, "above " + maxText(s)
	}
	v, _ := strconv.ParseInt(whole, 10, 64) // at most three digits
	if s == Decimal0To10 {
		v *= 10
		if point {
			v += int64(frac[0] - '0')
		}
	}
	if v > highest[s] {
		return 0, "above " + maxText(s)
	}
	return v, ""
}

// NewNumericGrade returns the grade d on the numeric scale s, by the rules
// of ParseGrade: 0 to 10.0 with at most one decimal on Decimal0To10, whole
// numbers on Whole0To10 and Whole0To100. Only the value of d counts, not how
// many decimals it carries: 7.50 is the grade 7.5, and 7.0 is 7 on
// Whole0To10. It never rounds. Anything else, and any scale that is not
// numeric, gives a *GradeError matching ErrInvalidGrade.
func NewNumericGrade(s Scale, d decimal.Decimal) (Grade, error) {
	bad := func(problem string) (Grade, error) {
		return Grade{}, &GradeError{Scale: s, Text: decimalText(d), Problem: problem}
	}
	switch {
	case !s.IsValid():
		return bad(noScale(s))
	case !s.IsNumeric():
		return bad("not a numeric scale")
	case d.Sign() < 0:
		return bad("negative")
	}
	tenths, ok := tenthsOf(d)
	switch {
	case !ok && s == Decimal0To10:
		return bad("at most one decimal")
	case !ok || s != Decimal0To10 && tenths%10 != 0:
		return bad("a whole number, without decimals")
	}
	v := tenths
	if s != Decimal0To10 {
		v /= 10
	}
	if v > highest[s] {
		return bad("above " + maxText(s))
	}
	return Grade{scale: s, v: int16(v)}, nil
}

// tooMany stands for every count of tenths above the highest grade.
const tooMany = 100_000

// tenthsOf returns 10·d, or tooMany when that is larger, and whether it is a
// whole number; d is not negative. The work is bounded by the size of d's
// coefficient, whatever its exponent.
func tenthsOf(d decimal.Decimal) (int64, bool) {
	c, e := d.Coefficient(), int64(d.Exponent())+1 // 10·d = c·10^e
	switch {
	case c.Sign() == 0:
		return 0, true
	case e > 5:
		return tooMany, true
	case e >= 0:
		c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(e), nil))
	case -e > int64(c.BitLen()):
		return 0, false // 0 < c < 2^-e < 10^-e, so 10^-e does not divide c
	default:
		var r big.Int
		c.QuoRem(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(-e), nil), &r)
		if r.Sign() != 0 {
			return 0, false
		}
	}
	if !c.IsInt64() || c.Int64() > tooMany {
		return tooMany, true
	}
	return c.Int64(), true
}

// decimalText returns d as text for an error message, without building
// the digits of an enormous exponent.
func decimalText(d decimal.Decimal) string {
	if e := d.Exponent(); e < -40 || e > 40 {
		return d.Coefficient().String() + "e" + strconv.Itoa(int(e))
	}
	return d.String()
}

// Scale returns the scale of g; the zero Scale for the zero Grade.
func (g Grade) Scale() Scale { return g.scale }

// IsZero reports whether g is the zero Grade, meaning "no grade".
func (g Grade) IsZero() bool { return g == Grade{} }

// String returns the canonical text of g, which ParseGrade reads back:
// "7.5" or "7.0" on Decimal0To10 (always one decimal), "7" on Whole0To10,
// "satisfactory", "passed", "2F". The zero Grade has the empty text.
func (g Grade) String() string {
	switch {
	case g.IsZero():
		return ""
	case g.scale == Decimal0To10:
		return strconv.Itoa(int(g.v/10)) + "." + strconv.Itoa(int(g.v%10))
	case g.scale.IsNumeric():
		return strconv.Itoa(int(g.v))
	}
	return ordinals[g.scale][g.v][0]
}

// Decimal returns the number g is, exactly, and true; or false when g is not
// on a numeric scale or is the zero Grade.
func (g Grade) Decimal() (decimal.Decimal, bool) {
	switch {
	case g.scale == Decimal0To10:
		return decimal.New(int64(g.v), -1), true
	case g.scale.IsNumeric():
		return decimal.New(int64(g.v), 0), true
	}
	return decimal.Decimal{}, false
}

// Equal reports whether g and h are the same grade: the same scale and the
// same value, however it was written ("7", "7.0" and the decimal 7.00 are
// one grade on Decimal0To10; "V" and "voldoende" are satisfactory). It is
// the same test as g == h. Grades on different scales are never equal, not
// even 7 on Whole0To10 and 7.0 on Decimal0To10.
func (g Grade) Equal(h Grade) bool { return g == h }

// Compare returns -1 if g is lower than h, 0 if they are equal and +1 if g is
// higher: by number on the numeric scales, otherwise by the order of the
// scale (failed < passed, insufficient < satisfactory < good, 1F < 1S < … <
// 4S, A1 < … < C2). Grades on different scales give an error matching
// ErrScaleMismatch, and the zero Grade one matching ErrNoGrade.
func (g Grade) Compare(h Grade) (int, error) {
	switch {
	case g.IsZero() || h.IsZero():
		return 0, fmt.Errorf("result: %w to compare", ErrNoGrade)
	case g.scale != h.scale:
		return 0, fmt.Errorf("result: cannot compare %s (%s) with %s (%s): %w", g, g.scale, h, h.scale, ErrScaleMismatch)
	case g.v < h.v:
		return -1, nil
	case g.v > h.v:
		return 1, nil
	}
	return 0, nil
}

// PassState returns OKE's passState of g under rule r: "passed" or "failed",
// or "unknown" for the zero Grade and when r cannot judge g. Passes says why
// a grade cannot be judged.
func (g Grade) PassState(r PassRule) string {
	pass, err := r.Passes(g)
	switch {
	case err != nil:
		return "unknown"
	case pass:
		return "passed"
	}
	return "failed"
}

// gradeJSON is the JSON form of a non-zero Grade.
type gradeJSON struct {
	Scale *string `json:"scale"`
	Value *string `json:"value"`
}

// MarshalJSON encodes g as an object with its scale and its canonical text,
// the value always a JSON string: {"scale":"0.0-10.0","value":"7.5"}. The
// zero Grade encodes as null.
func (g Grade) MarshalJSON() ([]byte, error) {
	if g.IsZero() {
		return []byte("null"), nil
	}
	scale, value := g.scale.String(), g.String()
	return json.Marshal(gradeJSON{Scale: &scale, Value: &value})
}

// UnmarshalJSON decodes the object MarshalJSON writes, reading the scale as
// ParseScale does and the value as ParseGrade does; null decodes to the zero
// Grade. Both fields are required, the value must be a JSON string, and
// other fields are refused. A scale that is not accepted gives a
// *ScaleError; anything else wrong a *GradeError.
func (g *Grade) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*g = Grade{}
		return nil
	}
	var raw gradeJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&raw)
	if err == nil {
		if _, end := dec.Token(); end != io.EOF {
			err = errors.New("text after the object")
		}
	}
	if err != nil {
		return &GradeError{Text: shorten(string(data)), Problem: `want {"scale": "…", "value": "…"}: ` + err.Error()}
	}
	if raw.Scale == nil {
		return &GradeError{Text: shorten(string(data)), Problem: "no scale"}
	}
	s, err := ParseScale(*raw.Scale)
	if err != nil {
		return err
	}
	if raw.Value == nil {
		return &GradeError{Scale: s, Text: shorten(string(data)), Problem: "no value"}
	}
	v, err := ParseGrade(s, *raw.Value)
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// problemOf returns the Problem of a *GradeError, or else the error text.
func problemOf(err error) string {
	if ge, ok := errors.AsType[*GradeError](err); ok {
		return ge.Problem
	}
	return err.Error()
}

// maxText returns the highest grade of the numeric scale s as text.
func maxText(s Scale) string { return Grade{scale: s, v: int16(highest[s])}.String() }

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// equalFoldASCII is strings.EqualFold for ASCII letters only, so that no
// other Unicode letter (such as the long s) passes for a Latin one.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// shorten cuts long text for an error message.
func shorten(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
