package timeline

import "fmt"

// A Rule is what sets a result's determination date.
type Rule uint8

// The rules. The zero Rule means the date is not known yet: the result is
// not registered.
const (
	NoRule            Rule = iota
	AfterExam              // DeterminationTerm working days after the exam; wins a tie
	AfterRegistration      // ProvisionalTerm and ProvisionalTail after registration
	Early                  // an early determination by the exam committee
)

var ruleNames = [...]string{"", "after_exam", "after_registration", "early"}

// String returns "after_exam", "after_registration", "early", or "" for NoRule.
func (r Rule) String() string {
	if int(r) < len(ruleNames) {
		return ruleNames[r]
	}
	return fmt.Sprintf("Rule(%d)", uint8(r))
}

// MarshalText encodes the rule as its String.
func (r Rule) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes a rule's String; empty text is NoRule.
func (r *Rule) UnmarshalText(text []byte) error {
	for i, name := range ruleNames {
		if string(text) == name {
			*r = Rule(i)
			return nil
		}
	}
	return fmt.Errorf("timeline: unknown rule %q", text)
}
