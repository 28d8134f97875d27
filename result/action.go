package result

import "fmt"

// An Action is what a command asks to do with a result. Mandates name the
// actions they grant.
type Action uint8

// The actions.
const (
	Receive           Action = iota + 1 // take in a delivered or hand-entered result
	Redeliver                           // replace the delivered record before registration, keeping the old in the trail
	Reject                              // refuse it at intake
	Register                            // register it as provisional after the import check
	RaiseException                      // record a deviation
	ResolveException                    // resolve or approve a deviation
	LodgeComplaint                      // the student asks for inspection or complains
	DecideComplaint                     // the exam committee decides the complaint
	Determine                           // determine the result after its terms (vaststellen)
	DetermineEarly                      // determine it early, for a diploma or certificate
	LodgeAppeal                         // the student appeals to the appeals board
	DecideAppeal                        // the appeals board decides
	Correct                             // replace a determined result by a correction
	Invalidate                          // declare the result invalid (fraud)
	RequestInspection                   // the student asks to inspect the exam (inzage), which is no complaint
	GrantInspection                     // the exam administration grants the inspection: when and where
	ExtendAppealTerm                    // the appeals board extends its term to decide (WEB art. 7.5.4)
)

var actionNames = [...]string{"", "receive", "redeliver", "reject", "register", "raise_exception", "resolve_exception",
	"lodge_complaint", "decide_complaint", "determine", "determine_early", "lodge_appeal", "decide_appeal",
	"correct", "invalidate", "request_inspection", "grant_inspection", "extend_appeal_term"}

// procedureOrder lists the actions as the procedure meets them; the
// numbering above only ever grows, so that nothing stored changes meaning.
var procedureOrder = []Action{Receive, Redeliver, Reject, Register, RaiseException, ResolveException,
	RequestInspection, GrantInspection, LodgeComplaint, DecideComplaint, Determine, DetermineEarly,
	LodgeAppeal, ExtendAppealTerm, DecideAppeal, Correct, Invalidate}

// Actions returns every action, in procedure order.
func Actions() []Action { return append([]Action(nil), procedureOrder...) }

// String returns the action as spelled in mandates and reports, such as "determine_early".
func (a Action) String() string {
	if a != 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// MarshalText encodes the action as its String.
func (a Action) MarshalText() ([]byte, error) {
	if a == 0 || int(a) >= len(actionNames) {
		return nil, fmt.Errorf("result: unknown action %d", uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText decodes an action's String.
func (a *Action) UnmarshalText(text []byte) error {
	for i, name := range actionNames {
		if i > 0 && string(text) == name {
			*a = Action(i)
			return nil
		}
	}
	return fmt.Errorf("result: unknown action %q", text)
}
