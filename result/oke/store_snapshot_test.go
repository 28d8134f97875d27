package oke

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

var snapshotResults = flag.Int("snapshot.results", 1_000_000, "results in BenchmarkStoreSnapshot's store")

// yearResult is the i-th result of an institution's year as the intake
// and the daily run leave it: a determined score in the calendar's zone,
// in sessions of 2,500; one in twenty a retake, one in fifty with an
// exception decided.
func yearResult(tb testing.TB, i int) result.Result {
	g, err := result.ParseGrade(result.Decimal0To10, fmt.Sprintf("%d.%d", 3+i%7, i%10))
	require.NoError(tb, err)
	exam := time.Date(2026, time.September, 1, 9, 0, 0, 0, ams).AddDate(0, 0, (i/2500)%280)
	r := result.Result{
		Record: result.Record{
			ID: fmt.Sprintf("a%07x-0000-4000-8000-%012x", i, i*7919), Student: fmt.Sprintf("s-%06d", i/40),
			Component: fmt.Sprintf("KT%d-W2", i%40), Programme: "25180", Crebo: "25180", Team: fmt.Sprintf("team-%d", i%12),
			Attempt: 1, Exam: exam, Assessor: "05035972-0619-4d0b-8a09-7bdb6eee5e6d", Grade: g,
			Attendance: result.Present, Source: result.OKE,
			Offering:         fmt.Sprintf("5ffc6127-debe-48ce-90ae-%012d", i/2500),
			ExecutedOffering: fmt.Sprintf("KT-W2 zitting %d", i/2500),
			RawScore:         &result.RawScore{Points: 40 + i%35, Max: 75},
		},
		State: result.Final, Version: 4, Updated: exam.AddDate(0, 0, 30), Registered: exam.AddDate(0, 0, 8),
		Policy: "2026-2027", Determined: exam.AddDate(0, 0, 30),
		DeterminedBy: result.Actor{ID: "exam-administration", Role: timeline.System}, Mandate: "standing-2026",
	}
	if i%20 == 19 {
		r.Attempt, r.Retakes = 2, fmt.Sprintf("a%07x-0000-4000-8000-%012x", i-1, (i-1)*7919)
	}
	if i%50 == 7 {
		r.Exceptions = []result.Exception{{ID: 1, Kind: result.Irregularity, Detail: "noise from the construction site",
			Raised: exam.AddDate(0, 0, 2), RaisedBy: result.Actor{ID: "oke", Role: timeline.System},
			Outcome: result.Resolved, Closed: exam.AddDate(0, 0, 9), ClosedBy: result.Actor{ID: "c.jansen", Teams: []string{"team-3"}},
			Reason: "no influence on the result", Mandate: "committee"}}
	}
	return r
}

// snapshotStore returns a result store with the year's first n results,
// some saved twice (one outgrowing its place), and two filled to every
// field, with times in fixed zones and time.Local.
func snapshotStore(tb testing.TB, n int) *MemoryStore {
	s := NewResultStore()
	for i := range n {
		r := yearResult(tb, i)
		require.NoError(tb, s.Save(r, nil))
		if i%97 == 3 {
			r.Version++
			if i%2 == 1 {
				r.SupersededBy = fmt.Sprintf("a long enough reason to outgrow the place %0100d", i)
			}
			require.NoError(tb, s.Save(r, nil))
		}
	}
	for k := range 2 {
		var r result.Result
		m := k
		fill(tb, reflect.ValueOf(&r).Elem(), fmt.Sprint("filled", k), &m)
		require.NoError(tb, s.Save(r, nil))
	}
	return s
}

// equalStores checks that two stores hold the same results and indexes.
func equalStores(t *testing.T, want, got *MemoryStore) {
	t.Helper()
	ids := want.IDs()
	require.Equal(t, ids, got.IDs())
	originals := map[string]bool{}
	for _, id := range ids {
		w, ok := want.Result(id)
		require.True(t, ok)
		g, ok := got.Result(id)
		require.True(t, ok, id)
		require.Equal(t, w, g, id)
		originals[w.Retakes] = true
		originals[id] = true
	}
	for original := range originals {
		require.Equal(t, want.Related(original), got.Related(original), original)
	}
	require.Equal(t, len(want.sessions), len(got.sessions))
	for session := range want.sessions {
		require.Equal(t, want.Session(session), got.Session(session), session)
	}
	require.Equal(t, want.related, got.related)
}

func snapshot(t testing.TB, s *MemoryStore) []byte {
	var buf bytes.Buffer
	require.NoError(t, s.WriteSnapshot(&buf))
	return buf.Bytes()
}

// A store loaded from its snapshot is the store: every result, index and
// id; times in their zones, the calendar's the very one given; and its
// snapshot is the same bytes again.
func TestSnapshotRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := snapshotStore(t, n)
			b := snapshot(t, s)
			got, err := ReadStoreSnapshot(bytes.NewReader(b), ams)
			require.NoError(t, err)
			equalStores(t, s, got)
			assert.Equal(t, b, snapshot(t, got), "the loaded store writes the same snapshot")
			if n > 0 {
				r, _ := got.Result(yearResult(t, 0).ID)
				assert.Same(t, ams, r.Exam.Location(), "a zone given is the zone")
				delivered := yearResult(t, 0).Record
				assert.True(t, sameRecord(&r.Record, &delivered), "a re-delivery is told from a change")
			}
			t.Logf("%d results: %d bytes", n, len(b))
		})
	}
}

// A loaded store goes on as the original would: results saved and updated,
// indexes grown, the zones' numbers kept.
func TestSnapshotLoadedStoreGoesOn(t *testing.T) {
	s := snapshotStore(t, 600)
	got, err := ReadStoreSnapshot(bytes.NewReader(snapshot(t, s)), ams)
	require.NoError(t, err)
	for _, st := range []*MemoryStore{s, got} {
		for i := 590; i < 700; i++ {
			r := yearResult(t, i)
			r.Policy = "changed"
			require.NoError(t, st.Save(r, nil))
		}
		_, err := st.Keep(Delivery{}, Receipt{})
		require.NoError(t, err)
	}
	equalStores(t, s, got)
	assert.Equal(t, s.locs.list, got.locs.list)
	assert.Len(t, got.Log(), 1, "the delivery log starts anew")
	assert.Nil(t, got.Events(yearResult(t, 0).ID), "a result store")
}

// A named zone not given is loaded by name.
func TestSnapshotLoadsNamedZones(t *testing.T) {
	s := snapshotStore(t, 10)
	got, err := ReadStoreSnapshot(bytes.NewReader(snapshot(t, s)))
	require.NoError(t, err)
	r, _ := got.Result(yearResult(t, 3).ID)
	assert.Equal(t, "Europe/Amsterdam", r.Exam.Location().String())
	assert.True(t, r.Exam.Equal(yearResult(t, 3).Exam))
}

func TestSnapshotRefusesStoreWithEvents(t *testing.T) {
	err := NewStore().WriteSnapshot(io.Discard)
	require.ErrorIs(t, err, ErrSnapshotEvents)
}

type failWriter struct{ after int }

func (w *failWriter) Write(b []byte) (int, error) {
	if w.after -= len(b); w.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(b), nil
}

func TestSnapshotWriteError(t *testing.T) {
	s := snapshotStore(t, 2000)
	n := len(snapshot(t, s))
	for _, after := range []int{0, 20, n / 2, n - 1} {
		err := s.WriteSnapshot(&failWriter{after: after})
		require.Error(t, err, after)
		assert.Contains(t, err.Error(), "disk full")
	}
}

// Every cut, every bit flipped, and anything added is an error, never a
// panic and never a store.
func TestSnapshotDamage(t *testing.T) {
	b := snapshot(t, snapshotStore(t, 5))
	for i := range len(b) {
		_, err := ReadStoreSnapshot(bytes.NewReader(b[:i]), ams)
		require.ErrorIs(t, err, ErrSnapshot, "cut at %d", i)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF, "cut at %d", i)
	}
	for i := range len(b) {
		for bit := range 8 {
			c := slices.Clone(b)
			c[i] ^= 1 << bit
			s, err := ReadStoreSnapshot(bytes.NewReader(c), ams)
			require.Error(t, err, "bit %d of byte %d", bit, i)
			require.Nil(t, s)
			if i < 8 || i >= 12 {
				require.ErrorIs(t, err, ErrSnapshot, "bit %d of byte %d", bit, i)
			} else {
				require.ErrorIs(t, err, ErrSnapshotVersion, "bit %d of byte %d", bit, i)
			}
		}
	}
	_, err := ReadStoreSnapshot(bytes.NewReader(append(slices.Clone(b), 0)), ams)
	require.ErrorIs(t, err, ErrSnapshot)
	assert.Contains(t, err.Error(), "after the end")
	_, err = ReadStoreSnapshot(bytes.NewReader([]byte("not a snapshot at all")))
	require.ErrorIs(t, err, ErrSnapshot)
	t.Log(err)

	// A frame whose checksum is right and whose content is wrong: a
	// result that does not unpack.
	c := slices.Clone(b)
	resultsAt := 12 + frameHeader + int(binary.LittleEndian.Uint32(c[13:17]))
	c[resultsAt+frameHeader+2] ^= 0xff
	resum(c)
	_, err = ReadStoreSnapshot(bytes.NewReader(c), ams)
	require.ErrorIs(t, err, ErrSnapshot)
	t.Log(err)
}

type failReader struct{ r io.Reader }

func (f failReader) Read(b []byte) (int, error) {
	n, err := f.r.Read(b)
	if err == io.EOF {
		return n, errors.New("network unreachable")
	}
	return n, err
}

// An error of the reader is the reader's, not a damaged snapshot.
func TestSnapshotReadError(t *testing.T) {
	b := snapshot(t, snapshotStore(t, 5))
	_, err := ReadStoreSnapshot(failReader{bytes.NewReader(b[:len(b)/2])}, ams)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrSnapshot)
	assert.Contains(t, err.Error(), "network unreachable")
}

// resum sets the checksum of every frame to its content, as far as the
// frames read; so that a fuzzer's changes reach the parsing of frames.
func resum(b []byte) {
	if len(b) < 12 {
		return
	}
	seq := uint64(0)
	for at := 12; at+frameHeader <= len(b); seq++ {
		size := int(binary.LittleEndian.Uint32(b[at+1 : at+5]))
		if size > len(b)-at-frameHeader {
			return
		}
		payload := b[at+frameHeader : at+frameHeader+size]
		binary.LittleEndian.PutUint32(b[at+5:at+9], frameSum(seq, b[at], payload))
		at += frameHeader + size
	}
}

func FuzzReadSnapshot(f *testing.F) {
	// Small seeds: the fuzzer minimises each input it finds interesting,
	// and a snapshot of kilobytes takes it minutes.
	for _, n := range []int{0, 1, 3} {
		s := NewResultStore()
		for i := range n {
			r := yearResult(f, 19*i+7) // a retake, then one with an exception
			r.Exceptions = r.Exceptions[:min(len(r.Exceptions), i)]
			require.NoError(f, s.Save(r, nil))
		}
		f.Add(snapshot(f, s), false)
		f.Add(snapshot(f, s), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, fix bool) {
		if fix {
			resum(b)
		}
		s, err := ReadStoreSnapshot(bytes.NewReader(b), ams)
		if err != nil {
			if s != nil {
				t.Fatal("a store and an error")
			}
			if !errors.Is(err, ErrSnapshot) && !errors.Is(err, ErrSnapshotVersion) {
				t.Fatalf("an error that is neither damage nor version: %v", err)
			}
			return
		}
		// What loads, serves, and writes back.
		for _, id := range s.IDs() {
			r, ok := s.Result(id)
			if !ok || r.ID != id {
				t.Fatalf("result %q: %v %q", id, ok, r.ID)
			}
			s.Related(id)
			s.Related(r.Retakes)
		}
		for session := range s.sessions {
			s.Session(session)
		}
		var again bytes.Buffer
		if err := s.WriteSnapshot(&again); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadStoreSnapshot(&again, ams); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkStoreSnapshot writes and reads a store of a year's results (a
// million; -snapshot.results), and reports the time a result, the
// snapshot's size and the memory the loaded store takes.
func BenchmarkStoreSnapshot(b *testing.B) {
	n := *snapshotResults
	s := NewResultStore()
	for i := range n {
		r := yearResult(b, i)
		if err := s.Save(r, nil); err != nil {
			b.Fatal(err)
		}
	}
	var first bytes.Buffer
	if err := s.WriteSnapshot(&first); err != nil {
		b.Fatal(err)
	}
	snap := first.Bytes()
	b.Run("write", func(b *testing.B) {
		// Into memory the size of the snapshot, as a file's pages would be.
		buf := bytes.NewBuffer(make([]byte, 0, len(snap)))
		cpu := processCPU()
		for b.Loop() {
			buf.Reset()
			if err := s.WriteSnapshot(buf); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/result")
		reportCPU(b, cpu, n)
		b.ReportMetric(float64(buf.Len())/1e6, "MB")
		b.ReportMetric(float64(buf.Len())/float64(n), "B/result")
	})
	b.Run("read", func(b *testing.B) {
		cpu := processCPU()
		for b.Loop() {
			if _, err := ReadStoreSnapshot(bytes.NewReader(snap), ams); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/result")
		reportCPU(b, cpu, n)
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		loaded, err := ReadStoreSnapshot(bytes.NewReader(snap), ams)
		require.NoError(b, err)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-heap")
		runtime.KeepAlive(loaded)
	})
}

// reportCPU reports the processor time the process used since start, a
// result, when it is measured: on a machine shared with other work, the
// wall time is theirs as well.
func reportCPU(b *testing.B, start time.Duration, n int) {
	if now := processCPU(); now > 0 {
		b.ReportMetric(float64((now-start).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/result")
	}
}
