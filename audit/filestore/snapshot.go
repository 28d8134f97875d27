package filestore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/krs-oke/vaststelling/audit"
)

// SnapshotFile is the name of the file in a store's directory that holds
// its snapshot (see audit.SnapshotStore).
const SnapshotFile = "snapshot"

// snapshotBuffer is the size of the buffers a snapshot streams through:
// a snapshot may be hundreds of megabytes, and is never held whole.
const snapshotBuffer = 256 << 10

var _ audit.SnapshotStore = (*Store)(nil)

// WriteSnapshot replaces the snapshot with what write writes, streamed
// into a new file beside the old one, which is synced and renamed over it
// (and the directory synced): a crash, an error from write or a cancelled
// ctx leaves the old snapshot. A store opened read-only refuses, with an
// error matching ErrReadOnly.
func (s *Store) WriteSnapshot(ctx context.Context, write func(io.Writer) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.readOnly {
		return fmt.Errorf("filestore: %s: writing a snapshot: %w", s.dir, ErrReadOnly)
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return s.errClosed()
	}
	err := replaceFile(s.snapN, func(f io.Writer) error {
		w := bufio.NewWriterSize(f, snapshotBuffer)
		if err := write(w); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return ctx.Err() // a snapshot cancelled while written is not put in place
	})
	if err != nil {
		return fmt.Errorf("filestore: %s: writing a snapshot: %w", s.dir, err)
	}
	return nil
}

// ReadSnapshot calls read with the snapshot, streamed from its file, and
// returns read's error. Without a snapshot it returns an error matching
// audit.ErrNoSnapshot.
func (s *Store) ReadSnapshot(ctx context.Context, read func(io.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return s.errClosed()
	}
	f, err := os.Open(s.snapN)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("filestore: %s: %w", s.dir, audit.ErrNoSnapshot)
	}
	if err != nil {
		return fmt.Errorf("filestore: %s: reading the snapshot: %w", s.dir, err)
	}
	defer f.Close()
	return read(bufio.NewReaderSize(f, snapshotBuffer))
}
