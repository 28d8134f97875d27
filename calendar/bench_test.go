package calendar

import (
	"strconv"
	"testing"
	"time"
)

// starts are the dates every benchmark counts from: a year of consecutive
// days, so that both calendars meet weekends, holidays and year ends.
func benchStarts() []Date {
	starts := make([]Date, 366)
	for i := range starts {
		starts[i] = Date{2026, time.June, 1}.AddDays(i)
	}
	return starts
}

// BenchmarkAddWorkdays compares this package's table look-up with
// rickar/cal's WorkdaysFrom over the same holidays, with its holiday cache
// on. The rickar sub-benchmarks run first, so that each ours/ sub-benchmark
// can report its speed-up over rickar/ at the same n as "x-rickar".
func BenchmarkAddWorkdays(b *testing.B) {
	starts := benchStarts()
	times := make([]time.Time, len(starts))
	for i, d := range starts {
		times[i] = time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	}
	ours, ref := Default(), rickarCalendar()
	rickarNs := map[int]float64{}

	for _, n := range []int{10, 30} {
		b.Run("rickar/n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var sink time.Time
			for i := 0; b.Loop(); i++ {
				sink = ref.WorkdaysFrom(times[i%len(times)], n)
			}
			rickarNs[n] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			_ = sink
		})
	}
	for _, n := range []int{10, 30} {
		b.Run("ours/n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var sink Date
			for i := 0; b.Loop(); i++ {
				d, err := ours.AddWorkdays(starts[i%len(starts)], n)
				if err != nil {
					b.Fatal(err)
				}
				sink = d
			}
			if ref := rickarNs[n]; ref > 0 {
				b.ReportMetric(ref/(float64(b.Elapsed().Nanoseconds())/float64(b.N)), "x-rickar")
			}
			_ = sink
		})
	}
	// The same count from an instant, taken to its Amsterdam date first:
	// what a caller holding a time.Time pays.
	b.Run("ours-from-time/n=30", func(b *testing.B) {
		b.ReportAllocs()
		var sink Date
		for i := 0; b.Loop(); i++ {
			d, err := ours.AddWorkdays(ours.Date(times[i%len(times)]), 30)
			if err != nil {
				b.Fatal(err)
			}
			sink = d
		}
		_ = sink
	})
}

func BenchmarkWorkdaysBetween(b *testing.B) {
	starts := benchStarts()
	c := Default()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.WorkdaysBetween(starts[i%len(starts)], starts[(i*7)%len(starts)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGeneralTermEnd measures where a statutory term of four weeks
// ends: one look-up, whatever the run of days off.
func BenchmarkGeneralTermEnd(b *testing.B) {
	starts := benchStarts()
	c := Default()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.GeneralTermEnd(starts[i%len(starts)].AddDays(28)); err != nil {
			b.Fatal(err)
		}
	}
}
