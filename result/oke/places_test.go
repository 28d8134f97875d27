package oke

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The table holds what a Go map holds, through its growth, with keys
// that share their low bits (long probe runs) and keys at random.
func TestPlacesIsAMap(t *testing.T) {
	for name, key := range map[string]func(r *rand.Rand, i int) uint64{
		"random":       func(r *rand.Rand, i int) uint64 { return r.Uint64() },
		"few":          func(r *rand.Rand, i int) uint64 { return uint64(r.IntN(500)) },
		"low bits":     func(r *rand.Rand, i int) uint64 { return uint64(i) << 20 },
		"zero and top": func(r *rand.Rand, i int) uint64 { return []uint64{0, 1 << 63, 1<<63 + 1, ^uint64(0)}[i%4] },
	} {
		r := rand.New(rand.NewPCG(1, 2))
		var tab places
		want := map[uint64]place{}
		_, ok := tab.get(7)
		require.False(t, ok, "%s: the zero table holds a key", name)
		for i := range 20000 {
			k := key(r, i)
			p := place{chunk: uint32(i), off: r.Uint32(), n: uint32(i % 7), room: 1 + uint32(i%9)}
			tab.set(k, p)
			want[k] = p
			if i%97 == 0 {
				_, ok := tab.get(r.Uint64() | 1<<62)
				_, in := want[r.Uint64()|1<<62]
				require.Equal(t, in, ok)
			}
		}
		require.Equal(t, len(want), tab.len(), name)
		for k, p := range want {
			got, ok := tab.get(k)
			require.True(t, ok, "%s: key %x lost", name, k)
			require.Equal(t, p, got, name)
		}
		seen := 0
		tab.all(func(place) bool { seen++; return true })
		require.Equal(t, len(want), seen, name)
		require.LessOrEqual(t, 4*tab.len(), 3*len(tab.slots), name)
	}
}

// Looking a key up in the table against a Go map of a million keys, in
// the same run: the shelf's lookups.
func BenchmarkPlaces(b *testing.B) {
	const n = 1 << 20
	r := rand.New(rand.NewPCG(3, 4))
	keys := make([]uint64, n)
	var tab places
	m := map[uint64]place{}
	for i := range keys {
		keys[i] = r.Uint64() &^ clashKeys
		p := place{chunk: uint32(i), room: 1}
		tab.set(keys[i], p)
		m[keys[i]] = p
	}
	b.Run("table", func(b *testing.B) {
		var sum uint32
		for i := range b.N {
			p, _ := tab.get(keys[(i*7919)%n])
			sum += p.chunk
		}
		_ = sum
	})
	b.Run("map", func(b *testing.B) {
		var sum uint32
		for i := range b.N {
			sum += m[keys[(i*7919)%n]].chunk
		}
		_ = sum
	})
}
