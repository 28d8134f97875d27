package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/calendar"
)

func newCmd(out, errs *bytes.Buffer) *Command {
	c := New("tool", "tool -from YYYY-MM-DD [-v]", "Does a thing.\n", out, errs)
	c.Flags.String("from", "", "count from `date`")
	c.Flags.Bool("v", false, "say more")
	return c
}

// -h prints the usage on standard output, and the command stops with 0.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var out, errs bytes.Buffer
		status, ok := newCmd(&out, &errs).Parse([]string{arg})
		assert.False(t, ok)
		assert.Equal(t, 0, status)
		assert.Empty(t, errs.String())
		assert.Equal(t, "usage: tool -from YYYY-MM-DD [-v]\n\nDoes a thing.\n\nFlags:\n"+
			"  -from date\n    \tcount from date\n  -v\tsay more\n", out.String())
	}
}

// A bad flag is bad usage: the problem and the synopsis on standard error,
// and 2.
func TestBadUsage(t *testing.T) {
	var out, errs bytes.Buffer
	status, ok := newCmd(&out, &errs).Parse([]string{"-nope"})
	assert.False(t, ok)
	assert.Equal(t, 2, status)
	assert.Empty(t, out.String())
	assert.Equal(t, "tool: flag provided but not defined: -nope\nusage: tool -from YYYY-MM-DD [-v]\nRun 'tool -h' for details.\n",
		errs.String())

	errs.Reset()
	c := newCmd(&out, &errs)
	_, ok = c.Parse([]string{"-from", ""})
	require.True(t, ok)
	assert.True(t, c.Set("from"))
	assert.False(t, c.Set("v"))
	assert.Equal(t, "v", c.Require("from", "v"))
	assert.Equal(t, 1, c.Fail(1, "a\nb\na"))
	assert.Equal(t, "tool: a; b\n", errs.String())
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("2028-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2028-02-29", d.String())
	for in, want := range map[string]string{
		"2027-02-30":       "2027-02-30 is not a day: February 2027 has 28 days",
		"2027-02-29":       "2027-02-29 is not a day: February 2027 has 28 days",
		"2027-04-31":       "2027-04-31 is not a day: April 2027 has 30 days",
		"2026-12-32":       "2026-12-32 is not a day: December 2026 has 31 days",
		"2026-13-01":       "2026-13-01 is not a day: a year has 12 months",
		"2026-00-10":       "2026-00-10 is not a day: a year has 12 months",
		"2027-01-00":       "2027-01-00 is not a day: the days of a month count from 01",
		"18-01-2027":       `"18-01-2027" is not a date: want YYYY-MM-DD, such as 2027-01-18`,
		"":                 `"" is not a date: want YYYY-MM-DD, such as 2027-01-18`,
		"2026-12-18T10:00": `"2026-12-18T10:00" is not a date: want YYYY-MM-DD, such as 2027-01-18`,
	} {
		_, err := ParseDate(in)
		require.Error(t, err, in)
		assert.Equal(t, want, err.Error())
		assert.ErrorIs(t, err, calendar.ErrInvalidDate)
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	empty, blank, full := filepath.Join(dir, "empty.json"), filepath.Join(dir, "blank.json"), filepath.Join(dir, "full.json")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	require.NoError(t, os.WriteFile(blank, []byte(" \n\t"), 0o644))
	require.NoError(t, os.WriteFile(full, []byte("{}"), 0o644))
	const want = "a JSON object"
	for name, problem := range map[string]string{
		empty:                              "empty",
		blank:                              "empty",
		dir:                                "a directory, not a file",
		filepath.Join(dir, "missing.json"): "no such file",
	} {
		_, err := ReadFile(name, want)
		var fe *FileError
		require.True(t, errors.As(err, &fe), "%s: %v", name, err)
		assert.Equal(t, name+": "+problem+", want a JSON object", err.Error())
	}
	b, err := ReadFile(full, want)
	require.NoError(t, err)
	assert.Equal(t, "{}", string(b))

	assert.NoError(t, Dir(dir, "a directory"))
	assert.EqualError(t, Dir(filepath.Join(dir, "nope"), "a directory of data"), filepath.Join(dir, "nope")+": no such directory, want a directory of data")
	assert.EqualError(t, Dir(full, "a directory of data"), full+": a file, not a directory, want a directory of data")

	fsys := fstest.MapFS{"data/a.json": {Data: []byte("\n")}, "data/b.json": {Data: []byte("{}")}}
	_, err = ReadFileFS(fsys, "data/a.json", "DIR/a.json", want)
	assert.EqualError(t, err, "DIR/a.json: empty, want a JSON object")
	_, err = ReadFileFS(fsys, "data/c.json", "DIR/c.json", want)
	assert.EqualError(t, err, "DIR/c.json: no such file, want a JSON object")
	assert.NoError(t, DirFS(fsys, "data", "DIR", want))
	assert.EqualError(t, DirFS(fsys, "data/b.json", "DIR/b.json", "messages"), "DIR/b.json: a file, not a directory, want messages")
	assert.True(t, strings.HasPrefix(Empty("x", []byte(" "), "y").Error(), "x: empty"))
}
