package oke

import (
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// An Outcome is what the intake did with a delivery.
type Outcome string

// The outcomes.
const (
	Accepted  Outcome = "accepted"  // a new result, or a new version before publication
	Merged    Outcome = "merged"    // the score joined the attendance delivered earlier
	Duplicate Outcome = "duplicate" // the same message again: nothing changed
	Exception Outcome = "exception" // accepted, with an exception for a person to decide
	Rejected  Outcome = "rejected"  // refused, with every reason; the message is kept
)

// Codes of the intake's own reasons, beside the decoder's. The intake
// rejects only what the agreement lets the KRS refuse; what it must accept
// (§3.5.3) is taken in with an exception for a person, whose kind is the
// reason's code.
const (
	CodeUnknownAssociation Code = "unknown_association" // the KRS does not know the enrolment
	CodeUnknownComponent   Code = "unknown_component"   // the enrolment's component is unknown
	CodeWrongStudent       Code = "wrong_student"       // person differs from the enrolment's student
	CodeScoreScale         Code = "score_value_type"    // the score does not fit the component's scale
	CodeNotAccepted        Code = "not_accepted"        // the result's state takes no delivery; the delivery is kept for a person
	CodeNotRegistered      Code = "not_registered"      // the result waits, received, until a person completes it

	// Deprecated: no longer given. An offering that differs from the
	// enrolment's is accepted with a result.OfferingMismatch exception.
	CodeWrongOffering Code = "wrong_offering"
	// Deprecated: no longer given. An attempt that differs from the
	// enrolment's is accepted with a result.AttemptMismatch exception, an
	// extra attempt nobody foresaw with result.UnforeseenAttempt.
	CodeWrongAttempt Code = "wrong_attempt"
	// Deprecated: no longer given. A testDate ahead of the moment of
	// delivery is accepted with a result.ExamDateUnconfirmed exception
	// (see Intake.ClockSkew).
	CodeFutureExam Code = "exam_in_future"
)

// A Delivery is one message as it arrived.
type Delivery struct {
	Method        Method `json:"method"`
	AssociationID string `json:"association_id"`
	Body          []byte `json:"body"`
}

// A Receipt says what became of one delivery: its place in the log, the
// outcome, every reason, and the result events it produced.
type Receipt struct {
	Seq           int       `json:"seq"` // the delivery's number in the log, from 1
	At            time.Time `json:"at"`
	AssociationID string    `json:"association_id"`
	Outcome       Outcome   `json:"outcome"`
	// Reasons are the rejections, or the exceptions raised (with the
	// exception's kind, such as "irregularity", as the code) and why a
	// result was not registered.
	Reasons []Reason       `json:"reasons,omitempty"`
	Events  []result.Event `json:"events,omitempty"`
}

// A Report sums up a batch of deliveries.
type Report struct {
	Counts   map[Outcome]int `json:"counts"`
	Receipts []Receipt       `json:"receipts"`
}
