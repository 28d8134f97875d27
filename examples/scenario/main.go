package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// maxScenarioSize bounds the scenario file read, against a mistaken one: a
// scenario with an institution's whole directory is a few megabytes.
const maxScenarioSize = 64 << 20

// usage is what -h prints on standard output.
const usage = `usage: scenario [-h] FILE

Runs the case described in the JSON file FILE ("-" reads standard input)
through an exam office, and prints the outcome as JSON.

The case:
  {"note":      "what the case shows (optional, ignored)",
   "calendar":  {calendar.ParseConfig's object; optional, default the national calendar},
   "policies":  {timeline.ParsePolicies's object; optional, default the example procedure},
   "settings":  {"institution", "krs", "committee_address", "appeals_board_address";
                 optional, each absent one the example institution's},
   "hold_for_check": true (optional: deliveries wait, received, for "register"),
   "directory": {oke.LoadDirectory's object: "components", "associations"},
   "mandates":  [result.LoadMandates's list of mandates],
   "standing":  "the actor under whose standing mandate the daily run determines",
   "actors":    [{"id": "…", "role": "exam_committee", "teams": ["…"]}, …],
   "steps":     [{"at": "RFC 3339", "note": "optional", and one of
                  "deliver": {"method": "PATCH"|"PUT", "id": "association", "body": {flow-5 message}}
                  "session_report": {"id": "offering", "body": {flow-4 session report}}
                  (or "raw_body": "the body's text", for a body that is not JSON)
                  "daily_run": true
                  "action": "determine_early", "actor": "id", "result": "id",
                  "args": {the command's fields in snake_case}}, …]}
  Steps go in the order of their moments.

The outcome, on standard output:
  {"steps":     [{"ok": true, …} or {"ok": false, "codes": […], "message": "…"}, one per step],
   "results":   {"id": {"state", "grade", "determined_on", "supersedes", "superseded_by"}},
   "notices":   [{"result", "student", "kind", "on"}],
   "conflicts": {"id": ["registered_late", …]},
   "trail":     {"events": N, "verified": true}}

Exit status 0 when the case ran (a refused step is an outcome), 1 when it
could not run (the office would not open, the trail does not verify),
2 for bad usage or a malformed case, with one line on standard error
naming the file, line and column, and the field that is wrong.
See go doc ./examples/scenario for the whole format.
`

// main runs the command on the process's arguments and exits with its
// status.
func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run executes the command with args, the arguments after the program
// name, reading "-" from stdin, and returns the exit status. It writes the
// outcome to stdout in one write, and every problem as one line to stderr.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(status int, format string, a ...any) int {
		fmt.Fprintf(stderr, "scenario: %s\n", oneLine(fmt.Sprintf(format, a...)))
		return status
	}
	fs := flag.NewFlagSet("scenario", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // one line of ours for a bad flag, not flag's usage
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			if _, err := io.WriteString(stdout, usage); err != nil {
				return fail(1, "writing the usage: %v", err)
			}
			return 0
		}
		return fail(2, "%v (see scenario -h)", err)
	}
	switch fs.NArg() {
	case 0:
		return fail(2, "no scenario file (see scenario -h)")
	case 1:
	default:
		return fail(2, "unexpected argument %q after the scenario file (see scenario -h)", fs.Arg(1))
	}
	name, display := fs.Arg(0), fs.Arg(0)
	in := stdin
	if name == "-" {
		display = "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fail(2, "%v", err)
		}
		defer f.Close()
		in = f
	}
	data, err := io.ReadAll(io.LimitReader(in, maxScenarioSize+1))
	if err != nil {
		return fail(2, "reading %s: %v", display, err)
	}
	if len(data) > maxScenarioSize {
		return fail(2, "%s: larger than %d bytes", display, maxScenarioSize)
	}

	s, err := parse(data)
	if err != nil {
		if f, ok := errors.AsType[*fault](err); ok {
			line, col := position(data, f.off)
			return fail(2, "%s:%d:%d: %v", display, line, col, f)
		}
		return fail(2, "%s: %v", display, err)
	}
	out, runErr := s.run(context.Background())
	if runErr != nil && out.Steps == nil {
		return fail(1, "%s: %v", display, runErr)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fail(1, "encoding the outcome: %v", err)
	}
	if _, err := stdout.Write(b.Bytes()); err != nil {
		return fail(1, "writing the outcome: %v", err)
	}
	if runErr != nil {
		return fail(1, "%s: %v", display, runErr)
	}
	return 0
}
