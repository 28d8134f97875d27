package result

import "github.com/krs-oke/vaststelling/timeline"

// A Transition is one allowed move: in state From, Action leads to To when
// its Guard holds. The table Transitions is the single source of the state
// machine: Decide follows it, and the documentation and the Mermaid
// diagram (Diagram) are generated from it.
type Transition struct {
	From   State
	Action Action
	To     State
	Guard  Guard
}

// A Guard is the condition under which a transition is taken, when an
// action can lead to more than one state.
type Guard uint8

// The guards.
const (
	Always      Guard = iota
	IfUpheld          // the decision upholds the appeal
	IfNotUpheld       // the decision does not uphold it, or it was withdrawn or inadmissible
	IfHeld            // afterwards an open complaint or holding exception keeps the result on hold
	IfClear           // afterwards nothing keeps it on hold
	IfStands          // the appeal against an invalidation is not upheld: the invalidation stands
)

var guardNames = [...]string{"", "upheld", "not upheld", "held", "clear", "invalidation stands"}

// String returns the guard in words, empty for Always.
func (g Guard) String() string { return guardNames[g] }

// transitions is the state machine. Order matters only for the docs.
var transitions = []Transition{
	{None, Receive, Received, Always},
	{Received, Redeliver, Received, Always},
	{Rejected, Redeliver, Received, Always},
	{Received, Reject, Rejected, Always},
	{Received, Register, Provisional, IfClear},
	{Received, Register, OnHold, IfHeld},
	{Received, RaiseException, Received, Always},
	{Received, ResolveException, Received, Always},
	{Provisional, RaiseException, Provisional, IfClear},
	{Provisional, RaiseException, OnHold, IfHeld},
	{Provisional, ResolveException, Provisional, Always},
	{Provisional, RequestInspection, Provisional, Always},
	{Provisional, GrantInspection, Provisional, Always},
	{Provisional, LodgeComplaint, OnHold, Always},
	{Provisional, Determine, Final, Always},
	{Provisional, DetermineEarly, Final, Always},
	{OnHold, RaiseException, OnHold, Always},
	{OnHold, ResolveException, Provisional, IfClear},
	{OnHold, ResolveException, OnHold, IfHeld},
	{OnHold, RequestInspection, OnHold, Always},
	{OnHold, GrantInspection, OnHold, Always},
	{OnHold, LodgeComplaint, OnHold, Always},
	{OnHold, DecideComplaint, Provisional, IfClear},
	{OnHold, DecideComplaint, OnHold, IfHeld},
	{Final, RaiseException, Final, Always},
	{Final, ResolveException, Final, Always},
	{Final, GrantInspection, Final, Always},
	{Final, LodgeAppeal, UnderAppeal, Always},
	{Final, Correct, Superseded, Always},
	{UnderAppeal, RaiseException, UnderAppeal, Always},
	{UnderAppeal, ResolveException, UnderAppeal, Always},
	{UnderAppeal, DecideAppeal, Annulled, IfUpheld},
	{UnderAppeal, GrantInspection, UnderAppeal, Always},
	{UnderAppeal, ExtendAppealTerm, UnderAppeal, Always},
	{UnderAppeal, DecideAppeal, Final, IfNotUpheld},
	{UnderAppeal, DecideAppeal, Invalidated, IfStands},
	{Received, Invalidate, Invalidated, Always},
	{Provisional, Invalidate, Invalidated, Always},
	{OnHold, Invalidate, Invalidated, Always},
	{Final, Invalidate, Invalidated, Always},
	{UnderAppeal, Invalidate, Invalidated, Always},
	{Invalidated, LodgeAppeal, UnderAppeal, Always},
}

// Transitions returns a copy of the state machine's table.
func Transitions() []Transition { return append([]Transition(nil), transitions...) }

// next returns the state that action leads to from s under guard g, and
// whether the table allows the action in s at all.
func next(s State, a Action, g Guard) (to State, allowed, guarded bool) {
	for _, t := range transitions {
		if t.From != s || t.Action != a {
			continue
		}
		allowed = true
		if t.Guard == Always || t.Guard == g {
			return t.To, true, true
		}
	}
	return s, allowed, false
}

// A Grant says that a role may take an action, on its own authority or
// only under a mandate of the exam committee.
type Grant struct {
	Role    timeline.Role
	Mandate bool // the role needs an active, in-scope mandate for the action
}

// rights says who may take each action.
var rights = map[Action][]Grant{
	Receive:           {{timeline.System, false}, {timeline.ExamAdministration, false}, {timeline.Assessor, false}, {timeline.ExamCommittee, false}},
	Redeliver:         {{timeline.System, false}, {timeline.ExamAdministration, false}},
	Reject:            {{timeline.System, false}, {timeline.ExamAdministration, false}},
	Register:          {{timeline.System, false}, {timeline.ExamAdministration, false}, {timeline.ExamCommittee, false}},
	RaiseException:    {{timeline.System, false}, {timeline.ExamAdministration, false}, {timeline.Assessor, false}, {timeline.ExamCommittee, false}},
	ResolveException:  {{timeline.ExamCommittee, false}, {timeline.ExamAdministration, true}},
	RequestInspection: {{timeline.Student, false}, {timeline.ExamAdministration, false}},
	GrantInspection:   {{timeline.ExamAdministration, false}, {timeline.ExamCommittee, false}},
	LodgeComplaint:    {{timeline.Student, false}, {timeline.ExamAdministration, false}},
	DecideComplaint:   {{timeline.ExamCommittee, false}},
	Determine:         {{timeline.ExamCommittee, false}, {timeline.ExamAdministration, true}},
	DetermineEarly:    {{timeline.ExamCommittee, false}, {timeline.ExamAdministration, true}},
	LodgeAppeal:       {{timeline.Student, false}, {timeline.ExamAdministration, false}},
	ExtendAppealTerm:  {{timeline.AppealsBoard, false}},
	DecideAppeal:      {{timeline.AppealsBoard, false}},
	Correct:           {{timeline.ExamCommittee, false}},
	Invalidate:        {{timeline.ExamCommittee, false}},
}

// Rights returns who may take the action.
func Rights(a Action) []Grant { return append([]Grant(nil), rights[a]...) }

// judges are the actions in which the actor judges the result: its assessor
// may take none of them on it (separation of duties).
var judges = map[Action]bool{
	ResolveException: true, DecideComplaint: true, Determine: true, DetermineEarly: true,
	DecideAppeal: true, ExtendAppealTerm: true, Correct: true, Invalidate: true,
}
