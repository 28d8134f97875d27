package sqlstore_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
)

var _ audit.SnapshotStore = (*sqlstore.Store)(nil)

// writeBytes writes b in pieces of odd sizes, as an encoder does.
func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		for len(b) > 0 {
			n := min(len(b), 1<<20+17)
			if _, err := w.Write(b[:n]); err != nil {
				return err
			}
			b = b[n:]
		}
		return nil
	}
}

func readBack(t *testing.T, s audit.SnapshotStore) []byte {
	t.Helper()
	var got []byte
	require.NoError(t, s.ReadSnapshot(ctx, func(r io.Reader) error {
		var err error
		got, err = io.ReadAll(r)
		return err
	}))
	return got
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

func TestSnapshots(t *testing.T) {
	db := database(t)
	s, prefix := newStore(t, db)
	rows := func() int {
		var n int
		require.NoError(t, db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM "%s_snaps"`, prefix)).Scan(&n))
		return n
	}

	// None yet: an error matching ErrNoSnapshot, and read is not called.
	err := s.ReadSnapshot(ctx, func(io.Reader) error { t.Error("read called without a snapshot"); return nil })
	require.ErrorIs(t, err, audit.ErrNoSnapshot)

	// An empty snapshot is a snapshot.
	require.NoError(t, s.WriteSnapshot(ctx, writeBytes(nil)))
	assert.Empty(t, readBack(t, s))

	// Write, read back, replace with one of several rows.
	require.NoError(t, s.WriteSnapshot(ctx, writeBytes([]byte("first"))))
	assert.Equal(t, []byte("first"), readBack(t, s))
	big := randomBytes(t, 2*sqlstore.SnapshotChunk+12345)
	require.NoError(t, s.WriteSnapshot(ctx, writeBytes(big)))
	assert.True(t, bytes.Equal(big, readBack(t, s)), "the large snapshot read back differs")
	assert.Equal(t, 3, rows())
	exact := randomBytes(t, sqlstore.SnapshotChunk)
	require.NoError(t, s.WriteSnapshot(ctx, writeBytes(exact)))
	assert.True(t, bytes.Equal(exact, readBack(t, s)))
	assert.Equal(t, 1, rows(), "a snapshot of exactly one row's bytes")
	require.NoError(t, s.WriteSnapshot(ctx, writeBytes(big)))

	// An error in write, even after rows went out, keeps the old one.
	boom := errors.New("encoder failed")
	err = s.WriteSnapshot(ctx, func(w io.Writer) error {
		if _, err := w.Write(randomBytes(t, sqlstore.SnapshotChunk+1)); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.True(t, bytes.Equal(big, readBack(t, s)), "a failed write changed the snapshot")

	// read's error is returned.
	err = s.ReadSnapshot(ctx, func(io.Reader) error { return boom })
	require.ErrorIs(t, err, boom)

	// A row missing is corrupt, not a shorter snapshot.
	_, err = db.ExecContext(ctx, fmt.Sprintf(`DELETE FROM "%s_snaps" WHERE part = 1`, prefix))
	require.NoError(t, err)
	err = s.ReadSnapshot(ctx, func(r io.Reader) error { _, err := io.ReadAll(r); return err })
	require.ErrorIs(t, err, audit.ErrCorrupt)
}

// Writers take turns, and the snapshot is always one of theirs, whole; a
// reader sees the old snapshot until a replacement commits.
func TestSnapshotsConcurrent(t *testing.T) {
	db := database(t)
	s, _ := newStore(t, db)
	require.NoError(t, s.WriteSnapshot(ctx, writeBytes([]byte("old"))))

	// A replacement in progress: its first row is written, it is not
	// committed.
	written, finish := make(chan struct{}), make(chan struct{})
	next := randomBytes(t, sqlstore.SnapshotChunk+100)
	var wg sync.WaitGroup
	wg.Go(func() {
		assert.NoError(t, s.WriteSnapshot(ctx, func(w io.Writer) error {
			if _, err := w.Write(next[:sqlstore.SnapshotChunk+1]); err != nil {
				return err
			}
			close(written)
			<-finish
			_, err := w.Write(next[sqlstore.SnapshotChunk+1:])
			return err
		}))
	})
	<-written
	assert.Equal(t, []byte("old"), readBack(t, s))
	close(finish)
	wg.Wait()
	assert.True(t, bytes.Equal(next, readBack(t, s)))

	versions := make([][]byte, 4)
	for i := range versions {
		versions[i] = randomBytes(t, sqlstore.SnapshotChunk/2+i)
	}
	for _, v := range versions {
		wg.Go(func() { assert.NoError(t, s.WriteSnapshot(ctx, writeBytes(v))) })
	}
	wg.Wait()
	got := readBack(t, s)
	found := false
	for _, v := range versions {
		found = found || bytes.Equal(got, v)
	}
	assert.True(t, found, "the snapshot is none of the writers' (%d bytes)", len(got))
}
