package timeline

import (
	"cmp"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// A Task names what a signal asks for.
type Task string

// The tasks a timeline signals.
const (
	// AssessResult: the assessor has not delivered the result.
	AssessResult Task = "assess"
	// RegisterResult: the result was delivered but the exam administration
	// has not registered it (see CheckedLate).
	RegisterResult Task = "register"
	// DetermineResult: the result is due for determination.
	DetermineResult Task = "determine"
	// DecideComplaint: the exam committee has not decided a complaint.
	DecideComplaint Task = "decide_complaint"
	// DecideAppeal: the appeals board has not decided an appeal.
	DecideAppeal Task = "decide_appeal"
	// ResolveException: an exception that only the exam committee may
	// resolve (an irregularity, a changed re-delivery, …) is open on the
	// result, also after its determination. The timeline knows no
	// exceptions; the office signals these from the result.
	ResolveException Task = "resolve_exception"
)

// A Signal says that a task on a result is due today or overdue, and whose
// it is. Signals sort with Compare: most overdue first.
type Signal struct {
	Result string
	Task   Task
	Role   Role
	Due    calendar.Date // the last day of the task's term
	// Overdue is set once the term has ended; WorkdaysOverdue counts the
	// working days since, 0 when the task is due today.
	Overdue         bool
	WorkdaysOverdue int
}

// Compare orders signals by due date, then result id, then task.
func (s Signal) Compare(o Signal) int {
	if c := s.Due.Compare(o.Due); c != 0 {
		return c
	}
	if c := cmp.Compare(s.Result, o.Result); c != 0 {
		return c
	}
	return cmp.Compare(s.Task, o.Task)
}

// SortSignals sorts signals by Compare.
func SortSignals(signals []Signal) { slices.SortFunc(signals, Signal.Compare) }

// Signals appends to dst the tasks on the result that are due or overdue at
// the instant at, and returns the extended slice. It looks only at what had
// happened by then, so that a past moment can be replayed:
//
//   - AssessResult for the assessor, from the day the assessment term ends
//     until the result is delivered (or registered, when the delivery is
//     not known);
//   - RegisterResult for the exam administration, from the same day while
//     a delivered result waits for registration;
//   - DetermineResult for the exam administration, from the determination
//     date until it is determined, unless a complaint is open;
//   - DecideComplaint for the exam committee, from the last day of its
//     handling term until it is decided;
//   - DecideAppeal for the appeals board, from the last day of its term
//     (AppealDecisionDue) until it decides, whether the appeal is against a
//     determination or an invalidation. That term is the law's: it is
//     overdue only once its last day has ended, at midnight.
//
// Once the result is invalidated nothing is asked of the assessor or the
// exam administration any more: only an open complaint or appeal.
func (t *Timeline) Signals(at time.Time, dst []Signal) []Signal {
	f := &t.facts
	happened := func(m time.Time) bool { return !m.IsZero() && !m.After(at) }
	today := t.cal.Date(at)
	add := func(task Task, role Role, due calendar.Date, ends time.Time) {
		if today.Before(due) {
			return
		}
		s := Signal{Result: t.Result, Task: task, Role: role, Due: due}
		if !at.Before(ends) {
			s.Overdue = true
			s.WorkdaysOverdue, _ = t.cal.WorkdaysBetween(due, today)
		}
		dst = append(dst, s)
	}
	invalid := happened(f.Invalidated)
	delivered := happened(f.Delivered)
	if !invalid && !happened(f.Registered) {
		if delivered {
			add(RegisterResult, ExamAdministration, t.AssessmentDue, t.cal.EndOf(t.AssessmentDue))
		} else {
			add(AssessResult, Assessor, t.AssessmentDue, t.cal.EndOf(t.AssessmentDue))
		}
		return dst
	}
	complaintOpen := happened(f.ComplaintLodged) && !happened(f.ComplaintDecided)
	if complaintOpen {
		add(DecideComplaint, ExamCommittee, t.ComplaintDecisionDue, t.cal.EndOf(t.ComplaintDecisionDue))
	}
	if !invalid && !happened(f.Determined) {
		if !complaintOpen {
			add(DetermineResult, ExamAdministration, t.DeterminationDue, t.cal.EndOf(t.DeterminationDue))
		}
		return dst
	}
	if happened(f.AppealLodged) && !happened(f.AppealDecided) {
		add(DecideAppeal, AppealsBoard, t.AppealDecisionDue, t.AppealDecisionDue.AddDays(1).In(t.cal.Location()))
	}
	return dst
}
