package audit

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// ErrInvalidSample: a sample specification that cannot be drawn, results
// that cannot be sampled (the same id twice), or a record that holds no
// sample. For the spec and the results, a *SampleError carries the details.
var ErrInvalidSample = errors.New("invalid sample")

// A SampleError reports what is wrong with a sample specification or the
// results it is drawn from. It matches ErrInvalidSample.
type SampleError struct {
	Field   string // "percent", "minimum", "from", "until" or "results"
	Problem string
}

// Error returns the problem as a sentence a person can read.
func (e *SampleError) Error() string {
	return "audit: " + ErrInvalidSample.Error() + ": " + e.Field + ": " + e.Problem
}

// Is makes a SampleError match ErrInvalidSample.
func (e *SampleError) Is(target error) bool { return target == ErrInvalidSample }

// SampleDrawn is the Type of the record of a drawn sample (see
// [Log.AppendSample]).
const SampleDrawn = "sample_drawn"

// SampleMethod names the method DrawSample follows, and its version. It is
// recorded with every sample, so that anyone can draw the sample again from
// the same results, with this library or without it. A change to the
// method gets a new version.
const SampleMethod = "vaststelling-sample v1: strata assessor×component, ids in byte order; " +
	"ChaCha8 (C2SP chacha8rand) seeded with SHA-256(seed as 8 bytes big-endian ‖ assessor ‖ 0x00 ‖ component); " +
	"partial Fisher–Yates: for i from 0, swap i with i + x mod (n−i), x the next output ≥ 2^64 mod (n−i)"

// A SampleSpec says how the exam committee draws a sample (steekproef) of
// results. The same spec over the same results always draws the same
// sample, in whatever order the results are given.
//
// Results are grouped in strata, one per assessor and exam component, and
// each stratum is sampled on its own: Percent of it, rounded up, but at
// least Minimum results, and all of it when it has no more than that.
// Percent is a whole percentage, so that the count is exact integer
// arithmetic, with no rounding that another implementation could do
// differently: ceil(Percent × size / 100). Percent 0 with a positive
// Minimum draws exactly Minimum from every stratum (or all of a smaller
// one); Percent and Minimum both 0 is refused, as it draws nothing.
//
// From and Until bound the exam moment (result.Record.Exam): a result is a
// candidate when its exam lies in [From, Until). A zero bound is no bound.
// The exam committee thinks in dates: pass the first instant of the first
// day and of the day after the last, in the institution's location, as
// calendar.Date.In gives them.
//
// The zero SampleSpec is not valid: it draws nothing.
type SampleSpec struct {
	Seed    uint64 // chosen by the committee, or drawn at random and recorded
	Percent int    // 0 to 100: the share of each stratum to draw, rounded up
	Minimum int    // at least this many per stratum, or all of a smaller stratum
	From    time.Time
	Until   time.Time
	Note    string // why the sample was drawn, for the record
}

// Validate reports what makes the spec one that cannot be drawn, as a
// *SampleError; nil when it can be.
func (s SampleSpec) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &SampleError{Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	recordable := func(t time.Time) bool {
		y := t.UTC().Year()
		return t.IsZero() || y >= 1 && y <= 9999
	}
	switch {
	case s.Percent < 0 || s.Percent > 100:
		return bad("percent", "%d is not in 0..100", s.Percent)
	case s.Minimum < 0:
		return bad("minimum", "%d is negative", s.Minimum)
	case s.Percent == 0 && s.Minimum == 0:
		return bad("percent", "0 with a minimum of 0 draws nothing")
	case !recordable(s.From):
		return bad("from", "%s cannot be recorded", s.From)
	case !recordable(s.Until):
		return bad("until", "%s cannot be recorded", s.Until)
	case !s.From.IsZero() && !s.Until.IsZero() && !s.Until.After(s.From):
		return bad("until", "%s is not after from %s", s.Until.Format(time.RFC3339), s.From.Format(time.RFC3339))
	}
	return nil
}

// A Sample is what DrawSample drew: the spec, the method, and per stratum
// its size and the results picked from it.
type Sample struct {
	Spec   SampleSpec // its times in UTC
	Method string     // SampleMethod, for a sample drawn by DrawSample
	Strata []Stratum  // in order of assessor, then component; none when there were no candidates
}

// A Stratum is the candidates of one assessor for one exam component, and
// the results picked from them.
type Stratum struct {
	Assessor  string
	Component string
	Size      int // the number of candidates
	// Picked holds the ids of the results picked, in the order they were
	// drawn: the first n of them are what a draw of n would have picked.
	Picked []string
}

// Picked returns the ids of every result picked, stratum by stratum, each
// stratum's in the order drawn.
func (s Sample) Picked() []string {
	var out []string
	for _, st := range s.Strata {
		out = append(out, st.Picked...)
	}
	return out
}

// sampled reports whether a result in the state is a candidate for a
// sample: every state from registration on, for those are results the
// student was told about and the procedure ran for, whatever came after
// (provisional, on hold, final, under appeal, and the superseded and
// annulled results, which were determined before they were replaced). Not
// candidates are results not registered (received, rejected at intake) and
// those the committee declared invalid (fraud), which had a procedure of
// their own.
func sampled(s result.State) bool {
	switch s {
	case result.Provisional, result.OnHold, result.Final, result.UnderAppeal, result.Superseded, result.Annulled:
		return true
	}
	return false
}

// DrawSample draws a sample of the results as the spec says. It is a pure
// function of the spec and the set of results: the order of results does
// not matter, and the same spec over the same results draws the same
// sample, now and in later versions of this library that keep SampleMethod.
//
// The candidates are the results registered or later (see below) whose
// exam lies in the spec's window. They are grouped in strata by assessor
// and exam component, the strata in byte order of assessor + "\x00" +
// component, the candidates of each in byte order of their ids. Each
// stratum draws max(Minimum, ceil(Percent × size / 100)) results, at most
// its size, with a partial Fisher–Yates shuffle of its ids driven by a
// ChaCha8 generator seeded with SHA-256 of the seed (8 bytes, big-endian),
// the assessor, a zero byte and the component. Each stratum has a
// generator of its own, so that a stratum's picks depend only on the seed
// and its own candidates: results added to another stratum, or a stratum
// added, change nothing else. The method is SampleMethod, spelled out.
//
// A result is a candidate when it was registered: provisional, on hold,
// final, under appeal, superseded or annulled. Results only received,
// rejected at intake or invalidated by the committee are not. To draw a
// recorded sample again, give it the results as they stood when it was
// drawn (StateAt at the record's time).
//
// An invalid spec, an id that occurs twice among the results, or an
// assessor or component holding a zero byte is a *SampleError.
func DrawSample(spec SampleSpec, results []result.Result) (Sample, error) {
	if err := spec.Validate(); err != nil {
		return Sample{}, err
	}
	type key struct{ assessor, component string }
	groups := map[key][]string{}
	seen := make(map[string]bool, len(results))
	for i := range results {
		r := &results[i]
		if r.ID != "" {
			if seen[r.ID] {
				return Sample{}, &SampleError{Field: "results", Problem: fmt.Sprintf("result %q occurs twice", r.ID)}
			}
			seen[r.ID] = true
		}
		if !sampled(r.State) || !spec.From.IsZero() && r.Exam.Before(spec.From) ||
			!spec.Until.IsZero() && !r.Exam.Before(spec.Until) {
			continue
		}
		if strings.ContainsRune(r.Assessor, 0) || strings.ContainsRune(r.Component, 0) {
			return Sample{}, &SampleError{Field: "results",
				Problem: fmt.Sprintf("result %q: its assessor or component holds a zero byte", r.ID)}
		}
		k := key{r.Assessor, r.Component}
		groups[k] = append(groups[k], r.ID)
	}

	spec.From, spec.Until = utc(spec.From), utc(spec.Until)
	s := Sample{Spec: spec, Method: SampleMethod}
	for k, ids := range groups {
		s.Strata = append(s.Strata, Stratum{Assessor: k.assessor, Component: k.component, Size: len(ids),
			Picked: draw(spec, k.assessor, k.component, ids)})
	}
	slices.SortFunc(s.Strata, func(a, b Stratum) int {
		return cmp.Or(strings.Compare(a.Assessor, b.Assessor), strings.Compare(a.Component, b.Component))
	})
	return s, nil
}

// draw picks from one stratum's ids, which it sorts and shuffles in place.
func draw(spec SampleSpec, assessor, component string, ids []string) []string {
	n := len(ids)
	count := min(n, max(spec.Minimum, (spec.Percent*n+99)/100))
	slices.Sort(ids)
	src := rand.NewChaCha8(stratumSeed(spec.Seed, assessor, component))
	for i := range count {
		j := i + int(below(src, uint64(n-i)))
		ids[i], ids[j] = ids[j], ids[i]
	}
	return slices.Clone(ids[:count])
}

// stratumSeed returns SHA-256(seed as 8 bytes big-endian ‖ assessor ‖ 0x00 ‖ component).
func stratumSeed(seed uint64, assessor, component string) [32]byte {
	h := sha256.New()
	h.Write(binary.BigEndian.AppendUint64(nil, seed))
	io.WriteString(h, assessor)
	h.Write([]byte{0})
	io.WriteString(h, component)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// below returns a uniform number in [0, n), n > 0, by rejection: the first
// output x of src with x ≥ 2^64 mod n, taken mod n. It is spelled out here,
// rather than taken from rand.Rand, so that the method does not depend on
// an algorithm the standard library may change.
func below(src *rand.ChaCha8, n uint64) uint64 {
	floor := -n % n // 2^64 mod n
	for {
		if x := src.Uint64(); x >= floor {
			return x % n
		}
	}
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// samplePayload is the payload of a sample's record. Its encoding is JSON
// in the fields' order, so that the same sample always gives the same
// bytes. The seed is a string, as JSON readers other than Go's lose
// precision on integers beyond 2^53.
type samplePayload struct {
	Actor  string          `json:"actor"`
	Teams  []string        `json:"teams,omitempty"`
	Seed   uint64          `json:"seed,string"`
	Spec   sampleSpecJSON  `json:"spec"`
	Method string          `json:"method"`
	Strata []sampleStratum `json:"strata"`
}

type sampleSpecJSON struct {
	Percent int       `json:"percent"`
	Minimum int       `json:"minimum"`
	From    time.Time `json:"from,omitzero"`
	Until   time.Time `json:"until,omitzero"`
	Note    string    `json:"note,omitempty"`
}

type sampleStratum struct {
	Assessor  string   `json:"assessor"`
	Component string   `json:"component"`
	Size      int      `json:"size"`
	Picked    []string `json:"picked"`
}

// AppendSample records a drawn sample in the trail, as one record of type
// SampleDrawn, and returns its position. The record belongs to no single
// result: its Result is empty, its Seq 0, its From, To and Mandate empty;
// its Role is the actor's and its Time at, the moment of drawing. Who drew
// it, the seed, the spec, the method and the picked results (ids, and the
// assessors, who are persons) are the payload, erasable as any other.
// ReadSample reads the record back.
//
// A sample whose spec is invalid, or a zero or unrecordable at, is refused
// with a *SampleError or an error naming the time.
func (l *Log) AppendSample(ctx context.Context, s Sample, actor result.Actor, at time.Time) (int64, error) {
	l.mu.Lock()
	r, err := NewSampleRecord(s, actor, at, l.rand)
	l.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return l.Append(ctx, r)
}

// NewSampleRecord is the record AppendSample appends, its salt read from
// rand, for a writer that appends it with other records.
func NewSampleRecord(s Sample, actor result.Actor, at time.Time, rand io.Reader) (Record, error) {
	if err := s.Spec.Validate(); err != nil {
		return Record{}, err
	}
	if y := at.UTC().Year(); at.IsZero() || y < 1 || y > 9999 {
		return Record{}, fmt.Errorf("audit: sample: %w: the time %s cannot be recorded", ErrInvalidRecord, at)
	}
	p := samplePayload{Actor: actor.ID, Teams: actor.Teams, Seed: s.Spec.Seed, Method: s.Method,
		Spec: sampleSpecJSON{Percent: s.Spec.Percent, Minimum: s.Spec.Minimum, From: utc(s.Spec.From),
			Until: utc(s.Spec.Until), Note: s.Spec.Note},
		Strata: make([]sampleStratum, len(s.Strata))}
	for i, st := range s.Strata {
		p.Strata[i] = sampleStratum(st)
		if p.Strata[i].Picked == nil {
			p.Strata[i].Picked = []string{}
		}
	}
	data, err := json.Marshal(p)
	if err != nil {
		return Record{}, fmt.Errorf("audit: encoding a sample: %w", err)
	}
	salt := make([]byte, saltSize)
	if _, err = io.ReadFull(rand, salt); err != nil {
		return Record{}, fmt.Errorf("audit: reading a salt: %w", err)
	}
	return Record{Time: at, Type: SampleDrawn, Role: actor.Role.String(), Commitment: Commit(salt, data),
		Salt: salt, Payload: data}, nil
}

// ReadSample reads back the sample a record of type SampleDrawn holds, and
// who drew it. Its spec's times are in UTC. A record of another type is an
// error matching ErrInvalidSample; an erased one matches ErrErased; one
// that does not read as a sample matches ErrCorrupt.
func ReadSample(r Record) (Sample, result.Actor, error) {
	if r.Type != SampleDrawn {
		return Sample{}, result.Actor{}, fmt.Errorf("audit: record %d: %w: a %q record, not a %q one",
			r.Index, ErrInvalidSample, r.Type, SampleDrawn)
	}
	if r.Erased() {
		return Sample{}, result.Actor{}, fmt.Errorf("audit: record %d: %w", r.Index, ErrErased)
	}
	corrupt := func(format string, args ...any) (Sample, result.Actor, error) {
		return Sample{}, result.Actor{}, fmt.Errorf("audit: record %d: %w: sample: %s", r.Index, ErrCorrupt,
			fmt.Sprintf(format, args...))
	}
	if r.Result != "" || r.Seq != 0 || r.From != "" || r.To != "" || r.Mandate != "" {
		return corrupt("the header names a result, an event, states or a mandate")
	}
	var p samplePayload
	dec := json.NewDecoder(bytes.NewReader(r.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return corrupt("payload: %v", err)
	}
	if dec.More() {
		return corrupt("payload: data after the sample")
	}
	actor := result.Actor{ID: p.Actor, Teams: p.Teams}
	if r.Role != "" {
		if err := actor.Role.UnmarshalText([]byte(r.Role)); err != nil {
			return corrupt("role %q", r.Role)
		}
	}
	s := Sample{Method: p.Method, Spec: SampleSpec{Seed: p.Seed, Percent: p.Spec.Percent, Minimum: p.Spec.Minimum,
		From: utc(p.Spec.From), Until: utc(p.Spec.Until), Note: p.Spec.Note}}
	if err := s.Spec.Validate(); err != nil {
		return corrupt("spec: %v", err)
	}
	for _, st := range p.Strata {
		if st.Size < len(st.Picked) {
			return corrupt("stratum %q × %q: %d picked of %d", st.Assessor, st.Component, len(st.Picked), st.Size)
		}
		s.Strata = append(s.Strata, Stratum(st))
	}
	return s, actor, nil
}
