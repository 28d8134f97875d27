// Package stripe serialises work on one key at a time without a lock a
// key: a key picks one of a fixed set of mutexes. A year of results would
// otherwise leave a million mutexes behind; with stripes two keys may
// briefly wait for each other, and one key never runs twice at once.
package stripe

import (
	"hash/maphash"
	"sync"
)

var seed = maphash.MakeSeed()

// Locks is the set of mutexes. The zero Locks is ready to use; it must not
// be copied after first use.
type Locks struct {
	mu [64]sync.Mutex
}

// Lock locks the key's stripe and returns it, for the caller to unlock
// (defer locks.Lock(key).Unlock()): a mutex, not an unlock function,
// which would be an allocation a call. A caller holds one stripe at a
// time: two, taken in any order, may deadlock.
func (l *Locks) Lock(key string) *sync.Mutex {
	m := &l.mu[maphash.String(seed, key)%uint64(len(l.mu))]
	m.Lock()
	return m
}
