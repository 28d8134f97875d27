package filestore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
)

func readSnapshot(t testing.TB, s audit.SnapshotStore) (string, error) {
	t.Helper()
	var got []byte
	err := s.ReadSnapshot(context.Background(), func(r io.Reader) error {
		var err error
		got, err = io.ReadAll(r)
		return err
	})
	return string(got), err
}

func writeSnapshot(s audit.SnapshotStore, data string) error {
	return s.WriteSnapshot(context.Background(), func(w io.Writer) error {
		_, err := io.WriteString(w, data)
		return err
	})
}

// A snapshot is replaced whole or not at all, and outlives the store's
// closing; an error from the writer, or a cancelled context, leaves the
// old one; so does a crash, whose leftover Open removes.
func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	_, err := readSnapshot(t, s)
	require.ErrorIs(t, err, audit.ErrNoSnapshot)

	require.NoError(t, writeSnapshot(s, "first"))
	require.NoError(t, writeSnapshot(s, "second"))
	got, err := readSnapshot(t, s)
	require.NoError(t, err)
	assert.Equal(t, "second", got)

	boom := errors.New("boom")
	err = s.WriteSnapshot(ctx, func(w io.Writer) error {
		io.WriteString(w, "half of a th")
		return boom
	})
	require.ErrorIs(t, err, boom)
	cctx, cancel := context.WithCancel(ctx)
	err = s.WriteSnapshot(cctx, func(w io.Writer) error {
		io.WriteString(w, "cancelled")
		cancel()
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	got, err = readSnapshot(t, s)
	require.NoError(t, err)
	assert.Equal(t, "second", got)
	require.NoError(t, s.Close())

	// A crash while writing leaves a part of the new snapshot beside the old.
	leftover := filepath.Join(dir, filestore.SnapshotFile+"-123456"+".tmp")
	require.NoError(t, os.WriteFile(leftover, []byte("thi"), 0o600))
	s = open(t, dir)
	got, err = readSnapshot(t, s)
	require.NoError(t, err)
	assert.Equal(t, "second", got)
	assert.NoFileExists(t, leftover)

	r, err := filestore.OpenReadOnly(dir)
	require.NoError(t, err)
	defer r.Close()
	got, err = readSnapshot(t, r)
	require.NoError(t, err)
	assert.Equal(t, "second", got)

	require.NoError(t, s.Close())
	_, err = readSnapshot(t, s)
	require.ErrorIs(t, err, os.ErrClosed)
	require.ErrorIs(t, writeSnapshot(s, "x"), os.ErrClosed)
}

// A snapshot is streamed both ways: writing and reading 64 MiB allocates
// a small part of it.
func TestSnapshotStreams(t *testing.T) {
	s := open(t, t.TempDir())
	const size, piece = 64 << 20, 32 << 10
	chunk := bytes.Repeat([]byte("0123456789abcdef"), piece/16)
	want := sha256.New()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := s.WriteSnapshot(context.Background(), func(w io.Writer) error {
		for range size / piece {
			want.Write(chunk)
			if _, err := w.Write(chunk); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)
	got := sha256.New()
	err = s.ReadSnapshot(context.Background(), func(r io.Reader) error {
		n, err := io.CopyBuffer(got, r, make([]byte, piece))
		assert.EqualValues(t, size, n)
		return err
	})
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	assert.Equal(t, want.Sum(nil), got.Sum(nil))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(size/8), "bytes allocated")
}

// A store keeps its snapshot beside the records: an Office can take the
// store as its SnapshotStore.
func ExampleStore_WriteSnapshot() {
	dir, err := os.MkdirTemp("", "trail")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	s, err := filestore.Open(dir)
	if err != nil {
		panic(err)
	}
	defer s.Close()
	var snapshots audit.SnapshotStore = s
	ctx := context.Background()
	err = snapshots.ReadSnapshot(ctx, func(io.Reader) error { return nil })
	fmt.Println(errors.Is(err, audit.ErrNoSnapshot))
	err = snapshots.WriteSnapshot(ctx, func(w io.Writer) error {
		_, err := io.WriteString(w, "the results as of record 1000")
		return err
	})
	if err != nil {
		panic(err)
	}
	err = snapshots.ReadSnapshot(ctx, func(r io.Reader) error {
		b, err := io.ReadAll(r)
		fmt.Println(string(b))
		return err
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// true
	// the results as of record 1000
}
