package oke_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
