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
// Status 2, with one line on standard error naming the problem and
// nothing on standard output, is for a call verify cannot carry out: no
// -log, -checkpoint without -key or -key without -checkpoint, a checkpoint
// file that cannot be read, a key that is neither a verifier key nor a file
// holding one, a -log directory that holds no file store, a store that
// cannot be opened for another reason than its contents (permissions,
// say), an unexpected argument or flag, and a verdict that cannot be
// written. -h prints the usage on standard output, with status 0.
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
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
)

// main runs the command on the process's arguments and exits with its status.
func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes the command with args, the arguments after the program name,
// and returns the exit status. It writes its verdict to stdout, in one
// write, and messages about the call to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // one line of ours for a bad flag, not flag's usage
	fs.Usage = func() {}
	dir := fs.String("log", "", "the file store's `directory`")
	checkpoint := fs.String("checkpoint", "", "verify against the signed checkpoint in `file` as well")
	key := fs.String("key", "", "the checkpoint signer's verifier `key`, name+hash+keydata, or a file holding it")

	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "verify: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: verify -log DIR [-checkpoint FILE -key VERIFIERKEY|KEYFILE]")
			fmt.Fprintln(stdout, "\nVerifies the audit trail in the file store in DIR, read-only, and against a signed\ncheckpoint with -checkpoint and -key. Prints one line, ok or FAIL; exit status 0, 1, or\n2 for a call it cannot carry out.\n\nFlags:")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		return usage("%v (see verify -h)", err)
	}
	if fs.NArg() > 0 {
		return usage("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case !set["log"] || *dir == "":
		return usage("missing flag -log (see verify -h)")
	case set["checkpoint"] && !set["key"]:
		return usage("-checkpoint needs -key, the verifier key of its signer")
	case set["key"] && !set["checkpoint"]:
		return usage("-key goes with -checkpoint")
	}

	var signed []byte
	var verifier note.Verifier
	if set["checkpoint"] {
		var err error
		if signed, err = os.ReadFile(*checkpoint); err != nil {
			return usage("-checkpoint: %v", err)
		}
		if verifier, err = readVerifier(*key); err != nil {
			return usage("-key %q: not a verifier key, nor a file holding one: %v", *key, err)
		}
	}
	// Say which file is missing, before opening.
	if _, err := os.Stat(filepath.Join(*dir, filestore.LogFile)); err != nil {
		return usage("-log %s: not a file store: %v", *dir, err)
	}

	verdict := func(line string, status int) int {
		if _, err := io.WriteString(stdout, line+"\n"); err != nil {
			fmt.Fprintf(stderr, "verify: writing the verdict: %v\n", err)
			return 2
		}
		return status
	}
	var against *audit.Checkpoint
	if set["checkpoint"] {
		c, err := audit.OpenCheckpoint(signed, note.VerifierList(verifier))
		if err != nil {
			return verdict(fmt.Sprintf("FAIL checkpoint %s: %v", *checkpoint, err), 1)
		}
		against = &c
	}
	s, err := filestore.OpenReadOnly(*dir)
	if err != nil {
		if errors.Is(err, audit.ErrTorn) || errors.Is(err, audit.ErrCorrupt) {
			return verdict("FAIL "+err.Error(), 1)
		}
		return usage("-log %s: %v", *dir, err)
	}
	defer s.Close()
	rep, err := audit.Verify(context.Background(), s, against)
	if err != nil {
		return verdict("FAIL "+err.Error(), 1)
	}
	return verdict(rep.String(), 0)
}

// readVerifier reads a verifier key: the key itself, or a file holding it
// on its first line.
func readVerifier(key string) (note.Verifier, error) {
	v, err := note.NewVerifier(key)
	if err == nil {
		return v, nil
	}
	b, ferr := os.ReadFile(key)
	if ferr != nil {
		return nil, err // not a file: say what is wrong with it as a key
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return note.NewVerifier(strings.TrimSpace(line))
}
