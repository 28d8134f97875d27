package oke

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/krs-oke/vaststelling/result"
)

// A Store keeps the results the intake builds and every delivery with its
// receipt. Store is the in-memory implementation; package audit provides
// durable ones. Implementations must be safe for concurrent use; the
// intake serialises the deliveries for one association itself.
type Store interface {
	// Result returns the result with the id, and whether there is one.
	Result(id string) (result.Result, bool)
	// Save records a result after its new events.
	Save(r result.Result, events []result.Event) error
	// Related returns the ids of the results that retake the original
	// enrolment, or were delivered for it, the original included.
	Related(original string) []string
	// Session returns the ids of the results of an exam session: those
	// whose SessionKey is session.
	Session(session string) []string
	// Keep logs a delivery with its receipt, and returns its number.
	DeliveryLog
}

// A Kept delivery is one entry of the log.
type Kept struct {
	Delivery Delivery `json:"delivery"`
	Receipt  Receipt  `json:"receipt"`
}

// MemoryStore is the in-memory Store: results, their events and the
// delivery log, for tests, tools and small installations. Its zero value
// is not ready; use NewStore.
type MemoryStore struct {
	mu         sync.Mutex
	noEvents   bool
	results    shelf // packed (see packed.go and shelf.go)
	locs       locations
	scratch    []byte
	events     map[string][]result.Event
	related    map[string][]string // original → the results that retake it
	sessions   map[string][]uint64 // session (SessionKey) → its results' keys on the shelf
	deliveries []Kept
}

// NewStore returns an empty MemoryStore.
func NewStore() *MemoryStore {
	return &MemoryStore{results: newShelf(), events: map[string][]result.Event{},
		related: map[string][]string{}, sessions: map[string][]uint64{}}
}

// NewResultStore returns an empty MemoryStore that keeps the results and the
// delivery log but not the events, for a caller that keeps the events in
// an audit trail already; its Events returns nil.
func NewResultStore() *MemoryStore {
	s := NewStore()
	s.noEvents = true
	return s
}

// Result returns the result with the id.
func (s *MemoryStore) Result(id string) (result.Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.results.get(id)
	if !ok {
		return result.Result{}, false
	}
	r, err := unpack(b, &s.locs)
	if err != nil {
		// Not bad input but a broken invariant: the store packed these
		// bytes itself. Reporting the result missing would hide it.
		panic(fmt.Sprintf("oke: internal error: result %s: %v", id, err))
	}
	return r, true
}

// Save records the result after its new events. A result re-delivered,
// or given a re-delivered record, with another session moves to it.
func (s *MemoryStore) Save(r result.Result, events []result.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	session := SessionKey(&r.Record)
	moved, from := false, ""
	if old, ok := s.results.get(r.ID); ok {
		if was := bytes.TrimSpace(packedSession(old)); string(was) != session {
			moved, from = true, string(was)
		}
	}
	s.scratch = pack(s.scratch[:0], &r, &s.locs)
	key, added := s.results.put(r.ID, s.scratch)
	if added {
		if r.Retakes != "" { // an original is found by its id: a year of them need no list each
			s.related[r.Retakes] = appendNew(s.related[r.Retakes], r.ID)
		}
	}
	if moved && from != "" {
		if list := slices.DeleteFunc(s.sessions[from], func(k uint64) bool { return k == key }); len(list) > 0 {
			s.sessions[from] = list
		} else {
			delete(s.sessions, from)
		}
	}
	if (added || moved) && session != "" {
		s.sessions[session] = append(s.sessions[session], key)
	}
	if !s.noEvents {
		s.events[r.ID] = append(s.events[r.ID], events...)
	}
	return nil
}

// Related returns the ids of the results for the original enrolment: the
// original's own first, when there is one, then the retakes in the order
// they arrived.
func (s *MemoryStore) Related(original string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	if s.results.has(original) {
		ids = append(ids, original)
	}
	return append(ids, s.related[original]...)
}

// Session returns the ids of the results of the session (by SessionKey),
// in the order they came into it.
func (s *MemoryStore) Session(session string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := s.sessions[session]
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = s.results.idOf(k)
	}
	return ids
}

// Sessions returns, sorted, the sessions (by SessionKey) the store holds
// results of; a result without a session is in none.
func (s *MemoryStore) Sessions() []string {
	s.mu.Lock()
	keys := make([]string, 0, len(s.sessions))
	for k := range s.sessions {
		keys = append(keys, k)
	}
	s.mu.Unlock()
	slices.Sort(keys)
	return keys
}

// Keep logs the delivery.
func (s *MemoryStore) Keep(d Delivery, r Receipt) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Seq = len(s.deliveries) + 1
	s.deliveries = append(s.deliveries, Kept{Delivery: d, Receipt: r})
	return r.Seq, nil
}

// IDs returns the ids of every result, sorted.
func (s *MemoryStore) IDs() []string {
	s.mu.Lock()
	ids := s.results.ids()
	s.mu.Unlock()
	slices.Sort(ids)
	return ids
}

// Events returns the events of the result, in order.
func (s *MemoryStore) Events(id string) []result.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events[id])
}

// Log returns every delivery kept, in order.
func (s *MemoryStore) Log() []Kept {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

func appendNew(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// packedSession returns the ExecutedOffering of a packed result, as bytes
// of the packed form, without unpacking it: it reads past the fields that
// packer.record writes before it. It allocates nothing, so that Save can
// see whether a result moved to another session at the cost of a few
// varints; nil when the bytes do not read, which a store's own bytes
// always do (TestPackedSession holds it to packer.record).
func packedSession(b []byte) []byte {
	bad := false
	uint := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad, b = true, nil
			return 0
		}
		b = b[n:]
		return v
	}
	skipInt := func() {
		if _, n := binary.Varint(b); n > 0 {
			b = b[n:]
		} else {
			bad, b = true, nil
		}
	}
	str := func() []byte {
		n := uint()
		if n > uint64(len(b)) {
			bad, b = true, nil
			return nil
		}
		s := b[:n]
		b = b[n:]
		return s
	}
	for range 6 { // id, student, component, programme, crebo, team
		str()
	}
	skipInt()        // attempt
	str()            // retakes
	str()            // supersedes
	if uint() != 0 { // the exam: its zone, then seconds and nanoseconds
		skipInt()
		uint()
	}
	str()            // assessor
	if uint() != 0 { // the grade: its scale, then its text
		str()
	}
	str() // attendance
	str() // source
	str() // offering
	s := str()
	if bad {
		return nil
	}
	return s
}
