package result

import (
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// A Result is an exam result as its events leave it: the delivered record,
// its state, its exceptions, complaint, determination and appeal. It is
// the fold of its events: build it with Replay or Apply, change it only
// through Decide. The zero Result is the state before anything was received.
type Result struct {
	Record
	State   State     `json:"state"`
	Version int       `json:"version"` // the number of events folded in
	Updated time.Time `json:"updated"` // when the last event happened

	Delivered  time.Time `json:"delivered,omitzero"`  // when the record last arrived: received or re-delivered
	Registered time.Time `json:"registered,omitzero"` // when it was registered as provisional, or its grade changed
	// FirstRegistered is when it was first registered, before any new grade.
	FirstRegistered time.Time `json:"first_registered,omitzero"`
	Policy          string    `json:"policy,omitempty"` // the policy version in force at registration
	// Decision is the exam committee's decision the result was entered on:
	// the new decision after an annulment, or a correction's successor.
	Decision string `json:"decision,omitempty"`

	Exceptions []Exception `json:"exceptions,omitempty"`

	ComplaintLodged  time.Time `json:"complaint_lodged,omitzero"`
	ComplaintDecided time.Time `json:"complaint_decided,omitzero"`
	ComplaintOutcome Outcome   `json:"complaint_outcome,omitempty"`

	// An inspection (inzage) is no complaint: it holds nothing and needs
	// no committee decision; it is asked and granted.
	InspectionRequested time.Time `json:"inspection_requested,omitzero"`
	InspectionGranted   time.Time `json:"inspection_granted,omitzero"`

	Determined   time.Time `json:"determined,omitzero"`
	Early        bool      `json:"early,omitempty"`
	DeterminedBy Actor     `json:"determined_by,omitzero"`
	Mandate      string    `json:"mandate,omitempty"` // the mandate the determination was made under
	Purpose      Purpose   `json:"purpose,omitempty"` // an early determination's purpose
	Agreed       bool      `json:"agreed,omitempty"`  // an early determination inside the inspection window had the student's agreement

	AppealLodged  time.Time `json:"appeal_lodged,omitzero"`
	AppealDecided time.Time `json:"appeal_decided,omitzero"`
	AppealOutcome Outcome   `json:"appeal_outcome,omitempty"`
	// AppealExtended: the appeals board extended its term to decide.
	AppealExtended bool `json:"appeal_extended,omitempty"`

	// Invalidated is when the exam committee declared the result invalid:
	// a decision the student may appeal.
	Invalidated time.Time `json:"invalidated,omitzero"`

	SupersededBy string `json:"superseded_by,omitempty"`
}

// Replay folds events, in order, into the result they describe.
func Replay(events []Event) (Result, error) {
	var r Result
	if err := r.Apply(events...); err != nil {
		return Result{}, err
	}
	return r, nil
}

// Facts returns the moments that place the result on its timeline. A
// complaint about a grade since corrected belongs to the old registration
// and is left out: the corrected grade's terms run afresh.
func (r *Result) Facts() timeline.Facts {
	f := timeline.Facts{
		Result: r.ID, Exam: r.Exam, Delivered: r.Delivered, Registered: r.Registered, Successor: r.Supersedes != "",
		Determined: r.Determined, Early: r.Early, AppealLodged: r.AppealLodged,
		AppealExtended: r.AppealExtended, Invalidated: r.Invalidated,
	}
	if !r.FirstRegistered.Equal(r.Registered) {
		f.FirstRegistered = r.FirstRegistered
	}
	// Likewise an appeal decision before the last appeal decided an earlier one.
	if !r.AppealDecided.Before(r.AppealLodged) {
		f.AppealDecided = r.AppealDecided
	}
	if !r.ComplaintLodged.Before(r.Registered) {
		f.ComplaintLodged = r.ComplaintLodged
		// A decision before the last complaint decided an earlier one: the
		// last is open.
		if !r.ComplaintDecided.Before(r.ComplaintLodged) {
			f.ComplaintDecided = r.ComplaintDecided
		}
	}
	return f
}

// complaintOpen reports whether a complaint waits for the committee.
func (r *Result) complaintOpen() bool {
	return !r.ComplaintLodged.IsZero() && r.ComplaintDecided.Before(r.ComplaintLodged)
}

// held reports whether something keeps the result on hold: an open
// complaint, or an open exception of a holding kind other than skip.
func (r *Result) held(skip int) bool {
	if r.complaintOpen() {
		return true
	}
	for i := range r.Exceptions {
		e := &r.Exceptions[i]
		if e.ID != skip && e.Open() && e.Kind.Holds() {
			return true
		}
	}
	return false
}

// OpenExceptions returns the exceptions that wait for a person.
func (r *Result) OpenExceptions() []Exception {
	var out []Exception
	for _, e := range r.Exceptions {
		if e.Open() {
			out = append(out, e)
		}
	}
	return out
}

// eventAction is the action each event type records.
var eventAction = map[EventType]Action{
	EventReceived: Receive, EventRedelivered: Redeliver, EventRejected: Reject, EventRegistered: Register,
	EventExceptionRaised: RaiseException, EventExceptionResolved: ResolveException,
	EventComplaintLodged: LodgeComplaint, EventComplaintDecided: DecideComplaint,
	EventDetermined: Determine, EventAppealLodged: LodgeAppeal, EventAppealDecided: DecideAppeal,
	EventCorrected: Correct, EventInvalidated: Invalidate, EventInspectionAsked: RequestInspection,
	EventInspectionGranted: GrantInspection, EventAppealExtended: ExtendAppealTerm,
}

// Apply folds events into r, in order. An event that does not follow from
// r (a gap in the sequence, a state it does not start from, a move the
// state machine does not know, another result's id, a moment before the
// last) is refused with an error matching ErrInvalidEvent, and r is left
// as it was before that event.
func (r *Result) Apply(events ...Event) error {
	for _, e := range events {
		if err := r.apply(e); err != nil {
			return err
		}
	}
	return nil
}

func (r *Result) apply(e Event) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("result %s: event %d (%s): %w: %s", e.Result, e.Seq, e.Type, ErrInvalidEvent,
			fmt.Sprintf(format, args...))
	}
	action, ok := eventAction[e.Type]
	if ok && e.Type == EventDetermined && e.Early {
		action = DetermineEarly
	}
	switch {
	case !ok:
		return bad("unknown type")
	case e.Seq != r.Version+1:
		return bad("expected event %d", r.Version+1)
	case e.From != r.State:
		return bad("starts from %s, but the result is %s", e.From, r.State)
	case !allows(e.From, action, e.To):
		return bad("the state machine has no move %s → %s by %s", e.From, e.To, action)
	case r.State != None && e.Result != r.ID:
		return bad("belongs to result %s", r.ID)
	case e.At.Before(r.Updated):
		return bad("happened at %s, before the previous event", e.At.Format(time.RFC3339))
	}
	switch e.Type {
	case EventReceived, EventRedelivered:
		if e.Record == nil || e.Record.ID != e.Result {
			return bad("carries no record for this result")
		}
		r.Record, r.Delivered = *e.Record, e.At
		if e.Type == EventReceived {
			r.Decision = e.Decision
		}
	case EventRegistered:
		r.Registered, r.FirstRegistered, r.Policy = e.At, e.At, e.Policy
	case EventExceptionRaised:
		if e.Exception == nil || e.Exception.ID != len(r.Exceptions)+1 {
			return bad("carries no exception numbered %d", len(r.Exceptions)+1)
		}
		r.Exceptions = append(r.Exceptions, *e.Exception)
	case EventExceptionResolved:
		if e.Exception == nil || e.Exception.ID < 1 || e.Exception.ID > len(r.Exceptions) ||
			!r.Exceptions[e.Exception.ID-1].Open() {
			return bad("closes no open exception")
		}
		r.Exceptions[e.Exception.ID-1] = *e.Exception
		if x := e.Exception; x.Outcome == Approved && x.Record != nil {
			// The re-delivered record is in place: a new grade is
			// registered anew, and its terms run from now.
			r.Record = *x.Record
			if !r.Registered.IsZero() {
				r.Registered = e.At
			}
		}
	case EventComplaintLodged:
		r.ComplaintLodged = e.At
	case EventComplaintDecided:
		r.ComplaintDecided, r.ComplaintOutcome = e.At, e.Outcome
		if !e.Grade.IsZero() {
			// A corrected grade is registered anew: its terms run from now.
			r.Grade, r.Registered = e.Grade, e.At
		}
	case EventDetermined:
		r.Determined, r.Early, r.DeterminedBy, r.Mandate = e.At, e.Early, e.Actor, e.Mandate
		r.Purpose, r.Agreed = e.Purpose, e.Agreed
	case EventAppealLodged:
		r.AppealLodged, r.AppealExtended = e.At, false
	case EventAppealExtended:
		r.AppealExtended = true
	case EventAppealDecided:
		r.AppealDecided, r.AppealOutcome = e.At, e.Outcome
	case EventCorrected:
		r.SupersededBy = e.Successor
	case EventInvalidated:
		r.Invalidated = e.At
	case EventInspectionAsked:
		r.InspectionRequested = e.At
	case EventInspectionGranted:
		r.InspectionGranted = e.At
	}
	if r.State == None {
		r.ID = e.Result
	}
	r.State, r.Version, r.Updated = e.To, e.Seq, e.At
	return nil
}

// allows reports whether the table has the move from → to by action.
func allows(from State, a Action, to State) bool {
	for _, t := range transitions {
		if t.From == from && t.Action == a && t.To == to {
			return true
		}
	}
	return false
}
