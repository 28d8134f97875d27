package audit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
	"github.com/krs-oke/vaststelling/result"
)

var (
	errDropped = errors.New("connection reset by peer")
	errDown    = errors.New("connection refused")
)

// faulty is a MemoryStore whose appends fail as a test says: onAppend runs
// in place of each append, with the store underneath to write to.
type faulty struct {
	*audit.MemoryStore
	mu       sync.Mutex
	onAppend func(call int, inner func() error) error
	calls    int
	writes   atomic.Int64 // appends that reached the store underneath
	sizeErr  error        // when set, Size fails with it
	readErr  error        // when set, Records fails with it
}

func newFaulty(onAppend func(call int, inner func() error) error) *faulty {
	return &faulty{MemoryStore: &audit.MemoryStore{}, onAppend: onAppend}
}

func (f *faulty) Append(ctx context.Context, size int64, r []audit.Record, h []tlog.Hash) error {
	f.mu.Lock()
	f.calls++
	call := f.calls
	f.mu.Unlock()
	inner := func() error {
		err := f.MemoryStore.Append(ctx, size, r, h)
		if err == nil {
			f.writes.Add(1)
		}
		return err
	}
	if f.onAppend == nil {
		return inner()
	}
	return f.onAppend(call, inner)
}

func (f *faulty) Size(ctx context.Context) (int64, error) {
	f.mu.Lock()
	err := f.sizeErr
	f.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return f.MemoryStore.Size(ctx)
}

func (f *faulty) Records(ctx context.Context, from, to int64) ([]audit.Record, error) {
	f.mu.Lock()
	err := f.readErr
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.MemoryStore.Records(ctx, from, to)
}

func (f *faulty) set(sizeErr, readErr error) {
	f.mu.Lock()
	f.sizeErr, f.readErr = sizeErr, readErr
	f.mu.Unlock()
}

// eventsOf returns n events of results named after who, so that two
// writers' events differ.
func eventsOf(who string, n int) []result.Event {
	events := storetest.Events(n, start)
	for i := range events {
		events[i].Result = who + "-" + events[i].Result
		if events[i].Record != nil {
			events[i].Record.ID = events[i].Result
		}
	}
	return events
}

// results returns the result of each record in the store, in order.
func results(t *testing.T, s audit.Store) []string {
	t.Helper()
	n, err := s.Size(ctx)
	require.NoError(t, err)
	rs, err := s.Records(ctx, 0, n)
	require.NoError(t, err)
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%s#%d", r.Result, r.Seq)
	}
	return out
}

// An append the store committed before its error is a success, once.
func TestAmbiguousAppendThatLanded(t *testing.T) {
	s := newFaulty(func(call int, inner func() error) error {
		if err := inner(); err != nil || call > 1 {
			return err
		}
		return errDropped // committed, then the reply was lost
	})
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	first, err := l.AppendEvents(ctx, eventsOf("a", 3)...)
	require.NoError(t, err)
	assert.Equal(t, int64(0), first)
	first, err = l.AppendEvents(ctx, eventsOf("b", 3)...)
	require.NoError(t, err)
	assert.Equal(t, int64(3), first)
	assert.Equal(t, int64(2), s.writes.Load(), "an append written twice")
	assert.Equal(t, []string{"a-assoc-000000#1", "a-assoc-000000#2", "a-assoc-000000#3",
		"b-assoc-000000#1", "b-assoc-000000#2", "b-assoc-000000#3"}, results(t, s))
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)
}

// Another writer appending after ours landed, before the log reads the
// store back, does not hide ours.
func TestAmbiguousAppendThatLandedBeforeAnother(t *testing.T) {
	var other *audit.Log
	s := newFaulty(nil)
	s.onAppend = func(call int, inner func() error) error {
		if err := inner(); err != nil || call > 1 {
			return err
		}
		_, err := other.AppendEvents(ctx, eventsOf("other", 2)...)
		require.NoError(t, err)
		return errDropped
	}
	var err error
	other, err = audit.NewLog(s.MemoryStore)
	require.NoError(t, err)
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	first, err := l.AppendEvents(ctx, eventsOf("mine", 3)...)
	require.NoError(t, err)
	assert.Equal(t, int64(0), first)
	assert.Equal(t, []string{"mine-assoc-000000#1", "mine-assoc-000000#2", "mine-assoc-000000#3",
		"other-assoc-000000#1", "other-assoc-000000#2"}, results(t, s))
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)
}

// An append that failed without writing returns its error, which does not
// claim the outcome is unknown: it may be tried again, and then lands once.
func TestFailedAppendThatDidNotLand(t *testing.T) {
	s := newFaulty(func(call int, inner func() error) error {
		if call == 1 {
			return errDropped
		}
		return inner()
	})
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	events := eventsOf("a", 3)
	_, err = l.AppendEvents(ctx, events...)
	require.ErrorIs(t, err, errDropped)
	assert.NotErrorIs(t, err, audit.ErrUnknownOutcome)
	n, err := s.Size(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(0), n)

	first, err := l.AppendEvents(ctx, events...)
	require.NoError(t, err)
	assert.Equal(t, int64(0), first)
	assert.Equal(t, []string{"a-assoc-000000#1", "a-assoc-000000#2", "a-assoc-000000#3"}, results(t, s))
}

// An append that failed while another writer's records of the same count
// landed at its size is a failure, not a success: the log compares the
// records, not the size alone.
func TestFailedAppendWhileAnotherLanded(t *testing.T) {
	var other *audit.Log
	s := newFaulty(nil)
	s.onAppend = func(call int, inner func() error) error {
		if call > 1 {
			return inner()
		}
		_, err := other.AppendEvents(ctx, eventsOf("other", 3)...)
		require.NoError(t, err)
		return errDropped
	}
	var err error
	other, err = audit.NewLog(s.MemoryStore)
	require.NoError(t, err)
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	_, err = l.AppendEvents(ctx, eventsOf("mine", 3)...)
	require.ErrorIs(t, err, errDropped)
	assert.NotErrorIs(t, err, audit.ErrUnknownOutcome)
	assert.Equal(t, []string{"other-assoc-000000#1", "other-assoc-000000#2", "other-assoc-000000#3"}, results(t, s))
}

// When the store cannot be read back, the outcome is unknown, and the
// error says so and why.
func TestAmbiguousAppendUnreadable(t *testing.T) {
	errRead := errors.New("read: connection refused")
	for _, tc := range []struct {
		name             string
		commit           bool
		sizeErr, readErr error
	}{
		{"committed, size unreadable", true, errDown, nil},
		{"not committed, size unreadable", false, errDown, nil},
		{"committed, records unreadable", true, nil, errRead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s *faulty
			s = newFaulty(func(call int, inner func() error) error {
				if tc.commit {
					require.NoError(t, inner())
				}
				s.set(tc.sizeErr, tc.readErr) // the server went away
				return errDropped
			})
			l, err := audit.NewLog(s)
			require.NoError(t, err)
			_, err = l.AppendEvents(ctx, eventsOf("a", 3)...)
			require.ErrorIs(t, err, audit.ErrUnknownOutcome)
			assert.ErrorIs(t, err, errDropped)
			if tc.sizeErr != nil {
				assert.ErrorIs(t, err, tc.sizeErr)
			} else {
				assert.ErrorIs(t, err, tc.readErr)
			}
			t.Log(err)
			s.set(nil, nil)
			want := int64(0)
			if tc.commit {
				want = 3
			}
			n, err := s.Size(ctx)
			require.NoError(t, err)
			assert.Equal(t, want, n)
		})
	}
}

// A store that says it cannot tell whether its append may still land is
// believed when the log did not grow (yet).
func TestStoreReportsUnknownOutcome(t *testing.T) {
	s := newFaulty(func(call int, inner func() error) error {
		return fmt.Errorf("commit lost, server unreachable: %w", audit.ErrUnknownOutcome)
	})
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	_, err = l.AppendEvents(ctx, eventsOf("a", 3)...)
	require.ErrorIs(t, err, audit.ErrUnknownOutcome)

	// When it landed after all, the log finds it.
	s.onAppend = func(call int, inner func() error) error {
		require.NoError(t, inner())
		return fmt.Errorf("commit lost, server unreachable: %w", audit.ErrUnknownOutcome)
	}
	first, err := l.AppendEvents(ctx, eventsOf("b", 3)...)
	require.NoError(t, err)
	assert.Equal(t, int64(0), first)
}

// A conflict, then an append that lands but reports an error: the log's
// retry after the conflict is the only write, and the append succeeds once.
func TestConflictThenAmbiguous(t *testing.T) {
	var other *audit.Log
	s := newFaulty(nil)
	s.onAppend = func(call int, inner func() error) error {
		switch call {
		case 1: // another writer came first
			_, err := other.AppendEvents(ctx, eventsOf("other", 2)...)
			require.NoError(t, err)
			return inner() // the conflict
		case 2:
			require.NoError(t, inner())
			return errDropped
		}
		return inner()
	}
	var err error
	other, err = audit.NewLog(s.MemoryStore)
	require.NoError(t, err)
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	first, err := l.AppendEvents(ctx, eventsOf("mine", 3)...)
	require.NoError(t, err)
	assert.Equal(t, int64(2), first)
	assert.Equal(t, int64(1), s.writes.Load())
	assert.Equal(t, []string{"other-assoc-000000#1", "other-assoc-000000#2",
		"mine-assoc-000000#1", "mine-assoc-000000#2", "mine-assoc-000000#3"}, results(t, s))
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)
}

// Every append of a group commit that lands and reports an error succeeds,
// each once and at its own place.
func TestGroupCommitAmbiguous(t *testing.T) {
	s := newFaulty(func(call int, inner func() error) error {
		if err := inner(); err != nil {
			return err
		}
		return errDropped
	})
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	const writers, each = 12, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			events := eventsOf(fmt.Sprintf("w%02d", w), each)
			for i := range events {
				if _, err := l.AppendEvents(ctx, events[i]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	got := results(t, s)
	require.Len(t, got, writers*each)
	seen := map[string]bool{}
	for _, r := range got {
		require.False(t, seen[r], "%s twice", r)
		seen[r] = true
	}
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)
}

// gated holds the store's first appends until the test lets them go; an
// append held when its context ends returns the context's error, as a
// database driver does.
type gated struct {
	*audit.MemoryStore
	hold    int64 // how many appends to hold
	calls   atomic.Int64
	entered chan struct{}
	release chan struct{}
}

func newGated(hold int64) *gated {
	return &gated{MemoryStore: &audit.MemoryStore{}, hold: hold, entered: make(chan struct{}), release: make(chan struct{})}
}

func (g *gated) Append(ctx context.Context, size int64, r []audit.Record, h []tlog.Hash) error {
	if g.calls.Add(1) <= g.hold {
		g.entered <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return g.MemoryStore.Append(ctx, size, r, h)
}

// waitQueued waits until n appends wait for the log's next batch.
func waitQueued(t *testing.T, l *audit.Log, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for audit.QueuedAppends(l) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d appends queued, want %d", audit.QueuedAppends(l), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// appendAll starts one append of an event per writer, each with its own
// context, and returns a function that waits for their errors.
func appendAll(l *audit.Log, who string, ctxs []context.Context) func() []error {
	errs := make([]error, len(ctxs))
	var wg sync.WaitGroup
	for i, c := range ctxs {
		wg.Go(func() {
			_, errs[i] = l.AppendEvents(c, eventsOf(fmt.Sprintf("%s%03d", who, i), 1)...)
		})
	}
	return func() []error { wg.Wait(); return errs }
}

// An append whose context is done before it is queued writes nothing.
func TestAppendWithDoneContext(t *testing.T) {
	l, s := filled(t, 0)
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := l.AppendEvents(c, eventsOf("a", 3)...)
	require.ErrorIs(t, err, context.Canceled)
	n, err := s.Size(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(0), n)
}

// One of 200 queued appends whose context is cancelled before its batch
// goes out withdraws; the 199 others, and the append being written, all
// land.
func TestGroupCommitOneCancelledWhileQueued(t *testing.T) {
	g := newGated(1)
	l, err := audit.NewLog(g)
	require.NoError(t, err)
	lead := appendAll(l, "lead", []context.Context{ctx})
	<-g.entered // the leader's batch is being written

	const n = 200
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		ctxs[i] = ctx
	}
	short, cancel := context.WithCancel(ctx)
	ctxs[n/2] = short
	wait := appendAll(l, "w", ctxs)
	waitQueued(t, l, n)
	cancel()
	waitQueued(t, l, n-1)
	close(g.release)
	require.NoError(t, lead()[0])
	for i, err := range wait() {
		if i == n/2 {
			require.ErrorIs(t, err, context.Canceled)
			continue
		}
		require.NoError(t, err, "append %d", i)
	}
	got := results(t, g)
	require.Len(t, got, n)
	assert.NotContains(t, got, fmt.Sprintf("w%03d-assoc-000000#1", n/2))
	_, err = audit.Verify(ctx, g, nil)
	require.NoError(t, err)
}

// A caller whose context ends while its batch is being written waits for
// the batch, which is written: the others in it are not failed.
func TestGroupCommitOneCancelledWhileWritten(t *testing.T) {
	g := newGated(2)
	l, err := audit.NewLog(g)
	require.NoError(t, err)
	lead := appendAll(l, "lead", []context.Context{ctx})
	<-g.entered

	const n = 200
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		ctxs[i] = ctx
	}
	short, cancel := context.WithCancel(ctx)
	ctxs[n/2] = short
	wait := appendAll(l, "w", ctxs)
	waitQueued(t, l, n)
	g.release <- struct{}{} // the leader's batch is written
	<-g.entered             // the 200 are being written
	cancel()
	close(g.release)
	require.NoError(t, lead()[0])
	for i, err := range wait() {
		require.NoError(t, err, "append %d", i)
	}
	require.Len(t, results(t, g), n+1)
	_, err = audit.Verify(ctx, g, nil)
	require.NoError(t, err)
}

// The leader's context ending while its own batch is written fails the
// leader's append alone (no one else waits for that batch); the appends
// queued behind it are written under a context it no longer cancels.
// (Before, the leader's cancelled context failed all of them.)
func TestGroupCommitLeaderCancelled(t *testing.T) {
	g := newGated(1)
	l, err := audit.NewLog(g)
	require.NoError(t, err)
	short, cancel := context.WithCancel(ctx)
	lead := appendAll(l, "lead", []context.Context{short})
	<-g.entered

	const n = 200
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		c, cancel := context.WithTimeout(ctx, time.Minute) // cancellable, not cancelled
		defer cancel()
		ctxs[i] = c
	}
	wait := appendAll(l, "w", ctxs)
	waitQueued(t, l, n)
	cancel() // the only caller of the batch being written gives up: the write is cancelled
	err = lead()[0]
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, audit.ErrUnknownOutcome, "the log did not grow: it was not written")
	for i, err := range wait() {
		require.NoError(t, err, "append %d", i)
	}
	got := results(t, g)
	require.Len(t, got, n)
	assert.NotContains(t, got, "lead000-assoc-000000#1")
	_, err = audit.Verify(ctx, g, nil)
	require.NoError(t, err)
}
