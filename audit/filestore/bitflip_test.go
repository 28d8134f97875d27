package filestore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// TestBitFlips flips one bit of every byte of both files of a trail of
// 1,000 events, in turn, and checks that every flip is detected: Open
// refuses the store, or else audit.Verify against a checkpoint taken
// before fails.
//
// Open reads both files whole, and doing that half a million times takes
// minutes. So each flip is checked with the functions Open reads the files
// with, started where the flip can first matter: scanLogFrom at the end of
// the batch (or erasure) before the flipped byte, from the state scanLog
// reads from the log up to there; checkPayloadsFrom at the flipped
// record's frame, from the state of the whole log. That is what Open
// finds: the scans are folds from the start of each file, and the bytes
// before are unchanged. When a scan lets the flip pass, the case goes on,
// as Open does, and then to Open and Verify on real files. Every 997th
// flip also goes through Open on real files, which must fail with the same
// error as the scan started midway.
func TestBitFlips(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	s, err := Open(src)
	check(t, err)
	l, err := audit.NewLog(s)
	check(t, err)
	// Where the log's scan can start again: after its header, each batch
	// and each erasure.
	bounds := []int64{int64(len(logMagic))}
	events := storetest.Events(1000, epoch)
	for i := 0; i < len(events); i += 50 {
		_, err := l.AppendEvents(ctx, events[i:i+50]...)
		check(t, err)
		bounds = append(bounds, s.logEnd)
	}
	batches := len(bounds) - 1 // bounds[batches] is the end of the last batch
	// Erase three payloads, so that blank frames and erase marks are
	// flipped too.
	for _, i := range []int64{0, 499, 999} {
		check(t, l.Erase(ctx, i))
		bounds = append(bounds, s.logEnd)
	}
	c, err := l.Checkpoint(ctx, "bitflip", epoch)
	check(t, err)
	check(t, s.Close())
	log, pay := files(t, src)
	logN, payN := filepath.Join(src, LogFile), filepath.Join(src, PayloadFile)

	// The log's state at each bound, as scanLog reads the log up to it.
	states := make([]*state, len(bounds))
	for i, b := range bounds {
		st, torn, err := scanLog(bytes.NewReader(log[:b]), b, logN)
		if err != nil || torn != nil {
			t.Fatalf("the log up to %d: %v %v", b, err, torn)
		}
		states[i] = st
	}
	whole := states[len(states)-1]
	if torn, err := checkPayloads(bytes.NewReader(pay), int64(len(pay)), copyState(whole, false), payN); err != nil || torn != nil {
		t.Fatalf("the payload file: %v %v", err, torn)
	}

	// scan checks flipped files as Open does, starting midway, and returns
	// Open's error.
	scan := func(logB, payB []byte, flipped string, off int64) error {
		logR, payR := bytes.NewReader(logB), bytes.NewReader(payB)
		logSize, paySize := int64(len(logB)), int64(len(payB))
		if flipped == LogFile {
			var st *state
			var torn *FileError
			var err error
			if i := sort.Search(len(bounds), func(i int) bool { return bounds[i] > off }) - 1; i < 0 {
				st, torn, err = scanLog(logR, logSize, logN)
			} else {
				st, torn, err = scanLogFrom(logR, logSize, logN, copyState(states[i], i >= batches))
			}
			if err != nil {
				return err
			}
			ptorn, err := checkPayloads(payR, paySize, st, payN)
			return firstOf(err, torn, ptorn)
		}
		if off < int64(len(payloadMagic)) {
			torn, err := checkPayloads(payR, paySize, copyState(whole, false), payN)
			return firstOf(err, torn, nil)
		}
		i := sort.Search(whole.entries.Len(), func(i int) bool { return whole.entries.At(i).payOff > off }) - 1
		torn, err := checkPayloadsFrom(payR, paySize, copyState(whole, false), payN, i)
		return firstOf(err, torn, nil)
	}

	var cases, onFiles, undetected atomic.Int64
	t0 := time.Now()
	for _, f := range []struct {
		name string
		data []byte
	}{{LogFile, log}, {PayloadFile, pay}} {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			w := &flipper{name: f.name, dir: t.TempDir()}
			put(t, w.dir, log, pay)
			w.log, w.pay = bytes.Clone(log), bytes.Clone(pay)
			wg.Go(func() {
				err := w.run(&next, func(off int64) (bool, error) {
					cases.Add(1)
					err := scan(w.log, w.pay, f.name, off)
					if err != nil && off%997 != 0 {
						return true, nil
					}
					onFiles.Add(1)
					openErr, verifyErr, ferr := w.onFiles(off, func() (error, error) {
						s, err := Open(w.dir)
						if err != nil {
							return err, nil
						}
						defer s.Close()
						_, err = audit.Verify(ctx, s, &c)
						return nil, err
					})
					switch {
					case ferr != nil:
						return false, ferr
					case err != nil && !sameError(openErr, err):
						t.Errorf("%s byte %d: Open on the files says %v; scanning midway, %v", f.name, off, openErr, err)
					case err == nil && openErr != nil:
						t.Errorf("%s byte %d: Open on the files says %v; scanning midway, nothing", f.name, off, openErr)
					case openErr == nil && verifyErr == nil:
						t.Errorf("%s byte %d, bit %d flipped: Open and Verify both accept it", f.name, off, off%8)
						return undetected.Add(1) < 20, nil
					}
					return true, nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if n := cases.Load(); n != int64(len(log)+len(pay)) && !t.Failed() {
		t.Fatalf("checked %d flips, want %d", n, len(log)+len(pay))
	}
	t.Logf("%d flips (log %d bytes, payload file %d), %d of them also on files, %d undetected, in %v",
		cases.Load(), len(log), len(pay), onFiles.Load(), undetected.Load(), time.Since(t0).Round(time.Millisecond))
}

// A flipper flips bits of one of the two files of a store, in its own
// copies: in memory, and on files in dir.
type flipper struct {
	name     string // which file
	dir      string
	log, pay []byte
}

// run flips, in turn, one bit of each byte in the chunks of the file it
// takes from next, calling check with the file so flipped in memory. It
// stops when check returns false or an error.
func (w *flipper) run(next *atomic.Int64, check func(off int64) (bool, error)) error {
	b := w.log
	if w.name == PayloadFile {
		b = w.pay
	}
	const chunk = 4096
	for {
		from := next.Add(chunk) - chunk
		if from >= int64(len(b)) {
			return nil
		}
		for off := from; off < min(from+chunk, int64(len(b))); off++ {
			bit := byte(1) << (off % 8)
			b[off] ^= bit
			more, err := check(off)
			b[off] ^= bit
			if !more || err != nil {
				return err
			}
		}
	}
}

// onFiles writes the flipped byte at off to the file in dir, calls f, and
// writes the byte back.
func (w *flipper) onFiles(off int64, f func() (openErr, verifyErr error)) (openErr, verifyErr, err error) {
	file, err := os.OpenFile(filepath.Join(w.dir, w.name), os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	defer file.Close()
	b := w.log
	if w.name == PayloadFile {
		b = w.pay
	}
	if _, err := file.WriteAt(b[off:off+1], off); err != nil {
		return nil, nil, err
	}
	openErr, verifyErr = f()
	if _, err := file.WriteAt([]byte{b[off] ^ 1<<(off%8)}, off); err != nil {
		return nil, nil, fmt.Errorf("writing back byte %d: %w", off, err)
	}
	return openErr, verifyErr, nil
}

// firstOf returns Open's error from those of its steps: corruption first,
// then a torn log, then a torn payload file.
func firstOf(err error, torn, ptorn *FileError) error {
	switch {
	case err != nil:
		return err
	case torn != nil:
		return torn
	case ptorn != nil:
		return ptorn
	}
	return nil
}

// sameError reports whether two errors of Open are the same, but for the
// directory of the files.
func sameError(a, b error) bool {
	var fa, fb *FileError
	if errors.As(a, &fa) && errors.As(b, &fb) {
		return filepath.Base(fa.File) == filepath.Base(fb.File) && fa.Offset == fb.Offset && fa.Index == fb.Index &&
			fa.Problem == fb.Problem && fa.Err == fb.Err
	}
	return a != nil && b != nil && a.Error() == b.Error()
}

// copyState returns a copy of st that scanning can change. Scanning
// pushes onto its index, which is clipped so that pushing goes elsewhere,
// and changes records in place only to mark them erased: at an erase mark
// (E) in the log, and at a blank payload frame (X), which is there only
// for a record the log says is erased, so that marking it again changes
// nothing. The records are copied when an erase mark may be read.
func copyState(st *state, marks bool) *state {
	c := *st
	c.entries, c.hashes = st.entries.Clip(), st.hashes.Clip()
	if marks {
		c.entries = st.entries.Clone()
	}
	return &c
}
