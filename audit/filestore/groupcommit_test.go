package filestore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

type counting struct {
	*Store
	writes atomic.Int64
}

func (c *counting) Append(ctx context.Context, size int64, r []audit.Record, h []tlog.Hash) error {
	c.writes.Add(1)
	return c.Store.Append(ctx, size, r, h)
}

// Concurrent appends through one Log share fsyncs: far fewer batches are
// written than appends are made, and every event is there once.
func TestGroupCommitSharesSyncs(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := &counting{Store: s}
	l, err := audit.NewLog(c)
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 16, 10
	events := storetest.Events(writers*each, time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := l.AppendEvents(context.Background(), events[w*each+i]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n, _ := s.Size(context.Background()); n != writers*each {
		t.Fatalf("%d records, want %d", n, writers*each)
	}
	if _, err := audit.Verify(context.Background(), s, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d appends in %d batches", writers*each, c.writes.Load())
	if c.writes.Load() > writers*each/2 {
		t.Fatalf("%d appends took %d batches: no group commit", writers*each, c.writes.Load())
	}
}
