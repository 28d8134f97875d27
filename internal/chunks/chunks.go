// Package chunks is a slice kept in chunks, for the audit stores' indexes
// of millions of records: growing it copies at most one chunk, where a
// slice that doubles copies everything it holds and briefly holds it twice.
package chunks

import "slices"

// Size is the most elements a chunk holds.
const Size = 1 << 14

// A Slice is a growable list of T in chunks of Size. Only the last chunk
// grows, and it grows as a slice does, so that a small Slice stays small;
// a pointer from At stays valid until the next Push. The zero Slice is
// empty and ready to use. A Slice is not safe for concurrent use.
type Slice[T any] struct {
	n    int
	list [][]T
}

// Len returns the number of elements.
func (c *Slice[T]) Len() int { return c.n }

// At returns a pointer to the element at index i, which must be in [0, Len()).
func (c *Slice[T]) At(i int) *T { return &c.list[i/Size][i%Size] }

// Push appends the values.
func (c *Slice[T]) Push(vs ...T) {
	for _, v := range vs {
		if c.n%Size == 0 {
			var next []T
			if c.n > 0 { // past one chunk, the next is filled: no growing it
				next = make([]T, 0, Size)
			}
			c.list = append(c.list, next)
		}
		last := &c.list[len(c.list)-1]
		*last = append(*last, v)
		c.n++
	}
}

// Clip returns a Slice that shares the elements of c but pushes into
// memory of its own, as slices.Clip does for a slice: neither sees what
// the other pushes. Changing a shared element in place shows in both.
func (c *Slice[T]) Clip() Slice[T] {
	d := Slice[T]{n: c.n, list: slices.Clone(c.list)}
	if last := len(d.list) - 1; last >= 0 {
		d.list[last] = slices.Clip(d.list[last])
	}
	return d
}

// Clone returns a Slice that shares nothing with c.
func (c *Slice[T]) Clone() Slice[T] {
	d := Slice[T]{n: c.n, list: slices.Clone(c.list)}
	for i := range d.list {
		d.list[i] = slices.Clone(d.list[i])
	}
	return d
}
