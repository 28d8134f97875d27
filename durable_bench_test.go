package vaststelling_test

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/result/oke"
)

var httpClients = flag.Int("http.clients", 64, "BenchmarkOKEOverHTTP: concurrent senders")

// BenchmarkOKEOverHTTP sends OKE flow-5 deliveries over HTTP on loopback
// into a durable office on the file store, from many senders at once, as
// an OKE coupling does, and reports deliveries per second and the 99th
// percentile of the time to an answer. For the ratio, the same deliveries
// go in the same run straight into Deliver on a durable office (no HTTP).
func BenchmarkOKEOverHTTP(b *testing.B) {
	ctx := context.Background()
	n := max(b.N, 1)
	open := func() (*vaststelling.Office, func()) {
		store, err := filestore.Open(b.TempDir())
		require.NoError(b, err)
		o, err := vaststelling.Open(ctx, officeConfig(b, n, store, &vaststelling.Outbox{}))
		require.NoError(b, err)
		return o, func() { store.Close() }
	}
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = body(fmt.Sprintf("a-%03d", i), "7", "")
	}
	clock := func() time.Time { return day("2027-02-05", 9) }
	send := func(b *testing.B, deliver func(i int) error) (perSec float64, p99 time.Duration) {
		lat := make([]time.Duration, n)
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range *httpClients {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
					t0 := time.Now()
					if err := deliver(i); err != nil {
						b.Error(err)
						return
					}
					lat[i] = time.Since(t0)
				}
			})
		}
		wg.Wait()
		took := time.Since(start)
		slices.Sort(lat)
		return float64(n) / took.Seconds(), lat[n*99/100]
	}

	o, done := open()
	defer done()
	h, err := o.Handler(oke.HandlerConfig{InsecureNoAuth: true, Clock: clock})
	require.NoError(b, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = *httpClients
	b.ResetTimer()
	perSec, p99 := send(b, func(i int) error {
		req, err := http.NewRequest(http.MethodPatch, fmt.Sprintf("%s/ooapi/associations/a-%03d", srv.URL, i), bytes.NewReader(bodies[i]))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("delivery %d: %s", i, resp.Status)
		}
		return nil
	})
	b.StopTimer()

	direct, done2 := open()
	defer done2()
	refPerSec, refP99 := send(b, func(i int) error {
		_, err := direct.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: fmt.Sprintf("a-%03d", i), Body: bodies[i]}, clock())
		return err
	})
	b.ReportMetric(perSec, "deliveries/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(refPerSec, "direct-deliveries/s")
	b.ReportMetric(float64(refP99.Microseconds())/1000, "direct-p99-ms")
	b.ReportMetric(refPerSec/perSec, "x-direct")
}

var resumeResults = flag.Int("resume.results", 20_000, "BenchmarkResume: results in the trail")

// BenchmarkResume opens an office over a trail of -resume.results results
// (each delivered, told, determined: about seven records a result) on the
// file store and, when VASTSTELLING_POSTGRES_URL names a server, on
// PostgreSQL: from its snapshot and the records after it, and by folding
// the whole trail; against reading the trail's records alone, in the same
// run. The PostgreSQL trail is a copy of the file store's, records, hashes
// and snapshot.
func BenchmarkResume(b *testing.B) {
	ctx := context.Background()
	n := *resumeResults
	dir := b.TempDir()
	store, err := filestore.Open(dir)
	require.NoError(b, err)
	cfg := officeConfig(b, n, store, &vaststelling.Outbox{})
	cfg.SnapshotEvery = -1
	o, err := vaststelling.Open(ctx, cfg)
	require.NoError(b, err)
	var ds []oke.Delivery
	for i := range n {
		id := fmt.Sprintf("a-%03d", i)
		ds = append(ds, oke.Delivery{Method: oke.Patch, AssociationID: id, Body: body(id, "7", "")})
		if len(ds) == 1000 || i == n-1 {
			_, err := o.DeliverBatch(ctx, ds, day("2027-02-05", 9))
			require.NoError(b, err)
			ds = ds[:0]
		}
	}
	_, err = o.DailyRun(ctx, day("2027-02-05", 18))
	require.NoError(b, err)
	require.NoError(b, o.Snapshot(ctx))
	for i := range n / 10 { // a tail after the snapshot
		id := fmt.Sprintf("a-%03d", i)
		_, err := o.Deliver(ctx, oke.Delivery{Method: oke.Put, AssociationID: id, Body: body(id, "7", "")}, day("2027-02-06", 9))
		require.NoError(b, err)
	}
	size := o.Size()
	require.NoError(b, store.Close())
	b.ReportMetric(float64(size), "records")

	base := officeConfig(b, n, store, &vaststelling.Outbox{}) // the directory of a year, built once
	readAll := func(s audit.Store) {
		for from := int64(0); from < size; from += 4096 {
			_, err := s.Records(ctx, from, min(from+4096, size))
			require.NoError(b, err)
		}
	}
	reopen := func(s audit.Store, snaps audit.SnapshotStore) {
		cfg := base
		cfg.Log, err = audit.NewLog(s)
		require.NoError(b, err)
		cfg.Snapshots = snaps
		o, err := vaststelling.Open(ctx, cfg)
		require.NoError(b, err)
		require.Equal(b, size, o.Size())
	}
	// measure reads the trail, resumes from the snapshot and folds the
	// whole trail, once each per iteration, over the store open gives.
	measure := func(b *testing.B, open func() (audit.Store, audit.SnapshotStore, func())) {
		var read, snap, fold time.Duration
		for b.Loop() {
			s, snaps, done := open()
			t0 := time.Now()
			readAll(s)
			t1 := time.Now()
			reopen(s, snaps)
			t2 := time.Now()
			reopen(s, &audit.MemorySnapshots{}) // no snapshot in it: the whole trail
			t3 := time.Now()
			read, snap, fold = read+t1.Sub(t0), snap+t2.Sub(t1), fold+t3.Sub(t2)
			done()
		}
		b.ReportMetric(read.Seconds()/float64(b.N), "read-s")
		b.ReportMetric(snap.Seconds()/float64(b.N), "resume-s")
		b.ReportMetric(fold.Seconds()/float64(b.N), "fold-s")
		b.ReportMetric(snap.Seconds()/read.Seconds(), "x-read")
	}
	b.Run("file", func(b *testing.B) {
		measure(b, func() (audit.Store, audit.SnapshotStore, func()) {
			s, err := filestore.Open(dir)
			require.NoError(b, err)
			return s, s, func() { require.NoError(b, s.Close()) }
		})
	})
	b.Run("postgres", func(b *testing.B) {
		url := os.Getenv("VASTSTELLING_POSTGRES_URL")
		if url == "" {
			b.Skip("VASTSTELLING_POSTGRES_URL is not set: no PostgreSQL server to measure against")
		}
		db, err := sql.Open("pgx", url)
		require.NoError(b, err)
		defer db.Close()
		pg, err := sqlstore.New(db, fmt.Sprintf("resume_%d", time.Now().UnixNano()))
		require.NoError(b, err)
		require.NoError(b, pg.Migrate(ctx))
		src, err := filestore.OpenReadOnly(dir)
		require.NoError(b, err)
		copyTrail(b, pg, src, size)
		require.NoError(b, src.Close())
		measure(b, func() (audit.Store, audit.SnapshotStore, func()) { return pg, pg, func() {} })
	})
}

// copyTrail copies the first size records of src, their stored hashes and
// its snapshot into the empty store dst, in batches: the same trail, root
// and snapshot, without deciding it all again.
func copyTrail(b *testing.B, dst, src interface {
	audit.Store
	audit.SnapshotStore
}, size int64) {
	ctx := context.Background()
	for from := int64(0); from < size; from += 10_000 {
		to := min(from+10_000, size)
		records, err := src.Records(ctx, from, to)
		require.NoError(b, err)
		var indexes []int64
		for i := tlog.StoredHashIndex(0, from); i < tlog.StoredHashIndex(0, to); i++ {
			indexes = append(indexes, i)
		}
		hashes, err := src.ReadHashes(ctx, indexes)
		require.NoError(b, err)
		require.NoError(b, dst.Append(ctx, from, records, hashes))
	}
	require.NoError(b, dst.WriteSnapshot(ctx, func(w io.Writer) error {
		return src.ReadSnapshot(ctx, func(r io.Reader) error {
			_, err := io.Copy(w, r)
			return err
		})
	}))
}
