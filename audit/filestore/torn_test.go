package filestore

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
)

// A bit flipped anywhere in the last batch's commit frame, after the
// batch was acknowledged, is corruption: Open says so, and Repair drops
// nothing, also without a head file to tell. Every bit is tried.
func TestDamagedLastCommit(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 3, 4)
	last := snaps[2]
	dir := t.TempDir()
	start := last.log - headerSize - commitSize
	for off := start; off < last.log; off++ {
		for bit := range 8 {
			l := bytes.Clone(log)
			l[off] ^= 1 << bit
			put(t, dir, l, pay)
			if bit%2 == 1 {
				putHead(t, dir, last)
			}
			_, err := Open(dir)
			require.ErrorIs(t, err, audit.ErrCorrupt, "byte %d bit %d", off-start, bit)
			require.NotErrorIs(t, err, audit.ErrTorn)
			_, err = Repair(dir)
			require.ErrorIs(t, err, audit.ErrCorrupt)
			got, _ := files(t, dir)
			require.Equal(t, l, got, "Repair changed the log")
		}
	}
	// Undamaged, the acknowledged records are all there.
	put(t, dir, log, pay)
	holds(t, dir, last)
}

// What a crash can leave of a commit frame, sector by sector: a part of
// it, or whole sectors of it never written (zeros), and zeros after it. A
// byte that is neither is damage.
func TestTornCommit(t *testing.T) {
	want := commitFrame(7, 3, 0xdeadbeef)
	require.Len(t, want, headerSize+commitSize)
	zeros := func(n int) []byte { return make([]byte, n) }
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	flipped := bytes.Clone(want)
	flipped[5] ^= 2
	for _, c := range []struct {
		name string
		off  int64 // of the frame in the file
		b    []byte
		torn bool
	}{
		{"nothing", 100, nil, true},
		{"cut short", 100, want[:11], true},
		{"all zeros", 100, zeros(len(want)), true},
		{"whole and zeros after", 100, cat(want, zeros(600)), true},
		{"first sector only", 500, cat(want[:12], zeros(len(want)-12)), true},
		{"second sector only", 500, cat(zeros(12), want[12:]), true},
		{"zeros inside a sector", 100, cat(want[:12], zeros(len(want)-12)), false},
		{"a flipped bit", 100, flipped, false},
		{"a flipped bit in a sector written", 500, cat(flipped[:12], zeros(len(want)-12)), false},
		{"garbage after", 100, cat(want, []byte{1}), false},
		{"too long to be torn", 100, zeros(maxTornCommit + 1), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := cat(zeros(int(c.off)), c.b)
			torn, err := tornCommit(bytes.NewReader(file), c.off, int64(len(file)), want)
			require.NoError(t, err)
			assert.Equal(t, c.torn, torn)
		})
	}
}
