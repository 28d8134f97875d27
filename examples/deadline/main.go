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
// Exit status is 0 on success. On bad input — a date that does not parse,
// a date or result outside the calendar's years, a bad or missing config
// file, a missing flag, a count that is not a whole number, an unexpected
// argument — and for -h, deadline writes a message to standard error,
// nothing to standard output, and exits with status 2. If the output cannot
// be written it exits with status 1.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/krs-oke/vaststelling/calendar"
)

// main runs the command on the process's arguments and exits with its status.
func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes the command with args, the arguments after the program name,
// and returns the exit status. It writes to stdout only when it succeeds,
// and then all output in one write; messages go to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("deadline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: deadline -from YYYY-MM-DD -workdays N [-config FILE]")
		fs.PrintDefaults()
	}
	// Both are strings so that a value that does not parse gets this
	// command's own message, and so that -workdays takes decimal only.
	from := fs.String("from", "", "count from `date` YYYY-MM-DD, which itself does not count")
	workdays := fs.String("workdays", "", "the `number` of working days; negative counts backward")
	config := fs.String("config", "", "read the calendar from JSON `file` instead of the national one")
	if err := fs.Parse(args); err != nil {
		// flag has already written the problem, or the usage for -h.
		return 2
	}

	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "deadline: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"from", "workdays"} {
		if !set[name] {
			return fail("missing flag -%s (see deadline -h)", name)
		}
	}

	start, err := calendar.ParseDate(*from)
	if err != nil {
		return fail("-from: %v", err)
	}
	n, err := strconv.Atoi(*workdays)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return fail("-workdays %q: number out of range", *workdays)
		}
		return fail("-workdays %q: not a whole number", *workdays)
	}
	cal := calendar.Default()
	if set["config"] {
		if cal, err = calendar.LoadFile(*config); err != nil {
			return fail("-config: %v", err)
		}
	}
	e, err := cal.Explain(start, n)
	if err != nil {
		return fail("%v", err)
	}

	var out bytes.Buffer
	fmt.Fprintln(&out, e.To)
	for _, s := range e.Skipped {
		fmt.Fprintln(&out, s.Date, s.Names())
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "deadline: writing output: %v\n", err)
		return 1
	}
	return 0
}
