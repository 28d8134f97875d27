package vaststelling

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

// The projection is what the office knows from the trail's first size
// records: every result, the deliveries counted, the session reports,
// the mandates, the notices due and the last daily run, and the watch
// list the daily run works from. Everything in it follows from the
// trail; folding the same records gives the same projection, whether
// the office appended them itself or reads them when it opens.
type projection struct {
	size       int64
	results    *oke.MemoryStore
	deliveries int
	reports    map[string][]string // offering → irregularities of its reports
	mandates   []result.Mandate    // in the order first granted
	set        *result.MandateSet
	notices    map[string]notice // result → the notice due for it
	lastRun    calendar.Date
	lease      runEntry // the daily run an office holds, if any
	watch      watchlist
	erased     map[string]bool // results with an erased record: they fold no further
}

// A notice is due for a result registered at a moment; the failure
// says why it could not be sent the last time it was tried, if it was.
type notice struct {
	Registered time.Time `json:"registered"`
	Failure    string    `json:"failure,omitempty"`
}

func newProjection() projection {
	return projection{results: oke.NewResultStore(), reports: map[string][]string{},
		set: &result.MandateSet{}, notices: map[string]notice{}, watch: newWatchlist(), erased: map[string]bool{}}
}

// save keeps a result after its new events, and follows it up: the
// notice due when it was registered anew, its place on the watch list.
func (p *projection) save(o *Office, r *result.Result, events []result.Event) {
	_ = p.results.Save(*r, nil) // the in-memory store does not fail
	registered := false
	for i := range events {
		registered = registered || registers(&events[i])
	}
	switch n, due := p.notices[r.ID]; {
	case !pending(r.State):
		if due {
			delete(p.notices, r.ID)
		}
	case registered:
		p.notices[r.ID] = notice{Registered: r.Registered}
	case due && !n.Registered.Equal(r.Registered):
		p.notices[r.ID] = notice{Registered: r.Registered}
	}
	p.watch.track(o, r)
}

// foldEntry folds an entry of the office's own.
func (p *projection) foldEntry(rec *audit.Record) error {
	switch rec.Type {
	case EntryDelivery:
		// The count is all the office needs: the delivery itself stays in
		// the trail (Office.Deliveries reads it there).
		p.deliveries++
	case EntrySessionReport:
		var e sessionReportEntry
		if err := readEntry(rec, &e); err != nil {
			return err
		}
		p.reports[e.Offering] = append(p.reports[e.Offering], e.Irregularities)
	case EntryMandateGranted, EntryMandateRevoked:
		var e mandateEntry
		if err := readEntry(rec, &e); err != nil {
			return err
		}
		return p.foldMandate(e.Mandate)
	case EntryNoticeSent, EntryNoticeFailed:
		var e noticeEntry
		if err := readEntry(rec, &e); err != nil {
			return err
		}
		n, due := p.notices[e.Result]
		if !due || !n.Registered.Equal(e.Registered) {
			return nil // a notice for an earlier registration
		}
		if rec.Type == EntryNoticeSent {
			delete(p.notices, e.Result)
		} else {
			p.notices[e.Result] = notice{Registered: n.Registered, Failure: e.Problem}
		}
	case EntryRunEnded:
		var e runEntry
		if err := readEntry(rec, &e); err != nil {
			return err
		}
		if p.lease.Server == e.Server {
			p.lease = runEntry{}
		}
	case EntryDailyRun:
		var e dailyRunEntry
		if err := readEntry(rec, &e); err != nil {
			return err
		}
		if e.Day.After(p.lastRun) {
			p.lastRun = e.Day
		}
		if e.Server != "" {
			p.lease = runEntry{Server: e.Server, Day: e.Day, Until: e.Until}
		}
	}
	return nil
}

// foldMandate puts a mandate as granted, changed or revoked in force.
func (p *projection) foldMandate(m result.Mandate) error {
	ms := slices.Clone(p.mandates)
	if i := slices.IndexFunc(ms, func(x result.Mandate) bool { return x.ID == m.ID }); i >= 0 {
		ms[i] = m
	} else {
		ms = append(ms, m)
	}
	set, err := result.NewMandateSet(ms...)
	if err != nil {
		return err
	}
	p.mandates, p.set = ms, set
	return nil
}

// fold folds the trail's records from the projection's size up to size,
// the results' events in the calendar's zone.
func (p *projection) fold(ctx context.Context, o *Office, store audit.Store, size int64) error {
	loc := o.cfg.Calendar.Location()
	const chunk = 4096
	for p.size < size {
		records, err := store.Records(ctx, p.size, min(p.size+chunk, size))
		if err != nil {
			return err
		}
		if len(records) == 0 {
			return fmt.Errorf("vaststelling: %w: no records at %d", audit.ErrCorrupt, p.size)
		}
		for i := 0; i < len(records); {
			rec := &records[i]
			if rec.Result != "" && (rec.Erased() || p.erased[rec.Result]) {
				p.erased[rec.Result] = true
				i++
				p.size++
				continue
			}
			if rec.Result == "" {
				// An erased entry counts, if it is a delivery, and
				// changes nothing else.
				if err := p.foldEntry(rec); err != nil && !errors.Is(err, audit.ErrErased) {
					return err
				}
				i++
				p.size++
				continue
			}
			// A run of one result's records folds into it at once.
			r, _ := p.results.Result(rec.Result)
			var events []result.Event
			j := i
			// A result with an erased record (AVG) stays as the records
			// before it left it.
			for ; j < len(records) && records[j].Result == rec.Result && !records[j].Erased(); j++ {
				e, err := records[j].EventIn(loc)
				if err == nil {
					err = r.Apply(e)
				}
				if err != nil {
					return fmt.Errorf("vaststelling: the trail's record %d: %w", records[j].Index, err)
				}
				events = append(events, e)
			}
			p.save(o, &r, events)
			p.size += int64(j - i)
			i = j
		}
	}
	return nil
}
