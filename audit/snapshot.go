package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrNoSnapshot: a store holds no snapshot (yet).
var ErrNoSnapshot = errors.New("no snapshot")

// A SnapshotStore keeps one snapshot beside a log: an encoding of what a
// reader built from the log's first records, so that it need not fold
// them all again when it starts. The log stays the truth: a snapshot is
// a cache that may be deleted at any time, and its reader checks that it
// matches the log (see the root package's Office). A snapshot is opaque
// to the store.
type SnapshotStore interface {
	// WriteSnapshot replaces the snapshot with the bytes write writes,
	// atomically: a crash or an error leaves the old snapshot or the
	// new one, never a part of one. When write returns an error, the
	// old snapshot stays and the error is returned.
	WriteSnapshot(ctx context.Context, write func(io.Writer) error) error

	// ReadSnapshot calls read with the snapshot's bytes, and returns its
	// error. Without a snapshot it returns an error matching
	// ErrNoSnapshot and does not call read.
	ReadSnapshot(ctx context.Context, read func(io.Reader) error) error
}

// A MemorySnapshots is a SnapshotStore in memory. The zero value holds no
// snapshot and is ready to use.
type MemorySnapshots struct {
	mu   sync.Mutex
	data []byte
	has  bool
}

// WriteSnapshot replaces the snapshot.
func (m *MemorySnapshots) WriteSnapshot(ctx context.Context, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return fmt.Errorf("audit: writing a snapshot: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data, m.has = b.Bytes(), true
	return nil
}

// ReadSnapshot reads the snapshot.
func (m *MemorySnapshots) ReadSnapshot(ctx context.Context, read func(io.Reader) error) error {
	m.mu.Lock()
	data, has := m.data, m.has
	m.mu.Unlock()
	if !has {
		return fmt.Errorf("audit: %w", ErrNoSnapshot)
	}
	return read(bytes.NewReader(data))
}

// WriteSnapshot keeps the snapshot beside the store's records: a
// MemoryStore is also a SnapshotStore.
func (m *MemoryStore) WriteSnapshot(ctx context.Context, write func(io.Writer) error) error {
	return m.snapshots.WriteSnapshot(ctx, write)
}

// ReadSnapshot reads the snapshot kept beside the store's records.
func (m *MemoryStore) ReadSnapshot(ctx context.Context, read func(io.Reader) error) error {
	return m.snapshots.ReadSnapshot(ctx, read)
}
