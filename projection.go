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
	notices    map[string][]notice  // result → the notices due for it, in the order of its events
	toldLate   map[string]time.Time // result → the registration its student was told of only after the window named
	lastRun    calendar.Date
	lease      runEntry // the daily run an office holds, if any
	watch      watchlist
	erased     map[string]bool      // results with an erased record: they fold no further
	samples    map[uint64][]string  // a sample's seed → the results it picked
	findings   map[uint64][]Finding // a sample's seed → the committee's findings
	successors map[string]string    // an annulled or corrected result → the result that replaces it
}

func newProjection() projection {
	return projection{results: oke.NewResultStore(), reports: map[string][]string{},
		set: &result.MandateSet{}, notices: map[string][]notice{}, toldLate: map[string]time.Time{}, samples: map[uint64][]string{},
		findings: map[uint64][]Finding{}, successors: map[string]string{}, watch: newWatchlist(), erased: map[string]bool{}}
}

// save keeps a result after its new events, and follows it up: the
// notices its events make due, its place on the watch list.
func (p *projection) save(o *Office, r *result.Result, events []result.Event) {
	_ = p.results.Save(*r, nil) // the in-memory store does not fail
	for i := range events {
		if n, ok := noticeOf(r, &events[i]); ok {
			p.addNotice(n)
		}
		if events[i].Type == result.EventReceived && r.Supersedes != "" {
			p.successors[r.Supersedes] = r.ID
		}
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
		p.foldNotice(&e, rec.Type == EntryNoticeSent)
	case audit.SampleDrawn:
		s, _, err := audit.ReadSample(*rec)
		if err != nil {
			return err
		}
		for _, id := range s.Picked() {
			if !slices.Contains(p.samples[s.Spec.Seed], id) {
				p.samples[s.Spec.Seed] = append(p.samples[s.Spec.Seed], id)
			}
		}
	case EntrySampleFindings:
		var e findingsEntry
		if err := readEntry(rec, &e); err != nil {
			return err
		}
		p.findings[e.Seed] = append(p.findings[e.Seed], e.Findings...)
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
