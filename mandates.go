package vaststelling

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// GrantMandate has the exam committee grant a mandate, or change one it
// granted before (the same id), at the moment now. The grant is an entry
// in the trail with who decided it, and from then on determinations are
// taken under it. The actor must act for the exam committee and may not
// grant a mandate to themselves or a team of theirs; the mandate's
// GrantedBy is set to the actor. A mandate that is not valid (see
// result.NewMandateSet) is refused with its problems.
func (o *Office) GrantMandate(ctx context.Context, m result.Mandate, actor result.Actor, now time.Time) error {
	if err := committee(actor, m.To); err != nil {
		return fmt.Errorf("vaststelling: mandate %s: %w", m.ID, err)
	}
	m.GrantedBy = actor.ID
	return o.decide(ctx, func(b *batch, again bool) error {
		if err := o.wouldHold(m); err != nil {
			return err
		}
		return o.stageEntry(b, EntryMandateGranted, now, actor.Role, m.ID, mandateEntry{Actor: actor.ID, Mandate: m})
	})
}

// RevokeMandate has the exam committee revoke a mandate at the moment now,
// for a reason; the revocation is an entry in the trail with who decided it.
// Determinations from now on are not taken under it.
func (o *Office) RevokeMandate(ctx context.Context, id, reason string, actor result.Actor, now time.Time) error {
	if err := committee(actor, ""); err != nil {
		return fmt.Errorf("vaststelling: mandate %s: %w", id, err)
	}
	return o.decide(ctx, func(b *batch, again bool) error {
		i := slices.IndexFunc(o.p.mandates, func(m result.Mandate) bool { return m.ID == id })
		if i < 0 {
			return fmt.Errorf("vaststelling: %w: no mandate %s to revoke", ErrMandate, id)
		}
		m := o.p.mandates[i]
		if !m.Revoked.IsZero() {
			err := fmt.Errorf("vaststelling: %w: mandate %s was revoked on %s", ErrMandate, id, m.Revoked.Format(time.DateTime))
			if again {
				err = fmt.Errorf("%w (%w)", err, ErrConflict)
			}
			return err
		}
		m.Revoked = now
		return o.stageEntry(b, EntryMandateRevoked, now, actor.Role, m.ID, mandateEntry{Actor: actor.ID, Mandate: m, Reason: reason})
	})
}

// committee refuses an actor who does not act for the exam committee, or
// who would grant a mandate to themselves.
func committee(actor result.Actor, to string) error {
	switch {
	case actor.ID == "":
		return fmt.Errorf("%w: who decides is required", ErrMandate)
	case actor.Role != timeline.ExamCommittee:
		return fmt.Errorf("%w: %s acts as %s; only the exam committee grants and revokes mandates", ErrMandate, actor.ID, actor.Role)
	case to != "" && (to == actor.ID || slices.Contains(actor.Teams, to)):
		return fmt.Errorf("%w: %s may not grant a mandate to %s, themselves or their own team", ErrMandate, actor.ID, to)
	}
	return nil
}

// wouldHold checks that the mandates in force, with m granted or changed,
// are a valid set.
func (o *Office) wouldHold(m result.Mandate) error {
	ms := slices.Clone(o.p.mandates)
	if i := slices.IndexFunc(ms, func(x result.Mandate) bool { return x.ID == m.ID }); i >= 0 {
		ms[i] = m
	} else {
		ms = append(ms, m)
	}
	if _, err := result.NewMandateSet(ms...); err != nil {
		return fmt.Errorf("vaststelling: %w: %w", ErrMandate, err)
	}
	return nil
}

// seedMandates records the configured mandates the trail does not hold
// yet, each as granted by its GrantedBy at its From, and checks that the
// standing actor holds a mandate to determine.
func (o *Office) seedMandates(ctx context.Context) error {
	var seeds []result.Mandate
	o.mu.Lock()
	for _, m := range o.cfg.Mandates.Mandates() {
		i := slices.IndexFunc(o.p.mandates, func(x result.Mandate) bool { return x.ID == m.ID })
		switch {
		case i < 0:
			if err := committee(result.Actor{ID: m.GrantedBy, Role: timeline.ExamCommittee}, m.To); err != nil {
				o.mu.Unlock()
				return fmt.Errorf("vaststelling: %w: mandate %s: %w", ErrConfig, m.ID, err)
			}
			seeds = append(seeds, m)
		case !sameMandate(&o.p.mandates[i], &m):
			// The committee changed or revoked it since: the trail wins.
			o.logger.Warn("vaststelling: a configured mandate differs from the one in the trail, which is in force; change it with GrantMandate",
				"mandate", m.ID)
		}
	}
	all := append(slices.Clone(o.p.mandates), seeds...)
	o.mu.Unlock()
	if !grantsDetermination(all, o.cfg.Standing) {
		return fmt.Errorf("vaststelling: %w: the standing actor %s holds no mandate to determine", ErrConfig, o.cfg.Standing.ID)
	}
	if len(seeds) == 0 {
		return nil
	}
	return o.decide(ctx, func(b *batch, again bool) error {
		for _, m := range seeds {
			if slices.ContainsFunc(o.p.mandates, func(x result.Mandate) bool { return x.ID == m.ID }) {
				continue // another office, opened at the same time, recorded it
			}
			err := o.stageEntry(b, EntryMandateGranted, m.From, timeline.ExamCommittee, m.ID, mandateEntry{Actor: m.GrantedBy, Mandate: m})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// grantsDetermination reports whether a mandate, not revoked, grants the
// actor or a team of theirs to determine.
func grantsDetermination(ms []result.Mandate, a result.Actor) bool {
	for _, m := range ms {
		if m.Revoked.IsZero() && (m.To == a.ID || slices.Contains(a.Teams, m.To)) &&
			(slices.Contains(m.Actions, result.Determine) || slices.Contains(m.Actions, result.DetermineEarly)) {
			return true
		}
	}
	return false
}

// sameMandate reports whether two mandates say the same, their times as
// instants.
func sameMandate(a, b *result.Mandate) bool {
	x, y := *a, *b
	for _, t := range []*time.Time{&x.From, &x.Until, &x.Revoked, &y.From, &y.Until, &y.Revoked} {
		*t = t.UTC()
	}
	return reflect.DeepEqual(x, y)
}
