package timeline

import (
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// eventDates sets the dates the message of sub names, and checks that the
// timeline has the event it tells of.
func (t *Timeline) eventDates(sub Subject, d *messageData) error {
	missing := func(field, what string) error {
		return fmt.Errorf("timeline: result %s: %w: %s message: %s: %s", t.Result, ErrMessage, sub.Kind, field, what)
	}
	registered := func() error {
		if t.Registered.IsZero() {
			return missing("registered", "the result is not registered")
		}
		return nil
	}
	determined := func() error {
		if t.Determined.IsZero() {
			return missing("determined", "the result is not determined")
		}
		return nil
	}
	// provisional sets the terms of a provisional result, as
	// StudentMessage names them.
	provisional := func() error {
		due, appealEnds, err := t.studentDates()
		if err != nil {
			return err
		}
		d.InspectionEnds, d.Determination, d.AppealEnds = t.InspectionEnds, due, appealEnds
		d.Early = t.Policy.EarlyDetermination && t.Determined.IsZero()
		return nil
	}
	// fact returns the date of a moment of the facts.
	fact := func(at time.Time) calendar.Date {
		if at.IsZero() {
			return calendar.Date{}
		}
		return t.cal.Date(at)
	}

	// or returns the timeline's date, else the facts'.
	or := func(timeline, facts calendar.Date) calendar.Date {
		if timeline.IsZero() {
			return facts
		}
		return timeline
	}

	switch sub.Kind {
	case MessageProvisional:
		if err := registered(); err != nil {
			return err
		}
		return provisional()

	case MessageFinal, MessageDeterminedEarly:
		if err := determined(); err != nil {
			return err
		}
		switch {
		case sub.Kind == MessageFinal && t.facts.Early:
			return missing("early", fmt.Sprintf("the result was determined early: that is the %s message", MessageDeterminedEarly))
		case sub.Kind == MessageDeterminedEarly && !t.facts.Early:
			return missing("early", fmt.Sprintf("the result was not determined early: that is the %s message", MessageFinal))
		}
		d.On, d.Determination, d.InspectionEnds = t.Determined, t.Determined, t.InspectionEnds
		d.AppealEnds = t.appealEndsFrom(t.Determined, !t.Invalidated.IsZero())
		d.CutShort = t.HasConflict(InspectionCutShort)
		return nil

	case MessageComplaintDecided:
		if err := registered(); err != nil {
			return err
		}
		decided := fact(t.facts.ComplaintDecided)
		if !sub.At.IsZero() {
			decided = fact(sub.At)
		} else if sub.Previous != (Words{}) {
			// The corrected grade is registered anew at the decision.
			if decided.After(t.Registered) {
				return missing("registered", fmt.Sprintf("the new grade is registered on %s, before the complaint was decided on %s: the corrected grade's terms run from the decision",
					t.Registered, decided))
			}
			decided = t.Registered
		}
		if decided.IsZero() {
			return missing("complaint_decided", "the facts have no date of the complaint decision")
		}
		d.On = decided
		if err := provisional(); err != nil {
			return err
		}
		d.StillOpen = t.Determined.IsZero() && !decided.After(t.InspectionEnds)
		return nil

	case MessageAppealDecided, MessageAnnulled:
		// The appeal was against the invalidation when that is the later
		// of the two decisions one can appeal.
		d.AgainstInvalidation = !t.Invalidated.IsZero() && (t.Determined.IsZero() || !t.Invalidated.Before(t.Determined))
		d.Invalidated = t.Invalidated
		if !d.AgainstInvalidation {
			if err := determined(); err != nil {
				return err
			}
		}
		if d.On = or(fact(sub.At), or(t.AppealDecided, fact(t.facts.AppealDecided))); d.On.IsZero() {
			return missing("appeal_decided", "the facts have no date of the appeal decision")
		}
		d.Determination, d.AppealEnds = t.Determined, t.AppealEnds
		return nil

	case MessageCorrected:
		if err := determined(); err != nil {
			return err
		}
		d.Determination = t.Determined
		return nil

	case MessageInvalidated:
		if d.On = or(fact(sub.At), or(t.Invalidated, fact(t.facts.Invalidated))); d.On.IsZero() {
			return missing("invalidated", "the facts have no date of the invalidation")
		}
		d.AppealEnds = t.appealEndsFrom(d.On, !t.Determined.IsZero())
		return nil
	}
	return nil
}

// appealEndsFrom returns the last day of appeal against the decision
// taken on day: the timeline's AppealEnds, which counts from the one
// decision appealed, unless another decision may have taken it over
// (both a determination and an invalidation); then AppealTerm working days
// after day, as the timeline counts it. It is zero when the calendar
// cannot count that far: the message then names no date.
func (t *Timeline) appealEndsFrom(day calendar.Date, other bool) calendar.Date {
	if !other {
		return t.AppealEnds
	}
	end, err := t.cal.AddWorkdays(day, t.Policy.AppealTerm)
	if err != nil {
		return calendar.Date{}
	}
	return end
}
