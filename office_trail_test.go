package vaststelling_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// A flakyStore is a memory store that can be told to refuse appends, and
// that counts them and can take its time, as a disk does.
type flakyStore struct {
	audit.MemoryStore
	fail    atomic.Bool
	appends atomic.Int64
	delay   time.Duration
}

var errDisk = errors.New("disk full")

func (s *flakyStore) Append(ctx context.Context, size int64, records []audit.Record, hashes []tlog.Hash) error {
	if s.fail.Load() {
		return errDisk
	}
	time.Sleep(s.delay)
	s.appends.Add(1)
	return s.MemoryStore.Append(ctx, size, records, hashes)
}

// trailOffice wires an office over n enrolments (as office does) onto a flakyStore.
func trailOffice(t *testing.T, n int) (*vaststelling.Office, *flakyStore) {
	t.Helper()
	store := &flakyStore{}
	return officeOn(t, n, store, &vaststelling.Outbox{}), store
}

func delivery(i int) oke.Delivery {
	id := fmt.Sprintf("a-%03d", i)
	return oke.Delivery{Method: oke.Patch, AssociationID: id, Body: body(id, "6.5", "")}
}

// A command whose events the trail refuses changes nothing.
func TestDoWritesTheTrailFirst(t *testing.T) {
	ctx := context.Background()
	o, store := trailOffice(t, 1)
	_, err := o.Deliver(ctx, delivery(0), day("2027-02-05", 9))
	require.NoError(t, err)
	before, _ := o.Result("a-000")
	size, _ := store.Size(ctx)

	store.fail.Store(true)
	student := result.Actor{ID: "s-000", Role: timeline.Student}
	_, err = o.Do(ctx, "a-000", result.Command{Action: result.LodgeComplaint}, student, day("2027-02-08", 9))
	require.ErrorIs(t, err, errDisk)
	after, _ := o.Result("a-000")
	assert.Equal(t, before, after, "the result is as it was")
	again, _ := store.Size(ctx)
	assert.Equal(t, size, again)

	store.fail.Store(false)
	_, err = o.Do(ctx, "a-000", result.Command{Action: result.LodgeComplaint}, student, day("2027-02-08", 9))
	require.NoError(t, err, "the office goes on: nothing was lost")
	after, _ = o.Result("a-000")
	assert.Equal(t, result.OnHold, after.State)
}

// A daily run whose determinations the trail refuses changes no result,
// and the next run determines them.
func TestDailyRunRetriesWhatTheTrailRefused(t *testing.T) {
	ctx := context.Background()
	o, store := trailOffice(t, 3)
	for i := range 3 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	_, err := o.DailyRun(ctx, day("2027-02-05", 18))
	require.NoError(t, err)
	r, _ := o.Result("a-000")
	tl, err := o.Timeline(&r)
	require.NoError(t, err)
	due := tl.DeterminationDue

	store.fail.Store(true)
	at := time.Date(due.Year, due.Month, due.Day, 18, 0, 0, 0, ams)
	rep, err := o.DailyRun(ctx, at)
	require.ErrorIs(t, err, errDisk)
	assert.Empty(t, rep.Determined)
	for _, id := range o.Results() {
		r, _ := o.Result(id)
		assert.Equal(t, result.Provisional, r.State, id)
	}

	store.fail.Store(false)
	rep, err = o.DailyRun(ctx, at.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, []string{"a-000", "a-001", "a-002"}, rep.Determined)
	rep, err = o.DailyRun(ctx, at.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Empty(t, rep.Determined, "determined once")
	assert.Empty(t, rep.Blocked)
}

// When the trail refuses a delivery, that delivery fails and nothing
// else: the office changes nothing, catches up and goes on, and the same
// delivery sent again is taken in once.
func TestAFailedDeliveryFailsAlone(t *testing.T) {
	ctx := context.Background()
	o, store := trailOffice(t, 2)
	store.fail.Store(true)
	_, err := o.Deliver(ctx, delivery(0), day("2027-02-05", 9))
	require.ErrorIs(t, err, vaststelling.ErrTrail)
	require.ErrorIs(t, err, errDisk)
	_, ok := o.Result("a-000")
	assert.False(t, ok, "nothing the trail does not hold")

	store.fail.Store(false)
	rc, err := o.Deliver(ctx, delivery(1), day("2027-02-05", 9))
	require.NoError(t, err)
	assert.Equal(t, oke.Accepted, rc.Outcome)
	assert.Equal(t, 1, rc.Seq, "the failed delivery has no number")
	rc, err = o.Deliver(ctx, delivery(0), day("2027-02-05", 10))
	require.NoError(t, err)
	assert.Equal(t, oke.Accepted, rc.Outcome, "sent again, it is taken in")
	rc, err = o.Deliver(ctx, delivery(0), day("2027-02-05", 11))
	require.NoError(t, err)
	assert.Equal(t, oke.Duplicate, rc.Outcome, "once")
	_, err = o.Do(ctx, "a-000", result.Command{Action: result.LodgeComplaint},
		result.Actor{ID: "s-000", Role: timeline.Student}, day("2027-02-08", 9))
	require.NoError(t, err)
	rb, err := audit.Rebuild(ctx, store, ams)
	require.NoError(t, err)
	for _, id := range o.Results() {
		r, _ := o.Result(id)
		assert.Equal(t, r, rb.Results[id], id)
	}
	assert.Len(t, rb.Results, 2)
}

// A batch is taken in as the same deliveries one by one would be, with
// one append to the trail.
func TestDeliverBatchAppendsOnce(t *testing.T) {
	ctx := context.Background()
	const n = 40
	var ds []oke.Delivery
	for i := range n {
		ds = append(ds, delivery(i))
	}
	ds = append(ds, oke.Delivery{Method: oke.Patch, AssociationID: "nobody", Body: body("nobody", "6", "")}, delivery(3))

	batch, bstore := trailOffice(t, n)
	opened := bstore.appends.Load() // the standing mandate
	rep, err := batch.DeliverBatch(ctx, ds, day("2027-02-05", 9))
	require.NoError(t, err)
	assert.Equal(t, int64(1), bstore.appends.Load()-opened)
	assert.Equal(t, map[oke.Outcome]int{oke.Accepted: n, oke.Rejected: 1, oke.Duplicate: 1}, rep.Counts)
	require.Len(t, rep.Receipts, n+2)

	single, sstore := trailOffice(t, n)
	for _, d := range ds {
		_, err := single.Deliver(ctx, d, day("2027-02-05", 9))
		require.NoError(t, err)
	}
	assert.Equal(t, int64(len(ds)), sstore.appends.Load()-opened, "every delivery is kept, rejected and duplicate ones too")
	for _, id := range single.Results() {
		want, _ := single.Result(id)
		got, ok := batch.Result(id)
		require.True(t, ok, id)
		assert.Equal(t, want, got)
	}
	bsize, _ := bstore.Size(ctx)
	ssize, _ := sstore.Size(ctx)
	assert.Equal(t, ssize, bsize)
	_, err = audit.Verify(ctx, bstore, nil)
	require.NoError(t, err)

	// The batch's results are on the watch list like any other.
	day1, err := batch.DailyRun(ctx, day("2027-02-05", 18))
	require.NoError(t, err)
	assert.Len(t, day1.Notified, n)
}

// Commands on different results run side by side and share the trail's
// syncs; each result's events stay in order in the trail.
func TestConcurrentCommandsShareAppends(t *testing.T) {
	ctx := context.Background()
	const n = 64
	o, store := trailOffice(t, n)
	var ds []oke.Delivery
	for i := range n {
		ds = append(ds, delivery(i))
	}
	_, err := o.DeliverBatch(ctx, ds, day("2027-02-05", 9))
	require.NoError(t, err)
	store.delay = 2 * time.Millisecond
	before := store.appends.Load()

	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			id := fmt.Sprintf("a-%03d", i)
			student := result.Actor{ID: fmt.Sprintf("s-%03d", i), Role: timeline.Student}
			_, err := o.Do(ctx, id, result.Command{Action: result.LodgeComplaint}, student, day("2027-02-08", 9))
			assert.NoError(t, err)
			committee := result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}
			_, err = o.Do(ctx, id, result.Command{Action: result.DecideComplaint, Outcome: result.NotUpheld,
				Reason: "marked as the model says"}, committee, day("2027-02-08", 10))
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	appends := store.appends.Load() - before
	t.Logf("%d commands in %d appends", 2*n, appends)
	assert.Less(t, appends, int64(2*n), "group commit joins commands that wait on one sync")

	size, _ := store.Size(ctx)
	records, err := store.Records(ctx, 0, size)
	require.NoError(t, err)
	seq := map[string]int{}
	for _, r := range records {
		if r.Result == "" {
			continue // the office's own entries
		}
		assert.Equal(t, seq[r.Result]+1, r.Seq, "%s in order", r.Result)
		seq[r.Result] = r.Seq
	}
	for i := range n {
		r, _ := o.Result(fmt.Sprintf("a-%03d", i))
		assert.Equal(t, result.Provisional, r.State)
		assert.Equal(t, seq[r.ID], r.Version)
	}
}

// Every delivery is kept in the trail with its receipt, rejected ones
// too, and read back from there.
func TestOfficeKeepsDeliveriesInTheTrail(t *testing.T) {
	ctx := context.Background()
	o, _, _ := office(t, 1)
	_, err := o.Deliver(ctx, delivery(0), day("2027-02-05", 9))
	require.NoError(t, err)
	rep, err := o.DeliverBatch(ctx, []oke.Delivery{delivery(0), {Method: oke.Patch, AssociationID: "x", Body: []byte("{")}},
		day("2027-02-05", 10))
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Receipts[1].Seq)
	var kept []oke.Kept
	require.NoError(t, o.Deliveries(ctx, func(k oke.Kept) error { kept = append(kept, k); return nil }))
	require.Len(t, kept, 3)
	assert.Equal(t, []oke.Outcome{oke.Accepted, oke.Duplicate, oke.Rejected},
		[]oke.Outcome{kept[0].Receipt.Outcome, kept[1].Receipt.Outcome, kept[2].Receipt.Outcome})
	assert.Equal(t, []byte("{"), kept[2].Delivery.Body, "byte for byte")
	assert.Equal(t, 3, kept[2].Receipt.Seq)
	assert.Equal(t, day("2027-02-05", 10), kept[2].Receipt.At)
	assert.NotEmpty(t, kept[2].Receipt.Reasons)
}
