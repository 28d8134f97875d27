package result

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// A Mandate is the exam committee's grant to a person or a team to take
// named actions on results in its scope, for a period (mandaat).
type Mandate struct {
	ID        string    `json:"id"`
	GrantedBy string    `json:"granted_by"` // the exam committee
	To        string    `json:"to"`         // a person's id, or a team's
	Actions   []Action  `json:"actions"`
	Scope     Scope     `json:"scope"`
	From      time.Time `json:"from"`
	Until     time.Time `json:"until,omitzero"`   // zero while it runs on
	Revoked   time.Time `json:"revoked,omitzero"` // zero while not revoked
}

// A Scope says which results a mandate covers. A result is in scope when,
// for every list that is not empty, the result's value is in it; All covers
// every result. A scope with neither is invalid: a mandate must say what it
// covers.
type Scope struct {
	All        bool     `json:"all,omitempty"`
	Programmes []string `json:"programmes,omitempty"`
	Crebos     []string `json:"crebos,omitempty"`
	Components []string `json:"components,omitempty"`
	Teams      []string `json:"teams,omitempty"`
}

// covers reports whether r is in scope, or names the first dimension that
// leaves it out.
func (s Scope) covers(r *Record) (bool, string) {
	if s.All {
		return true, ""
	}
	for _, dim := range []struct {
		name  string
		list  []string
		value string
	}{
		{"programme", s.Programmes, r.Programme}, {"crebo", s.Crebos, r.Crebo},
		{"component", s.Components, r.Component}, {"team", s.Teams, r.Team},
	} {
		if len(dim.list) > 0 && !slices.Contains(dim.list, dim.value) {
			return false, fmt.Sprintf("%s %q", dim.name, dim.value)
		}
	}
	return true, ""
}

func (s Scope) empty() bool {
	return !s.All && len(s.Programmes)+len(s.Crebos)+len(s.Components)+len(s.Teams) == 0
}

// activeAt reports whether m is in force at t, or why not.
func (m *Mandate) activeAt(t time.Time) (bool, timeline.Words) {
	switch {
	case !m.Revoked.IsZero() && !t.Before(m.Revoked):
		return false, say("was revoked on %s", m.Revoked.Format(time.DateTime))
	case t.Before(m.From):
		return false, say("starts on %s", m.From.Format(time.DateTime))
	case !m.Until.IsZero() && !t.Before(m.Until):
		return false, say("expired on %s", m.Until.Format(time.DateTime))
	}
	return true, timeline.Words{}
}

// A MandateSet holds the mandates in force at an institution and finds the
// one that authorises an action. It is immutable and safe for concurrent
// use; the zero MandateSet grants nothing.
type MandateSet struct {
	mandates []Mandate
}

// NewMandateSet returns the set of the given mandates, or every problem in
// them, joined, each matching ErrInvalidMandate.
func NewMandateSet(mandates ...Mandate) (*MandateSet, error) {
	var errs []error
	seen := map[string]bool{}
	for i, m := range mandates {
		bad := func(problem string) {
			errs = append(errs, fmt.Errorf("result: mandate %d (%q): %w: %s", i, m.ID, ErrInvalidMandate, problem))
		}
		switch {
		case m.ID == "":
			bad("an id is required")
		case seen[m.ID]:
			bad("the id is used twice")
		}
		seen[m.ID] = true
		if m.GrantedBy == "" {
			bad("granted_by is required: who grants it")
		}
		if m.To == "" {
			bad("to is required: whom it is granted to")
		}
		if len(m.Actions) == 0 {
			bad("it grants no action")
		}
		for _, a := range m.Actions {
			if a == 0 || int(a) >= len(actionNames) {
				bad(fmt.Sprintf("unknown action %d", uint8(a)))
			}
		}
		if m.Scope.empty() {
			bad("the scope is empty; set all, or the programmes, crebos, components or teams it covers")
		}
		if m.From.IsZero() {
			bad("from is required")
		}
		if !m.Until.IsZero() && !m.Until.After(m.From) {
			bad("until is not after from")
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &MandateSet{mandates: slices.Clone(mandates)}, nil
}

// LoadMandates reads a JSON list of mandates, strictly: unknown fields and
// trailing data are errors. Times are RFC 3339; actions are their names.
func LoadMandates(r io.Reader) (*MandateSet, error) {
	data, err := io.ReadAll(io.LimitReader(r, 4<<20))
	if err != nil {
		return nil, fmt.Errorf("result: reading mandates: %w", err)
	}
	var ms []Mandate
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ms); err != nil {
		return nil, fmt.Errorf("result: %w: %v", ErrInvalidMandate, err)
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, fmt.Errorf("result: %w: data after the list", ErrInvalidMandate)
	}
	return NewMandateSet(ms...)
}

// Mandates returns a copy of the mandates.
func (s *MandateSet) Mandates() []Mandate {
	if s == nil {
		return nil
	}
	return slices.Clone(s.mandates)
}

// Authorize returns the mandate under which the actor may take the action
// on the result at t: granted to the actor or one of their teams, naming
// the action, in force at t and covering the result. Otherwise it returns
// a *PermissionError matching ErrNoMandate that says, for each mandate that
// came close, what it lacks.
func (s *MandateSet) Authorize(actor Actor, action Action, r *Record, at time.Time) (*Mandate, error) {
	var why, whyNL []string
	if s != nil {
		for i := range s.mandates {
			m := &s.mandates[i]
			if (m.To != actor.ID && !actor.inTeam(m.To)) || !slices.Contains(m.Actions, action) {
				continue
			}
			if ok, reason := m.activeAt(at); !ok {
				why, whyNL = append(why, "mandate "+m.ID+" "+reason.English), append(whyNL, "mandaat "+m.ID+" "+reason.Dutch)
				continue
			}
			if ok, outside := m.Scope.covers(r); !ok {
				why = append(why, "mandate "+m.ID+" does not cover "+outside)
				whyNL = append(whyNL, "mandaat "+m.ID+" dekt "+outside+" niet")
				continue
			}
			return m, nil
		}
	}
	missing := say("no mandate grants %s to %s or their teams", action, actor.ID)
	if len(why) > 0 {
		missing = timeline.Words{
			Dutch:   fmt.Sprintf(dutch["no mandate for %s is in force and in scope: %s"], action, strings.Join(whyNL, "; ")),
			English: fmt.Sprintf("no mandate for %s is in force and in scope: %s", action, strings.Join(why, "; "))}
	}
	return nil, &PermissionError{Result: r.ID, Action: action, Actor: actor, Missing: missing.English, Because: missing, Err: ErrNoMandate}
}
