// Package oke takes exam results in from the OKE coupling: the flow-5
// messages in which the planning system (Toetsplanning) delivers a test
// result to the KRS, PATCH /ooapi/associations/{id} for a result and PUT
// for the result of an extra attempt (OKE agreement v1.0.1, §3.5 and §4.3).
//
// # Decoding
//
// [Decode] reads a message strictly: malformed JSON gets a reason with its
// line and column; a missing mandatory field, an unknown enumeration value,
// an impossible date or a raw score outside its bounds each get a named
// reason with the field's path; every reason of a message is reported, not
// only the first. Fields the agreement says the KRS ignores are ignored.
//
// # Intake
//
// An [Intake] checks a decoded message against the institution's
// [Directory] (the enrolment exists and belongs to the student and
// component, the attempt follows the previous one, the assessor is
// authorised, the exam date is plausible, the score fits the component's
// scale) and moves the result through package result's state machine:
//
//   - what the agreement says the KRS must accept, it accepts: a result for
//     an enrolment canceled or ended meanwhile, and the result of an
//     unforeseen extra attempt, are taken in with an exception for a person;
//   - the same message twice changes nothing; attendance, then the score,
//     merge; a result replaced before publication is a new version with the
//     old kept in the trail; a changed re-delivery after publication or
//     determination never overwrites: it raises an exception;
//   - the sender's "final" is recorded, never obeyed: determination
//     happens here, under mandate;
//   - the grade is recomputed from the raw score with the component's norm,
//     and a disagreement is an exception; irregularities in the message, or
//     in the session report of flow 4, put the result on hold for the exam
//     committee.
//
// Nothing is lost: every delivery, accepted or not, is kept in the [Store]
// with its [Receipt]: outcome, reasons and the events it produced.
//
// # HTTP
//
// [NewHandler] serves the two endpoints over HTTP with the standard library
// for any [Taker]: an [Intake] through [IntakeTaker], or an office that
// keeps each delivery in its audit trail before it answers. A handler
// needs the integrator's authorizer (the OAuth2 check) in [HandlerConfig],
// unless the caller opts into HandlerConfig.InsecureNoAuth by name; it
// authenticates before it looks at the method, answers 415 to a body that
// is not JSON, and logs an internal error through log/slog rather than
// showing it in the 500 body.
package oke
