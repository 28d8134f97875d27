package result

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// ErrNoConversion: a norm cannot turn a raw score into a grade on the
// scale, such as a reference level, or the norm or score is unusable.
var ErrNoConversion = errors.New("no conversion")

// A Norm turns a raw score into a grade (normering). Cut is the cut score
// (cesuur): the points at which the grade is just sufficient. Good is the
// points for "good" on the O/V/G scale. All arithmetic is exact; a grade
// is rounded half up only at the end, to the scale's precision.
//
// The conversions, for p points out of m:
//
//   - 0.0–10.0 and 0–10: linear from 1.0 at 0 points to 5.5 at the cut
//     score, and from 5.5 at the cut score to 10.0 at m points; rounded to
//     one decimal, or to a whole number.
//   - 0–100: the percentage 100·p/m, rounded to a whole number.
//   - pass/fail: passed from the cut score on.
//   - O/V/G: good from Good points, satisfactory from the cut score,
//     insufficient below it.
//   - The reference levels have no conversion (ErrNoConversion).
type Norm struct {
	Scale Scale           `json:"scale"`
	Cut   decimal.Decimal `json:"cut"`
	Good  decimal.Decimal `json:"good,omitzero"`
}

// Grade converts points out of max into a grade on the norm's scale.
func (n Norm) Grade(points, max int) (Grade, error) {
	bad := func(format string, args ...any) (Grade, error) {
		return Grade{}, fmt.Errorf("result: %w: %d of %d points on scale %s: %s", ErrNoConversion,
			points, max, n.Scale, fmt.Sprintf(format, args...))
	}
	p, m := decimal.NewFromInt(int64(points)), decimal.NewFromInt(int64(max))
	switch {
	case max <= 0 || points < 0 || points > max:
		return bad("the points must lie between 0 and a positive maximum")
	case n.Scale != Whole0To100 && (!n.Cut.IsPositive() || n.Cut.GreaterThan(m)):
		return bad("the cut score %s must lie above 0 and at most the maximum", n.Cut)
	}
	switch n.Scale {
	case Decimal0To10, Whole0To10:
		// value = num / den exactly; 1 + 4.5p/c below the cut, 5.5 + 4.5(p−c)/(m−c) from it.
		var num, den decimal.Decimal
		if p.LessThan(n.Cut) {
			num, den = n.Cut.Add(p.Mul(decimal.NewFromFloat(4.5))), n.Cut
		} else if n.Cut.Equal(m) {
			num, den = decimal.NewFromInt(10), decimal.NewFromInt(1)
		} else {
			num = decimal.NewFromFloat(5.5).Mul(m.Sub(n.Cut)).Add(decimal.NewFromFloat(4.5).Mul(p.Sub(n.Cut)))
			den = m.Sub(n.Cut)
		}
		unit := decimal.NewFromInt(1)
		if n.Scale == Decimal0To10 {
			unit = decimal.New(1, -1)
		}
		return NewNumericGrade(n.Scale, roundHalfUp(num, den, unit))
	case Whole0To100:
		return NewNumericGrade(n.Scale, roundHalfUp(p.Mul(decimal.NewFromInt(100)), m, decimal.NewFromInt(1)))
	case PassFail:
		if p.LessThan(n.Cut) {
			return ParseGrade(PassFail, "failed")
		}
		return ParseGrade(PassFail, "passed")
	case InsufficientSatisfactoryGood:
		if !n.Good.GreaterThan(n.Cut) || n.Good.GreaterThan(m) {
			return bad("good (%s) must lie above the cut score and at most the maximum", n.Good)
		}
		switch {
		case !p.LessThan(n.Good):
			return ParseGrade(n.Scale, "good")
		case !p.LessThan(n.Cut):
			return ParseGrade(n.Scale, "satisfactory")
		}
		return ParseGrade(n.Scale, "insufficient")
	}
	return bad("the scale has no conversion from a raw score")
}

// roundHalfUp returns num/den rounded half up to a multiple of unit,
// exactly: floor(num/(den·unit) + 1/2)·unit, for non-negative values.
func roundHalfUp(num, den, unit decimal.Decimal) decimal.Decimal {
	two := decimal.NewFromInt(2)
	q, _ := num.Mul(two).Add(den.Mul(unit)).QuoRem(den.Mul(unit).Mul(two), 0)
	return q.Mul(unit)
}
