package audit

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is.
var (
	// ErrConflict: an append expected another size of the log: another
	// writer came first. Nothing was written; read the size and retry.
	ErrConflict = errors.New("log size conflict")
	// ErrTampered: verification found a record, payload, hash or proof
	// that does not match.
	ErrTampered = errors.New("trail does not verify")
	// ErrErased: the payload of a record was erased (AVG); the record
	// itself still verifies.
	ErrErased = errors.New("payload erased")
	// ErrTorn: a store found an incomplete last record, as a crash leaves
	// it; it reports it rather than accept or drop it silently.
	ErrTorn = errors.New("torn record")
	// ErrCorrupt: stored data that cannot be read back.
	ErrCorrupt = errors.New("corrupt store")
	// ErrProof: a proof that does not prove what it claims.
	ErrProof = errors.New("proof does not verify")
	// ErrCheckpoint: a checkpoint that does not parse or whose signature
	// does not verify.
	ErrCheckpoint = errors.New("invalid checkpoint")
	// ErrRange: an index or size outside the log.
	ErrRange = errors.New("outside the log")
	// ErrInvalidRecord: a record the log cannot take, such as one whose
	// time has no RFC 3339 form, or an append whose hashes do not fit it.
	ErrInvalidRecord = errors.New("invalid record")
)

// A ConflictError reports an append that expected the log at one size and
// found it at another. It matches ErrConflict.
type ConflictError struct {
	Expected, Actual int64
}

// Error returns the problem as a sentence a person can read.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("audit: append expected the log at %d records, it has %d", e.Expected, e.Actual)
}

// Is makes a ConflictError match ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// A VerifyError names the first record that failed verification and why.
// It matches ErrTampered, and wraps the underlying error when there is one.
type VerifyError struct {
	Index   int64 // the record's position in the log; -1 for the tree as a whole
	Problem string
	Err     error
}

// Error returns the problem as a sentence a person can read.
func (e *VerifyError) Error() string {
	where := fmt.Sprintf("record %d", e.Index)
	if e.Index < 0 {
		where = "the tree"
	}
	msg := "audit: " + where + ": " + e.Problem
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *VerifyError) Unwrap() error { return e.Err }

// Is makes a VerifyError match ErrTampered.
func (e *VerifyError) Is(target error) bool { return target == ErrTampered }

// A ProofError reports a proof that could not be made or did not check,
// wrapping tlog's error. It matches ErrProof.
type ProofError struct {
	Op  string // "inclusion" or "consistency"
	Err error
}

// Error returns the problem as a sentence a person can read.
func (e *ProofError) Error() string { return "audit: " + e.Op + " proof: " + e.Err.Error() }

// Unwrap returns tlog's error.
func (e *ProofError) Unwrap() error { return e.Err }

// Is makes a ProofError match ErrProof.
func (e *ProofError) Is(target error) bool { return target == ErrProof }
