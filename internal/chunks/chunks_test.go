package chunks_test

import (
	"fmt"
	"testing"

	"github.com/krs-oke/vaststelling/internal/chunks"
)

func TestGrowsWithoutCopying(t *testing.T) {
	var c chunks.Slice[int]
	for i := range 3*chunks.Size + 5 {
		c.Push(i)
	}
	first := c.At(0)
	c.Push(1, 2, 3)
	if c.Len() != 3*chunks.Size+8 || c.At(0) != first || *c.At(chunks.Size + 7) != chunks.Size+7 || *c.At(c.Len() - 1) != 3 {
		t.Fatalf("len %d, first moved %v, values %d %d", c.Len(), c.At(0) != first, *c.At(chunks.Size + 7), *c.At(c.Len() - 1))
	}
	clipped := c.Clip()
	clipped.Push(99)
	c.Push(7)
	if *clipped.At(c.Len() - 1) != 99 || *c.At(c.Len() - 1) != 7 {
		t.Fatal("a clipped copy pushes into memory of its own")
	}
	cloned := c.Clone()
	*cloned.At(0) = -1
	if *c.At(0) != 0 {
		t.Fatal("a clone shares nothing")
	}
}

func ExampleSlice() {
	var hashes chunks.Slice[[32]byte]
	hashes.Push([32]byte{1}, [32]byte{2})
	*hashes.At(1) = [32]byte{7}
	fmt.Println(hashes.Len(), hashes.At(0)[0], hashes.At(1)[0])
	// Output: 2 1 7
}
