package oke

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/stripe"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// An Intake takes flow-5 deliveries into results: it decodes and checks
// each message against the Directory, builds or updates the result through
// result.Decide, raises the exceptions a person must decide, and keeps
// every delivery with its receipt in the Store. It is safe for concurrent
// use: deliveries for one association are taken one at a time.
//
// Set the exported fields before the first delivery; Store defaults to a
// new MemoryStore and Actor to the system "oke".
type Intake struct {
	Directory Directory
	Calendar  *calendar.Calendar
	Policies  *timeline.PolicySet
	Store     Store
	Actor     result.Actor

	// HoldForCheck keeps completed results received until the exam
	// administration registers them after its import check; by default the
	// intake registers them as provisional at once, as the policy describes.
	HoldForCheck bool

	// ClockSkew is how far a testDate may lie ahead of the moment of
	// delivery and still be taken for the clocks of the exam platform, the
	// planner and the KRS differing: such a result is accepted with a
	// result.ExamDateUnconfirmed exception and goes on to registration. A
	// testDate further ahead is accepted too (the agreement gives the KRS
	// no ground to refuse it), with the same exception, but the result
	// waits, received, until a person confirms the exam date. Zero means
	// DefaultClockSkew; a negative skew allows none.
	ClockSkew time.Duration

	once    sync.Once
	locks   stripe.Locks        // one association's deliveries at a time
	mu      sync.Mutex          // guards reports
	reports map[string][]string // session (SessionKey) → the irregularities of its reports, "" for none
}

// DefaultClockSkew is the ClockSkew of an Intake that sets none: 15
// minutes. Servers kept by NTP differ by far less than a second, but a
// testDate is set by the exam platform, which may run on machines in an
// exam room that keep their own time, and travels through the planner: a
// few minutes of drift, and a moment rounded up to the minute or the
// quarter, are ordinary. Fifteen minutes covers them, three times the five
// minutes Kerberos tolerates between clocks, and stays short beside any
// sitting, so that a testDate further ahead is not a clock but a date.
const DefaultClockSkew = 15 * time.Minute

// clockSkew returns the skew in force.
func (in *Intake) clockSkew() time.Duration {
	switch {
	case in.ClockSkew == 0:
		return DefaultClockSkew
	case in.ClockSkew < 0:
		return 0
	}
	return in.ClockSkew
}

func (in *Intake) init() {
	in.once.Do(func() {
		if in.Store == nil {
			in.Store = NewStore()
		}
		if in.Actor.ID == "" {
			in.Actor = result.Actor{ID: "oke", Role: timeline.System}
		}
		in.reports = map[string][]string{}
	})
}

// Deliver takes one message in at the moment now and returns its receipt.
// Bad input of any kind is a receipt with outcome Rejected and every
// reason, never an error; the error is for a Store that fails. A message
// the agreement has the KRS accept although it deviates from what the KRS
// knows is taken in with outcome Exception (see the package documentation).
func (in *Intake) Deliver(d Delivery, now time.Time) (Receipt, error) {
	in.init()
	rc := Receipt{At: now, AssociationID: d.AssociationID}
	msg, err := Decode(d.Method, d.AssociationID, d.Body)
	if err != nil {
		var rej *Rejection
		if !errors.As(err, &rej) {
			rej = &Rejection{AssociationID: d.AssociationID, Reasons: []Reason{{Code: CodeMalformed, Message: err.Error()}}}
		}
		rc.Outcome, rc.Reasons = Rejected, rej.Reasons
		return in.keep(d, rc)
	}
	defer in.locks.Lock(msg.AssociationID).Unlock()
	w := works.Get().(*work)
	defer func() { *w = work{}; works.Put(w) }() // nothing of it outlives the delivery: the receipt takes its slices
	*w = work{in: in, msg: msg, now: now, events: make([]result.Event, 0, 2)}
	w.take()
	rc.Outcome, rc.Reasons, rc.Events = w.outcome, w.reasons, w.events
	if len(w.events) > 0 {
		if err := in.Store.Save(w.r, w.events); err != nil {
			return rc, fmt.Errorf("oke: saving result %s: %w", msg.AssociationID, err)
		}
	}
	return in.keep(d, rc)
}

// works recycles the state of a delivery (a kilobyte, which the
// collector would otherwise sweep a million times a year).
var works = sync.Pool{New: func() any { return new(work) }}

// Check decodes and checks a delivery against the directory as Deliver
// would, and changes nothing: it returns the reasons Deliver would reject
// it for, and the exceptions its checks would raise; not those that
// depend on the result stored already (a re-delivery after a rejection or
// a publication). A dry run, for tools.
func (in *Intake) Check(d Delivery, now time.Time) (rejections, exceptions []Reason) {
	in.init()
	msg, err := Decode(d.Method, d.AssociationID, d.Body)
	if err != nil {
		var rej *Rejection
		if errors.As(err, &rej) {
			return rej.Reasons, nil
		}
		return []Reason{{Code: CodeMalformed, Message: err.Error()}}, nil
	}
	w := work{in: in, msg: msg, now: now}
	w.check()
	for _, cmd := range w.exceptions {
		exceptions = append(exceptions, Reason{Code: Code(cmd.Exception), Message: cmd.Detail})
	}
	return w.reasons, exceptions
}

func (in *Intake) keep(d Delivery, rc Receipt) (Receipt, error) {
	seq, err := in.Store.Keep(d, rc)
	if err != nil {
		return rc, fmt.Errorf("oke: keeping delivery for %s: %w", d.AssociationID, err)
	}
	rc.Seq = seq
	return rc, nil
}

// Batch delivers each message in turn at the moment now and sums up.
func (in *Intake) Batch(deliveries []Delivery, now time.Time) (Report, error) {
	rep := Report{Counts: map[Outcome]int{}}
	for _, d := range deliveries {
		rc, err := in.Deliver(d, now)
		if err != nil {
			return rep, err
		}
		rep.Counts[rc.Outcome]++
		rep.Receipts = append(rep.Receipts, rc)
	}
	return rep, nil
}

// work is one delivery being taken in.
type work struct {
	in      *Intake
	msg     *Message
	now     time.Time
	r       result.Result
	outcome Outcome
	reasons []Reason
	events  []result.Event

	rec        result.Record
	exceptions []result.Command
	waiting    bool   // the result waits for a person before it can go on
	hold       string // why the checks keep the result from registration, if they do
}

func (w *work) reject(code Code, field, format string, args ...any) {
	w.reasons = append(w.reasons, Reason{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (w *work) except(kind result.ExceptionKind, format string, args ...any) {
	w.exceptions = append(w.exceptions, result.Command{Action: result.RaiseException, Exception: kind,
		Detail: fmt.Sprintf(format, args...)})
}

// take runs the checks, then moves the result.
func (w *work) take() {
	w.check()
	if len(w.reasons) > 0 {
		w.outcome = Rejected
		return
	}
	existing, known := w.in.Store.Result(w.msg.AssociationID)
	w.r = existing
	switch {
	case !known:
		w.outcome = Accepted
		w.do(result.Command{Action: result.Receive, Record: &w.rec})
		w.raise()
		w.register()
	case existing.State == result.Rejected:
		// A person rejected the result; the sender delivers it again, the
		// same or changed. A valid message is accepted (§3.5.3): it is the
		// result again, received, and it waits for the exam
		// administration, which rejected it once, to decide anew.
		w.outcome = Exception
		detail := w.rejection(&existing)
		if w.do(result.Command{Action: result.Redeliver, Record: &w.rec}) {
			w.except(result.RedeliveredRejected, "%s", detail)
			w.raise()
			w.notRegistered("it was rejected before, and the exam administration decides on it anew")
		}
	case sameRecord(&existing.Record, &w.rec):
		w.outcome = Duplicate
	case existing.State == result.Received:
		w.outcome = Accepted
		if existing.Grade.IsZero() && !w.rec.Grade.IsZero() {
			w.outcome = Merged
		}
		w.do(result.Command{Action: result.Redeliver, Record: &w.rec})
		w.raise()
		w.register()
	case existing.State.IsEnd():
		w.outcome = Exception
		w.reject(CodeNotAccepted, "", "result %s is %s; the changed delivery is kept for a person", existing.ID, existing.State)
	default:
		// Published or determined: never overwrite; a person decides. The
		// exception keeps the record re-delivered, which an approval puts
		// in place (Table 4.3.D: a completed result may be replaced).
		rec := w.rec
		w.exceptions = append(w.exceptions, result.Command{Action: result.RaiseException,
			Exception: result.ChangedRedelivery, Detail: changes(&existing.Record, &w.rec), Record: &rec})
		raised := len(w.events)
		w.raise()
		if len(w.events) == raised && !w.waiting {
			// The same changed delivery again: its exception is open already.
			w.outcome = Duplicate
		}
	}
	if w.outcome != Rejected && w.outcome != Duplicate && w.hasExceptions() {
		w.outcome = Exception
	}
}

// An eventStore keeps the events of its results, as a MemoryStore made by
// NewStore does: the intake reads a rejection's reason from it.
type eventStore interface {
	Events(id string) []result.Event
}

// rejection names the rejection of a result that is delivered again: when
// and by whom, why when the store keeps the events, and what the delivery
// changes.
func (w *work) rejection(r *result.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "delivered again after result %s was rejected at %s", r.ID, r.Updated.Format(time.RFC3339))
	if es, ok := w.in.Store.(eventStore); ok {
		events := es.Events(r.ID)
		for i := len(events) - 1; i >= 0; i-- {
			if e := events[i]; e.Type == result.EventRejected {
				fmt.Fprintf(&b, " by %s", e.Actor.ID)
				if e.Reason != "" {
					fmt.Fprintf(&b, ": %s", e.Reason)
				}
				break
			}
		}
	}
	if sameRecord(&r.Record, &w.rec) {
		b.WriteString("; the same record as before")
	} else {
		b.WriteString("; " + changes(&r.Record, &w.rec))
	}
	return b.String()
}

func (w *work) hasExceptions() bool {
	if w.waiting {
		return true
	}
	for _, e := range w.events {
		if e.Type == result.EventExceptionRaised {
			return true
		}
	}
	return w.outcome == Exception
}

// do decides a command on the result and applies it.
func (w *work) do(cmd result.Command) bool {
	before := len(w.events)
	var err error
	w.events, err = w.r.AppendDo(w.events, cmd, result.Context{Actor: w.in.Actor, Calendar: w.in.Calendar,
		Policies: w.in.Policies, Now: w.now})
	if err != nil {
		// The intake's own commands are refused only by the rules the
		// installation sets, such as no policy in force on the exam date:
		// the result waits for a person, and the receipt says why.
		w.notRegistered(err.Error())
		return false
	}
	for _, e := range w.events[before:] {
		if e.Type == result.EventExceptionRaised {
			w.reasons = append(w.reasons, Reason{Code: Code(e.Exception.Kind), Message: e.Exception.Detail})
		}
	}
	return true
}

// raise raises the exceptions found, skipping any already open with the same detail.
func (w *work) raise() {
	for _, cmd := range w.exceptions {
		open := false
		for _, e := range w.r.OpenExceptions() {
			open = open || (e.Kind == cmd.Exception && e.Detail == cmd.Detail)
		}
		if !open {
			w.do(cmd)
		}
	}
}

// register registers a completed result, unless the import check comes
// first. A record that lacks what registration needs, such as an exam date
// nobody confirmed, waits received, and the receipt says why.
func (w *work) register() {
	if w.msg.Result.State != Completed || w.in.HoldForCheck || w.r.State != result.Received {
		return
	}
	if w.hold != "" {
		w.notRegistered(w.hold)
		return
	}
	if problems := w.r.Record.Problems(); len(problems) > 0 {
		w.notRegistered(strings.Join(problems, ", "))
		return
	}
	w.do(result.Command{Action: result.Register})
}

func (w *work) notRegistered(why string) {
	w.reasons = append(w.reasons, Reason{Code: CodeNotRegistered,
		Message: "the result waits, received, for a person: " + why})
	w.waiting = true
}

// changes describes how a re-delivery differs from what was registered:
// every field sameRecord compares that differs, so that two different
// re-deliveries never read alike.
func changes(old, new *result.Record) string {
	var parts []string
	diff := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			parts = append(parts, fmt.Sprintf("%s %v → %v", name, a, b))
		}
	}
	diff("grade", old.Grade, new.Grade)
	diff("attendance", old.Attendance, new.Attendance)
	if !old.Exam.Equal(new.Exam) {
		diff("exam", old.Exam.Format(time.RFC3339), new.Exam.Format(time.RFC3339))
	}
	diff("assessor", old.Assessor, new.Assessor)
	if (old.RawScore == nil) != (new.RawScore == nil) || old.RawScore != nil && *old.RawScore != *new.RawScore {
		diff("raw score", rawScore(old.RawScore), rawScore(new.RawScore))
	}
	diff("session", old.ExecutedOffering, new.ExecutedOffering)
	diff("final flag", old.SenderFinal, new.SenderFinal)
	diff("attempt", old.Attempt, new.Attempt)
	diff("offering", old.Offering, new.Offering)
	diff("student", old.Student, new.Student)
	diff("component", old.Component, new.Component)
	diff("programme", old.Programme, new.Programme)
	diff("crebo", old.Crebo, new.Crebo)
	diff("team", old.Team, new.Team)
	diff("retakes", old.Retakes, new.Retakes)
	diff("supersedes", old.Supersedes, new.Supersedes)
	diff("source", old.Source, new.Source)
	if !sameDocuments(old.Documents, new.Documents) {
		diff("documents", describeDocuments(old.Documents), describeDocuments(new.Documents))
	}
	if len(parts) == 0 {
		return "a changed re-delivery"
	}
	return "a changed re-delivery: " + strings.Join(parts, "; ")
}

// rawScore writes a raw score as "65/75", or "none".
func rawScore(s *result.RawScore) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%d/%d", s.Points, s.Max)
}

// sameRecord reports whether a delivery brings the record a result holds
// already: every field alike, the exam as an instant, the raw score by its
// value. (A result read back from the trail or a snapshot has its times in
// a zone equal to, and not the same *time.Location as, the intake's.) It is
// what reflect.DeepEqual said without boxing both records, two
// allocations a delivery.
func sameRecord(a, b *result.Record) bool {
	x, y := *a, *b
	x.RawScore, y.RawScore = nil, nil
	if !x.Exam.Equal(y.Exam) {
		return false
	}
	x.Exam, y.Exam = time.Time{}, time.Time{}
	if !sameFields(&x, &y) || (a.RawScore == nil) != (b.RawScore == nil) || !sameDocuments(a.Documents, b.Documents) {
		return false
	}
	return a.RawScore == nil || *a.RawScore == *b.RawScore
}
