package audit

import (
	"context"
	"encoding/base64"
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
// leaf, every payload against its commitment (or reports it erased), every
// stored hash against the tree recomputed from the leaves, and, when a
// checkpoint is given, that the log's tree at the checkpoint's size has the
// checkpoint's root. The first failure is a *VerifyError naming the record.
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
	mine := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		var missing []int64
		for i, x := range indexes {
			h, ok := known[x]
			if x >= first && x < first+int64(len(batch)) {
				h, ok = batch[x-first], true
			}
			if !ok {
				missing = append(missing, x)
			}
			out[i] = h
		}
		if len(missing) > 0 {
			stored, err := s.ReadHashes(ctx, missing)
			if err != nil {
				return nil, err
			}
			for i, x := range indexes {
				if len(stored) > 0 && x == missing[0] {
					out[i], stored, missing = stored[0], stored[1:], missing[1:]
				}
			}
		}
		return out, nil
	})
	for from := int64(0); from < size; from += verifyBatch {
		to := min(from+verifyBatch, size)
		records, err := s.Records(ctx, from, to)
		if err != nil {
			return rep, &VerifyError{Index: from, Problem: "unreadable", Err: err}
		}
		first, batch = tlog.StoredHashCount(from), batch[:0]
		var leaf []byte
		for i := range records {
			r := &records[i]
			n := from + int64(i)
			if r.Index != n {
				return rep, &VerifyError{Index: n, Problem: fmt.Sprintf("holds the record of position %d", r.Index)}
			}
			switch {
			case r.Erased():
				rep.Erased = append(rep.Erased, n)
			case r.Salt == nil || r.Payload == nil:
				return rep, &VerifyError{Index: n, Problem: "payload half erased"}
			case Commit(r.Salt, r.Payload) != r.Commitment:
				return rep, &VerifyError{Index: n, Problem: "payload does not match its commitment"}
			}
			leaf = r.AppendLeaf(leaf[:0])
			h, err := tlog.StoredHashes(n, leaf, mine)
			if err != nil {
				return rep, &VerifyError{Index: n, Problem: "cannot hash", Err: err}
			}
			batch = append(batch, h...)
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
	if rep.Root, err = tlog.TreeHash(size, mine); err != nil {
		return rep, &VerifyError{Index: -1, Problem: "cannot compute the tree hash", Err: err}
	}
	if against != nil {
		root := rep.Root
		if against.Size != size {
			if root, err = tlog.TreeHash(against.Size, mine); err != nil {
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
