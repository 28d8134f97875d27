package vaststelling_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/internal/pgproxy"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// An office on PostgreSQL through a database outage: while the database
// is away every call fails promptly with an error that says the trail did
// not take it; a COMMIT whose answer was lost is found in the trail, not
// written twice; afterwards the office goes on where it stood, and a fresh
// office over the same table finds every acknowledged delivery once.
func TestOfficeThroughADatabaseOutage(t *testing.T) {
	url := postgresURL(t)
	ctx := context.Background()
	p, through, err := pgproxy.New(url)
	if err != nil {
		t.Skipf("VASTSTELLING_POSTGRES_URL: %v: no proxy", err)
	}
	t.Cleanup(p.Close)
	open := func(url string) *sql.DB {
		db, err := sql.Open("pgx", url)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
	table := fmt.Sprintf("outage_%d", time.Now().UnixNano())
	direct, err := sqlstore.New(open(url), table)
	require.NoError(t, err)
	require.NoError(t, direct.Migrate(ctx))
	store, err := sqlstore.New(open(through), table)
	require.NoError(t, err)
	const n = 8
	out := &vaststelling.Outbox{}
	o, err := vaststelling.Open(ctx, officeConfig(t, n, store, out))
	require.NoError(t, err)

	at := day("2027-02-05", 9)
	deliver := func(i int) (oke.Receipt, error) {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		began := time.Now()
		rc, err := o.Deliver(c, delivery(i), at)
		assert.Less(t, time.Since(began), 6*time.Second, "delivery %d outlived its deadline", i)
		return rc, err
	}
	for i := range 3 {
		rc, err := deliver(i)
		require.NoError(t, err)
		require.Equal(t, oke.Accepted, rc.Outcome)
	}

	p.SetDown(true)
	for i := 3; i < 5; i++ {
		_, err := deliver(i)
		require.ErrorIs(t, err, vaststelling.ErrTrail, "delivery %d during the outage", i)
		assert.Contains(t, err.Error(), "sqlstore:")
		t.Logf("during the outage: %v", err)
	}
	student := result.Actor{ID: "s-000", Role: timeline.Student}
	_, err = o.Do(ctx, "a-000", result.Command{Action: result.LodgeComplaint}, student, at)
	require.ErrorIs(t, err, vaststelling.ErrTrail, "a command during the outage")
	_, err = o.DailyRun(ctx, day("2027-02-05", 18))
	require.ErrorIs(t, err, vaststelling.ErrTrail, "a daily run during the outage")
	assert.Empty(t, out.Notices(), "no notice for a run the trail did not take")
	p.SetDown(false)
	assert.Positive(t, p.Refused(), "the proxy refused no connection")

	// The worst moment: the server has the append, the office hears nothing.
	p.DropNextStatements(1, true, `UPDATE "`+table+`_size" SET size = $7`)
	_, err = deliver(5)
	require.ErrorIs(t, err, vaststelling.ErrTrail)
	t.Logf("the COMMIT's answer lost: %v", err)
	p.SetDown(false)
	require.Equal(t, int64(1), p.Dropped())

	for i := range n {
		rc, err := deliver(i)
		require.NoError(t, err, "delivery %d after the outage", i)
		want := oke.Accepted
		if i < 3 || i == 5 {
			want = oke.Duplicate // acknowledged, or landed although unheard
		}
		assert.Equal(t, want, rc.Outcome, "delivery %d after the outage", i)
	}
	rep, err := o.DailyRun(ctx, day("2027-02-05", 18))
	require.NoError(t, err)
	assert.Len(t, rep.Notified, n)

	// A fresh office over the same table, straight to the server.
	again, err := vaststelling.Open(ctx, officeConfig(t, n, direct, &vaststelling.Outbox{}))
	require.NoError(t, err)
	assert.Equal(t, o.Size(), again.Size())
	registered := perResult(t, direct, string(result.EventRegistered))
	for i := range n {
		id := fmt.Sprintf("a-%03d", i)
		assert.Equal(t, 1, registered[id], "%s registered once", id)
		r, ok := again.Result(id)
		require.True(t, ok, id)
		assert.Equal(t, r.State, result.Provisional)
	}
	_, err = audit.Rebuild(ctx, direct, ams)
	require.NoError(t, err, "the trail folds")
	_, err = audit.Verify(ctx, direct, nil)
	require.NoError(t, err)
}
