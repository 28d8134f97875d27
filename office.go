package vaststelling

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// A Config wires an Office. Calendar, Policies, Directory, Log and
// Standing are required; Notifier defaults to a new Outbox.
type Config struct {
	Calendar  *calendar.Calendar
	Policies  *timeline.PolicySet
	Directory oke.Directory
	// Mandates are the exam committee's standing mandates the office
	// starts with. Open records each one the trail does not hold yet as
	// granted by its GrantedBy, at its From; from then on the trail is
	// the truth, and the committee grants, changes and revokes mandates
	// through the office (GrantMandate, RevokeMandate): a mandate here
	// that differs from the one of the same id in the trail is logged and
	// left, for the trail's is in force. Nil adds none.
	Mandates *result.MandateSet
	// Log is the audit trail: every event and everything the office acts
	// on goes into it, and the office is rebuilt from it when opened.
	Log *audit.Log
	// Snapshots keeps the office's snapshot (see Office.Snapshot). By
	// default it is the Log's store, when that is an audit.SnapshotStore.
	Snapshots audit.SnapshotStore
	// SnapshotEvery is how many records the trail grows by before a daily
	// run writes a new snapshot; 0 means DefaultSnapshotEvery, a negative
	// number never (Snapshot still writes one when called).
	SnapshotEvery int64
	// Notifier sends the student messages; an Outbox keeps them in memory.
	Notifier Notifier
	// Settings are the institution's details in student messages.
	Settings timeline.Settings
	// Standing is the exam administration's actor under whose standing
	// mandate the daily run determines the results that are due. It must
	// hold a mandate to determine.
	Standing result.Actor
	// HoldForCheck keeps delivered results received until the exam
	// administration registers them (see oke.Intake). The assessment term
	// is then counted to the delivery, not to the registration: a result
	// the assessor delivered in time and the administration checked late
	// is no late assessment.
	HoldForCheck bool
	// Assessors maps the assessors deliveries name to the actors of the
	// KRS (see result.Context.Assessors), so that no assessor judges their
	// own result under another spelling. An integrator provides it; a
	// judging action on a result whose assessor it lacks is refused with
	// result.ErrUnknownAssessor, which the daily run reports. Nil compares
	// the ids as delivered.
	Assessors result.Assessors
	// From and Mailbox, when set, make every notice a ready e-mail (RFC
	// 5322, Dutch and English) with the student's deadlines as an iCalendar
	// file: From is the sender's address, Mailbox gives a student's.
	From    string
	Mailbox func(student string) (string, error)
	// Server names this office among the offices (application servers)
	// that share the trail: the daily run one of them holds is recorded
	// under its name. Empty means a random name, new at every Open; give
	// each server a stable one, so that a server restarted during its
	// daily run takes the day up again at once.
	Server string
	// RunLease is how long a daily run holds the day for its office: a run
	// taken at a moment another office's run holds until a later moment is
	// refused (ErrRunning), so that one run goes at a time; one whose
	// office stopped halfway is taken over once its lease has passed. A
	// run must end within it. 0 means DefaultRunLease.
	RunLease time.Duration
	// Logger hears what the office cannot return to a caller, such as a
	// snapshot it did not use; nil logs nothing.
	Logger *slog.Logger
}

// DefaultSnapshotEvery is how many records the trail grows by, by default,
// before a daily run writes a new snapshot: about a week of an
// institution's year.
const DefaultSnapshotEvery = 100_000

// DefaultRunLease is how long a daily run holds the day by default.
const DefaultRunLease = 15 * time.Minute

// Errors of the office, for errors.Is.
var (
	// ErrConfig: an Office's configuration lacks what it needs.
	ErrConfig = errors.New("invalid office configuration")
	// ErrTrail: the audit trail did not take a call's events (the store
	// failed, or its outcome is unknown). The call changed nothing the
	// office acts on; the office catches up with the trail before its
	// next decision and goes on.
	ErrTrail = errors.New("the audit trail did not take the events")
	// ErrMandate: a mandate the exam committee cannot grant or revoke as
	// asked, such as one granted to the granter.
	ErrMandate = errors.New("mandate refused")
	// ErrConflict: a person's command that applied to the result as the
	// office saw it no longer applies, because another office (another
	// server on the same trail) changed the result first. The error also
	// says why the command is now refused; the person looks again.
	ErrConflict = errors.New("changed meanwhile by another office")
	// ErrRunning: another office holds the daily run of the day (see
	// Config.RunLease); the run is theirs, and nothing was done here.
	ErrRunning = errors.New("another office is running the daily run")
	// ErrSuccessor: a result received as the successor of another
	// (Record.Supersedes) that cannot succeed it: the other is not annulled
	// or corrected into this one, or has a successor already.
	ErrSuccessor = errors.New("not a successor")
)

// An Office runs the whole procedure for one institution: it takes OKE
// deliveries and actors' commands, keeps every event and everything it
// acts on in the audit trail, runs the daily determination under the
// standing mandate, sends the student messages, and watches the terms. It
// reads no clock: every call takes the moment.
//
// The trail is the truth. What the office holds in memory (the results,
// the due list, the notices to send, the session reports, the mandates) is
// a projection of it: Open rebuilds it from a snapshot and the records
// after it, and every change goes into the trail first and into memory
// only once the trail has it. A call whose append fails changes nothing
// and fails alone: the office catches up with the trail and goes on.
//
// It is safe for concurrent use. Calls decide one at a time, on the
// results as the calls before them left them, and the events of calls
// that decide while an append is being written go out together in the
// next (a group commit: one sync for many).
type Office struct {
	cfg    Config
	log    *audit.Log
	store  audit.Store
	snaps  audit.SnapshotStore
	intake *oke.Intake
	logger *slog.Logger

	mu       sync.Mutex // guards what follows: decisions are taken one at a time
	p        projection // what the trail holds
	over     map[string]*staged
	open     *batch // staged, to go out with the next append
	inflight *batch // being written
	stale    bool   // an append failed: catch up with the trail before deciding
	probe    sizeProbe
	rand     io.Reader
	snapAt   int64 // the trail size of the last snapshot

	fmu   sync.Mutex // the group commit's leader: one append at a time
	runMu sync.Mutex // one daily run at a time
}

// New opens an office over its configuration, as Open does, without a
// context: the simple path for tests and tools.
func New(cfg Config) (*Office, error) { return Open(context.Background(), cfg) }

// Open opens the office over the trail and resumes exactly where it
// stood: it loads the latest snapshot that matches the trail (checking
// its root against the trail's), folds the records after it, records the
// configured mandates the trail does not hold yet, and checks that the
// standing actor holds a mandate to determine. Over an empty trail it is
// a new office.
func Open(ctx context.Context, cfg Config) (*Office, error) {
	if err := check(&cfg); err != nil {
		return nil, err
	}
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, fmt.Errorf("vaststelling: seeding salts: %w", err)
	}
	if cfg.Server == "" {
		var name [6]byte
		if _, err := crand.Read(name[:]); err != nil {
			return nil, fmt.Errorf("vaststelling: naming the office: %w", err)
		}
		cfg.Server = fmt.Sprintf("office-%x", name)
	}
	o := &Office{cfg: cfg, log: cfg.Log, store: cfg.Log.Store(), snaps: cfg.Snapshots, logger: cfg.Logger,
		p: newProjection(), over: map[string]*staged{}, rand: rand.NewChaCha8(seed)}
	o.probe.store = o.store
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if o.snaps == nil {
		o.snaps, _ = o.store.(audit.SnapshotStore)
	}
	o.intake = &oke.Intake{Directory: cfg.Directory, Calendar: cfg.Calendar, Policies: cfg.Policies,
		Store: intakeView{o}, HoldForCheck: cfg.HoldForCheck}
	if err := o.resume(ctx); err != nil {
		return nil, err
	}
	if err := o.seedMandates(ctx); err != nil {
		return nil, err
	}
	return o, nil
}

// check reports what a configuration lacks.
func check(cfg *Config) error {
	var missing []string
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{"Calendar", cfg.Calendar != nil}, {"Policies", cfg.Policies != nil}, {"Directory", cfg.Directory != nil},
		{"Log", cfg.Log != nil}, {"Standing", cfg.Standing.ID != ""},
	} {
		if !f.ok {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("vaststelling: %w: %v required", ErrConfig, missing)
	}
	if err := cfg.Settings.Validate(); err != nil {
		return fmt.Errorf("vaststelling: %w: %w", ErrConfig, err)
	}
	if cfg.Notifier == nil {
		cfg.Notifier = &Outbox{}
	}
	if cfg.RunLease == 0 {
		cfg.RunLease = DefaultRunLease
	}
	if cfg.RunLease < 0 {
		return fmt.Errorf("vaststelling: %w: RunLease %v is negative", ErrConfig, cfg.RunLease)
	}
	if cfg.SnapshotEvery == 0 {
		cfg.SnapshotEvery = DefaultSnapshotEvery
	}
	return nil
}

// Deliver takes one OKE flow-5 delivery in at the moment now (see
// oke.Intake) and keeps it, its receipt and its events in the trail. A
// receipt comes back only once the trail has it.
func (o *Office) Deliver(ctx context.Context, d oke.Delivery, now time.Time) (oke.Receipt, error) {
	var rc oke.Receipt
	err := o.decide(ctx, func(b *batch, again bool) error {
		var err error
		rc, err = o.intake.Deliver(d, now)
		return err
	})
	return rc, err
}

// DeliverBatch takes deliveries in, in order, at the moment now, as Deliver
// would one by one, and keeps them all in the trail in one append. The
// report counts the outcomes and holds every receipt.
func (o *Office) DeliverBatch(ctx context.Context, deliveries []oke.Delivery, now time.Time) (oke.Report, error) {
	rep := oke.Report{Counts: map[oke.Outcome]int{}}
	err := o.decide(ctx, func(b *batch, again bool) error {
		rep.Receipts = make([]oke.Receipt, 0, len(deliveries))
		for _, d := range deliveries {
			rc, err := o.intake.Deliver(d, now)
			if err != nil {
				return err
			}
			rep.Counts[rc.Outcome]++
			rep.Receipts = append(rep.Receipts, rc)
		}
		return nil
	})
	if err != nil {
		return oke.Report{Counts: map[oke.Outcome]int{}}, err
	}
	return rep, nil
}

// SessionReport takes in an exam session's report (flow 4, which the
// platform sends the planner; see oke.Intake.SessionReport) under the
// session's name as results carry it in executedOfferingName: the report
// and the events its irregularities raise go into the trail, and results
// of the session delivered later are held too. A report without
// irregularities is kept as well: the session was reported.
func (o *Office) SessionReport(ctx context.Context, session, irregularities string, now time.Time) error {
	session, irregularities = strings.TrimSpace(session), strings.TrimSpace(irregularities)
	return o.decide(ctx, func(b *batch, again bool) error {
		_, err := o.intake.SessionReport(session, irregularities, now)
		if err == nil {
			err = o.stageEntry(b, EntrySessionReport, now, timeline.System, "",
				sessionReportEntry{Offering: session, Irregularities: irregularities})
		}
		return err
	})
}

// UnreportedSessions returns, sorted, the sessions (executedOfferingName)
// that have results in the trail but no session report: the exam
// administration asks the planner for it, for an irregularity reported
// in it would hold every result of the session.
func (o *Office) UnreportedSessions() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, s := range o.p.results.Sessions() {
		if s != "" && len(o.p.reports[s]) == 0 {
			out = append(out, s)
		}
	}
	return out
}

// Do has an actor take a command on a result at the moment now: decided by
// result.Decide under the mandates in force, on the result as it stands.
// The events go into the trail first; only then does the result change.
func (o *Office) Do(ctx context.Context, id string, cmd result.Command, actor result.Actor, now time.Time) ([]result.Event, error) {
	var events []result.Event
	err := o.decide(ctx, func(b *batch, again bool) error {
		r, _ := o.resultForDecision(id)
		var err error
		if cmd.Action == result.Receive && cmd.Record != nil && cmd.Record.Supersedes != "" {
			err = o.mayReplace(cmd.Record)
		}
		if err == nil {
			events, err = r.Do(cmd, o.context(actor, now))
		}
		if err != nil {
			if again {
				return fmt.Errorf("vaststelling: %s: %w: %w", id, ErrConflict, err)
			}
			return err
		}
		o.stageResult(b, r, events)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

func (o *Office) context(actor result.Actor, now time.Time) result.Context {
	return result.Context{Actor: actor, Mandates: o.p.set, Calendar: o.cfg.Calendar,
		Policies: o.cfg.Policies, Assessors: o.cfg.Assessors, Now: now}
}

// mayReplace checks that the record may succeed the result it names: the
// new decision after an annulment, or the successor a correction named,
// and the only one.
func (o *Office) mayReplace(rec *result.Record) error {
	old, ok := o.resultForDecision(rec.Supersedes)
	switch {
	case !ok:
		return fmt.Errorf("vaststelling: %s: %w: there is no result %s to succeed", rec.ID, ErrSuccessor, rec.Supersedes)
	case old.State == result.Superseded && old.SupersededBy != rec.ID:
		return fmt.Errorf("vaststelling: %s: %w: result %s was corrected into %s", rec.ID, ErrSuccessor, old.ID, old.SupersededBy)
	case old.State != result.Annulled && old.State != result.Superseded:
		return fmt.Errorf("vaststelling: %s: %w: result %s is %s; only an annulled or corrected result is succeeded",
			rec.ID, ErrSuccessor, old.ID, old.State)
	}
	if by, taken := o.p.successors[old.ID]; taken && by != rec.ID {
		return fmt.Errorf("vaststelling: %s: %w: result %s is succeeded by %s already", rec.ID, ErrSuccessor, old.ID, by)
	}
	for id, s := range o.over {
		if id != rec.ID && s.r.Supersedes == old.ID {
			return fmt.Errorf("vaststelling: %s: %w: result %s is succeeded by %s already", rec.ID, ErrSuccessor, old.ID, id)
		}
	}
	return nil
}

// Result returns the result with the id as the trail holds it. An annulled
// result names the result entered on the committee's new decision in
// SupersededBy, as a corrected one names its successor.
func (o *Office) Result(id string) (result.Result, bool) {
	r, ok := o.p.results.Result(id)
	if ok && r.SupersededBy == "" {
		o.mu.Lock()
		r.SupersededBy = o.p.successors[id]
		o.mu.Unlock()
	}
	return r, ok
}

// Results returns the ids of every result, sorted.
func (o *Office) Results() []string { return o.p.results.IDs() }

// Timeline places a result on its timeline.
func (o *Office) Timeline(r *result.Result) (timeline.Timeline, error) {
	return timeline.New(o.cfg.Calendar, o.cfg.Policies, r.Facts())
}

// Mandates returns the mandates as the trail holds them, in the order
// they were first granted.
func (o *Office) Mandates() []result.Mandate {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.p.set.Mandates()
}

// Size returns the size of the trail the office stands on: the records
// it has folded in.
func (o *Office) Size() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.p.size
}

// LastRun returns the day of the last daily run in the trail, or the zero
// Date before the first.
func (o *Office) LastRun() calendar.Date {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.p.lastRun
}
