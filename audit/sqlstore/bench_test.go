package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// BenchmarkDurableAppend appends one event at a time through an
// audit.Log, each append waiting for the one before, and reports the
// 50th and 99th percentiles of an append's latency. Run it against a
// server with fsync on: what it measures is a durable append, and the
// round trips to it. For the ratio, the same appends go in the same run
// to an audit/filestore in a temporary directory, which syncs each one to
// the disk (x-file: PostgreSQL's p50 over the file store's).
func BenchmarkDurableAppend(b *testing.B) {
	ctx := context.Background()
	events := storetest.Events(300, start)
	appendEach := func(b *testing.B, log *audit.Log, n int, loop func() bool) []time.Duration {
		lat := make([]time.Duration, 0, n)
		for i := 0; loop(); i++ {
			t0 := time.Now()
			if _, err := log.AppendEvents(ctx, events[i%len(events)]); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		return lat
	}
	percentile := func(lat []time.Duration, p int) float64 {
		return float64(lat[(len(lat)-1)*p/100]) / float64(time.Millisecond)
	}

	s, _ := newStore(b, database(b))
	log, err := audit.NewLog(s)
	must(b, err)
	lat := appendEach(b, log, b.N, b.Loop)
	if len(lat) == 0 {
		return
	}

	fs, err := filestore.Open(b.TempDir())
	must(b, err)
	defer fs.Close()
	flog, err := audit.NewLog(fs)
	must(b, err)
	left := len(lat)
	ref := appendEach(b, flog, left, func() bool { left--; return left >= 0 })

	b.ReportMetric(percentile(lat, 50), "p50-ms")
	b.ReportMetric(percentile(lat, 99), "p99-ms")
	b.ReportMetric(percentile(ref, 50), "file-p50-ms")
	b.ReportMetric(percentile(ref, 99), "file-p99-ms")
	b.ReportMetric(percentile(lat, 50)/percentile(ref, 50), "x-file")
}

// BenchmarkAppendBatch appends batches of 100 events through an
// audit.Log, as an office's group commit does, and reports records per
// second.
func BenchmarkAppendBatch(b *testing.B) {
	ctx := context.Background()
	s, _ := newStore(b, database(b))
	log, err := audit.NewLog(s)
	must(b, err)
	events := storetest.Events(100, start)
	n := 0
	for b.Loop() {
		if _, err := log.AppendEvents(ctx, events...); err != nil {
			b.Fatal(err)
		}
		n += len(events)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
