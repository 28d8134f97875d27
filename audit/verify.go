package audit

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// A Report is what a full verification found.
type Report struct {
	Size   int64     // records verified
	Root   tlog.Hash // the tree hash of them all, recomputed
	Erased []int64   // positions of records whose payload was erased
}

// String returns "ok N events root <base64>".
func (r Report) String() string {
	return fmt.Sprintf("ok %d events root %s", r.Size, base64.StdEncoding.EncodeToString(r.Root[:]))
}

// verifyBatch is how many records Verify reads at a time.
const verifyBatch = 4096

// Verify checks a whole stored log: every record's position and canonical
// leaf (of a LeafStore, the very bytes it holds), every payload against
// its commitment (or reports it erased), every stored hash against the
// tree recomputed from the leaves, and, when a checkpoint is given, that
// the log's tree at the checkpoint's size has the checkpoint's root. The
// first failure is a *VerifyError naming the record.
func Verify(ctx context.Context, s Store, against *Checkpoint) (Report, error) {
	size, err := s.Size(ctx)
	if err != nil {
		return Report{}, err
	}
	if against != nil && against.Size > size {
		return Report{}, &VerifyError{Index: -1, Problem: fmt.Sprintf("the checkpoint has %d records, the log %d", against.Size, size)}
	}
	rep := Report{Size: size}
	// Hashing a record reads only the hashes of the complete subtrees
	// the tree before it is made of (its frontier). So Verify keeps the
	// batch's recomputed hashes and the frontier, not a second copy of the
	// whole tree; any other hash it reads from the store once that part
	// is verified (the root at an older checkpoint's size).
	var batch []tlog.Hash
	var first int64 // storage index of batch[0]
	known := map[int64]tlog.Hash{}
	// mine is a hash as Verify knows it: recomputed in this batch, on the
	// frontier, or else (only once that part is verified) from the store.
	mine := func(x int64) (tlog.Hash, error) {
		if x >= first && x < first+int64(len(batch)) {
			return batch[x-first], nil
		}
		if h, ok := known[x]; ok {
			return h, nil
		}
		h, err := s.ReadHashes(ctx, []int64{x})
		if err != nil {
			return tlog.Hash{}, err
		}
		return h[0], nil
	}
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			var err error
			if out[i], err = mine(x); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
	th := newTreeHasher()
	leaves, _ := s.(LeafStore)
	var leaf []byte
	for from := int64(0); from < size; from += verifyBatch {
		to := min(from+verifyBatch, size)
		first, batch = tlog.StoredHashCount(from), batch[:0]
		// check checks the record at position n, whose leaf says its
		// index and commitment, and adds its hashes to the batch.
		check := func(n, index int64, commitment [sha256.Size]byte, salt, payload, leaf []byte) error {
			if index != n {
				return &VerifyError{Index: n, Problem: fmt.Sprintf("holds the record of position %d", index)}
			}
			switch {
			case salt == nil && payload == nil:
				rep.Erased = append(rep.Erased, n)
			case salt == nil || payload == nil:
				return &VerifyError{Index: n, Problem: "payload half erased"}
			case Commit(salt, payload) != commitment:
				return &VerifyError{Index: n, Problem: "payload does not match its commitment"}
			}
			var err error
			if batch, err = th.appendStored(batch, n, leaf, mine); err != nil {
				return &VerifyError{Index: n, Problem: "cannot hash", Err: err}
			}
			return nil
		}
		if leaves != nil {
			n := from
			err := leaves.Leaves(ctx, from, to, func(sr StoredRecord) error {
				if n >= to {
					return fmt.Errorf("more than %d records for positions [%d, %d)", to-from, from, to)
				}
				index, commitment, ok := readLeaf(sr.Leaf)
				if !ok { // a rarer form, or not a leaf: read it whole
					r, err := ParseLeaf(sr.Leaf)
					if err != nil {
						return &VerifyError{Index: n, Problem: "unreadable", Err: err}
					}
					index, commitment = r.Index, r.Commitment
				}
				err := check(n, index, commitment, sr.Salt, sr.Payload, sr.Leaf)
				n++
				return err
			})
			if err == nil && n != to {
				err = fmt.Errorf("%d records for positions [%d, %d)", n-from, from, to)
			}
			var ve *VerifyError
			if errors.As(err, &ve) {
				return rep, err
			}
			if err != nil {
				return rep, &VerifyError{Index: from, Problem: "unreadable", Err: err}
			}
		} else {
			records, err := s.Records(ctx, from, to)
			if err == nil && int64(len(records)) != to-from {
				err = fmt.Errorf("%d records for positions [%d, %d)", len(records), from, to)
			}
			if err != nil {
				return rep, &VerifyError{Index: from, Problem: "unreadable", Err: err}
			}
			for i := range records {
				r := &records[i]
				leaf = r.AppendLeaf(leaf[:0])
				if err := check(from+int64(i), r.Index, r.Commitment, r.Salt, r.Payload, leaf); err != nil {
					return rep, err
				}
			}
		}
		indexes := make([]int64, len(batch))
		for i := range indexes {
			indexes[i] = first + int64(i)
		}
		stored, err := s.ReadHashes(ctx, indexes)
		if err != nil {
			return rep, &VerifyError{Index: from, Problem: "stored hashes unreadable", Err: err}
		}
		for i, h := range stored {
			if h != batch[i] {
				return rep, &VerifyError{Index: recordOf(first+int64(i), from, to),
					Problem: "stored hash does not match the record"}
			}
		}
		next := map[int64]tlog.Hash{}
		for _, x := range frontier(to) {
			if x >= first {
				next[x] = batch[x-first]
			} else if h, ok := known[x]; ok {
				next[x] = h
			}
		}
		known = next
	}
	first, batch = 0, nil
	if rep.Root, err = tlog.TreeHash(size, reader); err != nil {
		return rep, &VerifyError{Index: -1, Problem: "cannot compute the tree hash", Err: err}
	}
	if against != nil {
		root := rep.Root
		if against.Size != size {
			if root, err = tlog.TreeHash(against.Size, reader); err != nil {
				return rep, &VerifyError{Index: -1, Problem: "cannot compute the tree hash", Err: err}
			}
		}
		if root != against.Root {
			return rep, &VerifyError{Index: -1, Problem: fmt.Sprintf("the tree of %d records does not have the checkpoint's root", against.Size)}
		}
	}
	return rep, nil
}

// recordOf returns the position in [lo, hi) of the record that added the
// stored hash at storage index x.
func recordOf(x, lo, hi int64) int64 {
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if tlog.StoredHashCount(mid) <= x {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
