package oke

import (
	"errors"
	"strconv"
	"strings"
)

// ErrRejected is matched by every *Rejection.
var ErrRejected = errors.New("message rejected")

// A Code says what kind of problem a Reason reports. The codes are stable
// text, fit for a response body and for counting in logs.
type Code string

// The codes of Decode's reasons.
const (
	// CodeMalformed: the body is not JSON (or not UTF-8); Line and Column
	// point at the offending byte. Nothing else about the body is
	// reported; a wrong method or path id still is.
	CodeMalformed Code = "malformed_json"
	// CodeTooLarge: the body is larger than MaxMessageSize. It was not
	// read; a wrong method or path id is still reported.
	CodeTooLarge Code = "too_large"
	// CodeMissing: a mandatory field is absent, null or empty, or the
	// nl-test-admin consumer is absent from a consumers array.
	CodeMissing Code = "missing_field"
	// CodeUnknownValue: a value outside its enumeration, or a method other
	// than PATCH or PUT.
	CodeUnknownValue Code = "unknown_value"
	// CodeWrongType: a field holds another JSON type than the specification
	// gives it, such as a string for an integer or 2.5 for an integer; or
	// the body is not a JSON object.
	CodeWrongType Code = "wrong_type"
	// CodeInvalidDate: a date that is not a full-date (YYYY-MM-DD) naming a
	// real day, or a testDate that is neither that nor an RFC 3339
	// date-time.
	CodeInvalidDate Code = "invalid_date"
	// CodeOutOfRange: an attempt below 1, a weight other than 100, a
	// negative rawScore, a maxRawScore below 1, a rawScore above the
	// maxRawScore, or more than 100 documents.
	CodeOutOfRange Code = "out_of_range"
	// CodeMismatch: the associationId in a PUT body differs from the one in
	// the path.
	CodeMismatch Code = "mismatch"
	// CodeInvalidID: an empty path id, or an id with a control character or
	// longer than 128 bytes.
	CodeInvalidID Code = "invalid_id"
	// CodeDuplicate: a second consumer with consumerKey nl-test-admin in the
	// same consumers array; which one counts would be a guess.
	CodeDuplicate Code = "duplicate"
)

// A Reason is one problem with a message.
type Reason struct {
	Code Code `json:"code"`

	// Field is the path of the field in the body, such as "result.weight",
	// "consumers[1].attempt" or "result.consumers[0].documents[2].documentType",
	// where the index is the element's position in its array as sent. It is
	// empty when the reason concerns the whole body, the path id or the
	// method.
	Field string `json:"field,omitempty"`

	// Message says what is wrong in words, for the sender.
	Message string `json:"message"`

	// Line and Column are set for CodeMalformed only: the 1-based line and
	// the 1-based byte column of the offending byte, or of the end of the
	// body when it ends too early.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// String returns the reason as "field: code: message", with the position
// instead of the field for malformed JSON.
func (r Reason) String() string {
	var b strings.Builder
	r.appendTo(&b)
	return b.String()
}

func (r Reason) appendTo(b *strings.Builder) {
	if r.Field != "" {
		b.WriteString(r.Field)
		b.WriteString(": ")
	}
	if r.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(r.Line))
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(r.Column))
		b.WriteString(": ")
	}
	b.WriteString(string(r.Code))
	b.WriteString(": ")
	b.WriteString(r.Message)
}

// A Rejection reports a message that Decode refused, with every reason
// found. It matches ErrRejected.
type Rejection struct {
	AssociationID string // the path id given to Decode, as given
	Reasons       []Reason
}

// Error lists the reasons, separated by semicolons:
//
//	oke: association 5a52f86b-…: rejected: result.weight: missing_field: the weight is required and must be 100; …
func (e *Rejection) Error() string {
	var b strings.Builder
	b.WriteString("oke: association ")
	b.WriteString(printableID(e.AssociationID))
	b.WriteString(": rejected: ")
	for i, r := range e.Reasons {
		if i > 0 {
			b.WriteString("; ")
		}
		r.appendTo(&b)
	}
	if len(e.Reasons) == 0 {
		b.WriteString("no reason given")
	}
	return b.String()
}

// Is makes every Rejection match ErrRejected.
func (e *Rejection) Is(target error) bool { return target == ErrRejected }

// Has reports whether the rejection has a reason with the code for the
// field.
func (e *Rejection) Has(code Code, field string) bool {
	for _, r := range e.Reasons {
		if r.Code == code && r.Field == field {
			return true
		}
	}
	return false
}

// printableID returns id for an error text: as it is when it is a valid
// id, quoted and cut short otherwise, so that a hostile id cannot forge
// lines in a log.
func printableID(id string) string {
	if idProblem(id) == "" {
		return id
	}
	const limit = 64
	if len(id) > limit {
		return strconv.Quote(id[:limit]) + "…"
	}
	return strconv.Quote(id)
}
