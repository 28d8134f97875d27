package timeline

import (
	"encoding/json"

	"github.com/krs-oke/vaststelling/calendar"
)

// A Code names a kind of conflict between what happened to a result and
// its policy. Its text is the code in reports and JSON.
type Code string

// The conflicts a timeline reports.
const (
	// RegisteredLate: the assessor's result came in after the assessment
	// term: delivered after it when the delivery is known, else registered
	// after it. It is the assessor's lateness.
	RegisteredLate Code = "registered_late"
	// CheckedLate: the result was delivered in time but registered after
	// the assessment term, because the exam administration checked it
	// first. It is the administration's lateness, not the assessor's.
	CheckedLate Code = "checked_late"
	// RegisteredBeforeExam: the result was registered before the exam date.
	RegisteredBeforeExam Code = "registered_before_exam"
	// DeterminationPostponed: the registration rule pushes the determination
	// date beyond the exam rule (exam + DeterminationTerm).
	DeterminationPostponed Code = "determination_postponed"
	// InspectionCutShort: an early determination fell inside the inspection window.
	InspectionCutShort Code = "inspection_cut_short"
	// EarlyNotAllowed: a determination marked early, under a policy that does not allow it.
	EarlyNotAllowed Code = "early_not_allowed"
	// DeterminedBeforeDue: determined before its date without an early decision.
	DeterminedBeforeDue Code = "determined_before_due"
	// DeterminedLate: determined after its date.
	DeterminedLate Code = "determined_late"
	// ComplaintLate: a complaint lodged after the inspection window.
	ComplaintLate Code = "complaint_late"
	// AppealLate: an appeal lodged after the appeal window.
	AppealLate Code = "appeal_late"
	// AppealDecidedLate: the appeals board decided after its term
	// (AppealDecisionDue, extended or not), which the law sets: WEB art.
	// 7.5.4 and the Algemene termijnenwet.
	AppealDecidedLate Code = "appeal_decided_late"
)

// A Conflict is one place where what happened disagrees with the policy:
// the date a rule set, the date that happened, and the working days from
// the one to the other.
type Conflict struct {
	Code     Code
	Rule     calendar.Date // the date the policy set
	Actual   calendar.Date // the date that happened, or that another rule set
	Workdays int           // working days from Rule to Actual; negative when Actual is earlier
	// Fact names the fact Actual is the date of, spelled as FactsError.Field
	// spells it ("delivered", "registered", "appeal_decided", ...), so that
	// a reader can tell a late delivery from a late registration; empty
	// when Actual is the date another rule set.
	Fact string
}

// Message explains the conflict in an English sentence a person can act
// on; MessageIn gives it in Dutch too.
func (c Conflict) Message() string { return c.MessageIn(English) }

// Error makes a Conflict usable where an error is wanted, such as a
// refused determination; it returns Message with its code.
func (c Conflict) Error() string { return string(c.Code) + ": " + c.Message() }

// MarshalJSON encodes the conflict with its English message, for reports:
// {"code", "message", "rule", "actual", "workdays", "fact"}.
func (c Conflict) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Code     Code          `json:"code"`
		Message  string        `json:"message"`
		Rule     calendar.Date `json:"rule,omitzero"`
		Actual   calendar.Date `json:"actual,omitzero"`
		Workdays int           `json:"workdays"`
		Fact     string        `json:"fact,omitempty"`
	}{c.Code, c.Message(), c.Rule, c.Actual, c.Workdays, c.Fact})
}
