package result

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormConversions(t *testing.T) {
	cut := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	cases := []struct {
		norm        Norm
		points, max int
		want        string
	}{
		// 0.0–10.0, cut score 33 of 60: 33 → 5.5, 60 → 10.0, 0 → 1.0.
		{Norm{Scale: Decimal0To10, Cut: cut("33")}, 33, 60, "5.5"},
		{Norm{Scale: Decimal0To10, Cut: cut("33")}, 60, 60, "10.0"},
		{Norm{Scale: Decimal0To10, Cut: cut("33")}, 0, 60, "1.0"},
		// 65 of 75 with cut 41.25: 5.5 + 4.5·23.75/33.75 = 8.6666… → 8.7.
		{Norm{Scale: Decimal0To10, Cut: cut("41.25")}, 65, 75, "8.7"},
		// 32 of 60, cut 33: 1 + 4.5·32/33 = 5.3636… → 5.4.
		{Norm{Scale: Decimal0To10, Cut: cut("33")}, 32, 60, "5.4"},
		// Exactly halfway rounds up: cut 10 of 20, 1 point: 1 + 0.45 = 1.45 → 1.5.
		{Norm{Scale: Decimal0To10, Cut: cut("10")}, 1, 20, "1.5"},
		// Whole 0–10: 5.5 rounds up to 6; 5.3636… down to 5.
		{Norm{Scale: Whole0To10, Cut: cut("33")}, 33, 60, "6"},
		{Norm{Scale: Whole0To10, Cut: cut("33")}, 32, 60, "5"},
		// 0–100 is the percentage: 2/3 → 66.67 → 67; 1/8 → 12.5 → 13.
		{Norm{Scale: Whole0To100}, 2, 3, "67"},
		{Norm{Scale: Whole0To100}, 1, 8, "13"},
		{Norm{Scale: PassFail, Cut: cut("30")}, 30, 40, "passed"},
		{Norm{Scale: PassFail, Cut: cut("30")}, 29, 40, "failed"},
		{Norm{Scale: InsufficientSatisfactoryGood, Cut: cut("30"), Good: cut("36")}, 36, 40, "good"},
		{Norm{Scale: InsufficientSatisfactoryGood, Cut: cut("30"), Good: cut("36")}, 35, 40, "satisfactory"},
		{Norm{Scale: InsufficientSatisfactoryGood, Cut: cut("30"), Good: cut("36")}, 29, 40, "insufficient"},
		// A cut score at the maximum: only full marks pass.
		{Norm{Scale: Decimal0To10, Cut: cut("20")}, 20, 20, "10.0"},
	}
	for _, tc := range cases {
		g, err := tc.norm.Grade(tc.points, tc.max)
		require.NoError(t, err, "%+v %d/%d", tc.norm, tc.points, tc.max)
		assert.Equal(t, tc.want, g.String(), "%s cut %s: %d/%d", tc.norm.Scale, tc.norm.Cut, tc.points, tc.max)
	}
}

// Monotone: more points never give a lower grade, on every scale with a conversion.
func TestNormIsMonotone(t *testing.T) {
	for _, n := range []Norm{
		{Scale: Decimal0To10, Cut: decimal.RequireFromString("27.5")},
		{Scale: Whole0To10, Cut: decimal.NewFromInt(40)},
		{Scale: Whole0To100},
	} {
		prev := Grade{}
		for p := 0; p <= 61; p++ {
			g, err := n.Grade(p, 61)
			require.NoError(t, err)
			if !prev.IsZero() {
				c, err := g.Compare(prev)
				require.NoError(t, err)
				assert.GreaterOrEqual(t, c, 0, "%s: %d points", n.Scale, p)
			}
			prev = g
		}
	}
}

func TestNormErrors(t *testing.T) {
	for _, tc := range []struct {
		norm        Norm
		points, max int
	}{
		{Norm{Scale: Decimal0To10, Cut: decimal.NewFromInt(30)}, 61, 60},
		{Norm{Scale: Decimal0To10, Cut: decimal.NewFromInt(30)}, -1, 60},
		{Norm{Scale: Decimal0To10, Cut: decimal.NewFromInt(30)}, 0, 0},
		{Norm{Scale: Decimal0To10}, 10, 60},
		{Norm{Scale: Decimal0To10, Cut: decimal.NewFromInt(70)}, 10, 60},
		{Norm{Scale: InsufficientSatisfactoryGood, Cut: decimal.NewFromInt(30), Good: decimal.NewFromInt(20)}, 10, 60},
		{Norm{Scale: ReferenceLevelRKTR, Cut: decimal.NewFromInt(30)}, 40, 60},
	} {
		_, err := tc.norm.Grade(tc.points, tc.max)
		assert.ErrorIs(t, err, ErrNoConversion, "%+v %d/%d", tc.norm, tc.points, tc.max)
	}
}

// The integer path gives what the exact decimal path gives, for cut scores
// with up to three decimals and every score.
func TestNormIntegerPathIsExact(t *testing.T) {
	for _, scale := range []Scale{Decimal0To10, Whole0To10} {
		for _, max := range []int{1, 7, 20, 60, 75, 113} {
			for _, cut := range []string{"1", "0.5", "3.25", "27.125", "41.25", "33", "60", "112.999"} {
				n := Norm{Scale: scale, Cut: decimal.RequireFromString(cut)}
				if n.Cut.GreaterThan(decimal.NewFromInt(int64(max))) {
					continue
				}
				for p := 0; p <= max; p++ {
					fast, ok := n.tenScale(p, max)
					require.True(t, ok)
					exact, err := n.exactTen(decimal.NewFromInt(int64(p)), decimal.NewFromInt(int64(max)))
					require.NoError(t, err)
					require.Equal(t, exact, fast, "%s cut %s: %d of %d", scale, cut, p, max)
				}
			}
		}
	}
}
