package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// A Rebuilt trail is every result as its events in the log leave it.
type Rebuilt struct {
	Results map[string]result.Result
	// Erased lists the results whose trail holds an erased record: they
	// cannot be rebuilt, by design, and are not in Results.
	Erased []string
}

// Rebuild folds every record of the log into the results it describes.
// Times are shown in loc (nil keeps them as recorded, in UTC), so that a
// rebuilt result equals the live one. A trail that does not fold (an
// event that does not follow from its result) is an error naming it.
func Rebuild(ctx context.Context, s Store, loc *time.Location) (Rebuilt, error) {
	return rebuild(ctx, s, loc, func(*Record) bool { return true })
}

// StateAt rebuilds one result as it stood at the moment at: the fold of
// its events up to and including at. A result with no event by then is the
// zero Result.
func StateAt(ctx context.Context, s Store, id string, at time.Time, loc *time.Location) (result.Result, error) {
	rb, err := rebuild(ctx, s, loc, func(r *Record) bool { return r.Result == id && !r.Time.After(at) })
	if err != nil {
		return result.Result{}, err
	}
	for _, e := range rb.Erased {
		if e == id {
			return result.Result{}, fmt.Errorf("audit: result %s: %w", id, ErrErased)
		}
	}
	return rb.Results[id], nil
}

func rebuild(ctx context.Context, s Store, loc *time.Location, keep func(*Record) bool) (Rebuilt, error) {
	size, err := s.Size(ctx)
	if err != nil {
		return Rebuilt{}, err
	}
	rb := Rebuilt{Results: map[string]result.Result{}}
	erased := map[string]bool{}
	for from := int64(0); from < size; from += verifyBatch {
		records, err := s.Records(ctx, from, min(from+verifyBatch, size))
		if err != nil {
			return rb, err
		}
		for i := range records {
			r := &records[i]
			// Records of no single result, such as a drawn sample, fold into none.
			if r.Result == "" || !keep(r) || erased[r.Result] {
				continue
			}
			if r.Erased() {
				erased[r.Result] = true
				rb.Erased = append(rb.Erased, r.Result)
				delete(rb.Results, r.Result)
				continue
			}
			e, err := r.Event()
			if err != nil {
				return rb, err
			}
			if loc != nil {
				inLocation(&e, loc)
			}
			res := rb.Results[r.Result]
			if err := res.Apply(e); err != nil {
				return rb, fmt.Errorf("audit: record %d: %w", r.Index, err)
			}
			rb.Results[r.Result] = res
		}
	}
	return rb, nil
}

// inLocation shows every time of the event in loc.
func inLocation(e *result.Event, loc *time.Location) {
	in := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.In(loc)
		}
	}
	in(&e.At)
	if e.Record != nil {
		rec := *e.Record
		in(&rec.Exam)
		e.Record = &rec
	}
	if e.Exception != nil {
		x := *e.Exception
		in(&x.Raised)
		in(&x.Closed)
		if x.Record != nil {
			rec := *x.Record
			in(&rec.Exam)
			x.Record = &rec
		}
		e.Exception = &x
	}
}

// EventIn is Event with every time of the event shown in loc (nil keeps
// them in UTC, as recorded), as Rebuild folds it: a reader that folds
// records into live results uses it to get results equal to those.
func (r *Record) EventIn(loc *time.Location) (result.Event, error) {
	e, err := r.Event()
	if err == nil && loc != nil {
		inLocation(&e, loc)
	}
	return e, err
}
