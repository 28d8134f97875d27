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
// intake. The table [Transitions] is the single source of the state
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
// Early determination, for a diploma or certificate, needs the exam
// committee's decision and its reason, and a policy that allows it.
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
