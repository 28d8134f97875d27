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

// torn makes a trail of 20 events in two batches of 10 whose second batch
// a crash cut short, cutting n bytes off the log: the store had not
// acknowledged it yet, and its head file still says 10 records.
func torn(t *testing.T, n int64) (dir, log string) {
	t.Helper()
	ctx := context.Background()
	dir, _ = trail(t, 10)
	head, err := os.ReadFile(filepath.Join(dir, filestore.HeadFile))
	require.NoError(t, err)
	s, err := filestore.Open(dir)
	require.NoError(t, err)
	l, err := audit.NewLog(s)
	require.NoError(t, err)
	_, err = l.AppendEvents(ctx, storetest.Events(20, start)[10:]...)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, os.WriteFile(filepath.Join(dir, filestore.HeadFile), head, 0o600))
	log = filepath.Join(dir, filestore.LogFile)
	fi, err := os.Stat(log)
	require.NoError(t, err)
	require.NoError(t, os.Truncate(log, fi.Size()-n))
	return dir, log
}

// TestTorn checks that a trail whose last batch a crash cut short fails,
// saying so; and that a trail that lost a batch it had acknowledged fails
// as corrupt.
func TestTorn(t *testing.T) {
	dir, path := torn(t, 7)
	status, stdout, stderr := verify("-log", dir)
	require.Equal(t, 1, status)
	require.True(t, strings.HasPrefix(stdout, "FAIL filestore: "+path+": "), stdout)
	require.Contains(t, stdout, "record 10: torn record: an incomplete last batch")
	require.Contains(t, stdout, "filestore.Repair")
	require.Equal(t, 1, strings.Count(stdout, "\n"))
	require.Empty(t, stderr)

	t.Run("acknowledged", func(t *testing.T) {
		dir, _ := trail(t, 20)
		path := filepath.Join(dir, filestore.LogFile)
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.NoError(t, os.Truncate(path, fi.Size()-7))
		status, stdout, stderr := verify("-log", dir)
		require.Equal(t, 1, status)
		require.True(t, strings.HasPrefix(stdout, "FAIL filestore: "+path+": "), stdout)
		require.Contains(t, stdout, "fewer records than it did")
		require.Equal(t, 1, strings.Count(stdout, "\n"))
		require.Empty(t, stderr)
	})
}

// TestBadUsage checks that a call verify cannot make sense of exits with
// status 2, writes nothing to stdout, and gives the problem and the
// synopsis on stderr.
func TestBadUsage(t *testing.T) {
	dir, cs := trail(t, 10)
	file, vkey := signed(t, cs[0], "example.org/trail")
	tests := []struct {
		name string
		args []string
		want string // the first line on stderr
	}{
		{"no arguments", nil, "verify: missing flag -log"},
		{"empty -log", []string{"-log", ""}, "verify: missing flag -log"},
		{"-checkpoint without -key", []string{"-log", dir, "-checkpoint", file}, "verify: -checkpoint needs -key, the verifier key of its signer"},
		{"-key without -checkpoint", []string{"-log", dir, "-key", vkey}, "verify: -key goes with -checkpoint"},
		{"extra argument", []string{"-log", dir, "extra"}, `verify: unexpected argument "extra"`},
		{"unknown flag", []string{"-log", dir, "-verbose"}, "verify: flag provided but not defined: -verbose"},
		{"flag without its value", []string{"-log"}, "verify: flag needs an argument: -log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := verify(tt.args...)
			require.Equal(t, 2, status)
			require.Empty(t, stdout)
			require.Equal(t, tt.want+"\nusage: "+synopsis+"\nRun 'verify -h' for details.\n", stderr)
		})
	}
}

// TestBadInput checks that every input verify cannot read exits with
// status 2, writes nothing to stdout, and names the input and what it
// should hold on stderr, in one line.
func TestBadInput(t *testing.T) {
	dir, cs := trail(t, 10)
	file, vkey := signed(t, cs[0], "example.org/trail")
	empty := t.TempDir()
	emptyFile := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.WriteFile(emptyFile, nil, 0o644))
	noPayload := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(noPayload, filestore.LogFile), nil, 0o644))
	tests := []struct {
		name string
		args []string
		want string // stderr
	}{
		{"unreadable checkpoint", []string{"-log", dir, "-checkpoint", filepath.Join(empty, "absent.note"), "-key", vkey},
			"verify: -checkpoint " + filepath.Join(empty, "absent.note") + ": no such file, want " + wantCheckpoint},
		{"empty checkpoint", []string{"-log", dir, "-checkpoint", emptyFile, "-key", vkey},
			"verify: -checkpoint " + emptyFile + ": empty, want " + wantCheckpoint},
		{"bad key", []string{"-log", dir, "-checkpoint", file, "-key", "example.org/trail+1234+notakey"},
			`verify: -key "example.org/trail+1234+notakey": not a verifier key, nor a file holding one: malformed verifier id`},
		{"a key file that is not there", []string{"-log", dir, "-checkpoint", file, "-key", filepath.Join(empty, "absent.key")},
			`verify: -key "` + filepath.Join(empty, "absent.key") + `": not a verifier key, nor a file holding one: malformed verifier id`},
		{"empty key file", []string{"-log", dir, "-checkpoint", file, "-key", emptyFile},
			"verify: -key " + emptyFile + ": empty, want " + wantKey},
		{"key file without a key", []string{"-log", dir, "-checkpoint", file, "-key", file},
			"verify: -key " + file + ": not a verifier key on its first line (malformed verifier id), want " + wantKey},
		{"no store in the directory", []string{"-log", empty},
			"verify: -log " + empty + ": no file store: it has no file log, want " + wantLog},
		{"a store without its payload", []string{"-log", noPayload},
			"verify: -log " + noPayload + ": no file store: it has no file payload, want " + wantLog},
		{"no such directory", []string{"-log", filepath.Join(empty, "absent")},
			"verify: -log " + filepath.Join(empty, "absent") + ": no such directory, want " + wantLog},
		{"a file for a directory", []string{"-log", emptyFile},
			"verify: -log " + emptyFile + ": a file, not a directory, want " + wantLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := verify(tt.args...)
			require.Equal(t, 2, status)
			require.Empty(t, stdout)
			require.Equal(t, tt.want+"\n", stderr)
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
		require.Contains(t, stderr, "verify: missing flag -log\nusage: verify ")
	})
	t.Run("help", func(t *testing.T) {
		stdout, stderr := runBin(t, 0, "-h")
		require.True(t, strings.HasPrefix(stdout, "usage: verify "))
		require.Empty(t, stderr)
	})
	t.Run("torn", func(t *testing.T) {
		dir, _ := torn(t, 1)
		stdout, stderr := runBin(t, 1, "-log", dir)
		require.Contains(t, stdout, "torn record")
		require.Empty(t, stderr)
	})
}

// TestHelp checks that -h prints the usage on stdout, with status 0.
func TestHelp(t *testing.T) {
	status, stdout, stderr := verify("-h")
	require.Equal(t, 0, status)
	require.Empty(t, stderr)
	require.True(t, strings.HasPrefix(stdout, "usage: verify -log DIR [-checkpoint FILE -key VERIFIERKEY|KEYFILE]\n"), stdout)
	for _, w := range []string{"-log directory", "-checkpoint file", "-key key", "a file holding it", "Exit status 2"} {
		require.Contains(t, stdout, w)
	}
}

// TestKeyFile checks that -key takes a file holding the verifier key as
// well as the key.
func TestKeyFile(t *testing.T) {
	dir, cs := trail(t, 20)
	file, vkey := signed(t, cs[1], "example.org/trail")
	keyFile := filepath.Join(t.TempDir(), "verifier.key")
	require.NoError(t, os.WriteFile(keyFile, []byte(vkey+"\n"), 0o644))
	status, stdout, stderr := verify("-log", dir, "-checkpoint", file, "-key", keyFile)
	require.Equal(t, 0, status, stderr)
	require.Equal(t, ok(cs[1]), stdout)
}

// TestWhileWritten checks that verify reads a store another has open for
// writing: it takes no lock.
func TestWhileWritten(t *testing.T) {
	dir, cs := trail(t, 20)
	s, err := filestore.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	status, stdout, stderr := verify("-log", dir)
	require.Equal(t, 0, status, stderr)
	require.Equal(t, ok(cs[1]), stdout)
}

// lifecycle runs examples/lifecycle -audit dir, built for the test, as a
// newcomer runs it, and returns what it printed.
func lifecycle(t *testing.T, dir string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs examples/lifecycle")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), "lifecycle")
	if out, err := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, "../lifecycle").CombinedOutput(); err != nil {
		t.Fatalf("go build ../lifecycle: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(t.Context(), bin, "-lang", "en", "-audit", dir).Output()
	require.NoError(t, err)
	return string(out)
}

// TestLifecycle checks the trail examples/lifecycle -audit DIR leaves,
// with the checkpoint and the verifier key it writes there: it verifies,
// while a tampered checkpoint fails in one line.
func TestLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "term")
	out := lifecycle(t, dir)
	cpFile, keyFile := filepath.Join(dir, "checkpoint"), filepath.Join(dir, "verifier.key")
	require.Contains(t, out, "go run ./examples/verify -log "+dir+" -checkpoint "+cpFile+" -key "+keyFile+"\n")
	bin := cmdtest.Build(t, "verify")

	runBin := func(args ...string) (status int, stdout, stderr string) {
		var o, e bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if exit := (*exec.ExitError)(nil); err != nil {
			require.ErrorAs(t, err, &exit)
			return exit.ExitCode(), o.String(), e.String()
		}
		return 0, o.String(), e.String()
	}
	status, stdout, stderr := runBin("-log", dir, "-checkpoint", cpFile, "-key", keyFile)
	require.Equal(t, 0, status, stderr)
	require.True(t, strings.HasPrefix(stdout, "ok "), stdout)
	require.Contains(t, out, "Trail: "+stdout)
	require.Empty(t, stderr)

	msg, err := os.ReadFile(cpFile)
	require.NoError(t, err)
	c, err := audit.ParseCheckpoint(msg[:bytes.Index(msg, []byte("\n\n"))+1])
	require.NoError(t, err)
	size := "\n" + strconv.FormatInt(c.Size, 10) + "\n"
	tampered := filepath.Join(t.TempDir(), "checkpoint")
	require.NoError(t, os.WriteFile(tampered, bytes.Replace(msg, []byte(size), []byte("\n"+strconv.FormatInt(c.Size-1, 10)+"\n"), 1), 0o644))
	status, stdout, stderr = runBin("-log", dir, "-checkpoint", tampered, "-key", keyFile)
	require.Equal(t, 1, status)
	require.True(t, strings.HasPrefix(stdout, "FAIL checkpoint "+tampered+": audit: invalid checkpoint: invalid signature for key examencommissie-roc-voorbeeld+"), stdout)
	require.Equal(t, 1, strings.Count(stdout, "\n"))
	require.Empty(t, stderr)

	// Run again, lifecycle resumes the trail and signs with the same key:
	// the first checkpoint still holds for the grown trail.
	first := filepath.Join(t.TempDir(), "checkpoint")
	require.NoError(t, os.WriteFile(first, msg, 0o644))
	out = lifecycle(t, dir)
	require.True(t, strings.HasPrefix(out, "Resumed the trail of "+strconv.FormatInt(c.Size, 10)+" records in "+dir+".\n"), out)
	for _, cp := range []string{cpFile, first} {
		status, stdout, stderr = runBin("-log", dir, "-checkpoint", cp, "-key", keyFile)
		require.Equal(t, 0, status, stderr)
		require.Contains(t, out, "Trail: "+stdout)
	}
}
