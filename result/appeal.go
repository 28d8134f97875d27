package result

import (
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// lodgeAppeal lodges an appeal with the appeals board, against a
// determination or an invalidation, within the appeal term (WEB art.
// 7.5.3: ten working days by default). A late appeal stands only on the
// board's decision to accept it, which the command names; a result the
// board ruled on is not appealed a second time.
func (d *decision) lodgeAppeal() ([]Event, error) {
	r := d.r
	if !r.AppealDecided.IsZero() {
		return nil, d.termPassed("the appeals board ruled on an appeal on %s (%s); it is not appealed again",
			r.AppealDecided.Format(time.DateOnly), r.AppealOutcome)
	}
	tl, err := d.timeline()
	if err != nil {
		return nil, err
	}
	late := !tl.AppealEnds.IsZero() && !d.ctx.Now.Before(tl.End(tl.AppealEnds))
	if late {
		if d.cmd.Decision == "" {
			return nil, d.termPassed("the appeal term ended with %s; a late appeal needs the appeals board's decision to accept it (Decision)",
				tl.AppealEnds)
		}
		if err := d.reference("the appeals board's decision on the late appeal"); err != nil {
			return nil, err
		}
	}
	e, err := d.event(EventAppealLodged, Always)
	if err != nil {
		return nil, err
	}
	if late {
		e.Decision = d.cmd.Decision
	}
	return append(d.dst, e), nil
}

// extendAppeal records the appeals board's extension of its term to
// decide, by the policy's AppealExtensionWeeks (at most two weeks, WEB
// art. 7.5.4), once, and before the term it extends has ended.
func (d *decision) extendAppeal() ([]Event, error) {
	r := d.r
	if d.cmd.Reason == "" {
		return nil, d.invalid("a reason is required")
	}
	if r.AppealExtended {
		return nil, d.invalid("the appeals board extended its term already")
	}
	tl, err := d.timeline()
	if err != nil {
		return nil, err
	}
	switch {
	case tl.Policy.AppealExtensionWeeks == 0:
		return nil, d.invalid("policy %q allows no extension of the appeals board's term", tl.Policy.Name)
	case !tl.AppealDecisionDue.IsZero() && !d.ctx.Now.Before(tl.End(tl.AppealDecisionDue)):
		return nil, d.termPassed("the appeals board's term ended with %s; it can no longer be extended", tl.AppealDecisionDue)
	}
	e, err := d.event(EventAppealExtended, Always)
	if err != nil {
		return nil, err
	}
	return append(d.dst, e), nil
}

// termPassed refuses the command because a term has passed.
func (d *decision) termPassed(format string, args ...any) error {
	w := say(format, args...)
	return &CommandError{Result: d.r.ID, Action: d.cmd.Action, Err: ErrTermPassed, Problem: w.English, Because: w}
}

// timeline places the result on its timeline in the command's context.
func (d *decision) timeline() (timeline.Timeline, error) {
	if d.ctx.Calendar == nil || d.ctx.Policies == nil {
		return timeline.Timeline{}, d.invalid("the context needs a calendar and policies to count the terms")
	}
	tl, err := timeline.New(d.ctx.Calendar, d.ctx.Policies, d.r.Facts())
	if err != nil {
		return timeline.Timeline{}, &CommandError{Result: d.r.ID, Action: d.cmd.Action, Problem: "cannot count the terms", Because: say("cannot count the terms"), Err: err}
	}
	return tl, nil
}
