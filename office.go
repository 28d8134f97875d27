package vaststelling

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
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
}

// ErrConfig: an Office's configuration lacks what it needs.
var ErrConfig = errors.New("invalid office configuration")

// An Office runs the whole procedure for one institution: it takes OKE
// deliveries and actors' commands, keeps every event in the audit trail,
// runs the daily determination under the standing mandate, sends the
// student messages, and watches the terms. It reads no clock: every call
// takes the moment. It is safe for concurrent use.
type Office struct {
	cfg     Config
	store   *oke.MemoryStore
	intake  *oke.Intake
	mu      sync.Mutex // serialises commands and daily runs
	noticed map[string]bool
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
	store := oke.NewResultStore() // the events are kept in the audit trail, once
	return &Office{
		cfg: cfg, store: store, noticed: map[string]bool{},
		intake: &oke.Intake{Directory: cfg.Directory, Calendar: cfg.Calendar, Policies: cfg.Policies,
			Store: store, HoldForCheck: cfg.HoldForCheck},
	}, nil
}

// Deliver takes one OKE flow-5 delivery in at the moment now (see
// oke.Intake), and keeps its events in the trail.
func (o *Office) Deliver(ctx context.Context, d oke.Delivery, now time.Time) (oke.Receipt, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	rc, err := o.intake.Deliver(d, now)
	if err != nil {
		return rc, err
	}
	if len(rc.Events) > 0 {
		if _, err := o.cfg.Log.AppendEvents(ctx, rc.Events...); err != nil {
			return rc, fmt.Errorf("vaststelling: keeping the events of %s in the trail: %w", rc.AssociationID, err)
		}
	}
	return rc, nil
}

// SessionReport takes in the irregularities of an exam session's report
// (oke.Intake.SessionReport) and keeps the events in the trail.
func (o *Office) SessionReport(ctx context.Context, offering, irregularities string, now time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	events, err := o.intake.SessionReport(offering, irregularities, now)
	if len(events) > 0 {
		if _, lerr := o.cfg.Log.AppendEvents(ctx, events...); lerr != nil {
			return errors.Join(err, lerr)
		}
	}
	return err
}

// Do has an actor take a command on a result at the moment now: decided by
// result.Decide under the office's mandates and rules, kept in the trail.
func (o *Office) Do(ctx context.Context, id string, cmd result.Command, actor result.Actor, now time.Time) ([]result.Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.do(ctx, id, cmd, actor, now)
}

func (o *Office) do(ctx context.Context, id string, cmd result.Command, actor result.Actor, now time.Time) ([]result.Event, error) {
	r, _ := o.store.Result(id)
	events, err := r.Do(cmd, o.context(actor, now))
	if err != nil {
		return nil, err
	}
	if err := o.store.Save(r, events); err != nil {
		return nil, err
	}
	if _, err := o.cfg.Log.AppendEvents(ctx, events...); err != nil {
		return events, fmt.Errorf("vaststelling: keeping the events of %s in the trail: %w", id, err)
	}
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

// Deliveries returns every delivery kept, with its receipt.
func (o *Office) Deliveries() []oke.Kept { return o.store.Log() }
