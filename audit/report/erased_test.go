package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// Erased records (AVG): the session report shows what the headers say; a
// result whose delivered record is gone cannot be placed; the timeliness
// report and the evaluation leave erased results out, and list them.
func TestErased(t *testing.T) {
	tr := fixture(t)
	size, err := tr.store.Size(ctx)
	require.NoError(t, err)
	records, err := tr.store.Records(ctx, 0, size)
	require.NoError(t, err)
	for _, r := range records {
		if (r.Result == "a-203" && r.Type == string(result.EventReceived)) ||
			(r.Result == "a-201" && r.Type == string(result.EventComplaintDecided)) {
			require.NoError(t, tr.log.Erase(ctx, r.Index))
		}
	}

	acc, err := report.Accountability(ctx, tr.store, cal, session2)
	require.NoError(t, err)
	assert.Equal(t, []string{"a-203"}, acc.Unplaced)
	require.Len(t, acc.Results, 2)
	a201 := acc.Results[0]
	assert.True(t, a201.Erased)
	require.Len(t, a201.Complaints, 1)
	c := a201.Complaints[0]
	assert.False(t, c.Open(), "the header says it was decided")
	assert.Equal(t, "", c.Outcome, "the outcome was erased")
	assert.Equal(t, report.Who{Role: "exam_committee"}, c.DecidedBy, "the role is in the header")
	assert.Equal(t, 2, acc.Totals.Results)

	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	assert.Equal(t, []string{"a-201", "a-203"}, tl.Erased)
	assert.Len(t, tl.Results, 6)
	assert.Equal(t, 6, tl.Total.Results)

	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, []string{"a-201", "a-203"}, ev.Erased)
	assert.Equal(t, 6, ev.Total.Results)
}
