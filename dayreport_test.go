package vaststelling_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A day report reads as the other reports do: snake_case keys, [] for an
// empty list, and each reason a code with its words in Dutch and English.
func TestDayReportJSON(t *testing.T) {
	ctx := context.Background()
	o, _, _ := office(t, 2)
	for i := range 2 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	runDay(t, o, "2027-02-05")
	empty, err := json.Marshal(runDay(t, o, "2027-02-06"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"day": "2027-02-06", "determined": [], "blocked": [], "notified": [], "failed": []}`, string(empty))

	doAt(t, o, "a-001", result.Actor{ID: "s-001", Role: timeline.Student}, "2027-02-08", 9,
		result.Command{Action: result.LodgeComplaint})
	rep := runDay(t, o, "2027-03-01")
	require.Len(t, rep.Blocked, 1)
	b := rep.Blocked[0]
	require.NotEmpty(t, b.Because)
	assert.Equal(t, "right_status", b.Because[0].Code)
	assert.Equal(t, "juiste status: het resultaat is aangehouden: er is een klacht open", b.Because[0].Words.Dutch)
	assert.Equal(t, "right_status: the result is on_hold: a complaint is open", b.Because[0].Words.English)
	assert.Equal(t, b.Because[0].Words.English, b.Reasons()[0])
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	var back struct {
		Blocked []struct {
			Result  string `json:"result"`
			Because []struct {
				Code  string            `json:"code"`
				Words map[string]string `json:"words"`
			} `json:"because"`
		} `json:"blocked"`
	}
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, "a-001", back.Blocked[0].Result)
	assert.Equal(t, "right_status", back.Blocked[0].Because[0].Code)
	assert.Contains(t, back.Blocked[0].Because[0].Words["nl"], "aangehouden")
	assert.Contains(t, back.Blocked[0].Because[0].Words["en"], "on_hold")
}
