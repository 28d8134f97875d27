package audit

import (
	"crypto/sha256"
	"hash"
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"
)

// A treeHasher computes the stored hashes that records add to the tree,
// as tlog.StoredHashes does, without its allocations: tlog makes a digest,
// an index list and a result slice a record, which at four million
// records a year was a fifth of what the log allocated. One is used by
// one goroutine at a time.
type treeHasher struct {
	d   hash.Hash // SHA-256, reset for each leaf
	sum tlog.Hash
}

func newTreeHasher() *treeHasher { return &treeHasher{d: sha256.New()} }

var leafPrefix = []byte{0} // RFC 6962: a leaf's hash is SHA-256(0x00 ‖ leaf)

// leaf returns the record hash of a leaf (tlog.RecordHash).
func (t *treeHasher) leaf(data []byte) tlog.Hash {
	t.d.Reset()
	t.d.Write(leafPrefix)
	t.d.Write(data)
	t.d.Sum(t.sum[:0])
	return t.sum
}

// appendStored appends to dst the stored hashes that record n with the
// leaf adds: the leaf's hash, then one for each level the record
// completes (tlog.StoredHashes). older returns a stored hash of the tree
// before record n by its storage index; it is asked only for the hashes
// of the complete subtrees that tree is made of (its frontier), highest
// level last.
func (t *treeHasher) appendStored(dst []tlog.Hash, n int64, data []byte, older func(x int64) (tlog.Hash, error)) ([]tlog.Hash, error) {
	h := t.leaf(data)
	dst = append(dst, h)
	for level := range bits.TrailingZeros64(uint64(n + 1)) {
		left, err := older(tlog.StoredHashIndex(level, n>>level-1))
		if err != nil {
			return dst, err
		}
		h = tlog.NodeHash(left, h)
		dst = append(dst, h)
	}
	return dst, nil
}
