package vaststelling

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// ErrSample: a sample or its findings the office cannot record as asked:
// drawn or checked by someone who is not the exam committee, findings for
// a sample the trail does not hold or for a result it did not pick.
var ErrSample = errors.New("sample refused")

// Sample draws the exam committee's sample (steekproef) over every result
// as the trail holds it (see audit.DrawSample) and records it, with its
// seed and method, in the trail, at the moment now, as the actor. Drawing
// it is the committee's act: another role is refused (ErrSample and
// result.ErrWrongRole).
func (o *Office) Sample(ctx context.Context, spec audit.SampleSpec, actor result.Actor, now time.Time) (audit.Sample, error) {
	if err := committeeAct(actor, "draw a sample"); err != nil {
		return audit.Sample{}, err
	}
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

// A Finding is what the exam committee found checking one result of a
// sample: in order, or a deviation, and what it noted.
type Finding struct {
	Result  string `json:"result"`
	InOrder bool   `json:"in_order"`
	Note    string `json:"note,omitempty"`
}

// findingsEntry is the committee's findings on a sample, named by its seed.
type findingsEntry struct {
	Seed     uint64    `json:"seed"`
	Actor    string    `json:"actor"`
	Findings []Finding `json:"findings"`
}

// RecordFindings records the exam committee's findings on the results of
// a sample it drew (named by the sample's seed; a sample drawn again with
// the seed, to show it draws the same, is the same sample) in the trail,
// at the moment now, as the actor. Every finding must be for a result the sample
// picked, a deviation must say what deviates (Note), and only the exam
// committee records them; anything else is refused with ErrSample.
func (o *Office) RecordFindings(ctx context.Context, seed uint64, findings []Finding, actor result.Actor, now time.Time) error {
	if err := committeeAct(actor, "record a sample's findings"); err != nil {
		return err
	}
	if len(findings) == 0 {
		return fmt.Errorf("vaststelling: %w: no findings", ErrSample)
	}
	return o.decide(ctx, func(b *batch, again bool) error {
		picked, ok := o.p.samples[seed]
		if !ok {
			return fmt.Errorf("vaststelling: %w: the trail holds no sample with seed %d", ErrSample, seed)
		}
		for i, f := range findings {
			switch {
			case !slices.Contains(picked, f.Result):
				return fmt.Errorf("vaststelling: %w: findings[%d]: the sample with seed %d did not pick result %q", ErrSample, i, seed, f.Result)
			case !f.InOrder && f.Note == "":
				return fmt.Errorf("vaststelling: %w: findings[%d]: a deviation in result %s needs a note saying what deviates", ErrSample, i, f.Result)
			}
		}
		return o.stageEntry(b, EntrySampleFindings, now, actor.Role, "",
			findingsEntry{Seed: seed, Actor: actor.ID, Findings: findings})
	})
}

// Findings returns the findings recorded on the sample with the seed, in
// the order recorded.
func (o *Office) Findings(seed uint64) []Finding {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.p.findings[seed])
}

// committeeAct refuses an act that is the exam committee's to anyone else.
func committeeAct(actor result.Actor, what string) error {
	if actor.Role != timeline.ExamCommittee || actor.ID == "" {
		return fmt.Errorf("vaststelling: %w: %w: only the exam committee may %s, not %s (%s)",
			ErrSample, result.ErrWrongRole, what, actor.ID, actor.Role)
	}
	return nil
}
