// Oke-check checks flow-5 message files, as the planning system sends them
// to the KRS over the OKE coupling, and prints what the intake of package
// oke makes of each, one JSON line per file, for use in scripts.
//
// Usage:
//
//	oke-check [-directory FILE] [-method PATCH|PUT] [-at RFC3339] FILE...
//
// Each FILE holds the body of one PATCH or PUT /associations/{id} request.
// The files go through one intake, in the order given, as if they arrived
// one after the other at the same moment: a file identical to one taken in
// before it is a duplicate, and an extra attempt is judged against the
// attempts delivered before it.
//
// For each file one line is printed, in the order given: a JSON object with
// exactly these keys:
//
//   - file: the path as given on the command line;
//   - association_id: the association the message was delivered for (see
//     below);
//   - outcome: "accepted", "duplicate", "exception" (taken in, with an
//     exception for a person to decide) or "rejected";
//   - reasons: a list, [] when there are none, of objects with a "code"
//     (such as "missing_field", "grade_mismatch" or "irregularity"), a
//     "field" with the path of the field in the body where the reason
//     concerns one (absent otherwise), and a "message"; a reason with code
//     "malformed_json" also has the 1-based "line" and "column" of the
//     offending byte.
//
// The intake also knows the outcome "merged", for a score that joined the
// attendance delivered earlier; this command prints it as "accepted", so
// that its output knows four outcomes only.
//
// The association a message is delivered for, the {id} of the request, is
// the body's top-level associationId when that is a string. It is read
// leniently, up to the first byte that is not JSON, so that a malformed
// body still names its association and is still delivered, to be
// rejected. Otherwise, when the body has no associationId, a null one or
// one that is not a string, it is the file's name without its directory
// and its last extension: messages/5a52f86b.json is delivered for
// association 5a52f86b.
//
// For example, with the example directory and the files in the command's
// testdata, a score for enrolment a1000000-…-000000000001, delivered
// twice:
//
//	$ oke-check -at 2027-02-05T09:00:00+01:00 score/a1000000-0000-4000-8000-000000000001.json score/a1000000-0000-4000-8000-000000000001.json
//	{"file":"score/a1000000-0000-4000-8000-000000000001.json","association_id":"a1000000-0000-4000-8000-000000000001","outcome":"accepted","reasons":[]}
//	{"file":"score/a1000000-0000-4000-8000-000000000001.json","association_id":"a1000000-0000-4000-8000-000000000001","outcome":"duplicate","reasons":[]}
//
// The reasons of an exception name the exceptions raised, by their kind as
// code, without a field: the agreement's example of an extra attempt
// (flow5.2-attempt.complete.json in package oke's testdata), delivered
// with -at 2020-10-01T12:00:00+02:00, gets "grade_mismatch" (the score 9
// where 65 of 75 points give 8.7 under the cut score 41.25),
// "exam_date_unconfirmed" (it has no testDate) and "irregularity" (it
// reports one), and "not_registered": without an exam date the result
// waits, received, until a person confirms it.
//
// The flags:
//
//	-directory FILE   read the enrolments and components the intake checks
//	                  against from a JSON file (see oke.LoadDirectory)
//	                  instead of the example directory
//	-method PATCH|PUT the request method of every file; by default PUT for
//	                  a body whose association id comes from its
//	                  associationId, and PATCH for any other: a PATCH
//	                  body may carry an associationId of any type, which
//	                  the agreement has the KRS ignore
//	-at RFC3339       the moment of delivery, such as
//	                  2020-10-01T12:00:00+02:00; by default the moment the
//	                  command starts. An exam after it, or more than a
//	                  year before it, is an exception; one more than
//	                  15 minutes after it (oke.DefaultClockSkew) also
//	                  leaves the result not registered
//
// The example directory, built into the command, is a copy of package
// oke's test directory, result/oke/testdata/directory.json: component
// KT1-W2 on scale 0.0-10.0 with cut score 41.25, and the enrolments
// 5a52f86b-edcd-4f7f-9ea9-c8617f6043b6, attempt 2 of KT1-W2, which the
// agreement's examples name, and a1000000-0000-4000-8000-000000000001,
// attempt 1 of KT1-W2 for student s-101 with one extra attempt allowed,
// among others (a1000000-0000-4000-8000-000000000004 has attempts_left
// null: no limit). It is an example, not an institution's data.
//
// The intake uses the national calendar and the timeline's example
// procedure.
//
// Exit status is 0 when no file was rejected and 1 when any was; the lines
// are printed in both cases. On bad usage — no files, a file that cannot be
// read, a directory file that cannot be read or is not a valid directory, a
// bad -at or -method, an unknown flag or a flag without its value — and for
// -h, oke-check writes a message to standard error, nothing to standard
// output, and exits with status 2. If the output cannot be written it
// exits with status 1.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// exampleDirectory is the directory used without -directory: a copy of
// result/oke/testdata/directory.json.
//
//go:embed testdata/directory.json
var exampleDirectory []byte

// main runs the command on the process's arguments at the present moment
// and exits with its status.
func main() { os.Exit(run(os.Args[1:], time.Now(), os.Stdout, os.Stderr)) }

// line is the JSON object printed for one file.
type line struct {
	File          string       `json:"file"`
	AssociationID string       `json:"association_id"`
	Outcome       oke.Outcome  `json:"outcome"`
	Reasons       []oke.Reason `json:"reasons"` // never nil, so that none prints []
}

// message is one file read, ready to deliver.
type message struct {
	file string
	body []byte
	// id is the association the body names, or the file's name without
	// its extension.
	id string
	// named is whether id is the one the body names.
	named bool
}

// run executes the command with args, the arguments after the program
// name, taking now as the moment of delivery unless -at gives another,
// and returns the exit status. It writes to stdout only when the files
// were checked, and then all output in one write; messages go to stderr.
func run(args []string, now time.Time, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oke-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: oke-check [-directory FILE] [-method PATCH|PUT] [-at RFC3339] FILE...")
		fs.PrintDefaults()
	}
	directory := fs.String("directory", "", "read the directory from JSON `file` instead of the example directory")
	method := fs.String("method", "", "the request `method`, PATCH or PUT, of every file; "+
		"by default PUT for a body with a string associationId, else PATCH")
	at := fs.String("at", "", "the `moment` of delivery, RFC 3339 such as 2020-10-01T12:00:00+02:00; by default now")
	if err := fs.Parse(args); err != nil {
		// flag has already written the problem, or the usage for -h.
		return 2
	}

	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "oke-check: "+format+"\n", a...)
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if fs.NArg() == 0 {
		return fail("no files to check (see oke-check -h)")
	}
	if set["method"] {
		if m := oke.Method(*method); m != oke.Patch && m != oke.Put {
			return fail("-method %q: want PATCH or PUT", *method)
		}
	}
	if set["at"] {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fail("-at %q: want an RFC 3339 date-time such as 2020-10-01T12:00:00+02:00", *at)
		}
		now = t
	}
	var dir *oke.Memory
	var err error
	if set["directory"] {
		dir, err = loadDirectory(*directory)
	} else {
		dir, err = oke.LoadDirectory(bytes.NewReader(exampleDirectory))
	}
	if err != nil {
		return fail("-directory: %v", err)
	}

	// Every file is read before any is delivered, so that one that cannot
	// be read leaves stdout empty.
	messages := make([]message, 0, fs.NArg())
	for _, file := range fs.Args() {
		body, err := readFile(file)
		if err != nil {
			return fail("%v", err)
		}
		id, named := associationID(body)
		if !named {
			base := filepath.Base(file)
			id = strings.TrimSuffix(base, filepath.Ext(base))
		}
		messages = append(messages, message{file: file, body: body, id: id, named: named})
	}

	in := &oke.Intake{Directory: dir, Calendar: calendar.Default(), Policies: timeline.DefaultPolicies()}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	status := 0
	for _, m := range messages {
		d := oke.Delivery{Method: oke.Method(*method), AssociationID: m.id, Body: m.body}
		if !set["method"] {
			d.Method = oke.Patch
			if m.named {
				d.Method = oke.Put
			}
		}
		rc, err := in.Deliver(d, now)
		if err != nil { // only a failing store, and the memory store does not fail
			fmt.Fprintf(stderr, "oke-check: %s: %v\n", m.file, err)
			return 1
		}
		l := line{File: m.file, AssociationID: rc.AssociationID, Outcome: rc.Outcome, Reasons: rc.Reasons}
		if l.Outcome == oke.Merged {
			l.Outcome = oke.Accepted
		}
		if l.Reasons == nil {
			l.Reasons = []oke.Reason{}
		}
		if l.Outcome == oke.Rejected {
			status = 1
		}
		if err := enc.Encode(l); err != nil {
			fmt.Fprintf(stderr, "oke-check: encoding output: %v\n", err)
			return 1
		}
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "oke-check: writing output: %v\n", err)
		return 1
	}
	return status
}

// loadDirectory reads the directory in the JSON file name.
func loadDirectory(name string) (*oke.Memory, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir, err := oke.LoadDirectory(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return dir, nil
}

// readFile returns the content of the file name, but no more than one byte
// beyond oke.MaxMessageSize: the intake rejects a longer body unread, so
// reading it whole would only cost memory.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, oke.MaxMessageSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return body, nil
}

// associationID reads the top-level associationId of a body leniently: up
// to the end of the top-level object or the first byte that is not JSON,
// whichever comes first. Keys match as encoding/json matches them to a
// field, whatever their case, and of a repeated key the last value counts, as in
// oke.Decode. It returns the id and true when that last value is a string,
// and false when there is none, or it is null or not a string.
func associationID(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", false
	}
	id, named := "", false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			break
		}
		if !strings.EqualFold(key, "associationId") {
			continue
		}
		var s *string
		if err := json.Unmarshal(value, &s); err != nil || s == nil {
			id, named = "", false // not a string, or null
			continue
		}
		id, named = *s, true
	}
	return id, named
}
