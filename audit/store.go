package audit

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"
)

// A Store keeps a log's records and its Merkle tree's stored hashes. It
// is small on purpose: the log computes everything; a store only keeps
// bytes, appends them atomically at an expected size, and erases payloads.
// Every store must pass the conformance suite in package audit/storetest.
// Implementations are safe for concurrent use.
type Store interface {
	// Append adds records at positions size, size+1, …, with the stored
	// hashes they add to the tree (tlog.StoredHashes, in order), all or
	// nothing. When the log does not hold exactly size records it appends
	// nothing and returns a *ConflictError. It keeps none of the slices
	// it is given (records, their salts and payloads, hashes) once it
	// returns: the log reuses them. When it cannot tell whether the
	// records landed (the connection broke after the commit was sent), it
	// finds out before it returns if it can, and otherwise returns an
	// error matching ErrUnknownOutcome, so that no caller retries an
	// append that may have landed.
	Append(ctx context.Context, size int64, records []Record, hashes []tlog.Hash) error

	// Size returns the number of records.
	Size(ctx context.Context) (int64, error)

	// Records returns the records at positions from up to but not including to.
	Records(ctx context.Context, from, to int64) ([]Record, error)

	// ReadHashes returns the stored hashes at the given storage indexes
	// (tlog.StoredHashIndex), in order.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

	// Erase removes the salt and payload of the record at the position;
	// its header and hashes stay. Erasing twice is not an error.
	Erase(ctx context.Context, index int64) error
}

// A LeafStore is a Store that can also return its records as it keeps
// them: each record's leaf as the bytes it holds. Verify reads such a
// store this way and hashes those very bytes, instead of parsing each
// leaf into a Record and encoding it again (at four million records a
// year, half of what verifying took).
type LeafStore interface {
	Store

	// Leaves calls fn with each record at positions from up to but not
	// including to, in order, as stored. The slices are valid only
	// during the call (a store may reuse its buffers). It stops at the
	// first error fn returns, and returns it.
	Leaves(ctx context.Context, from, to int64, fn func(StoredRecord) error) error
}

// A StoredRecord is a record as a store keeps it.
type StoredRecord struct {
	Leaf    []byte // the canonical encoding of its header (Record.Leaf)
	Salt    []byte // nil once erased
	Payload []byte // nil once erased
}
