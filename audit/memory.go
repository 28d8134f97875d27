package audit

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// A MemoryStore keeps a log in memory. The zero MemoryStore is an empty
// log, ready to use.
type MemoryStore struct {
	mu      sync.RWMutex
	records []Record
	hashes  []tlog.Hash
}

// Append adds records at the expected size.
func (m *MemoryStore) Append(ctx context.Context, size int64, records []Record, hashes []tlog.Hash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := int64(len(m.records)); n != size {
		return &ConflictError{Expected: size, Actual: n}
	}
	if want := tlog.StoredHashCount(size+int64(len(records))) - tlog.StoredHashCount(size); int64(len(hashes)) != want {
		return fmt.Errorf("audit: %d records add %d stored hashes, not %d", len(records), want, len(hashes))
	}
	for _, r := range records {
		r.Salt, r.Payload = clone(r.Salt), clone(r.Payload)
		m.records = append(m.records, r)
	}
	m.hashes = append(m.hashes, hashes...)
	return nil
}

// Size returns the number of records.
func (m *MemoryStore) Size(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.records)), nil
}

// Records returns the records in [from, to).
func (m *MemoryStore) Records(ctx context.Context, from, to int64) ([]Record, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if from < 0 || to < from || to > int64(len(m.records)) {
		return nil, fmt.Errorf("audit: records [%d, %d) of %d: %w", from, to, len(m.records), ErrRange)
	}
	out := make([]Record, to-from)
	for i := range out {
		r := m.records[from+int64(i)]
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
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("audit: stored hash %d of %d: %w", x, len(m.hashes), ErrRange)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// Erase removes the record's salt and payload.
func (m *MemoryStore) Erase(ctx context.Context, index int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if index < 0 || index >= int64(len(m.records)) {
		return fmt.Errorf("audit: erase %d of %d: %w", index, len(m.records), ErrRange)
	}
	m.records[index].Salt, m.records[index].Payload = nil, nil
	return nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
