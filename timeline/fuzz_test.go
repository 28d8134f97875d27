package timeline

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParsePolicies feeds arbitrary text to the policy reader: it never
// panics, every failure matches ErrInvalidPolicy, and every set it accepts
// survives a round trip through MarshalJSON unchanged.
func FuzzParsePolicies(f *testing.F) {
	example, err := os.ReadFile("testdata/policies.json")
	require.NoError(f, err)
	f.Add(example)
	def, err := json.Marshal(DefaultPolicies())
	require.NoError(f, err)
	f.Add(def)
	for _, s := range []string{`{}`, `{"versions": []}`, `{"versions": [{}]}`, `[`, `{"versions": [{"tail_unit": "x"}]}`,
		`{"versions": [{"appeal_decision_weeks": 4, "appeal_extension_weeks": 3}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParsePolicies(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("error does not match ErrInvalidPolicy: %v", err)
			}
			return
		}
		out, err := json.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParsePolicies(out)
		if err != nil {
			t.Fatalf("re-reading %s: %v", out, err)
		}
		require.Equal(t, set.Versions(), again.Versions())
	})
}
