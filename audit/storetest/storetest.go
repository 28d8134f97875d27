// Package storetest is the conformance suite every audit.Store must pass:
// appends at an expected size, all or nothing; reading records and stored
// hashes back exactly; typed conflicts between concurrent writers with
// nothing lost; erasure that keeps the log verifiable.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// Events returns n events of n/3 results, for filling a log: each result is
// received, registered and determined, at increasing moments from start.
func Events(n int, start time.Time) []result.Event {
	out := make([]result.Event, 0, n)
	states := []struct {
		typ      result.EventType
		from, to result.State
		role     timeline.Role
	}{
		{result.EventReceived, result.None, result.Received, timeline.System},
		{result.EventRegistered, result.Received, result.Provisional, timeline.System},
		{result.EventDetermined, result.Provisional, result.Final, timeline.ExamAdministration},
	}
	for i := range n {
		s := states[i%3]
		id := fmt.Sprintf("assoc-%06d", i/3)
		e := result.Event{Result: id, Seq: i%3 + 1, Type: s.typ, At: start.Add(time.Duration(i) * time.Minute),
			Actor: result.Actor{ID: fmt.Sprintf("actor-%d", i%7), Role: s.role}, From: s.from, To: s.to,
			Reason: "step " + fmt.Sprint(i)}
		switch s.typ {
		case result.EventReceived:
			e.Record = &result.Record{ID: id, Student: fmt.Sprintf("s-%06d", i/3), Component: "KT1-W2", Crebo: "25180",
				Attempt: 1, Exam: start, Assessor: "a-1", Attendance: result.Present, Source: result.OKE}
		case result.EventRegistered:
			e.Policy = "Voorbeeldprocedure"
		case result.EventDetermined:
			e.Mandate = "M-2026-01"
		}
		out = append(out, e)
	}
	return out
}

// Run runs the suite against stores made by open, each new and empty.
func Run(t *testing.T, open func(t *testing.T) audit.Store) {
	ctx := context.Background()
	start := time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)

	t.Run("Empty", func(t *testing.T) {
		s := open(t)
		n, err := s.Size(ctx)
		must(t, err)
		if n != 0 {
			t.Fatalf("a new store has %d records", n)
		}
		rs, err := s.Records(ctx, 0, 0)
		must(t, err)
		if len(rs) != 0 {
			t.Fatalf("records of an empty store: %d", len(rs))
		}
		if _, err := s.Records(ctx, 0, 1); !errors.Is(err, audit.ErrRange) {
			t.Fatalf("reading past the end: %v, want ErrRange", err)
		}
		if _, err := s.ReadHashes(ctx, []int64{0}); err == nil {
			t.Fatal("reading a hash of an empty store succeeded")
		}
	})

	t.Run("AppendAndReadBack", func(t *testing.T) {
		s, ref := open(t), &audit.MemoryStore{}
		log, refLog := newLog(t, s), newLog(t, ref)
		events := Events(120, start)
		for i := 0; i < len(events); i += 17 {
			batch := events[i:min(i+17, len(events))]
			records := records(t, batch)
			given := clones(records)
			first, err := log.Append(ctx, given...)
			must(t, err)
			for _, r := range given { // the store keeps none of them: the log reuses them
				clear(r.Salt)
				clear(r.Payload)
			}
			if first != int64(i) {
				t.Fatalf("batch at %d appended at %d", i, first)
			}
			_, err = refLog.Append(ctx, records...)
			must(t, err)
		}
		sameAs(t, s, ref)
		c, err := log.Checkpoint(ctx, "storetest", start)
		must(t, err)
		if _, err := audit.Verify(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ConflictWritesNothing", func(t *testing.T) {
		s := open(t)
		log := newLog(t, s)
		_, err := log.AppendEvents(ctx, Events(3, start)...)
		must(t, err)
		r := records(t, Events(4, start)[3:])
		r[0].Index = 1
		hashes, err := tlog.StoredHashes(1, r[0].Leaf(), tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
			return s.ReadHashes(ctx, ix)
		}))
		must(t, err)
		err = s.Append(ctx, 1, r, hashes)
		var ce *audit.ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, audit.ErrConflict) || ce.Expected != 1 || ce.Actual != 3 {
			t.Fatalf("append at a stale size: %v, want a ConflictError 1/3", err)
		}
		if n, _ := s.Size(ctx); n != 3 {
			t.Fatalf("the conflicting append changed the size to %d", n)
		}
	})

	t.Run("ConcurrentWritersLoseNothing", func(t *testing.T) {
		s := open(t)
		const writers, each = 8, 12
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Go(func() {
				log, err := audit.NewLog(s)
				if err != nil {
					errs <- err
					return
				}
				events := Events(each*3, start.Add(time.Duration(w)*time.Hour))
				for i := range events {
					events[i].Result = fmt.Sprintf("w%d-%s", w, events[i].Result)
					if events[i].Record != nil {
						events[i].Record.ID = events[i].Result
					}
				}
				for i := 0; i < len(events); i += 3 {
					if _, err := log.AppendEvents(ctx, events[i:i+3]...); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		n, err := s.Size(ctx)
		must(t, err)
		if n != writers*each*3 {
			t.Fatalf("%d records, want %d", n, writers*each*3)
		}
		rs, err := s.Records(ctx, 0, n)
		must(t, err)
		seen := map[string]bool{}
		for _, r := range rs {
			key := fmt.Sprintf("%s#%d", r.Result, r.Seq)
			if seen[key] {
				t.Fatalf("event %s twice", key)
			}
			seen[key] = true
		}
		if _, err := audit.Verify(ctx, s, nil); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("EraseKeepsTheLogVerifiable", func(t *testing.T) {
		s := open(t)
		log := newLog(t, s)
		_, err := log.AppendEvents(ctx, Events(30, start)...)
		must(t, err)
		before, err := log.Checkpoint(ctx, "storetest", start)
		must(t, err)
		must(t, log.Erase(ctx, 7))
		must(t, log.Erase(ctx, 7))
		rs, err := s.Records(ctx, 7, 8)
		must(t, err)
		if !rs[0].Erased() {
			t.Fatal("record 7 still holds its payload")
		}
		leavesAre(t, s, 7, 8, rs)
		if _, err := rs[0].Event(); !errors.Is(err, audit.ErrErased) {
			t.Fatalf("the event of an erased record: %v, want ErrErased", err)
		}
		rep, err := audit.Verify(ctx, s, &before)
		must(t, err)
		if len(rep.Erased) != 1 || rep.Erased[0] != 7 {
			t.Fatalf("erased %v, want [7]", rep.Erased)
		}
		if err := s.Erase(ctx, 30); !errors.Is(err, audit.ErrRange) {
			t.Fatalf("erasing past the end: %v, want ErrRange", err)
		}
	})

	t.Run("WrongHashCountIsRefused", func(t *testing.T) {
		s := open(t)
		r := records(t, Events(1, start))
		if err := s.Append(ctx, 0, r, nil); err == nil {
			t.Fatal("an append without its hashes succeeded")
		}
		if n, _ := s.Size(ctx); n != 0 {
			t.Fatalf("the refused append changed the size to %d", n)
		}
	})
}

func newLog(t *testing.T, s audit.Store) *audit.Log {
	t.Helper()
	l, err := audit.NewLog(s)
	must(t, err)
	return l
}

func records(t *testing.T, events []result.Event) []audit.Record {
	t.Helper()
	var rnd deterministic
	out := make([]audit.Record, len(events))
	for i, e := range events {
		r, err := audit.NewRecord(e, &rnd)
		must(t, err)
		out[i] = r
	}
	return out
}

// clones copies records, their salts and payloads too.
func clones(rs []audit.Record) []audit.Record {
	out := append([]audit.Record(nil), rs...)
	for i := range out {
		out[i].Salt, out[i].Payload = bytes.Clone(out[i].Salt), bytes.Clone(out[i].Payload)
	}
	return out
}

// sameAs checks that a store holds exactly what the reference holds.
func sameAs(t *testing.T, s, ref audit.Store) {
	t.Helper()
	ctx := context.Background()
	n, err := s.Size(ctx)
	must(t, err)
	m, err := ref.Size(ctx)
	must(t, err)
	if n != m {
		t.Fatalf("size %d, want %d", n, m)
	}
	got, err := s.Records(ctx, 0, n)
	must(t, err)
	want, err := ref.Records(ctx, 0, n)
	must(t, err)
	for i := range got {
		g, w := got[i], want[i]
		if string(g.Leaf()) != string(w.Leaf()) || string(g.Salt) != string(w.Salt) || string(g.Payload) != string(w.Payload) {
			t.Fatalf("record %d differs:\n%s\nwant\n%s", i, g.Leaf(), w.Leaf())
		}
	}
	leavesAre(t, s, 0, n, want)
	leavesAre(t, s, n/3, n/2, want[n/3:n/2])
	indexes := make([]int64, tlog.StoredHashCount(n))
	for i := range indexes {
		indexes[i] = int64(i)
	}
	gh, err := s.ReadHashes(ctx, indexes)
	must(t, err)
	wh, err := ref.ReadHashes(ctx, indexes)
	must(t, err)
	for i := range gh {
		if gh[i] != wh[i] {
			t.Fatalf("stored hash %d differs", i)
		}
	}
}

// leavesAre checks that a LeafStore's leaves in [from, to) are the
// records': each leaf their Leaf, the same salt and payload, nil when
// erased. A store that is not a LeafStore passes.
func leavesAre(t *testing.T, s audit.Store, from, to int64, want []audit.Record) {
	t.Helper()
	ls, ok := s.(audit.LeafStore)
	if !ok {
		return
	}
	i := 0
	must(t, ls.Leaves(context.Background(), from, to, func(g audit.StoredRecord) error {
		if i >= len(want) {
			return fmt.Errorf("more than %d leaves in [%d, %d)", len(want), from, to)
		}
		w := &want[i]
		if string(g.Leaf) != string(w.Leaf()) || string(g.Salt) != string(w.Salt) || string(g.Payload) != string(w.Payload) ||
			(g.Salt == nil) != (w.Salt == nil) || (g.Payload == nil) != (w.Payload == nil) {
			return fmt.Errorf("leaf %d differs from its record:\n%s\nwant\n%s", from+int64(i), g.Leaf, w.Leaf())
		}
		i++
		return nil
	}))
	if i != len(want) {
		t.Fatalf("%d leaves in [%d, %d), want %d", i, from, to, len(want))
	}
	stop := errors.New("stop")
	if to > from {
		if err := ls.Leaves(context.Background(), from, to, func(audit.StoredRecord) error { return stop }); err != stop {
			t.Fatalf("Leaves returned %v, not the error its function stopped with", err)
		}
	}
}

// deterministic is a reader of predictable salts, so that two stores get
// the same records.
type deterministic struct{ n byte }

func (d *deterministic) Read(p []byte) (int, error) {
	for i := range p {
		d.n++
		p[i] = d.n
	}
	return len(p), nil
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
