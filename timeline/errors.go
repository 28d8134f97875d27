package timeline

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is.
var (
	// ErrInvalidPolicy: a policy or policy set is wrong; the PolicyError says where.
	ErrInvalidPolicy = errors.New("invalid policy")

	// ErrNoPolicy: no policy version is in force on the exam date.
	ErrNoPolicy = errors.New("no policy in force")

	// ErrInvalidFacts: what is known of a result cannot be right, such as
	// a missing exam date, a registration before the delivery, or an appeal
	// before any determination or invalidation.
	ErrInvalidFacts = errors.New("invalid facts")
)

// A PolicyError reports one problem in a policy. It matches ErrInvalidPolicy.
type PolicyError struct {
	Policy  string // the version's name, if it has one
	Field   string // the field as spelled in JSON, for example "versions[1].appeal_term"
	Problem string
}

// Error returns the problem as a sentence a person can read.
func (e *PolicyError) Error() string {
	msg := "timeline: invalid policy"
	if e.Policy != "" {
		msg += fmt.Sprintf(" %q", e.Policy)
	}
	if e.Field != "" {
		msg += ": " + e.Field
	}
	return msg + ": " + e.Problem
}

// Is makes a PolicyError match ErrInvalidPolicy.
func (e *PolicyError) Is(target error) bool { return target == ErrInvalidPolicy }

// A FactsError reports why the facts of a result cannot be placed on a
// timeline. It matches ErrInvalidFacts, and wraps the calendar's error when
// a date lies outside the calendar.
type FactsError struct {
	Result string // the result's id
	// Field names the fact: "exam", "delivered", "registered",
	// "complaint_lodged", "complaint_decided", "determined", "early",
	// "invalidated", "appeal_lodged" or "appeal_decided", after the fields
	// of Facts.
	Field   string
	Problem string
	Err     error // the underlying error, if any
}

// Error returns the problem as a sentence a person can read.
func (e *FactsError) Error() string {
	msg := "timeline: "
	if e.Result != "" {
		msg += "result " + e.Result + ": "
	}
	msg += e.Field + ": " + e.Problem
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *FactsError) Unwrap() error { return e.Err }

// Is makes a FactsError match ErrInvalidFacts.
func (e *FactsError) Is(target error) bool { return target == ErrInvalidFacts }

func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}
