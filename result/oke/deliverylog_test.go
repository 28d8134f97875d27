package oke_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

// Every line is one delivery, numbered on from the deliveries already
// kept, its body byte for byte and its receipt without events.
func TestJSONLogKeepsEveryDelivery(t *testing.T) {
	var buf bytes.Buffer
	log := oke.NewJSONLog(&buf, 7)
	at := time.Date(2027, time.February, 5, 9, 0, 0, 0, time.UTC)
	bodies := [][]byte{[]byte(`{"result": {"state": "completed"}}`), []byte("\x00not json\xff"), nil}
	for i, b := range bodies {
		seq, err := log.Keep(oke.Delivery{Method: oke.Patch, AssociationID: fmt.Sprintf("a-%d", i), Body: b},
			oke.Receipt{At: at, AssociationID: fmt.Sprintf("a-%d", i), Outcome: oke.Rejected,
				Reasons: []oke.Reason{{Code: oke.CodeMalformed, Message: "why"}},
				Events:  []result.Event{{Result: "a", Seq: 1}}})
		require.NoError(t, err)
		assert.Equal(t, 8+i, seq)
	}
	assert.Equal(t, 10, log.Kept())
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	for i, line := range lines {
		var k oke.Kept
		require.NoError(t, json.Unmarshal([]byte(line), &k))
		assert.Equal(t, bodies[i], k.Delivery.Body)
		assert.Equal(t, 8+i, k.Receipt.Seq)
		assert.Equal(t, oke.Rejected, k.Receipt.Outcome)
		assert.True(t, k.Receipt.At.Equal(at))
		assert.Nil(t, k.Receipt.Events, "the events are in the trail")
		assert.NotContains(t, line, `"events"`)
	}
}

type brokenWriter struct{ n int }

func (w *brokenWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

// After a write fails, nothing more is kept: a log with a hole is no log.
func TestJSONLogStopsAtAFailedWrite(t *testing.T) {
	log := oke.NewJSONLog(&brokenWriter{n: 1}, 0)
	d := oke.Delivery{Method: oke.Patch, AssociationID: "a-1", Body: []byte("{}")}
	seq, err := log.Keep(d, oke.Receipt{})
	require.NoError(t, err)
	assert.Equal(t, 1, seq)
	_, err = log.Keep(d, oke.Receipt{})
	require.ErrorContains(t, err, "disk full")
	assert.ErrorContains(t, err, "delivery 2")
	_, again := log.Keep(d, oke.Receipt{})
	assert.Equal(t, err, again)
	assert.Equal(t, 1, log.Kept())
}

// An intake that keeps its results in memory and its deliveries in a file.
func ExampleJSONLog() {
	var file bytes.Buffer // a file opened for appending, in practice
	w := bufio.NewWriter(&file)
	log := oke.NewJSONLog(w, 0)
	for _, id := range []string{"assoc-1", "assoc-2"} {
		if _, err := log.Keep(oke.Delivery{Method: oke.Patch, AssociationID: id, Body: []byte(`{}`)},
			oke.Receipt{AssociationID: id, Outcome: oke.Rejected}); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(file.String())
	// Output:
	// {"delivery":{"method":"PATCH","association_id":"assoc-1","body":"e30="},"receipt":{"seq":1,"at":"0001-01-01T00:00:00Z","association_id":"assoc-1","outcome":"rejected"}}
	// {"delivery":{"method":"PATCH","association_id":"assoc-2","body":"e30="},"receipt":{"seq":2,"at":"0001-01-01T00:00:00Z","association_id":"assoc-2","outcome":"rejected"}}
}

// The hand-written line is the line json.Marshal writes, for any text.
func FuzzJSONLogLine(f *testing.F) {
	f.Add("PATCH", "assoc-1", []byte(`{"a": 1}`), "rejected", "line 1: <bad> & \"worse\"", int64(1800000000), false)
	f.Add("PUT", "\u2028\x00\xff", []byte(nil), "accepted", "", int64(-1), true)
	f.Add("", "é\t\n\r\b\f\\", []byte{0, 1, 2}, "\u2029", "\x7f\x1f", int64(0), false)
	f.Fuzz(func(t *testing.T, method, id string, body []byte, outcome, message string, unix int64, nilBody bool) {
		if nilBody {
			body = nil
		}
		at := time.Unix(unix%(1<<34), 0).In(time.FixedZone("", 3600))
		rc := oke.Receipt{At: at, AssociationID: id, Outcome: oke.Outcome(outcome)}
		if message != "" {
			rc.Reasons = []oke.Reason{{Code: oke.CodeMalformed, Field: id, Message: message}}
		}
		d := oke.Delivery{Method: oke.Method(method), AssociationID: id, Body: body}
		var buf bytes.Buffer
		if _, err := oke.NewJSONLog(&buf, 0).Keep(d, rc); err != nil {
			t.Fatal(err)
		}
		rc.Seq = 1
		want, err := json.Marshal(oke.Kept{Delivery: d, Receipt: rc})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(buf.String(), "\n"); got != string(want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

func BenchmarkJSONLog(b *testing.B) {
	d := oke.Delivery{Method: oke.Patch, AssociationID: "y0000001", Body: bytes.Repeat([]byte(`{"result": "x"}`), 30)}
	rc := oke.Receipt{At: time.Date(2027, 2, 5, 9, 0, 0, 0, time.UTC), AssociationID: "y0000001", Outcome: oke.Accepted}
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(oke.Kept{Delivery: d, Receipt: rc}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("JSONLog", func(b *testing.B) {
		log := oke.NewJSONLog(io.Discard, 0)
		for b.Loop() {
			if _, err := log.Keep(d, rc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
