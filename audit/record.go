package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Version is the first line of every encoded record: the name and version
// of the encoding. A change to the encoding gets a new version; readers
// refuse versions they do not know.
const Version = "vaststelling-audit v1"

// A Record is one event of the trail as the log keeps it. The header
// fields are the Merkle leaf: they are never erased. What may be personal
// data (who acted, why, and the event's data about the student) is the
// Payload, kept beside the tree under a salted commitment, so that it can
// be erased when its retention ends without breaking verification.
//
// The canonical encoding of the leaf (Leaf) is UTF-8 text, one field a
// line, in this order, strings quoted as Go string literals, the time in
// UTC with nanoseconds:
//
//	vaststelling-audit v1
//	index 17
//	time "2027-03-01T08:00:00Z"
//	result "assoc-1207"
//	seq 6
//	type "determined"
//	from "provisional"
//	to "final"
//	role "exam_administration"
//	mandate "M-2026-01"
//	commitment n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=
//
// where commitment is the base64 SHA-256 of salt followed by payload.
type Record struct {
	Index   int64     // position in the log, from 0: the sequence number
	Time    time.Time // when the event happened
	Result  string    // the result's id
	Seq     int       // the event's number within its result, from 1
	Type    string    // the event type, such as "determined"
	From    string    // the state before
	To      string    // the state after
	Role    string    // the actor's role
	Mandate string    // the mandate acted under, if any

	// Commitment is SHA-256(Salt ‖ Payload).
	Commitment [sha256.Size]byte
	// Salt and Payload are nil once erased.
	Salt    []byte
	Payload []byte
}

// Commit returns the commitment to a payload under a salt.
func Commit(salt, payload []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write(salt)
	h.Write(payload)
	var c [sha256.Size]byte
	h.Sum(c[:0])
	return c
}

// Erased reports whether the payload was erased.
func (r *Record) Erased() bool { return r.Payload == nil && r.Salt == nil }

// Leaf returns the canonical encoding of the record's header: the data of
// its Merkle leaf.
func (r *Record) Leaf() []byte { return r.AppendLeaf(make([]byte, 0, 320)) }

// AppendLeaf appends the canonical encoding of the record's header to b.
func (r *Record) AppendLeaf(b []byte) []byte {
	b = append(b, Version...)
	b = append(b, "\nindex "...)
	b = strconv.AppendInt(b, r.Index, 10)
	b = append(b, "\ntime \""...) // an RFC 3339 time needs no escaping
	b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, "\"\nresult "...)
	b = appendQuoted(b, r.Result)
	b = append(b, "\nseq "...)
	b = strconv.AppendInt(b, int64(r.Seq), 10)
	b = append(b, "\ntype "...)
	b = appendQuoted(b, r.Type)
	b = append(b, "\nfrom "...)
	b = appendQuoted(b, r.From)
	b = append(b, "\nto "...)
	b = appendQuoted(b, r.To)
	b = append(b, "\nrole "...)
	b = appendQuoted(b, r.Role)
	b = append(b, "\nmandate "...)
	b = appendQuoted(b, r.Mandate)
	b = append(b, "\ncommitment "...)
	b = base64.StdEncoding.AppendEncode(b, r.Commitment[:])
	return append(b, '\n')
}

// CheckLeaf reports whether the record's header has a leaf that reads
// back (ParseLeaf gives the same header): its index must not be negative
// and its time must lie in the years 0000 to 9999 in UTC, which RFC 3339
// can write. Every other header does; a fuzz test holds the two to it. It
// lets a store check a record without encoding and parsing its leaf. The
// error matches ErrInvalidRecord.
func (r *Record) CheckLeaf() error {
	if r.Index < 0 {
		return fmt.Errorf("audit: %w: index %d", ErrInvalidRecord, r.Index)
	}
	if y := r.Time.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("audit: %w: record %d: the time %s cannot be recorded", ErrInvalidRecord, r.Index, r.Time)
	}
	return nil
}

// ParseLeaf reads a record's header from its canonical encoding, strictly:
// the exact fields in the exact order, nothing after, and the encoding
// must round-trip to the same bytes.
func ParseLeaf(data []byte) (Record, error) {
	bad := func(format string, args ...any) (Record, error) {
		return Record{}, fmt.Errorf("audit: %w: leaf: %s", ErrCorrupt, fmt.Sprintf(format, args...))
	}
	text := string(data)
	rest, ok := strings.CutSuffix(text, "\n")
	if !ok {
		return bad("does not end in a newline")
	}
	first, rest, _ := strings.Cut(rest, "\n")
	if first != Version {
		return bad("not a %q record", Version)
	}
	var values [len(leafFields)]string
	for i, name := range leafFields {
		var line string
		line, rest, ok = strings.Cut(rest, "\n")
		if i == len(leafFields)-1 && ok {
			return bad("not a %q record: a line after %s", Version, name)
		}
		v, found := strings.CutPrefix(line, name)
		if found {
			v, found = strings.CutPrefix(v, " ")
		}
		if !found {
			return bad("line %d: want %s", i+2, name)
		}
		values[i] = v
		if !ok && i < len(leafFields)-1 {
			return bad("not a %q record: it ends after %s", Version, name)
		}
	}
	var r Record
	var err error
	if r.Index, err = strconv.ParseInt(values[0], 10, 64); err != nil || r.Index < 0 {
		return bad("index %q", values[0])
	}
	if r.Seq, err = strconv.Atoi(values[3]); err != nil {
		return bad("seq %q", values[3])
	}
	var strs [7]string
	for j, i := range [...]int{1, 2, 4, 5, 6, 7, 8} {
		if strs[j], ok = unquote(values[i]); !ok {
			return bad("%s %q is not a quoted string", leafFields[i], values[i])
		}
	}
	if r.Time, err = time.Parse(time.RFC3339Nano, strs[0]); err != nil {
		return bad("time %q", strs[0])
	}
	r.Result, r.Type, r.From, r.To, r.Role, r.Mandate = strs[1], strs[2], strs[3], strs[4], strs[5], strs[6]
	var c [sha256.Size + 1]byte // Decode may use a whole last quantum
	if len(values[9]) != base64.StdEncoding.EncodedLen(sha256.Size) {
		return bad("commitment %q", values[9])
	}
	if n, err := base64.StdEncoding.Decode(c[:], []byte(values[9])); err != nil || n != sha256.Size {
		return bad("commitment %q", values[9])
	}
	copy(r.Commitment[:], c[:])
	var buf [512]byte
	if !bytes.Equal(r.AppendLeaf(buf[:0]), data) {
		return bad("not in canonical form")
	}
	return r, nil
}

// leafFields are the names of a leaf's lines after the version, in order.
var leafFields = [...]string{"index", "time", "result", "seq", "type", "from", "to", "role", "mandate", "commitment"}

// unquote reads a Go string literal; plain text, which most fields hold,
// is a substring of the leaf, without a copy.
func unquote(v string) (string, bool) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && !strings.ContainsAny(v[1:len(v)-1], "\\\"") {
		return v[1 : len(v)-1], true
	}
	s, err := strconv.Unquote(v)
	return s, err == nil
}

// appendQuoted appends s as a Go string literal, as strconv.AppendQuote
// does, with a fast path for the plain text most fields hold.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
