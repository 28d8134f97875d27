package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver, for the tests only
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// urlVar names the environment variable with the test server's URL.
const urlVar = "VASTSTELLING_POSTGRES_URL"

var start = time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)

// database opens a new connection pool to the test server, or skips the
// test when there is none.
func database(t testing.TB) *sql.DB {
	t.Helper()
	url := os.Getenv(urlVar)
	if url == "" {
		t.Skipf("%s is not set: these tests need a PostgreSQL server "+
			"(.ci/run starts one and sets %s, e.g. postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable)", urlVar, urlVar)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("connecting to the server in %s: %v", urlVar, err)
	}
	return db
}

// newStore returns a store on new tables of its own, with a prefix unique
// to the test, dropped when the test ends.
func newStore(t testing.TB, db *sql.DB) (*sqlstore.Store, string) {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(t.Name()))
	prefix := "t_" + name[:min(len(name), 36)] + "_" + hex.EncodeToString(b[:])
	s, err := sqlstore.New(db, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		q := fmt.Sprintf(`DROP TABLE IF EXISTS "%[1]s_records", "%[1]s_hashes", "%[1]s_size", "%[1]s_snaps"`, prefix)
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Errorf("dropping the tables of %s: %v", prefix, err)
		}
	})
	return s, prefix
}

func TestNewRefusesBadPrefixes(t *testing.T) {
	db, err := sql.Open("pgx", "") // never connected: New does not touch the database
	must(t, err)
	defer db.Close()
	for _, p := range []string{"audit", "Audit_2", "_x", strings.Repeat("a", sqlstore.MaxPrefixLength)} {
		if _, err := sqlstore.New(db, p); err != nil {
			t.Errorf("New(%q): %v", p, err)
		}
	}
	for _, p := range []string{"", "1audit", "audit-log", "audit log", `audit"`, "audit;drop", "public.audit", "äudit",
		strings.Repeat("a", sqlstore.MaxPrefixLength+1)} {
		if _, err := sqlstore.New(db, p); err == nil {
			t.Errorf("New(%q) accepted it", p)
		}
	}
	if _, err := sqlstore.New(nil, "audit"); err == nil {
		t.Error("New accepted a nil database")
	}
}

func TestStoreConforms(t *testing.T) {
	db := database(t)
	storetest.Run(t, func(t *testing.T) audit.Store {
		s, _ := newStore(t, db)
		return s
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := database(t)
	ctx := context.Background()
	s, prefix := newStore(t, db)
	log, err := audit.NewLog(s)
	must(t, err)
	_, err = log.AppendEvents(ctx, storetest.Events(6, start)...)
	must(t, err)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			again, err := sqlstore.New(db, prefix)
			if err == nil {
				err = again.Migrate(ctx)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n, err := s.Size(ctx); err != nil || n != 6 {
		t.Fatalf("after migrating again: size %d, %v; want 6", n, err)
	}
	if _, err := audit.Verify(ctx, s, nil); err != nil {
		t.Fatal(err)
	}
}

func TestUnmigratedTablesAreAnError(t *testing.T) {
	db := database(t)
	ctx := context.Background()
	s, err := sqlstore.New(db, "t_never_migrated")
	must(t, err)
	if _, err := s.Size(ctx); err == nil {
		t.Error("Size of tables that do not exist succeeded")
	}
	if err := s.Append(ctx, 0, nil, nil); err == nil {
		t.Error("Append to tables that do not exist succeeded")
	}
}

// TestTwoConnectionsConflict runs two Stores over two connection pools on
// the same tables: two writers appending at the same size get one success
// and one ConflictError; many appending at once lose nothing, and both see
// the same log, which verifies.
func TestTwoConnectionsConflict(t *testing.T) {
	ctx := context.Background()
	a, prefix := newStore(t, database(t))
	b, err := sqlstore.New(database(t), prefix)
	must(t, err)
	stores := []*sqlstore.Store{a, b}

	log, err := audit.NewLog(a)
	must(t, err)
	_, err = log.AppendEvents(ctx, storetest.Events(5, start)...)
	must(t, err)

	// Both read the same size, then append at it at the same moment.
	const size = 5
	var records [2]audit.Record
	var hashes [2][]tlog.Hash
	for i, s := range stores {
		n, err := s.Size(ctx)
		must(t, err)
		if n != size {
			t.Fatalf("store %d sees %d records, want %d", i, n, size)
		}
		e := storetest.Events(1, start.Add(time.Hour))[0]
		e.Result = fmt.Sprintf("race-%d", i)
		e.Record.ID = e.Result
		records[i], err = audit.NewRecord(e, rand.Reader)
		must(t, err)
		records[i].Index = size
		hashes[i], err = tlog.StoredHashes(size, records[i].Leaf(), tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
			return s.ReadHashes(ctx, ix)
		}))
		must(t, err)
	}
	var errs [2]error
	var wg sync.WaitGroup
	ready := make(chan struct{})
	for i, s := range stores {
		wg.Go(func() {
			<-ready
			errs[i] = s.Append(ctx, size, records[i:i+1], hashes[i])
		})
	}
	close(ready)
	wg.Wait()
	won := 0
	for i, err := range errs {
		var ce *audit.ConflictError
		switch {
		case err == nil:
			won = i
		case errors.As(err, &ce) && ce.Expected == size && ce.Actual == size+1:
		default:
			t.Fatalf("store %d: %v, want nil or a ConflictError %d/%d", i, err, size, size+1)
		}
	}
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two appends at %d: %v and %v, want one success and one conflict", size, errs[0], errs[1])
	}

	// Many writers on both pools; Log retries after each conflict.
	const perStore, appends = 3, 6
	var conflicts, gaveUp atomic.Int64
	wg = sync.WaitGroup{}
	for w := range perStore * len(stores) {
		wg.Go(func() {
			s := &counting{Store: stores[w%len(stores)], conflicts: &conflicts, t: t}
			log, err := audit.NewLog(s)
			if err != nil {
				t.Error(err)
				return
			}
			events := storetest.Events(appends*3, start.Add(time.Duration(w+2)*time.Hour))
			for i := range events {
				events[i].Result = fmt.Sprintf("w%d-%s", w, events[i].Result)
				if events[i].Record != nil {
					events[i].Record.ID = events[i].Result
				}
			}
			for i := 0; i < len(events); i += 3 {
				// Log gives up after 16 retries (a starved writer, not
				// an error of the store): try again. Each conflict means
				// another append landed, so a writer loses at most
				// 5*appends times in a row.
				var err error
				for try := 0; try < 10; try++ {
					if _, err = log.AppendEvents(ctx, events[i:i+3]...); !errors.Is(err, audit.ErrConflict) {
						break
					}
					gaveUp.Add(1)
				}
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d writers on two pools: %d conflicts; Log gave up %d times", perStore*len(stores), conflicts.Load(), gaveUp.Load())
	if t.Failed() {
		t.FailNow()
	}

	want := int64(size + 1 + perStore*len(stores)*appends*3)
	var seen [2][]audit.Record
	for i, s := range stores {
		n, err := s.Size(ctx)
		must(t, err)
		if n != want {
			t.Fatalf("store %d: %d records, want %d", i, n, want)
		}
		if seen[i], err = s.Records(ctx, 0, n); err != nil {
			t.Fatal(err)
		}
		if _, err := audit.Verify(ctx, s, nil); err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
	}
	events := map[string]bool{}
	for i, r := range seen[0] {
		o := seen[1][i]
		if !bytes.Equal(r.Leaf(), o.Leaf()) || !bytes.Equal(r.Payload, o.Payload) || !bytes.Equal(r.Salt, o.Salt) {
			t.Fatalf("record %d differs between the two pools", i)
		}
		key := fmt.Sprintf("%s#%d", r.Result, r.Seq)
		if events[key] {
			t.Fatalf("event %s twice", key)
		}
		events[key] = true
	}
	if r := seen[0][size]; r.Result != fmt.Sprintf("race-%d", won) {
		t.Fatalf("record %d is of %s, want the winner's, race-%d", size, r.Result, won)
	}
	c, err := audit.NewLog(b)
	must(t, err)
	cp, err := c.Checkpoint(ctx, "two pools", start)
	must(t, err)
	if _, err := audit.Verify(ctx, a, &cp); err != nil {
		t.Fatalf("the checkpoint made through one pool, verified through the other: %v", err)
	}
}

// counting counts the conflicts its store reports, and checks each.
type counting struct {
	audit.Store
	conflicts *atomic.Int64
	t         *testing.T
}

func (c *counting) Append(ctx context.Context, size int64, records []audit.Record, hashes []tlog.Hash) error {
	err := c.Store.Append(ctx, size, records, hashes)
	if errors.Is(err, audit.ErrConflict) {
		c.conflicts.Add(1)
		var ce *audit.ConflictError
		if !errors.As(err, &ce) || ce.Expected != size || ce.Actual <= size {
			c.t.Errorf("append at %d: %v, want a ConflictError with a larger size", size, err)
		}
	}
	return err
}

func TestAppendRefusesRecordsOutOfPlace(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, database(t))
	r, err := audit.NewRecord(storetest.Events(1, start)[0], rand.Reader)
	must(t, err)
	r.Index = 3
	hashes, err := tlog.StoredHashes(0, r.Leaf(), tlog.HashReaderFunc(func([]int64) ([]tlog.Hash, error) { return nil, nil }))
	must(t, err)
	if err := s.Append(ctx, 0, []audit.Record{r}, hashes); err == nil {
		t.Fatal("a record with index 3 was appended at 0")
	}
	if n, _ := s.Size(ctx); n != 0 {
		t.Fatalf("the refused append changed the size to %d", n)
	}
}

// TestLargeAppend appends more records in one go than one statement
// takes.
func TestLargeAppend(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, database(t))
	log, err := audit.NewLog(s)
	must(t, err)
	_, err = log.AppendEvents(ctx, storetest.Events(7, start)...)
	must(t, err)
	const n = 9000
	first, err := log.AppendEvents(ctx, storetest.Events(n, start)...)
	must(t, err)
	if first != 7 {
		t.Fatalf("appended at %d, want 7", first)
	}
	rep, err := audit.Verify(ctx, s, nil)
	must(t, err)
	if rep.Size != n+7 {
		t.Fatalf("verified %d records, want %d", rep.Size, n+7)
	}
}

// TestEmptyIsNotErased: an empty salt or payload reads back empty, not
// NULL, so such a record does not pass for erased.
func TestEmptyIsNotErased(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, database(t))
	r := audit.Record{Time: start, Result: "r", Seq: 1, Type: "received", From: "none", To: "received",
		Salt: []byte{}, Payload: []byte{}, Commitment: audit.Commit(nil, nil)}
	log, err := audit.NewLog(s)
	must(t, err)
	_, err = log.Append(ctx, r)
	must(t, err)
	got, err := s.Records(ctx, 0, 1)
	must(t, err)
	if got[0].Salt == nil || got[0].Payload == nil || len(got[0].Salt) != 0 || len(got[0].Payload) != 0 {
		t.Fatalf("salt %#v payload %#v, want both empty and not nil", got[0].Salt, got[0].Payload)
	}
	rep, err := audit.Verify(ctx, s, nil)
	must(t, err)
	if len(rep.Erased) != 0 {
		t.Fatalf("erased %v, want none", rep.Erased)
	}
}

// TestTamperingIsCaught edits the tables behind the store's back.
func TestTamperingIsCaught(t *testing.T) {
	ctx := context.Background()
	db := database(t)
	for _, tc := range []struct {
		name, sql string // %[1]s is the prefix
		records   error  // what Records(0, 9) returns
		verify    error  // what Verify returns
	}{
		{"deleted record", `DELETE FROM "%[1]s_records" WHERE idx = 4`, audit.ErrCorrupt, audit.ErrTampered},
		{"deleted last record", `DELETE FROM "%[1]s_records" WHERE idx = 8`, audit.ErrCorrupt, audit.ErrTampered},
		{"leaf not canonical", `UPDATE "%[1]s_records" SET leaf = leaf || '\x0a'::bytea WHERE idx = 4`, audit.ErrCorrupt, audit.ErrTampered},
		{"leaf changed", `UPDATE "%[1]s_records" SET leaf = convert_to(replace(convert_from(leaf, 'UTF8'), '"final"', '"fixed"'), 'UTF8') WHERE idx = 2`, nil, audit.ErrTampered},
		{"payload changed", `UPDATE "%[1]s_records" SET payload = payload || ' '::bytea WHERE idx = 4`, nil, audit.ErrTampered},
		{"payload half erased", `UPDATE "%[1]s_records" SET payload = NULL WHERE idx = 4`, nil, audit.ErrTampered},
		{"hash changed", `UPDATE "%[1]s_hashes" SET hash = sha256(hash) WHERE idx = 5`, nil, audit.ErrTampered},
		{"hash deleted", `DELETE FROM "%[1]s_hashes" WHERE idx = 5`, nil, audit.ErrTampered},
		{"records swapped", `UPDATE "%[1]s_records" SET idx = 1000 WHERE idx = 3; UPDATE "%[1]s_records" SET idx = 3 WHERE idx = 4;
			UPDATE "%[1]s_records" SET idx = 4 WHERE idx = 1000`, nil, audit.ErrTampered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, prefix := newStore(t, db)
			log, err := audit.NewLog(s)
			must(t, err)
			_, err = log.AppendEvents(ctx, storetest.Events(9, start)...)
			must(t, err)
			_, err = db.ExecContext(ctx, fmt.Sprintf(tc.sql, prefix))
			must(t, err)
			if _, err := s.Records(ctx, 0, 9); !errors.Is(err, tc.records) {
				t.Errorf("Records: %v, want %v", err, tc.records)
			}
			if _, err := audit.Verify(ctx, s, nil); !errors.Is(err, tc.verify) {
				t.Errorf("Verify: %v, want %v", err, tc.verify)
			}
		})
	}
}

// BenchmarkAppend appends batches of 100 events through a Log, to
// PostgreSQL and, for the cost of hashing and encoding alone, to memory.
func BenchmarkAppend(b *testing.B) {
	const batch = 100
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		open func(b *testing.B) audit.Store
	}{
		{"memory", func(*testing.B) audit.Store { return &audit.MemoryStore{} }},
		{"postgres", func(b *testing.B) audit.Store { s, _ := newStore(b, database(b)); return s }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := &readCounting{Store: bc.open(b)}
			log, err := audit.NewLog(s)
			if err != nil {
				b.Fatal(err)
			}
			events := storetest.Events(batch, start)
			n := 0
			for b.Loop() {
				if _, err := log.AppendEvents(ctx, events...); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*batch), "ns/event")
			b.ReportMetric(float64(s.reads.Load())/float64(n), "hashreads/op")
		})
	}
}

// readCounting counts calls of ReadHashes: round trips, in PostgreSQL.
type readCounting struct {
	audit.Store
	reads atomic.Int64
}

func (r *readCounting) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	r.reads.Add(1)
	return r.Store.ReadHashes(ctx, indexes)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestConflictsUnderStricterIsolation runs writers on two pools whose
// sessions default to REPEATABLE READ and SERIALIZABLE: an append that
// waited for another's lock then fails with a serialization error instead
// of matching nothing, and the store still reports it as a conflict, which
// the log retries. Nothing is lost or written twice.
func TestConflictsUnderStricterIsolation(t *testing.T) {
	ctx := context.Background()
	base := database(t)
	_, prefix := newStore(t, base)
	var stores []*sqlstore.Store
	for _, level := range []string{"repeatable read", "serializable"} {
		u, err := url.Parse(os.Getenv(urlVar))
		must(t, err)
		// pgx takes a parameter it does not know as the session's; it
		// reads "+" as itself, so the space is %20.
		u.RawQuery = strings.TrimPrefix(u.RawQuery+"&default_transaction_isolation="+url.PathEscape(level), "&")
		db, err := sql.Open("pgx", u.String())
		must(t, err)
		t.Cleanup(func() { db.Close() })
		var got string
		must(t, db.QueryRowContext(ctx, `SHOW default_transaction_isolation`).Scan(&got))
		if got != level {
			t.Fatalf("the session's isolation is %q, want %q", got, level)
		}
		s, err := sqlstore.New(db, prefix)
		must(t, err)
		stores = append(stores, s)
	}
	const writers, appends = 6, 8
	var conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			log, err := audit.NewLog(&counting{Store: stores[w%len(stores)], conflicts: &conflicts, t: t})
			if err != nil {
				t.Error(err)
				return
			}
			events := storetest.Events(appends, start)
			for i := range events {
				events[i].Result = fmt.Sprintf("w%d-%s", w, events[i].Result)
				if events[i].Record != nil {
					events[i].Record.ID = events[i].Result
				}
				var err error
				for range 10 { // a writer starved past the log's retries tries again
					if _, err = log.AppendEvents(ctx, events[i]); !errors.Is(err, audit.ErrConflict) {
						break
					}
				}
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d conflicts", conflicts.Load())
	n, err := stores[0].Size(ctx)
	must(t, err)
	if n != writers*appends {
		t.Fatalf("%d records, want %d", n, writers*appends)
	}
	if _, err := audit.Verify(ctx, stores[1], nil); err != nil {
		t.Fatal(err)
	}
}
