package filestore

import (
	"slices"
	"testing"
)

// clip returns a copy that shares what c holds but pushes into memory of
// its own, as slices.Clip does for a slice.
func (c chunks[T]) clip() chunks[T] {
	c.list = slices.Clone(c.list)
	if n := len(c.list); n > 0 {
		c.list[n-1] = slices.Clip(c.list[n-1])
	}
	return c
}

// clone returns a copy that shares nothing with c.
func (c chunks[T]) clone() chunks[T] {
	c.list = slices.Clone(c.list)
	for i := range c.list {
		c.list[i] = slices.Clone(c.list[i])
	}
	return c
}

func TestChunksGrowWithoutCopying(t *testing.T) {
	var c chunks[int]
	for i := range 3*chunkSize + 5 {
		c.push(i)
	}
	first := c.at(0)
	c.push(1, 2, 3)
	if c.len() != 3*chunkSize+8 || c.at(0) != first || *c.at(chunkSize + 7) != chunkSize+7 || *c.at(c.len() - 1) != 3 {
		t.Fatalf("len %d, first moved %v, values %d %d", c.len(), c.at(0) != first, *c.at(chunkSize + 7), *c.at(c.len() - 1))
	}
	clipped := c.clip()
	clipped.push(99)
	c.push(7)
	if *clipped.at(c.len() - 1) != 99 || *c.at(c.len() - 1) != 7 {
		t.Fatal("a clipped copy pushes into memory of its own")
	}
	cloned := c.clone()
	*cloned.at(0) = -1
	if *c.at(0) != 0 {
		t.Fatal("a clone shares nothing")
	}
}
