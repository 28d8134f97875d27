//go:build unix

package vaststelling_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

// officeChildEnv names the store directory of a re-executed test binary
// working as the child of TestOfficeKilledWhileWriting; officeChildFrom
// the first enrolment it delivers.
const officeChildEnv, officeChildFrom = "VASTSTELLING_OFFICE_CHILD", "VASTSTELLING_OFFICE_CHILD_FROM"

// killEnrolments is how many enrolments the killed offices share.
const killEnrolments = 2000

// TestOfficeChild is the child's work, run only in a child: it opens the
// office over the file store, says "open", and then delivers enrolments
// from four goroutines (so that appends are group commits), printing the
// id of each delivery the office acknowledged, and writes a snapshot every
// 40 acknowledgements, until it is killed.
func TestOfficeChild(t *testing.T) {
	dir := os.Getenv(officeChildEnv)
	if dir == "" {
		t.Skip("run by TestOfficeKilledWhileWriting")
	}
	fail := func(err error) {
		fmt.Println("error", err)
		os.Exit(1)
	}
	from, err := strconv.Atoi(os.Getenv(officeChildFrom))
	if err != nil {
		fail(err)
	}
	ctx := context.Background()
	store, err := filestore.Open(dir)
	if err != nil {
		fail(err)
	}
	o, err := vaststelling.Open(ctx, officeConfig(t, killEnrolments, store, nil))
	if err != nil {
		fail(err)
	}
	fmt.Println("open")
	var mu sync.Mutex
	acked := 0
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := from + g; i < killEnrolments; i += 4 {
				if _, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9)); err != nil {
					fail(err)
				}
				mu.Lock()
				fmt.Println(i)
				acked++
				snap := acked%40 == 0
				mu.Unlock()
				if snap {
					if err := o.Snapshot(ctx); err != nil {
						fail(err)
					}
				}
			}
		})
	}
	wg.Wait()
	fail(errors.New("ran out of enrolments"))
}

// A killed office, a few times over: an office process is killed
// (SIGKILL) at a random moment while it delivers and writes snapshots,
// and Open (after Repair when the kill tore a batch) resumes it with every
// acknowledged delivery: sent again, each is a duplicate, and the trail
// holds each result's registration once.
func TestOfficeKilledWhileWriting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	acked := map[int]bool{}
	from, torn := 0, 0
	for round := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestOfficeChild$")
		cmd.Env = append(os.Environ(), officeChildEnv+"="+dir, officeChildFrom+"="+strconv.Itoa(from))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		lines := bufio.NewScanner(out)
		next := func() string {
			if !lines.Scan() {
				return ""
			}
			line := lines.Text()
			require.False(t, strings.HasPrefix(line, "error"), "the child: %s", line)
			return line
		}
		require.Equal(t, "open", next())
		ack := func(line string) {
			i, err := strconv.Atoi(line)
			require.NoError(t, err, "line %q", line)
			acked[i] = true
			from = max(from, i+1)
		}
		for range 50 + 50*round {
			ack(next())
		}
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		require.NoError(t, cmd.Process.Kill())
		for line := next(); line != ""; line = next() {
			ack(line)
		}
		cmd.Wait()
		from += 4 // what the child was delivering may have landed: leave it to the check

		store, err := filestore.Open(dir)
		if errors.Is(err, audit.ErrTorn) {
			torn++
			_, err = filestore.Repair(dir)
			require.NoError(t, err)
			store, err = filestore.Open(dir)
		}
		require.NoError(t, err)
		o, err := vaststelling.Open(ctx, officeConfig(t, killEnrolments, store, nil))
		require.NoError(t, err, "round %d", round)
		for i := range acked {
			rc, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 10))
			require.NoError(t, err)
			require.Equal(t, oke.Duplicate, rc.Outcome, "acknowledged delivery %d after the kill", i)
		}
		require.NoError(t, store.Close())
	}

	store, err := filestore.OpenReadOnly(dir)
	require.NoError(t, err)
	defer store.Close()
	_, err = audit.Verify(ctx, store, nil)
	require.NoError(t, err)
	_, err = audit.Rebuild(ctx, store, ams)
	require.NoError(t, err, "the trail folds")
	size, err := store.Size(ctx)
	require.NoError(t, err)
	registered := perResult(t, store, string(result.EventRegistered))
	for id, n := range registered {
		assert.Equal(t, 1, n, "%s registered once", id)
	}
	assert.GreaterOrEqual(t, len(registered), len(acked))
	t.Logf("%d deliveries acknowledged across 4 kills (%d tore a batch); %d records", len(acked), torn, size)
}
