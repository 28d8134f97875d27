package audit_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

var sampleExam = time.Date(2027, time.January, 18, 10, 0, 0, 0, time.UTC)

// sampleResult returns a final result of the assessor for the component.
func sampleResult(id, assessor, component string) result.Result {
	return result.Result{Record: result.Record{ID: id, Student: "s-" + id, Component: component, Crebo: "25180",
		Attempt: 1, Exam: sampleExam, Assessor: assessor, Attendance: result.Present, Source: result.OKE},
		State: result.Final, Version: 3}
}

// stratumOf returns n final results of the assessor for the component.
func stratumOf(n int, assessor, component string) []result.Result {
	out := make([]result.Result, n)
	for i := range out {
		out[i] = sampleResult(fmt.Sprintf("%s-%s-%04d", assessor, component, i), assessor, component)
	}
	return out
}

// population returns results in several strata of different sizes.
func population() []result.Result {
	var out []result.Result
	out = append(out, stratumOf(40, "ass-1", "KT1-W1")...)
	out = append(out, stratumOf(7, "ass-1", "KT1-W2")...)
	out = append(out, stratumOf(23, "ass-2", "KT1-W1")...)
	out = append(out, stratumOf(1, "ass-3", "KT2-W1")...)
	return out
}

func draw(t *testing.T, spec audit.SampleSpec, results []result.Result) audit.Sample {
	t.Helper()
	s, err := audit.DrawSample(spec, results)
	require.NoError(t, err)
	return s
}

// stratum returns the sample's stratum of the assessor and component.
func stratum(t *testing.T, s audit.Sample, assessor, component string) audit.Stratum {
	t.Helper()
	for _, st := range s.Strata {
		if st.Assessor == assessor && st.Component == component {
			return st
		}
	}
	t.Fatalf("no stratum %s × %s", assessor, component)
	return audit.Stratum{}
}

func TestDrawSampleIsDeterministic(t *testing.T) {
	spec := audit.SampleSpec{Seed: 20270301, Percent: 10, Minimum: 2, Note: "kwartaalsteekproef"}
	results := population()
	want := draw(t, spec, results)
	assert.Equal(t, audit.SampleMethod, want.Method)
	assert.Equal(t, spec, want.Spec)

	// The strata in order of assessor, then component, with their sizes
	// and counts: max(2, ceil(10% of size)).
	var got []string
	for _, st := range want.Strata {
		got = append(got, fmt.Sprintf("%s×%s %d/%d", st.Assessor, st.Component, len(st.Picked), st.Size))
	}
	assert.Equal(t, []string{"ass-1×KT1-W1 4/40", "ass-1×KT1-W2 2/7", "ass-2×KT1-W1 3/23", "ass-3×KT2-W1 1/1"}, got)
	assert.Len(t, want.Picked(), 10)

	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		shuffled := slices.Clone(results)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		assert.Equal(t, want, draw(t, spec, shuffled))
	}
	// The input is not changed.
	assert.Equal(t, population(), results)
}

// The method is what SampleMethod says: drawn again here with nothing of
// the package but its output, a stratum's picks are the same.
func TestDrawSampleFollowsItsMethod(t *testing.T) {
	results := stratumOf(50, "ass-9", "PVB")
	spec := audit.SampleSpec{Seed: 1 << 63, Percent: 20}
	s := draw(t, spec, results)

	ids := make([]string, len(results))
	for i, r := range results {
		ids[i] = r.ID
	}
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	slices.Sort(ids)
	seed := sha256.Sum256(slices.Concat(binary.BigEndian.AppendUint64(nil, spec.Seed), []byte("ass-9\x00PVB")))
	src := rand.NewChaCha8(seed)
	for i := range 10 {
		n := uint64(len(ids) - i)
		x := src.Uint64()
		for x < -n%n {
			x = src.Uint64()
		}
		j := i + int(x%n)
		ids[i], ids[j] = ids[j], ids[i]
	}
	assert.Equal(t, ids[:10], s.Strata[0].Picked)
}

func TestDrawSampleSeedMatters(t *testing.T) {
	results := stratumOf(1000, "ass-1", "KT1")
	spec := audit.SampleSpec{Percent: 10}
	seen := map[string]bool{}
	var first []string
	for seed := range uint64(20) {
		spec.Seed = seed
		picked := draw(t, spec, results).Picked()
		require.Len(t, picked, 100)
		key := strings.Join(picked, ",")
		assert.False(t, seen[key], "seed %d draws what another seed drew", seed)
		seen[key] = true
		if seed == 0 {
			first = picked
			continue
		}
		// Two independent 10% samples share about 10 results; far more
		// would mean the seed hardly matters.
		shared := 0
		for _, id := range picked {
			if slices.Contains(first, id) {
				shared++
			}
		}
		assert.Less(t, shared, 30, "seed %d shares %d picks with seed 0", seed, shared)
	}
}

func TestDrawSampleCounts(t *testing.T) {
	for _, c := range []struct {
		size, percent, minimum, want int
	}{
		{10, 25, 0, 3},  // 2.5 rounded up
		{10, 20, 0, 2},  // exact
		{10, 1, 0, 1},   // 0.1 rounded up
		{200, 1, 0, 2},  // exact
		{201, 1, 0, 3},  // 2.01 rounded up
		{10, 0, 4, 4},   // the minimum alone
		{3, 0, 4, 3},    // all of a smaller stratum
		{10, 10, 5, 5},  // the minimum above the percentage
		{40, 25, 5, 10}, // the percentage above the minimum
		{7, 50, 0, 4},   // 3.5 rounded up
		{100, 100, 0, 100},
		{1, 1, 0, 1},
		{5, 100, 10, 5},
	} {
		t.Run(fmt.Sprintf("%d×%d%%min%d", c.size, c.percent, c.minimum), func(t *testing.T) {
			results := stratumOf(c.size, "a", "c")
			s := draw(t, audit.SampleSpec{Seed: 7, Percent: c.percent, Minimum: c.minimum}, results)
			require.Len(t, s.Strata, 1)
			st := s.Strata[0]
			assert.Equal(t, c.size, st.Size)
			assert.Len(t, st.Picked, c.want)
			picked := slices.Clone(st.Picked)
			slices.Sort(picked)
			assert.Len(t, slices.Compact(picked), c.want, "a result picked twice")
			for _, id := range picked {
				assert.True(t, slices.ContainsFunc(results, func(r result.Result) bool { return r.ID == id }), id)
			}
		})
	}

	// Picks come in the order drawn: a smaller draw is a prefix of a larger.
	results := stratumOf(30, "a", "c")
	small := draw(t, audit.SampleSpec{Seed: 9, Minimum: 3}, results).Strata[0].Picked
	large := draw(t, audit.SampleSpec{Seed: 9, Minimum: 12}, results).Strata[0].Picked
	assert.Equal(t, small, large[:3])
}

func TestDrawSampleStrataAreIndependent(t *testing.T) {
	spec := audit.SampleSpec{Seed: 42, Percent: 30, Minimum: 1}
	results := population()
	before := draw(t, spec, results)

	// Another stratum, results added to one stratum, and results that are
	// no candidates: the other strata keep their picks.
	more := slices.Concat(results, stratumOf(12, "ass-0", "KT1-W1"), stratumOf(5, "ass-2", "KT9"))
	extra := sampleResult("ass-1-KT1-W2-late", "ass-1", "KT1-W2")
	more = append(more, extra)
	received := sampleResult("ass-1-KT1-W1-new", "ass-1", "KT1-W1")
	received.State = result.Received
	more = append(more, received)

	after := draw(t, spec, more)
	require.Len(t, after.Strata, len(before.Strata)+2)
	for _, st := range before.Strata {
		got := stratum(t, after, st.Assessor, st.Component)
		if st.Component == "KT1-W2" {
			assert.Equal(t, st.Size+1, got.Size) // this stratum grew: its draw may change
			continue
		}
		assert.Equal(t, st, got)
	}
	assert.Equal(t, "ass-0", after.Strata[0].Assessor)
}

func TestDrawSampleExamWindow(t *testing.T) {
	from := time.Date(2027, time.January, 1, 0, 0, 0, 0, ams)
	until := time.Date(2027, time.February, 1, 0, 0, 0, 0, ams)
	exams := map[string]time.Time{
		"before":      from.Add(-time.Nanosecond),
		"at-from":     from,
		"inside":      from.Add(10 * 24 * time.Hour),
		"last-moment": until.Add(-time.Nanosecond),
		"at-until":    until,
		"after":       until.Add(time.Hour),
		"utc-inside":  time.Date(2026, time.December, 31, 23, 30, 0, 0, time.UTC), // 00:30 in Amsterdam
	}
	var results []result.Result
	for id, at := range exams {
		r := sampleResult(id, "a", "c")
		r.Exam = at
		results = append(results, r)
	}
	picked := func(spec audit.SampleSpec) []string {
		t.Helper()
		spec.Percent = 100
		ids := draw(t, spec, results).Picked()
		slices.Sort(ids)
		return ids
	}
	assert.Equal(t, []string{"at-from", "inside", "last-moment", "utc-inside"}, picked(audit.SampleSpec{From: from, Until: until}))
	assert.Equal(t, []string{"at-from", "before", "inside", "last-moment", "utc-inside"}, picked(audit.SampleSpec{Until: until}))
	assert.Equal(t, []string{"after", "at-from", "at-until", "inside", "last-moment", "utc-inside"}, picked(audit.SampleSpec{From: from}))
	assert.Len(t, picked(audit.SampleSpec{}), len(exams))

	// The spec is kept with its times in UTC.
	s := draw(t, audit.SampleSpec{Percent: 1, From: from, Until: until}, results)
	assert.Equal(t, time.UTC, s.Spec.From.Location())
	assert.True(t, s.Spec.From.Equal(from))

	// No candidates: a sample of nothing, not an error.
	s = draw(t, audit.SampleSpec{Percent: 50, From: from.AddDate(1, 0, 0)}, results)
	assert.Empty(t, s.Strata)
	assert.Empty(t, s.Picked())
}

func TestDrawSampleStates(t *testing.T) {
	var results []result.Result
	for _, st := range append(result.States(), result.None) {
		r := sampleResult(st.String(), "a", "c")
		r.State = st
		results = append(results, r)
	}
	ids := draw(t, audit.SampleSpec{Percent: 100}, results).Picked()
	slices.Sort(ids)
	assert.Equal(t, []string{"annulled", "final", "on_hold", "provisional", "superseded", "under_appeal"}, ids)
}

func TestSampleSpecValidation(t *testing.T) {
	at := time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		spec  audit.SampleSpec
		field string
	}{
		{audit.SampleSpec{}, "percent"},
		{audit.SampleSpec{Percent: -1}, "percent"},
		{audit.SampleSpec{Percent: 101}, "percent"},
		{audit.SampleSpec{Percent: 10, Minimum: -1}, "minimum"},
		{audit.SampleSpec{Percent: 10, From: at, Until: at}, "until"},
		{audit.SampleSpec{Percent: 10, From: at, Until: at.Add(-time.Second)}, "until"},
		{audit.SampleSpec{Percent: 10, From: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "from"},
		{audit.SampleSpec{Percent: 10, Until: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, "until"},
	} {
		err := c.spec.Validate()
		require.ErrorIs(t, err, audit.ErrInvalidSample, "%+v", c.spec)
		var se *audit.SampleError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, c.field, se.Field, "%v", err)
		assert.True(t, strings.HasPrefix(err.Error(), "audit: invalid sample: "+c.field+": "), err.Error())

		_, err = audit.DrawSample(c.spec, population())
		assert.ErrorIs(t, err, audit.ErrInvalidSample)
	}
	for _, ok := range []audit.SampleSpec{
		{Percent: 1}, {Minimum: 1}, {Percent: 100, Minimum: 1_000_000}, {Percent: 5, From: at, Until: at.Add(1)},
	} {
		assert.NoError(t, ok.Validate(), "%+v", ok)
	}

	// The results must be a set, and a stratum key unambiguous.
	twice := append(population(), sampleResult("ass-1-KT1-W1-0003", "ass-7", "X"))
	_, err := audit.DrawSample(audit.SampleSpec{Percent: 10}, twice)
	var se *audit.SampleError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "results", se.Field)
	assert.Contains(t, se.Problem, `"ass-1-KT1-W1-0003" occurs twice`)

	_, err = audit.DrawSample(audit.SampleSpec{Percent: 10}, []result.Result{sampleResult("x", "a\x00b", "c")})
	assert.ErrorIs(t, err, audit.ErrInvalidSample)
}

func TestSampleRecordRoundTrip(t *testing.T) {
	c := t.Context()
	log, store := filled(t, 9)

	from := time.Date(2027, time.January, 1, 0, 0, 0, 0, ams)
	spec := audit.SampleSpec{Seed: 1<<64 - 1, Percent: 25, Minimum: 2, From: from, Until: from.AddDate(0, 3, 0),
		Note: "steekproef Q1 \"KT1\"\nper beoordelaar"}
	s := draw(t, spec, population())
	committee := result.Actor{ID: "ec-1", Role: timeline.ExamCommittee, Teams: []string{"ec"}}
	drawnAt := time.Date(2027, time.April, 2, 14, 0, 0, 0, ams)
	index, err := log.AppendSample(c, s, committee, drawnAt)
	require.NoError(t, err)
	assert.Equal(t, int64(9), index)

	report, err := audit.Verify(c, store, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(10), report.Size)

	records, err := store.Records(c, index, index+1)
	require.NoError(t, err)
	r := records[0]
	assert.True(t, strings.HasPrefix(string(r.Leaf()), "vaststelling-audit v1\nindex 9\ntime \"2027-04-02T12:00:00Z\"\n"+
		"result \"\"\nseq 0\ntype \"sample_drawn\"\nfrom \"\"\nto \"\"\nrole \"exam_committee\"\nmandate \"\"\ncommitment "),
		string(r.Leaf()))
	back, err := audit.ParseLeaf(r.Leaf())
	require.NoError(t, err)
	assert.Equal(t, "", back.Result)

	got, actor, err := audit.ReadSample(r)
	require.NoError(t, err)
	assert.Equal(t, s, got)
	assert.Equal(t, committee, actor)

	// The payload's fields in a fixed order; the seed as a string.
	assert.True(t, strings.HasPrefix(string(r.Payload), `{"actor":"ec-1","teams":["ec"],"seed":"18446744073709551615",`+
		`"spec":{"percent":25,"minimum":2,"from":"2026-12-31T23:00:00Z","until":"2027-03-31T22:00:00Z",`+
		`"note":"steekproef Q1 \"KT1\"\nper beoordelaar"},"method":"vaststelling-sample v1: `), string(r.Payload))
	assert.True(t, strings.HasSuffix(string(r.Payload), `{"assessor":"ass-3","component":"KT2-W1","size":1,"picked":["ass-3-KT2-W1-0000"]}]}`),
		string(r.Payload))

	// A record that is not a sample, a header that names a result, a
	// payload that does not read.
	events, err := store.Records(c, 2, 3)
	require.NoError(t, err)
	_, _, err = audit.ReadSample(events[0])
	assert.ErrorIs(t, err, audit.ErrInvalidSample)
	bad := r
	bad.Seq = 1
	_, _, err = audit.ReadSample(bad)
	assert.ErrorIs(t, err, audit.ErrCorrupt)
	bad = r
	bad.Payload = []byte(strings.Replace(string(r.Payload), `"method"`, `"methode"`, 1))
	_, _, err = audit.ReadSample(bad)
	assert.ErrorIs(t, err, audit.ErrCorrupt)
	bad.Payload = []byte(strings.Replace(string(r.Payload), `"percent":25`, `"percent":250`, 1))
	_, _, err = audit.ReadSample(bad)
	assert.ErrorIs(t, err, audit.ErrCorrupt)

	// A sample of nothing is recorded and read back as one.
	empty := draw(t, audit.SampleSpec{Seed: 1, Percent: 10}, nil)
	index, err = log.AppendSample(c, empty, result.Actor{ID: "ec-2", Role: timeline.ExamCommittee}, drawnAt)
	require.NoError(t, err)
	records, err = store.Records(c, index, index+1)
	require.NoError(t, err)
	assert.Contains(t, string(records[0].Payload), `"strata":[]`)
	got, _, err = audit.ReadSample(records[0])
	require.NoError(t, err)
	assert.Equal(t, empty, got)

	// Erased (AVG): the log still verifies; the sample cannot be read.
	require.NoError(t, log.Erase(c, 9))
	report, err = audit.Verify(c, store, nil)
	require.NoError(t, err)
	assert.Equal(t, []int64{9}, report.Erased)
	records, err = store.Records(c, 9, 10)
	require.NoError(t, err)
	_, _, err = audit.ReadSample(records[0])
	assert.ErrorIs(t, err, audit.ErrErased)

	// Invalid samples and times are not recorded.
	_, err = log.AppendSample(c, audit.Sample{}, committee, drawnAt)
	assert.ErrorIs(t, err, audit.ErrInvalidSample)
	_, err = log.AppendSample(c, s, committee, time.Time{})
	assert.Error(t, err)
	size, err := store.Size(c)
	require.NoError(t, err)
	assert.Equal(t, int64(11), size)
}

// Rebuild folds the records of results; a sample's record belongs to none
// and must be passed over.
func TestRebuildPassesOverSamples(t *testing.T) {
	c := t.Context()
	log, store := filled(t, 9)
	want, err := audit.Rebuild(c, store, nil)
	require.NoError(t, err)

	s := draw(t, audit.SampleSpec{Seed: 1, Percent: 50}, population())
	_, err = log.AppendSample(c, s, result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}, start.Add(time.Hour))
	require.NoError(t, err)
	got, err := audit.Rebuild(c, store, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	require.NoError(t, log.Erase(c, 9))
	got, err = audit.Rebuild(c, store, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// Over many seeds every result of a stratum is picked as often as any
// other: with 25% of 20, five in twenty, each about a quarter of the time.
func TestDrawSampleIsUniform(t *testing.T) {
	results := stratumOf(20, "a", "c")
	const seeds = 2000
	counts := map[string]int{}
	first := map[string]int{}
	for seed := range uint64(seeds) {
		picked := draw(t, audit.SampleSpec{Seed: seed, Percent: 25}, results).Picked()
		require.Len(t, picked, 5)
		for _, id := range picked {
			counts[id]++
		}
		first[picked[0]]++
	}
	require.Len(t, counts, 20)
	for id, n := range counts {
		share := float64(n) / seeds
		assert.InDelta(t, 0.25, share, 0.05, "%s picked %d times in %d", id, n, seeds)
	}
	// The first pick, too, is any of the twenty alike (5% ± 3%).
	for id, n := range first {
		assert.InDelta(t, 0.05, float64(n)/seeds, 0.03, "%s picked first %d times in %d", id, n, seeds)
	}
}

func TestSampleErrorMessage(t *testing.T) {
	err := audit.SampleSpec{Percent: 120}.Validate()
	assert.EqualError(t, err, "audit: invalid sample: percent: 120 is not in 0..100")
	assert.True(t, errors.Is(err, audit.ErrInvalidSample))
}
