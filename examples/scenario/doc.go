// Scenario runs one case of the procedure, described in a JSON file, through
// an exam office, and prints what became of it as JSON: so that an exam
// office can ask "what happens if…", and a test can state a whole case as
// data.
//
// Usage:
//
//	scenario [-h] FILE
//
// FILE "-" reads the case from standard input. -h prints a synopsis of the
// format on standard output and exits 0.
//
// The case is run in a new office (vaststelling.Open) over an audit trail
// in memory, with a vaststelling.Outbox as its notifier and the fixed
// server name "scenario". The office reads no clock: every moment comes
// from a step's "at". For example:
//
//	$ go run ./examples/scenario examples/scenario/testdata/a-on-time.json
//
// # The case
//
// A JSON object with these fields; any other is an error:
//
//	{
//	  "note":      "what the case shows",
//	  "calendar":  { … },
//	  "policies":  { … },
//	  "settings":  { … },
//	  "hold_for_check": false,
//	  "directory": { … },
//	  "mandates":  [ … ],
//	  "standing":  "examenbureau",
//	  "actors":    [ … ],
//	  "steps":     [ … ]
//	}
//
// The fields:
//
//   - note (optional): a string for the reader, ignored.
//   - calendar (optional): the working days, as calendar.ParseConfig reads
//     them (see the calendar package); absent, calendar.Default(): Monday
//     to Friday with the holidays of the Algemene termijnenwet, in
//     Europe/Amsterdam.
//   - policies (optional): the procedure's terms, a policy set as
//     timeline.ParsePolicies reads it ({"versions": [{…}]}); absent,
//     timeline.DefaultPolicies(), the example procedure of DOMAIN.md.
//   - settings (optional): what the student messages say of the
//     institution, {"institution", "krs", "committee_address",
//     "appeals_board_address"}, all strings; each one absent is the
//     example institution's: "Examencommissie ROC Voorbeeld", "Eduarte",
//     "examencommissie@roc-voorbeeld.nl" and "cbe@roc-voorbeeld.nl". One
//     given empty is an error.
//   - hold_for_check (optional): true or false, default false: the office's
//     Config.HoldForCheck. When true, a delivered result waits, received,
//     until an action step of the exam administration registers it
//     ("register").
//   - directory: the enrolments and components the intake checks
//     deliveries against, as oke.LoadDirectory reads them and
//     examples/oke-check -directory takes them: {"components": [{"code",
//     "scale", "norm", "assessors"}], "associations": [{"id", "student",
//     "offering", "component", "programme", "crebo", "team", "attempt",
//     "attempts_left", "state", "start"}]}.
//   - mandates: the exam committee's standing mandates, as
//     result.LoadMandates reads them: [{"id", "granted_by", "to",
//     "actions", "scope", "from", "until", "revoked"}], times in RFC 3339.
//   - standing: the id of the actor, one of "actors", under whose standing
//     mandate the daily run determines; a mandate must grant them (or a
//     team of theirs) "determine".
//   - actors: who acts in the steps, as result.Actor encodes:
//     [{"id": "s-101", "role": "student", "teams": ["…"]}], with role one of
//     assessor, exam_administration, exam_committee, appeals_board,
//     student, system; teams optional. Ids are unique.
//   - steps: what happens, in the order of their moments (a step may not
//     be earlier than the one before it). Each step is an object with
//     "at", the moment, in RFC 3339 ("2027-02-05T09:00:00+01:00"), an
//     optional "note", and exactly one of the following.
//
// A delivery, an OKE flow-5 message, taken in by Office.Deliver:
//
//	{"at": "…", "deliver": {"method": "PATCH", "id": "<association id>", "body": {<flow-5 message>}}}
//
// method is the request's, PATCH or PUT (another is the intake's to
// reject); id is the {id} of PATCH or PUT /associations/{id}; body is the
// message as OKE sends it. Instead of "body", "raw_body" may give the
// body's text as a JSON string, for a body that is not JSON (to see what
// the intake makes of a malformed message): {"raw_body": "{\"result\": "}.
//
// A session report, the irregularities of an OKE flow-4 session report
// (zittingsverslag, PATCH /offerings/{id}), read by
// oke.DecodeSessionReport and taken in by Office.SessionReport:
//
//	{"at": "…", "session_report": {"id": "<offering id>", "body": {<flow-4 body>}}}
//
// The offering is beside the body, as the request's path carries it, for
// a flow-4 body does not name its offering; "raw_body" may stand for
// "body" here too. A report the decoder refuses is a step not done, with
// the codes of its reasons.
//
// The daily run, Office.DailyRun, under the standing mandate:
//
//	{"at": "…", "daily_run": true}
//
// An action, a person's command, Office.Do:
//
//	{"at": "…", "actor": "<actor id>", "result": "<result id>", "action": "decide_complaint",
//	 "args": {"outcome": "upheld", "reason": "…", "grade": {"scale": "0.0-10.0", "value": "6.0"}}}
//
// action is an action's name as result/STATES.md spells it (receive,
// register, lodge_complaint, decide_complaint, determine_early,
// lodge_appeal, decide_appeal, correct, invalidate, …; every name
// result.Action reads). args (optional) are the fields of result.Command,
// as it encodes them in JSON, in snake_case: "reason", "outcome",
// "grade" ({"scale", "value"}), "decision", "purpose", "student_agreed",
// "successor", "exception", "detail", "exception_id", "record" (a
// result.Record, for receive), and whatever fields the command gains.
// They are decoded strictly: a field the command does not have is an
// error, and so is "action" among them.
//
// # The outcome
//
// On standard output, one JSON object, indented, its keys always in this
// order:
//
//	{
//	  "steps": [
//	    {"ok": true, "outcome": "accepted", "events": ["received", "registered"]},
//	    {"ok": true, "determined": ["a-1"], "notified": ["a-2"]},
//	    {"ok": false, "codes": ["wrong_role"], "message": "result a-1: s-1 (student) may not …"}
//	  ],
//	  "results": {
//	    "a-1": {"state": "final", "grade": "8.7", "determined_on": "2027-03-01", "supersedes": "", "superseded_by": ""}
//	  },
//	  "notices": [{"result": "a-1", "student": "s-1", "kind": "provisional", "on": "2027-02-05"}],
//	  "conflicts": {"a-2": ["registered_late", "determination_postponed"]},
//	  "trail": {"events": 12, "verified": true}
//	}
//
// steps holds one object per step, in order. "ok" says whether the step
// was done. The other keys appear only when they have something to say:
//
//   - outcome: a delivery's receipt outcome: accepted, merged, duplicate,
//     exception or rejected. A delivery is ok unless rejected.
//   - codes: why a step was not done, as stable machine codes (see
//     below); of a rejected delivery or session report, the codes of its
//     reasons (oke.Reason.Code, such as "unknown_association").
//   - message: the same in words, for a person: the error's text, or the
//     rejection's reasons.
//   - reasons: of a delivery taken in, the codes of its receipt's
//     reasons: the exceptions it raised (such as "late_assessment") and
//     "not_registered".
//   - events: the types of the events a delivery or an action made, such
//     as "complaint_lodged".
//   - determined, notified: of a daily run, the results it determined
//     under the standing mandate, and those whose student it sent a
//     notice (see notices).
//   - blocked, failed: of a daily run, [{"result", "reasons"}] for the
//     results due that it could not determine, and the notices it could
//     not send, with the reasons in words.
//
// results has every result of the office by id: its state (as
// result.State spells it), its grade's text ("" for none), the date it was
// determined on (YYYY-MM-DD in the calendar's zone, "" when it was not),
// and the ids of the result it supersedes and the one that superseded it
// ("" for none).
//
// notices are the messages the office sent students, in order: the
// result, the student, the notice's kind ("provisional", …) and the date
// it was sent on, in the calendar's zone.
//
// conflicts has, for each result whose timeline conflicts with the
// policy, the conflicts' codes (timeline.Code, such as "registered_late")
// in the timeline's order; results without conflicts are left out.
//
// trail is the audit trail at the end: its number of records, and whether
// it verifies (audit.Verify).
//
// # Codes of a refused step
//
// A refused step is {"ok": false, "codes": […], "message": "…"}. Its codes
// come from the library's errors, by errors.Is and errors.As, in this
// order, each at most once:
//
//	transition            the action is not possible in the result's state (*result.TransitionError, result.ErrNotAllowed)
//	check_<check>         one per check of a determination that failed (*result.CheckError), such as
//	                      check_arrived_correctly, check_right_status, check_term_passed, check_exceptions_closed
//	checks                a determination's checks failed, none named (result.ErrChecksFailed)
//	wrong_role            the actor's role may not take the action (result.ErrWrongRole)
//	no_mandate            no mandate in force and in scope grants it (result.ErrNoMandate)
//	separation_of_duties  the actor assessed the result, or is not its student (result.ErrSeparationOfDuties)
//	unknown_assessor      the assessor mapping does not know the result's assessor (result.ErrUnknownAssessor)
//	command               the command lacks what the action needs (*result.CommandError, result.ErrInvalidCommand)
//	term_passed           a term the action must be taken in has passed (result.ErrTermPassed)
//	invalid_grade         a grade that is not valid (result.ErrInvalidGrade)
//	invalid_mandate       a mandate that is not valid (result.ErrInvalidMandate)
//	invalid_event         an event that does not follow from the result (result.ErrInvalidEvent)
//	mandate               a mandate the committee cannot grant or revoke so (vaststelling.ErrMandate)
//	running               another office holds the daily run (vaststelling.ErrRunning)
//	conflict              another office changed the result meanwhile (vaststelling.ErrConflict)
//	successor             the record cannot succeed the result it names (vaststelling.ErrSuccessor)
//	rejected              a message rejected (oke.ErrRejected)
//	no_policy             no policy in force on the exam date (timeline.ErrNoPolicy)
//	invalid_facts         facts that cannot be placed on a timeline (timeline.ErrInvalidFacts)
//	out_of_range          a date outside the calendar's years (calendar.ErrOutOfRange)
//	forbidden             the actor may not take the action, for none of the reasons above (result.ErrForbidden)
//	unclassified          none of these: the library refused for a reason this command does not know yet
//
// # Exit status
//
// 0 when the case ran, whatever its steps' outcomes; 1 when it could not
// run: the office would not open (vaststelling.ErrConfig, such as a
// standing actor that no mandate grants "determine"), the trail did not
// take a step's events, or the trail does not verify at the end (then the
// outcome is printed, with "verified": false, before the error); 2 for bad
// usage (no file, more than one, an unknown flag: the problem, then the
// synopsis, on standard error), a file that is missing, unreadable or
// empty (one line naming it and what it should hold, as "case.json:
// empty, want a scenario: a JSON object (see scenario -h)"), or a
// malformed case. Every other problem is one line on standard error, and
// nothing is printed on standard output but for a trail that does not
// verify. A malformed case is reported with its file, the line and column
// of the fault, and the path of the value at fault:
//
//	scenario: case.json:13:20: malformed JSON: invalid character ',' looking for beginning of object key string
//	scenario: case.json:27:84: steps[3].action: unknown action "foo"; want one of receive, redeliver, …
//	scenario: case.json:27:50: steps[3].actor: unknown actor "s-9"; want one of "actors"
//	scenario: case.json:27:112: steps[3].args.reasn: unknown field; want record, reason, exception, …
//	scenario: case.json:13:69: calendar.closures[0].from: invalid date: "2027-13-01": want YYYY-MM-DD
//	scenario: case.json:6:52: directory.associations[0].attempt: want a whole number, not a JSON string
//
// The faults of a case: malformed JSON, a key twice in one object, a field
// that is not in the format, a value of the wrong type, a delivery or
// session report with both "body" and "raw_body" or neither, a calendar, policy
// set, directory or mandate list its library reader refuses, settings
// left empty, an actor without id or role or given twice, a standing actor
// or a step's actor not among the actors, a step without "at" or with a
// moment before the step before it, a step that does no one thing or
// more than one, an unknown action, and args the command does not read.
//
// # Adding a case
//
// The cases in testdata are run by the tests and their outcomes compared
// with testdata/<name>.out.json. To add one, drop <name>.json there and
// run
//
//	go test ./examples/scenario -run TestScenarios -update
//
// which writes its .out.json; read it, and keep it when it is what the
// case should do.
package main
