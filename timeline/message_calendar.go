package timeline

import (
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// CalendarUpdate writes the student's calendar as it stands after the
// change sub tells of, as an iCalendar object (RFC 5545) that updates the
// one [Timeline.ICS] wrote for the same result: METHOD:PUBLISH, the same
// three events with the same UIDs ("<result>-inspection@<uidDomain>",
// "<result>-determination@<uidDomain>", "<result>-appeal@<uidDomain>"),
// each with SEQUENCE:sequence and DTSTAMP:stamp. The caller passes as
// sequence the number of the result's event that the update follows, so
// that a later change wins over an earlier one (RFC 5545 section 3.8.7.4;
// ICS writes no SEQUENCE, which is 0).
//
// What changes, by kind:
//
//   - MessageProvisional: the events as ICS writes them.
//   - MessageFinal: the determination event is the day of determination,
//     as happened, and the appeal event the real AppealEnds.
//   - MessageDeterminedEarly: likewise, the determination event saying
//     it was early; when it cut the inspection window short, the
//     inspection event says the student can still contact the committee
//     until InspectionEnds.
//   - MessageComplaintDecided: the events on the timeline's dates; with a
//     new grade, the new grade's inspection window and determination.
//   - MessageAppealDecided: the appeal event says what the board decided
//     and that the result stays final.
//   - MessageAnnulled and MessageCorrected: every event is
//     STATUS:CANCELLED, and its description says why.
//   - MessageInvalidated: the inspection and determination events are
//     cancelled; the appeal event becomes the last day to appeal against
//     the invalidation when the timeline has an AppealEnds, else it is
//     cancelled too. A result invalidated before it was registered had no
//     calendar: the update is the appeal event alone, and without an
//     AppealEnds there is nothing to write, which matches ErrMessage.
//
// The calendar is not told the result itself: a calendar is often shared
// or synchronised beyond the student's mailbox, and the message says it.
// sub is checked as [Timeline.Email] checks it, and the calendar as ICS
// checks it (but for the registration of an invalidated result); a
// negative sequence matches ErrMessage too.
func (t *Timeline) CalendarUpdate(sub Subject, s Settings, uidDomain string, stamp time.Time, sequence int) ([]byte, error) {
	if err := t.checkCalendar(s, uidDomain, stamp, sub.Kind == MessageInvalidated); err != nil {
		return nil, err
	}
	if sequence < 0 {
		return nil, fmt.Errorf("timeline: result %s: %w: the SEQUENCE %d is negative", t.Result, ErrMessage, sequence)
	}
	_, d, err := t.messageData(sub, s, Dutch, English)
	if err != nil {
		return nil, err
	}
	events, err := t.updatedDeadlines(sub, s, &d)
	if err != nil {
		return nil, err
	}
	return writeCalendar(t.Result, s, uidDomain, stamp, sequence, events), nil
}

// updatedDeadlines returns the student's events after the change sub tells
// of, in the order of deadlines: inspection, determination, appeal.
func (t *Timeline) updatedDeadlines(sub Subject, s Settings, d *messageData) ([]deadline, error) {
	both := func(nl, en string) string { return nl + "\n\n" + en }
	nl, en := func(day calendar.Date) string { return longDate(Dutch, day) }, func(day calendar.Date) string { return longDate(English, day) }
	clockNL, clockEN := t.clock(Dutch), t.clock(English)
	// The appeal against an invalidation, when the timeline counts one.
	invalidationAppeal := func() deadline {
		return deadline{what: "appeal", day: d.AppealEnds,
			summary: Words{"Laatste dag om in beroep te gaan tegen de ongeldigverklaring", "Last day to appeal against the invalidation"}.slashed(),
			description: both(
				fmt.Sprintf("De examencommissie heeft je resultaat in %s op %s ongeldig verklaard. Ben je het niet eens met dit besluit? Ga dan uiterlijk %s in beroep bij de Commissie van Beroep voor de Examens via %s, tot het einde van die werkdag%s.",
					s.KRS, nl(d.On), nl(d.AppealEnds), s.AppealsBoardAddress, clockNL),
				fmt.Sprintf("The exam committee declared your result in %s invalid on %s. Do you disagree with this decision? Appeal to the Examination Appeals Board (CBE) at %s no later than %s, until the end of that working day%s.",
					s.KRS, en(d.On), s.AppealsBoardAddress, en(d.AppealEnds), clockEN)),
		}
	}
	if t.Registered.IsZero() {
		// Only an invalidation comes here (CalendarUpdate): the student had
		// no calendar of this result, and has one deadline at most.
		if d.AppealEnds.IsZero() {
			return nil, fmt.Errorf("timeline: result %s: %w: %s calendar: the result is not registered and the timeline has no appeal term: no event to write",
				t.Result, ErrMessage, sub.Kind)
		}
		return []deadline{invalidationAppeal()}, nil
	}

	events, err := t.deadlines(s)
	if err != nil {
		return nil, err
	}
	inspection, determination, appeal := &events[0], &events[1], &events[2]

	switch sub.Kind {
	case MessageDeterminedEarly:
		determination.summary = Words{"Resultaat vervroegd vastgesteld", "Result determined early"}.slashed()
		determination.description = both(
			fmt.Sprintf("Op %s heeft de examencommissie het resultaat in %s vervroegd definitief vastgesteld, voor het uitreiken van een diploma of mbo-certificaat. Vanaf dat moment kun je tot en met %s%s in beroep gaan bij de Commissie van Beroep voor de Examens via %s.",
				nl(d.On), s.KRS, nl(d.AppealEnds), clockNL, s.AppealsBoardAddress),
			fmt.Sprintf("On %s the exam committee determined the result in %s early, so that a diploma or MBO certificate can be issued. From then on you can appeal to the Examination Appeals Board (CBE) at %s until and including %s%s.",
				en(d.On), s.KRS, s.AppealsBoardAddress, en(d.AppealEnds), clockEN))
		if d.CutShort {
			inspection.description = both(
				fmt.Sprintf("Het resultaat in %s is op %s vervroegd vastgesteld. Je recht op inzage en klacht blijft: je kunt je nog tot en met %s bij de examencommissie melden via %s, tot het einde van die werkdag%s.",
					s.KRS, nl(d.On), nl(d.InspectionEnds), s.CommitteeAddress, clockNL),
				fmt.Sprintf("The result in %s was determined early on %s. You keep your right to inspection and complaint: you can still contact the exam committee at %s until and including %s, until the end of that working day%s.",
					s.KRS, en(d.On), s.CommitteeAddress, en(d.InspectionEnds), clockEN))
		}

	case MessageAppealDecided:
		w, _ := outcomeWords(sub.Outcome)
		appeal.description = both(
			fmt.Sprintf("De Commissie van Beroep voor de Examens heeft op %s een besluit genomen over je beroep tegen het resultaat in %s: het beroep is %s. Het resultaat blijft definitief.",
				nl(d.On), s.KRS, w.Dutch),
			fmt.Sprintf("On %s the Examination Appeals Board (CBE) decided on your appeal against the result in %s: your appeal was %s. The result remains final.",
				en(d.On), s.KRS, w.English))

	case MessageAnnulled, MessageCorrected, MessageInvalidated:
		var whyNL, whyEN string
		switch sub.Kind {
		case MessageAnnulled:
			whyNL = fmt.Sprintf("de Commissie van Beroep voor de Examens heeft het resultaat in %s op %s vernietigd. De examencommissie neemt een nieuw besluit; daarover krijg je apart bericht.",
				s.KRS, nl(d.On))
			whyEN = fmt.Sprintf("the Examination Appeals Board (CBE) annulled the result in %s on %s. The exam committee will take a new decision; you will receive a separate message about it.",
				s.KRS, en(d.On))
		case MessageCorrected:
			whyNL = fmt.Sprintf("de examencommissie heeft het resultaat in %s, vastgesteld op %s, gecorrigeerd. Over het gecorrigeerde resultaat krijg je apart bericht, met de termijnen die daarvoor gelden.",
				s.KRS, nl(d.Determination))
			whyEN = fmt.Sprintf("the exam committee corrected the result in %s, determined on %s. You will receive a separate message about the corrected result, with the terms that apply to it.",
				s.KRS, en(d.Determination))
		default:
			whyNL = fmt.Sprintf("de examencommissie heeft het resultaat in %s op %s ongeldig verklaard.", s.KRS, nl(d.On))
			whyEN = fmt.Sprintf("the exam committee declared the result in %s invalid on %s.", s.KRS, en(d.On))
		}
		summaries := [3]Words{inspectionSummary, dueSummary, appealSummary}
		if d.Determined {
			summaries[1] = determinedSummary
		}
		for i := range events {
			e := &events[i]
			e.cancelled = true
			e.summary = "Vervallen: " + summaries[i].Dutch + " / Cancelled: " + summaries[i].English
			e.description = both("Deze datum vervalt: "+whyNL, "This date no longer applies: "+whyEN)
		}
		if sub.Kind == MessageInvalidated && !d.AppealEnds.IsZero() {
			*appeal = invalidationAppeal()
		}
	}
	return events, nil
}
