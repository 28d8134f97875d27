package oke

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/krs-oke/vaststelling/internal/jsonstr"
)

// A DeliveryLog keeps every delivery with its receipt: the intake's record
// of what arrived, rejected or not. Store includes it; an integrator that
// keeps results in memory but a year of messages elsewhere (they run to
// gigabytes) gives the office a DeliveryLog of its own, such as a JSONLog.
type DeliveryLog interface {
	// Keep logs a delivery with its receipt, and returns its number.
	Keep(d Delivery, r Receipt) (int, error)
}

// A JSONLog is a DeliveryLog that writes each delivery with its receipt
// as one line of JSON (JSON Lines), in the form of Kept, numbered on from
// the deliveries already in the log. The receipt's events are left out:
// they are in the audit trail, under the receipt's result. The body is
// kept byte for byte (base64, as encoding/json writes []byte), however
// malformed it was.
//
// Each line is one Write. Over a bufio.Writer the caller flushes, and
// owns what a crash loses; over a file each line is written at once. A
// write that fails is returned, and every later Keep returns it too: a
// log with a hole in it is not a log.
type JSONLog struct {
	mu   sync.Mutex
	w    io.Writer
	n    int
	err  error
	line []byte // reused
}

// NewJSONLog returns a log that writes to w after the kept deliveries
// already there (0 for a new log).
func NewJSONLog(w io.Writer, kept int) *JSONLog { return &JSONLog{w: w, n: kept} }

// Keep writes the delivery and its receipt as the next line.
func (l *JSONLog) Keep(d Delivery, r Receipt) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return 0, l.err
	}
	r.Seq, r.Events = l.n+1, nil
	line, err := appendKept(l.line[:0], &d, &r)
	if err != nil {
		return 0, fmt.Errorf("oke: encoding delivery %d: %w", r.Seq, err)
	}
	l.line = line
	if _, err := l.w.Write(append(line, '\n')); err != nil {
		l.err = fmt.Errorf("oke: writing delivery %d to the log: %w", r.Seq, err)
		return 0, l.err
	}
	l.n++
	return r.Seq, nil
}

// Kept returns the number of deliveries in the log.
func (l *JSONLog) Kept() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

// appendKept appends a delivery and its receipt as JSON in the form
// json.Marshal gives a Kept without events, written out by hand: a year of
// deliveries through reflection costs seconds (BenchmarkJSONLog).
func appendKept(b []byte, d *Delivery, r *Receipt) ([]byte, error) {
	b = append(b, `{"delivery":{"method":`...)
	b = jsonstr.Append(b, string(d.Method))
	b = append(b, `,"association_id":`...)
	b = jsonstr.Append(b, d.AssociationID)
	if d.Body == nil {
		b = append(b, `,"body":null`...)
	} else {
		b = append(b, `,"body":"`...)
		b = base64.StdEncoding.AppendEncode(b, d.Body)
		b = append(b, '"')
	}
	b = append(b, `},"receipt":{"seq":`...)
	b = strconv.AppendInt(b, int64(r.Seq), 10)
	b = append(b, `,"at":"`...)
	b, err := r.At.AppendText(b) // RFC 3339 with nanoseconds, as MarshalJSON writes it
	if err != nil {
		return nil, err
	}
	b = append(b, '"')
	b = append(b, `,"association_id":`...)
	b = jsonstr.Append(b, r.AssociationID)
	b = append(b, `,"outcome":`...)
	b = jsonstr.Append(b, string(r.Outcome))
	if len(r.Reasons) > 0 {
		reasons, err := json.Marshal(r.Reasons)
		if err != nil {
			return nil, err
		}
		b = append(append(b, `,"reasons":`...), reasons...)
	}
	return append(b, "}}"...), nil
}
