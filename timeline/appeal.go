package timeline

import "time"

// appeal places the appeal window after the decision appealed, and the
// appeals board's term after it, and checks both were kept.
func (b *builder) appeal() {
	t, p, f := &b.t, b.p, &b.f
	from, field := appealedDecision(f)
	if from.IsZero() || b.err != nil {
		return
	}
	t.AppealEnds = b.add(field, b.cal.Date(from), p.AppealTerm)
	if f.AppealLodged.IsZero() {
		return
	}
	t.AppealLodged = b.cal.Date(f.AppealLodged)
	if !f.AppealLodged.Before(b.cal.EndOf(t.AppealEnds)) {
		b.conflict(Conflict{Code: AppealLate, Rule: t.AppealEnds, Actual: t.AppealLodged,
			Workdays: b.between("appeal_lodged", t.AppealEnds, t.AppealLodged), Fact: "appeal_lodged"})
	}
	weeks := p.AppealDecisionWeeks
	if f.AppealExtended {
		weeks += p.AppealExtensionWeeks
	}
	t.AppealDecisionDue = b.statutory("appeal_lodged", t.AppealEnds.AddDays(7*weeks))
	if f.AppealDecided.IsZero() {
		return
	}
	// The board's term ends with its last day, not at the institution's
	// closing time: only the date counts.
	t.AppealDecided = b.cal.Date(f.AppealDecided)
	if t.AppealDecided.After(t.AppealDecisionDue) {
		b.conflict(Conflict{Code: AppealDecidedLate, Rule: t.AppealDecisionDue, Actual: t.AppealDecided,
			Workdays: b.between("appeal_decided", t.AppealDecisionDue, t.AppealDecided), Fact: "appeal_decided"})
	}
}

// appealedDecision returns the decision an appeal runs from and the fact
// that holds it: the determination or the invalidation, whichever came
// later, leaving out one made after the appeal was lodged, for that appeal
// was against the other. It is zero when there is neither.
func appealedDecision(f *Facts) (at time.Time, field string) {
	for _, d := range [...]struct {
		at    time.Time
		field string
	}{{f.Determined, "determined"}, {f.Invalidated, "invalidated"}} {
		if d.at.IsZero() || (!f.AppealLodged.IsZero() && f.AppealLodged.Before(d.at)) {
			continue
		}
		if at.IsZero() || d.at.After(at) {
			at, field = d.at, d.field
		}
	}
	return at, field
}
