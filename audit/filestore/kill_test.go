//go:build unix

package filestore

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/storetest"
)

// childEnv names the store a re-executed test binary works on, as the
// child of TestKillWhileAppending; childMode says what it does.
const childEnv, childMode = "FILESTORE_CHILD", "FILESTORE_CHILD_MODE"

// TestChild is the child's work, run only in a child: it opens the store,
// says "open", and then appends batches for ever, printing after each the
// size and root that Append acknowledged; or, in mode "snapshot", writes a
// snapshot "old", says so, and then writes a new one that never ends.
func TestChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("run by TestKillWhileAppending")
	}
	ctx := context.Background()
	s, err := Open(dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("open")
	if os.Getenv(childMode) == "snapshot" {
		childSnapshot(ctx, s)
	}
	l, err := audit.NewLog(s)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	for i := 0; ; i++ {
		if _, err := l.AppendEvents(ctx, storetest.Events(1+i%9, epoch.Add(time.Duration(i)*time.Minute))...); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		size, root := s.Head()
		fmt.Println(size, base64.StdEncoding.EncodeToString(root[:]))
	}
}

func childSnapshot(ctx context.Context, s *Store) {
	err := s.WriteSnapshot(ctx, func(w io.Writer) error { _, err := io.WriteString(w, "old"); return err })
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("old")
	err = s.WriteSnapshot(ctx, func(w io.Writer) error {
		for i := 0; ; i++ {
			if _, err := w.Write(make([]byte, 1<<20)); err != nil {
				return err
			}
			if i == 3 {
				fmt.Println("writing")
			}
		}
	})
	fmt.Println("error", err)
	os.Exit(1)
}

// A child is a test binary working on a store, whose output is read line
// by line.
type child struct {
	cmd   *exec.Cmd
	lines *bufio.Scanner
}

func startChild(t *testing.T, dir, mode string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir, childMode+"="+mode)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	c := &child{cmd: cmd, lines: bufio.NewScanner(out)}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	require.Equal(t, "open", c.next(t))
	return c
}

// next returns the child's next line, "" at its end.
func (c *child) next(t *testing.T) string {
	t.Helper()
	if !c.lines.Scan() {
		return ""
	}
	line := c.lines.Text()
	require.False(t, strings.HasPrefix(line, "error"), "the child: %s", line)
	return line
}

// kill kills the child with SIGKILL and returns the lines it had printed.
func (c *child) kill(t *testing.T) []string {
	t.Helper()
	require.NoError(t, c.cmd.Process.Kill())
	var rest []string
	for line := c.next(t); line != ""; line = c.next(t) {
		rest = append(rest, line)
	}
	c.cmd.Wait()
	return rest
}

// An ack is a size and root a child's Append acknowledged.
type ack struct {
	size int64
	root tlog.Hash
}

func parseAck(t *testing.T, line string) ack {
	t.Helper()
	var a ack
	var root string
	_, err := fmt.Sscan(line, &a.size, &root)
	require.NoError(t, err, "line %q", line)
	b, err := base64.StdEncoding.DecodeString(root)
	require.NoError(t, err)
	copy(a.root[:], b)
	return a
}

// holdsAcks checks that s verifies and holds every acknowledged batch:
// its tree at each acknowledged size has the root acknowledged.
func holdsAcks(t *testing.T, s audit.Store, acks []ack) {
	t.Helper()
	ctx := context.Background()
	rep, err := audit.Verify(ctx, s, nil)
	require.NoError(t, err)
	reader := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) { return s.ReadHashes(ctx, ix) })
	for _, a := range acks {
		require.LessOrEqual(t, a.size, rep.Size, "an acknowledged batch is missing")
		root, err := tlog.TreeHash(a.size, reader)
		require.NoError(t, err)
		require.Equal(t, a.root, root, "the tree at %d records", a.size)
	}
}

// TestKillWhileAppending kills (SIGKILL) a child process that appends to a
// store, at a random moment, a few times over: every batch it
// acknowledged must be there after Open (and Repair when the kill tore a
// batch), and the log must verify. While the child has the store open,
// Open fails with ErrLocked and OpenReadOnly serves what it acknowledged.
func TestKillWhileAppending(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	var acks []ack
	repaired := 0
	for round := range 6 {
		c := startChild(t, dir, "append")
		for range 10 + 10*round {
			acks = append(acks, parseAck(t, c.next(t)))
		}
		if round == 0 {
			_, err := Open(dir)
			require.ErrorIs(t, err, ErrLocked)
			r, err := OpenReadOnly(dir)
			require.NoError(t, err)
			holdsAcks(t, r, acks)
			require.NoError(t, r.Close())
		}
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		for _, line := range c.kill(t) {
			acks = append(acks, parseAck(t, line))
		}

		s, err := Open(dir)
		if errors.Is(err, audit.ErrTorn) {
			repaired++
			_, err = Repair(dir)
			require.NoError(t, err)
			s, err = Open(dir)
		}
		require.NoError(t, err)
		holdsAcks(t, s, acks)
		size, root := s.Head()
		last := acks[len(acks)-1]
		assert.GreaterOrEqual(t, size, last.size)
		if size == last.size {
			assert.Equal(t, last.root, root)
		}
		require.NoError(t, s.Close())
	}
	t.Logf("%d acknowledged batches, up to %d records; %d kills tore a batch", len(acks), acks[len(acks)-1].size, repaired)
}

// A child killed while it writes a snapshot leaves the old one, and Open
// removes the part of the new one.
func TestKillWhileWritingSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	c := startChild(t, dir, "snapshot")
	require.Equal(t, "old", c.next(t))
	require.Equal(t, "writing", c.next(t))
	c.kill(t)
	names, err := os.ReadDir(dir)
	require.NoError(t, err)
	temps := 0
	for _, n := range names {
		if strings.HasSuffix(n.Name(), tempSuffix) {
			temps++
		}
	}
	require.Equal(t, 1, temps, "the part of the new snapshot")

	s, err := Open(dir)
	require.NoError(t, err)
	defer s.Close()
	var got []byte
	require.NoError(t, s.ReadSnapshot(context.Background(), func(r io.Reader) error {
		got, err = io.ReadAll(r)
		return err
	}))
	assert.Equal(t, "old", string(got))
	names, err = os.ReadDir(dir)
	require.NoError(t, err)
	for _, n := range names {
		assert.False(t, strings.HasSuffix(n.Name(), tempSuffix), "left: %s", n.Name())
	}
}
