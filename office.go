package vaststelling

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/stripe"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// A Config wires an Office. Calendar, Policies, Directory, Mandates, Log
// and Standing are required; Notifier defaults to a new Outbox.
type Config struct {
	Calendar  *calendar.Calendar
	Policies  *timeline.PolicySet
	Directory oke.Directory
	Mandates  *result.MandateSet
	// Log is the audit trail every event goes into.
	Log *audit.Log
	// Notifier sends the student messages; an Outbox keeps them in memory.
	Notifier Notifier
	// Settings are the institution's details in student messages.
	Settings timeline.Settings
	// Standing is the exam administration's actor under whose standing
	// mandate the daily run determines the results that are due.
	Standing result.Actor
	// HoldForCheck keeps delivered results received until the exam
	// administration registers them (see oke.Intake).
	HoldForCheck bool
	// From and Mailbox, when set, make every notice a ready e-mail (RFC
	// 5322, Dutch and English) with the student's deadlines as an iCalendar
	// file: From is the sender's address, Mailbox gives a student's.
	From    string
	Mailbox func(student string) (string, error)
	// Deliveries keeps every delivery with its receipt. By default the
	// office keeps them in memory (Office.Deliveries); a year of an
	// institution's messages runs to gigabytes, so at that scale keep them
	// elsewhere, for instance in a file with an oke.JSONLog. Deliveries
	// then returns nothing.
	Deliveries oke.DeliveryLog
}

// ErrConfig: an Office's configuration lacks what it needs.
var ErrConfig = errors.New("invalid office configuration")

// ErrTrail: the audit trail refused events of a delivery or a session
// report that the office had already taken in. The office then holds a
// result the trail does not account for, so it refuses all further work
// (every call returns an error matching ErrTrail) until it is set up
// again once the trail works. Commands and daily runs never get here:
// they change a result only after its events are in the trail.
var ErrTrail = errors.New("the audit trail refused events; the office has stopped")

// An Office runs the whole procedure for one institution: it takes OKE
// deliveries and actors' commands, keeps every event in the audit trail,
// runs the daily determination under the standing mandate, sends the
// student messages, and watches the terms. It reads no clock: every call
// takes the moment.
//
// It is safe for concurrent use. Deliveries and commands on different
// results run side by side, so that their appends to the trail are
// committed together (audit.Log's group commit: one sync for many);
// the work on one result is taken one call at a time. Batches, session
// reports, samples and daily runs have the office to themselves.
type Office struct {
	cfg    Config
	store  *oke.MemoryStore
	intake *oke.Intake

	gate  sync.RWMutex // shared by single deliveries and commands; held alone by the rest
	locks stripe.Locks // one result's work at a time

	batchEvents    []result.Event  // DeliverBatch's, under the gate
	determinations []determination // DailyRun's, under the gate
	dayEvents      []result.Event

	mu      sync.Mutex // guards watch and stopped
	watch   watchlist
	stopped error
}

// New returns the office the configuration wires, or what it lacks.
func New(cfg Config) (*Office, error) {
	var missing []string
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{"Calendar", cfg.Calendar != nil}, {"Policies", cfg.Policies != nil}, {"Directory", cfg.Directory != nil},
		{"Mandates", cfg.Mandates != nil}, {"Log", cfg.Log != nil}, {"Standing", cfg.Standing.ID != ""},
	} {
		if !f.ok {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("vaststelling: %w: %v required", ErrConfig, missing)
	}
	if err := cfg.Settings.Validate(); err != nil {
		return nil, fmt.Errorf("vaststelling: %w: %w", ErrConfig, err)
	}
	if cfg.Notifier == nil {
		cfg.Notifier = &Outbox{}
	}
	o := &Office{cfg: cfg, store: oke.NewResultStore(), // the events are kept in the audit trail, once
		watch: newWatchlist()}
	o.intake = &oke.Intake{Directory: cfg.Directory, Calendar: cfg.Calendar, Policies: cfg.Policies,
		Store: intakeStore{o}, HoldForCheck: cfg.HoldForCheck}
	return o, nil
}

// intakeStore is the intake's store: the office's results, the deliveries
// in the configured log, if any, and the watch list kept up to date with
// each result the intake saves, so that it need not be looked up again.
type intakeStore struct{ o *Office }

func (s intakeStore) Result(id string) (result.Result, bool) { return s.o.store.Result(id) }
func (s intakeStore) Related(original string) []string       { return s.o.store.Related(original) }
func (s intakeStore) Session(offering string) []string       { return s.o.store.Session(offering) }

func (s intakeStore) Save(r result.Result, events []result.Event) error {
	if err := s.o.store.Save(r, events); err != nil {
		return err
	}
	// On the watch list at once: should the trail refuse the events, the
	// office stops (ErrTrail) and the list no longer matters.
	s.o.track(&r, events)
	return nil
}

func (s intakeStore) Keep(d oke.Delivery, r oke.Receipt) (int, error) {
	if s.o.cfg.Deliveries != nil {
		return s.o.cfg.Deliveries.Keep(d, r)
	}
	return s.o.store.Keep(d, r)
}

// Deliver takes one OKE flow-5 delivery in at the moment now (see
// oke.Intake), and keeps its events in the trail.
func (o *Office) Deliver(ctx context.Context, d oke.Delivery, now time.Time) (oke.Receipt, error) {
	o.gate.RLock()
	defer o.gate.RUnlock()
	if err := o.halted(); err != nil {
		return oke.Receipt{}, err
	}
	defer o.locks.Lock(d.AssociationID).Unlock()
	rc, err := o.intake.Deliver(d, now)
	if err != nil {
		return rc, err
	}
	return rc, o.keep(ctx, rc.Events)
}

// DeliverBatch takes deliveries in, in order, at the moment now, as Deliver
// would one by one, and keeps all their events in the trail in one append:
// for a durable trail, one sync for the batch instead of one a message.
// The report counts the outcomes and holds every receipt.
func (o *Office) DeliverBatch(ctx context.Context, deliveries []oke.Delivery, now time.Time) (oke.Report, error) {
	o.gate.Lock()
	defer o.gate.Unlock()
	rep := oke.Report{Counts: map[oke.Outcome]int{}}
	if err := o.halted(); err != nil {
		return rep, err
	}
	rep.Receipts = make([]oke.Receipt, 0, len(deliveries))
	// The batch's events, reused from batch to batch: the trail keeps
	// none of them.
	events := o.batchEvents[:0]
	defer func() { clear(events); o.batchEvents = reusable(events) }()
	for _, d := range deliveries {
		rc, err := o.intake.Deliver(d, now)
		if err != nil {
			return rep, errors.Join(err, o.keep(ctx, events))
		}
		rep.Counts[rc.Outcome]++
		rep.Receipts = append(rep.Receipts, rc)
		events = append(events, rc.Events...)
	}
	return rep, o.keep(ctx, events)
}

// SessionReport takes in the irregularities of an exam session's report
// (oke.Intake.SessionReport) and keeps the events in the trail.
func (o *Office) SessionReport(ctx context.Context, offering, irregularities string, now time.Time) error {
	o.gate.Lock()
	defer o.gate.Unlock()
	if err := o.halted(); err != nil {
		return err
	}
	events, err := o.intake.SessionReport(offering, irregularities, now)
	return errors.Join(err, o.keep(ctx, events))
}

// keep appends events the intake has already saved to the trail; when the
// trail refuses them the office stops (ErrTrail).
func (o *Office) keep(ctx context.Context, events []result.Event) error {
	if len(events) == 0 {
		return nil
	}
	if _, err := o.cfg.Log.AppendEvents(ctx, events...); err != nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.stopped = fmt.Errorf("vaststelling: %w: keeping %d events from %s on: %w", ErrTrail, len(events), events[0].Result, err)
		return o.stopped
	}
	return nil
}

// halted returns the error the office stopped with, if it did.
func (o *Office) halted() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stopped
}

// Do has an actor take a command on a result at the moment now: decided by
// result.Decide under the office's mandates and rules. The events go into
// the trail first; only then does the result change, so that a trail that
// fails leaves the result as it was.
func (o *Office) Do(ctx context.Context, id string, cmd result.Command, actor result.Actor, now time.Time) ([]result.Event, error) {
	o.gate.RLock()
	defer o.gate.RUnlock()
	if err := o.halted(); err != nil {
		return nil, err
	}
	defer o.locks.Lock(id).Unlock()
	r, _ := o.store.Result(id)
	events, err := r.Do(cmd, o.context(actor, now))
	if err != nil {
		return nil, err
	}
	if _, err := o.cfg.Log.AppendEvents(ctx, events...); err != nil {
		return nil, fmt.Errorf("vaststelling: keeping the events of %s in the trail: %w", id, err)
	}
	if err := o.store.Save(r, events); err != nil {
		return events, err
	}
	o.track(&r, events)
	return events, nil
}

func (o *Office) context(actor result.Actor, now time.Time) result.Context {
	return result.Context{Actor: actor, Mandates: o.cfg.Mandates, Calendar: o.cfg.Calendar,
		Policies: o.cfg.Policies, Now: now}
}

// Result returns the result with the id as it stands.
func (o *Office) Result(id string) (result.Result, bool) { return o.store.Result(id) }

// Results returns the ids of every result, sorted.
func (o *Office) Results() []string { return o.store.IDs() }

// Timeline places a result on its timeline.
func (o *Office) Timeline(r *result.Result) (timeline.Timeline, error) {
	return timeline.New(o.cfg.Calendar, o.cfg.Policies, r.Facts())
}

// Deliveries returns every delivery kept in memory, with its receipt: all
// of them, unless the configuration gave a DeliveryLog of its own.
func (o *Office) Deliveries() []oke.Kept { return o.store.Log() }

// reusable returns a buffer emptied for the next batch or run, or nil
// when one larger than the office's usual work made it large: what is kept
// stays in memory between calls.
func reusable[T any](s []T) []T {
	if cap(s) > 1<<15 {
		return nil
	}
	return s[:0]
}
