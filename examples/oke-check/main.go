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
// twice (by default on 5 February 2027, the day after its resultDate):
//
//	$ oke-check score/a1000000-0000-4000-8000-000000000001.json score/a1000000-0000-4000-8000-000000000001.json
//	{"file":"score/a1000000-0000-4000-8000-000000000001.json","association_id":"a1000000-0000-4000-8000-000000000001","outcome":"accepted","reasons":[]}
//	{"file":"score/a1000000-0000-4000-8000-000000000001.json","association_id":"a1000000-0000-4000-8000-000000000001","outcome":"duplicate","reasons":[]}
//
// The agreement's own examples, in package oke's testdata/spec, are
// rejected as printed; testdata/spec/corrected holds them corrected, with
// a README saying what was corrected and why, and this command takes them
// in.
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
//	                  2020-10-01T12:00:00+02:00. By default noon,
//	                  Europe/Amsterdam, on the day after the latest
//	                  resultDate or testDate in the files (see below).
//	                  An exam after it, or more than a year before it,
//	                  is an exception; one more than 15 minutes after it
//	                  (oke.DefaultClockSkew) also leaves the result not
//	                  registered
//
// The default moment of delivery follows the files, not the clock, so that
// a file kept as an example is judged as it was when it was sent, the day
// after its result was set, and not as news of an exam years ago, or of one
// still to come. It is noon in Europe/Amsterdam on the day after the
// latest date any file names: the result's resultDate and each consumer's
// testDate (taken as its date in Europe/Amsterdam), read from the files
// that are JSON; a date that is not a real one is ignored. When no file
// names one (they are all malformed, say), it is the moment the command
// starts. One moment holds for every file: of files sent years apart, the
// older ones are judged late.
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
// bad -at or -method, an unknown flag or a flag without its value —
// oke-check writes one line to standard error, nothing to standard output,
// and exits with status 2. -h prints the usage on standard output and exits
// with status 0. If the output cannot be written it exits with status 1.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
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

// usage is what -h prints on standard output.
const usage = `usage: oke-check [-directory FILE] [-method PATCH|PUT] [-at RFC3339] FILE...

Checks flow-5 message files (each the body of a PATCH or PUT
/associations/{id} from the planning system) with the OKE intake, in the
order given, and prints one JSON line per file:
  {"file": …, "association_id": …, "outcome": …, "reasons": [{"code", "field", "message"}, …]}
with outcome "accepted", "duplicate", "exception" (taken in, for a person
to decide) or "rejected". A file is delivered for the association its
body's associationId names, by PUT; without one, by PATCH, for the one its
name names: messages/5a52f86b.json for association 5a52f86b.

Flags:
  -directory FILE    the enrolments and components to check against, a JSON
                     file (see oke.LoadDirectory); by default the example
                     directory, a copy of result/oke/testdata/directory.json
  -method PATCH|PUT  the request method of every file; by default PUT for a
                     body with a string associationId, else PATCH
  -at RFC3339        the moment of delivery, such as 2020-10-01T12:00:00+02:00;
                     by default noon (Europe/Amsterdam) on the day after the
                     latest resultDate or testDate in the files, so that a file
                     is judged as when it was sent, however old or new it is;
                     the moment the command starts when no file names a date

Exit status 0 when no file was rejected, 1 when any was, 2 for bad usage
(one line on standard error). See go doc ./examples/oke-check for more.
`

// run executes the command with args, the arguments after the program
// name, and returns the exit status. The moment of delivery is -at, or by
// default the day after the latest date the files name (see
// defaultMoment), or now when they name none. It writes to stdout only
// when the files were checked, or for -h, and then all output in one
// write; a problem with the call goes to stderr as one line.
func run(args []string, now time.Time, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "oke-check: %s\n", oneLine(fmt.Sprintf(format, a...)))
		return 2
	}
	fs := flag.NewFlagSet("oke-check", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // one line of ours for a bad flag, not flag's usage
	fs.Usage = func() {}
	// The flags are described in usage.
	directory := fs.String("directory", "", "")
	method := fs.String("method", "", "")
	at := fs.String("at", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			if _, err := io.WriteString(stdout, usage); err != nil {
				fmt.Fprintf(stderr, "oke-check: writing the usage: %v\n", err)
				return 1
			}
			return 0
		}
		return fail("%v (see oke-check -h)", err)
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
	var moment *time.Time
	if set["at"] {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fail("-at %q: want an RFC 3339 date-time such as 2020-10-01T12:00:00+02:00", *at)
		}
		moment = &t
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
	if moment != nil {
		now = *moment
	} else if t, ok := defaultMoment(messages); ok {
		now = t
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

// defaultMoment returns the moment of delivery without -at: noon in
// Europe/Amsterdam on the day after the latest resultDate or testDate the
// messages name, and false when none names one. It reads each body as
// encoding/json does, as oke.Decode does, whatever the case of its keys;
// a body that is not JSON names no date, nor does a value that is not a
// string or not a real date.
func defaultMoment(messages []message) (time.Time, bool) {
	loc := calendar.Default().Location()
	var latest time.Time // midnight of the latest date, in loc
	consider := func(t time.Time, err error) {
		if err != nil {
			return
		}
		t = t.In(loc)
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		if day.After(latest) {
			latest = day
		}
	}
	for _, m := range messages {
		var body struct {
			Result struct {
				ResultDate any `json:"resultDate"`
				Consumers  []struct {
					TestDate any `json:"testDate"`
				} `json:"consumers"`
			} `json:"result"`
		}
		// A value of another type is skipped, the rest still read.
		_ = json.Unmarshal(m.body, &body)
		if s, ok := body.Result.ResultDate.(string); ok {
			consider(time.ParseInLocation(time.DateOnly, s, loc))
		}
		for _, c := range body.Result.Consumers {
			s, ok := c.TestDate.(string)
			switch {
			case !ok:
			case len(s) == len(time.DateOnly):
				consider(time.ParseInLocation(time.DateOnly, s, loc))
			default:
				consider(time.Parse(time.RFC3339, s))
			}
		}
	}
	if latest.IsZero() {
		return time.Time{}, false
	}
	return time.Date(latest.Year(), latest.Month(), latest.Day()+1, 12, 0, 0, 0, loc), true
}

// oneLine makes msg one line: its line breaks become "; " and runs of
// spaces one space.
func oneLine(msg string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", "; ")), " ")
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
