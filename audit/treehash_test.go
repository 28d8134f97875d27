package audit

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"
)

// The tree hasher adds exactly the hashes tlog.StoredHashes does, record
// after record, and asks only for hashes of the tree before the record.
func TestTreeHasherIsTlogs(t *testing.T) {
	var mine, theirs []tlog.Hash
	reader := tlog.HashReaderFunc(func(xs []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(xs))
		for i, x := range xs {
			out[i] = theirs[x]
		}
		return out, nil
	})
	th := newTreeHasher()
	for n := range int64(1100) {
		leaf := []byte("leaf " + strconv.FormatInt(n, 10))
		want, err := tlog.StoredHashes(n, leaf, reader)
		require.NoError(t, err)
		before := int64(len(mine))
		mine, err = th.appendStored(mine, n, leaf, func(x int64) (tlog.Hash, error) {
			require.Less(t, x, before, "record %d read a hash it adds", n)
			return mine[x], nil
		})
		require.NoError(t, err)
		theirs = append(theirs, want...)
		require.Equal(t, theirs, mine, "after record %d", n)
	}
	require.Equal(t, tlog.RecordHash([]byte("x")), th.leaf([]byte("x")))
}
