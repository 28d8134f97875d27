package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"

	"github.com/krs-oke/vaststelling/internal/cli"
)

// maxScenarioSize bounds the scenario file read, against a mistaken one: a
// scenario with an institution's whole directory is a few megabytes.
const maxScenarioSize = 64 << 20

const synopsis = "scenario [-h] FILE"

// about is what -h prints after the synopsis.
const about = `Runs the case described in the JSON file FILE ("-" reads standard input)
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
2 for bad usage (with the synopsis on standard error), a file that is
missing, unreadable or empty, or a malformed case, with one line on
standard error naming the file, line and column, and the field that is
wrong. See go doc ./examples/scenario for the whole format.
`

// wantCase says what FILE holds.
const wantCase = "a scenario: a JSON object (see scenario -h)"

// main runs the command on the process's arguments and exits with its
// status.
func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run executes the command with args, the arguments after the program
// name, reading "-" from stdin, and returns the exit status. It writes the
// outcome to stdout in one write, and every problem to stderr: one line,
// but for bad usage, which the synopsis follows.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := cli.New("scenario", synopsis, about, stdout, stderr)
	if status, ok := c.Parse(args); !ok {
		return status
	}
	switch c.Flags.NArg() {
	case 0:
		return c.BadUsage("no scenario file")
	case 1:
	default:
		return c.BadUsage("unexpected argument %q after the scenario file", c.Flags.Arg(1))
	}
	name, display := c.Flags.Arg(0), c.Flags.Arg(0)
	var data []byte
	if name == "-" {
		display = "stdin"
		var err error
		if data, err = io.ReadAll(io.LimitReader(stdin, maxScenarioSize+1)); err != nil {
			return c.Fail(2, "reading %s: %v", display, err)
		}
		if err := cli.Empty(display, data, wantCase); err != nil {
			return c.Fail(2, "%v", err)
		}
	} else {
		if fi, err := os.Stat(name); err == nil && fi.Size() > maxScenarioSize {
			return c.Fail(2, "%s: larger than %d bytes", display, maxScenarioSize)
		}
		var err error
		if data, err = cli.ReadFile(name, wantCase); err != nil {
			return c.Fail(2, "%v", err)
		}
	}
	if len(data) > maxScenarioSize {
		return c.Fail(2, "%s: larger than %d bytes", display, maxScenarioSize)
	}

	s, err := parse(data)
	if err != nil {
		if f, ok := errors.AsType[*fault](err); ok {
			line, col := position(data, f.off)
			return c.Fail(2, "%s:%d:%d: %v", display, line, col, f)
		}
		return c.Fail(2, "%s: %v", display, err)
	}
	out, runErr := s.run(context.Background())
	if runErr != nil && out.Steps == nil {
		return c.Fail(1, "%s: %v", display, runErr)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return c.Fail(1, "encoding the outcome: %v", err)
	}
	if _, err := stdout.Write(b.Bytes()); err != nil {
		return c.Fail(1, "writing the outcome: %v", err)
	}
	if runErr != nil {
		return c.Fail(1, "%s: %v", display, runErr)
	}
	return 0
}
