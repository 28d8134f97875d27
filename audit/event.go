package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/krs-oke/vaststelling/result"
)

// payload is what a record keeps beside the tree: everything of a
// result.Event that the header does not hold. Its encoding is JSON in this
// struct's field order (encoding/json writes fields in order and never
// sorts them differently), so the same event always gives the same bytes.
type payload struct {
	Actor     string            `json:"actor"`
	Teams     []string          `json:"teams,omitempty"`
	Reason    string            `json:"reason,omitempty"`
	Record    *result.Record    `json:"record,omitempty"`
	Policy    string            `json:"policy,omitempty"`
	Exception *result.Exception `json:"exception,omitempty"`
	Outcome   result.Outcome    `json:"outcome,omitempty"`
	Grade     result.Grade      `json:"grade,omitzero"`
	OldGrade  result.Grade      `json:"old_grade,omitzero"`
	Decision  string            `json:"decision,omitempty"`
	Early     bool              `json:"early,omitempty"`
	Purpose   result.Purpose    `json:"purpose,omitempty"`
	Agreed    bool              `json:"agreed,omitempty"`
	Detail    string            `json:"detail,omitempty"`
	Successor string            `json:"successor,omitempty"`
}

const saltSize = 32

// NewRecord turns an event into a record, its personal data in a payload
// committed to under a fresh salt read from rand (32 bytes). The index is
// set when the record is appended.
func NewRecord(e result.Event, rand io.Reader) (Record, error) {
	// The salt and the payload share one allocation: the salt first, then
	// the payload, some 450 bytes for a delivered record.
	r, _, err := newRecord(e, rand, make([]byte, 0, saltSize+512))
	return r, err
}

// newRecord is NewRecord writing the salt and the payload after the bytes
// of buf, and returning buf with them: records made one after another share
// one buffer (AppendEvents), rather than one allocation each.
func newRecord(e result.Event, rand io.Reader, buf []byte) (Record, []byte, error) {
	p := payload{Actor: e.Actor.ID, Teams: e.Actor.Teams, Reason: e.Reason, Record: e.Record, Policy: e.Policy,
		Exception: e.Exception, Outcome: e.Outcome, Grade: e.Grade, OldGrade: e.OldGrade, Decision: e.Decision,
		Early: e.Early, Purpose: e.Purpose, Agreed: e.Agreed, Detail: e.Detail, Successor: e.Successor}
	start := len(buf)
	buf, err := appendPayload(append(buf, make([]byte, saltSize)...), &p)
	if err != nil {
		return Record{}, buf[:start], fmt.Errorf("audit: encoding event %d of %s: %w", e.Seq, e.Result, err)
	}
	if y := e.At.UTC().Year(); y < 1 || y > 9999 {
		return Record{}, buf[:start], fmt.Errorf("audit: event %d of %s: %w: the time %s cannot be recorded", e.Seq, e.Result, ErrInvalidRecord, e.At)
	}
	salt, data := buf[start:start+saltSize:start+saltSize], buf[start+saltSize:len(buf):len(buf)]
	if _, err := io.ReadFull(rand, salt); err != nil {
		return Record{}, buf[:start], fmt.Errorf("audit: reading a salt: %w", err)
	}
	return Record{
		Time: e.At, Result: e.Result, Seq: e.Seq, Type: string(e.Type), From: e.From.String(), To: e.To.String(),
		Role: e.Actor.Role.String(), Mandate: e.Mandate, Commitment: Commit(salt, data), Salt: salt, Payload: data,
	}, buf, nil
}

// Event turns a record back into the event it holds. A record whose payload
// was erased gives an error matching ErrErased.
func (r *Record) Event() (result.Event, error) {
	if r.Erased() {
		return result.Event{}, fmt.Errorf("audit: record %d: %w", r.Index, ErrErased)
	}
	var p payload
	dec := json.NewDecoder(bytes.NewReader(r.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return result.Event{}, fmt.Errorf("audit: record %d: %w: payload: %v", r.Index, ErrCorrupt, err)
	}
	e := result.Event{
		Result: r.Result, Seq: r.Seq, Type: result.EventType(r.Type), At: r.Time, Mandate: r.Mandate,
		Reason: p.Reason, Record: p.Record, Policy: p.Policy, Exception: p.Exception, Outcome: p.Outcome,
		Grade: p.Grade, OldGrade: p.OldGrade, Decision: p.Decision, Early: p.Early, Successor: p.Successor,
		Purpose: p.Purpose, Agreed: p.Agreed, Detail: p.Detail,
		Actor: result.Actor{ID: p.Actor, Teams: p.Teams},
	}
	var err error
	if err = e.Actor.Role.UnmarshalText([]byte(r.Role)); err != nil && r.Role != "" {
		return result.Event{}, fmt.Errorf("audit: record %d: %w: role %q", r.Index, ErrCorrupt, r.Role)
	}
	if err = e.From.UnmarshalText([]byte(r.From)); err != nil {
		return result.Event{}, fmt.Errorf("audit: record %d: %w: state %q", r.Index, ErrCorrupt, r.From)
	}
	if err = e.To.UnmarshalText([]byte(r.To)); err != nil {
		return result.Event{}, fmt.Errorf("audit: record %d: %w: state %q", r.Index, ErrCorrupt, r.To)
	}
	return e, nil
}
