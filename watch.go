package vaststelling

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
)

// stripes serialises the work on one result without a lock a result: a
// result's id picks one of a fixed number of mutexes. Two results may
// share one and wait for each other briefly; one result never runs twice.
type stripes struct {
	seed maphash.Seed
	mu   [64]sync.Mutex
}

func newStripes() stripes { return stripes{seed: maphash.MakeSeed()} }

// lock locks the id's stripe and returns its unlock.
func (s *stripes) lock(id string) func() {
	m := &s.mu[maphash.String(s.seed, id)%uint64(len(s.mu))]
	m.Lock()
	return m.Unlock
}

// A watchlist is what the daily run has to look at, kept up to date as
// results change, so that a run costs what is due that day rather than a
// walk over every result of the year. Only pending results (provisional
// or on hold) are on it.
type watchlist struct {
	unsent  map[string]bool            // registered results whose student has no message yet
	sent    map[string]time.Time       // pending result → the registration its message was for
	due     map[calendar.Date][]string // pending results by the day their determination is due
	overdue map[string]bool            // due on an earlier run and not determined then
	broken  map[string]string          // pending results without a timeline, and why
}

func newWatchlist() watchlist {
	return watchlist{unsent: map[string]bool{}, sent: map[string]time.Time{}, due: map[calendar.Date][]string{},
		overdue: map[string]bool{}, broken: map[string]string{}}
}

func pending(s result.State) bool { return s == result.Provisional || s == result.OnHold }

// track updates the watch list after a result changed. The due lists may
// keep an entry a later change made stale; the daily run checks each
// entry against the result as it stands.
func (o *Office) track(r *result.Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	w, id := &o.watch, r.ID
	if !pending(r.State) {
		delete(w.unsent, id)
		delete(w.sent, id)
		delete(w.overdue, id)
		delete(w.broken, id)
		return
	}
	tl, err := o.Timeline(r)
	if err != nil {
		w.broken[id] = err.Error()
		delete(w.unsent, id)
		return
	}
	delete(w.broken, id)
	if sent, ok := w.sent[id]; !ok || !sent.Equal(r.Registered) {
		w.unsent[id] = true
	}
	w.due[tl.DeterminationDue] = append(w.due[tl.DeterminationDue], id)
}
