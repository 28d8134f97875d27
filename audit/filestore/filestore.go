// Package filestore keeps an audit log (package audit) in files: an
// audit.Store whose records survive the process, whose every byte is
// covered by a checksum, and whose payloads can be erased.
//
// A store is a directory holding two files and three small ones. The log (LogFile) is
// append-only: the records' leaves, exactly as audit.Record.Leaf gives
// them, and the Merkle tree's stored hashes. The payload file
// (PayloadFile), beside it, holds each record's salt and payload; it too
// only grows, except that Erase overwrites a payload in place with zeros,
// because the AVG requires that personal data can be erased while the
// trail keeps verifying. The head file (HeadFile) remembers the log's
// latest size and tree root; the lock file (LockFile) keeps a second
// writer out; the snapshot file (SnapshotFile) holds the snapshot of
// audit.SnapshotStore, when there is one.
//
//	s, err := filestore.Open(dir) // creates the files in an existing, empty directory
//	if err != nil {
//		return err // a torn or corrupt store: see below
//	}
//	defer s.Close()
//	log, err := audit.NewLog(s)
//
// A Store is safe for concurrent use. One Store at a time, in one process,
// may have a directory open for writing: Open takes an exclusive flock(2)
// on the lock file and holds it until Close, and a second Open, in this
// process or another, fails with an error matching ErrLocked. A verifier
// opens the store with OpenReadOnly, which takes no lock and holds up no
// writer: it serves the batches that were complete when it opened.
//
// # Durability
//
// Each Append is one batch, all or nothing. It writes the batch's payload
// frames and its record and hash frames, syncs both files (at once), then
// writes the batch's commit frame and syncs the log again: two rounds of
// fsync per batch, whatever its size, which is most of an Append's time
// (see BenchmarkAppend). Then it writes the head (see below). When Append returns nil the batch is on disk. An
// Append that fails after it began writing cuts both files back; if even
// that fails, the store refuses further writes until it is opened again.
//
// # Concurrency
//
// Writers, Append and Erase, take turns, one at a time, each holding its
// turn while it writes and syncs; readers (Size, Records, ReadHashes) do
// not wait for them, and see a batch once it is on disk. An Append at a
// stale size returns an *audit.ConflictError and writes nothing.
//
// The turns are fair to the writers of audit.Log, which read the size,
// hash their batch and append at that size, retrying a bounded number of
// times when another writer came first. While one batch is synced, the
// writers waiting behind it hold a size it makes stale: all of them lose,
// and only one can win the next round. So a batch that lost keeps its
// place: when it comes back, known by its first record's commitment (which
// audit.Log keeps as it retries), it is served before every writer that
// asked after it first did. Under a plain mutex the writer that just won,
// already running, comes back first and wins again, and in the
// conformance suite's test of eight writers one lost 69 times in a row.
//
// Erase writes an erase mark to the log and syncs it, overwrites the
// payload frame in place (same length, so that every offset stays valid)
// with a blank one, syncs the payload file, then writes an erasure-done
// mark and syncs the log. Open finishes an erasure that a crash
// interrupted. Zeroing in place removes the data from the file; whether the
// old blocks survive elsewhere depends on the file system and the disk
// (copy-on-write file systems, SSD wear levelling, backups).
//
// # Crashes and repair
//
// Open reads both files whole and checks every checksum and the log's
// structure before it serves anything. The commit frame is written only
// once the rest of its batch is on disk, so a crash can leave damage only
// after the last complete batch: a last batch with no commit frame, a
// frame cut short, a bad checksum with no valid commit after it, or
// payloads in the payload file after the last committed batch's. That is a
// torn write (but see below for the commit frame itself): Open refuses it with a *FileError matching audit.ErrTorn
// that says where the incomplete batch begins (offset and record index). It
// neither drops it nor accepts it: an operator decides, and calls Repair,
// which cuts both files back to the last complete batch. The records of the
// incomplete batch were never acknowledged to their writer.
//
// Anything else wrong — a bad checksum before a later complete batch, a
// frame that does not belong where it is, a record of the wrong index, a
// payload file shorter than the log — is a *FileError matching
// audit.ErrCorrupt, and Repair leaves it alone. Repair never drops a batch
// that was acknowledged, in two ways. A commit frame is determined by its
// batch, so that damage to the very last one is told from a torn write of
// it: a crash leaves a part of the frame, or whole disk sectors of it
// unwritten (zeros), where a flipped bit or a bad sector leaves bytes that
// are neither; that is corruption. And a torn batch that the head file
// counts was acknowledged: that is corruption too (ErrTruncated).
//
// # The head
//
// A log and payload file cut back together to the end of an earlier batch
// (restored from an older copy, or cut by a tool or a person) read back
// whole. So after every batch the store writes its size and tree root to
// the head file, and Open refuses a log that holds fewer records than the
// head names, or whose tree at that size has another root, with a
// *FileError matching ErrTruncated (and audit.ErrCorrupt), naming both
// sizes. Head returns them.
//
// The head is written after its batch's commit frame is synced, and not
// synced itself (Close syncs it), so that it costs an Append no round of
// fsync: after a crash it may name an earlier batch than the last, never a
// later one. It holds two copies, one in each of its first two pages,
// written in turn, so that a torn write of one leaves the other. A store
// made before there were head files gets one when Open opens it. The head
// file is a tripwire, not a proof: whoever can cut the log can remove it.
// A checkpoint signed earlier, and audit.Verify against it, is the proof.
//
// The checksums catch any change to a single bit in either file at Open.
// They catch accidents, not tampering: someone who rewrites a record can
// recompute them. That is what audit.Verify, against a checkpoint signed
// earlier, is for.
//
// # Memory
//
// A Store keeps in memory only an index: 32 bytes a record (where its
// frames are, whether it is erased) and the tree's stored hashes, 32 bytes
// each and about two a record: about 100 bytes a record in all, 100 MB for a
// million. Reading records is a read at known offsets of each file, whose
// checksums are checked again. Open reads the files in pieces of at most
// 1 MiB.
//
// # The format
//
// Both files begin with a line naming the format and its version,
// "vaststelling audit log v1\n" and "vaststelling audit payload v1\n".
// (Each copy in the head file is the line "vaststelling audit head v1\n",
// the size (8 bytes), the root (32) and the CRC-32C of those (4).)
// Then follow frames. A frame is a 13-byte header and a body; integers are
// little-endian, checksums CRC-32C (Castagnoli):
//
//	kind          1 byte, an ASCII letter
//	length        4 bytes, of the body
//	body sum      4 bytes, the CRC-32C of the body
//	header sum    4 bytes, the CRC-32C of the 9 bytes before it
//	body          length bytes
//
// The header's own checksum makes its length trustworthy before the body
// is read, so that a damaged length is told from a file cut short.
//
// The log is a sequence of batches and erasures. A batch is one or more R
// frames, one H frame and one C frame; an erasure is an E frame and a D
// frame:
//
//	R  record    payload frame offset (8), payload frame body length (4),
//	             then the record's leaf, as audit.Record.Leaf gives it
//	H  hashes    the stored hashes the batch adds (tlog.StoredHashes), 32 bytes each
//	C  commit    the index of the batch's first record (8), its number of
//	             records (4), and the CRC-32C of the headers of its R and H
//	             frames, in order (4), each of which holds its body's CRC
//	E  erase     the index of the record whose payload is being erased (8)
//	D  done      the same index (8): the erasure is complete
//
// The payload file holds, for each record in order, one frame at the
// offset and of the length its R frame gives:
//
//	P  payload   the record's index (8), the salt's length (4), the salt, the payload
//	X  erased    the record's index (8), then zeros to the frame's length
//
// A record appended with neither salt nor payload (already erased) gets an
// X frame of 12 bytes.
package filestore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/internal/chunks"

	"github.com/krs-oke/vaststelling/audit"
)

// A FileError reports a store whose files cannot be read back as written:
// a torn last batch (Err is audit.ErrTorn) or corruption (audit.ErrCorrupt).
// It matches its Err.
type FileError struct {
	File string // the file's path
	// Offset is, for a torn write, where the incomplete batch begins,
	// which is where Repair cuts; otherwise, where the damaged frame is.
	Offset int64
	// Index is the record concerned: for a torn write, the first record of
	// the incomplete batch, which is the number of complete records. -1
	// when no record is concerned (a file's header).
	Index   int64
	Problem string
	Err     error // audit.ErrTorn or audit.ErrCorrupt
}

// Error returns the problem as a sentence a person can read.
func (e *FileError) Error() string {
	return fmt.Sprintf("filestore: %s: offset %d, record %d: %v: %s", e.File, e.Offset, e.Index, e.Err, e.Problem)
}

// Unwrap returns audit.ErrTorn or audit.ErrCorrupt.
func (e *FileError) Unwrap() error { return e.Err }

// A Store is an audit.Store in a directory. Make one with Open.
type Store struct {
	dir                      string
	log, pay                 *os.File
	logN, payN, headN, snapN string   // the files' paths
	lock                     *os.File // holding the writer's lock; nil when read-only
	headF                    *os.File // the head file; nil when read-only
	readOnly                 bool

	// turns serializes the writers, Append, Erase and Close, fairly.
	// logEnd, payEnd and failed, and the length of entries, change only
	// during a turn.
	turns          *turns
	logEnd, payEnd int64
	failed         error   // when set, the files may differ from the index: no more writes
	payBuf, logBuf []byte  // the last batch's frames, reused
	entryBuf       []entry // and its index entries
	bodyBuf        []byte  // and the frame body being built
	leafBuf        []byte

	// mu guards the index against readers. Writers hold it only to
	// publish a batch and to overwrite a payload.
	mu      sync.RWMutex
	entries chunks.Slice[entry]
	hashes  chunks.Slice[tlog.Hash]
	head    head // the size and root of entries and hashes
	closed  bool

	headNext int // the copy in the head file to write next (0 or 1); in a turn
	headBuf  [headCopy]byte
}

var _ audit.Store = (*Store)(nil)

// Open opens the store in dir, an existing directory, reading and checking
// both files whole. When dir holds neither file it creates an empty store.
// A torn last batch is a *FileError matching audit.ErrTorn: call Repair to
// drop it, deliberately. Anything else wrong with the files is a
// *FileError matching audit.ErrCorrupt. Open finishes an erasure that a
// crash interrupted.
//
// Open takes an exclusive lock on the directory (see LockFile) for the
// Store's life: while it is open, Open and Repair of the same directory,
// in this process or another, fail with an error matching ErrLocked. Read
// it meanwhile with OpenReadOnly. On systems without flock(2), Open fails.
//
// A store whose log holds fewer records than its head file says (see
// HeadFile) is a *FileError matching ErrTruncated and audit.ErrCorrupt.
func Open(dir string) (*Store, error) {
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s := newStore(dir)
	if s.log, s.pay, err = openFiles(s.logN, s.payN, true); err != nil {
		lock.Close()
		return nil, err
	}
	h, which, err := readHead(s.headN)
	var st *state
	if err == nil {
		st, err = s.load(h)
	}
	if err == nil && st.pending >= 0 {
		err = s.finishErase(st)
	}
	if err == nil {
		err = s.settle(st, h, which)
	}
	if err == nil {
		err = removeTemps(dir)
	}
	if err != nil {
		s.log.Close()
		s.pay.Close()
		if s.headF != nil {
			s.headF.Close()
		}
		lock.Close()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func newStore(dir string) *Store {
	return &Store{dir: dir, logN: filepath.Join(dir, LogFile), payN: filepath.Join(dir, PayloadFile),
		headN: filepath.Join(dir, HeadFile), snapN: filepath.Join(dir, SnapshotFile), turns: new(turns)}
}

// settle takes the index in st as the store's, after checking it against
// the head file, which it brings up to date (or creates, for a store made
// before there were head files).
func (s *Store) settle(st *state, h *head, which int) error {
	if h != nil {
		if err := checkHead(st, *h, s.logN, s.headN); err != nil {
			return err
		}
	}
	s.entries, s.hashes, s.logEnd, s.payEnd = st.entries, st.hashes, st.logEnd, st.payEnd
	s.head.size = int64(s.entries.Len())
	var err error
	if s.head.root, err = treeRoot(&s.hashes, s.head.size); err != nil {
		return err
	}
	if h == nil {
		if err := createHead(s.headN, s.head); err != nil {
			return err
		}
	}
	if s.headF, err = os.OpenFile(s.headN, os.O_RDWR, 0); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	s.headNext = 1 - which // the valid copy stays until the other is written
	if h != nil && *h != s.head {
		return s.writeHead()
	}
	return nil
}

// advanceHead makes the store's head its size, with the tree's root then,
// and writes it to the head file. The caller holds a turn.
func (s *Store) advanceHead(size int64) error {
	root, err := treeRoot(&s.hashes, size) // only writers change hashes, and this is one
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.head = head{size: size, root: root}
	s.mu.Unlock()
	return s.writeHead()
}

// writeHead writes the store's head over the older copy in the head file.
// It does not sync it: the log is the durable truth, and the head only a
// lower bound of it. See the package documentation. The caller holds a
// turn, or has the store to itself.
func (s *Store) writeHead() error {
	buf := appendHead(s.headBuf[:0], s.head)
	if _, err := s.headF.WriteAt(buf, int64(s.headNext*headPage)); err != nil {
		return fmt.Errorf("filestore: %s: writing %s: %w", s.dir, HeadFile, err)
	}
	s.headNext = 1 - s.headNext
	return nil
}

// Repair cuts off a torn last batch: it truncates both files of the store
// in dir to the end of the last complete batch and syncs them, and returns
// the number of bytes it dropped, from both files together. The dropped
// records were never acknowledged to their writer; see the package
// documentation for the one case where they were. A store that is not
// torn is left as it is (dropped is 0); a corrupt one too, with Open's
// error. The store must not be open meanwhile.
func Repair(dir string) (dropped int64, err error) {
	lock, err := lockDir(dir)
	if err != nil {
		return 0, err
	}
	defer lock.Close()
	s := newStore(dir)
	if s.log, s.pay, err = openFiles(s.logN, s.payN, false); err != nil {
		return 0, err
	}
	defer s.log.Close()
	defer s.pay.Close()
	h, _, err := readHead(s.headN)
	if err != nil {
		return 0, err
	}
	st, err := s.load(h) // a torn batch the head counts is not torn
	if err == nil && h != nil {
		err = checkHead(st, *h, s.logN, s.headN)
	}
	if err == nil || !errors.Is(err, audit.ErrTorn) {
		return 0, err
	}
	logSize, paySize, err := s.sizes()
	if err != nil {
		return 0, err
	}
	if err := truncate(s.log, st.logEnd); err != nil {
		return 0, err
	}
	if err := truncate(s.pay, st.payEnd); err != nil {
		return logSize - st.logEnd, err
	}
	dropped = logSize - st.logEnd + paySize - st.payEnd
	_, err = s.load(h)
	return dropped, err
}

// openFiles opens a store's two files for reading and writing; when
// create is set and neither exists it creates them, empty. It finishes an
// interrupted creation: files that hold no more than a prefix of their
// headers get their headers.
func openFiles(logN, payN string, create bool) (log, pay *os.File, err error) {
	log, lerr := os.OpenFile(logN, os.O_RDWR, 0)
	pay, perr := os.OpenFile(payN, os.O_RDWR, 0)
	if create && errors.Is(lerr, fs.ErrNotExist) && errors.Is(perr, fs.ErrNotExist) {
		if log, lerr = os.OpenFile(logN, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); lerr == nil {
			if pay, perr = os.OpenFile(payN, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); perr != nil {
				log.Close()
			}
		}
	}
	if lerr != nil || perr != nil {
		if lerr == nil {
			log.Close()
		}
		if perr == nil {
			pay.Close()
		}
		return nil, nil, fmt.Errorf("filestore: opening the store: %w", errors.Join(lerr, perr))
	}
	if err := initialize(log, pay, logN); err != nil {
		log.Close()
		pay.Close()
		return nil, nil, err
	}
	return log, pay, nil
}

// initialize writes the files' headers when the log holds no more than a
// prefix of its header and the payload file no more than a prefix of its
// own: a new store, or one whose creation a crash interrupted. The payload
// file's header goes first, so that a complete log header means both are.
func initialize(log, pay *os.File, logN string) error {
	if ok, err := fresh(log, pay); err != nil || !ok {
		return err // load reports a bad header
	}
	for _, f := range []struct {
		file  *os.File
		magic string
	}{{pay, payloadMagic}, {log, logMagic}} {
		if _, err := f.file.WriteAt([]byte(f.magic), 0); err != nil {
			return fmt.Errorf("filestore: creating the store: %w", err)
		}
		if err := truncate(f.file, int64(len(f.magic))); err != nil {
			return err
		}
	}
	d, err := os.Open(filepath.Dir(logN))
	if err != nil {
		return fmt.Errorf("filestore: creating the store: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("filestore: creating the store: syncing the directory: %w", err)
	}
	return nil
}

// fresh reports whether the log holds no more than a prefix of its header
// and the payload file no more than a prefix of its own: a new store, or
// one whose creation a crash interrupted.
func fresh(log, pay *os.File) (bool, error) {
	for _, f := range []struct {
		file  *os.File
		magic string
	}{{log, logMagic}, {pay, payloadMagic}} {
		fi, err := f.file.Stat()
		if err != nil {
			return false, fmt.Errorf("filestore: %w", err)
		}
		if f.file == log && fi.Size() >= int64(len(logMagic)) || fi.Size() > int64(len(f.magic)) {
			return false, nil
		}
		b := make([]byte, fi.Size())
		if _, err := f.file.ReadAt(b, 0); err != nil {
			return false, fmt.Errorf("filestore: %w", err)
		}
		if string(b) != f.magic[:len(b)] {
			return false, nil
		}
	}
	return true, nil
}

// truncate cuts f to size and syncs it.
func truncate(f *os.File, size int64) error {
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	return nil
}

func (s *Store) sizes() (logSize, paySize int64, err error) {
	lfi, err := s.log.Stat()
	if err != nil {
		return 0, 0, fmt.Errorf("filestore: %w", err)
	}
	pfi, err := s.pay.Stat()
	if err != nil {
		return 0, 0, fmt.Errorf("filestore: %w", err)
	}
	return lfi.Size(), pfi.Size(), nil
}

// load loads the store's files. When they end in a torn batch that the
// head h (nil without a head file) counts, that batch was acknowledged:
// the log was cut, and the error matches ErrTruncated, not audit.ErrTorn.
func (s *Store) load(h *head) (*state, error) {
	logSize, paySize, err := s.sizes()
	if err != nil {
		return nil, err
	}
	st, err := load(s.log, logSize, s.pay, paySize, s.logN, s.payN)
	var fe *FileError
	if h != nil && errors.Is(err, audit.ErrTorn) && errors.As(err, &fe) && int64(st.entries.Len()) < h.size {
		return nil, &FileError{File: fe.File, Offset: fe.Offset, Index: fe.Index, Err: ErrTruncated,
			Problem: fmt.Sprintf("%s; but %s says the log held %d records: the batch was acknowledged, and Repair leaves it",
				strings.TrimSuffix(fe.Problem, "; filestore.Repair drops it"), s.headN, h.size)}
	}
	return st, err
}

// finishErase completes the erasure a crash interrupted.
func (s *Store) finishErase(st *state) error {
	e := *st.entries.At(int(st.pending))
	if _, err := s.pay.WriteAt(blankFrame(st.pending, int64(e.payN)), e.payOff); err != nil {
		return fmt.Errorf("filestore: finishing the erasure of record %d: %w", st.pending, err)
	}
	if err := s.pay.Sync(); err != nil {
		return fmt.Errorf("filestore: finishing the erasure of record %d: %w", st.pending, err)
	}
	done := markFrame(kindErased, st.pending)
	if _, err := s.log.WriteAt(done, st.logEnd); err != nil {
		return fmt.Errorf("filestore: finishing the erasure of record %d: %w", st.pending, err)
	}
	if err := s.log.Sync(); err != nil {
		return fmt.Errorf("filestore: finishing the erasure of record %d: %w", st.pending, err)
	}
	st.logEnd += int64(len(done))
	st.pending = -1
	return nil
}

// Close closes the files. Calls after it fail; closing again does nothing.
func (s *Store) Close() error {
	s.turns.take(context.Background(), s.turns.ticket(nil))
	defer s.turns.end()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var head error
	if s.headF != nil {
		head = errors.Join(s.headF.Sync(), s.headF.Close())
	}
	err := errors.Join(head, s.log.Close(), s.pay.Close())
	if s.lock != nil {
		err = errors.Join(err, s.lock.Close()) // last: it lets the next writer in
	}
	return err
}

func (s *Store) errClosed() error { return fmt.Errorf("filestore: %s: %w", s.dir, os.ErrClosed) }

// writable reports why the store cannot be written, if it cannot. The
// caller holds turns.
func (s *Store) writable() error {
	if s.readOnly {
		return fmt.Errorf("filestore: %s: %w", s.dir, ErrReadOnly)
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return s.errClosed()
	}
	if s.failed != nil {
		return fmt.Errorf("filestore: %s: a write failed earlier; open the store again: %w", s.dir, s.failed)
	}
	return nil
}

// Append adds records at the expected size, with the stored hashes they
// add, as one batch: see the package documentation. It refuses records
// whose index is not their position, whose leaf does not read back
// (audit.Record.CheckLeaf), or that have a salt without a payload or the reverse.
func (s *Store) Append(ctx context.Context, size int64, records []audit.Record, hashes []tlog.Hash) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var id *[32]byte
	if len(records) > 0 {
		id = &records[0].Commitment
	}
	ticket := s.turns.ticket(id)
	if err := s.turns.take(ctx, ticket); err != nil {
		return err
	}
	defer s.turns.end()
	if err := s.writable(); err != nil {
		return err
	}
	if n := int64(s.entries.Len()); n != size {
		if id != nil {
			s.turns.lost(*id, ticket)
		}
		return &audit.ConflictError{Expected: size, Actual: n}
	}
	k := int64(len(records))
	if want := tlog.StoredHashCount(size+k) - tlog.StoredHashCount(size); int64(len(hashes)) != want {
		return fmt.Errorf("filestore: %d records add %d stored hashes, not %d", k, want, len(hashes))
	}
	if k == 0 {
		return nil
	}

	// The frames are sized up front: growing them is a batch's main
	// allocation otherwise. A leaf is 300 to 400 bytes.
	paySize := 0
	for i := range records {
		paySize += headerSize + 12 + len(records[i].Salt) + len(records[i].Payload)
	}
	// Writers take turns, so the buffers of the last batch are free.
	pay := grow(s.payBuf, paySize)
	log := grow(s.logBuf, int(k)*(headerSize+12+400)+headerSize+len(hashes)*tlog.HashSize)
	defer func() { s.payBuf, s.logBuf = keepable(pay), keepable(log) }()
	body, leaf := s.bodyBuf[:0], s.leafBuf[:0]
	defer func() { s.bodyBuf, s.leafBuf = keepable(body), keepable(leaf) }()
	batch := slices.Grow(s.entryBuf[:0], int(k))[:k]
	defer func() {
		if cap(batch) <= 1<<16 { // not what a batch larger than most made large
			s.entryBuf = batch[:0]
		}
	}()
	var sum uint32
	payOff, logOff := s.payEnd, s.logEnd
	for i := range records {
		r, x := &records[i], size+int64(i)
		if r.Index != x {
			return fmt.Errorf("filestore: the record at position %d has index %d", x, r.Index)
		}
		if (r.Salt == nil) != (r.Payload == nil) {
			return fmt.Errorf("filestore: record %d has a salt or a payload, not both", x)
		}
		leaf = r.AppendLeaf(leaf[:0])
		if err := r.CheckLeaf(); err != nil { // what reading the leaf back would find
			return fmt.Errorf("filestore: record %d: its leaf does not read back: %w", x, err)
		}
		body = binary.LittleEndian.AppendUint64(body[:0], uint64(x))
		kind := byte(kindBlank)
		if !r.Erased() {
			kind = kindPayload
			body = binary.LittleEndian.AppendUint32(body, uint32(len(r.Salt)))
			body = append(append(body, r.Salt...), r.Payload...)
		} else {
			body = binary.LittleEndian.AppendUint32(body, 0)
		}
		if len(body) > 1<<31-1 {
			return fmt.Errorf("filestore: record %d: a payload of %d bytes", x, len(r.Payload))
		}
		pay = appendFrame(pay, kind, body)
		e := entry{off: logOff + int64(len(log)), payOff: payOff, payN: int32(len(body)), erased: r.Erased()}
		payOff += int64(headerSize + len(body))

		body = binary.LittleEndian.AppendUint64(body[:0], uint64(e.payOff))
		body = binary.LittleEndian.AppendUint32(body, uint32(e.payN))
		body = append(body, leaf...)
		if len(body) > 1<<31-1 {
			return fmt.Errorf("filestore: record %d: a leaf of %d bytes", x, len(leaf))
		}
		e.n = int32(len(body))
		log = appendFrame(log, kindRecord, body)
		sum = crc32.Update(sum, castagnoli, log[e.off-logOff:][:headerSize])
		batch[i] = e
	}
	body = slices.Grow(body[:0], len(hashes)*tlog.HashSize)
	for _, h := range hashes {
		body = append(body, h[:]...)
	}
	start := len(log)
	log = appendFrame(log, kindHashes, body)
	sum = crc32.Update(sum, castagnoli, log[start:][:headerSize])
	body = binary.LittleEndian.AppendUint64(body[:0], uint64(size))
	body = binary.LittleEndian.AppendUint32(body, uint32(k))
	body = binary.LittleEndian.AppendUint32(body, sum)
	commit := appendFrame(nil, kindCommit, body)

	if err := s.write(log, pay, commit); err != nil {
		return err
	}
	s.mu.Lock()
	s.entries.Push(batch...)
	s.hashes.Push(hashes...)
	s.mu.Unlock()
	s.logEnd += int64(len(log) + len(commit))
	s.payEnd = payOff
	s.turns.won(*id)
	if err := s.advanceHead(size + k); err != nil {
		// The batch is on disk and in the index: it stands, and the head
		// file lags, which Open allows. No more writes until then.
		s.failed = err
	}
	return nil
}

// grow returns b emptied, with room for n bytes.
func grow(b []byte, n int) []byte { return slices.Grow(b[:0], n) }

// keepable returns a buffer to keep for the next batch: not one that a
// batch larger than most made large.
func keepable(b []byte) []byte {
	if cap(b) > 8<<20 {
		return nil
	}
	return b
}

// write writes a batch: the payload frames and the record and hash frames,
// both files synced, then the commit frame, synced. On failure it cuts the
// files back to where they ended.
func (s *Store) write(log, pay, commit []byte) error {
	err := func() error {
		if _, err := s.pay.WriteAt(pay, s.payEnd); err != nil {
			return err
		}
		if _, err := s.log.WriteAt(log, s.logEnd); err != nil {
			return err
		}
		paySynced := make(chan error, 1)
		go func() { paySynced <- s.pay.Sync() }()
		if err := errors.Join(s.log.Sync(), <-paySynced); err != nil {
			return err
		}
		if _, err := s.log.WriteAt(commit, s.logEnd+int64(len(log))); err != nil {
			return err
		}
		return s.log.Sync()
	}()
	if err == nil {
		return nil
	}
	if cut := errors.Join(truncate(s.log, s.logEnd), truncate(s.pay, s.payEnd)); cut != nil {
		s.failed = cut
	}
	return fmt.Errorf("filestore: %s: appending: %w", s.dir, err)
}

// Size returns the number of records.
func (s *Store) Size(ctx context.Context) (int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return 0, s.errClosed()
	}
	return int64(s.entries.Len()), nil
}

// ReadHashes returns stored hashes by storage index, from memory.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, s.errClosed()
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(s.hashes.Len()) {
			return nil, fmt.Errorf("filestore: stored hash %d of %d: %w", x, s.hashes.Len(), audit.ErrRange)
		}
		out[i] = *s.hashes.At(int(x))
	}
	return out, nil
}

// Records returns the records in [from, to), read from the files with
// their checksums checked again. The salts and payloads of erased records
// are nil.
func (s *Store) Records(ctx context.Context, from, to int64) ([]audit.Record, error) {
	var out []audit.Record
	err := s.read(ctx, from, to, false, func(n int) { out = make([]audit.Record, n) },
		func(i int, x, off int64, leaf, salt, payload []byte) error {
			r, err := audit.ParseLeaf(leaf)
			if err == nil && r.Index != x {
				err = fmt.Errorf("the leaf of record %d", r.Index)
			}
			if err != nil {
				return &FileError{File: s.logN, Offset: off, Index: x, Problem: err.Error(), Err: audit.ErrCorrupt}
			}
			r.Salt, r.Payload = salt, payload
			out[i] = r
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Leaves calls fn with each record in [from, to) as the files hold it
// (see audit.LeafStore), its checksums checked again: its leaf as it was
// written, not parsed. The salts and payloads of erased records are nil.
// The slices are in buffers the store reuses.
func (s *Store) Leaves(ctx context.Context, from, to int64, fn func(audit.StoredRecord) error) error {
	return s.read(ctx, from, to, true, func(int) {}, func(i int, x, off int64, leaf, salt, payload []byte) error {
		return fn(audit.StoredRecord{Leaf: leaf, Salt: salt, Payload: payload})
	})
}

// readBuffers recycles the buffers of reads whose bytes are not handed
// out (Leaves): verifying a year's trail read 3 GB through them.
var readBuffers = sync.Pool{New: func() any { return new([2][]byte) }}

// read reads the records in [from, to) in one read of each file, checks
// their frames, and hands each to take with the offset of its record
// frame, its leaf, and its salt and payload (nil when erased), all in the
// buffers it read, reused after the call when reuse is set; start learns
// the number first. It holds the store's lock only while it reads, so
// that take may use the store.
func (s *Store) read(ctx context.Context, from, to int64, reuse bool, start func(n int),
	take func(i int, x, off int64, leaf, salt, payload []byte) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	locked := true
	defer func() {
		if locked {
			s.mu.RUnlock()
		}
	}()
	if s.closed {
		return s.errClosed()
	}
	if from < 0 || to < from || to > int64(s.entries.Len()) {
		return fmt.Errorf("filestore: records [%d, %d) of %d: %w", from, to, s.entries.Len(), audit.ErrRange)
	}
	start(int(to - from))
	if from == to {
		return nil
	}
	es := make([]entry, to-from)
	for i := range es {
		es[i] = *s.entries.At(int(from) + i)
	}
	first, last := es[0], es[len(es)-1]
	logN, payN := last.off+headerSize+int64(last.n)-first.off, last.payOff+headerSize+int64(last.payN)-first.payOff
	var logBuf, payBuf []byte
	if reuse {
		bufs := readBuffers.Get().(*[2][]byte)
		logBuf, payBuf = slices.Grow(bufs[0][:0], int(logN))[:logN], slices.Grow(bufs[1][:0], int(payN))[:payN]
		defer func() { bufs[0], bufs[1] = keepable(logBuf), keepable(payBuf); readBuffers.Put(bufs) }()
	} else {
		logBuf, payBuf = make([]byte, logN), make([]byte, payN)
	}
	if _, err := s.log.ReadAt(logBuf, first.off); err != nil {
		return fmt.Errorf("filestore: reading %s: %w", s.logN, err)
	}
	if _, err := s.pay.ReadAt(payBuf, first.payOff); err != nil {
		return fmt.Errorf("filestore: reading %s: %w", s.payN, err)
	}
	s.mu.RUnlock() // the bytes are read: what follows needs only them
	locked = false
	for i, e := range es {
		x := from + int64(i)
		body, problem := frameAt(logBuf, e.off-first.off, kindRecord, int64(e.n))
		if problem == "" && (int64(binary.LittleEndian.Uint64(body)) != e.payOff || int32(binary.LittleEndian.Uint32(body[8:])) != e.payN) {
			problem = "a record frame whose payload locator changed"
		}
		if problem != "" {
			return &FileError{File: s.logN, Offset: e.off, Index: x, Problem: problem, Err: audit.ErrCorrupt}
		}
		leaf := body[locatorSize:len(body):len(body)]
		var salt, payload []byte
		if !e.erased {
			var problem string
			salt, payload, problem = parsePayload(payBuf, e.payOff-first.payOff, x, e)
			if problem != "" && s.readOnly {
				salt, payload, problem = s.payloadAgain(x, e)
			}
			if problem != "" {
				return &FileError{File: s.payN, Offset: e.payOff, Index: x, Problem: problem, Err: audit.ErrCorrupt}
			}
		}
		if err := take(i, x, e.off, leaf, salt, payload); err != nil {
			return err
		}
	}
	return nil
}

// parsePayload checks the payload frame of record x at off in b, where
// its entry e says, and returns its salt and payload.
func parsePayload(b []byte, off, x int64, e entry) (salt, payload []byte, problem string) {
	body, problem := frameAt(b, off, kindPayload, int64(e.payN))
	if problem == "" && int64(binary.LittleEndian.Uint64(body)) != x {
		problem = "the payload of another record"
	}
	n := int64(0)
	if problem == "" {
		if n = int64(binary.LittleEndian.Uint32(body[8:])); n > int64(len(body))-payloadPrefix {
			problem = "a salt longer than its frame"
		}
	}
	if problem != "" {
		return nil, nil, problem
	}
	rest := body[payloadPrefix:]
	return rest[:n:n], rest[n:len(rest):len(rest)], ""
}

// frameAt checks the frame at off in b, of the kind and body length the
// index says, and returns its body.
func frameAt(b []byte, off int64, kind byte, n int64) (body []byte, problem string) {
	f := b[off : off+headerSize+n]
	h, ok := parseHeader(f)
	switch {
	case !ok:
		return nil, "a frame header with a bad checksum"
	case h.kind != kind || h.n != n:
		return nil, fmt.Sprintf("a frame of kind %q and %d bytes, want %q and %d", h.kind, h.n, kind, n)
	case checksum(f[headerSize:]) != h.sum:
		return nil, "a frame with a bad checksum"
	}
	return f[headerSize:], ""
}

// Erase erases the salt and payload of the record at index, in place:
// see the package documentation. Erasing twice is not an error.
func (s *Store) Erase(ctx context.Context, index int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.turns.take(ctx, s.turns.ticket(nil)); err != nil {
		return err
	}
	defer s.turns.end()
	if err := s.writable(); err != nil {
		return err
	}
	if index < 0 || index >= int64(s.entries.Len()) {
		return fmt.Errorf("filestore: erase %d of %d: %w", index, s.entries.Len(), audit.ErrRange)
	}
	e := *s.entries.At(int(index))
	if e.erased {
		return nil
	}
	fail := func(err error) error {
		s.failed = err
		return fmt.Errorf("filestore: %s: erasing record %d: %w", s.dir, index, err)
	}
	mark := markFrame(kindErase, index)
	if _, err := s.log.WriteAt(mark, s.logEnd); err != nil {
		if cut := truncate(s.log, s.logEnd); cut != nil {
			return fail(cut)
		}
		return fmt.Errorf("filestore: %s: erasing record %d: %w", s.dir, index, err)
	}
	if err := s.log.Sync(); err != nil {
		return fail(err) // the mark may be on disk; Open finishes the erasure
	}
	s.logEnd += int64(len(mark))

	s.mu.Lock() // no reader sees the frame half overwritten
	s.entries.At(int(index)).erased = true
	_, err := s.pay.WriteAt(blankFrame(index, int64(e.payN)), e.payOff)
	s.mu.Unlock()
	if err == nil {
		err = s.pay.Sync()
	}
	if err != nil {
		return fail(err)
	}

	done := markFrame(kindErased, index)
	if _, err := s.log.WriteAt(done, s.logEnd); err != nil {
		return fail(err)
	}
	if err := s.log.Sync(); err != nil {
		return fail(err)
	}
	s.logEnd += int64(len(done))
	return nil
}

// turns is a fair lock for writers (see Concurrency in the package
// documentation). A writer takes a ticket when it asks for a turn, and the
// turn goes to the waiting writer with the oldest ticket. A batch that lost
// a race (it came at a stale size) keeps its ticket when it comes back:
// the store knows it again by its first record's commitment.
type turns struct {
	mu      sync.Mutex
	busy    bool
	next    uint64    // the next new ticket
	waiting []*waiter // unordered; few
	losers  []loser   // the latest batches that lost, oldest first; at most maxLosers
}

type waiter struct {
	ticket uint64
	ready  chan struct{} // closed when the turn is the waiter's
}

type loser struct {
	id     [32]byte
	ticket uint64
}

// maxLosers bounds how many lost batches turns remembers: more than there
// are concurrent writers, so that none is forgotten while it retries, and
// few enough to search.
const maxLosers = 256

// ticket returns the ticket of a batch whose first record has the
// commitment id: the one it had when it lost, or a new one.
func (t *turns) ticket(id *[32]byte) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id != nil {
		for _, l := range t.losers {
			if l.id == *id {
				return l.ticket
			}
		}
	}
	t.next++
	return t.next
}

// lost remembers the ticket of a batch that lost; won forgets it.
func (t *turns) lost(id [32]byte, ticket uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range t.losers {
		if l.id == id {
			return
		}
	}
	if len(t.losers) == maxLosers {
		t.losers = append(t.losers[:0], t.losers[1:]...)
	}
	t.losers = append(t.losers, loser{id, ticket})
}

func (t *turns) won(id [32]byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, l := range t.losers {
		if l.id == id {
			t.losers = append(t.losers[:i], t.losers[i+1:]...)
			return
		}
	}
}

// take waits for a turn with the ticket, or for ctx to end.
func (t *turns) take(ctx context.Context, ticket uint64) error {
	t.mu.Lock()
	if !t.busy {
		t.busy = true
		t.mu.Unlock()
		return nil
	}
	w := &waiter{ticket: ticket, ready: make(chan struct{})}
	t.waiting = append(t.waiting, w)
	t.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	t.mu.Lock()
	for i, x := range t.waiting {
		if x == w {
			t.waiting = append(t.waiting[:i], t.waiting[i+1:]...)
			t.mu.Unlock()
			return ctx.Err()
		}
	}
	t.mu.Unlock()
	t.end() // the turn came as ctx ended: pass it on
	return ctx.Err()
}

// end ends a turn, handing it to the waiter with the oldest ticket.
func (t *turns) end() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.waiting) == 0 {
		t.busy = false
		return
	}
	first := 0
	for i, w := range t.waiting {
		if w.ticket < t.waiting[first].ticket {
			first = i
		}
	}
	w := t.waiting[first]
	t.waiting = append(t.waiting[:first], t.waiting[first+1:]...)
	close(w.ready)
}
