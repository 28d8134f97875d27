package oke

// places maps a shelf's keys to places: open addressing with linear
// probing in one flat table, kept at most three quarters full. A lookup
// that misses the processor's caches costs one miss here, where a Go map
// of a million entries costs three (its directory, its group's control
// word, the slot): the shelf's lookups were a tenth of an institution-
// year's run (BenchmarkInstitutionYear). Entries are never removed. The
// zero value is an empty table.
type places struct {
	slots []slot // a power of two of them, or none
	n     int
}

// A slot holds a key and its place; a place always has room, so a slot
// whose place has none is free.
type slot struct {
	key uint64
	p   place
}

// get returns the key's place, and whether the table holds the key.
func (t *places) get(key uint64) (place, bool) {
	if t.n == 0 {
		return place{}, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.p.room == 0 {
			return place{}, false
		}
		if s.key == key {
			return s.p, true
		}
	}
}

// has reports whether the table holds the key.
func (t *places) has(key uint64) bool {
	_, ok := t.get(key)
	return ok
}

// slot returns the index of the key's slot in the table, or -1 when the
// table does not hold the key. It holds until the table grows.
func (t *places) slot(key uint64) int {
	if t.n == 0 {
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.p.room == 0 {
			return -1
		}
		if s.key == key {
			return int(i)
		}
	}
}

// set sets the key's place, which must have room.
func (t *places) set(key uint64, p place) {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	if t.insert(key, p) {
		t.n++
	}
}

// insert sets the key's place and reports whether the key is new.
func (t *places) insert(key uint64, p place) bool {
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.p.room == 0 {
			*s = slot{key, p}
			return true
		}
		if s.key == key {
			s.p = p
			return false
		}
	}
}

// reserve makes the table large enough for n keys in all, so that
// setting them does not grow it.
func (t *places) reserve(n int) {
	size := max(len(t.slots), 1024)
	for 4*(n+1) > 3*size {
		size *= 2
	}
	if size > len(t.slots) {
		t.resize(size)
	}
}

// grow doubles the table (from 1024 slots) and places every entry anew.
func (t *places) grow() { t.resize(max(2*len(t.slots), 1024)) }

// resize makes the table size slots, a power of two, and places every
// entry anew.
func (t *places) resize(size int) {
	old := t.slots
	t.slots = make([]slot, size)
	for _, s := range old {
		if s.p.room != 0 {
			t.insert(s.key, s.p)
		}
	}
}

// len returns the number of keys.
func (t *places) len() int { return t.n }

// all calls yield with every place, in no order, until it returns false.
func (t *places) all(yield func(place) bool) {
	for _, s := range t.slots {
		if s.p.room != 0 && !yield(s.p) {
			return
		}
	}
}
