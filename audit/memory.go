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
	records chunks[Record]
	hashes  chunks[tlog.Hash]
}

// chunks is a slice kept in fixed-size chunks, so that growing it never
// copies what it holds.
type chunks[T any] struct {
	n    int64
	list [][]T
}

const chunkSize = 4096

func (c *chunks[T]) len() int64 { return c.n }

func (c *chunks[T]) at(i int64) *T { return &c.list[i/chunkSize][i%chunkSize] }

func (c *chunks[T]) push(v T) {
	if c.n%chunkSize == 0 {
		c.list = append(c.list, make([]T, chunkSize))
	}
	*c.at(c.n) = v
	c.n++
}

// Append adds records at the expected size.
func (m *MemoryStore) Append(ctx context.Context, size int64, records []Record, hashes []tlog.Hash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := m.records.len(); n != size {
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
		m.records.push(r)
	}
	for _, h := range hashes {
		m.hashes.push(h)
	}
	return nil
}

// Size returns the number of records.
func (m *MemoryStore) Size(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.records.len(), nil
}

// Records returns the records in [from, to).
func (m *MemoryStore) Records(ctx context.Context, from, to int64) ([]Record, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if from < 0 || to < from || to > m.records.len() {
		return nil, fmt.Errorf("audit: records [%d, %d) of %d: %w", from, to, m.records.len(), ErrRange)
	}
	out := make([]Record, to-from)
	for i := range out {
		r := *m.records.at(from + int64(i))
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
		if x < 0 || x >= m.hashes.len() {
			return nil, fmt.Errorf("audit: stored hash %d of %d: %w", x, m.hashes.len(), ErrRange)
		}
		out[i] = *m.hashes.at(x)
	}
	return out, nil
}

// Erase removes the record's salt and payload.
func (m *MemoryStore) Erase(ctx context.Context, index int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if index < 0 || index >= m.records.len() {
		return fmt.Errorf("audit: erase %d of %d: %w", index, m.records.len(), ErrRange)
	}
	r := m.records.at(index)
	r.Salt, r.Payload = nil, nil
	return nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
