package timeline

import (
	"fmt"
	"strings"

	"github.com/krs-oke/vaststelling/calendar"
)

// A Policy is one version of an institution's terms for determining
// results, as its Examenreglement sets them. Every term is data. The zero
// Policy is not valid; DefaultPolicy gives the seed's example procedure.
//
// The determination date of a result is the latest of two rules: the exam
// rule, DeterminationTerm working days after the exam; and the registration
// rule, ProvisionalTerm working days after the provisional result was
// registered and then ProvisionalTail days more.
type Policy struct {
	// Name identifies the version, for example "Examenreglement 2026–2027".
	Name string

	// ValidFrom is the first exam date the version applies to; ValidUntil
	// the last, or zero while the version stays in force.
	ValidFrom, ValidUntil calendar.Date

	// AssessmentTerm: the assessor registers the result within this many
	// working days after the exam (beoordelingstermijn).
	AssessmentTerm int

	// InspectionTerm: the student may inspect the exam and complain within
	// this many working days after registration (inzage en klacht).
	InspectionTerm int

	// DeterminationTerm: the result is determined this many working days
	// after the exam (the exam rule).
	DeterminationTerm int

	// ProvisionalTerm and ProvisionalTail: the result stays provisional for
	// ProvisionalTerm working days after registration and becomes final
	// ProvisionalTail days after that (the registration rule). TailUnit says
	// whether the tail counts working or calendar days.
	ProvisionalTerm int
	ProvisionalTail int
	TailUnit        Unit

	// AppealTerm: the student may appeal to the appeals board (CBE) within
	// this many working days after determination (beroepstermijn).
	AppealTerm int

	// AppealDecisionWeeks: the appeals board decides within this many weeks
	// after the appeal term ends, at least 1; it may extend that once by
	// AppealExtensionWeeks, at most 2, the law's maximum (WEB art. 7.5.4:
	// four weeks, extendable by two). The term is the law's, so the
	// Algemene termijnenwet counts it, not the institution's working days:
	// see Timeline.AppealDecisionDue.
	AppealDecisionWeeks  int
	AppealExtensionWeeks int

	// ComplaintHandlingTerm: the exam committee decides a complaint within
	// this many working days after it was lodged. The seed text leaves this
	// to the institution.
	ComplaintHandlingTerm int

	// EarlyDetermination allows the exam committee to determine a result
	// before its date, to issue a diploma or mbo certificate.
	EarlyDetermination bool
}

// MaxAppealExtensionWeeks is the most the appeals board may extend its
// decision term by: two weeks (WEB art. 7.5.4). A policy that allows more
// is invalid.
const MaxAppealExtensionWeeks = 2

// A Unit is what a term counts.
type Unit uint8

// The units a term counts in. The zero Unit is WorkingDays.
const (
	WorkingDays  Unit = iota // werkdagen
	CalendarDays             // kalenderdagen
)

var unitNames = [...]string{"working_days", "calendar_days"}

// String returns "working_days" or "calendar_days".
func (u Unit) String() string {
	if int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", uint8(u))
}

// MarshalText encodes the unit as its String.
func (u Unit) MarshalText() ([]byte, error) {
	if int(u) >= len(unitNames) {
		return nil, fmt.Errorf("timeline: %w: unit %d", ErrInvalidPolicy, uint8(u))
	}
	return []byte(u.String()), nil
}

// UnmarshalText decodes "working_days" or "calendar_days".
func (u *Unit) UnmarshalText(text []byte) error {
	for i, name := range unitNames {
		if string(text) == name {
			*u = Unit(i)
			return nil
		}
	}
	return fmt.Errorf("timeline: %w: unit %q; want working_days or calendar_days", ErrInvalidPolicy, text)
}

// DefaultPolicy returns the seed's example procedure, in force for every
// exam date: assessment within 15 working days; inspection and complaint
// within 10 working days after registration; determination 30 working days
// after the exam and never before registration + 10 + 5 working days;
// appeal within 10 working days after determination; the appeals board
// decides within four weeks after that, extendable by two; complaints are
// decided within 10 working days; early determination allowed.
func DefaultPolicy() Policy {
	return Policy{
		Name:                  "Voorbeeldprocedure",
		AssessmentTerm:        15,
		InspectionTerm:        10,
		DeterminationTerm:     30,
		ProvisionalTerm:       10,
		ProvisionalTail:       5,
		TailUnit:              WorkingDays,
		AppealTerm:            10,
		AppealDecisionWeeks:   4,
		AppealExtensionWeeks:  2,
		ComplaintHandlingTerm: 10,
		EarlyDetermination:    true,
	}
}

// Validate reports every problem in p, joined; each is a *PolicyError
// matching ErrInvalidPolicy.
func (p Policy) Validate() error { return joinErrors(p.problems("")) }

func (p Policy) problems(path string) []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &PolicyError{Policy: p.Name, Field: path + field, Problem: fmt.Sprintf(format, args...)})
	}
	positive := []struct {
		field string
		value int
	}{
		{"assessment_term", p.AssessmentTerm},
		{"inspection_term", p.InspectionTerm},
		{"determination_term", p.DeterminationTerm},
		{"provisional_term", p.ProvisionalTerm},
		{"appeal_term", p.AppealTerm},
		{"appeal_decision_weeks", p.AppealDecisionWeeks},
		{"complaint_handling_term", p.ComplaintHandlingTerm},
	}
	for _, t := range positive {
		if t.value <= 0 {
			bad(t.field, "must be at least 1, not %d", t.value)
		}
	}
	if p.ProvisionalTail < 0 {
		bad("provisional_tail", "must not be negative, not %d", p.ProvisionalTail)
	}
	switch {
	case p.AppealExtensionWeeks < 0:
		bad("appeal_extension_weeks", "must not be negative, not %d", p.AppealExtensionWeeks)
	case p.AppealExtensionWeeks > MaxAppealExtensionWeeks:
		bad("appeal_extension_weeks", "must be at most %d, the law's maximum (WEB art. 7.5.4), not %d",
			MaxAppealExtensionWeeks, p.AppealExtensionWeeks)
	}
	if p.TailUnit > CalendarDays {
		bad("tail_unit", "unknown unit %d", uint8(p.TailUnit))
	}
	// Determination must fall after the inspection window, whatever the
	// registration day: the registration rule must end later than it.
	if p.InspectionTerm > 0 && p.ProvisionalTerm > 0 && p.ProvisionalTail >= 0 {
		afterWindow := p.ProvisionalTerm > p.InspectionTerm ||
			(p.ProvisionalTerm == p.InspectionTerm && p.ProvisionalTail > 0)
		if p.TailUnit == WorkingDays {
			afterWindow = p.ProvisionalTerm+p.ProvisionalTail > p.InspectionTerm
		}
		if !afterWindow {
			bad("provisional_term", "the inspection window (%d working days after registration) cannot end before "+
				"determination (%d working days and %d %s after registration)",
				p.InspectionTerm, p.ProvisionalTerm, p.ProvisionalTail, strings.ReplaceAll(p.TailUnit.String(), "_", " "))
		}
	}
	if p.DeterminationTerm > 0 && p.AssessmentTerm > 0 && p.DeterminationTerm <= p.AssessmentTerm {
		bad("determination_term", "%d working days after the exam leaves no time after the assessment term of %d",
			p.DeterminationTerm, p.AssessmentTerm)
	}
	if !p.ValidFrom.IsZero() && !p.ValidFrom.IsValid() {
		bad("valid_from", "%s is no date", p.ValidFrom)
	}
	if !p.ValidUntil.IsZero() && !p.ValidUntil.IsValid() {
		bad("valid_until", "%s is no date", p.ValidUntil)
	}
	if !p.ValidUntil.IsZero() && p.ValidUntil.Before(p.ValidFrom) {
		bad("valid_until", "%s is before valid_from %s", p.ValidUntil, p.ValidFrom)
	}
	return errs
}

// covers reports whether p is in force on the exam date d.
func (p *Policy) covers(d calendar.Date) bool {
	return (p.ValidFrom.IsZero() || !d.Before(p.ValidFrom)) && (p.ValidUntil.IsZero() || !d.After(p.ValidUntil))
}
