package filestore

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// One writer at a time: a second Open in the same process, on a
// descriptor of its own, conflicts (flock locks belong to the open file
// description), and so does Repair; OpenReadOnly does not.
func TestOneWriter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	_, err = l.AppendEvents(ctx, storetest.Events(5, epoch)...)
	require.NoError(t, err)

	_, err = Open(dir)
	require.ErrorIs(t, err, ErrLocked)
	assert.Contains(t, err.Error(), dir)
	_, err = Repair(dir)
	require.ErrorIs(t, err, ErrLocked)

	r, err := OpenReadOnly(dir)
	require.NoError(t, err)
	defer r.Close()
	n, err := r.Size(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 5, n)

	require.NoError(t, s.Close())
	s, err = Open(dir)
	require.NoError(t, err, "the lock goes with Close")
	require.NoError(t, s.Close())
}

// A store opened read-only refuses every write, and sees the records
// there were when it opened, whatever the writer does after; a record
// the writer erases later reads as erased, not as damage.
func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(dir)
	require.NoError(t, err)
	defer w.Close()
	l, err := audit.NewLog(w)
	require.NoError(t, err)
	_, err = l.AppendEvents(ctx, storetest.Events(10, epoch)...)
	require.NoError(t, err)
	c, err := l.Checkpoint(ctx, "ro", epoch)
	require.NoError(t, err)

	r, err := OpenReadOnly(dir)
	require.NoError(t, err)
	defer r.Close()
	require.ErrorIs(t, r.Append(ctx, 10, nil, nil), ErrReadOnly)
	require.ErrorIs(t, r.Erase(ctx, 0), ErrReadOnly)
	require.ErrorIs(t, r.WriteSnapshot(ctx, func(w io.Writer) error { return nil }), ErrReadOnly)

	_, err = l.AppendEvents(ctx, storetest.Events(7, epoch)...)
	require.NoError(t, err)
	require.NoError(t, l.Erase(ctx, 3))
	n, err := r.Size(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 10, n)
	size, root := r.Head()
	assert.Equal(t, c.Size, size)
	assert.Equal(t, c.Root, root)
	rep, err := audit.Verify(ctx, r, &c)
	require.NoError(t, err)
	assert.Equal(t, []int64{3}, rep.Erased)
}

// Read-only, an incomplete last batch is the writer's batch in progress
// while a writer holds the lock; without one it is a torn write.
func TestReadOnlyTorn(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 3, 4)
	before := snaps[1]
	dir := t.TempDir()
	put(t, dir, log[:len(log)-5], pay)
	putHead(t, dir, before)

	_, err := OpenReadOnly(dir)
	require.ErrorIs(t, err, audit.ErrTorn)

	lock, err := lockDir(dir) // a writer, at work
	require.NoError(t, err)
	defer lock.Close()
	r, err := OpenReadOnly(dir)
	require.NoError(t, err)
	defer r.Close()
	n, err := r.Size(context.Background())
	require.NoError(t, err)
	assert.Equal(t, before.size, n)
	_, err = audit.Verify(context.Background(), r, &before.checkpoint)
	require.NoError(t, err)
}

// OpenReadOnly creates nothing: not a store, not a lock file.
func TestReadOnlyCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	_, err := OpenReadOnly(dir)
	require.ErrorIs(t, err, fs.ErrNotExist)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)

	_, err = OpenReadOnly(filepath.Join(dir, "absent"))
	require.ErrorIs(t, err, fs.ErrNotExist)

	s, err := Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	r, err := OpenReadOnly(dir)
	require.NoError(t, err)
	defer r.Close()
	n, err := r.Size(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.False(t, errors.Is(r.Close(), os.ErrClosed))
}
