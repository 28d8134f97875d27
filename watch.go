package vaststelling

import (
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A watchlist is what the daily run has to look at, kept up to date as
// results change, so that a run costs what is due that day rather than a
// walk over every result of the year. Only pending results (provisional
// or on hold) are on it. What is due is kept in lists, not sets: a
// million results pass through in a year, and a set's churn cost more
// than the run's other work (BenchmarkInstitutionYear); the run checks
// each entry against the result as it stands, so a stale one costs a
// lookup. What waits for its message is one day's registrations.
type watchlist struct {
	unsent  map[string]unsent          // results registered since the last messages went out
	due     map[calendar.Date][]string // pending results by the day their determination is due
	overdue []string                   // due on an earlier run and not determined then
	broken  map[string]string          // pending results without a timeline, and why
}

// An unsent message is what a student message needs of its result, as
// it stood at its last change.
type unsent struct {
	student    string
	registered time.Time
	timeline   timeline.Timeline
}

func newWatchlist() watchlist {
	return watchlist{unsent: map[string]unsent{}, due: map[calendar.Date][]string{}, broken: map[string]string{}}
}

func pending(s result.State) bool { return s == result.Provisional || s == result.OnHold }

// registers reports whether an event registers its result anew, so that
// the student is told (see result.Result.Apply): its registration, or a
// complaint upheld with a corrected grade, whose terms run afresh.
func registers(e *result.Event) bool {
	return e.Type == result.EventRegistered || e.Type == result.EventComplaintDecided && !e.Grade.IsZero()
}

// track puts a result on the watch list after the events changed it.
func (o *Office) track(r *result.Result, events []result.Event) {
	registered := false
	for i := range events {
		registered = registered || registers(&events[i])
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	w, id := &o.watch, r.ID
	if len(w.broken) > 0 {
		delete(w.broken, id)
	}
	_, waiting := w.unsent[id] // registered since the last run, and changed again
	if !pending(r.State) {
		if waiting {
			delete(w.unsent, id)
		}
		return
	}
	tl, err := o.Timeline(r)
	if err != nil {
		w.broken[id] = err.Error()
		if waiting {
			delete(w.unsent, id)
		}
		return
	}
	if registered || waiting {
		w.unsent[id] = unsent{student: r.Student, registered: r.Registered, timeline: tl}
	}
	// The id by itself: as part of the result's other text it would keep
	// all of that until the determination.
	w.due[tl.DeterminationDue] = append(w.due[tl.DeterminationDue], strings.Clone(id))
}
