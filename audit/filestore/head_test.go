package filestore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
)

// A log and payload file cut back together to an earlier batch read back
// whole; the head file tells, to Open, OpenReadOnly and Repair alike.
func TestCutAtBatchBoundary(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 3, 4, 2)
	last := snaps[len(snaps)-1]
	for _, cut := range snaps[:len(snaps)-1] {
		dir := t.TempDir()
		put(t, dir, log[:cut.log], pay[:cut.pay])
		putHead(t, dir, last)

		_, err := Open(dir)
		require.ErrorIs(t, err, ErrTruncated)
		require.ErrorIs(t, err, audit.ErrCorrupt)
		assert.Contains(t, err.Error(), fmt.Sprintf("the log holds %d records", cut.size))
		assert.Contains(t, err.Error(), fmt.Sprintf("held %d", last.size))
		_, err = OpenReadOnly(dir)
		require.ErrorIs(t, err, ErrTruncated)
		dropped, err := Repair(dir)
		require.ErrorIs(t, err, ErrTruncated)
		assert.Zero(t, dropped)
		l, p := files(t, dir)
		assert.Equal(t, log[:cut.log], l, "Repair changed a truncated store")
		assert.Equal(t, pay[:cut.pay], p)
	}
}

// A log cut inside a batch the head counts is not torn: that batch was
// acknowledged, and Repair leaves it.
func TestCutInsideAcknowledgedBatch(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 3, 4)
	before, last := snaps[1], snaps[2]
	dir := t.TempDir()
	put(t, dir, log[:last.log-7], pay)
	putHead(t, dir, last)
	_, err := Open(dir)
	require.ErrorIs(t, err, ErrTruncated)
	require.NotErrorIs(t, err, audit.ErrTorn)
	_, err = Repair(dir)
	require.ErrorIs(t, err, ErrTruncated)

	putHead(t, dir, before) // the head a crash during the batch leaves
	_, err = Open(dir)
	require.ErrorIs(t, err, audit.ErrTorn)
}

// Head is the size and root of a checkpoint at the same size, kept across
// reopening; a head that lags (a crash before it reached the disk) is
// brought up to date by Open; a store without one gets one.
func TestHead(t *testing.T) {
	src := t.TempDir()
	snaps, log, pay := build(t, src, 2, 5)
	last := snaps[2]
	s, err := Open(src)
	require.NoError(t, err)
	size, root := s.Head()
	assert.Equal(t, last.size, size)
	assert.Equal(t, last.checkpoint.Root, root)
	require.NoError(t, s.Close())

	dir := t.TempDir()
	put(t, dir, log, pay) // no head file
	s, err = Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	h, _, err := readHead(filepath.Join(dir, HeadFile))
	require.NoError(t, err)
	assert.Equal(t, head{last.size, last.checkpoint.Root}, *h)

	putHead(t, dir, snaps[1]) // lagging
	s, err = Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	put(t, dir, log[:snaps[1].log], pay[:snaps[1].pay])
	check(t, os.WriteFile(filepath.Join(dir, HeadFile), mustRead(t, filepath.Join(src, HeadFile)), 0o600))
	_, err = Open(dir)
	require.ErrorIs(t, err, ErrTruncated)
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// The head file's two copies: one damaged, the other serves; both
// damaged, the store is corrupt and the error says what to do; a head of
// the right size and another root is corruption.
func TestHeadDamaged(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 3, 3)
	last := snaps[2]
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		flips []int
		want  error
	}{
		{"first copy", []int{5}, nil},
		{"second copy", []int{headPage + 30}, nil},
		{"both", []int{3, headPage + 40}, audit.ErrCorrupt},
	} {
		t.Run(c.name, func(t *testing.T) {
			put(t, dir, log, pay)
			h := bytes.Clone(last.head)
			for _, i := range c.flips {
				h[i] ^= 4
			}
			check(t, os.WriteFile(filepath.Join(dir, HeadFile), h, 0o600))
			s, err := Open(dir)
			if c.want == nil {
				require.NoError(t, err)
				require.NoError(t, s.Close())
				return
			}
			require.ErrorIs(t, err, c.want)
			assert.Contains(t, err.Error(), "remove the file")
		})
	}
	t.Run("another root", func(t *testing.T) {
		put(t, dir, log, pay)
		b := appendHead(nil, head{size: last.size, root: snaps[1].checkpoint.Root})
		check(t, os.WriteFile(filepath.Join(dir, HeadFile), b, 0o600))
		_, err := Open(dir)
		require.ErrorIs(t, err, audit.ErrCorrupt)
		require.False(t, errors.Is(err, ErrTruncated))
		assert.Contains(t, err.Error(), "has root")
	})
}
