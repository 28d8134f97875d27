package vaststelling_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// A backend opens the same trail again and again, as a restarted server
// does; closing lets go of it.
type backend struct {
	name string
	open func(t *testing.T) (store audit.Store, close func())
}

func memoryBackend() backend {
	store := &audit.MemoryStore{}
	return backend{"memory", func(*testing.T) (audit.Store, func()) { return store, func() {} }}
}

func fileBackend(t *testing.T) backend {
	dir := t.TempDir()
	return backend{"file", func(t *testing.T) (audit.Store, func()) {
		s, err := filestore.Open(dir)
		require.NoError(t, err)
		return s, func() { require.NoError(t, s.Close()) }
	}}
}

// postgresURL returns the URL of the PostgreSQL server to test against,
// or skips the test without one.
func postgresURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("VASTSTELLING_POSTGRES_URL")
	if url == "" {
		t.Skip("VASTSTELLING_POSTGRES_URL is not set: no PostgreSQL server to test against (.ci/run starts one)")
	}
	return url
}

// perResult counts the records of a type in the trail, by result.
func perResult(t testing.TB, store audit.Store, typ string) map[string]int {
	t.Helper()
	ctx := context.Background()
	size, err := store.Size(ctx)
	require.NoError(t, err)
	records, err := store.Records(ctx, 0, size)
	require.NoError(t, err)
	n := map[string]int{}
	for _, r := range records {
		if r.Type == typ {
			n[r.Result]++
		}
	}
	return n
}

// postgresBackend is a fresh table on the server CI starts (see .ci/run).
func postgresBackend(t *testing.T, table string) backend {
	url := postgresURL(t)
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	table = fmt.Sprintf("%s_%d", table, time.Now().UnixNano())
	return backend{"postgres", func(t *testing.T) (audit.Store, func()) {
		s, err := sqlstore.New(db, table)
		require.NoError(t, err)
		require.NoError(t, s.Migrate(context.Background()))
		return s, func() {}
	}}
}

// A step is one thing that happens to the office, drawn at random.
type step struct {
	kind   int
	i, j   int
	hours  int
	reboot bool // the server restarts before the step (only in the run with restarts)
	snap   bool // and writes a snapshot before it
}

const (
	stepDeliver = iota
	stepBatch
	stepSessionReport
	stepComplaint
	stepDecide
	stepMandate
	stepRun
	stepKinds
)

func randomSteps(seed uint64, n, results int) []step {
	rng := rand.New(rand.NewPCG(seed, 1))
	steps := make([]step, n)
	for k := range steps {
		steps[k] = step{kind: rng.IntN(stepKinds), i: rng.IntN(results), j: rng.IntN(4), hours: 1 + rng.IntN(30),
			reboot: rng.IntN(5) == 0, snap: rng.IntN(3) == 0}
	}
	return steps
}

// A run is what an office did over the steps: every answer, the notices
// sent, and the trail.
type run struct {
	answers []string
	notices []string
	results map[string]result.Result
	trail   []string
}

// play runs the steps on an office over the backend; with restarts, the
// office is opened anew where a step says.
func play(t *testing.T, b backend, steps []step, restarts bool) run {
	ctx := context.Background()
	const n = 8
	out := &vaststelling.Outbox{} // the mail system: it outlives the servers
	store, closeStore := b.open(t)
	open := func() *vaststelling.Office {
		cfg := officeConfig(t, n, store, out)
		cfg.Server = "server-1" // restarted, it is the same server
		o, err := vaststelling.Open(ctx, cfg)
		require.NoError(t, err)
		return o
	}
	o := open()
	now := day("2027-01-25", 9)
	committee := result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}
	var rn run
	say := func(format string, args ...any) { rn.answers = append(rn.answers, fmt.Sprintf(format, args...)) }
	for k, s := range steps {
		if restarts && s.reboot {
			if s.snap {
				require.NoError(t, o.Snapshot(ctx))
			}
			closeStore()
			store, closeStore = b.open(t)
			o = open()
		}
		now = now.Add(time.Duration(s.hours) * time.Hour)
		id := fmt.Sprintf("a-%03d", s.i)
		student := result.Actor{ID: fmt.Sprintf("s-%03d", s.i), Role: timeline.Student}
		switch s.kind {
		case stepDeliver:
			d := oke.Delivery{Method: oke.Patch, AssociationID: id, Body: body(id, []string{"6.5", "7", "6.5", "x"}[s.j], "")}
			if s.j == 3 {
				d.Body = []byte(`{"not":"a message"`)
			}
			rc, err := o.Deliver(ctx, d, now)
			say("%d deliver %s: %s %d %v %v", k, id, rc.Outcome, rc.Seq, len(rc.Events), err)
		case stepBatch:
			var ds []oke.Delivery
			for x := range 3 {
				other := fmt.Sprintf("a-%03d", (s.i+x)%n)
				ds = append(ds, oke.Delivery{Method: oke.Put, AssociationID: other, Body: body(other, "8", "")})
			}
			rep, err := o.DeliverBatch(ctx, ds, now)
			say("%d batch: %v %v", k, rep.Counts, err)
		case stepSessionReport:
			err := o.SessionReport(ctx, "v1", fmt.Sprintf("incident %d", s.j), now)
			say("%d session report: %v", k, err)
		case stepComplaint:
			ev, err := o.Do(ctx, id, result.Command{Action: result.LodgeComplaint}, student, now)
			say("%d complaint %s: %d %v", k, id, len(ev), err)
		case stepDecide:
			g, _ := result.ParseGrade(result.Decimal0To10, "7.5")
			cmd := result.Command{Action: result.DecideComplaint, Outcome: result.NotUpheld, Reason: "as marked"}
			if s.j%2 == 0 {
				cmd = result.Command{Action: result.DecideComplaint, Outcome: result.Upheld, Reason: "too strict", Grade: g}
			}
			ev, err := o.Do(ctx, id, cmd, committee, now)
			say("%d decide %s: %d %v", k, id, len(ev), err)
			ev, err = o.Do(ctx, id, result.Command{Action: result.ResolveException, ExceptionID: 1,
				Outcome: result.Approved, Reason: "seen"}, committee, now)
			say("%d resolve %s: %d %v", k, id, len(ev), err)
		case stepMandate:
			var err error
			switch s.j {
			case 0, 1:
				err = o.GrantMandate(ctx, result.Mandate{ID: "M-helper", To: "examenbureau", Actions: []result.Action{result.Determine},
					Scope: result.Scope{Components: []string{"KT1"}}, From: now}, committee, now)
			case 2:
				err = o.RevokeMandate(ctx, "M-helper", "reorganised", committee, now)
			case 3: // the standing mandate changed: until the summer
				err = o.GrantMandate(ctx, result.Mandate{ID: "M-standing", To: "examenbureau", Actions: []result.Action{result.Determine},
					Scope: result.Scope{All: true}, From: day("2026-08-01", 0), Until: day("2027-08-01", 0)}, committee, now)
			}
			say("%d mandate: %v %v", k, err, len(o.Mandates()))
		case stepRun:
			rep, err := o.DailyRun(ctx, now)
			say("%d run %s: %v %v %v %v %v", k, rep.Day, rep.Determined, rep.Blocked, rep.Notified, rep.Failed, err)
		}
	}
	rn.results = map[string]result.Result{}
	for _, id := range o.Results() {
		rn.results[id], _ = o.Result(id)
	}
	for _, x := range out.Notices() {
		rn.notices = append(rn.notices, x.ID+" "+string(x.Kind)+" "+x.Student)
	}
	size, err := store.Size(ctx)
	require.NoError(t, err)
	records, err := store.Records(ctx, 0, size)
	require.NoError(t, err)
	for _, r := range records { // all but the salt and the commitment to it
		rn.trail = append(rn.trail, fmt.Sprintf("%d %s %s %d %s %s %s %s %s %s", r.Index, r.Time.UTC().Format(time.RFC3339Nano),
			r.Result, r.Seq, r.Type, r.From, r.To, r.Role, r.Mandate, r.Payload))
	}
	_, err = audit.Verify(ctx, store, nil)
	require.NoError(t, err)
	closeStore()
	return rn
}

// Random sequences of deliveries, session reports, commands, mandate
// changes and daily runs, with restarts (some after a snapshot) at random
// points, end in exactly the answers, state, notices and trail of the same
// sequence without restarts: on the memory store, the file store and
// PostgreSQL.
func TestRestartsChangeNothing(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	for seed := range uint64(seeds) {
		steps := randomSteps(seed, 60, 8)
		backends := []func(t *testing.T) backend{
			func(*testing.T) backend { return memoryBackend() }, fileBackend,
			func(t *testing.T) backend { return postgresBackend(t, "restart") },
		}
		for _, mk := range backends {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				plain := play(t, memoryBackend(), steps, false)
				b := mk(t)
				restarted := play(t, b, steps, true)
				require.Equal(t, strings.Join(plain.answers, "\n"), strings.Join(restarted.answers, "\n"), b.name)
				assert.Equal(t, plain.results, restarted.results, b.name)
				assert.Equal(t, plain.notices, restarted.notices, b.name)
				assert.Equal(t, plain.trail, restarted.trail, b.name)
			})
		}
	}
}
