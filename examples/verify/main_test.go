package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/storetest"
	"github.com/krs-oke/vaststelling/internal/cmdtest"
)

var start = time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)

// trail makes a file store in a new directory holding n events, appended
// in batches of 10, and returns the directory and the checkpoints after
// each batch.
func trail(t *testing.T, n int) (dir string, checkpoints []audit.Checkpoint) {
	t.Helper()
	ctx := context.Background()
	dir = t.TempDir()
	s, err := filestore.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	events := storetest.Events(n, start)
	for i := 0; i < n; i += 10 {
		_, err := l.AppendEvents(ctx, events[i:min(i+10, n)]...)
		require.NoError(t, err)
		c, err := l.Checkpoint(ctx, "example.org/trail", start.Add(time.Duration(i)*time.Hour))
		require.NoError(t, err)
		checkpoints = append(checkpoints, c)
	}
	return dir, checkpoints
}

// ok returns the line verify prints for a trail that holds.
func ok(c audit.Checkpoint) string {
	return "ok " + strconv.FormatInt(c.Size, 10) + " events root " + base64.StdEncoding.EncodeToString(c.Root[:]) + "\n"
}

// signed writes the checkpoint, signed with a new key named name, to a
// file, and returns the file and the verifier key.
func signed(t *testing.T, c audit.Checkpoint, name string) (file, vkey string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	require.NoError(t, err)
	signer, err := note.NewSigner(skey)
	require.NoError(t, err)
	msg, err := c.Sign(signer)
	require.NoError(t, err)
	file = filepath.Join(t.TempDir(), "checkpoint.note")
	require.NoError(t, os.WriteFile(file, msg, 0o600))
	return file, vkey
}

// verify runs the command and returns its status and streams.
func verify(args ...string) (status int, stdout, stderr string) {
	var out, errs bytes.Buffer
	status = run(args, &out, &errs)
	return status, out.String(), errs.String()
}

// TestGood checks the verdict on trails that hold: alone, against a signed
// checkpoint of the whole trail, and of a part of it, the trail having
// grown since, and with a payload erased.
func TestGood(t *testing.T) {
	dir, cs := trail(t, 30)
	last := cs[len(cs)-1]

	status, stdout, stderr := verify("-log", dir)
	require.Equal(t, 0, status, "stderr: %s", stderr)
	require.Equal(t, ok(last), stdout)
	require.Empty(t, stderr)

	for _, c := range []audit.Checkpoint{last, cs[0]} {
		file, vkey := signed(t, c, "example.org/trail")
		status, stdout, stderr = verify("-log", dir, "-checkpoint", file, "-key", vkey)
		require.Equal(t, 0, status, "stdout: %s stderr: %s", stdout, stderr)
		require.Equal(t, ok(last), stdout)
		require.Empty(t, stderr)
	}

	s, err := filestore.Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.Erase(context.Background(), 4))
	require.NoError(t, s.Close())
	file, vkey := signed(t, last, "example.org/trail")
	status, stdout, _ = verify("-log", dir, "-checkpoint", file, "-key", vkey)
	require.Equal(t, 0, status)
	require.Equal(t, ok(last), stdout)
}

// TestCheckpointFails checks that a checkpoint that does not verify, or
// that the trail does not meet, is a failing verdict.
func TestCheckpointFails(t *testing.T) {
	dir, cs := trail(t, 20)
	last := cs[len(cs)-1]
	file, vkey := signed(t, last, "example.org/trail")
	_, otherKey := signed(t, last, "example.org/trail")
	_, otherName := signed(t, last, "example.org/other")

	for name, key := range map[string]string{"another key of the same name": otherKey, "the key of another name": otherName} {
		t.Run(name, func(t *testing.T) {
			status, stdout, stderr := verify("-log", dir, "-checkpoint", file, "-key", key)
			require.Equal(t, 1, status)
			require.Equal(t, "FAIL checkpoint "+file+": audit: invalid checkpoint: note has no verifiable signatures\n", stdout)
			require.Empty(t, stderr)
		})
	}
	t.Run("altered", func(t *testing.T) {
		msg, err := os.ReadFile(file)
		require.NoError(t, err)
		altered := filepath.Join(t.TempDir(), "altered.note")
		require.NoError(t, os.WriteFile(altered, bytes.Replace(msg, []byte("\n20\n"), []byte("\n19\n"), 1), 0o600))
		status, stdout, _ := verify("-log", dir, "-checkpoint", altered, "-key", vkey)
		require.Equal(t, 1, status)
		require.True(t, strings.HasPrefix(stdout, "FAIL checkpoint "), stdout)
		require.Contains(t, stdout, "invalid checkpoint")
	})
	t.Run("of another trail", func(t *testing.T) {
		_, others := trail(t, 20)
		other, vkey := signed(t, others[1], "example.org/trail")
		status, stdout, _ := verify("-log", dir, "-checkpoint", other, "-key", vkey)
		// Events of the same data under other salts: other commitments.
		require.Equal(t, 1, status)
		require.Equal(t, "FAIL audit: the tree: the tree of 20 records does not have the checkpoint's root\n", stdout)
	})
	t.Run("ahead of the trail", func(t *testing.T) {
		ahead := last
		ahead.Size += 5
		file, vkey := signed(t, ahead, "example.org/trail")
		status, stdout, _ := verify("-log", dir, "-checkpoint", file, "-key", vkey)
		require.Equal(t, 1, status)
		require.Equal(t, "FAIL audit: the tree: the checkpoint has 25 records, the log 20\n", stdout)
	})
}

// TestTampered checks that a trail changed after the fact fails, naming
// the record: by a flipped byte, which the store's checksums catch, and by
// a payload that does not match its record's commitment although every
// checksum holds, which only verification catches.
func TestTampered(t *testing.T) {
	t.Run("a byte of a payload", func(t *testing.T) {
		dir, _ := trail(t, 20)
		path := filepath.Join(dir, filestore.PayloadFile)
		pay, err := os.ReadFile(path)
		require.NoError(t, err)
		at := bytes.Index(pay, []byte(`"step 7"`))
		require.Positive(t, at)
		pay[at+2] = 'S'
		require.NoError(t, os.WriteFile(path, pay, 0o600))

		status, stdout, stderr := verify("-log", dir)
		require.Equal(t, 1, status)
		require.True(t, strings.HasPrefix(stdout, "FAIL filestore: "+path+": offset "), stdout)
		require.Contains(t, stdout, ", record 7: corrupt store: ")
		require.Equal(t, 1, strings.Count(stdout, "\n"))
		require.Empty(t, stderr)
	})
	t.Run("a payload that is not the one committed to", func(t *testing.T) {
		ctx := context.Background()
		dir, _ := trail(t, 20)
		s, err := filestore.Open(dir)
		require.NoError(t, err)
		r, err := audit.NewRecord(storetest.Events(21, start)[20], rand.Reader)
		require.NoError(t, err)
		r.Index = 20
		r.Payload = bytes.Replace(r.Payload, []byte("actor-6"), []byte("actor-0"), 1)
		hashes, err := tlog.StoredHashes(20, r.Leaf(), tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
			return s.ReadHashes(ctx, ix)
		}))
		require.NoError(t, err)
		require.NoError(t, s.Append(ctx, 20, []audit.Record{r}, hashes))
		require.NoError(t, s.Close())

		status, stdout, _ := verify("-log", dir)
		require.Equal(t, 1, status)
		require.Equal(t, "FAIL audit: record 20: payload does not match its commitment\n", stdout)
	})
}

// TestTorn checks that a trail whose last batch a crash cut short fails,
// saying so.
func TestTorn(t *testing.T) {
	dir, _ := trail(t, 20)
	path := filepath.Join(dir, filestore.LogFile)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.NoError(t, os.Truncate(path, fi.Size()-7))

	status, stdout, stderr := verify("-log", dir)
	require.Equal(t, 1, status)
	require.True(t, strings.HasPrefix(stdout, "FAIL filestore: "+path+": "), stdout)
	require.Contains(t, stdout, "record 10: torn record: an incomplete last batch")
	require.Contains(t, stdout, "filestore.Repair")
	require.Empty(t, stderr)
}

// TestBadUsage checks that every call verify cannot carry out exits with
// status 2, writes nothing to stdout, and names the problem on stderr.
func TestBadUsage(t *testing.T) {
	dir, cs := trail(t, 10)
	file, vkey := signed(t, cs[0], "example.org/trail")
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		want []string // each must occur in stderr
	}{
		{"no arguments", nil, []string{"missing flag -log"}},
		{"empty -log", []string{"-log", ""}, []string{"missing flag -log"}},
		{"-checkpoint without -key", []string{"-log", dir, "-checkpoint", file}, []string{"-checkpoint needs -key"}},
		{"-key without -checkpoint", []string{"-log", dir, "-key", vkey}, []string{"-key goes with -checkpoint"}},
		{"unreadable checkpoint", []string{"-log", dir, "-checkpoint", filepath.Join(empty, "absent.note"), "-key", vkey},
			[]string{"-checkpoint:", "absent.note", "no such file"}},
		{"bad key", []string{"-log", dir, "-checkpoint", file, "-key", "example.org/trail+1234+notakey"},
			[]string{`-key "example.org/trail+1234+notakey": not a verifier key`}},
		{"no store in the directory", []string{"-log", empty}, []string{"-log " + empty + ": not a file store", "no such file"}},
		{"no such directory", []string{"-log", filepath.Join(empty, "absent")}, []string{"not a file store"}},
		{"extra argument", []string{"-log", dir, "extra"}, []string{`unexpected argument "extra"`}},
		{"unknown flag", []string{"-log", dir, "-verbose"}, []string{"flag provided but not defined: -verbose", "usage: verify"}},
		{"-h", []string{"-h"}, []string{"usage: verify", "-log", "-checkpoint", "-key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := verify(tt.args...)
			require.Equal(t, 2, status)
			require.Empty(t, stdout)
			for _, w := range tt.want {
				require.Contains(t, stderr, w)
			}
		})
	}
	entries, err := os.ReadDir(empty)
	require.NoError(t, err)
	require.Empty(t, entries, "verify made files in a directory without a store")
}

// TestWriteError checks that a verdict that cannot be written gives status
// 2, which is neither a good nor a bad verdict.
func TestWriteError(t *testing.T) {
	dir, _ := trail(t, 10)
	var stderr bytes.Buffer
	require.Equal(t, 2, run([]string{"-log", dir}, cmdtest.FailingWriter{}, &stderr))
	require.Contains(t, stderr.String(), "broken pipe")
}

// TestBinary builds the command and runs it as a script would, to check
// the exit status and streams of the real process.
func TestBinary(t *testing.T) {
	bin := cmdtest.Build(t, "verify")
	dir, cs := trail(t, 20)
	file, vkey := signed(t, cs[1], "example.org/trail")

	runBin := func(t *testing.T, want int, args ...string) (stdout, stderr string) {
		var o, e bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if want == 0 {
			require.NoError(t, err, "stderr: %s", e.String())
		} else {
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit)
			require.Equal(t, want, exit.ExitCode())
		}
		return o.String(), e.String()
	}
	t.Run("good", func(t *testing.T) {
		stdout, stderr := runBin(t, 0, "-log", dir, "-checkpoint", file, "-key", vkey)
		require.Equal(t, ok(cs[1]), stdout)
		require.Empty(t, stderr)
	})
	t.Run("bad usage", func(t *testing.T) {
		stdout, stderr := runBin(t, 2, "-checkpoint", file)
		require.Empty(t, stdout)
		require.Contains(t, stderr, "verify: missing flag -log")
	})
	t.Run("torn", func(t *testing.T) {
		path := filepath.Join(dir, filestore.LogFile)
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.NoError(t, os.Truncate(path, fi.Size()-1))
		stdout, stderr := runBin(t, 1, "-log", dir)
		require.Contains(t, stdout, "torn record")
		require.Empty(t, stderr)
	})
}
