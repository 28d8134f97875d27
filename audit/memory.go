package audit

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/internal/chunks"
)

// A MemoryStore keeps a log in memory. The zero MemoryStore is an empty
// log, ready to use.
type MemoryStore struct {
	mu      sync.RWMutex
	records chunks.Slice[Record]
	hashes  chunks.Slice[tlog.Hash]

	snapshots MemorySnapshots
}

// Append adds records at the expected size.
func (m *MemoryStore) Append(ctx context.Context, size int64, records []Record, hashes []tlog.Hash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := int64(m.records.Len()); n != size {
		return &ConflictError{Expected: size, Actual: n}
	}
	if want := tlog.StoredHashCount(size+int64(len(records))) - tlog.StoredHashCount(size); int64(len(hashes)) != want {
		return fmt.Errorf("audit: %w: %d records add %d stored hashes, not %d", ErrInvalidRecord, len(records), want, len(hashes))
	}
	for _, r := range records {
		if r.Salt != nil || r.Payload != nil {
			// One allocation for both: the store keeps its own copy.
			both := make([]byte, len(r.Salt)+len(r.Payload))
			copy(both, r.Salt)
			copy(both[len(r.Salt):], r.Payload)
			r.Salt, r.Payload = both[:len(r.Salt):len(r.Salt)], both[len(r.Salt):]
		}
		m.records.Push(r)
	}
	for _, h := range hashes {
		m.hashes.Push(h)
	}
	return nil
}

// Size returns the number of records.
func (m *MemoryStore) Size(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(m.records.Len()), nil
}

// Records returns the records in [from, to).
func (m *MemoryStore) Records(ctx context.Context, from, to int64) ([]Record, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if from < 0 || to < from || to > int64(m.records.Len()) {
		return nil, fmt.Errorf("audit: records [%d, %d) of %d: %w", from, to, int64(m.records.Len()), ErrRange)
	}
	out := make([]Record, to-from)
	for i := range out {
		r := *m.records.At(int(from) + i)
		r.Salt, r.Payload = clone(r.Salt), clone(r.Payload)
		out[i] = r
	}
	return out, nil
}

// ReadHashes returns stored hashes by storage index.
func (m *MemoryStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(m.hashes.Len()) {
			return nil, fmt.Errorf("audit: stored hash %d of %d: %w", x, int64(m.hashes.Len()), ErrRange)
		}
		out[i] = *m.hashes.At(int(x))
	}
	return out, nil
}

// Erase removes the record's salt and payload.
func (m *MemoryStore) Erase(ctx context.Context, index int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if index < 0 || index >= int64(m.records.Len()) {
		return fmt.Errorf("audit: erase %d of %d: %w", index, int64(m.records.Len()), ErrRange)
	}
	r := m.records.At(int(index))
	r.Salt, r.Payload = nil, nil
	return nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
