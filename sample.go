package vaststelling

import (
	"context"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
)

// Sample draws the exam committee's sample (steekproef) over every result
// as the trail holds it (see audit.DrawSample) and records it, with its
// seed and method, in the trail, at the moment now, as the actor.
func (o *Office) Sample(ctx context.Context, spec audit.SampleSpec, actor result.Actor, now time.Time) (audit.Sample, error) {
	var s audit.Sample
	err := o.decide(ctx, func(b *batch, again bool) error {
		var results []result.Result
		for _, id := range o.p.results.IDs() {
			r, _ := o.resultForDecision(id)
			results = append(results, r)
		}
		var err error
		if s, err = audit.DrawSample(spec, results); err != nil {
			return err
		}
		rec, err := audit.NewSampleRecord(s, actor, now, o.rand)
		if err != nil {
			return err
		}
		b.records = append(b.records, rec)
		b.changes = append(b.changes, change{entry: &rec})
		return nil
	})
	if err != nil {
		return audit.Sample{}, err
	}
	return s, nil
}
