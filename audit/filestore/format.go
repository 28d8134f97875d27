package filestore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/internal/chunks"

	"github.com/krs-oke/vaststelling/audit"
)

// The names of a store's two files in its directory.
const (
	LogFile     = "log"
	PayloadFile = "payload"
)

// The first bytes of each file: the format's name and version.
const (
	logMagic     = "vaststelling audit log v1\n"
	payloadMagic = "vaststelling audit payload v1\n"
)

// Frame kinds. The log holds R, H, C, E and D frames; the payload file P
// and X frames.
const (
	kindRecord  = 'R' // a record: locator of its payload frame, then its leaf
	kindHashes  = 'H' // the stored hashes a batch adds
	kindCommit  = 'C' // the end of a batch: first index, count, batch checksum
	kindErase   = 'E' // an erasure begun: the record's index
	kindErased  = 'D' // that erasure done: the record's index
	kindPayload = 'P' // a payload: index, salt length, salt, payload
	kindBlank   = 'X' // an erased payload: index, then zeros
)

// Sizes of the fixed parts.
const (
	headerSize    = 13 // kind, body length, body checksum, header checksum
	locatorSize   = 12 // payload frame offset (8), its body length (4)
	payloadPrefix = 12 // record index (8), salt length (4)
	commitSize    = 16 // first index (8), record count (4), batch checksum (4)
	markSize      = 8  // record index, in E and D frames
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// appendFrame appends to dst a frame of the kind around body.
func appendFrame(dst []byte, kind byte, body []byte) []byte {
	// The header is checksummed where it is written: a header array of
	// its own would escape into the assembly of crc32, an allocation a
	// frame.
	start := len(dst)
	dst = append(dst, kind)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(body)))
	dst = binary.LittleEndian.AppendUint32(dst, checksum(body))
	dst = binary.LittleEndian.AppendUint32(dst, checksum(dst[start:start+9]))
	return append(dst, body...)
}

// A header is a frame's header whose own checksum held.
type header struct {
	kind byte
	n    int64  // body length
	sum  uint32 // body checksum
}

// parseHeader reads a frame header; ok is false when its checksum fails.
func parseHeader(b []byte) (h header, ok bool) {
	if binary.LittleEndian.Uint32(b[9:13]) != checksum(b[:9]) {
		return header{}, false
	}
	return header{kind: b[0], n: int64(binary.LittleEndian.Uint32(b[1:5])), sum: binary.LittleEndian.Uint32(b[5:9])}, true
}

// blankFrame returns the erased payload frame of the record at index whose
// payload frame body is n bytes long: the index, then zeros.
func blankFrame(index, n int64) []byte {
	body := make([]byte, n)
	binary.LittleEndian.PutUint64(body, uint64(index))
	return appendFrame(nil, kindBlank, body)
}

// markFrame returns an E or D frame for the record at index.
func markFrame(kind byte, index int64) []byte {
	var body [markSize]byte
	binary.LittleEndian.PutUint64(body[:], uint64(index))
	return appendFrame(nil, kind, body[:])
}

// leafPrefix appends to dst the start every leaf of the record at index
// has: the version line and the index line.
func leafPrefix(dst []byte, index int64) []byte {
	dst = append(dst, audit.Version+"\nindex "...)
	dst = strconv.AppendInt(dst, index, 10)
	return append(dst, '\n')
}

// An entry is what the store keeps in memory of a record: where its
// frames are, and whether its payload is erased. 32 bytes.
type entry struct {
	off    int64 // the record frame in the log
	payOff int64 // the payload frame in the payload file
	n      int32 // the record frame's body length (a frame holds less than 2 GiB)
	payN   int32 // the payload frame's body length
	erased bool
}

// A state is a store's index as read from its files.
type state struct {
	entries chunks.Slice[entry]
	hashes  chunks.Slice[tlog.Hash]
	logEnd  int64 // the end of the log's last complete batch or erase mark
	payEnd  int64 // the end of the last committed record's payload frame
	pending int64 // the record whose erasure was begun and not finished, or -1
}

// load reads a store's files, checking every frame's checksums and the
// log's structure, and returns the index. A torn last batch is an error
// matching audit.ErrTorn, returned with the state up to the last complete
// batch, where Repair cuts; anything else wrong is an error matching
// audit.ErrCorrupt, returned with a nil state. Corruption takes precedence
// over a torn write. load only reads.
func load(log io.ReaderAt, logSize int64, pay io.ReaderAt, paySize int64, logName, payName string) (*state, error) {
	st, torn, err := scanLog(log, logSize, logName)
	if err != nil {
		return nil, err
	}
	ptorn, err := checkPayloads(pay, paySize, st, payName)
	if err != nil {
		return nil, err
	}
	if torn != nil {
		return st, torn
	}
	if ptorn != nil {
		return st, ptorn
	}
	return st, nil
}

// A frameReader reads frames in sequence from a region of a file, through
// a buffer that starts small and grows as the reader goes on, so that a
// scan that stops early reads and allocates little, and a long one reads
// in large pieces.
type frameReader struct {
	r      io.ReaderAt
	off    int64  // of the next frame
	end    int64  // of the region
	buf    []byte // the file's bytes from bufOff on
	bufOff int64
	read   int64 // bytes read so far
}

const (
	firstBuffer = 4 << 10
	maxBuffer   = 1 << 20
)

func newFrameReader(r io.ReaderAt, from, end int64) *frameReader {
	return &frameReader{r: r, off: from, end: end, bufOff: from}
}

// peek returns the n bytes from fr.off on, which the caller knows are in
// the region. They are valid until the next call.
func (fr *frameReader) peek(n int64) ([]byte, error) {
	start := fr.off - fr.bufOff
	if start+n <= int64(len(fr.buf)) {
		return fr.buf[start : start+n], nil
	}
	var kept []byte // read and not used yet
	if start < int64(len(fr.buf)) {
		kept = fr.buf[start:]
	}
	size := int64(cap(fr.buf))
	if size < n || fr.read >= 4*size {
		size = max(n, min(max(2*size, firstBuffer), maxBuffer))
		buf := make([]byte, size)
		copy(buf, kept)
		fr.buf = buf
	} else {
		copy(fr.buf[:cap(fr.buf)], kept)
	}
	have := int64(len(kept))
	fr.buf, fr.bufOff = fr.buf[:min(size, fr.end-fr.off)], fr.off
	k, err := fr.r.ReadAt(fr.buf[have:], fr.off+have)
	fr.read += int64(k)
	if err != nil && !(err == io.EOF && int64(k) == int64(len(fr.buf))-have) {
		return nil, err
	}
	return fr.buf[:n], nil
}

// next reads the next frame. A frame that is short or fails a checksum is
// a problem, described; a failing read is an error. After either the
// reader is spent. The header and body are valid until the next call.
func (fr *frameReader) next() (h header, hdr, body []byte, problem string, err error) {
	if left := fr.end - fr.off; left < headerSize {
		return header{}, nil, nil, fmt.Sprintf("a frame header cut short after %d bytes", left), nil
	}
	hdr, err = fr.peek(headerSize)
	if err != nil {
		return header{}, nil, nil, "", err
	}
	h, ok := parseHeader(hdr)
	if !ok {
		return header{}, nil, nil, "a frame header with a bad checksum", nil
	}
	if left := fr.end - fr.off - headerSize; h.n > left {
		return header{}, nil, nil, fmt.Sprintf("a frame of %d bytes cut short after %d", h.n, left), nil
	}
	f, err := fr.peek(headerSize + h.n)
	if err != nil {
		return header{}, nil, nil, "", err
	}
	hdr, body = f[:headerSize], f[headerSize:]
	if checksum(body) != h.sum {
		return header{}, nil, nil, "a frame with a bad checksum", nil
	}
	fr.off += headerSize + h.n
	return h, hdr, body, "", nil
}

// skip passes over n bytes without reading them.
func (fr *frameReader) skip(n int64) { fr.off += n }

// checkMagic checks a file's first bytes.
func checkMagic(r io.ReaderAt, size int64, magic, name string) error {
	b := make([]byte, len(magic))
	if size < int64(len(magic)) {
		return &FileError{File: name, Offset: 0, Index: -1, Problem: "shorter than its header", Err: audit.ErrCorrupt}
	}
	if _, err := r.ReadAt(b, 0); err != nil {
		return fmt.Errorf("filestore: reading %s: %w", name, err)
	}
	if string(b) != magic {
		return &FileError{File: name, Offset: 0, Index: -1, Problem: fmt.Sprintf("not %q", magic), Err: audit.ErrCorrupt}
	}
	return nil
}

// scanLog reads the log: its batches (R… H C), each sealed by its commit
// frame, and its erase marks (E D), each a frame that seals itself. It
// returns the state of the complete entries, and a torn error when what
// follows them is incomplete.
func scanLog(r io.ReaderAt, size int64, name string) (st *state, torn *FileError, err error) {
	if err := checkMagic(r, size, logMagic, name); err != nil {
		return nil, nil, err
	}
	return scanLogFrom(r, size, name, &state{logEnd: int64(len(logMagic)), payEnd: int64(len(payloadMagic)), pending: -1})
}

// scanLogFrom goes on with scanLog from st, the state of the log up to
// st.logEnd, which is the end of a batch or an erase mark. It changes st.
func scanLogFrom(r io.ReaderAt, size int64, name string, st *state) (_ *state, torn *FileError, err error) {
	fr := newFrameReader(r, st.logEnd, size)
	var (
		batch  []entry     // the records of the open batch
		hashes []tlog.Hash // and its hashes, once read
		hashed bool
		sum    uint32 // the batch checksum so far
		payOff = st.payEnd
		prefix []byte
	)
	committed := func() int64 { return int64(st.entries.Len()) }
	corrupt := func(off, index int64, format string, args ...any) (*state, *FileError, error) {
		return nil, nil, &FileError{File: name, Offset: off, Index: index, Problem: fmt.Sprintf(format, args...), Err: audit.ErrCorrupt}
	}
	for fr.off < size {
		p := fr.off
		h, hdr, body, problem, err := fr.next()
		if err != nil {
			return nil, nil, fmt.Errorf("filestore: reading %s at %d: %w", name, p, err)
		}
		if problem != "" {
			// A crash leaves damage only after the last sealed entry: a
			// batch's commit frame, and an erase mark, are written only
			// once everything before them is on disk. So damage that a
			// valid sealing frame follows is corruption.
			sealed, err := fr.sealFollows(p + 1)
			if err != nil {
				return nil, nil, fmt.Errorf("filestore: reading %s: %w", name, err)
			}
			if sealed {
				return corrupt(p, committed()+int64(len(batch)), "%s, before later complete batches", problem)
			}
			if hashed { // the batch is whole: the damage is where its commit frame goes
				torn, err := tornCommit(r, p, size, commitFrame(committed(), len(batch), sum))
				if err != nil {
					return nil, nil, fmt.Errorf("filestore: reading %s: %w", name, err)
				}
				if !torn {
					return corrupt(p, committed(), "%s: the commit frame of the last batch, whole and synced before it, "+
						"is damaged, not torn: the batch was acknowledged, and Repair leaves it", problem)
				}
			}
			return st, tornAt(name, st, fmt.Sprintf("%s at offset %d", problem, p)), nil
		}
		if st.pending >= 0 && h.kind != kindErased {
			return corrupt(p, st.pending, "the erasure of record %d begun and not finished before a later frame", st.pending)
		}
		switch h.kind {
		case kindRecord:
			i := committed() + int64(len(batch))
			if hashed {
				return corrupt(p, i, "a record frame after its batch's hashes")
			}
			if len(body) < locatorSize {
				return corrupt(p, i, "a record frame of %d bytes", len(body))
			}
			e := entry{off: p, n: int32(h.n), payOff: int64(binary.LittleEndian.Uint64(body)), payN: int32(binary.LittleEndian.Uint32(body[8:]))}
			if e.payOff != payOff || e.payN < payloadPrefix {
				return corrupt(p, i, "a payload frame of %d bytes at %d, want at least %d bytes at %d", e.payN, e.payOff, payloadPrefix, payOff)
			}
			prefix = leafPrefix(prefix[:0], i)
			if !bytes.HasPrefix(body[locatorSize:], prefix) {
				return corrupt(p, i, "the leaf of another record or version: %.40q", body[locatorSize:])
			}
			payOff += headerSize + int64(e.payN)
			batch = append(batch, e)
			sum = crc32.Update(sum, castagnoli, hdr)
		case kindHashes:
			n, k := committed(), int64(len(batch))
			if k == 0 || hashed {
				return corrupt(p, n+k, "a hash frame without records before it")
			}
			want := tlog.StoredHashCount(n+k) - tlog.StoredHashCount(n)
			if int64(len(body)) != want*tlog.HashSize {
				return corrupt(p, n, "%d bytes of hashes for %d records, want %d", len(body), k, want*tlog.HashSize)
			}
			hashes = make([]tlog.Hash, want)
			for j := range hashes {
				copy(hashes[j][:], body[j*tlog.HashSize:])
			}
			hashed = true
			sum = crc32.Update(sum, castagnoli, hdr)
		case kindCommit:
			n := committed()
			if !hashed || len(body) != commitSize {
				return corrupt(p, n, "a commit frame without records and hashes before it")
			}
			first, count, bsum := int64(binary.LittleEndian.Uint64(body)), int64(binary.LittleEndian.Uint32(body[8:])), binary.LittleEndian.Uint32(body[12:])
			if first != n || count != int64(len(batch)) || bsum != sum {
				return corrupt(p, n, "a commit frame for %d records from %d, checksum %08x; the batch has %d from %d, checksum %08x",
					count, first, bsum, len(batch), n, sum)
			}
			st.entries.Push(batch...)
			st.hashes.Push(hashes...)
			st.logEnd, st.payEnd = fr.off, payOff
			batch, hashes, hashed, sum = batch[:0], nil, false, 0
		case kindErase:
			n := committed()
			if len(batch) > 0 || hashed {
				return corrupt(p, n, "an erase mark inside a batch")
			}
			if len(body) != markSize {
				return corrupt(p, n, "an erase mark of %d bytes", len(body))
			}
			i := int64(binary.LittleEndian.Uint64(body))
			if i < 0 || i >= n || st.entries.At(int(i)).erased {
				return corrupt(p, n, "an erase mark for record %d of %d, erased: %v", i, n, i >= 0 && i < n && st.entries.At(int(i)).erased)
			}
			st.entries.At(int(i)).erased, st.pending, st.logEnd = true, i, fr.off
		case kindErased:
			if len(body) != markSize || st.pending < 0 || int64(binary.LittleEndian.Uint64(body)) != st.pending {
				return corrupt(p, committed(), "an erasure done that was not begun")
			}
			st.pending, st.logEnd = -1, fr.off
		default:
			return corrupt(p, committed()+int64(len(batch)), "a frame of unknown kind %q", h.kind)
		}
	}
	if len(batch) > 0 || hashed {
		return st, tornAt(name, st, "no commit frame at the end of the file"), nil
	}
	return st, nil, nil
}

// tornAt returns the error for an incomplete batch after st.
func tornAt(name string, st *state, problem string) *FileError {
	return &FileError{File: name, Offset: st.logEnd, Index: int64(st.entries.Len()),
		Problem: "an incomplete last batch (" + problem + "); filestore.Repair drops it", Err: audit.ErrTorn}
}

// sealFollows reports whether a valid sealing frame (C, E or D, whose
// checksums hold) starts anywhere in the reader's region from offset from
// on. It reads on from where the reader is, and spends it.
func (fr *frameReader) sealFollows(from int64) (bool, error) {
	const overlap = headerSize + commitSize // the longest sealing frame
	patterns := [][]byte{
		{kindCommit, commitSize, 0, 0, 0},
		{kindErase, markSize, 0, 0, 0},
		{kindErased, markSize, 0, 0, 0},
	}
	// The next seal is usually within a batch; peek reads from small to large.
	for fr.off = from; fr.off < fr.end; {
		b, err := fr.peek(min(fr.end-fr.off, max(int64(cap(fr.buf)), 2*overlap)))
		if err != nil {
			return false, err
		}
		for _, pat := range patterns {
			for i := 0; ; i++ {
				j := bytes.Index(b[i:], pat)
				if j < 0 {
					break
				}
				i += j
				if f := b[i:]; len(f) >= headerSize {
					if h, ok := parseHeader(f); ok && int64(len(f)) >= headerSize+h.n && checksum(f[headerSize:headerSize+h.n]) == h.sum {
						return true, nil
					}
				}
			}
		}
		if fr.off+int64(len(b)) == fr.end {
			break
		}
		fr.off += int64(len(b) - overlap) // a frame cut at the window's end is looked at again
	}
	return false, nil
}

// checkPayloads reads the payload file: a payload frame for each record
// in st, in order and where the log says, each with its checksums, its
// index and its length; blank where the log says the record was erased. It
// marks the records appended without a payload as erased. The frame of a
// record whose erasure was begun and not finished may hold anything. What
// follows the last record's frame is a torn batch.
func checkPayloads(r io.ReaderAt, size int64, st *state, name string) (torn *FileError, err error) {
	if err := checkMagic(r, size, payloadMagic, name); err != nil {
		return nil, err
	}
	return checkPayloadsFrom(r, size, st, name, 0)
}

// checkPayloadsFrom goes on with checkPayloads from the payload frame of
// record from, as if those before had been checked. It changes st.
func checkPayloadsFrom(r io.ReaderAt, size int64, st *state, name string, from int) (torn *FileError, err error) {
	corrupt := func(off, index int64, format string, args ...any) (*FileError, error) {
		return nil, &FileError{File: name, Offset: off, Index: index, Problem: fmt.Sprintf(format, args...), Err: audit.ErrCorrupt}
	}
	if size < st.payEnd {
		i := st.entries.Len() - 1
		for i > 0 && st.entries.At(i-1).payOff+headerSize+int64(st.entries.At(i-1).payN) > size {
			i--
		}
		return corrupt(st.entries.At(i).payOff, int64(i), "the file ends at %d, inside the payloads the log has committed, which end at %d", size, st.payEnd)
	}
	start := st.payEnd
	if from < st.entries.Len() {
		start = st.entries.At(from).payOff
	}
	fr := newFrameReader(r, start, st.payEnd)
	for i := from; i < st.entries.Len(); i++ {
		e, x := st.entries.At(i), int64(i)
		if x == st.pending {
			fr.skip(headerSize + int64(e.payN))
			continue
		}
		h, _, body, problem, err := fr.next()
		switch {
		case err != nil:
			return nil, fmt.Errorf("filestore: reading %s at %d: %w", name, e.payOff, err)
		case problem != "":
			return corrupt(e.payOff, x, "%s", problem)
		case h.n != int64(e.payN):
			return corrupt(e.payOff, x, "a payload frame of %d bytes, the log says %d", h.n, e.payN)
		case int64(binary.LittleEndian.Uint64(body)) != x:
			return corrupt(e.payOff, x, "the payload of record %d", int64(binary.LittleEndian.Uint64(body)))
		}
		switch h.kind {
		case kindPayload:
			if e.erased {
				return corrupt(e.payOff, x, "a payload the log says was erased")
			}
			if salt := int64(binary.LittleEndian.Uint32(body[8:])); salt > h.n-payloadPrefix {
				return corrupt(e.payOff, x, "a salt of %d bytes in a frame of %d", salt, h.n)
			}
		case kindBlank:
			if !allZero(body[8:]) {
				return corrupt(e.payOff, x, "an erased payload that is not blank")
			}
			e.erased = true
		default:
			return corrupt(e.payOff, x, "a frame of kind %q in the payload file", h.kind)
		}
	}
	if size > st.payEnd {
		return &FileError{File: name, Offset: st.payEnd, Index: int64(st.entries.Len()),
			Problem: "payloads after the last committed batch, of an incomplete batch; filestore.Repair drops them", Err: audit.ErrTorn}, nil
	}
	return nil, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
