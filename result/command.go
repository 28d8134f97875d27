package result

import (
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

// A Command asks to take an action on a result. Which fields an action
// needs is said beside each field; Decide refuses a command that lacks them.
type Command struct {
	Action Action

	// Record is the delivered result, for Receive and Redeliver.
	Record *Record

	// Reason explains the command; required for Reject, ResolveException,
	// DecideComplaint, DetermineEarly, DecideAppeal, Correct and Invalidate.
	Reason string

	// Exception and Detail name a deviation, for RaiseException;
	// ExceptionID the one to close, for ResolveException.
	Exception   ExceptionKind
	Detail      string
	ExceptionID int

	// Outcome ends a decision: Resolved or Approved for ResolveException;
	// Upheld, NotUpheld, Withdrawn or Inadmissible for DecideComplaint and
	// DecideAppeal.
	Outcome Outcome

	// Grade is the corrected grade: for DecideComplaint when upheld (then
	// optional), and for Correct (required).
	Grade Grade

	// Decision refers to the exam committee's decision, required for
	// DetermineEarly, Correct and Invalidate.
	Decision string

	// Successor is the id of the result that replaces this one, for Correct.
	Successor string
}

// A Context is everything besides the result and the command that a
// decision depends on: who acts, the mandates, the rules, and the moment.
// Decide reads no clock: Now is the moment of the command.
type Context struct {
	Actor    Actor
	Mandates *MandateSet
	Calendar *calendar.Calendar
	Policies *timeline.PolicySet
	Now      time.Time
}
