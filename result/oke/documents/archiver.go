package documents

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
)

// An Archiver is a Client and an Archive together: Fetch keeps each
// document in the archive (Client.Archive, whole or not at all, with its
// retries), then writes it to the caller from the archive, checking that
// the archive gives back the bytes it kept. What the caller reads, and
// hashes, is thus the archived form: vaststelling.Office.ArchiveDocuments
// records that SHA-256 in the trail. A Dir finds the file again by the
// document id and that hash (Key).
type Archiver struct {
	Client  *Client
	Archive Archive
}

// Fetch keeps the document with the id in the archive and writes it to w
// from there; it returns its content type and length.
func (a *Archiver) Fetch(ctx context.Context, id string, w io.Writer) (contentType string, n int64, err error) {
	doc, err := a.Client.Archive(ctx, id, a.Archive)
	if err != nil {
		return "", 0, err
	}
	rc, err := a.Archive.Open(ctx, doc.Key)
	if err != nil {
		return "", 0, &Error{DocumentID: id, Kind: ErrArchive, Detail: "reading it back", Err: err}
	}
	defer rc.Close()
	h := sha256.New()
	n, err = io.Copy(io.MultiWriter(w, h), rc)
	if err != nil {
		return "", n, &Error{DocumentID: id, Kind: ErrArchive, Detail: "reading it back", Err: err}
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	if n != doc.Size || sum != doc.SHA256 {
		return "", n, &Error{DocumentID: id, Kind: ErrArchive, Detail: fmt.Sprintf("the archive gives back %d bytes "+
			"with SHA-256 %x under %q, and kept %d with SHA-256 %x", n, sum, doc.Key, doc.Size, doc.SHA256)}
	}
	return doc.ContentType, n, nil
}
