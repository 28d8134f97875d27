package vaststelling

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/timeline"
)

// ErrNoResult: the office holds no result with the id asked for.
var ErrNoResult = errors.New("no such result")

// A DocumentFetcher fetches a document a result names from the planner
// (OKE GET /documents/{documentId}) and writes it to w, returning its
// content type and its length in bytes. A *documents.Client (package
// result/oke/documents) is one; a *documents.Archiver keeps each document
// in its archive first and writes it to w from there, so that what the
// office hashes is what the archive holds. The office depends on this
// interface only, not on how the planner is reached.
type DocumentFetcher interface {
	Fetch(ctx context.Context, documentID string, w io.Writer) (contentType string, n int64, err error)
}

// An ArchivedDocument is a document of a result as the trail records its
// archiving: an EntryDocumentArchived entry.
type ArchivedDocument struct {
	Result string // the result's id
	// Version is the result's version (the number of its events) when its
	// record named the document.
	Version     int
	ID          string // documentId
	Type        string // documentType
	Name        string // documentName
	ContentType string // the media type the fetcher gave
	Size        int64  // in bytes
	SHA256      string // of its bytes, lower-case hex
	At          time.Time
}

// documentEntry is the payload of an EntryDocumentArchived entry.
type documentEntry struct {
	Result      string `json:"result"`
	Version     int    `json:"version"`
	DocumentID  string `json:"document_id"`
	Type        string `json:"document_type"`
	Name        string `json:"document_name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// ArchiveDocuments fetches every document the result with the id names
// (its Record.Documents, as delivered) through fetch, hashing each as it
// arrives, and records each one fetched in the trail at the moment now:
// an EntryDocumentArchived entry with the result, the document's id, type
// and name, its content type, its size and its SHA-256, so that the form
// kept is provably the one the result came with. The entries go into the
// trail in one append, after every document was tried; they are returned
// once the trail has them.
//
// A document that cannot be fetched is not recorded: the error names it
// (joined, one per document, each wrapping the fetcher's error), and the
// others are recorded all the same; the caller tries the failed ones
// again later. Each call records what it fetched, also a document recorded
// before: the trail shows every archiving. A result that names no
// documents records nothing, and so does a call whose context ends before
// the append. The fetching runs outside the office's lock: other calls go
// on meanwhile.
func (o *Office) ArchiveDocuments(ctx context.Context, id string, fetch DocumentFetcher, now time.Time) ([]ArchivedDocument, error) {
	r, ok := o.Result(id)
	if !ok {
		return nil, fmt.Errorf("vaststelling: archiving documents: %w: %s", ErrNoResult, id)
	}
	var archived []ArchivedDocument
	var errs []error
	for _, d := range r.Documents {
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("vaststelling: result %s: document %s: %w", id, d.ID, err))
			break
		}
		h := countingHash{h: sha256.New()}
		contentType, n, err := fetch.Fetch(ctx, d.ID, &h)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("vaststelling: result %s: document %s: %w", id, d.ID, err))
			continue
		case n != h.n:
			errs = append(errs, fmt.Errorf("vaststelling: result %s: document %s: the fetcher says %d bytes and wrote %d",
				id, d.ID, n, h.n))
			continue
		}
		archived = append(archived, ArchivedDocument{Result: id, Version: r.Version, ID: d.ID, Type: d.Type, Name: d.Name,
			ContentType: contentType, Size: h.n, SHA256: hex.EncodeToString(h.h.Sum(nil)), At: now})
	}
	if len(archived) > 0 {
		err := o.decide(ctx, func(b *batch, again bool) error {
			for _, a := range archived {
				err := o.stageEntry(b, EntryDocumentArchived, now, timeline.System, "", documentEntry{Result: a.Result,
					Version: a.Version, DocumentID: a.ID, Type: a.Type, Name: a.Name, ContentType: a.ContentType,
					Size: a.Size, SHA256: a.SHA256})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, errors.Join(append([]error{err}, errs...)...)
		}
	}
	return archived, errors.Join(errs...)
}

// ArchivedDocuments calls fn with every document archiving the trail
// holds (see ArchiveDocuments), in order, and stops at the first error fn
// returns. An entry whose data was erased (AVG) is passed by. The entries
// are read from the trail, not kept in memory.
func (o *Office) ArchivedDocuments(ctx context.Context, fn func(ArchivedDocument) error) error {
	size := o.Size()
	const chunk = 1024
	for from := int64(0); from < size; from += chunk {
		records, err := o.store.Records(ctx, from, min(from+chunk, size))
		if err != nil {
			return err
		}
		for i := range records {
			rec := &records[i]
			if rec.Result != "" || rec.Type != EntryDocumentArchived {
				continue
			}
			var e documentEntry
			switch err := readEntry(rec, &e); {
			case errors.Is(err, audit.ErrErased):
				continue
			case err != nil:
				return err
			}
			err := fn(ArchivedDocument{Result: e.Result, Version: e.Version, ID: e.DocumentID, Type: e.Type, Name: e.Name,
				ContentType: e.ContentType, Size: e.Size, SHA256: e.SHA256, At: rec.Time.In(o.cfg.Calendar.Location())})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// countingHash hashes what is written to it, and counts it.
type countingHash struct {
	h hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.h.Write(p)
}
