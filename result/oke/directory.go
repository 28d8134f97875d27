package oke

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// A Directory answers what the KRS knows of its enrolments and components,
// for the intake's checks. Memory is the in-memory implementation; an
// integrator implements it over the KRS's own tables.
type Directory interface {
	// Association returns the enrolment the KRS created in flow 1.
	Association(id string) (Association, bool)
	// Component returns the exam component and how it is graded.
	Component(code string) (Component, bool)
}

// An Association is an enrolment of a student for an exam component
// (toetsinschrijving), as the KRS sent it in flow 1.
type Association struct {
	ID        string `json:"id"`
	Student   string `json:"student"`
	Offering  string `json:"offering"` // the component offering: the exam session
	Component string `json:"component"`
	Programme string `json:"programme"`
	Crebo     string `json:"crebo"`
	Team      string `json:"team"`
	Attempt   int    `json:"attempt"` // which attempt the enrolment is, 1 for the first
	// AttemptsLeft is how many extra attempts the KRS allowed the planner
	// to schedule after this one (flow 1's attemptLeft, Table 4.3.A): 0
	// allows none, 2 two more. Nil means the KRS set no limit, as
	// attemptLeft null does ("aantal pogingen is niet beperkt"): then no
	// attempt is beyond those allowed. In JSON, attempts_left absent or
	// null is nil, unlimited; write new(0) in Go for none. The result of an
	// attempt beyond a limit is still accepted, as unforeseen (§3.5.2).
	AttemptsLeft *int `json:"attempts_left"`
	// State is the enrolment's OOAPI state: associated, canceled, denied,
	// finished, pending, queued. A result for a canceled or finished one is
	// still accepted, with an exception for a person.
	State string `json:"state"`
	// Start is the first day an exam for this enrolment can take place; an
	// exam date before it is implausible. Zero when unknown.
	Start time.Time `json:"start,omitzero"`
}

// A Component is an exam component: its grading scale, its norm for
// recomputing a grade from the raw score, and the assessors authorised for it.
type Component struct {
	Code  string       `json:"code"`
	Scale result.Scale `json:"scale"`
	// Norm, when set, recomputes the grade from the raw score; a grade
	// that disagrees with it is an exception.
	Norm *result.Norm `json:"norm,omitempty"`
	// Assessors are the ids or codes of the authorised assessors; empty
	// means the KRS does not check them.
	Assessors []string `json:"assessors,omitempty"`
}

// ErrInvalidDirectory: a directory's data is wrong.
var ErrInvalidDirectory = errors.New("invalid directory")

// Memory is a Directory held in memory. It is immutable and safe for
// concurrent use: it keeps its own copy of each AttemptsLeft, and the
// associations it returns share that copy, which callers must not modify.
type Memory struct {
	associations map[string]Association
	components   map[string]Component
}

// NewMemory returns the directory of the given enrolments and components,
// or every problem in them, joined.
func NewMemory(associations []Association, components []Component) (*Memory, error) {
	m := &Memory{associations: map[string]Association{}, components: map[string]Component{}}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("oke: %w: %s", ErrInvalidDirectory, fmt.Sprintf(format, args...)))
	}
	for _, c := range components {
		switch {
		case c.Code == "":
			bad("a component without a code")
		case !c.Scale.IsValid():
			bad("component %s: no valid scale", c.Code)
		case m.components[c.Code].Code != "":
			bad("component %s is listed twice", c.Code)
		}
		if c.Norm != nil && c.Norm.Scale != c.Scale {
			bad("component %s: its norm is for scale %s, the component's is %s", c.Code, c.Norm.Scale, c.Scale)
		}
		m.components[c.Code] = c
	}
	for _, a := range associations {
		switch {
		case a.ID == "":
			bad("an association without an id")
		case m.associations[a.ID].ID != "":
			bad("association %s is listed twice", a.ID)
		case a.Student == "" || a.Component == "":
			bad("association %s: student and component are required", a.ID)
		case m.components[a.Component].Code == "":
			bad("association %s: unknown component %s", a.ID, a.Component)
		case a.Attempt < 1:
			bad("association %s: attempt %d, want 1 or more", a.ID, a.Attempt)
		case a.AttemptsLeft != nil && *a.AttemptsLeft < 0:
			bad("association %s: attempts_left %d, want 0 or more, or null for no limit", a.ID, *a.AttemptsLeft)
		}
		if a.AttemptsLeft != nil {
			a.AttemptsLeft = new(*a.AttemptsLeft) // the caller's int may change; the directory's may not
		}
		m.associations[a.ID] = a
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

// LoadDirectory reads a directory from JSON, strictly:
//
//	{"components":   [{"code": "KT1-W2", "scale": "0.0-10.0",
//	                   "norm": {"scale": "0.0-10.0", "cut": "33"}, "assessors": ["JAJE"]}],
//	 "associations": [{"id": "5a52…", "student": "s123", "offering": "5ffc…", "component": "KT1-W2",
//	                   "programme": "ICT-BOL-4", "crebo": "25180", "team": "ict",
//	                   "attempt": 1, "attempts_left": 1, "state": "associated"}]}
//
// An association's attempts_left is the number of extra attempts allowed,
// 0 for none; absent or null, as flow 1's attemptLeft null, it means no
// limit (Association.AttemptsLeft nil). A directory written before
// attempts_left could be null reads as it did, except that an absent
// attempts_left, which read as 0, now reads as no limit: write 0 where
// none is allowed.
func LoadDirectory(r io.Reader) (*Memory, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("oke: reading directory: %w", err)
	}
	var j struct {
		Components   []Component   `json:"components"`
		Associations []Association `json:"associations"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("oke: %w: %v", ErrInvalidDirectory, err)
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, fmt.Errorf("oke: %w: data after the directory", ErrInvalidDirectory)
	}
	return NewMemory(j.Associations, j.Components)
}

// Association returns the enrolment with the id.
func (m *Memory) Association(id string) (Association, bool) {
	a, ok := m.associations[id]
	return a, ok
}

// Component returns the component with the code.
func (m *Memory) Component(code string) (Component, bool) {
	c, ok := m.components[code]
	return c, ok
}

// authorises reports whether the assessor, by id or code, may assess the component.
func (c Component) authorises(id, code string) bool {
	return len(c.Assessors) == 0 || (id != "" && slices.Contains(c.Assessors, id)) ||
		(code != "" && slices.Contains(c.Assessors, code))
}
