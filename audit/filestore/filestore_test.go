package filestore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

var start = time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)

// open opens the store in dir and closes it when the test ends.
func open(t testing.TB, dir string) *filestore.Store {
	t.Helper()
	s, err := filestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newLog(t testing.TB, s audit.Store) *audit.Log {
	t.Helper()
	l, err := audit.NewLog(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) audit.Store { return open(t, t.TempDir()) })
}

// allOf returns every record and stored hash of a store.
func allOf(t testing.TB, s audit.Store) ([]audit.Record, []tlog.Hash) {
	t.Helper()
	ctx := context.Background()
	n, err := s.Size(ctx)
	must(t, err)
	rs, err := s.Records(ctx, 0, n)
	must(t, err)
	indexes := make([]int64, tlog.StoredHashCount(n))
	for i := range indexes {
		indexes[i] = int64(i)
	}
	hs, err := s.ReadHashes(ctx, indexes)
	must(t, err)
	return rs, hs
}

// sameRecords checks that two lists of records have the same leaves,
// salts and payloads, nil where nil.
func sameRecords(t testing.TB, got, want []audit.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := &got[i], &want[i]
		if !bytes.Equal(g.Leaf(), w.Leaf()) || !bytes.Equal(g.Salt, w.Salt) || !bytes.Equal(g.Payload, w.Payload) ||
			(g.Salt == nil) != (w.Salt == nil) || (g.Payload == nil) != (w.Payload == nil) {
			t.Fatalf("record %d differs:\n%s salt %x payload %q\nwant\n%s salt %x payload %q",
				i, g.Leaf(), g.Salt, g.Payload, w.Leaf(), w.Salt, w.Payload)
		}
	}
}

// TestReopen appends batches of several sizes, erases two payloads,
// closes the store, and checks that the store opened again holds the same
// records and hashes, verifies against the checkpoint, and takes more.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	log := newLog(t, s)
	events := storetest.Events(200, start)
	for i, k := 0, 1; i < len(events); i, k = i+k, k*2 {
		_, err := log.AppendEvents(ctx, events[i:min(i+k, len(events))]...)
		must(t, err)
	}
	must(t, log.Erase(ctx, 0))
	must(t, log.Erase(ctx, 130))
	c, err := log.Checkpoint(ctx, "test", start)
	must(t, err)
	records, hashes := allOf(t, s)
	must(t, s.Close())

	s = open(t, dir)
	got, gotHashes := allOf(t, s)
	sameRecords(t, got, records)
	if !slicesEqual(gotHashes, hashes) {
		t.Fatal("the stored hashes differ after reopening")
	}
	rep, err := audit.Verify(ctx, s, &c)
	must(t, err)
	if rep.Size != 200 || rep.Root != c.Root || fmt.Sprint(rep.Erased) != "[0 130]" {
		t.Fatalf("verified %v, erased %v; want 200 records, root of the checkpoint, erased [0 130]", rep, rep.Erased)
	}
	for _, r := range got[1:4] {
		if _, err := r.Event(); err != nil {
			t.Fatalf("record %d: %v", r.Index, err)
		}
	}

	log = newLog(t, s)
	_, err = log.AppendEvents(ctx, storetest.Events(10, start.Add(time.Hour))...)
	must(t, err)
	p, err := log.ProveConsistency(ctx, c.Size, 210)
	must(t, err)
	c2, err := log.Checkpoint(ctx, "test", start)
	must(t, err)
	must(t, audit.CheckConsistency(p, c, c2))
	must(t, s.Close())
	_, err = audit.Verify(ctx, open(t, dir), &c2)
	must(t, err)
}

func slicesEqual(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestOpenNew checks that Open creates a store in an empty directory, and
// only there.
func TestOpenNew(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	must(t, s.Close())
	for _, name := range []string{filestore.LogFile, filestore.PayloadFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		must(t, err)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600: it holds personal data", name, fi.Mode())
		}
	}
	n, err := open(t, dir).Size(context.Background())
	must(t, err)
	if n != 0 {
		t.Fatalf("a new store has %d records", n)
	}

	if _, err := filestore.Open(filepath.Join(dir, "absent")); err == nil {
		t.Fatal("Open made a store in a directory that does not exist")
	}
	lone := t.TempDir()
	must(t, os.WriteFile(filepath.Join(lone, filestore.LogFile), []byte("vaststelling audit log v1\n"), 0o600))
	if _, err := filestore.Open(lone); err == nil {
		t.Fatal("Open accepted a log without its payload file")
	}
	if _, err := os.Stat(filepath.Join(lone, filestore.PayloadFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open created a payload file beside a lone log: %v", err)
	}
	other := t.TempDir()
	must(t, os.WriteFile(filepath.Join(other, filestore.LogFile), []byte("something else entirely\n"), 0o600))
	must(t, os.WriteFile(filepath.Join(other, filestore.PayloadFile), nil, 0o600))
	if _, err := filestore.Open(other); !errors.Is(err, audit.ErrCorrupt) {
		t.Fatalf("Open of another file: %v, want ErrCorrupt", err)
	}
}

// fileSizes returns the sizes of a store's two files.
func fileSizes(t testing.TB, dir string) [2]int64 {
	t.Helper()
	var out [2]int64
	for i, name := range []string{filestore.LogFile, filestore.PayloadFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		must(t, err)
		out[i] = fi.Size()
	}
	return out
}

// TestAppendRefuses checks that records the store could not read back as
// given are refused, with nothing written.
func TestAppendRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	_, err := newLog(t, s).AppendEvents(ctx, storetest.Events(3, start)...)
	must(t, err)
	before := fileSizes(t, dir)
	reader := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) { return s.ReadHashes(ctx, ix) })
	record := func(mutate func(*audit.Record)) (audit.Record, []tlog.Hash) {
		r, err := audit.NewRecord(storetest.Events(4, start)[3], bytes.NewReader(make([]byte, 32)))
		must(t, err)
		r.Index = 3
		mutate(&r)
		h, err := tlog.StoredHashes(3, r.Leaf(), reader)
		must(t, err)
		return r, h
	}
	for name, mutate := range map[string]func(*audit.Record){
		"another index":      func(r *audit.Record) { r.Index = 4 },
		"salt only":          func(r *audit.Record) { r.Payload = nil },
		"payload only":       func(r *audit.Record) { r.Salt = nil },
		"unreadable leaf":    func(r *audit.Record) { r.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"too few hashes":     nil,
		"cancelled context":  nil,
		"nothing (accepted)": nil,
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			switch name {
			case "too few hashes":
				r, h := record(func(*audit.Record) {})
				err = s.Append(ctx, 3, []audit.Record{r}, h[:len(h)-1])
			case "cancelled context":
				r, h := record(func(*audit.Record) {})
				cctx, cancel := context.WithCancel(ctx)
				cancel()
				err = s.Append(cctx, 3, []audit.Record{r}, h)
			case "nothing (accepted)":
				must(t, s.Append(ctx, 3, nil, nil))
				err = errors.New("accepted")
			default:
				r, h := record(mutate)
				err = s.Append(ctx, 3, []audit.Record{r}, h)
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if n, _ := s.Size(ctx); n != 3 || fileSizes(t, dir) != before {
				t.Fatalf("the refused append wrote: %d records, files %v, were %v", n, fileSizes(t, dir), before)
			}
		})
	}
}

// TestAppendErased checks that a record appended already erased reads
// back erased, also after reopening.
func TestAppendErased(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	r, err := audit.NewRecord(storetest.Events(1, start)[0], bytes.NewReader(make([]byte, 32)))
	must(t, err)
	r.Salt, r.Payload = nil, nil
	_, err = newLog(t, s).Append(ctx, r)
	must(t, err)
	must(t, s.Close())
	s = open(t, dir)
	rs, err := s.Records(ctx, 0, 1)
	must(t, err)
	if !rs[0].Erased() {
		t.Fatal("the record appended erased has a payload")
	}
	must(t, s.Erase(ctx, 0))
	rep, err := audit.Verify(ctx, s, nil)
	must(t, err)
	if len(rep.Erased) != 1 {
		t.Fatalf("erased %v, want [0]", rep.Erased)
	}
}

// flipAt flips the lowest bit of the byte at off in a file of the store.
func flipAt(t testing.TB, dir, name string, off int64) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR, 0)
	must(t, err)
	defer f.Close()
	b := []byte{0}
	_, err = f.ReadAt(b, off)
	must(t, err)
	b[0] ^= 1
	_, err = f.WriteAt(b, off)
	must(t, err)
}

// TestRecordsSeeLaterDamage checks that reads check the checksums again:
// damage done to the files after Open is reported, naming the record.
func TestRecordsSeeLaterDamage(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{filestore.LogFile, filestore.PayloadFile} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir)
			_, err := newLog(t, s).AppendEvents(ctx, storetest.Events(10, start)...)
			must(t, err)
			flipAt(t, dir, name, fileSizes(t, dir)[map[string]int{filestore.LogFile: 0, filestore.PayloadFile: 1}[name]]/2)
			_, err = s.Records(ctx, 0, 10)
			var fe *filestore.FileError
			if !errors.Is(err, audit.ErrCorrupt) || !errors.As(err, &fe) || fe.Index < 3 || fe.Index > 6 {
				t.Fatalf("reading damaged records: %v, want ErrCorrupt naming a record in the middle", err)
			}
			if _, err := audit.Verify(ctx, s, nil); !errors.Is(err, audit.ErrTampered) {
				t.Fatalf("Verify: %v, want ErrTampered", err)
			}
		})
	}
}

// TestClosed checks that a closed store refuses everything, and that
// closing twice is harmless.
func TestClosed(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	must(t, s.Close())
	must(t, s.Close())
	if _, err := s.Size(ctx); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Size: %v", err)
	}
	if _, err := s.Records(ctx, 0, 0); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Records: %v", err)
	}
	if _, err := s.ReadHashes(ctx, nil); !errors.Is(err, os.ErrClosed) {
		t.Errorf("ReadHashes: %v", err)
	}
	if err := s.Append(ctx, 0, nil, nil); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Append: %v", err)
	}
	if err := s.Erase(ctx, 0); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Erase: %v", err)
	}
}

// TestReadWhileErasing reads the records over and over while their
// payloads are erased and more are appended: no reader may see a payload
// half overwritten.
func TestReadWhileErasing(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	log := newLog(t, s)
	_, err := log.AppendEvents(ctx, storetest.Events(60, start)...)
	must(t, err)
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := s.Records(ctx, 0, 60); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		if _, err := log.AppendEvents(ctx, storetest.Events(30, start.Add(time.Hour))...); err != nil {
			errs <- err
		}
	})
	for i := int64(0); i < 60; i += 3 {
		must(t, s.Erase(ctx, i))
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rep, err := audit.Verify(ctx, s, nil)
	must(t, err)
	if len(rep.Erased) != 20 || rep.Size != 90 {
		t.Fatalf("%d records, %d erased; want 90 and 20", rep.Size, len(rep.Erased))
	}
}

// losses counts how often in a row each writer's appends lose a race.
type losses struct {
	audit.Store
	run     int64 // of this writer
	longest *atomic.Int64
}

func (l *losses) Append(ctx context.Context, size int64, records []audit.Record, hashes []tlog.Hash) error {
	err := l.Store.Append(ctx, size, records, hashes)
	if errors.Is(err, audit.ErrConflict) {
		l.run++
		for m := l.longest.Load(); l.run > m && !l.longest.CompareAndSwap(m, l.run); m = l.longest.Load() {
		}
	} else {
		l.run = 0
	}
	return err
}

// TestWritersTakeTurns checks that writers of audit.Log, which retries an
// append that lost a race 16 times, take turns: while a batch is synced
// the others wait at a size it makes stale, and with a plain mutex one of
// eight writers lost 69 times in a row. A batch that lost must come first
// when it comes back.
func TestWritersTakeTurns(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	var longest atomic.Int64
	const writers, each = 8, 12
	var wg sync.WaitGroup
	for w := range writers {
		l := newLog(t, &losses{Store: s, longest: &longest})
		events := storetest.Events(3*each, start.Add(time.Duration(w)*time.Hour))
		wg.Go(func() {
			for i := 0; i < len(events); i += 3 {
				if _, err := l.AppendEvents(ctx, events[i:i+3]...); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("the longest run of lost races: %d", longest.Load())
	if n := longest.Load(); n > 8 {
		t.Errorf("a writer lost %d times in a row; audit.Log gives up after 17", n)
	}
}

// BenchmarkAppend appends batches of 100 events through audit.Log, each
// batch one Append, and reports the time per event. In a file store each
// batch costs two rounds of fsync, which dominate: compare the same work
// on an audit.MemoryStore (encoding, salting, hashing, no I/O).
func BenchmarkAppend(b *testing.B) {
	for _, c := range []struct {
		name  string
		store func(b *testing.B) audit.Store
	}{
		{"file", func(b *testing.B) audit.Store { return open(b, b.TempDir()) }},
		{"memory", func(b *testing.B) audit.Store { return &audit.MemoryStore{} }},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			log := newLog(b, c.store(b))
			events := storetest.Events(100, start)
			batches := 0
			for b.Loop() {
				if _, err := log.AppendEvents(ctx, events...); err != nil {
					b.Fatal(err)
				}
				batches++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(batches*len(events)), "ns/event")
		})
	}
}

// The operator's routine after a crash: Open reports the torn last batch,
// Repair cuts it off, Open succeeds.
func ExampleRepair() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "trail")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	s, err := filestore.Open(dir)
	if err != nil {
		panic(err)
	}
	log, err := audit.NewLog(s)
	if err != nil {
		panic(err)
	}
	events := storetest.Events(6, start)
	if _, err := log.AppendEvents(ctx, events[:3]...); err != nil {
		panic(err)
	}
	head, err := os.ReadFile(filepath.Join(dir, filestore.HeadFile))
	if err != nil {
		panic(err)
	}
	if _, err := log.AppendEvents(ctx, events[3:]...); err != nil {
		panic(err)
	}
	s.Close()

	// A crash while the second batch was written: its commit frame is
	// missing, and the head file names the first batch.
	if err := os.WriteFile(filepath.Join(dir, filestore.HeadFile), head, 0o600); err != nil {
		panic(err)
	}
	path := filepath.Join(dir, filestore.LogFile)
	fi, err := os.Stat(path)
	if err != nil {
		panic(err)
	}
	if err := os.Truncate(path, fi.Size()-10); err != nil {
		panic(err)
	}

	_, err = filestore.Open(dir)
	var fe *filestore.FileError
	if errors.As(err, &fe) && errors.Is(err, audit.ErrTorn) {
		fmt.Printf("torn: the batch from record %d is incomplete\n", fe.Index)
		if _, err := filestore.Repair(dir); err != nil {
			panic(err)
		}
	}
	s, err = filestore.Open(dir)
	if err != nil {
		panic(err)
	}
	defer s.Close()
	n, _ := s.Size(ctx)
	fmt.Println(n, "records")
	// Output:
	// torn: the batch from record 3 is incomplete
	// 3 records
}
