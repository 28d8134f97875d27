package timeline

import (
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// A Timeline is the set of dates that the policy gives one result, and the
// places where what happened conflicts with the policy. A date that ends a
// window means "until the end of that working day" ([Timeline.End] gives
// the instant). A date is zero while the event it depends on has not
// happened: InspectionEnds and DeterminationDue wait for registration,
// AppealEnds for determination or invalidation, the decision dates for a
// complaint or an appeal.
type Timeline struct {
	Result string
	Policy *Policy // the version in force on the exam date

	Exam       calendar.Date
	Delivered  calendar.Date // zero when the delivery is not known
	Registered calendar.Date

	// AssessmentDue ends the assessment term: AssessmentTerm working days
	// after the exam.
	AssessmentDue calendar.Date

	// InspectionEnds ends the window for inspection and complaint:
	// InspectionTerm working days after registration.
	InspectionEnds calendar.Date

	// ExamRule and RegistrationRule are the dates the two rules set;
	// DeterminationDue is the latest of them, or the early date, and Binding
	// says which rule set it.
	ExamRule, RegistrationRule calendar.Date
	DeterminationDue           calendar.Date
	Binding                    Rule

	Determined  calendar.Date
	Invalidated calendar.Date // when the exam committee declared the result invalid, if it did
	// AppealEnds ends the appeal window: AppealTerm working days after the
	// decision appealed, the determination or the invalidation (see
	// Facts.Invalidated).
	AppealEnds calendar.Date

	ComplaintLodged calendar.Date
	// ComplaintDecisionDue: ComplaintHandlingTerm working days after the complaint.
	ComplaintDecisionDue calendar.Date

	AppealLodged calendar.Date
	// AppealDecisionDue is the last day of the appeals board's term:
	// AppealDecisionWeeks after the appeal window ends, plus
	// AppealExtensionWeeks when the board extended (WEB art. 7.5.4). The
	// law sets this term, so the Algemene termijnenwet, art. 1(1), counts
	// it: a last day on a Saturday, Sunday, public holiday or decree day
	// moves to the next day that is none of these; the institution's
	// closures do not move it (calendar.Calendar.GeneralTermEnd). The board
	// is in time on any moment of that day.
	AppealDecisionDue calendar.Date
	AppealDecided     calendar.Date // AppealDecidedLate when after AppealDecisionDue

	// Conflicts lists, in a fixed order, where what happened disagrees
	// with the policy.
	Conflicts []Conflict

	cal   *calendar.Calendar
	facts Facts
}

// New places the facts of one result on its timeline, under the calendar
// and the policy version in force on the exam date. Facts that cannot be
// right (an appeal before determination, a date outside the calendar) are a
// *FactsError; an exam date without a policy in force matches ErrNoPolicy.
// What happened against the policy is no error: it is a Conflict.
func New(cal *calendar.Calendar, policies *PolicySet, f Facts) (Timeline, error) {
	if f.Exam.IsZero() {
		return Timeline{}, &FactsError{Result: f.Result, Field: "exam", Problem: "the exam date is required"}
	}
	exam := cal.Date(f.Exam)
	p, err := policies.At(exam)
	if err != nil {
		return Timeline{}, err
	}
	b := builder{cal: cal, p: p, f: f}
	b.t = Timeline{Result: f.Result, Policy: p, Exam: exam, cal: cal, facts: f}
	b.build()
	if b.err != nil {
		return Timeline{}, b.err
	}
	return b.t, nil
}

func (b *builder) build() {
	t, f := &b.t, &b.f
	t.AssessmentDue = b.add("exam", t.Exam, b.p.AssessmentTerm)
	t.ExamRule = b.add("exam", t.Exam, b.p.DeterminationTerm)
	if b.err != nil || !b.order() {
		return
	}
	b.assessment()
	if !f.Registered.IsZero() {
		b.registration()
		b.complaint()
		if !f.Determined.IsZero() {
			t.Determined = b.cal.Date(f.Determined)
			b.determination()
		}
	}
	if !f.Invalidated.IsZero() {
		t.Invalidated = b.cal.Date(f.Invalidated)
	}
	b.appeal()
}

// assessment compares the moment the assessor's result came in with the
// assessment term: the delivery when it is known, else the registration.
// A result delivered in time but registered late is the administration's
// lateness, CheckedLate, not the assessor's.
func (b *builder) assessment() {
	t, f := &b.t, &b.f
	end := b.cal.EndOf(t.AssessmentDue)
	if !f.Registered.IsZero() {
		t.Registered = b.cal.Date(f.Registered)
	}
	if f.Successor {
		return
	}
	// The assessment is judged by the first registration: a new grade the
	// committee gave later registers the result anew, in time or not.
	first := f.Registered
	if !f.FirstRegistered.IsZero() {
		first = f.FirstRegistered
	}
	registered := b.cal.Date(first)
	if !first.IsZero() && registered.Before(t.Exam) {
		b.conflict(Conflict{Code: RegisteredBeforeExam, Rule: t.Exam, Actual: registered, Fact: "registered"})
	}
	registeredLate := !first.IsZero() && !first.Before(end)
	switch {
	case !f.Delivered.IsZero():
		t.Delivered = b.cal.Date(f.Delivered)
		if !f.Delivered.Before(end) {
			b.conflict(Conflict{Code: RegisteredLate, Rule: t.AssessmentDue, Actual: t.Delivered,
				Workdays: b.between("delivered", t.AssessmentDue, t.Delivered), Fact: "delivered"})
		} else if registeredLate {
			b.conflict(Conflict{Code: CheckedLate, Rule: t.AssessmentDue, Actual: registered,
				Workdays: b.between("registered", t.AssessmentDue, registered), Fact: "registered"})
		}
	case registeredLate:
		b.conflict(Conflict{Code: RegisteredLate, Rule: t.AssessmentDue, Actual: registered,
			Workdays: b.between("registered", t.AssessmentDue, registered), Fact: "registered"})
	}
}

// registration places the inspection window and the registration rule,
// and the determination date the rules set together.
func (b *builder) registration() {
	t, p := &b.t, b.p
	t.InspectionEnds = b.add("registered", t.Registered, p.InspectionTerm)
	t.RegistrationRule = b.tail(b.add("registered", t.Registered, p.ProvisionalTerm))
	t.DeterminationDue, t.Binding = t.ExamRule, AfterExam
	if t.RegistrationRule.After(t.ExamRule) {
		t.DeterminationDue, t.Binding = t.RegistrationRule, AfterRegistration
		b.conflict(Conflict{Code: DeterminationPostponed, Rule: t.ExamRule, Actual: t.RegistrationRule,
			Workdays: b.between("registered", t.ExamRule, t.RegistrationRule)})
	}
}

// complaint places the committee's decision date and checks the complaint
// came within the inspection window.
func (b *builder) complaint() {
	t, f := &b.t, &b.f
	if f.ComplaintLodged.IsZero() {
		return
	}
	t.ComplaintLodged = b.cal.Date(f.ComplaintLodged)
	t.ComplaintDecisionDue = b.add("complaint_lodged", t.ComplaintLodged, b.p.ComplaintHandlingTerm)
	if !f.ComplaintLodged.Before(b.cal.EndOf(t.InspectionEnds)) {
		b.conflict(Conflict{Code: ComplaintLate, Rule: t.InspectionEnds, Actual: t.ComplaintLodged,
			Workdays: b.between("complaint_lodged", t.InspectionEnds, t.ComplaintLodged), Fact: "complaint_lodged"})
	}
}

// determination compares the determination with the date the rules set.
func (b *builder) determination() {
	t, p := &b.t, b.p
	switch {
	case b.f.Early && !p.EarlyDetermination:
		b.conflict(Conflict{Code: EarlyNotAllowed, Rule: t.DeterminationDue, Actual: t.Determined, Fact: "determined"})
	case b.f.Early && t.Determined.Before(t.DeterminationDue):
		t.DeterminationDue, t.Binding = t.Determined, Early
		if !t.Determined.After(t.InspectionEnds) {
			b.conflict(Conflict{Code: InspectionCutShort, Rule: t.InspectionEnds, Actual: t.Determined,
				Workdays: b.between("determined", t.InspectionEnds, t.Determined), Fact: "determined"})
		}
		return
	}
	switch {
	case t.Determined.Before(t.DeterminationDue) && !b.f.Early:
		b.conflict(Conflict{Code: DeterminedBeforeDue, Rule: t.DeterminationDue, Actual: t.Determined,
			Workdays: b.between("determined", t.DeterminationDue, t.Determined), Fact: "determined"})
	case t.Determined.After(t.DeterminationDue):
		b.conflict(Conflict{Code: DeterminedLate, Rule: t.DeterminationDue, Actual: t.Determined,
			Workdays: b.between("determined", t.DeterminationDue, t.Determined), Fact: "determined"})
	}
}

// End returns the instant at which the working day d ends in the
// timeline's calendar: a window that ends on d is open before End(d).
func (t *Timeline) End(d calendar.Date) time.Time { return t.cal.EndOf(d) }

// HasConflict reports whether the timeline has a conflict with the code.
func (t *Timeline) HasConflict(code Code) bool {
	for _, c := range t.Conflicts {
		if c.Code == code {
			return true
		}
	}
	return false
}
