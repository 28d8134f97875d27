package audit

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/result"
)

// A Log is an append-only, tamper-evident trail of events: a Merkle tree
// in the manner of RFC 6962 (golang.org/x/mod/sumdb/tlog) over the records'
// leaves, kept in a Store. It is safe for concurrent use; several Logs may
// write one store, and an append that loses the race to another writer is
// retried on the new size.
type Log struct {
	store Store

	mu   sync.Mutex
	rand io.Reader // salts

	gmu     sync.Mutex // guards the group commit's queue
	queue   []*pending
	writing bool
	hashes  []tlog.Hash // the writer's, reused: the hashes of its last batch
}

// NewLog returns the log kept in the store. Salts come from a ChaCha8
// generator seeded from crypto/rand.
func NewLog(store Store) (*Log, error) {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, fmt.Errorf("audit: seeding salts: %w", err)
	}
	return &Log{store: store, rand: rand.NewChaCha8(seed)}, nil
}

// Store returns the log's store.
func (l *Log) Store() Store { return l.store }

// AppendEvents turns events into records (see NewRecord) and appends them
// in order; it returns the position of the first.
func (l *Log) AppendEvents(ctx context.Context, events ...result.Event) (int64, error) {
	// The records and their salts and payloads are the log's own until
	// the store has them (a store keeps no slice it is given), so the
	// next append reuses them: a year's deliveries made gigabytes of them.
	w := workspaces.Get().(*workspace)
	defer workspaces.Put(w)
	records := slices.Grow(w.records[:0], len(events))[:len(events)]
	defer func() {
		clear(records)
		if w.records = records[:0]; cap(records) > 1<<16 { // not what an append larger than most made large
			w.records = nil
		}
	}()
	buf := w.buf[:0]
	l.mu.Lock()
	for i, e := range events {
		if cap(buf)-len(buf) < saltSize+1024 { // a new buffer; the old one stays with its records
			buf = make([]byte, 0, min(max(16<<10, (len(events)-i)*(saltSize+480)), 4<<20))
		}
		var err error
		if records[i], buf, err = newRecord(e, l.rand, buf); err != nil {
			l.mu.Unlock()
			return 0, err
		}
	}
	l.mu.Unlock()
	w.buf = buf[:0]
	return l.Append(ctx, records...)
}

// A workspace holds what an append of events makes and no longer needs
// once the store has its records.
type workspace struct {
	records []Record
	buf     []byte
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// Append appends records in order, setting their positions, and returns the
// position of the first.
//
// Appends from several goroutines through one Log are committed together
// (group commit): while one batch is being written, the records of the
// appends that arrive meanwhile queue up, and the next write takes them all
// as one batch, so that a durable store syncs once for all of them. The
// write uses the context of the append that leads it.
//
// When another writer (another Log on the same store) appended meanwhile, it
// retries on the new size, for as long as the log grows between tries (each
// conflict is then another writer's progress) and the context is not done;
// a conflict at a size that did not grow is returned as the *ConflictError.
func (l *Log) Append(ctx context.Context, records ...Record) (int64, error) {
	p := &pending{records: records, done: make(chan struct{})}
	l.gmu.Lock()
	l.queue = append(l.queue, p)
	if l.writing {
		l.gmu.Unlock()
		<-p.done
		return p.first, p.err
	}
	l.writing = true
	// The leader first lets the appends that are ready to run join its
	// batch: with few processors they would otherwise run only once it
	// waits for the disk, too late, and each go out with a sync of its
	// own (a year's 25,000 commands from 32 people took 10,000 appends;
	// BenchmarkInstitutionYear).
	l.gmu.Unlock()
	runtime.Gosched()
	l.gmu.Lock()
	for len(l.queue) > 0 {
		batch := l.queue
		l.queue = nil
		l.gmu.Unlock()
		l.write(ctx, batch)
		l.gmu.Lock()
	}
	l.writing = false
	l.gmu.Unlock()
	return p.first, p.err
}

// A pending append waits for the batch it goes out with.
type pending struct {
	records []Record
	first   int64
	err     error
	done    chan struct{}
}

// write appends the records of the pending appends as one batch and tells
// each where its records went.
func (l *Log) write(ctx context.Context, batch []*pending) {
	all := batch[0].records
	if len(batch) > 1 {
		all = nil
		for _, p := range batch {
			all = append(all, p.records...)
		}
	}
	first, err := l.appendBatch(ctx, all)
	at := 0
	for _, p := range batch {
		p.first, p.err = first+int64(at), err
		if len(batch) > 1 {
			copy(p.records, all[at:at+len(p.records)]) // their positions
		}
		at += len(p.records)
		close(p.done)
	}
}

// appendBatch appends one batch at the store's size, retrying while the log grows.
func (l *Log) appendBatch(ctx context.Context, records []Record) (int64, error) {
	last := int64(-1)
	for {
		size, err := l.store.Size(ctx)
		if err != nil {
			return 0, err
		}
		hashes, err := l.hash(ctx, size, records)
		if err != nil {
			return 0, err
		}
		err = l.store.Append(ctx, size, records, hashes)
		if err == nil || !errors.Is(err, ErrConflict) || size <= last || ctx.Err() != nil {
			return size, err
		}
		last = size
	}
}

// hash sets the records' positions from size on and returns the stored
// hashes they add. Hashing them reads only the hashes of the complete
// subtrees the tree of size records is made of (its frontier): those it
// reads from the store at once, so that a batch costs the store one read.
func (l *Log) hash(ctx context.Context, size int64, records []Record) ([]tlog.Hash, error) {
	base := tlog.StoredHashCount(size)
	added := slices.Grow(l.hashes[:0], int(tlog.StoredHashCount(size+int64(len(records)))-base))
	defer func() { // the store keeps none of them
		if l.hashes = added[:0]; cap(added) > 1<<17 {
			l.hashes = nil // not what a batch larger than most made large
		}
	}()
	edge := frontier(size)
	var known []tlog.Hash
	if len(edge) > 0 {
		var err error
		if known, err = l.store.ReadHashes(ctx, edge); err != nil {
			return nil, err
		}
	}
	older := func(x int64) (tlog.Hash, error) {
		if x >= base {
			return added[x-base], nil
		}
		if j := slices.Index(edge, x); j >= 0 {
			return known[j], nil
		}
		h, err := l.store.ReadHashes(ctx, []int64{x}) // not the frontier after all: ask the store
		if err != nil {
			return tlog.Hash{}, err
		}
		return h[0], nil
	}
	th := newTreeHasher()
	leaf := make([]byte, 0, 512) // reused: the hasher keeps no reference to it
	for i := range records {
		records[i].Index = size + int64(i)
		leaf = records[i].AppendLeaf(leaf[:0])
		var err error
		if added, err = th.appendStored(added, records[i].Index, leaf, older); err != nil {
			return nil, fmt.Errorf("audit: hashing record %d: %w", records[i].Index, err)
		}
	}
	return added, nil
}

// reader reads the store's hashes for tlog.
func (l *Log) reader(ctx context.Context) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) { return l.store.ReadHashes(ctx, indexes) })
}

// Root returns the tree hash of the log's first size records.
func (l *Log) Root(ctx context.Context, size int64) (tlog.Hash, error) {
	if err := l.within(ctx, size); err != nil {
		return tlog.Hash{}, err
	}
	h, err := tlog.TreeHash(size, l.reader(ctx))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("audit: tree hash at %d: %w", size, err)
	}
	return h, nil
}

// ProveInclusion proves that the record at index is in the tree of the
// first size records.
func (l *Log) ProveInclusion(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	if err := l.within(ctx, size); err != nil {
		return nil, err
	}
	p, err := tlog.ProveRecord(size, index, l.reader(ctx))
	if err != nil {
		return nil, &ProofError{Op: "inclusion", Err: err}
	}
	return p, nil
}

// ProveConsistency proves that the tree of the first old records is a
// prefix of the tree of the first size records.
func (l *Log) ProveConsistency(ctx context.Context, old, size int64) (tlog.TreeProof, error) {
	if err := l.within(ctx, size); err != nil {
		return nil, err
	}
	p, err := tlog.ProveTree(size, old, l.reader(ctx))
	if err != nil {
		return nil, &ProofError{Op: "consistency", Err: err}
	}
	return p, nil
}

// CheckInclusion checks a proof that the record is in the checkpoint's tree.
func CheckInclusion(p tlog.RecordProof, c Checkpoint, r *Record) error {
	if err := tlog.CheckRecord(p, c.Size, c.Root, r.Index, tlog.RecordHash(r.Leaf())); err != nil {
		return &ProofError{Op: "inclusion", Err: err}
	}
	return nil
}

// CheckConsistency checks a proof that the older checkpoint's tree is a
// prefix of the newer's.
func CheckConsistency(p tlog.TreeProof, older, newer Checkpoint) error {
	if err := tlog.CheckTree(p, newer.Size, newer.Root, older.Size, older.Root); err != nil {
		return &ProofError{Op: "consistency", Err: err}
	}
	return nil
}

// Erase erases the payload of the record at index (AVG): who acted, why,
// and the event's data. The record's header and the tree stay, so the log
// still verifies, and reports the record as erased.
func (l *Log) Erase(ctx context.Context, index int64) error { return l.store.Erase(ctx, index) }

func (l *Log) within(ctx context.Context, size int64) error {
	n, err := l.store.Size(ctx)
	if err != nil {
		return err
	}
	if size < 0 || size > n {
		return fmt.Errorf("audit: size %d of a log of %d: %w", size, n, ErrRange)
	}
	return nil
}
