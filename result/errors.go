package result

import (
	"errors"
	"fmt"
	"strings"

	"github.com/krs-oke/vaststelling/timeline"
)

// Sentinel errors, for errors.Is. Each typed error below matches one.
var (
	// ErrNotAllowed: the action is not possible in the result's state.
	ErrNotAllowed = errors.New("action not allowed in this state")
	// ErrForbidden: the actor may not take the action; see ErrNoMandate,
	// ErrWrongRole and ErrSeparationOfDuties for why.
	ErrForbidden = errors.New("not permitted")
	// ErrWrongRole: the actor's role may not take the action at all.
	ErrWrongRole = errors.New("role may not take this action")
	// ErrNoMandate: the role needs a mandate, and none is active and in scope.
	ErrNoMandate = errors.New("no mandate")
	// ErrSeparationOfDuties: the actor assessed the result, or is not its student.
	ErrSeparationOfDuties = errors.New("separation of duties")
	// ErrChecksFailed: a determination's checks did not all pass.
	ErrChecksFailed = errors.New("checks failed")
	// ErrInvalidCommand: the command lacks what the action needs.
	ErrInvalidCommand = errors.New("invalid command")
	// ErrInvalidMandate: a mandate's definition is wrong.
	ErrInvalidMandate = errors.New("invalid mandate")
	// ErrUnknownAssessor: the assessor mapping (Context.Assessors) does not
	// know the result's assessor, so that a judging action cannot check the
	// separation of duties; the integrator adds the assessor to the mapping.
	ErrUnknownAssessor = errors.New("assessor not in the mapping")
	// ErrTermPassed: a term the action must be taken in has passed, such
	// as the appeal term without the board's decision on a late appeal.
	ErrTermPassed = errors.New("term passed")
	// ErrInvalidEvent: an event does not follow from the result it is
	// applied to: a gap in the sequence, a wrong state, a foreign result.
	ErrInvalidEvent = errors.New("invalid event")
)

// A TransitionError reports an action the state machine does not allow in
// the result's state. It matches ErrNotAllowed.
type TransitionError struct {
	Result string
	State  State
	Action Action
}

// Error returns the problem as a sentence a person can read.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("result %s: cannot %s: the result is %s", e.Result, e.Action, e.State)
}

// Is makes a TransitionError match ErrNotAllowed.
func (e *TransitionError) Is(target error) bool { return target == ErrNotAllowed }

// A PermissionError reports an actor who may not take an action on a
// result, and what is missing. It matches ErrForbidden and Err, one of
// ErrWrongRole, ErrNoMandate, ErrSeparationOfDuties or ErrUnknownAssessor.
type PermissionError struct {
	Result  string
	Action  Action
	Actor   Actor
	Missing string         // in English
	Because timeline.Words // what is missing, in Dutch and English
	Err     error
}

// Error returns the problem as a sentence a person can read.
func (e *PermissionError) Error() string {
	return fmt.Sprintf("result %s: %s (%s) may not %s: %s", e.Result, e.Actor.ID, e.Actor.Role, e.Action, e.Missing)
}

// Unwrap returns the kind of refusal.
func (e *PermissionError) Unwrap() error { return e.Err }

// Is makes a PermissionError match ErrForbidden.
func (e *PermissionError) Is(target error) bool { return target == ErrForbidden }

// A Check is one of the four checks before a result may be determined.
type Check string

// The checks of the policy, in its order.
const (
	CheckArrival    Check = "arrived_correctly" // right student, component, date, attempt and assessor
	CheckStatus     Check = "right_status"      // provisional, nothing open on it
	CheckTerm       Check = "term_passed"       // the inspection and complaint term passed or was handled
	CheckExceptions Check = "exceptions_closed" // every exception resolved or approved
)

// A Failure is one check that did not pass, and why.
type Failure struct {
	Check   Check
	Reason  string         // in English
	Because timeline.Words // the reason in Dutch and English
}

// A CheckError reports a determination refused, naming every check that
// failed. It matches ErrChecksFailed.
type CheckError struct {
	Result   string
	Action   Action
	Failures []Failure
}

// Error returns the problem as a sentence a person can read.
func (e *CheckError) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = string(f.Check) + ": " + f.Reason
	}
	return fmt.Sprintf("result %s: cannot %s: %s", e.Result, e.Action, strings.Join(parts, "; "))
}

// Is makes a CheckError match ErrChecksFailed, and ErrNotAllowed too when
// the result's state is among the failures.
func (e *CheckError) Is(target error) bool {
	return target == ErrChecksFailed || (target == ErrNotAllowed && e.Failed(CheckStatus))
}

// Failed reports whether the check is among the failures.
func (e *CheckError) Failed(c Check) bool {
	for _, f := range e.Failures {
		if f.Check == c {
			return true
		}
	}
	return false
}

// A CommandError reports a command that lacks what its action needs, or
// whose terms cannot be counted in the context (no policy in force on the
// exam date, a date outside the calendar's years). It matches
// ErrInvalidCommand, and what Err matches.
type CommandError struct {
	Result  string
	Action  Action
	Problem string         // in English
	Because timeline.Words // the problem in Dutch and English
	Err     error          // what the problem came from, if anything, such as calendar.ErrOutOfRange
}

// Error returns the problem as a sentence a person can read.
func (e *CommandError) Error() string {
	msg := fmt.Sprintf("result %s: cannot %s: %s", e.Result, e.Action, e.Problem)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns what the problem came from.
func (e *CommandError) Unwrap() error { return e.Err }

// Is makes a CommandError match ErrInvalidCommand.
func (e *CommandError) Is(target error) bool { return target == ErrInvalidCommand }

func roleList(gs []Grant) string {
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.Role.String()
		if g.Mandate {
			names[i] += " under mandate"
		}
	}
	return strings.Join(names, ", ")
}

// Words returns the refusal in Dutch and English.
func (e *TransitionError) Words() timeline.Words {
	return timeline.Words{
		Dutch:   fmt.Sprintf("resultaat %s: kan niet %s: het resultaat is %s", e.Result, e.Action.Words().Dutch, e.State.Words().Dutch),
		English: e.Error(),
	}
}

// Words returns the refusal in Dutch and English.
func (e *PermissionError) Words() timeline.Words {
	return timeline.Words{
		Dutch: fmt.Sprintf("resultaat %s: %s (%s) mag niet %s: %s", e.Result, e.Actor.ID, e.Actor.Role.Words().Dutch,
			e.Action.Words().Dutch, orWords(e.Because, e.Missing).Dutch),
		English: e.Error(),
	}
}

// Words returns the refusal in Dutch and English, every failed check
// named.
func (e *CheckError) Words() timeline.Words {
	nl := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		nl[i] = f.Check.Words().Dutch + ": " + orWords(f.Because, f.Reason).Dutch
	}
	return timeline.Words{
		Dutch:   fmt.Sprintf("resultaat %s: kan niet %s: %s", e.Result, e.Action.Words().Dutch, strings.Join(nl, "; ")),
		English: e.Error(),
	}
}

// Words returns the refusal in Dutch and English.
func (e *CommandError) Words() timeline.Words {
	nl := fmt.Sprintf("resultaat %s: kan niet %s: %s", e.Result, e.Action.Words().Dutch, orWords(e.Because, e.Problem).Dutch)
	if e.Err != nil {
		nl += ": " + Explain(e.Err).Dutch
	}
	return timeline.Words{Dutch: nl, English: e.Error()}
}

// orWords returns w, or the English text in both languages when w was
// not written (an error made by hand, outside this package).
func orWords(w timeline.Words, english string) timeline.Words {
	if w == (timeline.Words{}) {
		return timeline.Words{Dutch: english, English: english}
	}
	return w
}

// Explain returns an error in Dutch and English: the words of the first
// error in its chain that has them (a refusal of this package, a
// conflict of the timeline), or its text in both languages.
func Explain(err error) timeline.Words {
	if err == nil {
		return timeline.Words{}
	}
	var w interface{ Words() timeline.Words }
	if errors.As(err, &w) {
		return w.Words()
	}
	return timeline.Words{Dutch: err.Error(), English: err.Error()}
}
