// Package result is the heart of the procedure: what an exam result is,
// the states it passes through, who may move it where and when, and the
// events that record every move.
//
// # Results are their events
//
// A [Result] is the fold of its [Event] values: [Replay] rebuilds it from
// its trail, and replaying always gives the same result. It changes only
// through [Decide], a pure function of the result, a [Command], and a
// [Context] that holds the actor, the mandates, the calendar and policies,
// and the moment: it returns the events the command produces, or a typed
// error, and reads no clock. [Result.Do] decides and applies in one step.
//
// # States
//
// A result is received, then registered as provisional; it is on hold
// while a complaint or a holding exception (an irregularity) is open; it
// becomes final when determined, and is under appeal while the appeals
// board decides. It ends superseded by a correction, annulled on appeal
// (the board annuls; it never sets a grade, and a new decision is a new
// result, see [Result.Successor]), invalidated for fraud, or rejected at
// intake. Two ends can be left by what comes from outside: a rejected
// result by a valid re-delivery, which OKE requires the KRS to accept
// (it waits, received, for a person), and an invalidation by an appeal
// against it, a committee decision like any other. The table [Transitions] is the single source of the state
// machine; [Diagram] draws it in Mermaid, and STATES.md beside this file
// is generated from it.
//
// # Who may do what
//
// [Rights] says which roles may take each action, and which only under a
// [Mandate] of the exam committee: granted to a person or a team, for named
// actions, scoped to programmes, crebo codes, components or teams, valid
// for a period and revocable. The assessor of a result never judges it
// (determines it, decides its complaint, resolves its exceptions), and a
// student acts only on their own results. A refusal is a [*PermissionError]
// that names the actor, the action, the result and what is missing.
//
// # Determination
//
// Before a result is determined, the policy's four checks must pass: it
// arrived correctly; it has the right status; its inspection and complaint
// term passed (its determination date, from package timeline, has come and
// no complaint is open); and every [Exception] is resolved or approved by
// the role entitled to. A [*CheckError] names every check that failed.
// # The policy to the letter
//
// Where the seed, the WEB and the OKE agreement leave room, the package
// chooses, and says so here:
//
//   - Early determination ("tenzij de examencommissie eerder een besluit
//     neemt vanwege het uitreiken van een diploma of mbo-certificaat") is a
//     committee decision for that purpose: it names the decision (a
//     reference; a placeholder such as "-" is refused), its purpose
//     ([Diploma] or [Certificate]) and its reason, under a policy that
//     allows it. Inside the inspection window it is refused unless the
//     decision records that the student agreed or waived the window
//     (Command.StudentAgreed), so that the right to complain is never lost
//     silently. The exam administration takes it only under a mandate
//     that names determine_early.
//   - A completed result without a grade (absent, not started, not
//     finished) is a result, but one a person confirms: registration
//     raises a [NoGrade] exception. One whose attendance is notKnown is no
//     result yet: it is not registered, and waits for a person.
//   - An inspection (inzage) is not a complaint: asked
//     ([RequestInspection]) and granted ([GrantInspection]), it holds
//     nothing and needs no committee decision.
//   - An appeal lodged after the appeal term needs the appeals board's
//     decision to accept it (Command.Decision); a result the board ruled
//     on is not appealed again. The board extends its term once, by the
//     policy's extension (at most two weeks), before the term ends
//     ([ExtendAppealTerm]). The appeal against an invalidation runs from
//     the invalidation; upheld, it annuls; otherwise the invalidation
//     stands.
//   - A changed re-delivery of a registered result holds it for the
//     committee with the new record; approved, the new grade is in place
//     and its terms run afresh; resolved otherwise, the old grade stays
//     and the re-delivery stays in the trail. A determined result changes
//     only by a correction.
//   - The successor of an annulled or corrected result is entered on the
//     committee's decision, which it names, and is no late assessment.
//   - The separation of duties compares people: [Context.Assessors] maps
//     the assessor a delivery names to the KRS identity; a judging action
//     on a result whose assessor the mapping lacks is refused with
//     [ErrUnknownAssessor] rather than passed.
//   - The assessment term is measured to the delivery when it is known,
//     and to the first registration: a result the administration checked
//     late, or the committee gave a new grade, is no late assessment.
//
// Exceptions are raised by rules (a late assessment, a registration before
// the exam, when the result is registered) and by people (an irregularity,
// a changed re-delivery, a grade that disagrees with its raw score); each
// records who resolved or approved it, when, why and under which mandate.
//
// # Grades
//
// A [Grade] is an exact value on one of the [Scale] kinds MBO uses: 0.0–10.0
// with one decimal, whole 0–10 and 0–100, O/V/G, pass/fail, and the
// reference levels 1F–4S and A1–C2; a [PassRule] says, per scale, what passes.
package result
