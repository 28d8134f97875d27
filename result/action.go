package result

import "fmt"

// An Action is what a command asks to do with a result. Mandates name the
// actions they grant.
type Action uint8

// The actions.
const (
	Receive          Action = iota + 1 // take in a delivered or hand-entered result
	Redeliver                          // replace the delivered record before registration, keeping the old in the trail
	Reject                             // refuse it at intake
	Register                           // register it as provisional after the import check
	RaiseException                     // record a deviation
	ResolveException                   // resolve or approve a deviation
	LodgeComplaint                     // the student asks for inspection or complains
	DecideComplaint                    // the exam committee decides the complaint
	Determine                          // determine the result after its terms (vaststellen)
	DetermineEarly                     // determine it early, for a diploma or certificate
	LodgeAppeal                        // the student appeals to the appeals board
	DecideAppeal                       // the appeals board decides
	Correct                            // replace a determined result by a correction
	Invalidate                         // declare the result invalid (fraud)
)

var actionNames = [...]string{"", "receive", "redeliver", "reject", "register", "raise_exception", "resolve_exception",
	"lodge_complaint", "decide_complaint", "determine", "determine_early", "lodge_appeal", "decide_appeal",
	"correct", "invalidate"}

// Actions returns every action, in procedure order.
func Actions() []Action {
	out := make([]Action, 0, len(actionNames)-1)
	for a := Receive; int(a) < len(actionNames); a++ {
		out = append(out, a)
	}
	return out
}

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
