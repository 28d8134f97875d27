package result

import (
	"fmt"
	"slices"
	"strings"
)

// Diagram returns the state machine as a Mermaid state diagram, generated
// from Transitions: one arrow per move, labelled with its action and guard.
func Diagram() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, t := range transitions {
		from := t.From.String()
		if t.From == None {
			from = "[*]"
		}
		label := t.Action.String()
		if t.Guard != Always {
			label += " [" + t.Guard.String() + "]"
		}
		fmt.Fprintf(&b, "    %s --> %s: %s\n", from, t.To, label)
	}
	for _, s := range States() {
		if s.IsEnd() {
			fmt.Fprintf(&b, "    %s --> [*]\n", s)
		}
	}
	return b.String()
}

// Document returns the reference page of the state machine in Markdown:
// the diagram, the transitions, who may take each action, and the kinds of
// exception. STATES.md beside this file is this page; a test keeps them equal.
func Document() string {
	var b strings.Builder
	b.WriteString("# The result's state machine\n\n")
	b.WriteString("Generated from `result.Transitions`, `result.Rights` and the exception kinds by\n")
	b.WriteString("`result.Document()`; `go test ./result -update` rewrites it. Do not edit by hand.\n\n")
	b.WriteString("```mermaid\n" + Diagram() + "```\n\n")

	b.WriteString("## Transitions\n\n| from | action | when | to |\n|---|---|---|---|\n")
	for _, t := range transitions {
		when := t.Guard.String()
		if when == "" {
			when = "always"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.From, t.Action, when, t.To)
	}

	b.WriteString("\n## Who may do what\n\n")
	b.WriteString("An assessor never takes a judging action (marked ⚖) on a result they assessed; a student acts only on\n")
	b.WriteString("their own results.\n\n| action | roles |\n|---|---|\n")
	for _, a := range Actions() {
		name := a.String()
		if judges[a] {
			name += " ⚖"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", name, roleList(rights[a]))
	}

	b.WriteString("\n## Exceptions\n\n| kind | puts on hold | resolved by |\n|---|---|---|\n")
	kinds := make([]string, 0, len(kindRules))
	for k := range kindRules {
		kinds = append(kinds, string(k))
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		rule := kindRules[ExceptionKind(k)]
		hold, by := "no", "exam_committee, exam_administration under mandate"
		if rule.holds {
			hold = "yes"
		}
		if rule.committeeOnly {
			by = "exam_committee"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", k, hold, by)
	}
	return b.String()
}
