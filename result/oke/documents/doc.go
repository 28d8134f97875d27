// Package documents fetches the documents an OKE result names from the
// planner (Toetsplanning) and keeps them in an archive.
//
// A flow-5 result may name documents (documents[]: documentId,
// documentType, documentName; OKE Table 4.6.A): an assessment form, the
// answers with the assessor's notes, the assessment model. The planner
// keeps them; the KRS fetches each with GET /documents/{documentId}
// (OKE §3.5.4, Table 3.5.2), in OAuth scope nl-test-admin-flow-1-5
// (Table 5.2.A), with an access token from the client-credentials grant
// (§5, technical reference).
//
// A Client fetches one document: with a token from the configured token
// endpoint, retrying what may pass (a connection that failed, HTTP 5xx,
// 429) with exponential backoff and jitter, a bounded number of attempts
// in a bounded time, waiting at least as long as Retry-After asks on 429
// and 503; it refuses a document larger than Config.MaxSize without
// reading past the limit, and one whose content type is not allowed
// (Config.Types). Client.Archive keeps the document in an Archive, whole
// or not at all, and returns its size and SHA-256; Dir is an Archive in a
// directory of the file system. An Archiver is a Client and an Archive
// together: it keeps each document it fetches, then writes it to the
// caller from the archive, so that what the caller hashes is what the
// archive holds. The office (vaststelling.Office.ArchiveDocuments) takes
// one, and records each document's SHA-256 in the trail.
//
// The package decides on time only through Config.Clock (the backoff, the
// time bound, Retry-After as a date): tests pass a clock that does not
// sleep. The access token's expiry is the oauth2 package's, in real time.
//
// Every error is an *Error naming the document, matching one of the
// sentinel errors (ErrNotFound, ErrTooLarge, ErrContentType,
// ErrUnavailable, ...) with errors.Is, or the context's error when the
// caller's context ended first.
package documents
