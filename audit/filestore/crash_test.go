package filestore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// The crash tests build a store, then make the files a crash could leave
// (or a disk could damage) and check what Open and Repair make of them.

var epoch = time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A snapshot is a store as it was after a batch.
type snapshot struct {
	size       int64
	log, pay   int64 // the files' lengths
	checkpoint audit.Checkpoint
	records    []audit.Record
	head       []byte // the head file
}

// build appends batches of the sizes to a new store in dir and returns a
// snapshot after each, and the files' contents at the end.
func build(t testing.TB, dir string, sizes ...int) (snaps []snapshot, log, pay []byte) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(dir)
	check(t, err)
	defer s.Close()
	l, err := audit.NewLog(s)
	check(t, err)
	events := storetest.Events(sumOf(sizes), epoch)
	snaps = append(snaps, snapshotOf(t, s, l, dir))
	for _, k := range sizes {
		_, err := l.AppendEvents(ctx, events[:k]...)
		check(t, err)
		events = events[k:]
		snaps = append(snaps, snapshotOf(t, s, l, dir))
	}
	log, err = os.ReadFile(filepath.Join(dir, LogFile))
	check(t, err)
	pay, err = os.ReadFile(filepath.Join(dir, PayloadFile))
	check(t, err)
	return snaps, log, pay
}

func sumOf(xs []int) (n int) {
	for _, x := range xs {
		n += x
	}
	return n
}

func snapshotOf(t testing.TB, s *Store, l *audit.Log, dir string) snapshot {
	t.Helper()
	ctx := context.Background()
	c, err := l.Checkpoint(ctx, "crash", epoch)
	check(t, err)
	rs, err := s.Records(ctx, 0, c.Size)
	check(t, err)
	var sn snapshot
	sn.size, sn.checkpoint, sn.records = c.Size, c, rs
	for _, f := range []struct {
		name string
		n    *int64
	}{{LogFile, &sn.log}, {PayloadFile, &sn.pay}} {
		fi, err := os.Stat(filepath.Join(dir, f.name))
		check(t, err)
		*f.n = fi.Size()
	}
	sn.head, err = os.ReadFile(filepath.Join(dir, HeadFile))
	check(t, err)
	return sn
}

// put writes a store's two files into dir, and no head file, as a store
// made before there were head files has.
func put(t testing.TB, dir string, log, pay []byte) {
	t.Helper()
	check(t, os.WriteFile(filepath.Join(dir, LogFile), log, 0o600))
	check(t, os.WriteFile(filepath.Join(dir, PayloadFile), pay, 0o600))
	if err := os.Remove(filepath.Join(dir, HeadFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}

// putHead writes the head file of a snapshot into dir: the head a crash
// during the next batch leaves.
func putHead(t testing.TB, dir string, sn snapshot) {
	t.Helper()
	check(t, os.WriteFile(filepath.Join(dir, HeadFile), sn.head, 0o600))
}

// files reads a store's two files from dir.
func files(t testing.TB, dir string) (log, pay []byte) {
	t.Helper()
	log, err := os.ReadFile(filepath.Join(dir, LogFile))
	check(t, err)
	pay, err = os.ReadFile(filepath.Join(dir, PayloadFile))
	check(t, err)
	return log, pay
}

// holds checks that the store in dir opens and holds exactly the
// snapshot's records, and verifies against its checkpoint.
func holds(t testing.TB, dir string, want snapshot) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(dir)
	check(t, err)
	defer s.Close()
	n, err := s.Size(ctx)
	check(t, err)
	if n != want.size {
		t.Fatalf("%d records, want %d", n, want.size)
	}
	got, err := s.Records(ctx, 0, n)
	check(t, err)
	for i := range got {
		g, w := &got[i], &want.records[i]
		if !bytes.Equal(g.Leaf(), w.Leaf()) || !bytes.Equal(g.Salt, w.Salt) || !bytes.Equal(g.Payload, w.Payload) {
			t.Fatalf("record %d differs", i)
		}
	}
	if _, err := audit.Verify(ctx, s, &want.checkpoint); err != nil {
		t.Fatal(err)
	}
}

// torn checks that Open refuses the store in dir as torn, in the file
// at the offset, with the incomplete batch starting at record index.
func torn(t testing.TB, dir, file string, offset, index int64) {
	t.Helper()
	s, err := Open(dir)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a torn store")
	}
	var fe *FileError
	if !errors.Is(err, audit.ErrTorn) || !errors.As(err, &fe) {
		t.Fatalf("Open: %v, want a FileError matching ErrTorn", err)
	}
	if filepath.Base(fe.File) != file || fe.Offset != offset || fe.Index != index {
		t.Fatalf("Open: %v; want it in %s at offset %d, record %d", err, file, offset, index)
	}
}

// TestTornLastBatch cuts the log at every offset inside its last batch,
// as a crash while writing it can leave it, the payload file complete:
// Open must refuse every one as torn, and Repair must bring back exactly
// the batches before it, which verify.
func TestTornLastBatch(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 4, 7, 1, 3)
	before, after := snaps[len(snaps)-2], snaps[len(snaps)-1]
	dir := t.TempDir()
	for off := before.log; off < after.log; off++ {
		put(t, dir, log[:off], pay)
		if off%2 == 0 {
			putHead(t, dir, before) // the crash came before the batch was acknowledged
		}
		if off == before.log {
			torn(t, dir, PayloadFile, before.pay, before.size) // the log is whole; its batch's payloads are not
		} else {
			torn(t, dir, LogFile, before.log, before.size)
		}
		dropped, err := Repair(dir)
		check(t, err)
		if want := off - before.log + after.pay - before.pay; dropped != want {
			t.Fatalf("cut at %d: Repair dropped %d bytes, want %d", off, dropped, want)
		}
		holds(t, dir, before)
	}
	// The whole log is not torn, and Repair leaves it alone.
	put(t, dir, log, pay)
	dropped, err := Repair(dir)
	check(t, err)
	if dropped != 0 {
		t.Fatalf("Repair of a whole store dropped %d bytes", dropped)
	}
	holds(t, dir, after)
}

// TestTornPayloads cuts the payload file inside the last batch's payloads.
// With the log cut before that batch, as the payloads are written and
// synced first, it is a torn write. With the log whole it is corruption:
// a committed batch's payloads were synced before its commit frame was
// written, so Repair must not drop it.
func TestTornPayloads(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 5, 2, 4)
	before, after := snaps[len(snaps)-2], snaps[len(snaps)-1]
	dir := t.TempDir()
	for off := before.pay + 1; off < after.pay; off++ {
		put(t, dir, log[:before.log], pay[:off])
		putHead(t, dir, before)
		torn(t, dir, PayloadFile, before.pay, before.size)
		dropped, err := Repair(dir)
		check(t, err)
		if dropped != off-before.pay {
			t.Fatalf("cut at %d: Repair dropped %d bytes, want %d", off, dropped, off-before.pay)
		}
		holds(t, dir, before)

		put(t, dir, log, pay[:off])
		refused(t, dir)
	}
}

// refused checks that Open reports the store in dir as corrupt and that
// Repair leaves it as it is.
func refused(t testing.TB, dir string) {
	t.Helper()
	log, pay := files(t, dir)
	if s, err := Open(dir); !errors.Is(err, audit.ErrCorrupt) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open: %v, want ErrCorrupt", err)
	}
	if _, err := Repair(dir); !errors.Is(err, audit.ErrCorrupt) {
		t.Fatalf("Repair: %v, want ErrCorrupt", err)
	}
	if l, p := files(t, dir); !bytes.Equal(l, log) || !bytes.Equal(p, pay) {
		t.Fatal("Repair changed a corrupt store")
	}
}

// TestTornGarbage covers torn writes that leave more than a prefix: a file
// extended with zeros whose data never reached the disk, and frames of the
// last batch that are there but damaged, its commit frame missing.
func TestTornGarbage(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 3, 3)
	before, after := snaps[1], snaps[2]
	dir := t.TempDir()

	t.Run("zeros after the log", func(t *testing.T) {
		put(t, dir, append(bytes.Clone(log), make([]byte, 100)...), pay)
		torn(t, dir, LogFile, after.log, after.size)
		dropped, err := Repair(dir)
		check(t, err)
		if dropped != 100 {
			t.Fatalf("dropped %d bytes, want 100", dropped)
		}
		holds(t, dir, after)
	})
	t.Run("zeros for the last batch", func(t *testing.T) {
		l := bytes.Clone(log)
		clear(l[before.log+headerSize+20:])
		put(t, dir, l, pay)
		putHead(t, dir, before)
		torn(t, dir, LogFile, before.log, before.size)
		_, err := Repair(dir)
		check(t, err)
		holds(t, dir, before)
	})
	t.Run("a damaged record without its commit", func(t *testing.T) {
		l := bytes.Clone(log[:after.log-headerSize-commitSize])
		l[before.log+headerSize+50] ^= 0x40
		put(t, dir, l, pay)
		putHead(t, dir, before)
		torn(t, dir, LogFile, before.log, before.size)
		_, err := Repair(dir)
		check(t, err)
		holds(t, dir, before)
	})
	t.Run("zeros after the payloads", func(t *testing.T) {
		put(t, dir, log, append(bytes.Clone(pay), make([]byte, 7)...))
		torn(t, dir, PayloadFile, after.pay, after.size)
		_, err := Repair(dir)
		check(t, err)
		holds(t, dir, after)
	})
	// A commit frame whose sectors a crash left unwritten is torn.
	t.Run("zeros for the last commit", func(t *testing.T) {
		l := bytes.Clone(log)
		clear(l[after.log-headerSize-commitSize:])
		put(t, dir, l, pay)
		putHead(t, dir, before)
		torn(t, dir, LogFile, before.log, before.size)
		_, err := Repair(dir)
		check(t, err)
		holds(t, dir, before)
	})
	// Damage to the last commit frame is not a torn write of it (see
	// TestDamagedLastCommit).
	t.Run("a damaged last commit", func(t *testing.T) {
		l := bytes.Clone(log)
		l[len(l)-3] ^= 1
		put(t, dir, l, pay)
		refused(t, dir)
	})
}

// TestDamageIsNotTorn checks that damage before a complete batch, even in
// the last batch when its commit frame is whole, is corruption, which
// Repair leaves alone: it never drops a batch that was synced.
func TestDamageIsNotTorn(t *testing.T) {
	snaps, log, pay := build(t, t.TempDir(), 3, 3, 3)
	dir := t.TempDir()
	for _, off := range []int64{
		snaps[1].log + 40,                   // a record of the middle batch
		snaps[2].log + 2,                    // the header of the last batch's first record
		snaps[3].log - commitSize - 2*tlogH, // the last batch's hashes
		snaps[2].log - 5,                    // the middle batch's commit frame
	} {
		l := bytes.Clone(log)
		l[off] ^= 0x10
		put(t, dir, l, pay)
		refused(t, dir)
	}
	put(t, dir, log, pay[:snaps[1].pay+10])
	refused(t, dir)
}

const tlogH = 32

// TestCrashDuringErase makes the files a crash leaves at each step of an
// erasure: Open finishes an erasure whose mark was synced, and a torn mark
// is a torn write, after whose repair the payload is still there.
func TestCrashDuringErase(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	snaps, log0, pay0 := build(t, src, 4, 4)
	last := snaps[len(snaps)-1]
	s, err := Open(src)
	check(t, err)
	check(t, s.Erase(ctx, 5))
	e := *s.entries.At(5)
	check(t, s.Close())
	log1, pay1 := files(t, src)
	mark := int64(headerSize + markSize)
	if int64(len(log1)) != last.log+2*mark || !bytes.Equal(log1[:last.log], log0) {
		t.Fatal("the erasure did not append its two marks")
	}
	half := bytes.Clone(pay0)
	copy(half[e.payOff:e.payOff+headerSize+int64(e.payN)/2], pay1[e.payOff:])

	erased := func(t *testing.T, dir string) {
		t.Helper()
		holds(t, dir, snapshot{size: last.size, checkpoint: last.checkpoint, records: erasedAt(last.records, 5)})
		if l, p := files(t, dir); !bytes.Equal(l, log1) || !bytes.Equal(p, pay1) {
			t.Fatal("the finished erasure left other files than the erasure itself")
		}
	}
	dir := t.TempDir()
	for name, payload := range map[string][]byte{"before the overwrite": pay0, "during it": half, "after it": pay1} {
		t.Run("marked, "+name, func(t *testing.T) {
			put(t, dir, log1[:last.log+mark], payload)
			erased(t, dir)
		})
	}
	t.Run("mark torn", func(t *testing.T) {
		for cut := int64(0); cut < mark; cut++ {
			put(t, dir, log1[:last.log+cut], pay0)
			putHead(t, dir, last)
			if cut > 0 {
				torn(t, dir, LogFile, last.log, last.size)
				_, err := Repair(dir)
				check(t, err)
			}
			holds(t, dir, last) // not erased
		}
	})
	t.Run("done mark torn", func(t *testing.T) {
		put(t, dir, log1[:len(log1)-3], pay1)
		torn(t, dir, LogFile, last.log+mark, last.size)
		_, err := Repair(dir)
		check(t, err)
		erased(t, dir)
	})
}

func erasedAt(rs []audit.Record, i int) []audit.Record {
	out := append([]audit.Record(nil), rs...)
	out[i].Salt, out[i].Payload = nil, nil
	return out
}

// TestInterruptedCreation checks that files holding no more than the start
// of their headers, as a crash while creating the store leaves them, make
// an empty store, and that anything else there is corruption.
func TestInterruptedCreation(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ log, pay string }{
		{"", ""}, {logMagic[:7], ""}, {"", payloadMagic}, {logMagic[:len(logMagic)-1], payloadMagic[:3]},
	} {
		put(t, dir, []byte(c.log), []byte(c.pay))
		holds(t, dir, snapshot{checkpoint: audit.Checkpoint{Root: emptyRoot(t)}})
	}
	put(t, dir, []byte("vaststelling audit LOG"), nil)
	refused(t, dir)
	put(t, dir, []byte(logMagic), []byte("vaststelling audit payload v2\n"))
	refused(t, dir)
}

func emptyRoot(t testing.TB) (h [32]byte) {
	rep, err := audit.Verify(context.Background(), &audit.MemoryStore{}, nil)
	check(t, err)
	return rep.Root
}
