package documents

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The kinds of failure, for errors.Is. Every error of a Client or an
// Archiver is an *Error whose Kind is one of these, or the error of the
// caller's context.
var (
	// ErrConfig: a Config the client cannot work with.
	ErrConfig = errors.New("invalid document client configuration")
	// ErrInvalidID: a document id the client does not ask for: empty, "."
	// or "..", not UTF-8, or with a control character.
	ErrInvalidID = errors.New("not a document id")
	// ErrNotFound: the planner has no such document (HTTP 404 or 410).
	// Not retried.
	ErrNotFound = errors.New("the planner has no such document")
	// ErrUnauthorized: the token endpoint refused the client's
	// credentials, or the planner refused its token twice (HTTP 401, 403).
	// Not retried.
	ErrUnauthorized = errors.New("the client's credentials were refused")
	// ErrRefused: the planner refused the request otherwise (another HTTP
	// 4xx, or a status it does not send). Not retried.
	ErrRefused = errors.New("the planner refused the request")
	// ErrUnavailable: the planner (or its token endpoint) did not give
	// the document in the attempts and the time allowed (Config.Attempts,
	// Config.MaxElapsed): it failed, answered 5xx or 429, or took too long
	// (Config.AttemptTimeout).
	ErrUnavailable = errors.New("the planner is unavailable")
	// ErrTooLarge: the document is larger than Config.MaxSize. Not
	// retried; no more than MaxSize+1 bytes of it are read.
	ErrTooLarge = errors.New("the document is larger than allowed")
	// ErrContentType: the document's content type is not one of
	// Config.Types. Not retried.
	ErrContentType = errors.New("the document's content type is not allowed")
	// ErrArchive: the archive did not keep the document, or gave back
	// other bytes than it kept. Not retried.
	ErrArchive = errors.New("the archive did not keep the document")
)

// An Error is a document that could not be fetched or kept, and why.
type Error struct {
	DocumentID string
	// Kind is one of the sentinel errors above, or the caller's context's
	// error (context.Canceled, context.DeadlineExceeded).
	Kind error
	// Status is the last HTTP status the planner or the token endpoint
	// answered, 0 when none.
	Status int
	// Attempts is how many requests were made for the document.
	Attempts int
	// Detail says what happened, in words: what the planner said (the
	// title and detail of an OOAPI error body, Table 5.0.D), the type
	// refused, the size.
	Detail string
	// Err is the cause underneath, if any, such as a connection's error.
	Err error
}

// Error says which document, what went wrong and, when known, the status
// and the attempts made.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("documents: document ")
	b.WriteString(strconv.Quote(e.DocumentID))
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d %s)", e.Status, http.StatusText(e.Status))
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil && !errors.Is(e.Kind, e.Err) {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	switch e.Attempts {
	case 0:
	case 1:
		b.WriteString(", after 1 attempt")
	default:
		fmt.Fprintf(&b, ", after %d attempts", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the kind and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}
