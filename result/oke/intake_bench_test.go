package oke

import (
	"encoding/json"
	"testing"
)

// BenchmarkIntake compares, in one run, a bare json.Unmarshal of a
// delivery's bytes with the intake's decode and checks against the
// directory (Check), and with a whole delivery into a fresh store
// (Deliver: decode, checks, the result's receive and registration, the
// log). Each reports its ratio to bare as x-bare; the target for check is
// at most 2.
func BenchmarkIntake(b *testing.B) {
	body := message(b, first, 1)
	d := Delivery{Method: Patch, AssociationID: first, Body: body}
	now := at("2027-02-05", 9)
	var bareNs float64
	per := func(b *testing.B) float64 { return float64(b.Elapsed().Nanoseconds()) / float64(b.N) }
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var w wireMessage
			if err := json.Unmarshal(body, &w); err != nil {
				b.Fatal(err)
			}
		}
		bareNs = per(b)
	})
	in := newIntake(b)
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if rej, _ := in.Check(d, now); len(rej) > 0 {
				b.Fatal(rej)
			}
		}
		if bareNs > 0 {
			b.ReportMetric(per(b)/bareNs, "x-bare")
		}
	})
	b.Run("deliver", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			in.Store = NewStore()
			rc, err := in.Deliver(d, now)
			if err != nil || rc.Outcome != Accepted {
				b.Fatal(err, rc)
			}
		}
		if bareNs > 0 {
			b.ReportMetric(per(b)/bareNs, "x-bare")
		}
	})
}
