package audit_test

import (
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// newRecords returns n records of storetest.Events.
func newRecords(n int) []audit.Record {
	events := storetest.Events(n, start)
	var rnd zeros
	records := make([]audit.Record, n)
	for i, e := range events {
		r, err := audit.NewRecord(e, &rnd)
		if err != nil {
			panic(err)
		}
		records[i] = r
	}
	return records
}

// million is a log of 1,000,000 events, built once for the benchmarks.
var million = sync.OnceValues(func() (*audit.MemoryStore, []audit.Record) {
	const n = 1_000_000
	records := newRecords(n)
	s := &audit.MemoryStore{}
	l, err := audit.NewLog(s)
	if err != nil {
		panic(err)
	}
	for i := 0; i < n; i += 1000 {
		if _, err := l.Append(ctx, append([]audit.Record(nil), records[i:i+1000]...)...); err != nil {
			panic(err)
		}
	}
	return s, records
})

// BenchmarkAudit measures, in one run over the same records: raw tlog
// hashing (tlog.StoredHashes over an in-memory hash slice, the reference),
// appending them to a memory store through the Log (reported as
// x-raw-tlog), full verification of a 1,000,000-event log (events/s), and
// an inclusion proof in it, made and checked.
func BenchmarkAudit(b *testing.B) {
	records := newRecords(10_000)
	leaves := make([][]byte, len(records))
	for i := range leaves {
		r := records[i]
		r.Index = int64(i)
		leaves[i] = r.Leaf()
	}
	var rawNs float64
	b.Run("append/raw-tlog", func(b *testing.B) {
		b.ReportAllocs()
		var hashes []tlog.Hash
		reader := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(ix))
			for i, x := range ix {
				out[i] = hashes[x]
			}
			return out, nil
		})
		n := int64(0)
		for b.Loop() {
			if n == int64(len(leaves)) {
				n, hashes = 0, hashes[:0]
			}
			h, err := tlog.StoredHashes(n, leaves[n], reader)
			if err != nil {
				b.Fatal(err)
			}
			hashes = append(hashes, h...)
			n++
		}
		rawNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	// Appends go in batches of 100, as a day's events do; b.N counts events.
	b.Run("append/memory", func(b *testing.B) {
		b.ReportAllocs()
		s := &audit.MemoryStore{}
		l, err := audit.NewLog(s)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		batch := make([]audit.Record, 100)
		for b.Loop() {
			if n%100 != 0 {
				n++
				continue
			}
			if n == len(leaves) {
				n, s = 0, &audit.MemoryStore{}
				l, _ = audit.NewLog(s)
			}
			copy(batch, records[n:n+100])
			if _, err := l.Append(ctx, batch...); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if rawNs > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rawNs, "x-raw-tlog")
		}
	})
	b.Run("verify/1e6", func(b *testing.B) {
		s, _ := million()
		for b.Loop() {
			rep, err := audit.Verify(ctx, s, nil)
			if err != nil || rep.Size != 1_000_000 {
				b.Fatal(err)
			}
		}
		b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("prove-inclusion/1e6", func(b *testing.B) {
		s, _ := million()
		l, _ := audit.NewLog(s)
		c, err := l.Checkpoint(ctx, "bench", start)
		if err != nil {
			b.Fatal(err)
		}
		recs, _ := s.Records(ctx, 0, 1000)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r := &recs[(i*7919)%1000]
			p, err := l.ProveInclusion(ctx, r.Index, c.Size)
			if err != nil {
				b.Fatal(err)
			}
			if err := audit.CheckInclusion(p, c, r); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("prove-consistency/1e6", func(b *testing.B) {
		s, _ := million()
		l, _ := audit.NewLog(s)
		c, _ := l.Checkpoint(ctx, "bench", start)
		root, _ := l.Root(ctx, 654_321)
		old := audit.Checkpoint{Origin: "bench", Size: 654_321, Root: root, Time: start}
		for b.Loop() {
			p, err := l.ProveConsistency(ctx, old.Size, c.Size)
			if err != nil {
				b.Fatal(err)
			}
			if err := audit.CheckConsistency(p, old, c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
