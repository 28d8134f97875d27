package oke

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result"
)

// Results put on a shelf come back, after updates that fit their place
// and updates that outgrow it, also when every id hashes alike.
func TestShelf(t *testing.T) {
	for _, tc := range []struct {
		name string
		hash func(string) uint64
	}{
		{"maphash", nil},
		{"all clash", func(string) uint64 { return 42 }},
		{"pairs clash", func(id string) uint64 { return uint64(len(id)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newShelf()
			if tc.hash != nil {
				s.hash = tc.hash
			}
			var locs locations
			want := map[string]result.Result{}
			keys := map[string]uint64{}
			for round := range 3 {
				for i := range 300 {
					id := fmt.Sprintf("assoc-%d", i)
					r := result.Result{Record: result.Record{ID: id, Student: fmt.Sprint("s", i)}, Version: round + 1}
					if round == 2 && i%3 == 0 { // outgrows its place
						r.Policy = fmt.Sprintf("%0200d", i)
					}
					key, added := s.put(id, pack(nil, &r, &locs))
					assert.Equal(t, round == 0, added, id)
					if round > 0 {
						assert.Equal(t, keys[id], key, "a result keeps its key")
					}
					keys[id], want[id] = key, r
				}
			}
			for id, r := range want {
				b, ok := s.get(id)
				require.True(t, ok, id)
				back, err := unpack(b, &locs)
				require.NoError(t, err)
				assert.Equal(t, r, back)
				assert.Equal(t, id, s.idOf(keys[id]))
			}
			_, ok := s.get("assoc-300")
			assert.False(t, ok, "an id never put")
			ids := s.ids()
			slices.Sort(ids)
			assert.Len(t, ids, 300)
			assert.Equal(t, "assoc-0", ids[0])
		})
	}
}

// Results placed loose and adopted are found as put ones are, also when
// their ids' hashes clash; an id placed twice is told.
func TestShelfAdopt(t *testing.T) {
	for name, hash := range map[string]func(string) uint64{
		"maphash":     nil,
		"all clash":   func(string) uint64 { return 42 },
		"pairs clash": func(id string) uint64 { return uint64(len(id)) },
	} {
		s := newShelf()
		if hash != nil {
			s.hash = hash
		}
		var locs locations
		var placed []loose
		for i := range 300 {
			id := fmt.Sprintf("assoc-%d", i)
			r := result.Result{Record: result.Record{ID: id}}
			placed = append(placed, newLoose(&s, id, pack(nil, &r, &locs), i))
		}
		keys := make([]uint64, len(placed))
		twice, ok := s.adopt(placed, keys)
		require.True(t, ok, "%s: %s twice", name, twice)
		for i := range 300 {
			id := fmt.Sprintf("assoc-%d", i)
			b, ok := s.get(id)
			require.True(t, ok, "%s: %s", name, id)
			back, err := unpack(b, &locs)
			require.NoError(t, err)
			assert.Equal(t, id, back.ID)
			assert.Equal(t, id, s.idOf(keys[i]), name)
		}

		s = newShelf()
		if hash != nil {
			s.hash = hash
		}
		r := result.Result{Record: result.Record{ID: "x"}}
		b := pack(nil, &r, &locs)
		twice, ok = s.adopt([]loose{newLoose(&s, "x", b, 0), newLoose(&s, "x", b, 1)}, make([]uint64, 2))
		assert.False(t, ok, name)
		assert.Equal(t, "x", twice, name)
	}
}

func newLoose(s *shelf, id string, packed []byte, at int) loose {
	return loose{hash: s.hash(id), p: s.place(packed), at: uint32(at)}
}
