package oke

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// BenchmarkDecode compares Decode of the complete PUT example with a bare
// json.Unmarshal of the same bytes into the wire types, and reports the
// ratio as x-bare: the target is at most 2.
func BenchmarkDecode(b *testing.B) {
	body := readTestdata(b, "spec/flow5.2-attempt.complete.json")
	bare := func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var w wireMessage
			if err := json.Unmarshal(body, &w); err != nil {
				b.Fatal(err)
			}
		}
	}
	var bareNs float64
	b.Run("bare", func(b *testing.B) {
		bare(b)
		bareNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("decode", func(b *testing.B) {
		if bareNs == 0 { // only this sub-benchmark was asked for: time bare here
			n, start := 0, time.Now()
			for ; time.Since(start) < 200*time.Millisecond; n++ {
				var w wireMessage
				_ = json.Unmarshal(body, &w)
			}
			bareNs = float64(time.Since(start).Nanoseconds()) / float64(n)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := Decode(Put, exampleID, body); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/bareNs, "x-bare")
	})
	// The slow path, for comparison: one wrong type makes Decode walk the
	// whole body again to find every other.
	wrong := bytes.Replace(body, []byte(`"weight": 100`), []byte(`"weight": "100"`), 1)
	b.Run("wrong-type", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(Put, exampleID, wrong); err == nil {
				b.Fatal("accepted")
			}
		}
	})
}
