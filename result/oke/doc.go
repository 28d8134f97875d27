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
// scale) and moves the result through package result's state machine.
//
// It refuses only what the agreement lets the KRS refuse: a message that
// does not meet its requirements (Decode's reasons), one for an enrolment
// the KRS does not know, a person who is not the enrolment's student, a
// score off the component's scale ("waarde moet voldoen aan het
// resultaattype", Table 4.3.D). What meets them it accepts: "Indien
// verzoekbericht voldoet aan gestelde eisen moet DR/SIS dit bericht
// accepteren en verwerken" (§3.5.3), answered 200 with an exception for a
// person where it deviates from what the KRS knows:
//
//   - an enrolment canceled or ended meanwhile (result.EnrolmentEnded);
//   - an extra attempt nobody foresaw: beyond the attempts the KRS
//     allowed, skipping a number, not after the enrolment's attempt, or
//     with a number an earlier association brought
//     (result.UnforeseenAttempt; §3.5.2, §5.1: the KRS "mag dit verzoek
//     niet weigeren");
//   - a PUT naming another offering than the enrolment's
//     (result.OfferingMismatch): the result keeps the enrolment's;
//   - a PATCH for the enrolment naming another attempt than the
//     enrolment's (result.AttemptMismatch): the result keeps the
//     enrolment's attempt, as the KRS planned it in flow 1 and is the
//     truth for planning; the number delivered is in the detail;
//   - a testDate ahead of the KRS clock (result.ExamDateUnconfirmed): the
//     agreement bounds it nowhere, and its "slotmoment" of a sitting may
//     lie after a delivery sent before the sitting closes. Within
//     Intake.ClockSkew (DefaultClockSkew, 15 minutes) it is the clocks
//     that differ and the result goes on to registration; further ahead
//     it waits, received, until a person confirms the exam date, as
//     without a testDate;
//   - a completed result of a student who was present, without a score,
//     which the agreement makes optional (result.NoGrade): it waits,
//     received, for a person;
//   - a valid message delivered again after a person rejected the result
//     (result.RedeliveredRejected): the record is re-delivered, the result
//     is received again, and it waits for the exam administration, which
//     rejected it once, to decide anew; it is not registered.
//
// Besides:
//
//   - the same message twice changes nothing; attendance, then the score,
//     merge; a result replaced before publication is a new version with the
//     old kept in the trail; a changed re-delivery after publication or
//     determination never overwrites: it raises result.ChangedRedelivery,
//     which keeps the record re-delivered (Table 4.3.D: a completed result
//     "kan worden vervangen"), for the exam committee to put in place by
//     approving it (a determined result changes only by a correction), or
//     to refuse, keeping the old and the refused one in the trail;
//   - the sender's "final" is recorded, never obeyed: determination
//     happens here, under mandate;
//   - the grade is recomputed from the raw score with the component's norm,
//     and a disagreement is an exception; irregularities in the message, or
//     in the session report of its session, put the result on hold for the
//     exam committee.
//
// Nothing is lost: every delivery, accepted or not, is kept in the [Store]
// with its [Receipt]: outcome, reasons and the events it produced.
//
// # Sessions
//
// The session report (flow 4, zittingsverslag) goes from the exam platform
// to the planner, not to the KRS, and names the session by the planner's
// offering id, which no flow-5 message carries. What the KRS receives of a
// result's session is its name, in the result's executedOfferingName
// (Table 4.3.D: "Naam van de zitting waarbij het resultaat is behaald"),
// and that name is the key a session is found by ([SessionKey]). The
// integrator, who gets the report from the planner, passes it to
// [Intake.SessionReport] under the session's name as the platform puts it
// in executedOfferingName:
//
//	// the planner's report of offering 7c1e…, a sitting the platform calls "KT1-W2 18-01 ochtend"
//	_, err := in.SessionReport("KT1-W2 18-01 ochtend", irregularities, now)
//
// Every result of that session, and every one that arrives later, is then
// held for the exam committee. A result whose session name matches no
// report is held by none: its session has no report, and
// [Intake.UnreportedSessions] lists it, for the exam administration to ask
// the planner for it. A report under a name no result bears holds nothing
// until a result with that name arrives. Names are matched exactly, but
// for leading and trailing white space; two sessions the platform gives the
// same name are one to the KRS, which can only hold more results than it
// should, never fewer. A result without an executedOfferingName (one
// entered by hand) has no session.
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
