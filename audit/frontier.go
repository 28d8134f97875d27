package audit

import "golang.org/x/mod/sumdb/tlog"

// frontier returns the storage indexes of the hashes of the complete
// subtrees that a tree of n records is made of, one for each bit set in n:
// its root is made of them, and hashing the records after the n reads no
// other hash of the n (the carries of a binary counter).
func frontier(n int64) []int64 {
	var xs []int64
	for level := 0; n>>level > 0; level++ {
		if (n>>level)&1 == 1 {
			xs = append(xs, tlog.StoredHashIndex(level, (n>>level)-1))
		}
	}
	return xs
}
