// Verify checks an audit trail kept by package audit/filestore, for use
// in scripts and by whoever audits the trail.
//
// Usage:
//
//	verify -log DIR [-checkpoint FILE -key VERIFIERKEY|KEYFILE]
//
// -log is the file store's directory: the directory given to
// filestore.Open, which holds the files "log" and "payload". Verify opens
// the store read-only (filestore.OpenReadOnly), which checks the checksums
// of both files whole, then runs
// audit.Verify: it reads every record, checks each payload against the
// commitment in its record (an erased payload is not a failure), recomputes
// the Merkle tree from the records and checks every stored hash.
//
// With -checkpoint, FILE holds a signed checkpoint, a note as
// audit.Checkpoint.Sign writes it, and -key is the verifier key of the one
// who signed it, as note.NewVerifier takes it ("<name>+<hash>+<keydata>"),
// or a file that holds it (on its first line). examples/lifecycle -audit
// DIR writes both:
//
//	verify -log DIR -checkpoint DIR/checkpoint -key DIR/verifier.key
//
// Verify then also checks the signature, and that the trail's first N
// records, N the checkpoint's size, still have the checkpoint's tree hash:
// that nothing the checkpoint committed to was changed or taken away.
//
// Verify prints its verdict on standard output, one line, and exits with
// status 0 when the trail holds:
//
//	ok 1000 events root Jx0nTdKCGBJxswMYDbE6J7P69fmXz/e2tfluy6cNciI=
//
// (the number of records verified and the tree hash of them all, in
// base64), or with status 1 when it does not, the line then naming the
// first failure: the first record that does not verify,
//
//	FAIL audit: record 17: payload does not match its commitment
//
// a store that cannot be read back as written, torn by a crash or
// corrupt, with the file, offset and record (a torn store can be repaired
// with filestore.Repair, deliberately),
//
//	FAIL filestore: trail/log: offset 313028, record 990: torn record: an incomplete last batch (…); filestore.Repair drops it
//
// or a checkpoint whose signature does not verify with the key: forged,
// altered, or signed with another key.
//
//	FAIL checkpoint cp.note: audit: invalid checkpoint: note has no verifiable signatures
//
// The verdict goes to standard output either way, so that a script can
// keep it; the status tells which it is.
//
// Status 2, with nothing on standard output, is for a call verify cannot
// carry out. Bad usage (no -log, -checkpoint without -key or -key without
// -checkpoint, an unexpected argument or flag) gets the message and the
// synopsis on standard error; bad input one line naming it: a -log
// directory that does not exist or holds no file store, a checkpoint or key
// file that is missing, empty or unreadable, a key that is neither a
// verifier key nor a file holding one, a store that cannot be opened for
// another reason than its contents (permissions, say); and so is a verdict
// that cannot be written. -h prints the usage on standard output, with
// status 0.
//
// Verify opens the store read-only: it takes no lock, creates nothing,
// and may run while a writer (examples/lifecycle, an office) has the
// store open; it verifies the batches that were complete when it read the
// files. It does not finish an erasure that a crash interrupted: it
// verifies that record as erased.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/internal/cli"
)

// main runs the command on the process's arguments and exits with its status.
func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const synopsis = "verify -log DIR [-checkpoint FILE -key VERIFIERKEY|KEYFILE]"

const about = `Verifies the audit trail kept in the file store in DIR (package
audit/filestore: the files log and payload), read-only: every record, its
payload against its commitment, and the Merkle tree. With -checkpoint and
-key, also the signed checkpoint in FILE, and that the trail still holds
what it signed. examples/lifecycle -audit DIR writes all three:

  verify -log DIR -checkpoint DIR/checkpoint -key DIR/verifier.key

Prints its verdict on standard output, one line: "ok N events root HASH"
with exit status 0, or "FAIL ..." naming the first failure, with exit
status 1. Exit status 2, with a message on standard error and nothing on
standard output, for bad usage or an input it cannot read.
`

// What the inputs hold.
const (
	wantLog        = "a file store's directory, holding the files log and payload (as lifecycle -audit DIR keeps it)"
	wantCheckpoint = "a signed checkpoint: a note, as lifecycle -audit DIR writes DIR/checkpoint"
	wantKey        = "a verifier key NAME+HASH+KEYDATA on the first line, as lifecycle -audit DIR writes DIR/verifier.key"
)

// run executes the command with args, the arguments after the program name,
// and returns the exit status. It writes its verdict to stdout, in one
// write, and messages about the call to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	c := cli.New("verify", synopsis, about, stdout, stderr)
	dir := c.Flags.String("log", "", "the file store's `directory` (required)")
	checkpoint := c.Flags.String("checkpoint", "", "verify against the signed checkpoint in `file` as well")
	key := c.Flags.String("key", "", "the checkpoint signer's verifier `key`, name+hash+keydata, or a file holding it")
	if status, ok := c.Parse(args); !ok {
		return status
	}
	switch {
	case c.Flags.NArg() > 0:
		return c.BadUsage("unexpected argument %q", c.Flags.Arg(0))
	case !c.Set("log") || *dir == "":
		return c.BadUsage("missing flag -log")
	case c.Set("checkpoint") && !c.Set("key"):
		return c.BadUsage("-checkpoint needs -key, the verifier key of its signer")
	case c.Set("key") && !c.Set("checkpoint"):
		return c.BadUsage("-key goes with -checkpoint")
	}

	var signed []byte
	var verifier note.Verifier
	if c.Set("checkpoint") {
		var err error
		if signed, err = cli.ReadFile(*checkpoint, wantCheckpoint); err != nil {
			return c.Fail(2, "-checkpoint %v", err)
		}
		if verifier, err = readVerifier(*key); err != nil {
			return c.Fail(2, "-key %v", err)
		}
	}
	// Say which is missing, before opening.
	if err := cli.Dir(*dir, wantLog); err != nil {
		return c.Fail(2, "-log %v", err)
	}
	for _, name := range []string{filestore.LogFile, filestore.PayloadFile} {
		if _, err := os.Stat(filepath.Join(*dir, name)); errors.Is(err, fs.ErrNotExist) {
			return c.Fail(2, "-log %s: no file store: it has no file %s, want %s", *dir, name, wantLog)
		}
	}

	verdict := func(line string, status int) int {
		if _, err := io.WriteString(stdout, line+"\n"); err != nil {
			return c.Fail(2, "writing the verdict: %v", err)
		}
		return status
	}
	var against *audit.Checkpoint
	if c.Set("checkpoint") {
		cp, err := audit.OpenCheckpoint(signed, note.VerifierList(verifier))
		if err != nil {
			return verdict(fmt.Sprintf("FAIL checkpoint %s: %v", *checkpoint, err), 1)
		}
		against = &cp
	}
	s, err := filestore.OpenReadOnly(*dir)
	if err != nil {
		if errors.Is(err, audit.ErrTorn) || errors.Is(err, audit.ErrCorrupt) {
			return verdict("FAIL "+err.Error(), 1)
		}
		return c.Fail(2, "-log %s: %v", *dir, err)
	}
	defer s.Close()
	rep, err := audit.Verify(context.Background(), s, against)
	if err != nil {
		return verdict("FAIL "+err.Error(), 1)
	}
	return verdict(rep.String(), 0)
}

// readVerifier reads a verifier key: the key itself, or a file holding it
// on its first line. Its error begins with the key or the file.
func readVerifier(key string) (note.Verifier, error) {
	v, err := note.NewVerifier(key)
	if err == nil {
		return v, nil
	}
	if _, serr := os.Stat(key); serr != nil {
		// Not a file: say what is wrong with it as a key.
		return nil, fmt.Errorf("%q: not a verifier key, nor a file holding one: %w", key, err)
	}
	b, err := cli.ReadFile(key, wantKey)
	if err != nil {
		return nil, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if v, err = note.NewVerifier(strings.TrimSpace(line)); err != nil {
		return nil, fmt.Errorf("%s: not a verifier key on its first line (%w), want %s", key, err, wantKey)
	}
	return v, nil
}
