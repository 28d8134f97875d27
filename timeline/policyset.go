package timeline

import (
	"fmt"
	"slices"

	"github.com/krs-oke/vaststelling/calendar"
)

// A PolicySet holds the versions of a policy over time and picks the one in
// force on a result's exam date. A version without ValidUntil stays in force
// until the next one starts. The zero PolicySet holds no version, so At
// reports ErrNoPolicy for every date. A PolicySet is immutable and safe for
// concurrent use.
type PolicySet struct {
	versions []Policy // by ValidFrom
}

// NewPolicySet returns the set of the given versions, or every problem in
// them, joined: each version's own problems, and versions whose periods
// overlap.
func NewPolicySet(versions ...Policy) (*PolicySet, error) {
	if len(versions) == 0 {
		return nil, &PolicyError{Field: "versions", Problem: "at least one version is required"}
	}
	vs := slices.Clone(versions)
	var errs []error
	for i, p := range vs {
		errs = append(errs, p.problems(fmt.Sprintf("versions[%d].", i))...)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	slices.SortStableFunc(vs, func(a, b Policy) int { return a.ValidFrom.Compare(b.ValidFrom) })
	for i := 1; i < len(vs); i++ {
		prev, next := vs[i-1], vs[i]
		if prev.ValidFrom == next.ValidFrom ||
			(!prev.ValidUntil.IsZero() && !prev.ValidUntil.Before(next.ValidFrom)) {
			errs = append(errs, &PolicyError{Policy: next.Name, Field: "valid_from",
				Problem: fmt.Sprintf("overlaps version %q: %s", prev.Name, describePeriod(prev))})
		}
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return &PolicySet{versions: vs}, nil
}

// DefaultPolicies returns the set holding only DefaultPolicy.
func DefaultPolicies() *PolicySet { return &PolicySet{versions: []Policy{DefaultPolicy()}} }

// At returns the version in force on the exam date, or an error matching
// ErrNoPolicy.
func (s *PolicySet) At(exam calendar.Date) (*Policy, error) {
	if s != nil {
		// The last version that started on or before the exam date.
		i, _ := slices.BinarySearchFunc(s.versions, exam, func(p Policy, d calendar.Date) int {
			if p.ValidFrom.IsZero() || !p.ValidFrom.After(d) {
				return -1
			}
			return 1
		})
		if i > 0 && s.versions[i-1].covers(exam) {
			return &s.versions[i-1], nil
		}
	}
	return nil, fmt.Errorf("timeline: %w on exam date %s", ErrNoPolicy, exam)
}

// Versions returns a copy of the versions, by start date.
func (s *PolicySet) Versions() []Policy {
	if s == nil {
		return nil
	}
	return slices.Clone(s.versions)
}

func describePeriod(p Policy) string {
	from, until := "the beginning", "further notice"
	if !p.ValidFrom.IsZero() {
		from = p.ValidFrom.String()
	}
	if !p.ValidUntil.IsZero() {
		until = p.ValidUntil.String()
	}
	return "in force from " + from + " until " + until
}
