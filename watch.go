package vaststelling

import (
	"strings"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
)

// A watchlist is what the daily run has to look at, kept up to date as
// results change, so that a run costs what is due that day rather than a
// walk over every result of the year. Only pending results (provisional
// or on hold) are on it. What is due is kept in lists, not sets: a
// million results pass through in a year, and a set's churn cost more
// than the run's other work (BenchmarkInstitutionYear); the run checks
// each entry against the result as it stands, so a stale one costs a
// lookup. It follows from the results alone: folding the trail builds it
// again.
type watchlist struct {
	due    map[calendar.Date][]string // pending results by the day their determination is due
	broken map[string]string          // pending results without a timeline, and why
}

func newWatchlist() watchlist {
	return watchlist{due: map[calendar.Date][]string{}, broken: map[string]string{}}
}

func pending(s result.State) bool { return s == result.Provisional || s == result.OnHold }

// track puts a result on the watch list after events changed it.
func (w *watchlist) track(o *Office, r *result.Result) {
	id := r.ID
	if len(w.broken) > 0 {
		delete(w.broken, id)
	}
	if !pending(r.State) {
		return
	}
	tl, err := o.Timeline(r)
	if err != nil {
		w.broken[id] = err.Error()
		return
	}
	// The id by itself: as part of the result's other text it would keep
	// all of that until the determination.
	w.due[tl.DeterminationDue] = append(w.due[tl.DeterminationDue], strings.Clone(id))
}
