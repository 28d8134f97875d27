package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
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
	out := make([]result.Event, 0, len(records))
	for i := range records {
		if records[i].Result == "" {
			continue // an office's entry, such as a delivery
		}
		e, err := records[i].Event()
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

// A deliveryRecord is a delivery entry as the test reads it, apart from
// the package under test.
type deliveryRecord struct {
	at          time.Time
	association string
	outcome     string
}

// deliveries reads the delivery entries of the store.
func deliveries(t *testing.T, s audit.Store) []deliveryRecord {
	t.Helper()
	size, err := s.Size(ctx)
	require.NoError(t, err)
	records, err := s.Records(ctx, 0, size)
	require.NoError(t, err)
	var out []deliveryRecord
	for _, r := range records {
		if r.Result != "" || r.Type != "delivery" {
			continue
		}
		var p struct {
			AssociationID string `json:"association_id"`
			Outcome       string `json:"outcome"`
		}
		require.NoError(t, json.Unmarshal(r.Payload, &p))
		out = append(out, deliveryRecord{r.Time, p.AssociationID, p.Outcome})
	}
	return out
}

// languages are the languages every report is written in, with the
// suffix of their golden files.
var languages = []struct {
	lang timeline.Language
	name string
}{{timeline.Dutch, "nl"}, {timeline.English, "en"}}

// A page writer writes a report in a language.
type pageWriter func(io.Writer, timeline.Language) error

// goldenPages writes the report with each writer in both languages and
// compares every page with its golden file: base.nl.md, base.en.html, …
func goldenPages(t *testing.T, base string, writers map[string]pageWriter) {
	t.Helper()
	for ext, write := range writers {
		for _, l := range languages {
			var b bytes.Buffer
			require.NoError(t, write(&b, l.lang), "%s %s", ext, l.name)
			golden(t, base+"."+l.name+"."+ext, b.Bytes())
		}
	}
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
