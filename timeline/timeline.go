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
// AppealEnds for determination, the decision dates for a complaint or an
// appeal.
type Timeline struct {
	Result string
	Policy *Policy // the version in force on the exam date

	Exam       calendar.Date
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

	Determined calendar.Date
	// AppealEnds ends the appeal window: AppealTerm working days after determination.
	AppealEnds calendar.Date

	ComplaintLodged calendar.Date
	// ComplaintDecisionDue: ComplaintHandlingTerm working days after the complaint.
	ComplaintDecisionDue calendar.Date

	AppealLodged calendar.Date
	// AppealDecisionDue: AppealDecisionWeeks after the appeal window ends
	// (plus AppealExtensionWeeks when the board extended), moved to the next
	// working day when it falls on another day.
	AppealDecisionDue calendar.Date

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

// builder computes one timeline, keeping the first error it meets.
type builder struct {
	cal *calendar.Calendar
	p   *Policy
	f   Facts
	t   Timeline
	err error
}

func (b *builder) build() {
	t, p, f := &b.t, b.p, b.f
	t.AssessmentDue = b.add("exam", t.Exam, p.AssessmentTerm)
	t.ExamRule = b.add("exam", t.Exam, p.DeterminationTerm)
	if b.err != nil || !b.order() || f.Registered.IsZero() {
		return
	}

	t.Registered = b.cal.Date(f.Registered)
	if t.Registered.Before(t.Exam) {
		b.conflict(Conflict{Code: RegisteredBeforeExam, Rule: t.Exam, Actual: t.Registered})
	}
	if !f.Registered.Before(b.cal.EndOf(t.AssessmentDue)) {
		b.conflict(Conflict{Code: RegisteredLate, Rule: t.AssessmentDue, Actual: t.Registered,
			Workdays: b.between("registered", t.AssessmentDue, t.Registered)})
	}
	t.InspectionEnds = b.add("registered", t.Registered, p.InspectionTerm)
	t.RegistrationRule = b.tail(b.add("registered", t.Registered, p.ProvisionalTerm))
	t.DeterminationDue, t.Binding = t.ExamRule, AfterExam
	if t.RegistrationRule.After(t.ExamRule) {
		t.DeterminationDue, t.Binding = t.RegistrationRule, AfterRegistration
		b.conflict(Conflict{Code: DeterminationPostponed, Rule: t.ExamRule, Actual: t.RegistrationRule,
			Workdays: b.between("registered", t.ExamRule, t.RegistrationRule)})
	}

	if !f.ComplaintLodged.IsZero() {
		t.ComplaintLodged = b.cal.Date(f.ComplaintLodged)
		t.ComplaintDecisionDue = b.add("complaint_lodged", t.ComplaintLodged, p.ComplaintHandlingTerm)
		if !f.ComplaintLodged.Before(b.cal.EndOf(t.InspectionEnds)) {
			b.conflict(Conflict{Code: ComplaintLate, Rule: t.InspectionEnds, Actual: t.ComplaintLodged,
				Workdays: b.between("complaint_lodged", t.InspectionEnds, t.ComplaintLodged)})
		}
	}

	if f.Determined.IsZero() {
		return
	}
	t.Determined = b.cal.Date(f.Determined)
	b.determination()
	t.AppealEnds = b.add("determined", t.Determined, p.AppealTerm)
	if f.AppealLodged.IsZero() {
		return
	}
	t.AppealLodged = b.cal.Date(f.AppealLodged)
	if !f.AppealLodged.Before(b.cal.EndOf(t.AppealEnds)) {
		b.conflict(Conflict{Code: AppealLate, Rule: t.AppealEnds, Actual: t.AppealLodged,
			Workdays: b.between("appeal_lodged", t.AppealEnds, t.AppealLodged)})
	}
	weeks := p.AppealDecisionWeeks
	if f.AppealExtended {
		weeks += p.AppealExtensionWeeks
	}
	t.AppealDecisionDue = b.onWorkday("appeal_lodged", t.AppealEnds.AddDays(7*weeks))
}

// determination compares the determination with the date the rules set.
func (b *builder) determination() {
	t, p := &b.t, b.p
	switch {
	case b.f.Early && !p.EarlyDetermination:
		b.conflict(Conflict{Code: EarlyNotAllowed, Rule: t.DeterminationDue, Actual: t.Determined})
	case b.f.Early && t.Determined.Before(t.DeterminationDue):
		t.DeterminationDue, t.Binding = t.Determined, Early
		if !t.Determined.After(t.InspectionEnds) {
			b.conflict(Conflict{Code: InspectionCutShort, Rule: t.InspectionEnds, Actual: t.Determined,
				Workdays: b.between("determined", t.InspectionEnds, t.Determined)})
		}
		return
	}
	switch {
	case t.Determined.Before(t.DeterminationDue) && !b.f.Early:
		b.conflict(Conflict{Code: DeterminedBeforeDue, Rule: t.DeterminationDue, Actual: t.Determined,
			Workdays: b.between("determined", t.DeterminationDue, t.Determined)})
	case t.Determined.After(t.DeterminationDue):
		b.conflict(Conflict{Code: DeterminedLate, Rule: t.DeterminationDue, Actual: t.Determined,
			Workdays: b.between("determined", t.DeterminationDue, t.Determined)})
	}
}

// order checks that the moments that are known follow each other as they
// must, and reports the first that does not.
func (b *builder) order() bool {
	f := b.f
	steps := []struct {
		field, after string
		at, prev     time.Time
	}{
		{"complaint_lodged", "registration", f.ComplaintLodged, f.Registered},
		{"complaint_decided", "the complaint", f.ComplaintDecided, f.ComplaintLodged},
		{"determined", "registration", f.Determined, f.Registered},
		{"appeal_lodged", "determination", f.AppealLodged, f.Determined},
		{"appeal_decided", "the appeal", f.AppealDecided, f.AppealLodged},
	}
	for _, s := range steps {
		if s.at.IsZero() {
			continue
		}
		if s.prev.IsZero() {
			b.fail(s.field, "given, but "+s.after+" is not", nil)
			return false
		}
		if s.at.Before(s.prev) {
			b.fail(s.field, "comes before "+s.after, nil)
			return false
		}
	}
	if f.Early && f.Determined.IsZero() {
		b.fail("early", "an early determination needs the moment of determination", nil)
		return false
	}
	return true
}

func (b *builder) add(field string, d calendar.Date, n int) calendar.Date {
	if b.err != nil {
		return calendar.Date{}
	}
	e, err := b.cal.AddWorkdays(d, n)
	if err != nil {
		b.fail(field, "cannot count its terms", err)
	}
	return e
}

// tail adds the ProvisionalTail to d, in the policy's unit; a calendar-day
// tail that ends on a day off moves to the next working day.
func (b *builder) tail(d calendar.Date) calendar.Date {
	if b.p.TailUnit == WorkingDays {
		return b.add("registered", d, b.p.ProvisionalTail)
	}
	return b.onWorkday("registered", d.AddDays(b.p.ProvisionalTail))
}

// onWorkday returns d, or the working day after it when d is a day off.
func (b *builder) onWorkday(field string, d calendar.Date) calendar.Date {
	if b.err != nil {
		return calendar.Date{}
	}
	work, err := b.cal.IsWorkday(d)
	if err == nil && !work {
		d, err = b.cal.NextWorkday(d)
	}
	if err != nil {
		b.fail(field, "cannot count its terms", err)
	}
	return d
}

func (b *builder) between(field string, from, to calendar.Date) int {
	if b.err != nil {
		return 0
	}
	n, err := b.cal.WorkdaysBetween(from, to)
	if err != nil {
		b.fail(field, "cannot count its terms", err)
	}
	return n
}

func (b *builder) conflict(c Conflict) {
	if b.t.Conflicts == nil {
		b.t.Conflicts = make([]Conflict, 0, 4)
	}
	b.t.Conflicts = append(b.t.Conflicts, c)
}

func (b *builder) fail(field, problem string, err error) {
	if b.err == nil {
		b.err = &FactsError{Result: b.f.Result, Field: field, Problem: problem, Err: err}
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
