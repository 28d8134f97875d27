package vaststelling

import (
	"context"
	"fmt"
	"sync"

	"github.com/krs-oke/vaststelling/audit"
)

// A sizeProbe reads the trail's size for the calls about to decide, once
// for as many of them as arrive while a read is under way: each call
// needs a size read after it arrived (so that it sees every append that
// ended before it), and a read that started later serves all who wait.
// With one office on a store no other writes, it costs a call one cheap
// read; with several offices on one database, one round trip per group
// of calls.
type sizeProbe struct {
	store audit.Store

	mu   sync.Mutex
	busy bool   // a read is under way
	next *probe // the read that starts once it ends, for those who came since
}

// A probe is one read of the size, and its answer.
type probe struct {
	done chan struct{}
	size int64
	err  error
}

// size returns the trail's size, read after the call.
func (s *sizeProbe) size(ctx context.Context) (int64, error) {
	s.mu.Lock()
	if !s.busy {
		s.busy = true
		s.mu.Unlock()
		p := &probe{done: make(chan struct{})}
		s.run(ctx, p)
		return p.size, p.err
	}
	if s.next == nil {
		s.next = &probe{done: make(chan struct{})}
	}
	p := s.next
	s.mu.Unlock()
	select {
	case <-p.done:
		if p.err != nil && ctx.Err() == nil {
			// The reader's context may have ended, not ours: read again.
			return s.store.Size(ctx)
		}
		return p.size, p.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// run reads the size for p, then hands the read for those who came
// meanwhile to a goroutine of its own, so that no caller waits for reads
// it does not need.
func (s *sizeProbe) run(ctx context.Context, p *probe) {
	p.size, p.err = s.store.Size(ctx)
	close(p.done)
	s.mu.Lock()
	next := s.next
	s.next = nil
	s.busy = next != nil
	s.mu.Unlock()
	if next != nil {
		go s.run(context.WithoutCancel(ctx), next)
	}
}

// Sync catches the office up with the trail: it folds what other offices
// (other servers on the same database) appended since it last looked.
// Every decision does this first, so a command works on any server,
// whichever took the delivery; the reading methods (Result, Results,
// Monitor, …) answer from what the office has folded, and Sync brings
// them up to date.
func (o *Office) Sync(ctx context.Context) error {
	seen, err := o.probe.size(ctx)
	if err != nil {
		return fmt.Errorf("vaststelling: %w: catching up: %w", ErrTrail, err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for seen > o.p.size && o.inflight != nil {
		w := o.inflight
		o.mu.Unlock()
		<-w.done
		o.mu.Lock()
	}
	if err := o.follow(ctx, seen); err != nil {
		return fmt.Errorf("vaststelling: %w: catching up: %w", ErrTrail, err)
	}
	return nil
}
