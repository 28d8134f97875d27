package vaststelling

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

// snapshotMagic begins every snapshot of an office: the name and version
// of its form. A snapshot of another form is not read (and the office
// folds the trail instead).
const snapshotMagic = "vaststelling-office-snapshot v2\n"

// ErrSnapshot: a snapshot that does not read back, or does not match the
// trail. Opening never fails on it: the office folds the trail instead.
var ErrSnapshot = errors.New("unusable snapshot")

// snapshotHeader is what a snapshot holds besides the results.
type snapshotHeader struct {
	Deliveries int                        `json:"deliveries"`
	Reports    map[string][]string        `json:"reports"`
	Mandates   []result.Mandate           `json:"mandates"`
	Notices    map[string][]notice        `json:"notices"`
	ToldLate   map[string]time.Time       `json:"told_late,omitempty"`
	Samples    map[uint64][]string        `json:"samples,omitempty"`
	Findings   map[uint64][]Finding       `json:"findings,omitempty"`
	Successors map[string]string          `json:"successors,omitempty"`
	LastRun    calendar.Date              `json:"last_run"`
	Lease      runEntry                   `json:"lease"`
	Due        map[calendar.Date][]string `json:"due"`
	Broken     map[string]string          `json:"broken"`
	Erased     map[string]bool            `json:"erased"`
}

// Snapshot writes the office as the trail holds it to its snapshot store,
// bound to the trail's size and root, so that Open folds only the records
// after it. It has the office to itself while it writes. Without a
// snapshot store it does nothing.
//
// The form: the magic line, the size (8 bytes, big-endian) and root (32
// bytes) of the trail, the length (4 bytes) and JSON of the header, its
// SHA-256, and the results as oke.MemoryStore writes them.
func (o *Office) Snapshot(ctx context.Context) error {
	if o.snaps == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.stale {
		if err := o.catchUp(ctx); err != nil {
			return fmt.Errorf("vaststelling: snapshot: catching up: %w", err)
		}
	}
	size := o.p.size
	root, err := o.log.Root(ctx, size)
	if err != nil {
		return fmt.Errorf("vaststelling: snapshot: the trail's root at %d: %w", size, err)
	}
	head, err := json.Marshal(snapshotHeader{Deliveries: o.p.deliveries, Reports: o.p.reports, Mandates: o.p.mandates,
		Notices: o.p.notices, ToldLate: o.p.toldLate, Samples: o.p.samples, Findings: o.p.findings,
		Successors: o.p.successors, LastRun: o.p.lastRun, Lease: o.p.lease, Due: o.p.watch.due, Broken: o.p.watch.broken, Erased: o.p.erased})
	if err != nil {
		return fmt.Errorf("vaststelling: snapshot: %w", err)
	}
	err = o.snaps.WriteSnapshot(ctx, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		var fixed [8 + tlog.HashSize + 4]byte
		binary.BigEndian.PutUint64(fixed[:], uint64(size))
		copy(fixed[8:], root[:])
		binary.BigEndian.PutUint32(fixed[8+tlog.HashSize:], uint32(len(head)))
		sum := sha256.Sum256(head)
		for _, b := range [][]byte{[]byte(snapshotMagic), fixed[:], head, sum[:]} {
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
		if err := o.p.results.WriteSnapshot(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("vaststelling: snapshot at %d: %w", size, err)
	}
	o.snapAt = size
	return nil
}

// snapshotIfDue writes a snapshot when the trail grew enough since the
// last; a snapshot that fails is logged, and tried again on the next run.
func (o *Office) snapshotIfDue(ctx context.Context) {
	o.mu.Lock()
	due := o.snaps != nil && o.cfg.SnapshotEvery > 0 && o.p.size-o.snapAt >= o.cfg.SnapshotEvery
	o.mu.Unlock()
	if !due {
		return
	}
	if err := o.Snapshot(ctx); err != nil {
		o.logger.Error("vaststelling: writing a snapshot", "err", err)
	}
}

// resume builds the projection: from the snapshot when there is one that
// matches the trail, and the records after it.
func (o *Office) resume(ctx context.Context) error {
	if o.snaps != nil {
		switch p, err := o.readSnapshot(ctx); {
		case err == nil:
			o.p, o.snapAt = p, p.size
		case errors.Is(err, audit.ErrNoSnapshot):
		default:
			o.logger.Warn("vaststelling: the snapshot is not used; folding the whole trail", "err", err)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.catchUp(ctx); err != nil {
		return fmt.Errorf("vaststelling: opening the office over the trail: %w", err)
	}
	return nil
}

// readSnapshot reads the snapshot and checks it against the trail.
func (o *Office) readSnapshot(ctx context.Context) (projection, error) {
	p := newProjection()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("vaststelling: %w: %s", ErrSnapshot, fmt.Sprintf(format, args...))
	}
	err := o.snaps.ReadSnapshot(ctx, func(r io.Reader) error {
		br := bufio.NewReaderSize(r, 1<<20)
		var fixed [len(snapshotMagic) + 8 + tlog.HashSize + 4]byte
		if _, err := io.ReadFull(br, fixed[:]); err != nil {
			return bad("its header: %v", err)
		}
		if string(fixed[:len(snapshotMagic)]) != snapshotMagic {
			return bad("not a %q snapshot", snapshotMagic[:len(snapshotMagic)-1])
		}
		rest := fixed[len(snapshotMagic):]
		size := int64(binary.BigEndian.Uint64(rest))
		var root tlog.Hash
		copy(root[:], rest[8:])
		n := binary.BigEndian.Uint32(rest[8+tlog.HashSize:])
		if n > 1<<30 {
			return bad("a header of %d bytes", n)
		}
		head := make([]byte, n+sha256.Size)
		if _, err := io.ReadFull(br, head); err != nil {
			return bad("its header: %v", err)
		}
		if sum := sha256.Sum256(head[:n]); !bytes.Equal(sum[:], head[n:]) {
			return bad("its header does not match its checksum")
		}
		trail, err := o.store.Size(ctx)
		if err != nil {
			return err
		}
		if size < 0 || size > trail {
			return bad("it stands at %d records, the trail holds %d", size, trail)
		}
		if got, err := o.log.Root(ctx, size); err != nil {
			return err
		} else if got != root {
			return bad("its root at %d records is not the trail's", size)
		}
		var h snapshotHeader
		if err := json.Unmarshal(head[:n], &h); err != nil {
			return bad("its header: %v", err)
		}
		results, err := oke.ReadStoreSnapshot(br, o.cfg.Calendar.Location())
		if err != nil {
			return bad("its results: %v", err)
		}
		p.results = results
		if len(h.Mandates) > 0 {
			set, err := result.NewMandateSet(h.Mandates...)
			if err != nil {
				return bad("its mandates: %v", err)
			}
			p.mandates, p.set = h.Mandates, set
		}
		p.size, p.deliveries, p.lastRun, p.lease = size, h.Deliveries, h.LastRun, h.Lease
		for k, v := range h.Reports {
			p.reports[k] = v
		}
		for k, v := range h.Notices {
			p.notices[k] = v
		}
		for k, v := range h.ToldLate {
			p.toldLate[k] = v
		}
		for k, v := range h.Samples {
			p.samples[k] = v
		}
		for k, v := range h.Findings {
			p.findings[k] = v
		}
		for k, v := range h.Successors {
			p.successors[k] = v
		}
		for k, v := range h.Due {
			p.watch.due[k] = v
		}
		for k, v := range h.Broken {
			p.watch.broken[k] = v
		}
		for k, v := range h.Erased {
			p.erased[k] = v
		}
		return nil
	})
	return p, err
}
