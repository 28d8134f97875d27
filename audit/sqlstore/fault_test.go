package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/audit/storetest"
	"github.com/krs-oke/vaststelling/internal/pgproxy"
	"github.com/krs-oke/vaststelling/result"
)

// proxied returns a store on new tables, one Store on them reached
// directly (for checking) and one through a proxy the test can break.
func proxied(t *testing.T) (direct, through *sqlstore.Store, p *pgproxy.Proxy, pdb *sql.DB) {
	t.Helper()
	db := database(t)
	direct, prefix := newStore(t, db)
	p, purl := newProxy(t, os.Getenv(urlVar))
	pdb, err := sql.Open("pgx", purl)
	require.NoError(t, err)
	t.Cleanup(func() { pdb.Close() })
	through, err = sqlstore.New(pdb, prefix)
	require.NoError(t, err)
	return direct, through, p, pdb
}

// failures records the errors its store's appends return.
type failures struct {
	audit.Store
	mu   sync.Mutex
	errs []error
}

func (f *failures) Append(ctx context.Context, size int64, r []audit.Record, h []tlog.Hash) error {
	err := f.Store.Append(ctx, size, r, h)
	if err != nil {
		f.mu.Lock()
		f.errs = append(f.errs, err)
		f.mu.Unlock()
	}
	return err
}

func (f *failures) all() []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]error(nil), f.errs...)
}

// named returns n events of results named after who.
func named(who string, n int) []result.Event {
	events := storetest.Events(n, start)
	for i := range events {
		events[i].Result = who + "-" + events[i].Result
		if events[i].Record != nil {
			events[i].Record.ID = events[i].Result
		}
	}
	return events
}

// once checks that the log holds want records, each event once, and
// verifies.
func once(t *testing.T, s audit.Store, want int64) {
	t.Helper()
	n, err := s.Size(ctx)
	require.NoError(t, err)
	require.Equal(t, want, n)
	rs, err := s.Records(ctx, 0, n)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, r := range rs {
		key := fmt.Sprintf("%s#%d", r.Result, r.Seq)
		require.False(t, seen[key], "event %s twice", key)
		seen[key] = true
	}
	_, err = audit.Verify(ctx, s, nil)
	require.NoError(t, err)
}

var ctx = context.Background()

// An append the server made whose answer never reached the client
// succeeded, once: the store waits for the size row's lock, reads the
// log back, through the same pool after it reconnected, finds its
// records, and reports success.
func TestAppendAnswerLost(t *testing.T) {
	direct, through, p, _ := proxied(t)
	f := &failures{Store: through}
	log, err := audit.NewLog(f)
	require.NoError(t, err)
	_, err = log.AppendEvents(ctx, named("before", 6)...)
	require.NoError(t, err)

	p.DropNextStatements(1, false, sqlstore.AppendStatement(through))
	first, err := log.AppendEvents(ctx, named("dropped", 3)...)
	require.NoError(t, err)
	assert.Equal(t, int64(6), first)
	assert.Equal(t, int64(1), p.Dropped(), "the proxy dropped no append")
	assert.Empty(t, f.all(), "the store did not find its records")

	_, err = log.AppendEvents(ctx, named("after", 3)...)
	require.NoError(t, err)
	once(t, direct, 12)
}

// An append of more records than one statement takes is a transaction:
// a COMMIT whose answer was lost is found in the log, once. The store
// waits for the transaction, which holds the size row's lock, to end,
// and reads its records back.
func TestCommitAnswerLost(t *testing.T) {
	direct, through, p, _ := proxied(t)
	f := &failures{Store: through}
	log, err := audit.NewLog(f)
	require.NoError(t, err)
	_, err = log.AppendEvents(ctx, named("before", 6)...)
	require.NoError(t, err)

	const large = 4096 + 3 // appendChunk + 3
	p.DropNextCommits(1, false)
	first, err := log.AppendEvents(ctx, named("dropped", large)...)
	require.NoError(t, err)
	assert.Equal(t, int64(6), first)
	assert.Equal(t, int64(1), p.Dropped(), "the proxy dropped no commit")
	assert.Empty(t, f.all(), "the store did not find its records")

	_, err = log.AppendEvents(ctx, named("after", 3)...)
	require.NoError(t, err)
	once(t, direct, 6+large+3)
}

// Many writers through one Log and one pool, while the proxy drops ten
// appends' answers: every append succeeds, every event is in the log once.
func TestAppendAnswersLostUnderLoad(t *testing.T) {
	direct, through, p, _ := proxied(t)
	f := &failures{Store: through}
	log, err := audit.NewLog(f)
	require.NoError(t, err)
	p.DropNextStatements(10, false, sqlstore.AppendStatement(through))
	const writers, each = 8, 12
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			events := named(fmt.Sprintf("w%d", w), each)
			for i := range events {
				if _, err := log.AppendEvents(ctx, events[i]); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d appends dropped, %d store errors resolved", p.Dropped(), len(f.all()))
	assert.Equal(t, int64(10), p.Dropped())
	once(t, direct, writers*each)
}

// Two Logs in two pools: one loses its append's answer while the other
// keeps appending. The lost append landed, or it lost the race and wrote
// nothing (the store then finds the other's records and reports a
// conflict, which the log retries); either way the log has each append
// once.
func TestAppendAnswerLostBesideAnotherWriter(t *testing.T) {
	direct, through, p, _ := proxied(t)
	f := &failures{Store: through}
	mine, err := audit.NewLog(f)
	require.NoError(t, err)
	other, err := audit.NewLog(direct)
	require.NoError(t, err)
	for round := range 5 {
		p.DropNextStatements(1, false, sqlstore.AppendStatement(through))
		var wg sync.WaitGroup
		wg.Go(func() {
			_, err := other.AppendEvents(ctx, named(fmt.Sprintf("other%d", round), 3)...)
			assert.NoError(t, err)
		})
		_, err := mine.AppendEvents(ctx, named(fmt.Sprintf("mine%d", round), 3)...)
		require.NoError(t, err)
		wg.Wait()
	}
	for _, err := range f.all() {
		require.ErrorIs(t, err, audit.ErrConflict)
		t.Logf("lost the race: %v", err)
	}
	once(t, direct, 30)
}

// An outage of the database: appends during it fail, promptly and with
// an error that says what failed; afterwards the pool reconnects and
// appends succeed; nothing acknowledged is lost, nothing written twice.
func TestOutage(t *testing.T) {
	direct, through, p, pdb := proxied(t)
	log, err := audit.NewLog(through)
	require.NoError(t, err)
	acknowledged := int64(0)
	appendSome := func(who string) error {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		began := time.Now()
		_, err := log.AppendEvents(c, named(who, 3)...)
		assert.Less(t, time.Since(began), 6*time.Second, "%s: an append outlived its deadline", who)
		if err == nil {
			acknowledged += 3
		}
		return err
	}
	for i := range 3 {
		require.NoError(t, appendSome(fmt.Sprintf("before%d", i)))
	}
	p.SetDown(true)
	for i := range 3 {
		err := appendSome(fmt.Sprintf("during%d", i))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "sqlstore:")
		t.Logf("during the outage: %v", err)
	}
	p.SetDown(false)
	for i := range 3 {
		require.NoError(t, appendSome(fmt.Sprintf("after%d", i)))
	}
	assert.Positive(t, p.Refused(), "the proxy refused no connection")
	t.Logf("pool after the outage: %+v", pdb.Stats())
	once(t, direct, acknowledged)
}

// The worst moment for an outage: right after the server got the append.
// The log can then not tell whether it landed, and says so; once the
// server is back, the log shows it did, once.
func TestOutageAfterAppend(t *testing.T) {
	direct, through, p, _ := proxied(t)
	log, err := audit.NewLog(through)
	require.NoError(t, err)
	_, err = log.AppendEvents(ctx, named("before", 3)...)
	require.NoError(t, err)

	p.DropNextStatements(1, true, sqlstore.AppendStatement(through))
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = log.AppendEvents(c, named("unknown", 3)...)
	require.ErrorIs(t, err, audit.ErrUnknownOutcome)
	assert.Equal(t, int64(1), p.Dropped())
	t.Logf("the append: %v", err)

	p.SetDown(false)
	// The caller re-reads the log before it tries again: the records are
	// there, so it does not.
	n, err := through.Size(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(6), n)
	rs, err := through.Records(ctx, 3, 6)
	require.NoError(t, err)
	assert.Equal(t, "unknown-assoc-000000", rs[0].Result)
	_, err = log.AppendEvents(ctx, named("after", 3)...)
	require.NoError(t, err)
	once(t, direct, 9)
}

// The same moment for a large append's COMMIT.
func TestOutageAfterCommit(t *testing.T) {
	direct, through, p, _ := proxied(t)
	log, err := audit.NewLog(through)
	require.NoError(t, err)
	_, err = log.AppendEvents(ctx, named("before", 3)...)
	require.NoError(t, err)

	const large = 4096 + 3 // appendChunk + 3
	p.DropNextCommits(1, true)
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = log.AppendEvents(c, named("unknown", large)...)
	require.ErrorIs(t, err, audit.ErrUnknownOutcome)
	assert.Equal(t, int64(1), p.Dropped())
	t.Logf("the append: %v", err)

	p.SetDown(false)
	n, err := through.Size(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(3+large), n)
	_, err = log.AppendEvents(ctx, named("after", 3)...)
	require.NoError(t, err)
	once(t, direct, 3+large+3)
}

// An append whose session the server ended while the statement waited
// for the size row's lock (pg_terminate_backend) wrote nothing. The store
// cannot tell that from a statement still on its way to the server (the
// log did not grow), so the error matches ErrUnknownOutcome, and the log
// is as it was.
func TestTerminatedAppendIsUnknown(t *testing.T) {
	db := database(t)
	s, prefix := newStore(t, db)
	log, err := audit.NewLog(s)
	require.NoError(t, err)
	_, err = log.AppendEvents(ctx, named("before", 3)...)
	require.NoError(t, err)

	blocker, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer blocker.Rollback()
	_, err = blocker.ExecContext(ctx, `SELECT size FROM "`+prefix+`_size" FOR UPDATE`)
	require.NoError(t, err)
	appended := make(chan error, 1)
	go func() {
		_, err := log.AppendEvents(ctx, named("terminated", 3)...)
		appended <- err
	}()
	// The append's backend, once it waits for the lock.
	var pid int
	require.Eventually(t, func() bool {
		err := db.QueryRowContext(ctx, `SELECT pid FROM pg_stat_activity
WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0`, `UPDATE "`+prefix+`_size" SET size = $7`).Scan(&pid)
		return err == nil
	}, 10*time.Second, 10*time.Millisecond, "no append waits for the lock")
	_, err = db.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid)
	require.NoError(t, err)
	// The store now waits for the lock itself (or, if it gets there
	// after the rollback, reads the size at once: the same answer).
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, blocker.Rollback())

	err = <-appended
	require.ErrorIs(t, err, audit.ErrUnknownOutcome)
	t.Logf("the append: %v", err)
	once(t, s, 3)
}
