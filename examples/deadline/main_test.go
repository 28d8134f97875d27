package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/internal/cmdtest"
)

// lines joins its arguments into the output of a run, one per line.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// TestRun pins the output of good calls: the date, then the skipped days.
// The expected dates were counted by hand from the 2026–2027 calendar
// (Easter 2027 is 28 March, so Ascension is 6 May and Whit Monday 17 May).
// The default calendar has the decree days as well: the Besluit
// gelijkstelling van 2 januari 2026, […] 7 mei 2027, […] makes Friday 7 May
// 2027, the day after Ascension, equal to a public holiday, so it is
// skipped and named. DOMAIN.md's worked example B counts weekends and the
// statutory holidays only, so its exam + 30 working days, Friday 28 May
// 2027, is the count of a calendar without decree days
// (testdata/zonder-besluitdagen.json); the default gives Monday 31 May.
func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{
			name: "forward over Christmas and New Year",
			args: []string{"-from", "2026-12-18", "-workdays", "10"},
			want: lines("2027-01-05", "2026-12-25 Eerste Kerstdag", "2027-01-01 Nieuwjaarsdag"),
		},
		{
			name: "backward lists skipped days in date order",
			args: []string{"-from", "2027-01-05", "-workdays", "-10"},
			want: lines("2026-12-18", "2026-12-25 Eerste Kerstdag", "2027-01-01 Nieuwjaarsdag"),
		},
		{
			name: "flags in another order and with = form",
			args: []string{"-workdays=10", "--from=2026-12-18"},
			want: lines("2027-01-05", "2026-12-25 Eerste Kerstdag", "2027-01-01 Nieuwjaarsdag"),
		},
		{
			// The example in the package documentation.
			name: "over King's Day, 5 May, Ascension, the decree day after it and Whit Monday",
			args: []string{"-from", "2027-04-12", "-workdays", "30"},
			want: lines("2027-05-31",
				"2027-04-27 Koningsdag",
				"2027-05-05 Bevrijdingsdag",
				"2027-05-06 Hemelvaartsdag",
				"2027-05-07 Vrijdag na Hemelvaartsdag",
				"2027-05-17 Tweede Pinksterdag"),
		},
		{
			// Worked example B of DOMAIN.md: weekends and statutory holidays only.
			name: "config without decree days",
			args: []string{"-from", "2027-04-12", "-workdays", "30", "-config", "testdata/zonder-besluitdagen.json"},
			want: lines("2027-05-28",
				"2027-04-27 Koningsdag",
				"2027-05-05 Bevrijdingsdag",
				"2027-05-06 Hemelvaartsdag",
				"2027-05-17 Tweede Pinksterdag"),
		},
		{
			// Counted backward over the decree day as well.
			name: "backward over the decree day",
			args: []string{"-from", "2027-05-31", "-workdays", "-30"},
			want: lines("2027-04-12",
				"2027-04-27 Koningsdag",
				"2027-05-05 Bevrijdingsdag",
				"2027-05-06 Hemelvaartsdag",
				"2027-05-07 Vrijdag na Hemelvaartsdag",
				"2027-05-17 Tweede Pinksterdag"),
		},
		{
			name: "explicit plus sign",
			args: []string{"-from", "2027-04-12", "-workdays", "+1"},
			want: lines("2027-04-13"),
		},
		{
			name: "zero workdays gives the date itself",
			args: []string{"-from", "2026-12-25", "-workdays", "0"},
			want: lines("2026-12-25"),
		},
		{
			name: "config with a closure period",
			args: []string{"-from", "2026-12-18", "-workdays", "10", "-config", "testdata/kerstvakantie.json"},
			want: lines("2027-01-15",
				"2026-12-21 Kerstvakantie",
				"2026-12-22 Kerstvakantie",
				"2026-12-23 Kerstvakantie",
				"2026-12-24 Kerstvakantie",
				"2026-12-25 Eerste Kerstdag / Kerstvakantie",
				"2026-12-28 Kerstvakantie",
				"2026-12-29 Kerstvakantie",
				"2026-12-30 Kerstvakantie",
				"2026-12-31 Kerstvakantie",
				"2027-01-01 Nieuwjaarsdag / Kerstvakantie"),
		},
		{
			// A definition that does not mention decree days keeps the known ones.
			name: "config without Liberation Day",
			args: []string{"-from", "2027-04-12", "-workdays", "30", "-config", "testdata/zonder-bevrijdingsdag.json"},
			want: lines("2027-05-28",
				"2027-04-27 Koningsdag",
				"2027-05-06 Hemelvaartsdag",
				"2027-05-07 Vrijdag na Hemelvaartsdag",
				"2027-05-17 Tweede Pinksterdag"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			require.Equal(t, 0, code, "stderr: %s", stderr.String())
			require.Equal(t, tt.want, stdout.String())
			require.Empty(t, stderr.String())
		})
	}
}

// TestRunBadInput checks that every kind of bad input exits with status 2,
// writes nothing to stdout, and names the problem on stderr.
func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // each must occur in stderr
	}{
		{"unparseable date", []string{"-from", "2026-13-01", "-workdays", "1"},
			[]string{"deadline: -from: 2026-13-01 is not a day: a year has 12 months\n"}},
		{"no such day", []string{"-from", "2027-02-30", "-workdays", "1"},
			[]string{"deadline: -from: 2027-02-30 is not a day: February 2027 has 28 days\n"}},
		{"date with time", []string{"-from", "2026-12-18T10:00", "-workdays", "1"},
			[]string{`deadline: -from: "2026-12-18T10:00" is not a date: want YYYY-MM-DD`}},
		{"empty date", []string{"-from", "", "-workdays", "1"},
			[]string{`-from: "" is not a date`}},
		{"date before the supported years", []string{"-from", "1999-12-31", "-workdays", "1"},
			[]string{"1999-12-31", "outside the supported years"}},
		{"date after the supported years", []string{"-from", "2101-01-01", "-workdays", "-1"},
			[]string{"2101-01-01", "outside the supported years"}},
		{"result after the supported years", []string{"-from", "2100-12-20", "-workdays", "30"},
			[]string{"30 working days", "outside the supported years"}},
		{"result before the supported years", []string{"-from", "2000-01-10", "-workdays", "-30"},
			[]string{"-30 working days", "outside the supported years"}},
		{"huge count", []string{"-from", "2026-12-18", "-workdays", "9223372036854775807"},
			[]string{"outside the supported years"}},
		{"result outside the config's years", []string{"-from", "2027-12-20", "-workdays", "30", "-config", "testdata/narrow-years.json"},
			[]string{"outside the supported years 2026–2027"}},
		{"missing config file", []string{"-from", "2026-12-18", "-workdays", "1", "-config", "testdata/absent.json"},
			[]string{"deadline: -config testdata/absent.json: no such file, want a calendar definition: a JSON object"}},
		{"empty config file", []string{"-from", "2026-12-18", "-workdays", "1", "-config", "testdata/empty.json"},
			[]string{"deadline: -config testdata/empty.json: empty, want a calendar definition: a JSON object (see the calendar package)\n"}},
		{"config in a missing directory", []string{"-from", "2026-12-18", "-workdays", "1", "-config", "testdata/nope/kalender.json"},
			[]string{"deadline: -config testdata/nope/kalender.json: no such file, want a calendar definition"}},
		{"config is a directory", []string{"-from", "2026-12-18", "-workdays", "1", "-config", "testdata"},
			[]string{"deadline: -config testdata: a directory, not a file, want a calendar definition"}},
		{"malformed config", []string{"-from", "2026-12-18", "-workdays", "1", "-config", "testdata/malformed.json"},
			[]string{"-config testdata/malformed.json: ", "malformed JSON", "line 4"}},
		{"config with unknown holiday", []string{"-from", "2026-12-18", "-workdays", "1", "-config", "testdata/unknown-holiday.json"},
			[]string{"-config", "unknown holiday", "sinterklaas"}},
		{"word for a number", []string{"-from", "2026-12-18", "-workdays", "ten"},
			[]string{`-workdays "ten"`, "not a whole number"}},
		{"hexadecimal number", []string{"-from", "2026-12-18", "-workdays", "0x10"},
			[]string{`-workdays "0x10"`, "not a whole number"}},
		{"fraction", []string{"-from", "2026-12-18", "-workdays", "1.5"},
			[]string{`-workdays "1.5"`, "not a whole number"}},
		{"empty number", []string{"-from", "2026-12-18", "-workdays", ""},
			[]string{`-workdays ""`, "not a whole number"}},
		{"number too large for int", []string{"-from", "2026-12-18", "-workdays", "99999999999999999999"},
			[]string{"-workdays", "out of range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			require.Equal(t, 2, code)
			require.Empty(t, stdout.String())
			for _, w := range tt.want {
				require.Contains(t, stderr.String(), w)
			}
			require.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line: %s", stderr.String())
		})
	}
}

// TestRunBadUsage checks that a call deadline cannot make sense of exits
// with status 2, writes nothing to stdout, and gives the problem and the
// synopsis on stderr.
func TestRunBadUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // the first line of stderr
	}{
		{"missing -from", []string{"-workdays", "10"}, "deadline: missing flag -from"},
		{"missing -workdays", []string{"-from", "2026-12-18"}, "deadline: missing flag -workdays"},
		{"no arguments", nil, "deadline: missing flag -from"},
		{"extra argument", []string{"-from", "2026-12-18", "-workdays", "10", "extra"}, `deadline: unexpected argument "extra"`},
		{"argument before flags", []string{"2026-12-18", "-workdays", "10"}, `deadline: unexpected argument "2026-12-18"`},
		{"unknown flag", []string{"-from", "2026-12-18", "-workdays", "10", "-verbose"}, "deadline: flag provided but not defined: -verbose"},
		{"flag without value", []string{"-from", "2026-12-18", "-workdays"}, "deadline: flag needs an argument: -workdays"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			require.Equal(t, 2, code)
			require.Empty(t, stdout.String())
			require.Equal(t, tt.want+"\nusage: "+synopsis+"\nRun 'deadline -h' for details.\n", stderr.String())
		})
	}
}

// TestHelp: -h and -help print the synopsis and the flags on stdout, and
// exit 0.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help"} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run([]string{arg}, &stdout, &stderr))
		require.Empty(t, stderr.String())
		require.True(t, strings.HasPrefix(stdout.String(), "usage: deadline -from YYYY-MM-DD -workdays N [-config FILE]\n"), stdout.String())
		for _, w := range []string{"-from date", "-workdays number", "-config file", "Exit status", "Eerste Kerstdag"} {
			require.Contains(t, stdout.String(), w)
		}
	}
}

// TestRunWriteError checks that output that cannot be written is reported
// and gives status 1, which is not bad input.
func TestRunWriteError(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{"-from", "2026-12-18", "-workdays", "10"}, cmdtest.FailingWriter{}, &stderr)
	require.Equal(t, 1, code)
	require.Contains(t, stderr.String(), "broken pipe")
}

// TestBinary builds the command and runs it as a script would, to check
// the exit status and streams of the real process.
func TestBinary(t *testing.T) {
	bin := cmdtest.Build(t, "deadline")

	t.Run("bad date", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, "-from", "2026-13-01", "-workdays", "10")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		require.Equal(t, 2, exit.ExitCode())
		require.Empty(t, stdout.String())
		require.Equal(t, "deadline: -from: 2026-13-01 is not a day: a year has 12 months\n", stderr.String())
	})
	t.Run("help", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, "-h")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
		require.True(t, strings.HasPrefix(stdout.String(), "usage: deadline "))
		require.Empty(t, stderr.String())
	})
	t.Run("bad usage", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, "-from", "2026-12-18")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		var exit *exec.ExitError
		require.ErrorAs(t, cmd.Run(), &exit)
		require.Equal(t, 2, exit.ExitCode())
		require.Empty(t, stdout.String())
		require.Contains(t, stderr.String(), "usage: deadline ")
	})
	t.Run("good call", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, "-from", "2026-12-18", "-workdays", "10")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
		require.Equal(t, lines("2027-01-05", "2026-12-25 Eerste Kerstdag", "2027-01-01 Nieuwjaarsdag"), stdout.String())
		require.Empty(t, stderr.String())
	})
}
