package oke

import (
	"encoding/binary"
	"errors"
	"reflect"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A MemoryStore keeps each result packed: its fields written one after
// another into a byte slice. A result.Result is some 600 bytes of struct
// and two dozen pointers; packed it is a third of that and has no pointers,
// so that a year of results (a million) is a few hundred megabytes that
// the garbage collector does not have to scan. Packing is private to the
// store and one version of this package: it is no storage format.

// locations numbers the time zones of the times packed, so that a time
// unpacks in the location it was packed in.
type locations struct {
	mu   sync.RWMutex
	list []*time.Location // index+1 is a time's location; 0 is UTC
}

func (l *locations) number(loc *time.Location) uint64 {
	if loc == time.UTC {
		return 0
	}
	l.mu.RLock()
	for i, x := range l.list {
		if x == loc {
			l.mu.RUnlock()
			return uint64(i + 1)
		}
	}
	l.mu.RUnlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, x := range l.list {
		// time.Parse makes a new zone for each offset it reads: zones
		// alike are one, lest the list grow by one a time.
		if x == loc || reflect.DeepEqual(x, loc) {
			return uint64(i + 1)
		}
	}
	l.list = append(l.list, loc)
	return uint64(len(l.list))
}

func (l *locations) at(n uint64) (*time.Location, bool) {
	if n == 0 {
		return time.UTC, true
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if n > uint64(len(l.list)) {
		return nil, false
	}
	return l.list[n-1], true
}

// packer writes a result's fields.
type packer struct {
	b    []byte
	locs *locations
}

func (p *packer) uint(v uint64)   { p.b = binary.AppendUvarint(p.b, v) }
func (p *packer) int(v int64)     { p.b = binary.AppendVarint(p.b, v) }
func (p *packer) string(s string) { p.uint(uint64(len(s))); p.b = append(p.b, s...) }

func (p *packer) bool(v bool) {
	if v {
		p.b = append(p.b, 1)
	} else {
		p.b = append(p.b, 0)
	}
}

// time writes the zero time as one byte; any other as its location's
// number plus one, seconds and nanoseconds. A monotonic reading is dropped.
func (p *packer) time(t time.Time) {
	if t.IsZero() {
		p.uint(0)
		return
	}
	p.uint(p.locs.number(t.Location()) + 1)
	p.int(t.Unix())
	p.uint(uint64(t.Nanosecond()))
}

// sameTime writes t as one byte when it is the very time ref is (the
// same instant in the same location), as a result's delivery and first
// registration mostly are its registration; else a byte and t.
func (p *packer) sameTime(t, ref time.Time) {
	p.bool(t == ref)
	if t != ref {
		p.time(t)
	}
}

// strings writes nil and empty apart, as a result compares them apart.
func (p *packer) strings(ss []string) {
	if ss == nil {
		p.uint(0)
		return
	}
	p.uint(uint64(len(ss)) + 1)
	for _, s := range ss {
		p.string(s)
	}
}

func (p *packer) actor(a *result.Actor) {
	p.string(a.ID)
	p.uint(uint64(a.Role))
	p.strings(a.Teams)
}

func (p *packer) grade(g result.Grade) {
	if g.IsZero() {
		p.uint(0)
		return
	}
	p.uint(uint64(g.Scale()) + 1)
	p.string(g.String())
}

// pack appends the packed result to b.
func pack(b []byte, r *result.Result, locs *locations) []byte {
	p := packer{b: b, locs: locs}
	p.record(&r.Record)
	p.uint(uint64(r.State))
	p.int(int64(r.Version))
	p.time(r.Updated)
	p.time(r.Registered)
	p.sameTime(r.Delivered, r.Registered)
	p.sameTime(r.FirstRegistered, r.Registered)
	p.string(r.Policy)
	p.string(r.Decision)
	if r.Exceptions == nil {
		p.uint(0)
	} else {
		p.uint(uint64(len(r.Exceptions)) + 1)
	}
	for i := range r.Exceptions {
		e := &r.Exceptions[i]
		p.int(int64(e.ID))
		p.string(string(e.Kind))
		p.string(e.Detail)
		p.time(e.Raised)
		p.actor(&e.RaisedBy)
		p.string(string(e.Outcome))
		p.time(e.Closed)
		p.actor(&e.ClosedBy)
		p.string(e.Reason)
		p.string(e.Mandate)
		p.bool(e.Record != nil)
		if e.Record != nil {
			p.record(e.Record)
		}
	}
	p.time(r.ComplaintLodged)
	p.time(r.ComplaintDecided)
	p.string(string(r.ComplaintOutcome))
	p.time(r.InspectionRequested)
	p.time(r.InspectionGranted)
	p.time(r.Determined)
	p.bool(r.Early)
	p.actor(&r.DeterminedBy)
	p.string(r.Mandate)
	p.string(string(r.Purpose))
	p.bool(r.Agreed)
	p.time(r.AppealLodged)
	p.time(r.AppealDecided)
	p.string(string(r.AppealOutcome))
	p.bool(r.AppealExtended)
	p.time(r.Invalidated)
	p.string(r.SupersededBy)
	return p.b
}

func (p *packer) record(rec *result.Record) {
	for _, s := range []string{rec.ID, rec.Student, rec.Component, rec.Programme, rec.Crebo, rec.Team} {
		p.string(s)
	}
	p.int(int64(rec.Attempt))
	p.string(rec.Retakes)
	p.string(rec.Supersedes)
	p.time(rec.Exam)
	p.string(rec.Assessor)
	p.grade(rec.Grade)
	p.string(string(rec.Attendance))
	p.string(string(rec.Source))
	p.string(rec.Offering)
	p.string(rec.ExecutedOffering)
	p.bool(rec.RawScore != nil)
	if rec.RawScore != nil {
		p.int(int64(rec.RawScore.Points))
		p.int(int64(rec.RawScore.Max))
	}
	// The sender's final flag and whether documents follow share a byte:
	// results packed before records had documents read back as they were.
	var flags byte
	if rec.SenderFinal {
		flags |= flagSenderFinal
	}
	if rec.Documents != nil {
		flags |= flagDocuments
	}
	p.b = append(p.b, flags)
	if rec.Documents != nil {
		p.uint(uint64(len(rec.Documents)))
		for _, d := range rec.Documents {
			p.string(d.ID)
			p.string(d.Type)
			p.string(d.Name)
		}
	}
}

// The bits of a packed record's last byte.
const (
	flagSenderFinal byte = 1 << iota // Record.SenderFinal
	flagDocuments                    // Record.Documents is not nil: its count and documents follow
	flagsKnown      = flagSenderFinal | flagDocuments
)

// errPacked: packed bytes that pack did not write. It cannot happen to a
// store's own bytes; unpack checks all the same rather than trust them.
var errPacked = errors.New("oke: a packed result does not read back")

// unpacker reads what a packer wrote; the first problem sticks. Its
// strings are substrings of one copy of the packed bytes (text): one
// allocation a result, not one a field.
type unpacker struct {
	b    []byte
	text string // the packed bytes, of which b is the unread end
	locs *locations
	err  error
}

func (u *unpacker) uint() uint64 {
	v, n := binary.Uvarint(u.b)
	if n <= 0 {
		u.err, u.b = errPacked, nil
		return 0
	}
	u.b = u.b[n:]
	return v
}

func (u *unpacker) int() int64 {
	v, n := binary.Varint(u.b)
	if n <= 0 {
		u.err, u.b = errPacked, nil
		return 0
	}
	u.b = u.b[n:]
	return v
}

func (u *unpacker) string() string {
	n := u.uint()
	if n > uint64(len(u.b)) {
		u.err, u.b = errPacked, nil
		return ""
	}
	at := len(u.text) - len(u.b)
	u.b = u.b[n:]
	return u.text[at : at+int(n)]
}

func (u *unpacker) bool() bool {
	if len(u.b) == 0 {
		u.err = errPacked
		return false
	}
	v := u.b[0] == 1
	u.b = u.b[1:]
	return v
}

func (u *unpacker) time() time.Time {
	loc := u.uint()
	if loc == 0 {
		return time.Time{}
	}
	sec, nsec := u.int(), u.uint()
	l, ok := u.locs.at(loc - 1)
	if !ok {
		u.err = errPacked
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).In(l)
}

// sameTime reads what packer.sameTime wrote.
func (u *unpacker) sameTime(ref time.Time) time.Time {
	if u.bool() {
		return ref
	}
	return u.time()
}

func (u *unpacker) strings() []string {
	n := u.uint()
	if n == 0 {
		return nil
	}
	if n-1 > uint64(len(u.b)) {
		u.err, u.b = errPacked, nil
		return nil
	}
	ss := make([]string, n-1)
	for i := range ss {
		ss[i] = u.string()
	}
	return ss
}

func (u *unpacker) actor() result.Actor {
	return result.Actor{ID: u.string(), Role: timeline.Role(u.uint()), Teams: u.strings()}
}

func (u *unpacker) grade() result.Grade {
	scale := u.uint()
	if scale == 0 {
		return result.Grade{}
	}
	g, err := result.ParseGrade(result.Scale(scale-1), u.string())
	if err != nil {
		u.err = errPacked
	}
	return g
}

// unpack reads a result that pack wrote.
func unpack(b []byte, locs *locations) (result.Result, error) {
	u := unpacker{b: b, text: string(b), locs: locs}
	var r result.Result
	u.record(&r.Record)
	r.State = result.State(u.uint())
	r.Version = int(u.int())
	r.Updated = u.time()
	r.Registered = u.time()
	r.Delivered = u.sameTime(r.Registered)
	r.FirstRegistered = u.sameTime(r.Registered)
	r.Policy = u.string()
	r.Decision = u.string()
	if n := u.uint(); n > 0 {
		if n-1 > uint64(len(u.b)) {
			return result.Result{}, errPacked
		}
		r.Exceptions = make([]result.Exception, n-1)
	}
	for i := range r.Exceptions {
		e := &r.Exceptions[i]
		e.ID = int(u.int())
		e.Kind = result.ExceptionKind(u.string())
		e.Detail = u.string()
		e.Raised = u.time()
		e.RaisedBy = u.actor()
		e.Outcome = result.Outcome(u.string())
		e.Closed = u.time()
		e.ClosedBy = u.actor()
		e.Reason = u.string()
		e.Mandate = u.string()
		if u.bool() {
			e.Record = new(result.Record)
			u.record(e.Record)
		}
	}
	r.ComplaintLodged = u.time()
	r.ComplaintDecided = u.time()
	r.ComplaintOutcome = result.Outcome(u.string())
	r.InspectionRequested = u.time()
	r.InspectionGranted = u.time()
	r.Determined = u.time()
	r.Early = u.bool()
	r.DeterminedBy = u.actor()
	r.Mandate = u.string()
	r.Purpose = result.Purpose(u.string())
	r.Agreed = u.bool()
	r.AppealLodged = u.time()
	r.AppealDecided = u.time()
	r.AppealOutcome = result.Outcome(u.string())
	r.AppealExtended = u.bool()
	r.Invalidated = u.time()
	r.SupersededBy = u.string()
	if u.err != nil || len(u.b) != 0 {
		return result.Result{}, errPacked
	}
	return r, nil
}

func (u *unpacker) record(rec *result.Record) {
	rec.ID, rec.Student, rec.Component = u.string(), u.string(), u.string()
	rec.Programme, rec.Crebo, rec.Team = u.string(), u.string(), u.string()
	rec.Attempt = int(u.int())
	rec.Retakes = u.string()
	rec.Supersedes = u.string()
	rec.Exam = u.time()
	rec.Assessor = u.string()
	rec.Grade = u.grade()
	rec.Attendance = result.Attendance(u.string())
	rec.Source = result.Source(u.string())
	rec.Offering = u.string()
	rec.ExecutedOffering = u.string()
	if u.bool() {
		rec.RawScore = &result.RawScore{Points: int(u.int()), Max: int(u.int())}
	}
	if len(u.b) == 0 || u.b[0]&^flagsKnown != 0 {
		u.err, u.b = errPacked, nil
		return
	}
	flags := u.b[0]
	u.b = u.b[1:]
	rec.SenderFinal = flags&flagSenderFinal != 0
	if flags&flagDocuments == 0 {
		return
	}
	n := u.uint()
	if n > uint64(len(u.b))/3 { // each document is three strings, a byte at least each
		u.err, u.b = errPacked, nil
		return
	}
	rec.Documents = make([]result.DocumentRef, n)
	for i := range rec.Documents {
		rec.Documents[i] = result.DocumentRef{ID: u.string(), Type: u.string(), Name: u.string()}
	}
}
