package vaststelling_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

var (
	yearResults  = flag.Int("year.results", 1_000_000, "the results BenchmarkInstitutionYear runs through a school year")
	yearMemLimit = flag.Int("year.memlimit", 1800, "BenchmarkInstitutionYear's Go memory limit in MiB (GOMEMLIMIT): "+
		"the 2 GB budget less room for what the Go runtime does not count; 0 for the process's own")
	yearGOGC = flag.Int("year.gogc", 400, "BenchmarkInstitutionYear's GOGC under that limit; 0 for the process's own, -1 for off (the limit alone)")
)

// A small year, run whole: every count the office reports and every event
// in the trail agree with the plan, and the trail verifies.
func TestInstitutionYear(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 1000
	}
	ctx := context.Background()
	dir := t.TempDir() + "/trail"
	require.NoError(t, os.Mkdir(dir, 0o755))
	y, err := newYear(n, dir)
	require.NoError(t, err)
	require.NoError(t, y.run(ctx))
	rep, err := y.verify(ctx)
	require.NoError(t, err)

	var complaints, upheld, irregular int
	for i := range n {
		if i%complaintEvery == complaintEvery/2+3 {
			complaints++
			if i%upheldEvery == complaintEvery/2+3 {
				upheld++
			}
		}
		if i%irregularEvery == irregularEvery/2 {
			irregular++
		}
	}
	require.Positive(t, upheld)
	assert.Equal(t, 2*n, y.deliveryCount, "attendance and score")
	// Every change of status is told: each registration, each complaint
	// decided, each determination.
	assert.Equal(t, n+complaints+n, y.notified, "each registration, each complaint decided, each determination")
	assert.Equal(t, n, y.determined)
	assert.Equal(t, 2*complaints+irregular, y.commandCount)

	records, err := y.store.Records(ctx, 0, rep.Size)
	require.NoError(t, err)
	types := map[string]int{}
	for _, r := range records {
		types[r.Type]++
		if r.Type == string(result.EventDetermined) {
			assert.Equal(t, "M-2026-standing", r.Mandate)
		}
	}
	assert.Equal(t, map[string]int{
		"received": n, "redelivered": n, "registered": n, "determined": n,
		"complaint_lodged": complaints, "complaint_decided": complaints, // upheld: with the new grade
		"exception_raised": irregular, "exception_resolved": irregular,
		// The office's own entries: every delivery, the standing mandate,
		// each notice sent, each daily run and its end.
		"delivery": 2 * n, "mandate_granted": 1, "notice_sent": 2*n + complaints, "daily_run": types["daily_run"],
		"daily_run_ended": types["daily_run"],
	}, types)
	assert.Positive(t, types["daily_run"])
	for _, id := range []int{0, n / 2, n - 1} {
		r, ok := y.o.Result(yearID(id))
		require.True(t, ok)
		assert.Equal(t, result.Final, r.State, r.ID)
	}
	require.NoError(t, y.close())
}

// BenchmarkInstitutionYear runs one institution's school year (by default
// a million results, about four million events: -year.results to change
// it) through an office: every OKE message through the intake, every
// student told, the committee's complaints and irregularities, every
// result determined by the daily run, the trail in a filestore, verified
// whole against a signed checkpoint at the end. Run it on one core:
//
//	go test -run '^$' -bench InstitutionYear -benchtime 1x -cpu 1 .
//
// The time is the office's: writing the messages, the fixture's work, is
// left out (the KRS directory is derived from the ids, as a database query
// would answer). It reports the time for the year, events per second, the
// time to verify, the peak memory of the process (Linux: VmHWM, reset at
// the start) and of the Go heap, the collections, and the ratio to a floor
// measured in the same run: decoding every message with encoding/json and
// hashing every event into a bare tlog tree in memory, the least a naive
// implementation must do. The machine's speed drifts; the ratio less.
//
// It runs as an office runs in a memory budget of 2 GB: with the Go
// memory limit at 1800 MiB (GOMEMLIMIT) and GOGC at 400, so that the
// collector works seldom while the heap is small and as often as it must
// near the limit (-year.memlimit and -year.gogc; 0 for the defaults,
// under which the peak follows the collector's timing and passed 2 GB).
func BenchmarkInstitutionYear(b *testing.B) {
	n := *yearResults
	if *yearMemLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(*yearMemLimit) << 20))
	}
	if *yearGOGC != 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(*yearGOGC))
	}
	ctx := context.Background()
	var events int64
	var year, yearCPU, verifyTime, floor time.Duration
	var peakHeap, gcs uint64
	var peakRSS int64
	for range b.N {
		b.StopTimer()
		dir := b.TempDir() + "/trail"
		require.NoError(b, os.Mkdir(dir, 0o755))
		y, err := newYear(n, dir)
		require.NoError(b, err)
		runtime.GC()
		gcBefore := gcCycles()
		resetPeakRSS()
		stop := sampleHeap(&peakHeap)
		b.StartTimer()

		var fixture, fixtureCPU time.Duration
		var paused time.Time
		var pausedCPU time.Duration
		y.pause = func() { b.StopTimer(); paused, pausedCPU = time.Now(), cpuTime() }
		y.resume = func() { fixture += time.Since(paused); fixtureCPU += cpuTime() - pausedCPU; b.StartTimer() }
		start, startCPU := time.Now(), cpuTime()
		require.NoError(b, y.run(ctx))
		mid := time.Now()
		if f := os.Getenv("YEAR_HEAP"); f != "" {
			runtime.GC()
			out, _ := os.Create(f)
			pprof.WriteHeapProfile(out)
			out.Close()
		}
		rep, err := y.verify(ctx)
		require.NoError(b, err)
		end := time.Now()

		b.StopTimer()
		stop()
		gcs = gcCycles() - gcBefore
		peakRSS = max(peakRSS, readPeakRSS())
		year, verifyTime = end.Sub(start)-fixture, end.Sub(mid)
		yearCPU = cpuTime() - startCPU - fixtureCPU
		events = rep.Size
		require.Equal(b, n, y.determined)
		require.NoError(b, y.close())
		y.o, y.store, y.trail = nil, nil, nil // the floor runs without the office's memory
		floor = yearFloor(b, y, events)
		b.StartTimer()
	}
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(float64(events)/year.Seconds(), "events/s")
	b.ReportMetric(verifyTime.Seconds(), "verify-s")
	if yearCPU > 0 {
		b.ReportMetric(yearCPU.Seconds(), "cpu-s") // the rest of the time the year waits for the disk
	}
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
	if peakRSS > 0 {
		b.ReportMetric(float64(peakRSS)/(1<<10), "peak-rss-MB")
	}
	b.ReportMetric(float64(gcs), "gc-cycles")
	b.ReportMetric(floor.Seconds(), "floor-s")
	b.ReportMetric(year.Seconds()/floor.Seconds(), "x-floor")
}

// yearFloor times the least work of the year: every message decoded by
// encoding/json, every event's leaf hashed into a tlog tree in memory.
func yearFloor(b *testing.B, y *year, events int64) time.Duration {
	var messages []int
	for i := range y.krs.n {
		messages = append(messages, i)
	}
	var took time.Duration
	var sink struct {
		Result struct {
			State string `json:"state"`
			Score string `json:"score"`
		} `json:"result"`
	}
	for _, withScore := range []bool{false, true} {
		for lo := 0; lo < len(messages); lo += 2000 {
			var ds [][]byte
			slab := make([]byte, 0, 512*2000)
			for _, i := range messages[lo:min(lo+2000, len(messages))] {
				var d oke.Delivery
				slab, d = y.message(slab, i, withScore)
				ds = append(ds, d.Body)
			}
			start := time.Now()
			for _, d := range ds {
				require.NoError(b, json.Unmarshal(d, &sink))
			}
			took += time.Since(start)
		}
	}
	start := time.Now()
	hashes := make([]tlog.Hash, 0, 2*events)
	reader := tlog.HashReaderFunc(func(xs []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(xs))
		for i, x := range xs {
			out[i] = hashes[x]
		}
		return out, nil
	})
	leaf := []byte("vaststelling-audit v1\nindex 0\ntime \"2027-03-01T08:00:00Z\"\nresult \"y0000001\"\nseq 4\n" +
		"type \"determined\"\nfrom \"provisional\"\nto \"final\"\nrole \"exam_administration\"\nmandate \"M-2026-standing\"\n" +
		"commitment " + strings.Repeat("A", 43) + "=\n")
	for i := range events {
		h, err := tlog.StoredHashes(i, append(leaf, strconv.FormatInt(i, 10)...), reader)
		require.NoError(b, err)
		hashes = append(hashes, h...)
	}
	sha256.Sum256(leaf)
	return took + time.Since(start)
}

// sampleHeap records the Go runtime's peak memory (mapped and not
// returned) every 10 ms until stopped.
func sampleHeap(peak *uint64) (stop func()) {
	var done atomic.Bool
	finished := make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	go func() {
		defer close(finished)
		for !done.Load() {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64()-s[1].Value.Uint64())
			time.Sleep(10 * time.Millisecond)
		}
	}()
	return func() { done.Store(true); <-finished }
}

// gcCycles returns how many times the garbage collector has run.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// resetPeakRSS resets the process's peak resident set (Linux; elsewhere
// nothing happens).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// readPeakRSS returns the process's peak resident set in KiB (Linux:
// VmHWM), or 0 where it cannot be read.
func readPeakRSS() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}
