package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cmdtest"
)

// The term runs, tells its story, and leaves a trail that verifies: in a
// file store when asked, with day reports.
func TestTerm(t *testing.T) {
	dir, reports := t.TempDir(), t.TempDir()
	var out, errs bytes.Buffer
	code := run([]string{"-audit", dir, "-report", reports}, &out, &errs)
	require.Equal(t, 0, code, errs.String())
	text := out.String()
	for _, want := range []string{
		"rejected onbekend-001:",
		"malformed_json",
		"score_value_type",
		"Beste student,",
		"complaint upheld, grade corrected",
		"results determined under the standing mandate",
		"not determined: sessie-kt1-0118-013",
		"right_status: the result is on_hold",
		"appeal upheld: the appeals board annuls the result",
		"supersedes sessie-kt1-0118-020",
		"signals: ",
		"vaststelling audit checkpoint roc-voorbeeld.nl/examens",
		"Trail: ok ",
		"deliveries 304, rejected 4; results 301",
		// The student is told of every change: 300 delivered results and
		// the new decision after the annulment registered, 298 determined,
		// the complaint decided (with the new grade's terms), one appeal
		// not upheld and one that annulled the result.
		"student messages 602: provisional 301, final 298, complaint_decided 1, appeal_decided 1, annulled 1\n",
		"determined under mandate 298\n",
		"2027-03-08  91 students told that their result is final\n",
		"2027-04-13  1 student told that the appeals board annulled their result\n",
		"(provisional, to s1002, about sessie-kt1-0118-002):\n  | Beste student,",
		"(complaint_decided, to s1007, about sessie-kt1-0118-007):",
		"(final, to s1000, about sessie-kt1-0118-000):",
		"(appeal_decided, to s2010, about sessie-kt2-0125-010):",
		"(annulled, to s1020, about sessie-kt1-0118-020):",
		// A late assessment is judged by its delivery.
		"late_assessment: delivered on 2027-02-09, 1 working day after the assessment term ended on 2027-02-08",
		"The yearly evaluation, read from the trail",
		"complaints 1 (upheld 1), appeals 2 (upheld 1), exceptions 20,",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "sent again")
	// The new decision after the annulment is entered on the committee's
	// decision, long after the exam: no late assessment for anyone to approve.
	assert.NotContains(t, text, "sessie-kt1-0118-020-2: late assessment approved")
	assert.Equal(t, 1, strings.Count(text, "The first student message that a result is final"), "each kind shown once")
	s, err := filestore.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	rep, err := audit.Verify(t.Context(), s, nil)
	require.NoError(t, err)
	assert.Contains(t, text, rep.String())
	days, err := os.ReadDir(reports)
	require.NoError(t, err)
	assert.NotEmpty(t, days)
	assert.True(t, strings.HasPrefix(days[0].Name(), "day-2027-"))
	for _, name := range []string{"evaluation.md", "evaluation.csv", "evaluation.json", "timeliness.md",
		"timeliness.svg", "session-sessie-kt1-0118.md", "session-sessie-ne-0201.csv"} {
		_, err := os.Stat(filepath.Join(reports, name))
		assert.NoError(t, err, name)
	}
}

// TestInMemory: without -audit the trail is in memory, and nothing is
// written.
func TestInMemory(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 0, run(nil, &out, &errs), errs.String())
	assert.Contains(t, out.String(), "Signed checkpoint (verifier key examencommissie-roc-voorbeeld+")
	assert.Contains(t, out.String(), "deliveries 304, rejected 4; results 301")
	assert.NotContains(t, out.String(), "Check it:")
}

// keyed reads the checkpoint and the verifier key that a run left in dir,
// and checks the checkpoint with the key.
func keyed(t *testing.T, dir string) (audit.Checkpoint, string) {
	t.Helper()
	msg, err := os.ReadFile(filepath.Join(dir, checkpointFile))
	require.NoError(t, err)
	vkey, err := os.ReadFile(filepath.Join(dir, verifierFile))
	require.NoError(t, err)
	v, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	require.NoError(t, err)
	c, err := audit.OpenCheckpoint(msg, note.VerifierList(v))
	require.NoError(t, err)
	return c, string(vkey)
}

// numbers is the end of a run's account: the counts and the evaluation.
func numbers(t *testing.T, out string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "\nThe term in numbers:\n")
	require.True(t, ok, out)
	return rest
}

// TestTwice: a second run over the same DIR resumes the trail the first
// left: it does not run the term again, takes its messages sent again as
// duplicates, counts nothing twice, and signs with the same key a
// checkpoint of which the first's is a prefix.
func TestTwice(t *testing.T) {
	dir := t.TempDir()
	var first, errs bytes.Buffer
	require.Equal(t, 0, run([]string{"-audit", dir}, &first, &errs), errs.String())
	c1, key1 := keyed(t, dir)
	fi, err := os.Stat(filepath.Join(dir, signerFile))
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), fi.Mode().Perm())

	var second bytes.Buffer
	require.Equal(t, 0, run([]string{"-audit", dir}, &second, &errs), errs.String())
	text := second.String()
	lines := strings.Split(text, "\n")
	assert.Equal(t, "Resumed the trail of "+itoa(c1.Size)+" records in "+dir+".", lines[0])
	for _, want := range []string{
		"It holds the checkpoint the last run signed (" + itoa(c1.Size) + " records, " + filepath.Join(dir, checkpointFile) + ").",
		"The trail holds the term up to the daily run of 2027-05-31: those days are not run again.",
		"Their 304 messages sent again, as OKE does after a restart: 299 duplicate, 1 exception, 4 rejected.",
		"The trail kept them as deliveries (304 records); no result changed.",
		"deliveries sent again 304, counted once",
	} {
		assert.Contains(t, text, want)
	}
	for _, not := range []string{"results delivered", "results determined", "complaint upheld", "Beste student"} {
		assert.NotContains(t, text, not)
	}
	n1, n2 := numbers(t, first.String()), numbers(t, text)
	assert.Equal(t, n1, strings.Replace(n2, "  deliveries sent again 304, counted once\n", "", 1))

	c2, key2 := keyed(t, dir)
	assert.Equal(t, key1, key2)
	assert.Equal(t, c1.Size+304, c2.Size)
	s, err := filestore.OpenReadOnly(dir)
	require.NoError(t, err)
	defer s.Close()
	_, err = audit.Verify(t.Context(), s, &c1) // the first checkpoint still holds
	require.NoError(t, err)
}

// TestInterrupted: a term interrupted, after a day's daily run and in the
// middle of the next day, is finished by the next run as if nothing had
// happened: the same numbers as a term run in one go.
func TestInterrupted(t *testing.T) {
	var whole, errs bytes.Buffer
	require.Equal(t, 0, run(nil, &whole, &errs), errs.String())

	dir := t.TempDir()
	ctx := context.Background()
	data, err := fs.Sub(sample, "data")
	require.NoError(t, err)
	var out bytes.Buffer
	tm, err := newTerm(ctx, data, "the embedded data", trailFlags{audit: dir}, &out)
	require.NoError(t, err)
	tm.last = calendar.Date{Year: 2027, Month: time.February, Day: 10}
	require.NoError(t, tm.run(ctx))
	// Then the morning of the 11th, and the complaint, but no daily run:
	// the process stops.
	tm, err = newTerm(ctx, data, "the embedded data", trailFlags{audit: dir}, &out)
	require.NoError(t, err)
	eleventh := calendar.Date{Year: 2027, Month: time.February, Day: 11}
	tm.doneTo = eleventh.AddDays(-1)
	require.NoError(t, tm.script(ctx, eleventh))
	tm.close()
	require.NoError(t, os.Remove(filepath.Join(dir, checkpointFile)))

	var rest bytes.Buffer
	require.Equal(t, 0, run([]string{"-audit", dir}, &rest, &errs), errs.String())
	text := rest.String()
	assert.Contains(t, text, "There is no checkpoint of it yet")
	assert.Contains(t, text, "The trail holds the term up to the daily run of 2027-02-10")
	assert.Contains(t, text, "2027-02-11  sessie-kt1-0118-007: the student complains to the exam committee (in the trail already)")
	assert.Contains(t, text, "complaint upheld, grade corrected")
	assert.Regexp(t, `\n  deliveries sent again \d+, counted once\n`, text)
	again := regexp.MustCompile(`  deliveries sent again \d+, counted once\n`)
	assert.Equal(t, numbers(t, whole.String()), again.ReplaceAllString(numbers(t, text), ""))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestBadUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	trail := t.TempDir() // a file store's trail
	s, err := filestore.Open(trail)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, `lifecycle: unexpected argument "extra" (see lifecycle -h)`},
		{[]string{"-nope"}, "lifecycle: flag provided but not defined: -nope (see lifecycle -h)"},
		{[]string{"-audit"}, "lifecycle: flag needs an argument: -audit (see lifecycle -h)"},
		{[]string{"-audit", ""}, "lifecycle: -audit needs a directory (see lifecycle -h)"},
		{[]string{"-data", filepath.Join(t.TempDir(), "missing")}, "lifecycle: -data "},
		{[]string{"-data", t.TempDir()}, "lifecycle: -data "},
		{[]string{"-audit", filepath.Join(file, "trail")}, "lifecycle: -audit " + filepath.Join(file, "trail") + ": "},
		{[]string{"-report", filepath.Join(file, "reports")}, "lifecycle: -report " + filepath.Join(file, "reports") + ": "},
		{[]string{"-postgres"}, "lifecycle: flag needs an argument: -postgres (see lifecycle -h)"},
		{[]string{"-postgres", ""}, "lifecycle: -postgres needs the URL of a database (see lifecycle -h)"},
		{[]string{"-postgres", "nonsense"}, "lifecycle: -postgres: not a database URL: cannot parse `nonsense`: "},
		{[]string{"-postgres", "postgres://[::1"}, "lifecycle: -postgres: not a database URL: "},
		{[]string{"-table", "x"}, "lifecycle: -table names the tables of -postgres: give -postgres URL too (see lifecycle -h)"},
		{[]string{"-postgres", "postgres://u@127.0.0.1:1/db", "-table", ""}, "lifecycle: -table needs a name (see lifecycle -h)"},
		// The name is checked before the database is reached.
		{[]string{"-postgres", "postgres://u@127.0.0.1:1/db", "-table", "a-b"}, `lifecycle: -table a-b: sqlstore: table prefix "a-b" holds a character`},
		{[]string{"-postgres", "postgres://u@127.0.0.1:1/db", "-audit", trail}, "lifecycle: -audit " + trail + " holds a file store's trail; with -postgres the trail is in the database"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(tt.args, &out, &errs), tt.args)
		assert.Empty(t, out.String(), tt.args)
		assert.True(t, strings.HasPrefix(errs.String(), tt.want), "%v: %s", tt.args, errs.String())
		assert.Equal(t, 1, strings.Count(errs.String(), "\n"), "%v: %s", tt.args, errs.String())
	}
}

// TestHelp: -h prints the usage on stdout, and exits 0.
func TestHelp(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 0, run([]string{"-h"}, &out, &errs))
	assert.Empty(t, errs.String())
	assert.True(t, strings.HasPrefix(out.String(), "usage: lifecycle [-audit DIR] [-postgres URL [-table NAME]] [-data DIR] [-report DIR]\n"))
	for _, want := range []string{"-audit DIR", "signer.key", "0600", "go run ./examples/verify -log DIR -checkpoint DIR/checkpoint -key DIR/verifier.key", "resumes",
		"-postgres URL", "-table NAME", "two offices", "never in both", "-audit DIR holds no trail"} {
		assert.Contains(t, out.String(), want)
	}
}

// TestBinary runs the command as a newcomer does: twice over a directory
// that does not exist yet, and once while another process holds the trail.
func TestBinary(t *testing.T) {
	bin := cmdtest.Build(t, "lifecycle")
	runBin := func(t *testing.T, want int, args ...string) (stdout, stderr string) {
		t.Helper()
		var o, e bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if want == 0 {
			require.NoError(t, err, "stderr: %s", e.String())
		} else {
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "%v", err)
			require.Equal(t, want, exit.ExitCode(), "stderr: %s", e.String())
		}
		return o.String(), e.String()
	}
	dir := filepath.Join(t.TempDir(), "a", "b", "trail")

	stdout, stderr := runBin(t, 0, "-audit", dir)
	assert.Empty(t, stderr)
	assert.True(t, strings.HasPrefix(stdout, "Term from 2027-01-18 to 2027-05-31, 304 messages to deliver.\n"), stdout)
	for _, name := range []string{filestore.LogFile, checkpointFile, verifierFile, signerFile} {
		_, err := os.Stat(filepath.Join(dir, name))
		assert.NoError(t, err, name)
	}

	stdout, stderr = runBin(t, 0, "-audit", dir)
	assert.Empty(t, stderr)
	assert.True(t, strings.HasPrefix(stdout, "Resumed the trail of "), stdout)
	assert.Contains(t, stdout, "deliveries 304, rejected 4; results 301\n  deliveries sent again 304, counted once\n")

	t.Run("locked", func(t *testing.T) {
		s, err := filestore.Open(dir) // another process has it open for writing
		require.NoError(t, err)
		defer s.Close()
		stdout, stderr := runBin(t, 1, "-audit", dir)
		assert.Empty(t, stdout)
		assert.Equal(t, "lifecycle: -audit "+dir+": "+filestore.ErrLocked.Error()+
			": another process is writing this trail; wait for it to end, or use another directory\n", stderr)
	})
	t.Run("help", func(t *testing.T) {
		stdout, stderr := runBin(t, 0, "-h")
		assert.Empty(t, stderr)
		assert.True(t, strings.HasPrefix(stdout, "usage: lifecycle "), stdout)
	})
	t.Run("bad flag", func(t *testing.T) {
		stdout, stderr := runBin(t, 2, "-audit")
		assert.Empty(t, stdout)
		assert.Equal(t, "lifecycle: flag needs an argument: -audit (see lifecycle -h)\n", stderr)
	})
}

// TestUnreachable: a database that does not answer is a failure (exit
// status 1), said in one line.
func TestUnreachable(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 1, run([]string{"-postgres", "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable"}, &out, &errs))
	assert.Empty(t, out.String())
	assert.True(t, strings.HasPrefix(errs.String(), "lifecycle: -postgres: cannot reach the database: "), errs.String())
	assert.Equal(t, 1, strings.Count(errs.String(), "\n"), errs.String())
}

// postgresURL is the server CI starts (see .ci/run), or the test skips.
func postgresURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("VASTSTELLING_POSTGRES_URL")
	if url == "" {
		t.Skip("VASTSTELLING_POSTGRES_URL is not set: no PostgreSQL server to run the cluster on (.ci/run starts one)")
	}
	return url
}

// freshTables returns a table prefix no run used yet, and drops its
// tables when the test ends.
func freshTables(t *testing.T, db *sql.DB) string {
	t.Helper()
	table := fmt.Sprintf("lifecycle_test_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND starts_with(tablename, $1)`, table+"_")
		if err != nil {
			t.Logf("dropping the tables %s_*: %v", table, err)
			return
		}
		var names []string
		for rows.Next() {
			var name string
			if rows.Scan(&name) == nil {
				names = append(names, `"`+name+`"`)
			}
		}
		rows.Close()
		if len(names) > 0 {
			if _, err := db.Exec("DROP TABLE " + strings.Join(names, ", ")); err != nil {
				t.Logf("dropping the tables %s_*: %v", table, err)
			}
		}
	})
	return table
}

// TestCluster: two offices on one PostgreSQL database, taking the
// messages and the commands in turn and both trying every daily run,
// reach the state one office reaches, in a trail that verifies and folds;
// a second run over the same tables resumes it, as a run over -audit DIR
// does: the messages sent again are duplicates, nothing is counted twice,
// and the checkpoint kept in -audit DIR still holds.
func TestCluster(t *testing.T) {
	url := postgresURL(t)
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	table := freshTables(t, db)
	store, err := sqlstore.New(db, table)
	require.NoError(t, err)

	var single, errs bytes.Buffer
	require.Equal(t, 0, run(nil, &single, &errs), errs.String())

	dir := t.TempDir()
	var first bytes.Buffer
	require.Equal(t, 0, run([]string{"-postgres", url, "-table", table, "-audit", dir}, &first, &errs), errs.String())
	text := first.String()
	for _, want := range []string{
		"2 offices share the trail, in the tables " + table + "_* of one PostgreSQL database",
		"complaint upheld, grade corrected",
		"results determined under the standing mandate",
		"Beste student,",
		"Folded again (audit.Rebuild): the same 301 results, each in the state the office holds.",
		"  office 1: 152 messages, ",
		"  office 2: 152 messages, ",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "Check it:") // verify reads a file store, not this trail
	assert.Equal(t, numbers(t, single.String()), numbers(t, text), "two offices, one office")
	rep, err := audit.Verify(t.Context(), store, nil)
	require.NoError(t, err)
	assert.Contains(t, text, "Trail: "+rep.String()+"\n")
	rebuilt, err := audit.Rebuild(t.Context(), store, nil)
	require.NoError(t, err)
	assert.Len(t, rebuilt.Results, 301)
	c1, key1 := keyed(t, dir)
	assert.Equal(t, rep.Size, c1.Size)
	_, err = os.Stat(filepath.Join(dir, filestore.LogFile))
	assert.ErrorIs(t, err, fs.ErrNotExist, "-audit DIR holds no trail with -postgres")

	var second bytes.Buffer
	require.Equal(t, 0, run([]string{"-postgres", url, "-table", table, "-audit", dir}, &second, &errs), errs.String())
	text = second.String()
	lines := strings.Split(text, "\n")
	assert.Equal(t, "Resumed the trail of "+itoa(rep.Size)+" records in the tables "+table+"_* of the database.", lines[0])
	for _, want := range []string{
		"It holds the checkpoint the last run signed (" + itoa(c1.Size) + " records, " + filepath.Join(dir, checkpointFile) + ").",
		"The trail holds the term up to the daily run of 2027-05-31: those days are not run again.",
		"Their 304 messages sent again, as OKE does after a restart: 299 duplicate, 1 exception, 4 rejected.",
		"The trail kept them as deliveries (304 records); no result changed.",
		"deliveries sent again 304, counted once",
		"Folded again (audit.Rebuild): the same 301 results",
	} {
		assert.Contains(t, text, want)
	}
	for _, not := range []string{"results delivered", "results determined", "complaint upheld", "Beste student"} {
		assert.NotContains(t, text, not)
	}
	assert.Equal(t, numbers(t, single.String()), strings.Replace(numbers(t, text), "  deliveries sent again 304, counted once\n", "", 1))
	c2, key2 := keyed(t, dir)
	assert.Equal(t, key1, key2)
	assert.Equal(t, c1.Size+304, c2.Size)
	_, err = audit.Verify(t.Context(), store, &c1) // the first checkpoint still holds
	require.NoError(t, err)
	_, err = audit.Verify(t.Context(), store, &c2)
	require.NoError(t, err)
}
