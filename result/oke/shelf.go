package oke

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"slices"
)

// A shelf keeps the packed results of a MemoryStore: their bytes in
// chunks of up to a megabyte, found through a table (places) from a
// 64-bit hash of the id to a place in them. Neither the table nor the
// chunks hold a pointer, so that a year of results, a million of them, is
// a handful of objects to the garbage collector rather than millions:
// with a result a map entry and two allocations, collecting took a third
// of a year's run (BenchmarkInstitutionYear in the root package).
//
// A result packed anew goes back in its place when it fits, and a place
// has room to spare for the few fields a result gains on its way; one that
// outgrows its place gets a new one, and the old bytes stay unused. Two
// ids whose hashes collide (a chance of one in ten million in a year) are
// told apart: the second gets a key of its own, kept in clash.
type shelf struct {
	hash   func(id string) uint64
	index  places            // key → place
	clash  map[string]uint64 // id → its key, for ids whose hash another id had
	next   uint64            // the next key for a clash
	chunks [][]byte
}

// A place is where a result's bytes are: n bytes at off in a chunk, with
// room for more.
type place struct{ chunk, off, n, room uint32 }

const (
	shelfChunk = 1 << 20
	clashKeys  = 1 << 63 // clash keys have the top bit, hashes do not
)

func newShelf() shelf {
	seed := maphash.MakeSeed()
	return shelf{hash: func(id string) uint64 { return maphash.String(seed, id) },
		clash: map[string]uint64{}, next: clashKeys}
}

// bytes returns the bytes at a place.
func (s *shelf) bytes(p place) []byte { return s.chunks[p.chunk][p.off : p.off+p.n] }

// idAt returns the id of the result at a place: its first field.
func (s *shelf) idAt(p place) string {
	b := s.bytes(p)
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return ""
	}
	return string(b[k : k+int(n)])
}

// find returns the id's key and place, and whether the shelf holds it;
// when it does not, the key is the one the id would get unless another id
// has it.
func (s *shelf) find(id string) (uint64, place, bool) {
	if len(s.clash) > 0 {
		if k, ok := s.clash[id]; ok {
			p, _ := s.index.get(k)
			return k, p, true
		}
	}
	k := s.hash(id) &^ clashKeys
	p, ok := s.index.get(k)
	return k, p, ok && s.holds(p, id)
}

// holds reports whether the result at a place has the id, without
// copying the id out.
func (s *shelf) holds(p place, id string) bool {
	b := s.bytes(p)
	n, k := binary.Uvarint(b)
	return k > 0 && n == uint64(len(id)) && n <= uint64(len(b)-k) && string(b[k:k+int(n)]) == id
}

// has reports whether the shelf holds the id.
func (s *shelf) has(id string) bool {
	_, _, ok := s.find(id)
	return ok
}

// get returns the packed result with the id.
func (s *shelf) get(id string) ([]byte, bool) {
	_, p, ok := s.find(id)
	if !ok {
		return nil, false
	}
	return s.bytes(p), true
}

// put stores the packed result with the id, and returns its key and
// whether the id is new to the shelf.
func (s *shelf) put(id string, packed []byte) (key uint64, added bool) {
	k, p, ok := s.find(id)
	switch {
	case ok && len(packed) <= int(p.room):
		p.n = uint32(copy(s.chunks[p.chunk][p.off:p.off+p.room], packed))
		s.index.set(k, p)
		return k, false
	case !ok && p != place{}: // a place always has room, so a zero one is none
		// Another id has the key: this one gets a key of its own.
		k = s.next
		s.next++
		s.clash[id] = k
	}
	s.index.set(k, s.place(packed))
	return k, !ok
}

// place copies packed bytes into a new place with room to spare.
func (s *shelf) place(packed []byte) place {
	room := len(packed) + len(packed)/4 + 16
	last := len(s.chunks) - 1
	if last < 0 || cap(s.chunks[last])-len(s.chunks[last]) < room {
		// Chunks double from 4 KB to 1 MB: a small store stays small.
		size := 4 << 10
		if last >= 0 {
			size = min(2*cap(s.chunks[last]), shelfChunk)
		}
		s.chunks = append(s.chunks, make([]byte, 0, max(size, room)))
		last++
	}
	c := s.chunks[last]
	off := len(c)
	s.chunks[last] = append(c, packed...)[:off+room]
	return place{chunk: uint32(last), off: uint32(off), n: uint32(len(packed)), room: uint32(room)}
}

// A loose result is on a shelf's chunks (put there by place) and not yet
// in its index: its id's hash, its place, and its position among the
// results placed.
type loose struct {
	hash uint64 // s.hash of its id
	p    place
	at   uint32
}

// adopt indexes loose results, each as add would, and sets keys[at] to
// its key. It sets them in the order of the slots they go to, so that a
// million take a pass over the table rather than a cache miss each. It
// returns the id of a result that is on the shelf twice, and then leaves
// the shelf half done.
func (s *shelf) adopt(results []loose, keys []uint64) (twice string, ok bool) {
	s.index.reserve(s.index.len() + len(results))
	// A counting sort on the top bits of the first slot of each: results
	// in one bucket go to a few hundred slots together.
	mask := uint64(len(s.index.slots) - 1)
	shift := max(bits.Len64(mask)-12, 0)
	count := make([]int, (mask>>shift)+2)
	for _, r := range results {
		count[((r.hash&^clashKeys)&mask)>>shift+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	sorted := make([]loose, len(results))
	for _, r := range results {
		b := ((r.hash &^ clashKeys) & mask) >> shift
		sorted[count[b]] = r
		count[b]++
	}
	for _, r := range sorted {
		if k := r.hash &^ clashKeys; !s.index.has(k) {
			// No id has the key, so this one is new, and its own: set
			// without reading its id from the chunks, a cache miss.
			s.index.set(k, r.p)
			keys[r.at] = k
			continue
		}
		id := s.idAt(r.p)
		k, p, ok := s.find(id)
		if ok {
			return id, false
		}
		if p != (place{}) {
			k = s.next
			s.next++
			s.clash[id] = k
		}
		s.index.set(k, r.p)
		keys[r.at] = k
	}
	return "", true
}

// arrival returns the place of every result in the order the places were
// made, which is the order the results arrived in unless one outgrew its
// place; and, by the index of each key's slot in the table, its result's
// position in that order (see places.slot).
func (s *shelf) arrival() (ps []place, rank []uint32) {
	type entry struct {
		slot int
		p    place
	}
	all := make([]entry, 0, s.index.len())
	for i, sl := range s.index.slots {
		if sl.p.room != 0 {
			all = append(all, entry{i, sl.p})
		}
	}
	slices.SortFunc(all, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.p.chunk, b.p.chunk), cmp.Compare(a.p.off, b.p.off))
	})
	ps, rank = make([]place, len(all)), make([]uint32, len(s.index.slots))
	for i, e := range all {
		ps[i], rank[e.slot] = e.p, uint32(i)
	}
	return ps, rank
}

// ids returns the id of every result, in no order.
func (s *shelf) ids() []string {
	out := make([]string, 0, s.index.len())
	s.index.all(func(p place) bool { out = append(out, s.idAt(p)); return true })
	return out
}

// idOf returns the id of the result with the key.
func (s *shelf) idOf(key uint64) string {
	p, _ := s.index.get(key)
	return s.idAt(p)
}
