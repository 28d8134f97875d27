package timeline

import (
	"encoding/json"
	"fmt"

	"github.com/krs-oke/vaststelling/calendar"
)

// A Code names a kind of conflict between what happened to a result and
// its policy. Its text is the code in reports and JSON.
type Code string

// The conflicts a timeline reports.
const (
	// RegisteredLate: the result was registered after the assessment term.
	RegisteredLate Code = "registered_late"
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
)

// A Conflict is one place where what happened disagrees with the policy:
// the date a rule set, the date that happened, and the working days from
// the one to the other.
type Conflict struct {
	Code     Code
	Rule     calendar.Date // the date the policy set
	Actual   calendar.Date // the date that happened, or that another rule set
	Workdays int           // working days from Rule to Actual; negative when Actual is earlier
}

// Message explains the conflict in a sentence a person can act on.
func (c Conflict) Message() string {
	switch c.Code {
	case RegisteredLate:
		if c.Workdays == 0 {
			return fmt.Sprintf("registered on %s after the assessment term ended that day", c.Actual)
		}
		return fmt.Sprintf("registered on %s, %s after the assessment term ended on %s",
			c.Actual, workdays(c.Workdays), c.Rule)
	case RegisteredBeforeExam:
		return fmt.Sprintf("registered on %s, before the exam on %s", c.Actual, c.Rule)
	case DeterminationPostponed:
		return fmt.Sprintf("the registration rule sets determination on %s, %s after the exam rule's %s",
			c.Actual, workdays(c.Workdays), c.Rule)
	case InspectionCutShort:
		return fmt.Sprintf("determined early on %s, while inspection and complaint were open until %s",
			c.Actual, c.Rule)
	case EarlyNotAllowed:
		return fmt.Sprintf("determined early on %s, but the policy does not allow early determination", c.Actual)
	case DeterminedBeforeDue:
		return fmt.Sprintf("determined on %s without an early decision, %s before its date %s",
			c.Actual, workdays(-c.Workdays), c.Rule)
	case DeterminedLate:
		return fmt.Sprintf("determined on %s, %s after its date %s", c.Actual, workdays(c.Workdays), c.Rule)
	case ComplaintLate:
		return fmt.Sprintf("complaint lodged on %s, after the inspection window ended at the end of %s", c.Actual, c.Rule)
	case AppealLate:
		return fmt.Sprintf("appeal lodged on %s, after the appeal window ended at the end of %s", c.Actual, c.Rule)
	}
	return fmt.Sprintf("%s: %s against %s", c.Code, c.Actual, c.Rule)
}

// Error makes a Conflict usable where an error is wanted, such as a
// refused determination; it returns Message with its code.
func (c Conflict) Error() string { return string(c.Code) + ": " + c.Message() }

func workdays(n int) string {
	if n == 1 {
		return "1 working day"
	}
	return fmt.Sprintf("%d working days", n)
}

// MarshalJSON encodes the conflict with its message, for reports:
// {"code", "message", "rule", "actual", "workdays"}.
func (c Conflict) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Code     Code          `json:"code"`
		Message  string        `json:"message"`
		Rule     calendar.Date `json:"rule,omitzero"`
		Actual   calendar.Date `json:"actual,omitzero"`
		Workdays int           `json:"workdays"`
	}{c.Code, c.Message(), c.Rule, c.Actual, c.Workdays})
}
