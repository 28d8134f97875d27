package main

// english is the story in English: every sentence lifecycle prints, by
// key, and the words for the codes the library has no words for yet (the
// kinds of student message, the outcomes of a delivery, OKE's reasons for
// refusing one, what closes a day, the weekdays). words_nl.go has the
// same keys in Dutch. A count chooses its sentence's form by CLDR's
// plural rules (golang.org/x/text/feature/plural): see count and noun.
var english = map[string]entry{
	// The start.
	"term": with("A term of the exam office, from %[1]s to %[2]s, with %#[3]d ${messages} from OKE to deliver.",
		noun("messages", 3, "message", "messages")),
	"legend": text(`Each line begins with its day. OKE delivers results on any day; on working days the people
act, and the daily run determines the results that are due, under the exam committee's mandate, and
tells each student of every change of their result. On Mondays the signals: what each role has to do
that is due that day or already overdue.`),
	"cluster": text("%#[1]d offices share the trail, in the tables %[2]s_* of one PostgreSQL database: the messages go to them in turn,\n" +
		"the commands too, and both try every daily run at the same moment."),

	// A trail resumed.
	"resumed.dir":     count(1, "Resumed the trail of %#[1]d record in %[2]s.", "Resumed the trail of %#[1]d records in %[2]s."),
	"resumed.tables":  count(1, "Resumed the trail of %#[1]d record in the tables %[2]s_* of the database.", "Resumed the trail of %#[1]d records in the tables %[2]s_* of the database."),
	"checkpoint.none": text("There is no checkpoint of it yet (%[1]s): the run that made it did not finish."),
	"checkpoint.held": count(1, "It holds the checkpoint the last run signed (%#[1]d record, %[2]s).", "It holds the checkpoint the last run signed (%#[1]d records, %[2]s)."),
	"resume.upto":     text("The trail holds the term up to the daily run of %[1]s: those days are not run again."),
	"resume.again": count(1, "Its %#[1]d message sent again, as OKE does after a restart: %[2]s.",
		"Their %#[1]d messages sent again, as OKE does after a restart: %[2]s."),
	"resume.kept": count(1, "The trail kept it as a delivery (%#[1]d record); no result changed.",
		"The trail kept them as deliveries (%#[1]d records); no result changed."),
	"resume.kept.more": with("The trail kept them as deliveries (%#[1]d ${records}), with %#[2]d other ${others}.",
		noun("records", 1, "record", "records"), noun("others", 2, "record", "records")),

	// What OKE delivers.
	"delivered": count(1, "%#[1]d result delivered", "%#[1]d results delivered"),
	"delivered.exceptions": with("%#[1]d ${results} delivered, %#[2]d with an exception",
		noun("results", 1, "result", "results")),
	"duplicates": count(1, "%#[1]d message the trail already held, taken as a duplicate",
		"%#[1]d messages the trail already held, taken as duplicates"),
	"rejected":     text("message for %[1]s rejected; OKE is told why:"),
	"reason":       text("%[2]s"),
	"reason.field": text("%[1]s: %[3]s"),
	"exception":    text("exception on %[1]s: %[2]s: %[3]s"),
	"dayoff": text("a day off (%[1]s): no daily run, so the students of the results delivered today are told on %[2]s, " +
		"the next working day"),
	"enrolment.canceled": text("the enrolment %[1]s was canceled in the KRS"),
	"enrolment.finished": text("the enrolment %[1]s was finished in the KRS"),

	// What the people do.
	"did":                 text("%[1]s: %[2]s"),
	"did.already":         text("%[1]s: %[2]s (in the trail already)"),
	"do.late":             text("late assessment approved by the exam committee"),
	"do.ended":            text("the result of a canceled enrolment approved by the exam administration, under mandate"),
	"do.complaint":        text("the student complains to the exam committee"),
	"do.complaint.upheld": text("complaint upheld, grade corrected %[1]s → %[2]s"),
	"do.appeal":           text("the student appeals to the appeals board (CBE)"),
	"do.appeal.notupheld": text("appeal not upheld: the result stands"),
	"do.appeal.upheld":    text("appeal upheld: the appeals board annuls the result; a new decision follows"),
	"do.successor":        text("the exam committee's new decision after the annulment (%[2]s), entered by hand as a result that supersedes %[1]s"),
	"do.registered":       text("registered as provisional"),

	// The daily run.
	"determined": count(1, "%#[1]d result determined under the standing mandate",
		"%#[1]d results determined under the standing mandate"),
	"determined.skipped": text("their terms did not count these days off: %[1]s"),
	"blocked":            text("not determined: %[1]s"),
	"blocked.state":      text("the result is %[1]s, not provisional"),
	"blocked.open":       text("still open: %[1]s"),

	// The students told.
	"told.provisional":       count(1, "%#[1]d student told of a provisional result", "%#[1]d students told of a provisional result"),
	"told.final":             count(1, "%#[1]d student told that their result is final", "%#[1]d students told that their result is final"),
	"told.determined_early":  count(1, "%#[1]d student told that their result was determined early", "%#[1]d students told that their result was determined early"),
	"told.complaint_decided": count(1, "%#[1]d student told of the decision on their complaint", "%#[1]d students told of the decision on their complaint"),
	"told.appeal_decided":    count(1, "%#[1]d student told of the appeals board's decision", "%#[1]d students told of the appeals board's decision"),
	"told.annulled":          count(1, "%#[1]d student told that the appeals board annulled their result", "%#[1]d students told that the appeals board annulled their result"),
	"told.corrected":         count(1, "%#[1]d student told that their result was corrected", "%#[1]d students told that their result was corrected"),
	"told.invalidated":       count(1, "%#[1]d student told that their result was declared invalid", "%#[1]d students told that their result was declared invalid"),
	"told.other":             count(1, "%#[1]d student told of another change", "%#[1]d students told of another change"),
	"told.afterdayoff": count(1, "of whom %#[1]d was delivered on a day off (%[2]s), and told only now, on the first working day after",
		"of whom %#[1]d were delivered on days off (%[2]s), and told only now, on the first working day after"),

	"first.provisional":       text("The first message to a student of a provisional result (student %[1]s, result %[2]s), as the student reads it:"),
	"first.final":             text("The first message to a student that a result is final (student %[1]s, result %[2]s), as the student reads it:"),
	"first.determined_early":  text("The first message to a student that a result was determined early (student %[1]s, result %[2]s), as the student reads it:"),
	"first.complaint_decided": text("The first message to a student of the decision on a complaint (student %[1]s, result %[2]s), as the student reads it:"),
	"first.appeal_decided":    text("The first message to a student of the appeals board's decision (student %[1]s, result %[2]s), as the student reads it:"),
	"first.annulled":          text("The first message to a student that the appeals board annulled a result (student %[1]s, result %[2]s), as the student reads it:"),
	"first.corrected":         text("The first message to a student that a result was corrected (student %[1]s, result %[2]s), as the student reads it:"),
	"first.invalidated":       text("The first message to a student that a result was declared invalid (student %[1]s, result %[2]s), as the student reads it:"),
	"first.other":             text("The first message to a student of another change (student %[1]s, result %[2]s), as the student reads it:"),

	// The kinds of student message, as the counts name them.
	"kind.provisional":       text("provisional result"),
	"kind.final":             text("final"),
	"kind.determined_early":  text("determined early"),
	"kind.complaint_decided": text("decision on a complaint"),
	"kind.appeal_decided":    text("decision on an appeal"),
	"kind.annulled":          text("annulled"),
	"kind.corrected":         text("corrected"),
	"kind.invalidated":       text("declared invalid"),
	"kind.count":             text("%[1]s %#[2]d"),
	"kinds":                  text("%#[1]d: %[2]s"),

	// The signals.
	"signals":        text("signals: what is due today or overdue, and whose it is:"),
	"signal":         with("%[1]s: %[2]s, %#[3]d ${results} (%[4]s)", noun("results", 3, "result", "results")),
	"signal.today":   count(1, "its term ends today", "their term ends today"),
	"signal.overdue": count(1, "overdue", "all overdue"),
	"signal.some":    text("%#[1]d overdue, the others' term ends today"),

	// The end.
	"checkpoint.signed":  text("Signed checkpoint (verifier key %[1]s):"),
	"checkpoint.written": text("Signed checkpoint, written to %[1]s (verifier key %[2]s, in %[3]s):"),
	"trail":              text("Trail: %[1]s"),
	"checkit":            text("Check it: go run ./examples/verify -log %[1]s -checkpoint %[2]s -key %[3]s"),
	"refolded":           count(1, "Folded again (audit.Rebuild): the same %#[1]d result, in the state the office holds.", "Folded again (audit.Rebuild): the same %#[1]d results, each in the state the office holds."),
	"offices":            text("What each office did:"),
	"office": with("  office %#[1]d: %#[2]d ${messages}, %#[3]d ${commands}; %[4]s",
		noun("messages", 2, "message", "messages"), noun("commands", 3, "command", "commands")),
	"office.noruns":   text("no daily run"),
	"office.runs":     text("daily runs tried %#[1]d, ran %#[2]d, left %#[3]d to the other, which held the day"),
	"open":            text("Still open: %[1]s, %[2]s, determination date %[3]s"),
	"open.exceptions": text("Still open: %[1]s, %[2]s, determination date %[3]s; waiting for: %[4]s"),

	"numbers":            text("The term in numbers:"),
	"numbers.deliveries": text("  messages from OKE %#[1]d, rejected %#[2]d; results %#[3]d"),
	"numbers.again":      text("  messages sent again %#[1]d, counted once"),
	"numbers.notices":    text("  student messages %[1]s"),
	"numbers.determined": text("  determined under mandate %#[1]d"),

	"evaluation":           text("The yearly evaluation, read from the trail (school year %[1]s):"),
	"evaluation.results":   text("  results %#[1]d, determined %#[2]d (early %#[3]d), corrections %#[4]d"),
	"evaluation.decisions": text("  complaints %#[1]d (upheld %#[2]d), appeals %#[3]d (upheld %#[4]d), exceptions %#[5]d, irregularities %#[6]d"),
	"evaluation.component": text("  %-8[1]s results %#3[2]d, determined %#3[3]d"),
	"reports": count(1, "%#[1]d file written to %[2]s: the day report, and the evaluation, the timeliness and each session's report, as JSON, CSV, Markdown and HTML (see lifecycle -h).",
		"%#[1]d files written to %[2]s: the day reports, and the evaluation, the timeliness and each session's report, as JSON, CSV, Markdown and HTML (see lifecycle -h)."),

	// What became of a delivery (oke.Outcome).
	"outcome.accepted":   text("accepted"),
	"outcome.merged":     text("merged"),
	"outcome.duplicate":  text("duplicate"),
	"outcome.exception":  text("with an exception"),
	"outcome.rejected":   text("rejected"),
	"outcomes.accepted":  count(1, "%#[1]d accepted", "%#[1]d accepted"),
	"outcomes.merged":    count(1, "%#[1]d merged", "%#[1]d merged"),
	"outcomes.duplicate": count(1, "%#[1]d duplicate", "%#[1]d duplicates"),
	"outcomes.exception": count(1, "%#[1]d with an exception", "%#[1]d with an exception"),
	"outcomes.rejected":  count(1, "%#[1]d rejected", "%#[1]d rejected"),
	"none":               text("none"),

	// Why OKE's message was refused (oke.Code).
	"code.malformed_json":      text("not JSON"),
	"code.too_large":           text("too large"),
	"code.missing_field":       text("a required field is missing"),
	"code.unknown_value":       text("a value not allowed"),
	"code.wrong_type":          text("a value of the wrong type"),
	"code.invalid_date":        text("not a date"),
	"code.out_of_range":        text("out of range"),
	"code.mismatch":            text("the ids differ"),
	"code.invalid_id":          text("not a valid id"),
	"code.duplicate":           text("given twice"),
	"code.unknown_association": text("an enrolment the KRS does not know"),
	"code.unknown_component":   text("a component the KRS does not know"),
	"code.wrong_student":       text("another student than the enrolment's"),
	"code.score_value_type":    text("a score off the component's scale"),
	"code.not_accepted":        text("not taken in the result's state; kept for a person"),
	"code.not_registered":      text("waits, received, for a person to register it"),

	// What closes a day (calendar.Kind), and the weekdays.
	"closed":                text("%[1]s, %[2]s"),
	"closedkind.holiday":    text("a public holiday"),
	"closedkind.decree day": text("a day made equal to a public holiday"),
	"closedkind.closure":    text("a closure of the institution"),
	"closedkind.open day":   text("an open day"),
	"skipped.day":           text("%[1]s (%[2]s)"),
	"skipped.days":          text("%[1]s (%[2]s to %[3]s)"),
	"weekday.Monday":        text("Monday"),
	"weekday.Tuesday":       text("Tuesday"),
	"weekday.Wednesday":     text("Wednesday"),
	"weekday.Thursday":      text("Thursday"),
	"weekday.Friday":        text("Friday"),
	"weekday.Saturday":      text("Saturday"),
	"weekday.Sunday":        text("Sunday"),
}
