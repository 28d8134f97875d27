package audit_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// The frontier of a tree is exactly what tlog reads for its root: the
// hashes Verify keeps between batches.
func TestFrontierIsWhatTheRootReads(t *testing.T) {
	for n := int64(1); n < 3000; n++ {
		var read []int64
		_, err := tlog.TreeHash(n, tlog.HashReaderFunc(func(xs []int64) ([]tlog.Hash, error) {
			read = append(read, xs...)
			return make([]tlog.Hash, len(xs)), nil
		}))
		require.NoError(t, err)
		slices.Sort(read)
		got := audit.Frontier(n)
		slices.Sort(got)
		require.Equal(t, read, got, "n=%d", n)
	}
}

// A log of several batches verifies against its checkpoints, old and new,
// and a change in a later batch is found.
func TestVerifyAcrossBatches(t *testing.T) {
	n := 2*audit.VerifyBatch + 1234
	l, s := filled(t, n)
	latest, err := l.Checkpoint(ctx, "test", start)
	require.NoError(t, err)
	old := latest
	old.Size = int64(audit.VerifyBatch + 777)
	old.Root, err = l.Root(ctx, old.Size)
	require.NoError(t, err)
	for _, c := range []audit.Checkpoint{latest, old} {
		rep, err := audit.Verify(ctx, s, &c)
		require.NoError(t, err, "checkpoint at %d", c.Size)
		assert.Equal(t, int64(n), rep.Size)
		assert.Equal(t, latest.Root, rep.Root)
	}
	wrong := old
	wrong.Root[0] ^= 1
	_, err = audit.Verify(ctx, s, &wrong)
	assert.ErrorIs(t, err, audit.ErrTampered)

	at := int64(2*audit.VerifyBatch + 99)
	audit.TamperMemory(s, func(r []audit.Record, h []tlog.Hash) { r[at].Role = "student" })
	_, err = audit.Verify(ctx, s, nil)
	var ve *audit.VerifyError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, at, ve.Index)
}

// readCounter counts a store's reads of stored hashes.
type readCounter struct {
	*audit.MemoryStore
	reads int
}

func (r *readCounter) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	r.reads++
	return r.MemoryStore.ReadHashes(ctx, indexes)
}

// Appending a batch reads the store's hashes once, whatever its size.
func TestAppendReadsTheFrontierOnce(t *testing.T) {
	_, s := filled(t, 777)
	counter := &readCounter{MemoryStore: s}
	l, err := audit.NewLog(counter)
	require.NoError(t, err)
	_, err = l.AppendEvents(ctx, storetest.Events(1000, start)...)
	require.NoError(t, err)
	assert.Equal(t, 1, counter.reads)
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)
}
