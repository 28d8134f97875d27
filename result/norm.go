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
		if g, ok := n.tenScale(points, max); ok {
			return g, nil
		}
		return n.exactTen(p, m)
	case Whole0To100:
		if max <= 1<<40 {
			return NewNumericGrade(n.Scale, decimal.NewFromInt(roundRatio(100*int64(points), int64(max), 1)))
		}
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

// exactTen is the 0–10 conversion in decimals, for any size of number:
// value = num / den exactly; 1 + 4.5p/c below the cut, 5.5 + 4.5(p−c)/(m−c)
// from it.
func (n Norm) exactTen(p, m decimal.Decimal) (Grade, error) {
	var num, den decimal.Decimal
	switch {
	case p.LessThan(n.Cut):
		num, den = n.Cut.Add(p.Mul(decimal.NewFromFloat(4.5))), n.Cut
	case n.Cut.Equal(m):
		num, den = decimal.NewFromInt(10), decimal.NewFromInt(1)
	default:
		num = decimal.NewFromFloat(5.5).Mul(m.Sub(n.Cut)).Add(decimal.NewFromFloat(4.5).Mul(p.Sub(n.Cut)))
		den = m.Sub(n.Cut)
	}
	unit := decimal.NewFromInt(1)
	if n.Scale == Decimal0To10 {
		unit = decimal.New(1, -1)
	}
	return NewNumericGrade(n.Scale, roundHalfUp(num, den, unit))
}

// roundHalfUp returns num/den rounded half up to a multiple of unit,
// exactly: floor(num/(den·unit) + 1/2)·unit, for non-negative values.
func roundHalfUp(num, den, unit decimal.Decimal) decimal.Decimal {
	two := decimal.NewFromInt(2)
	q, _ := num.Mul(two).Add(den.Mul(unit)).QuoRem(den.Mul(unit).Mul(two), 0)
	return q.Mul(unit)
}

// tenScale is the 0–10 conversion in integers, the common case: a cut
// score with at most six decimals and at most a million points. It reports
// false outside that, for exactTen. The cut lies in (0, max], so no product
// below comes near overflow.
func (n Norm) tenScale(points, max int) (Grade, bool) {
	exp, coef := n.Cut.Exponent(), n.Cut.Coefficient()
	if exp < -6 || exp > 6 || max > 1_000_000 || !coef.IsInt64() {
		return Grade{}, false
	}
	c, k := coef.Int64(), int64(1) // the cut is c/k points
	for ; exp < 0; exp++ {
		k *= 10
	}
	for ; exp > 0; exp-- {
		c *= 10
	}
	p, m := int64(points)*k, int64(max)*k
	var num, den int64
	switch {
	case p < c:
		num, den = 2*c+9*p, 2*c
	case c == m:
		num, den = 10, 1
	default:
		num, den = 11*(m-c)+9*(p-c), 2*(m-c)
	}
	d := decimal.NewFromInt(roundRatio(num, den, 1))
	if n.Scale == Decimal0To10 {
		d = decimal.New(roundRatio(num, den, 10), -1)
	}
	g, err := NewNumericGrade(n.Scale, d)
	return g, err == nil
}

// roundRatio returns num/den in units of 1/per, rounded half up:
// floor((2·per·num + den) / (2·den)), for non-negative num and positive den.
func roundRatio(num, den, per int64) int64 { return (2*per*num + den) / (2 * den) }
