package audit

import (
	"fmt"
	"io"
	"time"
)

// An Entry is a record of an office's own work rather than one result's
// event: a delivery with its receipt, a session report, a mandate granted
// or revoked, a notice sent, a daily run. It has no result and no event
// number; its Type names what it holds, and its Payload (JSON, kept beside
// the tree under a salted commitment, erasable like an event's) holds the
// rest. Rebuild and the reports pass entries by (their Result is empty).
type Entry struct {
	Type    string    // what the entry records, such as "delivery"
	Time    time.Time // when it happened
	Role    string    // the role of who acted
	Mandate string    // the mandate it concerns, if any
	Payload []byte    // its data
}

// NewEntry turns an entry into a record, its payload committed to under a
// fresh salt read from rand (32 bytes). The index is set when the record is
// appended. The record keeps the payload slice.
func NewEntry(e Entry, rand io.Reader) (Record, error) {
	if e.Type == "" {
		return Record{}, fmt.Errorf("audit: %w: an entry without a type", ErrInvalidRecord)
	}
	if y := e.Time.UTC().Year(); e.Time.IsZero() || y < 1 || y > 9999 {
		return Record{}, fmt.Errorf("audit: %s entry: %w: the time %s cannot be recorded", e.Type, ErrInvalidRecord, e.Time)
	}
	salt := make([]byte, saltSize)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return Record{}, fmt.Errorf("audit: reading a salt: %w", err)
	}
	return Record{Time: e.Time, Type: e.Type, Role: e.Role, Mandate: e.Mandate,
		Commitment: Commit(salt, e.Payload), Salt: salt, Payload: e.Payload}, nil
}
