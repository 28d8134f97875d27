package audit_test

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// records turns n events into records.
func records(t *testing.T, n int) []audit.Record {
	t.Helper()
	var rs []audit.Record
	for _, e := range storetest.Events(n, start) {
		r, err := audit.NewRecord(e, rand.Reader)
		require.NoError(t, err)
		rs = append(rs, r)
	}
	return rs
}

// AppendAt appends only at the size it is given: at another, it writes
// nothing and says which size the log has. Appends of every length in
// turn, with another log writing between some of them, leave a tree that
// verifies, equal to the one a log that reads the store every time
// builds: the frontier it keeps between appends is right.
func TestAppendAt(t *testing.T) {
	mine, other := &audit.MemoryStore{}, &audit.MemoryStore{}
	l, err := audit.NewLog(mine)
	require.NoError(t, err)
	intruder, err := audit.NewLog(mine)
	require.NoError(t, err)
	size := int64(0)
	for n := 1; n <= 40; n++ {
		rs := records(t, n%7+1)
		if n%5 == 0 { // another writer goes first
			first, err := intruder.Append(ctx, records(t, 2)...)
			require.NoError(t, err)
			require.Equal(t, size, first)
			err = l.AppendAt(ctx, size, rs...)
			var ce *audit.ConflictError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, audit.ConflictError{Expected: size, Actual: size + 2}, *ce)
			got, _ := mine.Size(ctx)
			require.Equal(t, size+2, got, "a conflict writes nothing")
			size += 2
		}
		require.NoError(t, l.AppendAt(ctx, size, rs...))
		size += int64(len(rs))
	}
	_, err = audit.Verify(ctx, mine, nil)
	require.NoError(t, err)

	// The same records appended one batch at a time by a log that reads
	// every frontier from the store give the same root.
	all, err := mine.Records(ctx, 0, size)
	require.NoError(t, err)
	for i := range all {
		l, err := audit.NewLog(other) // a new log knows no frontier
		require.NoError(t, err)
		require.NoError(t, l.AppendAt(ctx, int64(i), all[i]))
	}
	reader := func(s audit.Store) tlog.HashReader {
		return tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) { return s.ReadHashes(ctx, ix) })
	}
	want, err := tlog.TreeHash(size, reader(other))
	require.NoError(t, err)
	got, err := tlog.TreeHash(size, reader(mine))
	require.NoError(t, err)
	require.Equal(t, want, got)
}
