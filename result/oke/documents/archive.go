package documents

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// An Archive keeps documents. Client.Archive puts a document into one as
// it reads it from the planner; an Archiver writes it back from there.
type Archive interface {
	// Put keeps the bytes r holds, read to io.EOF, as a version of the
	// document with the id, and says where and what it kept. A document is
	// kept whole or not at all: when reading r fails (the connection broke,
	// the document proved too large) or keeping fails, Put returns an
	// error and keeps nothing. SHA256 may be left zero for the client to
	// fill in; when set, the client checks it against its own.
	Put(ctx context.Context, id string, r io.Reader) (Stored, error)
	// Open returns the document kept under key (Stored.Key).
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// Stored is a document as an archive keeps it.
type Stored struct {
	Key    string            // where the archive keeps it: what Open takes
	Size   int64             // its length in bytes
	SHA256 [sha256.Size]byte // the SHA-256 of its bytes
}

// Hex returns the SHA-256 in lower-case hexadecimal.
func (s Stored) Hex() string { return hex.EncodeToString(s.SHA256[:]) }

// A Dir is an Archive in a directory. Each version of a document is a file
// named by Key: its id made safe as a file name, and its SHA-256, so that
// a document fetched again with other bytes is kept beside the first, never
// over it, and the same bytes again are the same file. A file is written
// under a temporary name (".part-" and random hex), synced, and renamed
// into place, so that a reader sees a document whole or not at all; a
// ".part-" file is what a crash left, and may be removed. All access goes
// through an os.Root: whatever a document id holds, nothing is written or
// read outside the directory.
type Dir struct {
	root *os.Root
}

// NewDir opens the directory at path as an archive, making it (mode 0750)
// when it does not exist.
func NewDir(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o750); err != nil {
		return nil, fmt.Errorf("documents: archive directory: %w", err)
	}
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("documents: archive directory: %w", err)
	}
	return &Dir{root: root}, nil
}

// Path returns the directory.
func (d *Dir) Path() string { return d.root.Name() }

// Close closes the directory.
func (d *Dir) Close() error { return d.root.Close() }

// Put writes the document to a temporary file while hashing it, and
// renames the file to its Key once it is whole and synced.
func (d *Dir) Put(ctx context.Context, id string, r io.Reader) (Stored, error) {
	if p := idProblem(id); p != "" {
		return Stored{}, fmt.Errorf("documents: archive: %w: %q %s", ErrInvalidID, id, p)
	}
	var random [8]byte
	if _, err := rand.Read(random[:]); err != nil {
		return Stored{}, fmt.Errorf("documents: archive: %w", err)
	}
	tmp := ".part-" + hex.EncodeToString(random[:])
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return Stored{}, fmt.Errorf("documents: archive: %w", err)
	}
	kept := false
	defer func() {
		if !kept {
			f.Close()
			d.root.Remove(tmp)
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, r})
	if err != nil {
		return Stored{}, fmt.Errorf("documents: archive: writing %q: %w", id, err)
	}
	if err := f.Sync(); err != nil {
		return Stored{}, fmt.Errorf("documents: archive: syncing %q: %w", id, err)
	}
	if err := f.Close(); err != nil {
		return Stored{}, fmt.Errorf("documents: archive: closing %q: %w", id, err)
	}
	s := Stored{Size: n}
	h.Sum(s.SHA256[:0])
	s.Key = Key(id, s.SHA256)
	if err := d.root.Rename(tmp, s.Key); err != nil {
		return Stored{}, fmt.Errorf("documents: archive: keeping %q: %w", id, err)
	}
	kept = true
	if dir, err := d.root.Open("."); err == nil { // the rename itself, durable
		err = dir.Sync()
		dir.Close()
		if err != nil && !errors.Is(err, fs.ErrInvalid) {
			return Stored{}, fmt.Errorf("documents: archive: syncing the directory: %w", err)
		}
	}
	return s, nil
}

// Open opens the document kept under key. A key that Dir does not make is
// refused (fs.ErrInvalid), whatever it holds.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if !validKey(key) {
		return nil, fmt.Errorf("documents: archive: %w: %q is no key of an archived document", fs.ErrInvalid, key)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := d.root.Open(key)
	if err != nil {
		return nil, fmt.Errorf("documents: archive: %w", err)
	}
	return f, nil
}

// Key returns the name under which a Dir keeps a document's version: "d-"
// and the id, every byte but a-z, 0-9 and "-" written as "_" and two hex
// digits (so that no id names a path, a hidden file, or two ids one file
// on a file system blind to case); or, for an id that would make a name
// longer than 120 bytes, "x-" and the first 32 hex digits of its SHA-256;
// then "." and the SHA-256 of the document's bytes in hex. An id
// "Assessment form/1" and bytes hashing to 9f86… give
// "d-_41ssessment_20form_2f1.9f86…".
func Key(id string, sum [sha256.Size]byte) string {
	const max = 120
	var b strings.Builder
	b.WriteString("d-")
	for i := 0; i < len(id); i++ {
		c := id[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
			b.WriteString(hex.EncodeToString([]byte{c}))
		}
	}
	name := b.String()
	if len(name)-2 > max {
		idSum := sha256.Sum256([]byte(id))
		name = "x-" + hex.EncodeToString(idSum[:16])
	}
	return name + "." + hex.EncodeToString(sum[:])
}

// validKey reports whether key is a name Key makes.
func validKey(key string) bool {
	name, sum, ok := strings.Cut(key, ".")
	if !ok || len(sum) != 2*sha256.Size || !isHex(sum) || len(name) < 3 {
		return false
	}
	body := name[2:]
	switch name[:2] {
	case "x-":
		return len(body) == 32 && isHex(body)
	case "d-":
		if len(body) > 120 {
			return false
		}
		for i := 0; i < len(body); i++ {
			c := body[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
		return true
	}
	return false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// ctxReader stops reading once its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
