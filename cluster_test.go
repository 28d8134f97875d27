//go:build unix

package vaststelling_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// The cluster's workload: clusterResults enrolments in two sessions, the
// second with an irregular session report; deliveries, some of them sent
// to two offices at once; complaints lodged on one office and decided on
// another; then daily runs on every office at the same moment.
const clusterResults = 48

var (
	clusterDelivered = day("2027-02-05", 9)
	clusterTold      = day("2027-02-05", 18)
	clusterRun       = day("2027-04-01", 18)
	committeeMember  = result.Actor{ID: "ec-1", Role: timeline.ExamCommittee, Teams: []string{"examencommissie"}}
)

// clusterConfig is officeConfig's office with the enrolments split over
// two sessions, on a store, with a notifier and a server name.
func clusterConfig(t testing.TB, store audit.Store, out vaststelling.Notifier, server string) vaststelling.Config {
	t.Helper()
	cfg := officeConfig(t, 0, store, out)
	var assocs []oke.Association
	for i := range clusterResults {
		assocs = append(assocs, oke.Association{ID: fmt.Sprintf("a-%03d", i), Student: fmt.Sprintf("s-%03d", i),
			Offering: fmt.Sprintf("session-%d", 1+i%2), Component: "KT1", Programme: "ICT-BOL-4", Crebo: "25180",
			Team: "ict", Attempt: 1, State: "associated"})
	}
	dir, err := oke.NewMemory(assocs, []oke.Component{{Code: "KT1", Scale: result.Decimal0To10}})
	require.NoError(t, err)
	cfg.Directory, cfg.Server = dir, server
	return cfg
}

// clusterDelivery is result i's delivery; it names session-2 in its own
// body, for the session report to hold it.
func clusterDelivery(i int) oke.Delivery {
	id := fmt.Sprintf("a-%03d", i)
	b := bytes.Replace(body(id, fmt.Sprintf("%d", 5+i%5), ""), []byte(`"executedOfferingName":"v1"`),
		fmt.Appendf(nil, `"executedOfferingName":"session-%d"`, 1+i%2), 1)
	return oke.Delivery{Method: oke.Patch, AssociationID: id, Body: b}
}

// clusterWork does the work of result i on the offices (picked by pick),
// as one sequence: its delivery (to a second office at the same time for
// every third), and for every fifth a complaint and its decision.
func clusterWork(ctx context.Context, i int, pick func() *vaststelling.Office, dup *vaststelling.Office) error {
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { _, errs[0] = pick().Deliver(ctx, clusterDelivery(i), clusterDelivered) })
	if dup != nil && i%3 == 0 {
		wg.Go(func() { _, errs[1] = dup.Deliver(ctx, clusterDelivery(i), clusterDelivered) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil || i%5 != 1 {
		return err
	}
	id := fmt.Sprintf("a-%03d", i)
	student := result.Actor{ID: fmt.Sprintf("s-%03d", i), Role: timeline.Student}
	if _, err := pick().Do(ctx, id, result.Command{Action: result.LodgeComplaint}, student, clusterDelivered.Add(time.Hour)); err != nil {
		return fmt.Errorf("%s: complaint: %w", id, err)
	}
	decide := result.Command{Action: result.DecideComplaint, Outcome: result.NotUpheld, Reason: "as marked"}
	if _, err := pick().Do(ctx, id, decide, committeeMember, clusterDelivered.Add(2*time.Hour)); err != nil {
		return fmt.Errorf("%s: decision: %w", id, err)
	}
	return nil
}

// A notice log is a notifier that writes each notice's id as a line.
type noticeLog struct {
	mu sync.Mutex
	w  io.Writer
}

func (n *noticeLog) Send(ctx context.Context, x vaststelling.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	_, err := fmt.Fprintln(n.w, "notice", x.ID)
	return err
}

// clusterChildEnv names the table of a re-executed test binary working as
// one of the offices of TestCluster.
const clusterChildEnv = "VASTSTELLING_CLUSTER_TABLE"

// TestClusterChild is an office in a process of its own, run only by
// TestCluster: it opens the office over the table, does the work of the
// results i with i%4 == 3, says "delivered", and on "run" from its input
// runs the day, printing each notice it sends and then "ran" with the
// run's error, if any.
func TestClusterChild(t *testing.T) {
	table := os.Getenv(clusterChildEnv)
	if table == "" {
		t.Skip("run by TestCluster")
	}
	fail := func(err error) {
		fmt.Println("error", strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(1)
	}
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("VASTSTELLING_POSTGRES_URL"))
	if err != nil {
		fail(err)
	}
	store, err := sqlstore.New(db, table)
	if err != nil {
		fail(err)
	}
	o, err := vaststelling.Open(ctx, clusterConfig(t, store, &noticeLog{w: os.Stdout}, "child"))
	if err != nil {
		fail(err)
	}
	for i := 3; i < clusterResults; i += 4 {
		if err := clusterWork(ctx, i, func() *vaststelling.Office { return o }, nil); err != nil {
			fail(err)
		}
	}
	fmt.Println("delivered")
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() || in.Text() != "run" {
		fail(errors.New("no run"))
	}
	_, err = o.DailyRun(ctx, clusterRun)
	fmt.Println("ran", err)
	os.Exit(0)
}

// Several offices on one PostgreSQL table, three in this process and one
// in another, under a shared workload: deliveries (the same message to two
// offices at once for some), a session report, complaints lodged on one
// office and decided on another, and then daily runs racing on every
// office. Afterwards the trail folds and verifies, the runs of the day
// went one at a time, every delivery is in it once, no result is
// determined twice, no notice is sent twice, and the results are those of
// one office doing the same work alone.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	url := postgresURL(t)
	ctx := context.Background()
	table := fmt.Sprintf("cluster_%d", time.Now().UnixNano())
	open := func(server string, out vaststelling.Notifier) (*vaststelling.Office, *sqlstore.Store) {
		db, err := sql.Open("pgx", url)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		store, err := sqlstore.New(db, table)
		require.NoError(t, err)
		require.NoError(t, store.Migrate(ctx))
		o, err := vaststelling.Open(ctx, clusterConfig(t, store, out, server))
		require.NoError(t, err)
		return o, store
	}
	outs := make([]*vaststelling.Outbox, 3)
	offices := make([]*vaststelling.Office, 3)
	var store *sqlstore.Store
	for k := range offices {
		outs[k] = &vaststelling.Outbox{}
		offices[k], store = open(fmt.Sprintf("server-%d", k), outs[k])
	}

	// The session report comes first, so that each result of session-2
	// is held when it arrives, whichever office takes it.
	require.NoError(t, offices[1].SessionReport(ctx, "session-2", "fire alarm at 10:40", clusterDelivered.Add(-time.Hour)))
	child := exec.Command(os.Args[0], "-test.run=^TestClusterChild$")
	child.Env = append(os.Environ(), clusterChildEnv+"="+table)
	child.Stderr = os.Stderr
	stdin, err := child.StdinPipe()
	require.NoError(t, err)
	stdout, err := child.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, child.Start())
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	lines := bufio.NewScanner(stdout)
	next := func() string {
		require.True(t, lines.Scan(), "the child ended early")
		require.False(t, strings.HasPrefix(lines.Text(), "error"), "the child: %s", lines.Text())
		return lines.Text()
	}

	// The work of the results not the child's, on random offices at once.
	var wg sync.WaitGroup
	errs := make(chan error, clusterResults)
	for i := range clusterResults {
		if i%4 == 3 {
			continue
		}
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		pick := func() *vaststelling.Office { return offices[rng.IntN(len(offices))] }
		wg.Go(func() { errs <- clusterWork(ctx, i, pick, offices[(i+1)%len(offices)]) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, "delivered", next())
	// The students are told of their provisional results that evening: a
	// result is determined only once its student was told in time.
	_, err = offices[0].DailyRun(ctx, clusterTold)
	require.NoError(t, err)

	// Every office runs the day at the same moment; one holds it.
	_, err = io.WriteString(stdin, "run\n")
	require.NoError(t, err)
	ran := make([]error, len(offices))
	for k, o := range offices {
		wg.Go(func() { _, ran[k] = o.DailyRun(ctx, clusterRun) })
	}
	sent := map[string]int{}
	for line := next(); !strings.HasPrefix(line, "ran"); line = next() {
		sent[strings.TrimPrefix(line, "notice ")]++
	}
	wg.Wait()
	for _, err := range ran {
		if err != nil {
			require.ErrorIs(t, err, vaststelling.ErrRunning)
		}
	}
	t.Logf("the runs here: %v", ran)
	// Whoever held it ended it: a run later that day finds nothing to do.
	rep, err := offices[0].DailyRun(ctx, clusterRun.Add(time.Minute))
	require.NoError(t, err)
	assert.Empty(t, rep.Determined)
	assert.Empty(t, rep.Notified)
	for _, out := range outs {
		for _, n := range out.Notices() {
			sent[n.ID]++
		}
	}
	for id, n := range sent {
		assert.Equal(t, 1, n, "notice %s sent once", id)
	}

	// The trail: folds, verifies, every delivery once, one determination each.
	size, err := store.Size(ctx)
	require.NoError(t, err)
	_, err = audit.Verify(ctx, store, nil)
	require.NoError(t, err)
	_, err = audit.Rebuild(ctx, store, ams)
	require.NoError(t, err, "the trail folds")
	records, err := store.Records(ctx, 0, size)
	require.NoError(t, err)
	types := map[string]map[string]int{}
	holder, runs := "", 0 // one run at a time: each ends before the next starts
	for _, r := range records {
		if r.Type == vaststelling.EntryDailyRun || r.Type == vaststelling.EntryRunEnded {
			var run struct{ Server string }
			require.NoError(t, json.Unmarshal(r.Payload, &run))
			if r.Type == vaststelling.EntryDailyRun {
				assert.Empty(t, holder, "%s ran the day while %s held it", run.Server, holder)
				holder = run.Server
				runs++
			} else {
				assert.Equal(t, holder, run.Server, "a run ended by another office than its own")
				holder = ""
			}
		}
		if types[r.Type] == nil {
			types[r.Type] = map[string]int{}
		}
		types[r.Type][r.Result]++
	}
	assert.Empty(t, holder, "the last run did not end")
	t.Logf("%d runs of the day, one after the other", runs)
	for id, n := range types[string(result.EventDetermined)] {
		assert.Equal(t, 1, n, "%s determined once", id)
	}
	for id, n := range types[string(result.EventRegistered)] {
		assert.Equal(t, 1, n, "%s registered once", id)
	}
	deliveries := 0
	require.NoError(t, offices[2].Sync(ctx))
	require.NoError(t, offices[2].Deliveries(ctx, func(k oke.Kept) error {
		deliveries++
		return nil
	}))
	copies := 0 // sent to a second office too: every third, but the child's
	for i := range clusterResults {
		if i%3 == 0 && i%4 != 3 {
			copies++
		}
	}
	assert.Equal(t, clusterResults+copies, deliveries, "every delivery, and every second copy, once")

	// One office alone, the same work in order.
	alone, err := vaststelling.Open(ctx, clusterConfig(t, &audit.MemoryStore{}, &vaststelling.Outbox{}, "alone"))
	require.NoError(t, err)
	require.NoError(t, alone.SessionReport(ctx, "session-2", "fire alarm at 10:40", clusterDelivered.Add(-time.Hour)))
	for i := range clusterResults {
		require.NoError(t, clusterWork(ctx, i, func() *vaststelling.Office { return alone }, alone))
	}
	told, err := alone.DailyRun(ctx, clusterTold)
	require.NoError(t, err)
	want, err := alone.DailyRun(ctx, clusterRun)
	require.NoError(t, err)
	assert.Len(t, sent, len(told.Notified)+len(want.Notified), "as many notices as one office sends")
	for _, o := range offices {
		require.NoError(t, o.Sync(ctx))
		assert.Equal(t, alone.Results(), o.Results())
		for _, id := range alone.Results() {
			a, _ := alone.Result(id)
			b, _ := o.Result(id)
			assert.Equal(t, a.State, b.State, id)
			assert.Equal(t, a.Grade, b.Grade, id)
			assert.Equal(t, a.Version, b.Version, id)
		}
	}
	determined := slices.Sorted(maps.Keys(types[string(result.EventDetermined)]))
	assert.Equal(t, want.Determined, determined)
	require.NotEmpty(t, want.Determined)
	require.NotEmpty(t, want.Blocked, "the session report holds session-2")
}
