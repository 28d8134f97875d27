// Package cli holds what the example commands share on their command
// line, so that each behaves as the others do:
//
//   - -h (or -help) prints the usage on standard output and exits 0: the
//     synopsis, what the command does, and its flags;
//   - a call the command cannot make sense of (a flag it does not know, a
//     flag without its value, a flag it needs missing, an argument too
//     many) is bad usage: the problem, the synopsis and where to read more,
//     on standard error, and exit status 2;
//   - a value or an input that is wrong (a date that is no day, a file
//     that is missing or empty) is one line on standard error naming it,
//     and exit status 2 as well;
//   - dates are read with [ParseDate], files with [ReadFile] or
//     [ReadFileFS] and directories checked with [Dir]: an empty or
//     unreadable input is always "NAME: PROBLEM, want WHAT".
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// A Command is one command line: its flags, and how it tells of itself and
// of a wrong call.
type Command struct {
	// Name is the command's name, which starts its every message.
	Name string
	// Synopsis is the usage line after "usage: ", such as
	// "deadline -from YYYY-MM-DD -workdays N [-config FILE]"; it may span
	// lines, each continued one indented.
	Synopsis string
	// About says what the command does, after the synopsis in -h: one or
	// more paragraphs, each line ending in "\n".
	About string
	// Flags are the command's flags. Define them before Parse.
	Flags *flag.FlagSet

	stdout, stderr io.Writer
	set            map[string]bool
}

// New returns a command named name with an empty flag set, writing its
// usage for -h to stdout and its problems to stderr.
func New(name, synopsis, about string, stdout, stderr io.Writer) *Command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // our messages, not flag's
	fs.Usage = func() {}
	return &Command{Name: name, Synopsis: synopsis, About: about, Flags: fs, stdout: stdout, stderr: stderr,
		set: map[string]bool{}}
}

// Parse parses the arguments. It returns ok when the command should go on;
// otherwise it has written what was due and returns the exit status: 0
// after the usage for -h or -help, 2 after a bad flag (see BadUsage), 1
// when the usage could not be written.
func (c *Command) Parse(args []string) (status int, ok bool) {
	err := c.Flags.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		if err := c.WriteUsage(c.stdout); err != nil {
			return c.Fail(1, "writing the usage: %v", err), false
		}
		return 0, false
	case err != nil:
		return c.BadUsage("%v", err), false
	}
	c.Flags.Visit(func(f *flag.Flag) { c.set[f.Name] = true })
	return 0, true
}

// Set reports whether the flag was given on the command line, even empty.
func (c *Command) Set(name string) bool { return c.set[name] }

// Require returns the first of the flags that was not given, or "".
func (c *Command) Require(names ...string) string {
	for _, n := range names {
		if !c.set[n] {
			return n
		}
	}
	return ""
}

// WriteUsage writes the usage: the synopsis, what the command does, and
// its flags with their defaults.
func (c *Command) WriteUsage(w io.Writer) error {
	var b strings.Builder
	b.WriteString("usage: " + c.Synopsis + "\n")
	if c.About != "" {
		b.WriteString("\n" + c.About)
	}
	hasFlags := false
	c.Flags.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		b.WriteString("\nFlags:\n")
		c.Flags.SetOutput(&b)
		c.Flags.PrintDefaults()
		c.Flags.SetOutput(io.Discard)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// BadUsage writes a call the command cannot make sense of to standard
// error: the problem, then the synopsis and where to read more, as
//
//	deadline: flag provided but not defined: -verbose
//	usage: deadline -from YYYY-MM-DD -workdays N [-config FILE]
//	Run 'deadline -h' for details.
//
// and returns 2, the exit status of bad usage.
func (c *Command) BadUsage(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "%s: %s\nusage: %s\nRun '%s -h' for details.\n", c.Name, OneLine(fmt.Sprintf(format, a...)),
		c.Synopsis, c.Name)
	return 2
}

// Fail writes one line to standard error, "NAME: problem", and returns
// status.
func (c *Command) Fail(status int, format string, a ...any) int {
	fmt.Fprintf(c.stderr, "%s: %s\n", c.Name, OneLine(fmt.Sprintf(format, a...)))
	return status
}

// OneLine puts a message that spans lines, as a driver's may (one line
// per attempt to connect) or errors.Join's does, on one line, each line
// once.
func OneLine(msg string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || seen[line] {
			continue
		}
		seen[line] = true
		switch {
		case b.Len() == 0:
		case strings.HasSuffix(b.String(), ":"):
			b.WriteString(" ")
		default:
			b.WriteString("; ")
		}
		b.WriteString(line)
	}
	return b.String()
}
