package audit_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
)

// leafStore is a MemoryStore that gives its leaves as stored bytes, which
// edit, when set, changes as an attacker with the storage would.
type leafStore struct {
	*audit.MemoryStore
	edit func(index int64, leaf []byte) []byte
}

func (s leafStore) Leaves(ctx context.Context, from, to int64, fn func(audit.StoredRecord) error) error {
	rs, err := s.Records(ctx, from, to)
	if err != nil {
		return err
	}
	for _, r := range rs {
		sr := audit.StoredRecord{Leaf: r.Leaf(), Salt: r.Salt, Payload: r.Payload}
		if s.edit != nil {
			sr.Leaf = s.edit(r.Index, sr.Leaf)
		}
		if err := fn(sr); err != nil {
			return err
		}
	}
	return nil
}

// Verify finds the same through a LeafStore's bytes as through its
// records: the root, the erased records, and leaves in the rarer forms
// that it reads whole.
func TestVerifyReadsALeafStoresBytes(t *testing.T) {
	n := audit.VerifyBatch + 300
	l, s := filled(t, n)
	_, err := l.AppendEvents(ctx, result.Event{Result: "résultat \"ä\"", Seq: -1, Type: result.EventReceived, At: start})
	require.NoError(t, err)
	require.NoError(t, l.Erase(ctx, 42))
	c, err := l.Checkpoint(ctx, "test", start)
	require.NoError(t, err)
	want, err := audit.Verify(ctx, s, &c)
	require.NoError(t, err)
	got, err := audit.Verify(ctx, leafStore{MemoryStore: s}, &c)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, []int64{42}, got.Erased)
	assert.Equal(t, int64(n+1), got.Size)
}

// Any change to a LeafStore's bytes is found, at its record.
func TestVerifyFindsChangedLeafBytes(t *testing.T) {
	n := audit.VerifyBatch + 300
	_, s := filled(t, n)
	at := int64(audit.VerifyBatch + 7)
	for name, c := range map[string]struct {
		edit    func(leaf []byte) []byte
		problem string
	}{
		"a field": {func(b []byte) []byte {
			return bytes.Replace(b, []byte("\nfrom \""), []byte("\nfrom \"x"), 1)
		}, "stored hash does not match the record"},
		"a field, escaped": {func(b []byte) []byte {
			return bytes.Replace(b, []byte("\nfrom \""), []byte("\nfrom \"\\t"), 1)
		}, "stored hash does not match the record"},
		"its position": {func(b []byte) []byte { return bytes.Replace(b, []byte("index "), []byte("index 1"), 1) }, "holds the record of position"},
		"its commitment": {func(b []byte) []byte {
			b = bytes.Clone(b)
			b[len(b)-10] = map[bool]byte{true: 'B', false: 'A'}[b[len(b)-10] == 'A'] // another base64 digit
			return b
		}, "payload does not match its commitment"},
		"not a leaf":      {func(b []byte) []byte { return b[:len(b)-1] }, "unreadable"},
		"not in its form": {func(b []byte) []byte { return bytes.Replace(b, []byte("seq "), []byte("seq 0"), 1) }, "unreadable"},
	} {
		ls := leafStore{MemoryStore: s, edit: func(index int64, leaf []byte) []byte {
			if index == at {
				return c.edit(leaf)
			}
			return leaf
		}}
		_, err := audit.Verify(ctx, ls, nil)
		var ve *audit.VerifyError
		require.ErrorAs(t, err, &ve, name)
		assert.ErrorIs(t, err, audit.ErrTampered, name)
		assert.Equal(t, at, ve.Index, name)
		assert.Contains(t, ve.Problem, c.problem, name)
	}
}

// miscounting gives one leaf too many (its last again) or too few.
type miscounting struct {
	leafStore
	extra int
}

func (s miscounting) Leaves(ctx context.Context, from, to int64, fn func(audit.StoredRecord) error) error {
	var last audit.StoredRecord
	err := s.leafStore.Leaves(ctx, from, to+int64(min(s.extra, 0)), func(sr audit.StoredRecord) error {
		last = sr
		return fn(sr)
	})
	if err != nil || s.extra <= 0 {
		return err
	}
	return fn(last)
}

// A LeafStore that gives more or fewer records than asked for is
// unreadable, not verified.
func TestVerifyRefusesMiscountedLeaves(t *testing.T) {
	_, s := filled(t, 300)
	for _, extra := range []int{-1, 1} {
		_, err := audit.Verify(ctx, miscounting{leafStore{MemoryStore: s}, extra}, nil)
		var ve *audit.VerifyError
		require.ErrorAs(t, err, &ve, "extra %d", extra)
		assert.Equal(t, "unreadable", ve.Problem, "extra %d", extra)
		assert.Contains(t, ve.Error(), "records for positions", "extra %d", extra)
	}
}
