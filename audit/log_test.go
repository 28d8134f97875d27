package audit_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

var (
	ctx   = context.Background()
	start = time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)
)

func filled(t testing.TB, n int) (*audit.Log, *audit.MemoryStore) {
	t.Helper()
	s := &audit.MemoryStore{}
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	events := storetest.Events(n, start)
	for i := 0; i < n; i += 100 {
		_, err := l.AppendEvents(ctx, events[i:min(i+100, n)]...)
		require.NoError(t, err)
	}
	return l, s
}

func TestRecordEncoding(t *testing.T) {
	_, s := filled(t, 3)
	rs, err := s.Records(ctx, 0, 3)
	require.NoError(t, err)
	leaf := rs[2].Leaf()
	assert.True(t, strings.HasPrefix(string(leaf), "vaststelling-audit v1\nindex 2\ntime \"2027-03-01T09:02:00Z\"\n"+
		"result \"assoc-000000\"\nseq 3\ntype \"determined\"\nfrom \"provisional\"\nto \"final\"\n"+
		"role \"exam_administration\"\nmandate \"M-2026-01\"\ncommitment "), string(leaf))
	back, err := audit.ParseLeaf(leaf)
	require.NoError(t, err)
	back.Salt, back.Payload = rs[2].Salt, rs[2].Payload
	assert.Equal(t, rs[2], back)

	// Strict: any change of form is refused, even one that reads the same.
	for _, bad := range []string{
		strings.Replace(string(leaf), "index 2", "index 02", 1),
		strings.Replace(string(leaf), "v1", "v2", 1),
		strings.Replace(string(leaf), "seq 3\n", "seq 3\nextra 1\n", 1),
		strings.TrimSuffix(string(leaf), "\n"),
		strings.Replace(string(leaf), `"final"`, `final`, 1),
		strings.Replace(string(leaf), "time \"2027-03-01T09:02:00Z\"", "time \"2027-03-01T10:02:00+01:00\"", 1),
	} {
		_, err := audit.ParseLeaf([]byte(bad))
		assert.ErrorIs(t, err, audit.ErrCorrupt, bad)
	}
	// A line without its name is named in the error.
	_, err = audit.ParseLeaf([]byte(strings.Replace(string(leaf), "\nindex 2\n", "\n 2\n", 1)))
	assert.ErrorContains(t, err, "line 2: want index")

	// The event comes back whole.
	events := storetest.Events(3, start)
	for i, r := range rs {
		e, err := r.Event()
		require.NoError(t, err)
		e.At = e.At.In(time.UTC)
		assert.Equal(t, events[i], e)
	}
}

// Every proof at every size of a small log checks, and every flipped bit
// of a proof hash fails.
func TestProofs(t *testing.T) {
	l, _ := filled(t, 40)
	var checkpoints []audit.Checkpoint
	for size := int64(0); size <= 40; size++ {
		root, err := l.Root(ctx, size)
		require.NoError(t, err)
		checkpoints = append(checkpoints, audit.Checkpoint{Origin: "test", Size: size, Root: root, Time: start})
	}
	records, err := l.Store().Records(ctx, 0, 40)
	require.NoError(t, err)
	for size := int64(1); size <= 40; size++ {
		c := checkpoints[size]
		for i := int64(0); i < size; i++ {
			p, err := l.ProveInclusion(ctx, i, size)
			require.NoError(t, err)
			require.NoError(t, audit.CheckInclusion(p, c, &records[i]), "record %d in %d", i, size)
			for j := range p {
				for bit := 0; bit < 256; bit += 37 {
					flipped := append(tlog.RecordProof(nil), p...)
					flipped[j][bit/8] ^= 1 << (bit % 8)
					err := audit.CheckInclusion(flipped, c, &records[i])
					require.ErrorIs(t, err, audit.ErrProof, "record %d in %d, hash %d bit %d", i, size, j, bit)
				}
			}
			// Another record is not in the tree at this position.
			other := records[(i+1)%size]
			other.Index = i
			if size > 1 {
				assert.ErrorIs(t, audit.CheckInclusion(p, c, &other), audit.ErrProof)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := l.ProveConsistency(ctx, old, size)
			require.NoError(t, err)
			require.NoError(t, audit.CheckConsistency(p, checkpoints[old], c), "%d ⊑ %d", old, size)
			for j := range p {
				flipped := append(tlog.TreeProof(nil), p...)
				flipped[j][j%32] ^= 0x10
				require.ErrorIs(t, audit.CheckConsistency(flipped, checkpoints[old], c), audit.ErrProof)
			}
			// A forged earlier checkpoint fails.
			forged := checkpoints[old]
			forged.Root[0] ^= 1
			if old < size {
				require.ErrorIs(t, audit.CheckConsistency(p, forged, c), audit.ErrProof, "%d ⊑ %d", old, size)
			}
		}
	}
	_, err = l.ProveInclusion(ctx, 0, 41)
	assert.ErrorIs(t, err, audit.ErrRange)
	_, err = l.ProveInclusion(ctx, 5, 3)
	assert.ErrorIs(t, err, audit.ErrProof)
}

func TestCheckpointsSignedAndOpened(t *testing.T) {
	l, _ := filled(t, 10)
	c, err := l.Checkpoint(ctx, "roc-voorbeeld.nl/examens", start.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(10), c.Size)
	text := string(c.Text())
	assert.True(t, strings.HasPrefix(text, "vaststelling audit checkpoint roc-voorbeeld.nl/examens\n10\n"), text)
	assert.True(t, strings.HasSuffix(text, "\n2027-03-01T10:00:00Z\n"), text)

	skey, vkey, err := note.GenerateKey(rand.Reader, "examencommissie")
	require.NoError(t, err)
	signer, err := note.NewSigner(skey)
	require.NoError(t, err)
	verifier, err := note.NewVerifier(vkey)
	require.NoError(t, err)
	msg, err := c.Sign(signer)
	require.NoError(t, err)
	back, err := audit.OpenCheckpoint(msg, note.VerifierList(verifier))
	require.NoError(t, err)
	assert.Equal(t, c, back)

	// Another key, or a changed text, does not open.
	_, otherV, _ := note.GenerateKey(rand.Reader, "examencommissie")
	other, _ := note.NewVerifier(otherV)
	_, err = audit.OpenCheckpoint(msg, note.VerifierList(other))
	assert.ErrorIs(t, err, audit.ErrCheckpoint)
	tampered := bytes.Replace(msg, []byte("\n10\n"), []byte("\n11\n"), 1)
	_, err = audit.OpenCheckpoint(tampered, note.VerifierList(verifier))
	assert.ErrorIs(t, err, audit.ErrCheckpoint)
	for _, bad := range []string{"", "vaststelling audit checkpoint x\n1\n", strings.Replace(text, "\n10\n", "\n-1\n", 1),
		strings.Replace(text, "checkpoint roc", "checkpoint  roc", 1) + "x\n"} {
		_, err := audit.ParseCheckpoint([]byte(bad))
		assert.ErrorIs(t, err, audit.ErrCheckpoint, bad)
	}
}

// Every kind of change to a stored trail is found, and named.
func TestVerifyFindsTampering(t *testing.T) {
	l, s := filled(t, 300)
	c, err := l.Checkpoint(ctx, "test", start)
	require.NoError(t, err)
	rep, err := audit.Verify(ctx, s, &c)
	require.NoError(t, err)
	assert.Equal(t, int64(300), rep.Size)
	assert.Equal(t, c.Root, rep.Root)
	assert.Contains(t, rep.String(), "ok 300 events root ")

	cases := []struct {
		name   string
		change func(records []audit.Record, hashes []tlog.Hash)
		index  int64
		text   string
	}{
		{"a header field", func(r []audit.Record, h []tlog.Hash) { r[123].To = "annulled" }, 123, "stored hash does not match"},
		{"a payload byte", func(r []audit.Record, h []tlog.Hash) { r[77].Payload[5] ^= 1 }, 77, "does not match its commitment"},
		{"a salt byte", func(r []audit.Record, h []tlog.Hash) { r[9].Salt[0] ^= 0x80 }, 9, "does not match its commitment"},
		{"a stored hash", func(r []audit.Record, h []tlog.Hash) { h[tlog.StoredHashIndex(0, 200)][3] ^= 1 }, 200, "stored hash"},
		{"an interior hash", func(r []audit.Record, h []tlog.Hash) { h[tlog.StoredHashIndex(2, 10)][0] ^= 1 }, 43, "stored hash"},
		{"half an erasure", func(r []audit.Record, h []tlog.Hash) { r[50].Payload = nil }, 50, "half erased"},
		{"a record moved", func(r []audit.Record, h []tlog.Hash) { r[10], r[11] = r[11], r[10] }, 10, "position 11"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, s := filled(t, 300)
			audit.TamperMemory(s, tc.change)
			_, err := audit.Verify(ctx, s, &c)
			var ve *audit.VerifyError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, audit.ErrTampered)
			assert.Equal(t, tc.index, ve.Index, "%v", err)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
	// A log rewritten whole, consistent in itself, fails against the checkpoint.
	other := &audit.MemoryStore{}
	forger, err := audit.NewLog(other)
	require.NoError(t, err)
	events := storetest.Events(300, start)
	events[0].Reason = "forged"
	_, err = forger.AppendEvents(ctx, events...)
	require.NoError(t, err)
	_, err = audit.Verify(ctx, other, nil)
	require.NoError(t, err, "consistent in itself")
	_, err = audit.Verify(ctx, other, &c)
	assert.ErrorIs(t, err, audit.ErrTampered)
	assert.Contains(t, err.Error(), "checkpoint's root")
	// A checkpoint larger than the log.
	big := c
	big.Size = 301
	_, err = audit.Verify(ctx, s, &big)
	assert.ErrorIs(t, err, audit.ErrTampered)
}

func TestErasure(t *testing.T) {
	l, s := filled(t, 9)
	c, err := l.Checkpoint(ctx, "test", start)
	require.NoError(t, err)
	require.NoError(t, l.Erase(ctx, 3))
	rep, err := audit.Verify(ctx, s, &c)
	require.NoError(t, err, "erasure does not break verification")
	assert.Equal(t, []int64{3}, rep.Erased)
	rs, err := s.Records(ctx, 3, 4)
	require.NoError(t, err)
	_, err = rs[0].Event()
	assert.ErrorIs(t, err, audit.ErrErased)
	// The erased record's result cannot be rebuilt, the others can.
	rb, err := audit.Rebuild(ctx, s, time.UTC)
	require.NoError(t, err)
	assert.Equal(t, []string{"assoc-000001"}, rb.Erased)
	assert.Len(t, rb.Results, 2)
	_, err = audit.StateAt(ctx, s, "assoc-000001", start.Add(time.Hour), time.UTC)
	assert.ErrorIs(t, err, audit.ErrErased)
	// The proofs of an erased record still hold: its leaf stays.
	p, err := l.ProveInclusion(ctx, 3, 9)
	require.NoError(t, err)
	require.NoError(t, audit.CheckInclusion(p, c, &rs[0]))
}

func TestAppendRetriesAfterAnotherWriter(t *testing.T) {
	s := &audit.MemoryStore{}
	a, err := audit.NewLog(s)
	require.NoError(t, err)
	b, err := audit.NewLog(s)
	require.NoError(t, err)
	events := storetest.Events(6, start)
	_, err = a.AppendEvents(ctx, events[:3]...)
	require.NoError(t, err)
	first, err := b.AppendEvents(ctx, events[3:]...)
	require.NoError(t, err)
	assert.Equal(t, int64(3), first)
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)

	// A store that always conflicts ends in the typed error.
	_, err = a.Append(ctx, audit.Record{})
	require.NoError(t, err)
	_, err = audit.NewLog(conflicting{s})
	require.NoError(t, err)
	l, _ := audit.NewLog(conflicting{s})
	_, err = l.AppendEvents(ctx, events[0])
	var ce *audit.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.True(t, errors.Is(err, audit.ErrConflict))
}

type conflicting struct{ *audit.MemoryStore }

func (c conflicting) Append(ctx context.Context, size int64, r []audit.Record, h []tlog.Hash) error {
	return &audit.ConflictError{Expected: size, Actual: size + 1}
}

// Appends from many goroutines through one Log go out in shared batches:
// nothing lost, nothing twice, each told its own positions.
func TestGroupCommit(t *testing.T) {
	s := &countingStore{MemoryStore: &audit.MemoryStore{}}
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	const writers, each = 16, 20
	events := storetest.Events(writers*each, start)
	var wg sync.WaitGroup
	firsts := make([][]int64, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				e := events[w*each+i]
				first, err := l.AppendEvents(ctx, e)
				if err != nil {
					t.Error(err)
					return
				}
				firsts[w] = append(firsts[w], first)
			}
		})
	}
	wg.Wait()
	n, err := s.Size(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(writers*each), n)
	seen := map[int64]bool{}
	for _, fs := range firsts {
		for _, f := range fs {
			require.False(t, seen[f], "position %d given twice", f)
			seen[f] = true
		}
	}
	rs, err := s.Records(ctx, 0, n)
	require.NoError(t, err)
	for w, fs := range firsts {
		for i, f := range fs {
			e, err := rs[f].Event()
			require.NoError(t, err)
			require.Equal(t, events[w*each+i].Reason, e.Reason, "writer %d append %d", w, i)
		}
	}
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)
	t.Logf("%d appends in %d store writes", writers*each, s.appends.Load())
	assert.LessOrEqual(t, s.appends.Load(), int64(writers*each))
}

type countingStore struct {
	*audit.MemoryStore
	appends atomic.Int64
}

func (c *countingStore) Append(ctx context.Context, size int64, r []audit.Record, h []tlog.Hash) error {
	c.appends.Add(1)
	return c.MemoryStore.Append(ctx, size, r, h)
}

func TestRecordsTheLogCannotTake(t *testing.T) {
	e := storetest.Events(1, start)[0]
	e.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := audit.NewRecord(e, rand.Reader)
	assert.ErrorIs(t, err, audit.ErrInvalidRecord)
	r, err := audit.NewRecord(storetest.Events(1, start)[0], rand.Reader)
	require.NoError(t, err)
	err = (&audit.MemoryStore{}).Append(ctx, 0, []audit.Record{r}, nil)
	assert.ErrorIs(t, err, audit.ErrInvalidRecord)
}
