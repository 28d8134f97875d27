package vaststelling_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// Two offices on one trail: a person's command decided on a result that
// another office changed meanwhile is decided again, and refused with
// ErrConflict when it no longer applies; a command for a result the other
// office took in works here, without a Sync.
func TestCommandOvertakenByAnotherOffice(t *testing.T) {
	ctx := context.Background()
	store := &audit.MemoryStore{}
	a := officeOn(t, 1, store, nil)
	b := officeOn(t, 1, store, nil)
	_, err := a.Deliver(ctx, delivery(0), day("2027-02-05", 9))
	require.NoError(t, err)
	student := result.Actor{ID: "s-000", Role: timeline.Student}
	_, err = b.Do(ctx, "a-000", result.Command{Action: result.LodgeComplaint}, student, day("2027-02-05", 10))
	require.NoError(t, err, "b catches up with what a took in before it decides")
	require.NoError(t, a.Sync(ctx))

	decide := func(o *vaststelling.Office, outcome result.Outcome) error {
		_, err := o.Do(ctx, "a-000", result.Command{Action: result.DecideComplaint, Outcome: outcome, Reason: "seen"},
			result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}, day("2027-02-06", 9))
		return err
	}
	require.NoError(t, decide(b, result.NotUpheld))
	err = decide(a, result.Withdrawn) // a still sees the complaint open
	require.ErrorIs(t, err, vaststelling.ErrConflict)
	t.Logf("the second decision: %v", err)
	r, _ := a.Result("a-000")
	assert.Equal(t, b.Size(), a.Size(), "a folded what b wrote")
	rb, _ := b.Result("a-000")
	assert.Equal(t, rb.Version, r.Version)
}
