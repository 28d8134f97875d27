// Package timeline holds the policy's terms as data and places each result
// on its timeline: the assessment deadline, the inspection and complaint
// window, the determination date and the rule that sets it, the appeal
// window and the appeals board's decision date; the conflicts between what
// happened and the policy; and the signals due at a given moment.
//
// # The terms
//
// A [Policy] holds every term of one version of an institution's
// Examenreglement; a [PolicySet] picks the version in force on a result's
// exam date. [DefaultPolicy] is the example procedure of the policy text:
// assessment within 15 working days after the exam; inspection and
// complaint within 10 working days after registration; determination 30
// working days after the exam and never before registration + 10 + 5
// working days; appeal within 10 working days after determination.
//
// # Which rule binds
//
// The policy text states three terms that agree only when the assessor
// registers on the last allowed day. The determination date is therefore the
// latest date that satisfies every rule: the exam rule (exam +
// DeterminationTerm) and the registration rule (registration +
// ProvisionalTerm + ProvisionalTail). [Timeline.Binding] says which one set
// it ([AfterExam] wins a tie), or [Early] when the exam committee determined
// the result early for a diploma or certificate. Because a valid policy's
// registration rule always ends after the inspection window, the
// determination date never falls inside that window unless it was early.
//
// # The appeal and the appeals board
//
// The student may appeal a determination, and an invalidation (as for
// fraud): the appeal window, AppealTerm working days, runs from whichever
// of the two the appeal is against ([Facts.Invalidated]). The appeals board
// then decides within AppealDecisionWeeks after the window ends, plus at
// most two weeks when it extends (WEB art. 7.5.4). That term is the law's,
// so the Algemene termijnenwet counts it: its last day moves past a
// Saturday, Sunday, public holiday or decree day, never past the
// institution's closures ([Timeline.AppealDecisionDue],
// calendar.Calendar.GeneralTermEnd).
//
// # Conflicts and signals
//
// What happened against the policy is not an error but a [Conflict], with a
// [Code] and a readable message in English ([Conflict.Message]) or Dutch
// ([Conflict.MessageIn]): the assessor's result delivered (or, when the
// delivery is not known, registered) after the assessment term, a result
// delivered in time but registered late by the exam administration, a
// registration before the exam, a determination date postponed by the
// registration rule, an early determination that cut the inspection window
// short, a late complaint or appeal, an appeals board that decided after its
// term. [Timeline.Signals] lists what is due or overdue at a moment, and for
// whom. [Timeline.StudentMessage] writes the
// policy's message to the student with this result's dates, in Dutch or
// English.
//
// [Timeline.StudentEmail] puts both languages in one complete e-mail (RFC
// 5322, multipart/multilingual after RFC 8255), and [Timeline.ICS] gives
// the student's deadlines as an iCalendar (RFC 5545): one all-day event for
// the end of inspection and complaint, for determination and for the end of
// the appeal window. Neither reads the clock: the caller passes the
// Message-ID, the Date and the DTSTAMP, so the same input gives the same
// bytes.
//
// Dates are calendar.Date values counted in a [calendar.Calendar]; a date
// that ends a window means "until the end of that working day".
package timeline
