package result

import (
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

// A Command asks to take an action on a result. Which fields an action
// needs is said beside each field; Decide refuses a command that lacks them.
// In JSON (the scenario runner's "args", a KRS's request) the fields are
// spelled in snake_case, the action and the grade as they encode.
type Command struct {
	Action Action `json:"action"`

	// Record is the delivered result, for Receive and Redeliver; for
	// RaiseException of a ChangedRedelivery, the record re-delivered, which
	// an approval of the exception puts in place.
	Record *Record `json:"record,omitempty"`

	// Reason explains the command; required for Reject, ResolveException,
	// DecideComplaint, DetermineEarly, DecideAppeal, ExtendAppealTerm,
	// Correct and Invalidate.
	Reason string `json:"reason,omitempty"`

	// Exception and Detail name a deviation, for RaiseException;
	// ExceptionID the one to close, for ResolveException.
	Exception   ExceptionKind `json:"exception,omitempty"`
	Detail      string        `json:"detail,omitempty"`
	ExceptionID int           `json:"exception_id,omitempty"`

	// Outcome ends a decision: Resolved or Approved for ResolveException;
	// Upheld, NotUpheld, Withdrawn or Inadmissible for DecideComplaint and
	// DecideAppeal.
	Outcome Outcome `json:"outcome,omitempty"`

	// Grade is the corrected grade: for DecideComplaint when upheld (then
	// optional), and for Correct (required).
	Grade Grade `json:"grade,omitzero"`

	// Decision refers to a decision by number or reference: the exam
	// committee's, required for DetermineEarly, Correct, Invalidate and
	// for receiving the successor of an annulled result; the appeals
	// board's on a late appeal, for LodgeAppeal after the appeal term.
	Decision string `json:"decision,omitempty"`

	// Purpose is what an early determination is for: Diploma or
	// Certificate (DetermineEarly).
	Purpose Purpose `json:"purpose,omitempty"`

	// StudentAgreed records, for a DetermineEarly inside the inspection
	// window, that the decision says the student agreed to it or waived
	// the rest of the window.
	StudentAgreed bool `json:"student_agreed,omitempty"`

	// Successor is the id of the result that replaces this one, for Correct.
	Successor string `json:"successor,omitempty"`
}

// A Purpose is why the exam committee determines a result early: the
// policy allows it only to issue a diploma or an mbo certificate.
type Purpose string

// The purposes of an early determination.
const (
	Diploma     Purpose = "diploma"     // to issue the diploma
	Certificate Purpose = "certificate" // to issue an mbo certificate
)

// A Context is everything besides the result and the command that a
// decision depends on: who acts, the mandates, the rules, and the moment.
// Decide reads no clock: Now is the moment of the command.
type Context struct {
	Actor    Actor
	Mandates *MandateSet
	Calendar *calendar.Calendar
	Policies *timeline.PolicySet
	// Assessors maps the assessor named in a delivery (OKE assessorId or
	// assessorCode) to the KRS identity of that person, so that the
	// separation of duties compares people, not spellings. Nil compares the
	// delivered id with the actor's id as they are.
	Assessors Assessors
	Now       time.Time
}

// Assessors maps an assessor as a delivery names them to the id of the
// person's actor. An integrator provides it (from the KRS's staff
// register); ok is false when the mapping does not know the assessor,
// which a judging action reports rather than passes.
type Assessors interface {
	Actor(assessor string) (id string, ok bool)
}

// AssessorMap is an Assessors held in a map: delivered id → actor id.
type AssessorMap map[string]string

// Actor returns the actor id of the assessor, if the map has one.
func (m AssessorMap) Actor(assessor string) (string, bool) {
	id, ok := m[assessor]
	return id, ok
}
