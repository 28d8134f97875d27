package report_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with the named file in testdata, or rewrites the file
// under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got), name)
}

// events reads every event of the store back, independently of the
// package under test: the hand count the reports are checked against.
func events(t *testing.T, s audit.Store) []result.Event {
	t.Helper()
	size, err := s.Size(ctx)
	require.NoError(t, err)
	records, err := s.Records(ctx, 0, size)
	require.NoError(t, err)
	out := make([]result.Event, len(records))
	for i := range records {
		out[i], err = records[i].Event()
		require.NoError(t, err)
	}
	return out
}

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		n, of int
		want  string
	}{
		{2, 3, "66.7"}, {1, 3, "33.3"}, {1, 8, "12.5"}, {1, 6, "16.7"}, {1, 16, "6.3"}, {5, 7, "71.4"},
		{5, 6, "83.3"}, {3, 3, "100.0"}, {0, 5, "0.0"}, {1, 2000, "0.1"}, {1, 2001, "0.0"}, {999, 1000, "99.9"},
		{1999, 2000, "100.0"}, {0, 0, ""}, {1, 0, ""}, {-1, 3, ""},
	} {
		assert.Equal(t, c.want, report.Percent(c.n, c.of), "%d of %d", c.n, c.of)
	}
}

var snake = regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)

// keys collects every object key of a decoded JSON value, recursively.
func keys(v any, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			into[k] = true
			keys(x, into)
		}
	case []any:
		for _, x := range v {
			keys(x, into)
		}
	}
}

// roundTrip checks that a report's JSON decodes into its type and encodes
// to the same bytes, that every key is snake_case, and that the named keys
// are there.
func roundTrip[T interface{ JSON() ([]byte, error) }](t *testing.T, r T, want ...string) T {
	t.Helper()
	data, err := r.JSON()
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(data, &back))
	again, err := back.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))

	var generic any
	require.NoError(t, json.Unmarshal(data, &generic))
	found := map[string]bool{}
	keys(generic, found)
	for k := range found {
		assert.Regexp(t, snake, k)
	}
	for _, k := range want {
		assert.True(t, found[k], "key %q", k)
	}
	return back
}
