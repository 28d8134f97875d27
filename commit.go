package vaststelling

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A batch is what calls decided and staged, to go into the trail in one
// append: the records, and what each changes in the projection once the
// trail has them, in the order they were staged.
type batch struct {
	at         int64 // the trail's size its calls decided on
	records    []audit.Record
	changes    []change
	deliveries int  // delivery entries among the records
	finished   bool // the trail has it, or it failed
	done       chan struct{}
	err        error
}

// A change is what one staged record, or a run of a result's records,
// does to the projection.
type change struct {
	r      *staged        // a result and its new events
	events []result.Event // r's, for the watch list
	entry  *audit.Record  // or an entry of the office's own
	report *sessionReportEntry
}

// A staged result is a result as a staged batch leaves it: calls decide on
// it until the trail has it.
type staged struct {
	r    result.Result
	b    *batch
	prev *staged // the version staged before it, if any
}

// decide runs a call's decision on the office as the trail and the
// batches staged before it leave it, stages what it changes, and waits
// until the trail has it. A decision that fails stages nothing: whatever
// it staged is taken back.
//
// Every decision is checked against the trail as it stands, the way
// optimistic concurrency does. A decision that stages records appends
// them on the condition that the trail holds what the office stood on;
// when another office appended first, the office folds what it wrote and
// the call decides again, told so by again, until its append lands. A
// decision that stages nothing (a refusal, a no-op) stands only once a
// read of the trail's size, after it, finds nothing the office has not
// folded; otherwise the office folds it and the call decides again. With
// one office on the store, an append costs the store one write and a
// refusal one read.
func (o *Office) decide(ctx context.Context, fn func(b *batch, again bool) error) error {
	again := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		o.mu.Lock()
		if err := o.follow(ctx, o.p.size); err != nil {
			o.mu.Unlock()
			return fmt.Errorf("vaststelling: %w: catching up: %w", ErrTrail, err)
		}
		if o.open == nil {
			// It goes out after the append under way, if any.
			at := o.p.size
			if o.inflight != nil {
				at += int64(len(o.inflight.records))
			}
			o.open = &batch{at: at, done: make(chan struct{})}
		}
		b, under := o.open, o.inflight
		mark := o.mark(b)
		err := fn(b, again)
		if len(b.records) > mark.records && err == nil {
			o.mu.Unlock()
			if err := o.commit(ctx, b); !errors.Is(err, errRedecide) {
				return err
			}
			again = true
			continue
		}
		if err != nil {
			o.rollback(b, mark)
		}
		o.mu.Unlock()
		switch current, cerr := o.current(ctx, under, b.at); {
		case cerr != nil:
			return fmt.Errorf("vaststelling: %w: catching up: %w", ErrTrail, cerr)
		case current:
			return err
		}
	}
}

// current reports whether a decision that kept nothing was taken on the
// trail as it stands: the append under way when it decided (under, if
// any), whose records it counted on, landed, and the trail holds no more
// than base records, what the decision stood on. Otherwise the office
// folds what the trail holds, and the call decides again.
func (o *Office) current(ctx context.Context, under *batch, base int64) (bool, error) {
	if under != nil {
		<-under.done
		if under.err != nil {
			return false, nil
		}
	}
	seen, err := o.probe.size(ctx)
	if err != nil || seen <= base {
		return err == nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.inflight != nil { // the records may be its own: let it land first
		w := o.inflight
		o.mu.Unlock()
		<-w.done
		o.mu.Lock()
	}
	return false, o.follow(ctx, seen)
}

// errRedecide fails the calls of a batch that another office's append
// overtook: they decide again on the trail as it now stands.
var errRedecide = errors.New("vaststelling: another office appended first: decide again")

// follow folds the records beyond what the office stands on, when the
// trail holds more than that (seen) and no append of its own is under way,
// or after an append failed.
func (o *Office) follow(ctx context.Context, seen int64) error {
	if o.inflight != nil || !o.stale && seen <= o.p.size {
		return nil
	}
	if err := o.catchUp(ctx); err != nil {
		return err
	}
	if b := o.open; b != nil && b.at != o.p.size {
		// Its calls decided on the trail as it stood before: they decide
		// again, rather than append where they would conflict.
		clear(o.over)
		b.finished, b.err = true, errRedecide
		close(b.done)
		o.open = nil
	}
	return nil
}

// A mark is how much of a batch was staged before a call.
type mark struct{ records, changes, deliveries int }

func (o *Office) mark(b *batch) mark { return mark{len(b.records), len(b.changes), b.deliveries} }

// rollback takes back what a failed decision staged after the mark: each
// result it staged goes back to the version staged before, if that is
// still waiting for the trail.
func (o *Office) rollback(b *batch, m mark) {
	for i := len(b.changes) - 1; i >= m.changes; i-- {
		s := b.changes[i].r
		if s == nil || o.over[s.r.ID] != s {
			continue
		}
		if s.prev != nil && !s.prev.b.finished {
			o.over[s.r.ID] = s.prev
		} else {
			delete(o.over, s.r.ID)
		}
	}
	clear(b.records[m.records:])
	clear(b.changes[m.changes:])
	b.records, b.changes, b.deliveries = b.records[:m.records], b.changes[:m.changes], m.deliveries
}

// commit waits until the trail has the batch, or says why not. The first
// waiter to find no append running leads: it takes every batch staged so
// far and appends it; the others wait for it.
func (o *Office) commit(ctx context.Context, b *batch) error {
	o.fmu.Lock()
	select {
	case <-b.done: // a leader before us took it
		o.fmu.Unlock()
		return b.err
	default:
	}
	o.mu.Lock()
	w := o.open
	o.open, o.inflight = nil, w
	o.mu.Unlock()
	// No caller's context ends another's append: the write goes on when
	// the leader's caller hangs up (the store's own time-outs bound it).
	// It is conditional on the size the calls decided on.
	err := o.log.AppendAt(context.WithoutCancel(ctx), w.at, w.records...)
	o.mu.Lock()
	switch {
	case err == nil && o.p.size == w.at:
		o.apply(w)
	case err == nil:
		// The office folded past the size meanwhile (it does not while
		// its own append is under way): it folds this batch from the
		// trail too, rather than apply it twice.
		w.finished = true
		clear(o.over)
		o.stale = true
	case errors.Is(err, audit.ErrConflict) && !errors.Is(err, audit.ErrUnknownOutcome):
		// Another office appended first: nothing of this batch was
		// written, and its calls decide again on what that office wrote.
		w.err = errRedecide
		o.fail(w)
	default:
		w.err = fmt.Errorf("vaststelling: %w: %w", ErrTrail, err)
		o.fail(w)
	}
	o.inflight = nil
	o.mu.Unlock()
	close(w.done)
	o.fmu.Unlock()
	<-b.done
	return b.err
}

// apply folds a batch the trail has into the projection.
func (o *Office) apply(w *batch) {
	for i := range w.changes {
		c := &w.changes[i]
		switch {
		case c.r != nil:
			o.p.save(o, &c.r.r, c.events)
			if o.over[c.r.r.ID] == c.r {
				delete(o.over, c.r.r.ID)
			}
		case c.entry != nil:
			if err := o.p.foldEntry(c.entry); err != nil {
				// The office wrote the entry itself a moment ago.
				o.logger.Error("vaststelling: an entry the office wrote does not read back", "err", err)
			}
		}
	}
	o.p.size += int64(len(w.records))
	w.finished = true
}

// fail forgets a batch the trail did not take, and every batch staged on
// top of it: their calls decided on what it would have changed. The next
// decision catches up with the trail first, for an append whose outcome
// was unknown may have landed after all.
func (o *Office) fail(w *batch) {
	w.finished = true
	clear(o.over)
	if o.open != nil {
		// The calls staged on top decided on what w would have changed:
		// they decide again, on the trail as it stands once caught up.
		o.open.finished = true
		o.open.err = errRedecide
		close(o.open.done)
		o.open = nil
	}
	o.stale = true
}

// stageResult stages a result's new events.
func (o *Office) stageResult(b *batch, r result.Result, events []result.Event) error {
	if len(events) == 0 {
		return nil
	}
	for _, e := range events {
		rec, err := audit.NewRecord(e, o.rand)
		if err != nil {
			return err
		}
		b.records = append(b.records, rec)
	}
	s := &staged{r: r, b: b, prev: o.over[r.ID]}
	o.over[r.ID] = s
	b.changes = append(b.changes, change{r: s, events: events})
	return nil
}

// stageEntry stages an entry of the office's own.
func (o *Office) stageEntry(b *batch, typ string, at time.Time, role timeline.Role, mandate string, v any) error {
	e, err := entry(typ, at, role, mandate, v)
	if err != nil {
		return err
	}
	rec, err := audit.NewEntry(e, o.rand)
	if err != nil {
		return err
	}
	b.records = append(b.records, rec)
	b.changes = append(b.changes, change{entry: &rec})
	if typ == EntryDelivery {
		b.deliveries++
	}
	return nil
}

// resultForDecision returns a result as the trail and the staged batches
// leave it.
func (o *Office) resultForDecision(id string) (result.Result, bool) {
	if s, ok := o.over[id]; ok {
		return s.r, true
	}
	return o.p.results.Result(id)
}

// catchUp folds the records the trail holds beyond what the office
// stands on: those of an append whose outcome was unknown, or those
// another writer appended.
func (o *Office) catchUp(ctx context.Context) error {
	size, err := o.store.Size(ctx)
	if err != nil {
		return err
	}
	switch {
	case size < o.p.size:
		return fmt.Errorf("vaststelling: %w: the trail holds %d records, the office stood on %d", audit.ErrCorrupt, size, o.p.size)
	case size > o.p.size:
		if err := o.p.fold(ctx, o, o.store, size); err != nil {
			return err
		}
	}
	o.stale = false
	return nil
}
