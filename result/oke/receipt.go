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

// Codes of the intake's own reasons, beside the decoder's.
const (
	CodeUnknownAssociation Code = "unknown_association" // the KRS does not know the enrolment
	CodeUnknownComponent   Code = "unknown_component"   // the enrolment's component is unknown
	CodeWrongStudent       Code = "wrong_student"       // person differs from the enrolment's student
	CodeWrongOffering      Code = "wrong_offering"      // offering differs from the enrolment's
	CodeWrongAttempt       Code = "wrong_attempt"       // the attempt does not follow the previous one
	CodeScoreScale         Code = "score_value_type"    // the score does not fit the component's scale
	CodeFutureExam         Code = "exam_in_future"      // testDate lies after the moment of delivery
	CodeNotAccepted        Code = "not_accepted"        // the result's state takes no delivery
	CodeNotRegistered      Code = "not_registered"      // the result waits, received, until a person completes it
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
