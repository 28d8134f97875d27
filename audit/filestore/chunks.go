package filestore

// chunks is a slice kept in chunks of at most chunkSize, so that growing
// it copies at most one chunk: a store's index of millions of records
// would otherwise be copied, and briefly held twice, each time it doubled.
// Only the last chunk grows; a pointer from at stays valid until the next
// push.
type chunks[T any] struct {
	n    int
	list [][]T
}

const chunkSize = 1 << 14

func (c *chunks[T]) len() int { return c.n }

func (c *chunks[T]) at(i int) *T { return &c.list[i/chunkSize][i%chunkSize] }

func (c *chunks[T]) push(vs ...T) {
	for _, v := range vs {
		if c.n%chunkSize == 0 {
			var next []T
			if c.n > 0 { // a store past one chunk fills the next: no growing it
				next = make([]T, 0, chunkSize)
			}
			c.list = append(c.list, next)
		}
		last := &c.list[len(c.list)-1]
		*last = append(*last, v)
		c.n++
	}
}
