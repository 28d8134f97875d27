package vaststelling

import (
	"context"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
)

// Sample draws the exam committee's sample (steekproef) over every result
// as it stands (see audit.DrawSample) and records it, with its seed and
// method, in the trail, at the moment now, as the actor.
func (o *Office) Sample(ctx context.Context, spec audit.SampleSpec, actor result.Actor, now time.Time) (audit.Sample, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var results []result.Result
	for _, id := range o.store.IDs() {
		r, _ := o.store.Result(id)
		results = append(results, r)
	}
	s, err := audit.DrawSample(spec, results)
	if err != nil {
		return audit.Sample{}, err
	}
	if _, err := o.cfg.Log.AppendSample(ctx, s, actor, now); err != nil {
		return s, err
	}
	return s, nil
}
