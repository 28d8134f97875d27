package result

import "fmt"

// A State is where a result stands in the procedure. The allowed moves
// between states are the table Transitions.
type State uint8

// The states. The zero State is None: no result yet, before Receive.
const (
	None        State = iota
	Received          // delivered, not yet checked (ontvangen)
	Provisional       // registered, the student's terms running (voorlopig)
	OnHold            // an inspection, complaint or irregularity is open (aangehouden)
	Final             // determined: definitive and binding (definitief, vastgesteld)
	UnderAppeal       // an appeal to the appeals board is open (in beroep)
	Superseded        // end: replaced by a correction after determination
	Annulled          // end: the appeals board upheld an appeal; a new decision follows as a new result
	Invalidated       // end: declared invalid by the exam committee (fraud)
	Rejected          // end: refused at intake
)

var stateNames = [...]string{"none", "received", "provisional", "on_hold", "final", "under_appeal",
	"superseded", "annulled", "invalidated", "rejected"}

// States returns every state from Received on, in procedure order.
func States() []State {
	return []State{Received, Provisional, OnHold, Final, UnderAppeal, Superseded, Annulled, Invalidated, Rejected}
}

// String returns the state as spelled in events and reports, such as "on_hold".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// IsEnd reports whether the procedure is over for a result in s: nothing
// is due on it. Two ends can still be left, by what comes from outside: a
// rejected result by a valid re-delivery (OKE must accept it), an
// invalidated one by an appeal against the invalidation.
func (s State) IsEnd() bool { return s >= Superseded && s <= Rejected }

// MarshalText encodes the state as its String.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a state's String.
func (s *State) UnmarshalText(text []byte) error {
	for i, name := range stateNames {
		if string(text) == name {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("result: unknown state %q", text)
}
