package audit

import (
	"bytes"
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

	wmu    sync.Mutex  // one write at a time: Append's batches and AppendAt
	hashes []tlog.Hash // the writer's, reused: the hashes of its last batch
	// The frontier of the tree after the last append this log knows
	// landed, and the one the append under way would leave: an append at
	// that size hashes without reading the store.
	front, next frontierCache
}

// A frontierCache holds the stored hashes of a tree's frontier: the roots
// of the complete subtrees a tree of size records is made of.
type frontierCache struct {
	size   int64
	edge   []int64
	hashes []tlog.Hash
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

// ErrUnknownOutcome: an append failed in a way that leaves open whether
// its records were written (the connection dropped after the store was
// asked to commit, say), and the log could not find out by reading the
// store back. The records may be in the log or not, and may still land:
// re-read the log (its Store's Size and Records) before appending them
// again, or they may be there twice. A Store whose Append returns before
// it knows that a failed append can no longer land says so with an error
// matching it.
var ErrUnknownOutcome = errors.New("outcome of the append unknown")

// Append appends records in order, setting their positions, and returns the
// position of the first.
//
// Appends from several goroutines through one Log are committed together
// (group commit): while one batch is being written, the records of the
// appends that arrive meanwhile queue up, and the next write takes them all
// as one batch, so that a durable store syncs once for all of them.
//
// One caller's context does not fail the others' appends. An append whose
// context is done before its records go out returns the context's error,
// and its records are not written. Once a batch is being written, each of
// its appends waits for the batch's outcome, whatever happens to its own
// context meanwhile: the write runs under a context that carries the
// leading append's values but none of its cancellation, and it is
// cancelled only when every append in the batch has given up (so that a
// batch no one waits for any more does not hold the store). What bounds
// the wait is then the store's own timeouts (a database connection's, a
// disk's), or, when every caller has one, the latest of the batch's
// deadlines.
//
// When another writer (another Log on the same store) appended meanwhile, it
// retries on the new size, for as long as the log grows between tries (each
// conflict is then another writer's progress) and the context is not done;
// a conflict at a size that did not grow is returned as the *ConflictError.
//
// When the store fails in another way, the append may have been written
// even so (a database that committed and then lost the connection before
// it could say so). The log then reads the store back before it answers:
// if the records it sent are there, at the positions it sent them to (their
// leaves are compared, and their random salts make them unique), the append
// succeeded; if the log did not grow, it failed, and may be tried again. If
// it cannot tell, the error matches ErrUnknownOutcome. It never appends the
// same records twice on its own.
func (l *Log) Append(ctx context.Context, records ...Record) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("audit: appending %d records: %w", len(records), err)
	}
	p := &pending{ctx: ctx, records: records, done: make(chan struct{})}
	l.gmu.Lock()
	l.queue = append(l.queue, p)
	if l.writing {
		l.gmu.Unlock()
		select {
		case <-p.done:
		case <-ctx.Done():
			// Withdraw, unless the records already went out with a batch.
			l.gmu.Lock()
			if i := slices.Index(l.queue, p); i >= 0 {
				l.queue = slices.Delete(l.queue, i, i+1)
				l.gmu.Unlock()
				return 0, fmt.Errorf("audit: appending %d records: %w", len(records), ctx.Err())
			}
			l.gmu.Unlock()
			<-p.done
		}
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
	values := ctx
	if ctx.Done() != nil { // one that cannot be cancelled needs no wrapping (nor its allocation)
		values = context.WithoutCancel(ctx)
	}
	for len(l.queue) > 0 {
		batch := l.queue
		l.queue = nil
		l.gmu.Unlock()
		l.write(values, batch)
		l.gmu.Lock()
	}
	l.writing = false
	l.gmu.Unlock()
	return p.first, p.err
}

// AppendAt appends records in order at positions size, size+1, … when the
// log holds exactly size records, and otherwise writes nothing and returns
// a *ConflictError (matching ErrConflict). It is the append of a writer
// that decided what to append on the log as it stood at size, and must
// decide again when another writer appended first: it neither retries nor
// joins other appends (the caller groups its own).
//
// When the store fails in another way, AppendAt finds out whether the
// records landed, as Append does: nil if they did, the store's error if
// they did not, an error matching ErrUnknownOutcome if it cannot tell.
func (l *Log) AppendAt(ctx context.Context, size int64, records ...Record) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("audit: appending %d records at %d: %w", len(records), size, err)
	}
	l.wmu.Lock()
	defer l.wmu.Unlock()
	return l.appendAt(ctx, size, records)
}

// appendAt appends records at size, under wmu.
func (l *Log) appendAt(ctx context.Context, size int64, records []Record) error {
	hashes, err := l.hash(ctx, size, records)
	if err != nil {
		return err
	}
	err = l.store.Append(ctx, size, records, hashes)
	switch {
	case err == nil:
	case errors.Is(err, ErrConflict) && !errors.Is(err, ErrUnknownOutcome):
		return err
	default:
		if err = l.settle(ctx, size, records, err); err != nil {
			return err
		}
	}
	l.front, l.next = l.next, l.front
	return nil
}

// A pending append waits for the batch it goes out with.
type pending struct {
	ctx     context.Context // the caller's
	records []Record
	first   int64
	err     error
	done    chan struct{}
}

// write appends the records of the pending appends as one batch and tells
// each where its records went. Those whose context is done by now are
// told so and left out. The batch is written under values' values, and
// cancelled only once every append in it has given up.
func (l *Log) write(values context.Context, batch []*pending) {
	kept := batch[:0]
	for _, p := range batch {
		if err := p.ctx.Err(); err != nil {
			p.err = fmt.Errorf("audit: appending %d records: %w", len(p.records), err)
			close(p.done)
			continue
		}
		kept = append(kept, p)
	}
	if batch = kept; len(batch) == 0 {
		return
	}
	ctx := values
	if cancellable(batch) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(values)
		defer cancel()
		left := int64(len(batch))
		var mu sync.Mutex
		for _, p := range batch {
			stop := context.AfterFunc(p.ctx, func() {
				mu.Lock()
				defer mu.Unlock()
				if left--; left == 0 {
					cancel()
				}
			})
			defer stop()
		}
	}
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
		if p.err = err; err == nil {
			p.first = first + int64(at)
		}
		if len(batch) > 1 {
			copy(p.records, all[at:at+len(p.records)]) // their positions
		}
		at += len(p.records)
		close(p.done)
	}
}

// cancellable reports whether every append in the batch may give up: only
// then is there a moment when no one waits for the batch.
func cancellable(batch []*pending) bool {
	for _, p := range batch {
		if p.ctx.Done() == nil {
			return false
		}
	}
	return true
}

// appendBatch appends one batch at the store's size, retrying while the log
// grows. It tries again only after a conflict, which wrote nothing; after
// any other failure of the store it finds out what became of the append
// (see settle) and says so.
func (l *Log) appendBatch(ctx context.Context, records []Record) (int64, error) {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	last := int64(-1)
	for {
		size, err := l.store.Size(ctx)
		if err != nil {
			return 0, err
		}
		err = l.appendAt(ctx, size, records)
		switch {
		case err == nil:
			return size, nil
		case errors.Is(err, ErrUnknownOutcome) || !errors.Is(err, ErrConflict):
			return size, err
		case size <= last || ctx.Err() != nil:
			return size, err
		}
		last = size
	}
}

// settle finds out whether an append at size that failed with err, other
// than by a conflict, wrote its records, and returns nil if it did, err if
// it did not, and an error matching ErrUnknownOutcome if it cannot tell.
//
// Stores append all or nothing, and only at the size they are told: once
// the log holds more than size records, the append wrote its records
// exactly when they are the ones at [size, size+n), and can no longer
// write them if they are not. A log still at size did not take them,
// unless the store said it could not tell (an error matching
// ErrUnknownOutcome): they may then still land.
func (l *Log) settle(ctx context.Context, size int64, records []Record, err error) error {
	n := int64(len(records))
	unknown := func(why string, cause error) error {
		if errors.Is(err, ErrUnknownOutcome) { // the store said so already
			return fmt.Errorf("audit: appending records [%d, %d): %w; %s: %w", size, size+n, err, why, cause)
		}
		return fmt.Errorf("audit: appending records [%d, %d): %w: %w; %s: %w", size, size+n, ErrUnknownOutcome, err, why, cause)
	}
	now, serr := l.store.Size(ctx)
	switch {
	case serr != nil:
		return unknown("reading the size back", serr)
	case now == size && errors.Is(err, ErrUnknownOutcome):
		return err
	case now < size+n:
		return err // not written: another writer's records, or none, are at size
	}
	stored, rerr := l.store.Records(ctx, size, size+n)
	if rerr != nil {
		return unknown("reading the records back", rerr)
	}
	if int64(len(stored)) != n {
		return unknown("reading the records back", fmt.Errorf("%d records instead of %d", len(stored), n))
	}
	var a, b []byte
	for i := range stored {
		a, b = stored[i].AppendLeaf(a[:0]), records[i].AppendLeaf(b[:0])
		if !bytes.Equal(a, b) {
			return err // another writer's records are at size: ours cannot land any more
		}
	}
	return nil
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
	edge, known := l.front.edge, l.front.hashes
	if l.front.size != size || edge == nil {
		edge, known = frontier(size), nil
		if len(edge) > 0 {
			var err error
			if known, err = l.store.ReadHashes(ctx, edge); err != nil {
				return nil, err
			}
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
	l.remember(size+int64(len(records)), base, edge, known, added)
	return added, nil
}

// remember keeps, as the frontier an append now under way would leave, the
// frontier of a tree of size records: hashes the append adds (stored from
// base on) or roots of the frontier before it.
func (l *Log) remember(size, base int64, edge []int64, known, added []tlog.Hash) {
	next := &l.next
	next.size, next.edge = size, frontier(size)
	next.hashes = slices.Grow(next.hashes[:0], len(next.edge))[:len(next.edge)]
	for i, x := range next.edge {
		if x >= base {
			next.hashes[i] = added[x-base]
		} else if j := slices.Index(edge, x); j >= 0 {
			next.hashes[i] = known[j]
		} else { // cannot be: a frontier's roots left of size are the old frontier's
			next.size, next.edge = -1, nil
			return
		}
	}
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
