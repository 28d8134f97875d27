package report_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

// reportsJSON returns the JSON of the fixture's reports under the
// calendar, the evaluation's period in the calendar's zone.
func reportsJSON(t *testing.T, tr *trail, c *calendar.Calendar) map[string][]byte {
	t.Helper()
	acc, err := report.Accountability(ctx, tr.store, c, session1)
	require.NoError(t, err)
	tl, err := report.Timeliness(ctx, tr.store, c, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, c.Location()))
	require.NoError(t, err)
	out := map[string][]byte{}
	for name, r := range map[string]interface{ JSON() ([]byte, error) }{"accountability": acc, "timeliness": tl,
		"evaluation": ev} {
		out[name], err = r.JSON()
		require.NoError(t, err)
	}
	return out
}

var rfc3339 = regexp.MustCompile(`"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(Z|[+-]\d\d:\d\d))"`)

// Every time a report writes is in one zone, the calendar's (issue 15:
// session reports were in UTC, timeliness and evaluation in
// Europe/Amsterdam), and the pages show the wall clock of that zone.
func TestOneTimeZone(t *testing.T) {
	tr := fixture(t)
	for name, js := range reportsJSON(t, tr, cal) {
		assert.Contains(t, string(js), `"time_zone": "Europe/Amsterdam"`, name)
		times := rfc3339.FindAllStringSubmatch(string(js), -1)
		require.NotEmpty(t, times, name)
		for _, m := range times {
			assert.Contains(t, []string{"+01:00", "+02:00"}, m[2], "%s: %s", name, m[1])
		}
	}

	// A calendar in another zone: four hours behind UTC, as on Curaçao.
	west := time.FixedZone("AST", -4*60*60)
	c, err := calendar.New(calendar.Config{Location: west})
	require.NoError(t, err)
	for name, js := range reportsJSON(t, tr, c) {
		assert.Contains(t, string(js), `"time_zone": "AST"`, name)
		for _, m := range rfc3339.FindAllStringSubmatch(string(js), -1) {
			assert.Equal(t, "-04:00", m[2], "%s: %s", name, m[1])
		}
	}
	acc, err := report.Accountability(ctx, tr.store, c, session1)
	require.NoError(t, err)
	var md bytes.Buffer
	require.NoError(t, acc.WriteMarkdown(&md, timeline.English))
	// a-104 was received at 9:00 in Amsterdam (CET, UTC+1): 4:00 at UTC-4.
	assert.Contains(t, md.String(), "- Fri 5 Feb 2027 04:00: received by krs (system): grade 5.2 (OKE)\n")
	assert.Contains(t, md.String(), "All times in AST.")
	assert.Contains(t, md.String(), "- Tue 9 Feb 2027 09:00: complaint lodged by s-104 (student)\n", "14:00 in Amsterdam")
}

// Every list in every report's JSON is a list, [] when empty, never null;
// also in a report with nothing in it, and in the zero report.
func TestJSONListsNeverNull(t *testing.T) {
	tr := fixture(t)
	empty := newTrail(t)
	docs := reportsJSON(t, tr, cal)
	for name, js := range reportsJSON(t, empty, cal) {
		docs["empty "+name] = js
	}
	for name, r := range map[string]interface{ JSON() ([]byte, error) }{
		"zero accountability": report.AccountabilityReport{}, "zero timeliness": report.TimelinessReport{},
		"zero evaluation": report.EvaluationReport{}, "zero result": zeroResult{},
	} {
		js, err := r.JSON()
		require.NoError(t, err, name)
		docs[name] = js
	}
	null := regexp.MustCompile(`[:\[,]\s*null\b`)
	for name, js := range docs {
		assert.Empty(t, null.FindAllString(string(js), 3), name)
		var v any
		require.NoError(t, json.Unmarshal(js, &v), name)
	}
	assert.Contains(t, string(docs["empty accountability"]), `"results": []`)
	assert.Contains(t, string(docs["zero accountability"]), `"rejected_deliveries": []`)
}

// zeroResult encodes a zero SessionResult and a zero ResultTimeliness.
type zeroResult struct{}

func (zeroResult) JSON() ([]byte, error) {
	return json.Marshal([]any{report.SessionResult{}, report.ResultTimeliness{}, report.Determination{},
		report.RejectedDelivery{}, report.SessionTotals{}})
}
