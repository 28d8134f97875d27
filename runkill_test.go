//go:build unix

package vaststelling_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
)

// A mailLog is the mail system the offices share: it keeps the id of each
// notice sent as a line of a file, and answers whether it sent one (a
// vaststelling.SentChecker). Slow says how long a send takes.
type mailLog struct {
	mu   sync.Mutex
	path string
	slow time.Duration
	tell func(id string) // hears each id sent, if set
}

func (m *mailLog) Send(ctx context.Context, n vaststelling.Notice) error {
	time.Sleep(m.slow)
	m.mu.Lock()
	defer m.mu.Unlock()
	f, err := os.OpenFile(m.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, n.ID); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if m.tell != nil {
		m.tell(n.ID)
	}
	return nil
}

func (m *mailLog) Sent(ctx context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sent, err := m.sent()
	return sent[id] > 0, err
}

// sent counts the ids in the file.
func (m *mailLog) sent() (map[string]int, error) {
	b, err := os.ReadFile(m.path)
	if os.IsNotExist(err) {
		return map[string]int{}, nil
	}
	ids := map[string]int{}
	for _, id := range strings.Fields(string(b)) {
		ids[id]++
	}
	return ids, err
}

// runKillEnv names the table and mail file of a re-executed test binary
// working as the daily run's holder in TestDailyRunHolderKilled.
const runKillEnv, runKillMail = "VASTSTELLING_RUNKILL_TABLE", "VASTSTELLING_RUNKILL_MAIL"

const runKillResults = 300

// runKillDay is the evening of the deliveries: the day's notices are due.
var runKillDay = clusterDelivered.Add(9 * time.Hour)

// TestDailyRunHolderChild runs the day, slowly, printing each notice it
// sends, until it is killed; run only by TestDailyRunHolderKilled.
func TestDailyRunHolderChild(t *testing.T) {
	table := os.Getenv(runKillEnv)
	if table == "" {
		t.Skip("run by TestDailyRunHolderKilled")
	}
	fail := func(err error) {
		fmt.Println("error", err)
		os.Exit(1)
	}
	db, err := sql.Open("pgx", os.Getenv("VASTSTELLING_POSTGRES_URL"))
	if err != nil {
		fail(err)
	}
	store, err := sqlstore.New(db, table)
	if err != nil {
		fail(err)
	}
	mail := &mailLog{path: os.Getenv(runKillMail), slow: time.Millisecond, tell: func(id string) { fmt.Println(id) }}
	cfg := officeConfig(t, runKillResults, store, mail)
	cfg.Server = "holder"
	o, err := vaststelling.Open(context.Background(), cfg)
	if err != nil {
		fail(err)
	}
	_, err = o.DailyRun(context.Background(), runKillDay)
	fail(fmt.Errorf("the run ended before it was killed: %v", err))
}

// The office holding the daily run is killed (SIGKILL) halfway through
// its notices. A run on another office at once is refused (the day is
// held); once the holder's lease has passed, a run takes the day over and
// finishes it: every student told once, the mail system asked about the
// notices the holder sent without recording them.
func TestDailyRunHolderKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	url := postgresURL(t)
	ctx := context.Background()
	table := fmt.Sprintf("runkill_%d", time.Now().UnixNano())
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	defer db.Close()
	store, err := sqlstore.New(db, table)
	require.NoError(t, err)
	require.NoError(t, store.Migrate(ctx))
	mail := &mailLog{path: filepath.Join(t.TempDir(), "mail")}
	cfg := officeConfig(t, runKillResults, store, mail)
	cfg.Server = "taker"
	o, err := vaststelling.Open(ctx, cfg)
	require.NoError(t, err)
	var batch []oke.Delivery
	for i := range runKillResults {
		batch = append(batch, delivery(i))
	}
	_, err = o.DeliverBatch(ctx, batch, clusterDelivered)
	require.NoError(t, err)

	child := exec.Command(os.Args[0], "-test.run=^TestDailyRunHolderChild$")
	child.Env = append(os.Environ(), runKillEnv+"="+table, runKillMail+"="+mail.path)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, child.Start())
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	lines := bufio.NewScanner(out)
	for range runKillResults / 3 {
		require.True(t, lines.Scan(), "the child ended early")
		require.False(t, strings.HasPrefix(lines.Text(), "error"), "the child: %s", lines.Text())
	}
	require.NoError(t, child.Process.Kill())
	child.Wait()

	_, err = o.DailyRun(ctx, runKillDay.Add(time.Minute))
	require.ErrorIs(t, err, vaststelling.ErrRunning, "the holder's lease has not passed")
	t.Logf("while the lease holds: %v", err)
	rep, err := o.DailyRun(ctx, runKillDay.Add(vaststelling.DefaultRunLease+time.Minute))
	require.NoError(t, err)
	assert.NotEmpty(t, rep.Notified)

	sent, err := mail.sent()
	require.NoError(t, err)
	assert.Len(t, sent, runKillResults, "every student told")
	for id, n := range sent {
		assert.Equal(t, 1, n, "%s told once", id)
	}
	for id, n := range perResult(t, store, string(result.EventDetermined)) {
		assert.Equal(t, 1, n, "%s determined once", id)
	}
	_, err = audit.Rebuild(ctx, store, ams)
	require.NoError(t, err, "the trail folds")
	t.Logf("the run that took over recorded %d notices (sending those the mail system did not have)", len(rep.Notified))
}
