package main

import (
	"errors"
	"slices"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// sentinelCodes are the codes of a refusal, each for the library's error
// it matches (errors.Is), in the order they are listed in a step's
// "codes". Keep them stable: scenarios' expected outcomes name them.
var sentinelCodes = []struct {
	code string
	err  error
}{
	{"wrong_role", result.ErrWrongRole},
	{"no_mandate", result.ErrNoMandate},
	{"separation_of_duties", result.ErrSeparationOfDuties},
	{"unknown_assessor", result.ErrUnknownAssessor},
	{"command", result.ErrInvalidCommand},
	{"term_passed", result.ErrTermPassed},
	{"invalid_grade", result.ErrInvalidGrade},
	{"invalid_mandate", result.ErrInvalidMandate},
	{"invalid_event", result.ErrInvalidEvent},
	{"mandate", vaststelling.ErrMandate},
	{"running", vaststelling.ErrRunning},
	{"conflict", vaststelling.ErrConflict},
	{"successor", vaststelling.ErrSuccessor},
	{"rejected", oke.ErrRejected},
	{"no_policy", timeline.ErrNoPolicy},
	{"invalid_facts", timeline.ErrInvalidFacts},
	{"out_of_range", calendar.ErrOutOfRange},
}

// unclassified is the code of a refusal that matches none of the
// library's errors this command knows: a sign to add its code here.
const unclassified = "unclassified"

// codes derives the machine codes of a refusal from the library's typed
// and sentinel errors: "transition" for an action the result's state does
// not allow, "check_<check>" for each check of a determination that
// failed (such as "check_term_passed"), "forbidden" for a refusal of the
// actor that names no more precise reason, and the codes of sentinelCodes.
func codes(err error) []string {
	var out []string
	add := func(c string) {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	ce, isCheck := errors.AsType[*result.CheckError](err)
	_, isTransition := errors.AsType[*result.TransitionError](err)
	if isTransition || (!isCheck && errors.Is(err, result.ErrNotAllowed)) {
		add("transition")
	}
	if isCheck {
		for _, f := range ce.Failures {
			add("check_" + string(f.Check))
		}
	} else if errors.Is(err, result.ErrChecksFailed) {
		add("checks")
	}
	for _, s := range sentinelCodes {
		if errors.Is(err, s.err) {
			add(s.code)
		}
	}
	if errors.Is(err, result.ErrForbidden) && !slices.ContainsFunc(out, func(c string) bool {
		return slices.Contains([]string{"wrong_role", "no_mandate", "separation_of_duties", "unknown_assessor"}, c)
	}) {
		add("forbidden")
	}
	if len(out) == 0 {
		add(unclassified)
	}
	return out
}

// reasonCodes lists the codes of an OKE receipt's or rejection's reasons,
// each once, in order.
func reasonCodes(reasons []oke.Reason) []string {
	var out []string
	for _, r := range reasons {
		if c := string(r.Code); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
