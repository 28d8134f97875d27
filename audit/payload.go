package audit

import (
	"strconv"
	"time"

	"github.com/krs-oke/vaststelling/internal/jsonstr"
	"github.com/krs-oke/vaststelling/result"
)

// appendPayload appends the payload as json.Marshal writes it, by hand: a
// trail's every event goes through here, and reflection cost a tenth of
// an institution-year's run. FuzzPayload holds the two to the same bytes.
func appendPayload(b []byte, p *payload) ([]byte, error) {
	var err error
	b = append(b, `{"actor":`...)
	b = jsonstr.Append(b, p.Actor)
	if len(p.Teams) > 0 {
		b = appendStrings(append(b, `,"teams":`...), p.Teams)
	}
	b = appendOptional(b, `,"reason":`, p.Reason)
	if p.Record != nil {
		if b, err = appendRecord(append(b, `,"record":`...), p.Record); err != nil {
			return nil, err
		}
	}
	b = appendOptional(b, `,"policy":`, p.Policy)
	if p.Exception != nil {
		if b, err = appendException(append(b, `,"exception":`...), p.Exception); err != nil {
			return nil, err
		}
	}
	b = appendOptional(b, `,"outcome":`, string(p.Outcome))
	if !p.Grade.IsZero() {
		b = appendGrade(append(b, `,"grade":`...), p.Grade)
	}
	if !p.OldGrade.IsZero() {
		b = appendGrade(append(b, `,"old_grade":`...), p.OldGrade)
	}
	b = appendOptional(b, `,"decision":`, p.Decision)
	if p.Early {
		b = append(b, `,"early":true`...)
	}
	b = appendOptional(b, `,"purpose":`, string(p.Purpose))
	if p.Agreed {
		b = append(b, `,"agreed":true`...)
	}
	b = appendOptional(b, `,"detail":`, p.Detail)
	b = appendOptional(b, `,"successor":`, p.Successor)
	return append(b, '}'), nil
}

func appendRecord(b []byte, r *result.Record) ([]byte, error) {
	for _, f := range [...]struct{ name, value string }{{`{"id":`, r.ID}, {`,"student":`, r.Student},
		{`,"component":`, r.Component}, {`,"programme":`, r.Programme}, {`,"crebo":`, r.Crebo}, {`,"team":`, r.Team}} {
		b = jsonstr.Append(append(b, f.name...), f.value)
	}
	b = strconv.AppendInt(append(b, `,"attempt":`...), int64(r.Attempt), 10)
	b = appendOptional(b, `,"retakes":`, r.Retakes)
	b = appendOptional(b, `,"supersedes":`, r.Supersedes)
	b, err := appendTime(append(b, `,"exam":`...), r.Exam)
	if err != nil {
		return nil, err
	}
	b = jsonstr.Append(append(b, `,"assessor":`...), r.Assessor)
	b = appendGrade(append(b, `,"grade":`...), r.Grade)
	b = jsonstr.Append(append(b, `,"attendance":`...), string(r.Attendance))
	b = jsonstr.Append(append(b, `,"source":`...), string(r.Source))
	b = appendOptional(b, `,"offering":`, r.Offering)
	b = appendOptional(b, `,"executed_offering":`, r.ExecutedOffering)
	if r.RawScore != nil {
		b = strconv.AppendInt(append(b, `,"raw_score":{"points":`...), int64(r.RawScore.Points), 10)
		b = strconv.AppendInt(append(b, `,"max":`...), int64(r.RawScore.Max), 10)
		b = append(b, '}')
	}
	if r.SenderFinal {
		b = append(b, `,"sender_final":true`...)
	}
	if len(r.Documents) > 0 {
		b = append(b, `,"documents":[`...)
		for i := range r.Documents {
			d := &r.Documents[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonstr.Append(append(b, `{"id":`...), d.ID)
			b = jsonstr.Append(append(b, `,"type":`...), d.Type)
			b = jsonstr.Append(append(b, `,"name":`...), d.Name)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func appendException(b []byte, e *result.Exception) ([]byte, error) {
	b = strconv.AppendInt(append(b, `{"id":`...), int64(e.ID), 10)
	b = jsonstr.Append(append(b, `,"kind":`...), string(e.Kind))
	b = appendOptional(b, `,"detail":`, e.Detail)
	b, err := appendTime(append(b, `,"raised":`...), e.Raised)
	if err != nil {
		return nil, err
	}
	b = appendActor(append(b, `,"raised_by":`...), &e.RaisedBy)
	b = appendOptional(b, `,"outcome":`, string(e.Outcome))
	if !e.Closed.IsZero() {
		if b, err = appendTime(append(b, `,"closed":`...), e.Closed); err != nil {
			return nil, err
		}
	}
	if a := &e.ClosedBy; a.ID != "" || a.Role != 0 || a.Teams != nil {
		b = appendActor(append(b, `,"closed_by":`...), a)
	}
	b = appendOptional(b, `,"reason":`, e.Reason)
	b = appendOptional(b, `,"mandate":`, e.Mandate)
	if e.Record != nil {
		if b, err = appendRecord(append(b, `,"record":`...), e.Record); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendActor(b []byte, a *result.Actor) []byte {
	b = jsonstr.Append(append(b, `{"id":`...), a.ID)
	b = jsonstr.Append(append(b, `,"role":`...), a.Role.String())
	if len(a.Teams) > 0 {
		b = appendStrings(append(b, `,"teams":`...), a.Teams)
	}
	return append(b, '}')
}

func appendGrade(b []byte, g result.Grade) []byte {
	if g.IsZero() {
		return append(b, "null"...)
	}
	b = jsonstr.Append(append(b, `{"scale":`...), g.Scale().String())
	b = jsonstr.Append(append(b, `,"value":`...), g.String())
	return append(b, '}')
}

func appendTime(b []byte, t time.Time) ([]byte, error) {
	b, err := t.AppendText(append(b, '"')) // RFC 3339 with nanoseconds, as MarshalJSON writes it
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.Append(b, s)
	}
	return append(b, ']')
}

// appendOptional appends a field that encoding/json omits when empty.
func appendOptional(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	return jsonstr.Append(append(b, name...), value)
}
