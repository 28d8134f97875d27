package oke

import (
	"testing"

	"github.com/krs-oke/vaststelling/result"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The flow-4 example of the specification, its trailing comma removed.
const flow4Example = `{
   "offeringType": "component",
   "consumers": [
      {
        "consumerKey": "nl-test-admin",
        "irregularities": "There was a lot of noise from the construction site nearby.",
        "documents": [
          {
            "documentId": "454566464665355545",
            "documentType": "sessionReport",
            "documentName": "Session report on Session tbd.pdf"
          }
        ]
      }
   ]
}`

func TestSessionReportFromFlow4(t *testing.T) {
	rep, err := DecodeSessionReport(session, []byte(flow4Example))
	require.NoError(t, err)
	assert.Equal(t, "There was a lot of noise from the construction site nearby.", rep.Irregularities)
	assert.Equal(t, []Document{{ID: "454566464665355545", Type: "sessionReport", Name: "Session report on Session tbd.pdf"}},
		rep.Documents)

	in := newIntake(t)
	deliver(t, in, Patch, first, message(t, first, 1), at("2027-02-05", 9))
	// Under the planner's offering id the report holds nothing: no result
	// carries it. Under the session's name it holds the session's results.
	events, err := in.SessionReport(rep.Offering, rep.Irregularities, at("2027-02-05", 10))
	require.NoError(t, err)
	assert.Empty(t, events)
	assert.Equal(t, result.Provisional, stored(t, in, first).State)
	events, err = in.SessionReport(sessionName, rep.Irregularities, at("2027-02-05", 10))
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, result.OnHold, stored(t, in, first).State)

	for _, bad := range []string{`{"consumers": []}`, `[1]`, `{"consumers": [{"consumerKey": "nl-test-admin",
		"documents": [{"documentType": "photo"}]}]}`, flow4Example + "x"} {
		_, err := DecodeSessionReport(session, []byte(bad))
		assert.ErrorIs(t, err, ErrRejected, bad)
	}
	_, err = DecodeSessionReport("", []byte(flow4Example))
	assert.ErrorIs(t, err, ErrRejected)
}
