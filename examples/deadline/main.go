// Deadline counts a term in working days and prints the date it ends on,
// for use in scripts.
//
// Usage:
//
//	deadline -from YYYY-MM-DD -workdays N [-config FILE]
//
// The first line of output is the date N working days after -from (before
// it when N is negative), as YYYY-MM-DD. The -from date itself never counts.
// Then follows one line "YYYY-MM-DD name" for each day on a working weekday
// that the count passed over because it was a holiday, decree day or
// closure day, in date order; weekends, and open days that were counted
// although they fall on a free weekday, are not listed. A day closed for
// several reasons shows their names joined with " / ". For example:
//
//	$ deadline -from 2026-12-18 -workdays 10
//	2027-01-05
//	2026-12-25 Eerste Kerstdag
//	2027-01-01 Nieuwjaarsdag
//
// Without -config the national calendar is used: Monday to Friday with the
// holidays of the Algemene termijnenwet and the days a royal decree made
// equal to them (art. 3(3); calendar.KnownDecreeDays lists those the
// package knows, of 2017–2019 and 2023–2028), for the years 2000 to 2100.
// A decree day is listed by its name, such as "Vrijdag na Hemelvaartsdag":
//
//	$ deadline -from 2027-04-12 -workdays 30
//	2027-05-31
//	2027-04-27 Koningsdag
//	2027-05-05 Bevrijdingsdag
//	2027-05-06 Hemelvaartsdag
//	2027-05-07 Vrijdag na Hemelvaartsdag
//	2027-05-17 Tweede Pinksterdag
//
// With -config FILE the calendar is read from a JSON definition; see the
// calendar package for its format. A definition without "decree_days" has
// the known decree days too; "decree_days": [] has none (the count above
// then ends on Friday 28 May 2027), and a list of days has those.
//
// Exit status is 0 on success; 1 if the output cannot be written; 2 for a
// call deadline cannot carry out, with nothing on standard output: bad
// usage (a missing flag, a flag it does not know, an unexpected argument)
// gets the message and the synopsis on standard error; bad input (a date
// that is not YYYY-MM-DD or no day at all, "2027-02-30 is not a day:
// February 2027 has 28 days"; a date or result outside the calendar's
// years; a config file that is missing, empty or wrong; a count that is
// not a whole number) one line naming it. -h prints the usage on standard
// output and exits 0.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cli"
)

// main runs the command on the process's arguments and exits with its status.
func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const synopsis = "deadline -from YYYY-MM-DD -workdays N [-config FILE]"

const about = `Counts N working days from a date and prints the date the count ends on,
then one line "YYYY-MM-DD name" for each day on a working weekday that the
count passed over because it was a holiday, decree day or closure day.
The -from date itself never counts; a negative N counts backward.

  $ deadline -from 2026-12-18 -workdays 10
  2027-01-05
  2026-12-25 Eerste Kerstdag
  2027-01-01 Nieuwjaarsdag

Without -config the national calendar: Monday to Friday with the holidays
of the Algemene termijnenwet and the decree days the calendar package knows,
2000 to 2100. -config FILE reads a calendar definition instead (JSON,
see the calendar package).

Exit status 0 on success, 1 if the output cannot be written, 2 for bad
usage or bad input, with a message on standard error and nothing on
standard output.
`

// wantConfig says what a -config file holds.
const wantConfig = "a calendar definition: a JSON object (see the calendar package)"

// run executes the command with args, the arguments after the program name,
// and returns the exit status. It writes to stdout only when it succeeds,
// and then all output in one write; messages go to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	c := cli.New("deadline", synopsis, about, stdout, stderr)
	// Both are strings so that a value that does not parse gets this
	// command's own message, and so that -workdays takes decimal only.
	from := c.Flags.String("from", "", "count from `date` YYYY-MM-DD, which itself does not count (required)")
	workdays := c.Flags.String("workdays", "", "the `number` of working days; negative counts backward (required)")
	config := c.Flags.String("config", "", "read the calendar from JSON `file` instead of the national one")
	if status, ok := c.Parse(args); !ok {
		return status
	}
	if c.Flags.NArg() > 0 {
		return c.BadUsage("unexpected argument %q", c.Flags.Arg(0))
	}
	if missing := c.Require("from", "workdays"); missing != "" {
		return c.BadUsage("missing flag -%s", missing)
	}

	start, err := cli.ParseDate(*from)
	if err != nil {
		return c.Fail(2, "-from: %v", err)
	}
	n, err := strconv.Atoi(*workdays)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return c.Fail(2, "-workdays %q: number out of range", *workdays)
		}
		return c.Fail(2, "-workdays %q: not a whole number", *workdays)
	}
	cal := calendar.Default()
	if c.Set("config") {
		data, err := cli.ReadFile(*config, wantConfig)
		if err != nil {
			return c.Fail(2, "-config %v", err)
		}
		if cal, err = calendar.Load(bytes.NewReader(data)); err != nil {
			return c.Fail(2, "-config %s: %v", *config, err)
		}
	}
	e, err := cal.Explain(start, n)
	if err != nil {
		return c.Fail(2, "%v", err)
	}

	var out bytes.Buffer
	fmt.Fprintln(&out, e.To)
	for _, s := range e.Skipped {
		fmt.Fprintln(&out, s.Date, s.Names())
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		return c.Fail(1, "writing output: %v", err)
	}
	return 0
}
