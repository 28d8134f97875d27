package oke

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"reflect"
	"slices"
	"time"
)

// A store snapshot is a MemoryStore's results written out as they are
// packed, for an office to load at start rather than rebuild them: a year
// of results loads in a fraction of a second (BenchmarkStoreSnapshot).
//
// The format, version 2, is an 8-byte magic "OKESNAP\x00" and a version
// (uint32, little-endian), then frames. A frame is its type (one byte), the
// length of its payload (uint32) and a CRC-32C (Castagnoli, uint32) of the
// frame's number in the file (uint64, from 0), its type, its length and its
// payload; then the payload. A damaged frame fails its checksum, and so
// does one dropped, doubled or moved; a snapshot cut short lacks its end.
// The frames come in this order:
//
//   - zones, once: the time zones the packed results refer to by number
//     (see locations): how many, then each as its kind, name and, for a
//     fixed zone, offset;
//   - results: packed results, each as its length and its bytes, in the
//     order their places were made on the shelf (the order of arrival);
//   - sessions: pieces of the session index, each a session (SessionKey: the
//     executedOfferingName), a count and the positions of its results in
//     the order above (zigzag deltas);
//   - related: pieces of the retake index, each an original id, a count and
//     the ids that retake it;
//   - end, once: the number of results, session entries and related ids,
//     which must match what was read; nothing may follow it.
//
// Numbers are varints (encoding/binary) unless said otherwise. The packing
// of a result is private to one version of this package (packed.go): a
// snapshot is for loading by the same version of the library that wrote
// it, as an office does at a restart; the version refuses any other
// format, and every result is unpacked once while loading, so that a
// snapshot whose results do not read back is refused rather than taken.
// Version 1 keyed the session index by the enrolment's offering; a
// snapshot of it is refused with ErrSnapshotVersion, and its reader
// rebuilds the store from its source (an office folds its trail).

const (
	snapshotMagic   = "OKESNAP\x00"
	snapshotVersion = 2
)

// The frames' types, in the order they come.
const (
	frameZones byte = 1 + iota
	frameResults
	frameSessions
	frameRelated
	frameEnd
)

const (
	frameHeader = 9       // type, length, checksum
	frameTarget = 1 << 20 // a frame is written once its payload reaches this
	maxFrame    = 1 << 26 // a frame longer than this is refused unread
	maxPiece    = 1 << 16 // entries of one piece of an index
	maxName     = 1 << 16 // bytes of an id, session or zone name

	zoneLocal byte = 1 // time.Local of the process that reads
	zoneFixed byte = 2 // time.FixedZone(name, offset)
	zoneNamed byte = 3 // a zone given to ReadStoreSnapshot by name, or time.LoadLocation(name)
)

// Errors of snapshots.
var (
	// ErrSnapshot is matched by the error of a snapshot that is damaged,
	// cut short, or not a store snapshot at all. A snapshot cut short
	// matches io.ErrUnexpectedEOF as well.
	ErrSnapshot = errors.New("damaged store snapshot")
	// ErrSnapshotVersion is matched by the error of a store snapshot in a
	// format this version of the package does not read.
	ErrSnapshotVersion = errors.New("store snapshot of an unknown version")
	// ErrSnapshotEvents is matched by WriteSnapshot's error for a store
	// that keeps events (made by NewStore): a snapshot holds no events,
	// and a store loaded from it would have lost them unsaid.
	ErrSnapshotEvents = errors.New("a store that keeps events has no snapshot")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// frameSum is the checksum of a frame: its number, type, length and payload.
func frameSum(seq uint64, typ byte, payload []byte) uint32 {
	var head [13]byte
	binary.LittleEndian.PutUint64(head[:8], seq)
	head[8] = typ
	binary.LittleEndian.PutUint32(head[9:], uint32(len(payload)))
	return crc32.Update(crc32.Update(0, castagnoli, head[:]), castagnoli, payload)
}

// WriteSnapshot writes the store's results, the time zones their packed
// form refers to, and the session and retake indexes to w (the format is
// described in store_snapshot.go), for ReadStoreSnapshot to load. The
// results are written as they are packed, neither unpacked nor packed
// again. The delivery log is not written: a snapshot is of the results.
// A store that keeps events (NewStore) is refused with ErrSnapshotEvents;
// snapshot one made by NewResultStore, whose events are in a trail.
//
// The store is locked while it writes, so that the snapshot is of one
// moment: Save and the readers wait, for some 100 ms a million results
// plus what w takes. An error of w is returned as it is, wrapped.
func (s *MemoryStore) WriteSnapshot(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.noEvents {
		return fmt.Errorf("oke: %w", ErrSnapshotEvents)
	}
	fw := frameWriter{w: w, buf: make([]byte, frameHeader, frameHeader+frameTarget+1024)}
	var head [len(snapshotMagic) + 4]byte
	copy(head[:], snapshotMagic)
	binary.LittleEndian.PutUint32(head[len(snapshotMagic):], snapshotVersion)
	if _, err := w.Write(head[:]); err != nil {
		return fmt.Errorf("oke: writing store snapshot: %w", err)
	}

	s.locs.mu.RLock()
	zones := slices.Clone(s.locs.list)
	s.locs.mu.RUnlock()
	fw.uint(uint64(len(zones)))
	for _, loc := range zones {
		kind, name, offset := zoneOf(loc)
		fw.buf = append(fw.buf, kind)
		fw.string(name)
		if kind == zoneFixed {
			fw.buf = binary.AppendVarint(fw.buf, int64(offset))
		}
	}
	fw.flush(frameZones)

	ps, rank := s.results.arrival()
	for _, p := range ps {
		b := s.results.bytes(p)
		fw.uint(uint64(len(b)))
		fw.buf = append(fw.buf, b...)
		fw.flushFull(frameResults)
	}
	fw.flushAny(frameResults)

	entries := 0
	for _, session := range sortedKeys(s.sessions) {
		for piece := range slices.Chunk(s.sessions[session], maxPiece) {
			fw.string(session)
			fw.uint(uint64(len(piece)))
			prev := int64(0)
			for _, k := range piece {
				i := s.results.index.slot(k)
				if i < 0 {
					return fmt.Errorf("oke: internal error: session %s has a result the store does not hold", session)
				}
				fw.buf = binary.AppendVarint(fw.buf, int64(rank[i])-prev)
				prev = int64(rank[i])
			}
			entries += len(piece)
			fw.flushFull(frameSessions)
		}
	}
	fw.flushAny(frameSessions)

	related := 0
	for _, original := range sortedKeys(s.related) {
		for piece := range slices.Chunk(s.related[original], maxPiece) {
			fw.string(original)
			fw.uint(uint64(len(piece)))
			for _, id := range piece {
				fw.string(id)
			}
			related += len(piece)
			fw.flushFull(frameRelated)
		}
	}
	fw.flushAny(frameRelated)

	fw.uint(uint64(len(ps)))
	fw.uint(uint64(entries))
	fw.uint(uint64(related))
	fw.flush(frameEnd)
	return fw.err
}

// zoneOf says how a zone is written: time.Local by its kind alone, a fixed
// zone by its name and offset, any other by its name.
func zoneOf(loc *time.Location) (kind byte, name string, offset int) {
	if loc == time.Local {
		return zoneLocal, "", 0
	}
	name = loc.String()
	_, offset = time.Unix(0, 0).In(loc).Zone()
	if reflect.DeepEqual(loc, time.FixedZone(name, offset)) {
		return zoneFixed, name, offset
	}
	return zoneNamed, name, 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// frameWriter writes frames; buf is the frame being built, its header
// first. The first error sticks.
type frameWriter struct {
	w   io.Writer
	seq uint64
	buf []byte
	err error
}

func (f *frameWriter) uint(v uint64)   { f.buf = binary.AppendUvarint(f.buf, v) }
func (f *frameWriter) string(s string) { f.uint(uint64(len(s))); f.buf = append(f.buf, s...) }

// flushFull writes the frame once its payload has reached frameTarget.
func (f *frameWriter) flushFull(typ byte) {
	if len(f.buf)-frameHeader >= frameTarget {
		f.flush(typ)
	}
}

// flushAny writes the frame unless its payload is empty.
func (f *frameWriter) flushAny(typ byte) {
	if len(f.buf) > frameHeader {
		f.flush(typ)
	}
}

func (f *frameWriter) flush(typ byte) {
	payload := f.buf[frameHeader:]
	if f.err == nil {
		f.buf[0] = typ
		binary.LittleEndian.PutUint32(f.buf[1:5], uint32(len(payload)))
		binary.LittleEndian.PutUint32(f.buf[5:9], frameSum(f.seq, typ, payload))
		if _, err := f.w.Write(f.buf); err != nil {
			f.err = fmt.Errorf("oke: writing store snapshot: %w", err)
		}
	}
	f.seq++
	f.buf = f.buf[:frameHeader]
}

// ReadStoreSnapshot loads a store that WriteSnapshot wrote: a store made
// as NewResultStore makes one, with every result, session and retake the
// written store had, and an empty delivery log (its Keep numbers from 1).
//
// Times come back in the zones they were packed in. A zone written by name
// takes the first of zones with that name, else time.LoadLocation's; pass
// the calendar's location, so that a time read back is in the very zone
// the intake puts its times in (a result then equals the one written, by
// == as well as by value), and so that a process without the zone
// database can read it. time.Local is the reading process's.
//
// A snapshot damaged, cut short, or not a store snapshot is an error
// matching ErrSnapshot, one of another format version ErrSnapshotVersion;
// an error of r is returned wrapped. No input makes it panic, and its
// memory grows with what it reads, not with what a damaged length claims.
func ReadStoreSnapshot(r io.Reader, zones ...*time.Location) (*MemoryStore, error) {
	fr := frameReader{r: r}
	var head [len(snapshotMagic) + 4]byte
	if err := fr.full(head[:]); err != nil {
		return nil, err
	}
	if string(head[:len(snapshotMagic)]) != snapshotMagic {
		return nil, fr.bad(0, "no store snapshot (its first bytes are not %q)", snapshotMagic)
	}
	if v := binary.LittleEndian.Uint32(head[len(snapshotMagic):]); v != snapshotVersion {
		return nil, fmt.Errorf("oke: store snapshot version %d, this package reads version %d: %w", v, snapshotVersion, ErrSnapshotVersion)
	}

	s := NewResultStore()
	var placed []loose // the results read, until the first frame after them indexes them
	var keys []uint64  // the results' keys, by position in the snapshot
	entries, related := 0, 0
	last := byte(0)
	for {
		typ, payload, err := fr.next()
		if err != nil {
			return nil, err
		}
		switch {
		case last == 0 && typ != frameZones, typ < last, typ == last && (typ == frameZones || typ == frameEnd),
			typ < frameZones || typ > frameEnd:
			return nil, fr.bad(fr.at, "a frame of type %d after one of type %d", typ, last)
		}
		last = typ
		p := payloadReader{b: payload}
		switch typ {
		case frameZones:
			n := p.count(2)
			for range n {
				loc, problem := p.zone(zones)
				if problem != "" {
					return nil, fr.bad(fr.at, "%s", problem)
				}
				s.locs.list = append(s.locs.list, loc)
			}
		case frameResults:
			for len(p.b) > 0 && !p.bad {
				b := p.bytes(p.uint())
				if p.bad {
					break
				}
				r, err := unpack(b, &s.locs)
				if err != nil {
					return nil, fr.bad(fr.at, "result %d does not unpack", len(placed)+1)
				}
				if len(placed) == math.MaxUint32 {
					return nil, fr.bad(fr.at, "more than %d results", len(placed))
				}
				placed = append(placed, loose{hash: s.results.hash(r.ID), p: s.results.place(b), at: uint32(len(placed))})
			}
		case frameSessions, frameRelated, frameEnd:
			if keys == nil {
				keys = make([]uint64, len(placed))
				if twice, ok := s.results.adopt(placed, keys); !ok {
					return nil, fr.bad(fr.at, "result %s twice", quoteValue(twice))
				}
				placed = nil
			}
		}
		switch typ {
		case frameSessions:
			for len(p.b) > 0 && !p.bad {
				session := p.string()
				n := p.count(1)
				list := s.sessions[session]
				at := int64(0)
				for range n {
					at += p.int()
					if at < 0 || at >= int64(len(keys)) {
						return nil, fr.bad(fr.at, "session %s names result %d of %d", quoteValue(session), at, len(keys))
					}
					list = append(list, keys[at])
				}
				s.sessions[session] = list
				entries += n
			}
		case frameRelated:
			for len(p.b) > 0 && !p.bad {
				original := p.string()
				n := p.count(1)
				list := s.related[original]
				for range n {
					list = append(list, p.string())
				}
				s.related[original] = list
				related += n
			}
		case frameEnd:
			n, e, rel := p.uint(), p.uint(), p.uint()
			if !p.bad && len(p.b) == 0 && (n != uint64(len(keys)) || e != uint64(entries) || rel != uint64(related)) {
				return nil, fr.bad(fr.at, "%d results, %d session entries and %d related ids read, the end says %d, %d and %d",
					len(keys), entries, related, n, e, rel)
			}
		}
		if p.bad || len(p.b) != 0 {
			return nil, fr.bad(fr.at, "a frame of type %d does not read", typ)
		}
		if typ == frameEnd {
			break
		}
	}
	var one [1]byte
	if n, err := io.ReadFull(r, one[:]); n > 0 {
		return nil, fr.bad(fr.off, "data after the end")
	} else if err != io.EOF {
		return nil, fmt.Errorf("oke: reading store snapshot: %w", err)
	}
	return s, nil
}

// frameReader reads frames and checks them; off counts the bytes read,
// at is the offset of the last frame.
type frameReader struct {
	r       io.Reader
	seq     uint64
	off, at int64
	buf     []byte
}

func (f *frameReader) bad(at int64, format string, args ...any) error {
	return fmt.Errorf("oke: store snapshot at byte %d: %s: %w", at, fmt.Sprintf(format, args...), ErrSnapshot)
}

// full reads len(b) bytes; a snapshot that ends before is cut short.
func (f *frameReader) full(b []byte) error {
	n, err := io.ReadFull(f.r, b)
	f.off += int64(n)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return fmt.Errorf("oke: store snapshot at byte %d: cut short: %w (%w)", f.off, ErrSnapshot, io.ErrUnexpectedEOF)
	case err != nil:
		return fmt.Errorf("oke: reading store snapshot: %w", err)
	}
	return nil
}

// next reads the next frame and returns its type and payload, which holds
// until the next call.
func (f *frameReader) next() (byte, []byte, error) {
	f.at = f.off
	var h [frameHeader]byte
	if err := f.full(h[:]); err != nil {
		return 0, nil, err
	}
	typ, size, sum := h[0], binary.LittleEndian.Uint32(h[1:5]), binary.LittleEndian.Uint32(h[5:9])
	if size > maxFrame {
		return 0, nil, f.bad(f.at, "a frame of %d bytes, more than %d", size, maxFrame)
	}
	// Read in steps of at most a frame's usual size, so that a damaged
	// length costs the memory of what is there, not of what it claims.
	f.buf = f.buf[:0]
	for len(f.buf) < int(size) {
		step := min(int(size)-len(f.buf), frameTarget+1024)
		f.buf = slices.Grow(f.buf, step)
		if err := f.full(f.buf[len(f.buf) : len(f.buf)+step]); err != nil {
			return 0, nil, err
		}
		f.buf = f.buf[:len(f.buf)+step]
	}
	if frameSum(f.seq, typ, f.buf) != sum {
		return 0, nil, f.bad(f.at, "frame %d fails its checksum", f.seq)
	}
	f.seq++
	return typ, f.buf, nil
}

// payloadReader reads a frame's payload; the first problem sticks.
type payloadReader struct {
	b   []byte
	bad bool
}

func (p *payloadReader) uint() uint64 {
	v, n := binary.Uvarint(p.b)
	if n <= 0 {
		p.bad, p.b = true, nil
		return 0
	}
	p.b = p.b[n:]
	return v
}

func (p *payloadReader) int() int64 {
	v, n := binary.Varint(p.b)
	if n <= 0 {
		p.bad, p.b = true, nil
		return 0
	}
	p.b = p.b[n:]
	return v
}

// count reads a number of things that take at least min bytes each, and
// refuses one the payload cannot hold.
func (p *payloadReader) count(min int) int {
	n := p.uint()
	if n > uint64(len(p.b)/min) {
		p.bad, p.b = true, nil
		return 0
	}
	return int(n)
}

func (p *payloadReader) bytes(n uint64) []byte {
	if n > uint64(len(p.b)) {
		p.bad, p.b = true, nil
		return nil
	}
	b := p.b[:n]
	p.b = p.b[n:]
	return b
}

func (p *payloadReader) string() string {
	n := p.uint()
	if n > maxName {
		p.bad, p.b = true, nil
		return ""
	}
	return string(p.bytes(n))
}

// zone reads a zone, or says why it does not.
func (p *payloadReader) zone(given []*time.Location) (*time.Location, string) {
	kind := p.bytes(1)
	name := p.string()
	if p.bad {
		return nil, "a zone does not read"
	}
	switch kind[0] {
	case zoneLocal:
		return time.Local, ""
	case zoneFixed:
		offset := p.int()
		if p.bad || offset < -(1<<20) || offset > 1<<20 {
			return nil, "a fixed zone's offset does not read"
		}
		return time.FixedZone(name, int(offset)), ""
	case zoneNamed:
		for _, loc := range given {
			if loc != nil && loc.String() == name {
				return loc, ""
			}
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil, fmt.Sprintf("zone %s does not load (%v); pass it to ReadStoreSnapshot", quoteValue(name), err)
		}
		return loc, ""
	}
	return nil, fmt.Sprintf("a zone of unknown kind %d", kind[0])
}
