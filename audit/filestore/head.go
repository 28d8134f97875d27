package filestore

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/internal/chunks"

	"github.com/krs-oke/vaststelling/audit"
)

// HeadFile is the name of the file in a store's directory that remembers
// the store's latest size and tree root: what the log held after its last
// batch. A log and payload file cut back together to an earlier batch
// read back whole; the head file is what tells that records are missing.
const HeadFile = "head"

// ErrTruncated: the log holds fewer records than the head file says it
// held: it was cut back at a batch boundary, by a restore from an older
// copy, a tool or a person. It matches audit.ErrCorrupt too.
var ErrTruncated = fmt.Errorf("log holds fewer records than it did: %w", audit.ErrCorrupt)

// The head file holds two copies of the head, one in each of its first
// two pages, written in turn, so that a write torn by a crash leaves the
// other. A copy is the magic line, the size (8 bytes, little-endian), the
// root (32) and the CRC-32C of all that (4).
const (
	headMagic = "vaststelling audit head v1\n"
	headCopy  = len(headMagic) + 8 + tlog.HashSize + 4
	headPage  = 4096 // the second copy's offset
)

// A head is a log's size and the root of its tree at that size.
type head struct {
	size int64
	root tlog.Hash
}

func (h head) String() string {
	return fmt.Sprintf("%d records, root %s", h.size, base64.StdEncoding.EncodeToString(h.root[:]))
}

// appendHead appends one copy of h.
func appendHead(dst []byte, h head) []byte {
	start := len(dst)
	dst = append(dst, headMagic...)
	dst = binary.LittleEndian.AppendUint64(dst, uint64(h.size))
	dst = append(dst, h.root[:]...)
	return binary.LittleEndian.AppendUint32(dst, checksum(dst[start:]))
}

// parseHead reads one copy; ok is false when it is not a whole, valid one.
func parseHead(b []byte) (h head, ok bool) {
	if len(b) < headCopy || string(b[:len(headMagic)]) != headMagic ||
		binary.LittleEndian.Uint32(b[headCopy-4:]) != checksum(b[:headCopy-4]) {
		return head{}, false
	}
	b = b[len(headMagic):]
	h.size = int64(binary.LittleEndian.Uint64(b))
	copy(h.root[:], b[8:])
	return h, h.size >= 0
}

// readHead reads the head file at path: the valid copy of the larger size,
// and which copy that is (0 or 1); nil when there is no file. A file with
// no valid copy is corrupt.
func readHead(path string) (h *head, which int, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("filestore: reading %s: %w", path, err)
	}
	h0, ok0 := parseHead(b)
	var h1 head
	ok1 := false
	if len(b) > headPage {
		h1, ok1 = parseHead(b[headPage:])
	}
	switch {
	case ok0 && (!ok1 || h0.size >= h1.size):
		return &h0, 0, nil
	case ok1:
		return &h1, 1, nil
	}
	return nil, 0, &FileError{File: path, Offset: 0, Index: -1, Err: audit.ErrCorrupt,
		Problem: "no valid copy of the head; remove the file to accept the log as it stands"}
}

// createHead writes a new head file at path holding h twice, atomically:
// a crash leaves no head file or a whole one.
func createHead(path string, h head) error {
	b := appendHead(nil, h)
	b = append(b, make([]byte, headPage-len(b))...)
	b = appendHead(b, h)
	err := replaceFile(path, func(w io.Writer) error { _, err := w.Write(b); return err })
	if err != nil {
		return fmt.Errorf("filestore: creating %s: %w", path, err)
	}
	return nil
}

// checkHead checks the log's index in st against the head: the log must
// hold at least its records, with its root.
func checkHead(st *state, h head, logN, headN string) error {
	n := int64(st.entries.Len())
	if n < h.size {
		return &FileError{File: logN, Offset: st.logEnd, Index: n, Err: ErrTruncated,
			Problem: fmt.Sprintf("the log holds %d records; %s says it held %d", n, headN, h.size)}
	}
	root, err := treeRoot(&st.hashes, h.size)
	if err != nil {
		return err
	}
	if root != h.root {
		return &FileError{File: logN, Offset: 0, Index: h.size, Err: audit.ErrCorrupt,
			Problem: fmt.Sprintf("the tree of the log's first %d records has root %s; %s says %s",
				h.size, base64.StdEncoding.EncodeToString(root[:]), headN, h)}
	}
	return nil
}

// treeRoot returns the root of the tree of the first n records from the
// stored hashes.
func treeRoot(hashes *chunks.Slice[tlog.Hash], n int64) (tlog.Hash, error) {
	root, err := tlog.TreeHash(n, tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(hashes.Len()) {
				return nil, fmt.Errorf("filestore: stored hash %d of %d: %w", x, hashes.Len(), audit.ErrRange)
			}
			out[i] = *hashes.At(int(x))
		}
		return out, nil
	}))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("filestore: the tree's root at %d records: %w", n, err)
	}
	return root, nil
}

// replaceFile writes a file at path with what write writes, atomically:
// into a new file beside it, synced, renamed over path, and the directory
// synced. A crash or an error leaves the old file or the new one.
func replaceFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+"-*"+tempSuffix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// tempSuffix ends the names of files being written to replace another;
// Open removes those a crash left.
const tempSuffix = ".tmp"

// syncDir syncs a directory, so that the names created, removed or
// renamed in it are on disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeTemps removes the files that replaceFile left in dir when a crash
// interrupted it.
func removeTemps(dir string) error {
	ds, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	for _, d := range ds {
		n := d.Name()
		if !strings.HasSuffix(n, tempSuffix) || !strings.HasPrefix(n, HeadFile+"-") && !strings.HasPrefix(n, SnapshotFile+"-") {
			continue
		}
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("filestore: removing %s: %w", n, err)
		}
	}
	return nil
}

// Head returns the number of records the store holds and the root of
// their tree: what it keeps in its head file (see HeadFile) after every
// batch, so that a log cut back to an earlier batch does not open as if
// nothing happened. For a store opened read-only, what it held at opening.
func (s *Store) Head() (size int64, root tlog.Hash) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.head.size, s.head.root
}
