package report_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// Results that end without determination, and a determination made under
// other rules than the report's: rejected at intake, invalidated, and
// determined before its date without an early decision.
func TestEnds(t *testing.T) {
	tr := newTrail(t)
	// The trail was decided under a policy with a shorter determination
	// term than the one the report measures against.
	short := timeline.DefaultPolicy()
	short.DeterminationTerm = 20
	var err error
	tr.policies, err = timeline.NewPolicySet(short)
	require.NoError(t, err)

	const session = "S-ENDS"
	exam := at("2027-01-18", 11)
	tr.receive("b-1", session, "ICT-BOL-4", "KT1", "ass-1", exam, "6.0", at("2027-02-01", 9))
	tr.do("b-1", krs, at("2027-02-01", 9), result.Command{Action: result.Reject, Reason: "unknown student"})

	tr.receive("b-2", session, "ICT-BOL-4", "KT1", "ass-1", exam, "6.0", at("2027-02-01", 9))
	tr.do("b-2", krs, at("2027-02-01", 9), result.Command{Action: result.Register})
	tr.do("b-2", committee, at("2027-02-03", 9), result.Command{Action: result.Invalidate, Decision: "EC-2027-020",
		Reason: "fraud"})

	tr.receive("b-3", session, "ICT-BOL-4", "KT1", "ass-1", exam, "6.0", at("2027-02-01", 9))
	tr.do("b-3", krs, at("2027-02-01", 9), result.Command{Action: result.Register})
	tr.do("b-3", adm1, at("2027-02-22", 18), result.Command{Action: result.Determine}) // the 20-day rule

	acc, err := report.Accountability(ctx, tr.store, cal, session)
	require.NoError(t, err)
	assert.Equal(t, 3, acc.Totals.Results)
	assert.Equal(t, 2, acc.Totals.Accepted)
	assert.Equal(t, 1, acc.Totals.Rejected)
	assert.Equal(t, 1, acc.Totals.Determined)
	assert.Equal(t, 2, acc.Totals.NotDetermined)
	require.Len(t, acc.Results, 3)
	assert.Equal(t, "rejected", acc.Results[0].Ended)
	assert.Equal(t, "unknown student", acc.Results[0].EndReason)
	assert.Equal(t, []string{report.PendingRejected}, acc.Results[0].Determination.Pending)
	assert.Equal(t, "invalidated", acc.Results[1].Ended)
	assert.Equal(t, "EC-2027-020", acc.Results[1].EndDecision)
	assert.Equal(t, "fraud", acc.Results[1].EndReason)
	assert.Equal(t, []string{report.PendingInvalidated}, acc.Results[1].Determination.Pending)
	var md bytes.Buffer
	require.NoError(t, acc.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "- Grade 6.0, state: invalidated (decision EC-2027-020): fraud\n")
	assert.Contains(t, md.String(), "- Grade 6.0, state: rejected at the import check: unknown student\n")

	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), at("2027-04-01", 12))
	require.NoError(t, err)
	require.Len(t, tl.Results, 2, "a rejected result is no result")
	assert.Equal(t, report.OnTime, tl.Results[0].Assessed)
	assert.Equal(t, report.NotApplicable, tl.Results[0].Determination, "invalidated before determination")
	assert.Equal(t, report.BeforeDue, tl.Results[1].Determination)
	assert.Equal(t, calendar.Date{Year: 2027, Month: 3, Day: 1}, tl.Results[1].DeterminationDue)
	assert.Equal(t, report.Tally{BeforeDue: 1, Measured: 1, Percent: "0.0"}, tl.Total.Determined)
}
