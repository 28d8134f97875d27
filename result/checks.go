package result

import (
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// determine runs the policy's four checks before a determination, and
// names every one that fails:
//
//  1. arrived correctly: the record names the student, component, crebo,
//     exam date, attempt and assessor, and has a grade if the student sat;
//  2. right status: the result is provisional, nothing holds it;
//  3. term passed: the determination date is reached and no complaint is
//     open; for an early determination instead, the policy allows it, the
//     exam committee decided it for a diploma or certificate, with a
//     reason, and, inside the inspection window, with the student's
//     agreement or waiver recorded in the decision;
//  4. exceptions closed: every exception is resolved or approved.
func (d *decision) determine() ([]Event, error) {
	r, cmd := d.r, d.cmd
	early := cmd.Action == DetermineEarly
	if early {
		// "Tenzij de examencommissie eerder een besluit neemt vanwege het
		// uitreiken van een diploma of mbo-certificaat": a decision of the
		// committee, for that purpose, and for nothing else.
		if cmd.Reason == "" {
			return nil, d.invalid("an early determination needs the exam committee's reason")
		}
		if err := d.reference("the exam committee's decision to determine early"); err != nil {
			return nil, err
		}
		if cmd.Purpose != Diploma && cmd.Purpose != Certificate {
			return nil, d.invalid("purpose %q: an early determination is for a diploma or a certificate", cmd.Purpose)
		}
	}
	fails := arrivalFailures(r.Record.check())
	if r.State != Provisional {
		fails = append(fails, failure(CheckStatus, statusReason(r)))
	}
	term, err := d.termFailures(early)
	if err != nil {
		return nil, err
	}
	fails = append(fails, term...)
	var open, openNL []string
	for _, e := range r.OpenExceptions() {
		open = append(open, e.String())
		openNL = append(openNL, e.In(timeline.Dutch))
	}
	if len(open) > 0 {
		fails = append(fails, failure(CheckExceptions, timeline.Words{Dutch: "open: " + strings.Join(openNL, ", "),
			English: "open: " + strings.Join(open, ", ")}))
	}
	if len(fails) > 0 {
		return nil, &CheckError{Result: d.id(), Action: cmd.Action, Failures: fails}
	}
	e, err := d.event(EventDetermined, Always)
	if err != nil {
		return nil, err
	}
	e.Early, e.Decision = early, cmd.Decision
	if early {
		e.Purpose, e.Agreed = cmd.Purpose, cmd.StudentAgreed
	}
	return append(d.dst, e), nil
}

// termFailures checks the terms on the result's timeline.
func (d *decision) termFailures(early bool) ([]Failure, error) {
	r := d.r
	if r.Registered.IsZero() {
		return []Failure{failure(CheckTerm, say("the result is not registered, so its terms have not started"))}, nil
	}
	if d.ctx.Calendar == nil || d.ctx.Policies == nil {
		return nil, d.invalid("the context needs a calendar and policies to count the terms")
	}
	tl, err := timeline.New(d.ctx.Calendar, d.ctx.Policies, r.Facts())
	if err != nil {
		return nil, &CommandError{Result: r.ID, Action: d.cmd.Action, Problem: "cannot count the terms", Because: say("cannot count the terms"), Err: err}
	}
	var fails []Failure
	if r.complaintOpen() {
		fails = append(fails, failure(CheckTerm, say("a complaint lodged on %s is open", r.ComplaintLodged.Format(time.DateOnly))))
	}
	switch today := d.ctx.Calendar.Date(d.ctx.Now); {
	case early && !tl.Policy.EarlyDetermination:
		fails = append(fails, failure(CheckTerm, say("policy %q does not allow early determination", tl.Policy.Name)))
	case early && !d.cmd.StudentAgreed && d.ctx.Now.Before(tl.End(tl.InspectionEnds)):
		// The student's right to inspect and complain is never lost
		// silently: inside its window only with their agreement.
		fails = append(fails, failure(CheckTerm, say(
			"inspection and complaint are open until the end of %s; an early determination inside the window "+
				"needs the decision to record that the student agreed or waived it (StudentAgreed)", tl.InspectionEnds)))
	case !early && today.Before(tl.DeterminationDue):
		fails = append(fails, failure(CheckTerm, say(
			"the determination date is %s (%s); inspection and complaint are open until the end of %s",
			tl.DeterminationDue, tl.Binding, tl.InspectionEnds)))
	}
	return fails, nil
}

func statusReason(r *Result) timeline.Words {
	switch {
	case r.State == None:
		return say("no result was received")
	case r.State == OnHold && r.complaintOpen():
		return say("the result is on_hold: a complaint is open")
	case r.State == OnHold:
		return say("the result is on_hold: a holding exception is open")
	}
	return timeline.Words{Dutch: "het resultaat is " + r.State.Words().Dutch + ", niet voorlopig",
		English: "the result is " + r.State.String() + ", not provisional"}
}

// failure is a check that failed, and why, in both languages.
func failure(c Check, why timeline.Words) Failure {
	return Failure{Check: c, Reason: why.English, Because: why}
}

func arrivalFailures(problems []timeline.Words) []Failure {
	if len(problems) == 0 {
		return nil
	}
	nl, en := make([]string, len(problems)), make([]string, len(problems))
	for i, p := range problems {
		nl[i], en[i] = p.Dutch, p.English
	}
	return []Failure{failure(CheckArrival, timeline.Words{Dutch: strings.Join(nl, ", "), English: strings.Join(en, ", ")})}
}
