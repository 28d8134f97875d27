package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// The term runs, tells its story in English, and leaves a trail that
// verifies: in a file store when asked, with day reports and the trail's
// reports.
func TestTerm(t *testing.T) {
	dir, reports := t.TempDir(), t.TempDir()
	var out, errs bytes.Buffer
	code := run([]string{"-lang", "en", "-audit", dir, "-report", reports}, &out, &errs)
	require.Equal(t, 0, code, errs.String())
	text := out.String()
	for _, want := range []string{
		"A term of the exam office, from 2027-01-18 to 2027-05-31, with 304 messages from OKE to deliver.\n",
		"2027-01-25  message for onbekend-001 rejected; OKE is told why:\n" +
			`             - consumers[0].orgAssociationId: the KRS knows no enrolment "onbekend-001"` + "\n",
		"2027-02-03  message for sessie-kt2-0125-060 rejected; OKE is told why:\n" +
			`             - result.score: "11.5" does not fit component KT2-W1's scale 0.0-10.0` + "\n",
		"Dear student,",
		"2027-01-21  exception on sessie-kt1-0118-013: irregularity: Student verliet de zaal zonder toestemming.\n",
		"2027-01-21  7 results delivered, 1 with an exception\n",
		"2027-01-22  5 results delivered\n",
		"2027-03-02  1 result delivered, 1 with an exception\n",
		"2027-02-17  sessie-kt1-0118-007: complaint upheld, grade corrected 5.9 → 6.0\n",
		// A late assessment is judged by its delivery, told in the library's words.
		"2027-02-09  exception on sessie-kt1-0118-023: late assessment: delivered on 2027-02-09, 1 working day after the assessment term ended on 2027-02-08\n",
		"2027-02-16  exception on sessie-kt1-0118-042: enrolment ended: the enrolment sessie-kt1-0118-042 was canceled in the KRS\n",
		// The school holiday: no daily run, the students told after it, and their terms longer.
		"2027-02-22  a day off (Voorjaarsvakantie, a closure of the institution): no daily run, so the students of the results delivered today are told on 2027-03-01, the next working day\n",
		"2027-03-01  15 students told of a provisional result\n" +
			"2027-03-01  of whom 14 were delivered on days off (Voorjaarsvakantie, a closure of the institution), and told only now, on the first working day after\n",
		"2027-03-08  91 results determined under the standing mandate\n" +
			"             - their terms did not count these days off: Voorjaarsvakantie (2027-02-22 to 2027-02-26)\n",
		"2027-03-08  not determined: sessie-kt1-0118-013\n" +
			"             - right status: the result is on hold, not provisional\n" +
			"             - exceptions closed: still open: irregularity #1 (Student verliet de zaal zonder toestemming.)\n",
		"2027-03-08  91 students told that their result is final\n",
		"2027-03-12  1 student told that their result is final\n",
		"2027-04-13  1 student told that the appeals board annulled their result\n",
		"2027-04-13  sessie-kt1-0118-020: appeal upheld: the appeals board annuls the result; a new decision follows\n",
		"supersedes sessie-kt1-0118-020",
		// The signals, explained.
		"2027-02-08  signals: what is due today or overdue, and whose it is:\n" +
			"             - assessor: assess and deliver, 9 results (their term ends today)\n" +
			"             - exam committee: resolve the exception, 1 result (overdue)\n",
		"             - exam administration: determine, 94 results (1 overdue, the others' term ends today)\n",
		"             - exam administration: determine, 3 results (all overdue)\n",
		"  The first message to a student of a provisional result (student s1002, result sessie-kt1-0118-002), as the student reads it:\n  | Dear student,",
		"  The first message to a student of the decision on a complaint (student s1007, result sessie-kt1-0118-007), as the student reads it:",
		"  The first message to a student that a result is final (student s1000, result sessie-kt1-0118-000), as the student reads it:",
		"  The first message to a student of the appeals board's decision (student s2010, result sessie-kt2-0125-010), as the student reads it:",
		"  The first message to a student that the appeals board annulled a result (student s1020, result sessie-kt1-0118-020), as the student reads it:",
		"vaststelling audit checkpoint roc-voorbeeld.nl/examens",
		"Trail: ok ",
		"Still open: sessie-kt1-0118-042, provisional, determination date 2027-03-16; waiting for: enrolment ended #1 (the enrolment sessie-kt1-0118-042 was canceled in the KRS)\n",
		"  messages from OKE 304, rejected 4; results 301\n",
		// The student is told of every change: 300 delivered results and
		// the new decision after the annulment registered, 298 determined,
		// the complaint decided (with the new grade's terms), one appeal
		// not upheld and one that annulled the result.
		"  student messages 602: provisional result 301, final 298, decision on a complaint 1, decision on an appeal 1, annulled 1\n",
		"  determined under mandate 298\n",
		"  provisional 2\n  on hold     1\n  final       297\n  annulled    1\n",
		"The yearly evaluation, read from the trail (school year 2026–2027):",
		"complaints 1 (upheld 1), appeals 2 (upheld 1), exceptions 20,",
	} {
		assert.Contains(t, text, want)
	}
	for _, code := range []string{`right_status`, `exceptions_closed`, `on_hold`, `exam_administration`, `exam_committee`,
		`late_assessment`, `enrolment_ended`, `complaint_decided`, `\b1 results`, `\b1 students`, `\b1 messages`, `\(0 overdue\)`} {
		assert.False(t, regexp.MustCompile(code).MatchString(text), "%s: a code where words should stand, or a plural wrong", code)
	}
	assert.NotContains(t, text, "sent again")
	assert.NotContains(t, text, "Beste student")
	// The new decision after the annulment is entered on the committee's
	// decision, long after the exam: no late assessment for anyone to approve.
	assert.NotContains(t, text, "sessie-kt1-0118-020-2: late assessment approved")
	assert.Equal(t, 1, strings.Count(text, "The first message to a student that a result is final"), "each kind shown once")
	s, err := filestore.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	rep, err := audit.Verify(t.Context(), s, nil)
	require.NoError(t, err)
	assert.Contains(t, text, rep.String())

	// What -h says -report writes is what it writes.
	names, err := os.ReadDir(reports)
	require.NoError(t, err)
	var days, others []string
	for _, e := range names {
		if strings.HasPrefix(e.Name(), "day-2027-") && strings.HasSuffix(e.Name(), ".json") {
			days = append(days, e.Name())
		} else {
			others = append(others, e.Name())
		}
	}
	assert.NotEmpty(t, days)
	var want []string
	for _, name := range []string{"evaluation", "timeliness", "session-sessie-kt1-0118", "session-sessie-kt2-0125", "session-sessie-ne-0201"} {
		for _, ext := range []string{".csv", ".html", ".json", ".md"} {
			want = append(want, name+ext)
		}
	}
	want = append(want, "timeliness-months.csv", "timeliness.svg")
	slices.Sort(want)
	assert.Equal(t, want, others)
	assert.Contains(t, text, fmt.Sprintf("\n%d files written to %s: ", len(names), reports))
	for _, name := range []string{"day-YYYY-MM-DD.json", "evaluation.json", "evaluation.csv .md .html", "timeliness.json .csv .md .html",
		"timeliness-months.csv", "timeliness.svg", "session-<offering>.json .csv .md .html"} {
		assert.Contains(t, reportHelp, name)
	}
	// The reports for people are in the language of the story.
	md, err := os.ReadFile(filepath.Join(reports, "evaluation.md"))
	require.NoError(t, err)
	html, err := os.ReadFile(filepath.Join(reports, "timeliness.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), `lang="en"`)
	dutch := t.TempDir()
	require.Equal(t, 0, run([]string{"-report", dutch}, io.Discard, &errs), errs.String())
	mdNL, err := os.ReadFile(filepath.Join(dutch, "evaluation.md"))
	require.NoError(t, err)
	assert.NotEqual(t, string(md), string(mdNL))
	htmlNL, err := os.ReadFile(filepath.Join(dutch, "timeliness.html"))
	require.NoError(t, err)
	assert.Contains(t, string(htmlNL), `lang="nl"`)
}

// TestDutch: the story is told in Dutch by default, with the words of
// the procedure and the plurals of Dutch.
func TestDutch(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 0, run(nil, &out, &errs), errs.String())
	text := out.String()
	for _, want := range []string{
		"Een periode van het examenbureau, van 2027-01-18 tot en met 2027-05-31, met 304 berichten van OKE om af te leveren.\n",
		"2027-01-21  uitzondering bij sessie-kt1-0118-013: onregelmatigheid: Student verliet de zaal zonder toestemming.\n",
		"2027-01-21  7 resultaten aangeleverd, waarvan 1 met een uitzondering\n",
		"2027-03-02  1 resultaat aangeleverd, waarvan 1 met een uitzondering\n",
		"2027-01-25  bericht voor onbekend-001 afgewezen; OKE krijgt te horen waarom:\n" +
			`             - consumers[0].orgAssociationId: een inschrijving die het KRS niet kent (aan OKE: the KRS knows no enrolment "onbekend-001")` + "\n",
		"2027-02-09  uitzondering bij sessie-kt1-0118-023: te late beoordeling: aangeleverd op 2027-02-09, 1 werkdag na het einde van de beoordelingstermijn op 2027-02-08\n",
		"2027-02-17  sessie-kt1-0118-007: klacht gegrond, cijfer gecorrigeerd van 5,9 in 6,0\n",
		"2027-02-22  een vrije dag (Voorjaarsvakantie, een sluiting van de instelling): geen dagelijkse verwerking, dus de studenten van de resultaten van vandaag krijgen op 2027-03-01 bericht, de eerstvolgende werkdag\n",
		"2027-03-01  waarvan 14 aangeleverd op vrije dagen (Voorjaarsvakantie, een sluiting van de instelling), en pas nu bericht krijgen, op de eerste werkdag daarna\n",
		"2027-03-08  91 resultaten vastgesteld onder het mandaat van de examencommissie\n" +
			"             - hun termijnen telden deze vrije dagen niet mee: Voorjaarsvakantie (2027-02-22 tot en met 2027-02-26)\n",
		"2027-03-08  niet vastgesteld: sessie-kt1-0118-013\n" +
			"             - juiste status: het resultaat is aangehouden, niet voorlopig\n" +
			"             - uitzonderingen afgehandeld: nog open: onregelmatigheid #1 (Student verliet de zaal zonder toestemming.)\n",
		"2027-03-12  1 student krijgt bericht dat het resultaat definitief is\n",
		"2027-03-08  91 studenten krijgen bericht dat het resultaat definitief is\n",
		"2027-02-08  signalen: wat vandaag afloopt of verlopen is, en voor wie:\n" +
			"             - examinator: beoordelen en aanleveren, 9 resultaten (de termijnen lopen vandaag af)\n" +
			"             - examencommissie: uitzondering afhandelen, 1 resultaat (verlopen)\n",
		"             - examenadministratie: vaststellen, 3 resultaten (alle verlopen)\n",
		"  Het eerste bericht aan een student over een voorlopig resultaat (student s1002, resultaat sessie-kt1-0118-002), zoals de student het leest:\n  | Beste student,",
		"Reden van het besluit: “vraag 4 is nagekeken met het verkeerde antwoordmodel”",
		"Auditspoor: ok ",
		"Nog open: sessie-kt1-0118-013, aangehouden, vaststellingsdatum 2027-03-08; wacht op: onregelmatigheid #1 (Student verliet de zaal zonder toestemming.)\n",
		"\nDe periode in getallen:\n  berichten van OKE 304, afgewezen 4; resultaten 301\n",
		"  berichten aan studenten 602: voorlopig resultaat 301, definitief 298, besluit op een klacht 1, besluit op een beroep 1, vernietigd 1\n",
		"  voorlopig   2\n  aangehouden 1\n  definitief  297\n  vernietigd  1\n",
		"De jaarlijkse evaluatie, gelezen uit het auditspoor (schooljaar 2026–2027):",
	} {
		assert.Contains(t, text, want)
	}
	for _, code := range []string{`right_status`, `exceptions_closed`, `on_hold`, `exam_administration`, `exam_committee`,
		`late_assessment`, `enrolment_ended`, `\b1 resultaten`, `\b1 studenten`, `\b1 berichten`, `Dear student`, ` is canceled`} {
		assert.False(t, regexp.MustCompile(code).MatchString(text), "%s: a code or English where Dutch words should stand, or a plural wrong", code)
	}
}

// TestInMemory: without -audit the trail is in memory, and nothing is
// written.
func TestInMemory(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 0, run([]string{"-lang", "en"}, &out, &errs), errs.String())
	assert.Contains(t, out.String(), "Signed checkpoint (verifier key examencommissie-roc-voorbeeld+")
	assert.Contains(t, out.String(), "messages from OKE 304, rejected 4; results 301")
	assert.NotContains(t, out.String(), "Check it:")
}

// TestWords: both languages have words for every sentence, and for every
// code the library names without words of its own.
func TestWords(t *testing.T) {
	assert.ElementsMatch(t, slices.Collect(maps.Keys(english)), slices.Collect(maps.Keys(dutch)))
	_, err := storyCatalog()
	require.NoError(t, err)
	for _, lang := range []timeline.Language{timeline.Dutch, timeline.English} {
		s, err := newStory(lang)
		require.NoError(t, err)
		for _, k := range timeline.MessageKinds() {
			for _, key := range []string{"kind.", "told.", "first."} {
				assert.True(t, s.has(key+string(k)), "%s: %s%s", lang, key, k)
			}
		}
		for _, o := range []oke.Outcome{oke.Accepted, oke.Merged, oke.Duplicate, oke.Exception, oke.Rejected} {
			assert.True(t, s.has("outcome."+string(o)), "%s: %s", lang, o)
			assert.True(t, s.has("outcomes."+string(o)), "%s: %s", lang, o)
		}
		for _, k := range []calendar.Kind{calendar.KindHoliday, calendar.KindDecree, calendar.KindClosure, calendar.KindOpen} {
			assert.True(t, s.has("closedkind."+k.String()), "%s: %s", lang, k)
		}
		for _, w := range []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday} {
			assert.True(t, s.has("weekday."+w.String()), "%s: %s", lang, w)
		}
		for _, c := range []oke.Code{oke.CodeMalformed, oke.CodeTooLarge, oke.CodeMissing, oke.CodeUnknownValue, oke.CodeWrongType,
			oke.CodeInvalidDate, oke.CodeOutOfRange, oke.CodeMismatch, oke.CodeInvalidID, oke.CodeDuplicate,
			oke.CodeUnknownAssociation, oke.CodeUnknownComponent, oke.CodeWrongStudent, oke.CodeScoreScale,
			oke.CodeNotAccepted, oke.CodeNotRegistered} {
			assert.True(t, s.has("code."+string(c)), "%s: %s", lang, c)
		}
		// Plurals by the language's rules.
		assert.Equal(t, map[timeline.Language]string{timeline.Dutch: "1 resultaat aangeleverd", timeline.English: "1 result delivered"}[lang],
			s.f("delivered", 1))
		assert.Equal(t, map[timeline.Language]string{timeline.Dutch: "0 resultaten aangeleverd", timeline.English: "0 results delivered"}[lang],
			s.f("delivered", 0))
	}
	_, err = newStory("de")
	assert.Error(t, err)
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
	require.Equal(t, 0, run([]string{"-lang", "en", "-audit", dir}, &first, &errs), errs.String())
	c1, key1 := keyed(t, dir)
	fi, err := os.Stat(filepath.Join(dir, signerFile))
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), fi.Mode().Perm())

	var second bytes.Buffer
	require.Equal(t, 0, run([]string{"-lang", "en", "-audit", dir}, &second, &errs), errs.String())
	text := second.String()
	lines := strings.Split(text, "\n")
	assert.Equal(t, "Resumed the trail of "+itoa(c1.Size)+" records in "+dir+".", lines[0])
	for _, want := range []string{
		"It holds the checkpoint the last run signed (" + itoa(c1.Size) + " records, " + filepath.Join(dir, checkpointFile) + ").",
		"The trail holds the term up to the daily run of 2027-05-31: those days are not run again.",
		"Their 304 messages sent again, as OKE does after a restart: 299 duplicates, 1 with an exception, 4 rejected.",
		"sessie-kt1-0118-050 rejected: invalid character",
		"The trail kept them as deliveries (304 records); no result changed.",
		"messages sent again 304, counted once",
	} {
		assert.Contains(t, text, want)
	}
	for _, not := range []string{"results delivered", "results determined", "complaint upheld", "Dear student"} {
		assert.NotContains(t, text, not)
	}
	n1, n2 := numbers(t, first.String()), numbers(t, text)
	assert.Equal(t, n1, strings.Replace(n2, "  messages sent again 304, counted once\n", "", 1))

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
	require.Equal(t, 0, run([]string{"-lang", "en"}, &whole, &errs), errs.String())

	dir := t.TempDir()
	ctx := context.Background()
	embedded, err := fs.Sub(sample, "data")
	require.NoError(t, err)
	data, err := readData(embedded, "data")
	require.NoError(t, err)
	en, err := newStory(timeline.English)
	require.NoError(t, err)
	var out bytes.Buffer
	tm, err := newTerm(ctx, data, trailFlags{audit: dir}, &out, en)
	require.NoError(t, err)
	tm.last = calendar.Date{Year: 2027, Month: time.February, Day: 10}
	require.NoError(t, tm.run(ctx))
	// Then the morning of the 11th, and the complaint, but no daily run:
	// the process stops.
	tm, err = newTerm(ctx, data, trailFlags{audit: dir}, &out, en)
	require.NoError(t, err)
	eleventh := calendar.Date{Year: 2027, Month: time.February, Day: 11}
	tm.doneTo = eleventh.AddDays(-1)
	require.NoError(t, tm.script(ctx, eleventh))
	tm.close()
	require.NoError(t, os.Remove(filepath.Join(dir, checkpointFile)))

	var rest bytes.Buffer
	require.Equal(t, 0, run([]string{"-lang", "en", "-audit", dir}, &rest, &errs), errs.String())
	text := rest.String()
	assert.Contains(t, text, "There is no checkpoint of it yet")
	assert.Contains(t, text, "The trail holds the term up to the daily run of 2027-02-10")
	assert.Contains(t, text, "2027-02-11  sessie-kt1-0118-007: the student complains to the exam committee (in the trail already)")
	assert.Contains(t, text, "complaint upheld, grade corrected")
	assert.Regexp(t, `\n  messages sent again \d+, counted once\n`, text)
	again := regexp.MustCompile(`  messages sent again \d+, counted once\n`)
	assert.Equal(t, numbers(t, whole.String()), again.ReplaceAllString(numbers(t, text), ""))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestBadUsage: a call lifecycle cannot make sense of is the problem, the
// synopsis and where to read more, on standard error, and exit status 2.
func TestBadUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, `lifecycle: unexpected argument "extra"`},
		{[]string{"-nope"}, "lifecycle: flag provided but not defined: -nope"},
		{[]string{"-audit"}, "lifecycle: flag needs an argument: -audit"},
		{[]string{"-audit", ""}, "lifecycle: -audit needs a directory"},
		{[]string{"-data", ""}, "lifecycle: -data needs a directory"},
		{[]string{"-postgres"}, "lifecycle: flag needs an argument: -postgres"},
		{[]string{"-postgres", ""}, "lifecycle: -postgres needs the URL of a database"},
		{[]string{"-table", "x"}, "lifecycle: -table names the tables of -postgres: give -postgres URL too"},
		{[]string{"-postgres", "postgres://u@127.0.0.1:1/db", "-table", ""}, "lifecycle: -table needs a name"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(tt.args, &out, &errs), tt.args)
		assert.Empty(t, out.String(), tt.args)
		assert.Equal(t, tt.want+"\nusage: "+synopsis+"\nRun 'lifecycle -h' for details.\n", errs.String(), tt.args)
	}
}

// TestBadInput: a value or an input lifecycle cannot use is one line on
// standard error naming it, and exit status 2, before anything runs.
func TestBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	trail := t.TempDir() // a file store's trail
	s, err := filestore.Open(trail)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	missing := filepath.Join(t.TempDir(), "missing")
	for _, tt := range []struct {
		args []string
		want string // stderr, whole, or its beginning when it ends in ": "
	}{
		{[]string{"-lang", "de"}, `lifecycle: -lang "de": unknown language; want nl or en`},
		{[]string{"-data", missing}, "lifecycle: -data " + missing + ": no such directory, want " + wantData},
		{[]string{"-data", file}, "lifecycle: -data " + file + ": a file, not a directory, want " + wantData},
		{[]string{"-audit", filepath.Join(file, "trail")}, "lifecycle: -audit " + filepath.Join(file, "trail") + ": "},
		{[]string{"-report", filepath.Join(file, "reports")}, "lifecycle: -report " + filepath.Join(file, "reports") + ": "},
		{[]string{"-postgres", "nonsense"}, "lifecycle: -postgres: not a database URL: cannot parse `nonsense`: "},
		{[]string{"-postgres", "postgres://[::1"}, "lifecycle: -postgres: not a database URL: "},
		// The name is checked before the database is reached.
		{[]string{"-postgres", "postgres://u@127.0.0.1:1/db", "-table", "a-b"}, `lifecycle: -table a-b: sqlstore: table prefix "a-b" holds a character other than ASCII letters, digits and underscores`},
		{[]string{"-postgres", "postgres://u@127.0.0.1:1/db", "-audit", trail}, "lifecycle: -audit " + trail + " holds a file store's trail; with -postgres the trail is in the database, " +
			"and -audit DIR keeps only its checkpoint and keys: use another directory"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(tt.args, &out, &errs), tt.args)
		assert.Empty(t, out.String(), tt.args)
		if strings.HasSuffix(tt.want, ": ") {
			assert.True(t, strings.HasPrefix(errs.String(), tt.want), "%v: %s", tt.args, errs.String())
		} else {
			assert.Equal(t, tt.want+"\n", errs.String(), tt.args)
		}
		assert.Equal(t, 1, strings.Count(errs.String(), "\n"), "%v: %s", tt.args, errs.String())
	}
}

// sampleCopy copies the embedded data into a new directory, changed by
// edit (paths relative to it: "calendar.json", "messages/…"), and returns
// the directory.
func sampleCopy(t *testing.T, edit func(dir string)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	embedded, err := fs.Sub(sample, "data")
	require.NoError(t, err)
	require.NoError(t, os.CopyFS(dir, embedded))
	edit(dir)
	return dir
}

// TestBadData: sample data that cannot be read, or that the story does
// not fit, are refused before the term runs, with one line naming the
// file and what it should hold.
func TestBadData(t *testing.T) {
	const msg = "messages/2027-01-21_sessie-kt1-0118-013.json"
	empty := func(name string) func(string) {
		return func(dir string) { require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("\n"), 0o644)) }
	}
	remove := func(name string) func(string) {
		return func(dir string) { require.NoError(t, os.RemoveAll(filepath.Join(dir, name))) }
	}
	rename := func(from, to string) func(string) {
		return func(dir string) { require.NoError(t, os.Rename(filepath.Join(dir, from), filepath.Join(dir, to))) }
	}
	for _, tt := range []struct {
		name string
		edit func(dir string)
		want string // after "lifecycle: DIR/"
	}{
		{"empty calendar", empty("calendar.json"), "calendar.json: empty, want " + wantCalendar},
		{"empty directory", empty("directory.json"), "directory.json: empty, want " + wantDirectory},
		{"empty mandates", empty("mandates.json"), "mandates.json: empty, want " + wantMandates},
		{"empty message", empty(msg), msg + ": empty, want " + wantMessage},
		{"no calendar", remove("calendar.json"), "calendar.json: no such file, want " + wantCalendar},
		{"no messages", remove("messages"), "messages: no such directory, want " + wantMessages},
		{"no such day", rename(msg, "messages/2027-02-30_sessie-kt1-0118-013.json"),
			"messages/2027-02-30_sessie-kt1-0118-013.json: 2027-02-30 is not a day: February 2027 has 28 days"},
		{"a name without its enrolment", rename(msg, "messages/2027-01-21.json"),
			"messages/2027-01-21.json: want a name YYYY-MM-DD_<association>.json: the day it is delivered and the enrolment"},
		{"a message after the term", rename(msg, "messages/2027-06-01_sessie-kt1-0118-013.json"),
			"messages/2027-06-01_sessie-kt1-0118-013.json: delivered on 2027-06-01, outside the term (2027-01-18 to 2027-05-31)"},
		{"a calendar of other years", func(dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "calendar.json"), []byte(`{"first_year": 2030, "last_year": 2031}`), 0o644))
		}, "calendar.json: covers the years 2030–2031; the term runs from 2027-01-18 to 2027-05-31"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := sampleCopy(t, tt.edit)
			var out, errs bytes.Buffer
			assert.Equal(t, 2, run([]string{"-data", dir}, &out, &errs))
			assert.Empty(t, out.String())
			assert.Equal(t, "lifecycle: "+dir+"/"+tt.want+"\n", errs.String())
		})
	}

	// Data without the story's people: refused before anything runs,
	// naming the ids.
	t.Run("without the story's people", func(t *testing.T) {
		dir := sampleCopy(t, func(dir string) {
			b, err := os.ReadFile(filepath.Join(dir, "directory.json"))
			require.NoError(t, err)
			b = bytes.ReplaceAll(b, []byte(`"sessie-kt1-0118-007"`), []byte(`"sessie-kt1-0118-907"`))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "directory.json"), b, 0o644))
			matches, err := filepath.Glob(filepath.Join(dir, "messages", "*_sessie-kt2-0125-010.json"))
			require.NoError(t, err)
			require.Len(t, matches, 1)
			require.NoError(t, os.Remove(matches[0]))
		})
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run([]string{"-data", dir}, &out, &errs))
		assert.Empty(t, out.String())
		assert.Equal(t, "lifecycle: "+dir+": the story does not fit these data: directory.json has no enrolment sessie-kt1-0118-007; "+
			"messages/ delivers no result for sessie-kt2-0125-010 before 2027-03-19; it needs the enrolments sessie-kt1-0118-007 "+
			"(who complains on 2027-02-11), sessie-kt2-0125-010 and sessie-kt1-0118-020 (who appeal on 2027-03-19), each with a "+
			"result delivered before, on a scale of grades 0.0-10.0 (see lifecycle -h)\n", errs.String())
	})
	// The data as the sample has them run.
	t.Run("a copy of the sample", func(t *testing.T) {
		dir := sampleCopy(t, func(string) {})
		var out, errs bytes.Buffer
		require.Equal(t, 0, run([]string{"-data", dir, "-lang", "en"}, &out, &errs), errs.String())
		assert.Contains(t, out.String(), "messages from OKE 304, rejected 4; results 301")
	})
}

// TestHelp: -h prints the synopsis, what lifecycle does and every flag on
// stdout, and exits 0.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help"} {
		var out, errs bytes.Buffer
		require.Equal(t, 0, run([]string{arg}, &out, &errs))
		assert.Empty(t, errs.String())
		assert.True(t, strings.HasPrefix(out.String(), "usage: lifecycle [-lang nl|en] [-data DIR] [-audit DIR] [-postgres URL [-table NAME]] [-report DIR]\n"))
		for _, want := range []string{"-lang language", "Dutch", "-audit DIR", "signer.key", "0600",
			"go run ./examples/verify -log DIR -checkpoint DIR/checkpoint -key DIR/verifier.key", "resumes",
			"-postgres URL", "-table NAME", "two offices", "never in both", "-audit DIR holds no trail",
			"calendar.json", "messages/YYYY-MM-DD_<association>.json", "sessie-kt1-0118-007", "signals",
			reportHelp, "Exit status"} {
			assert.Contains(t, out.String(), want)
		}
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
	assert.True(t, strings.HasPrefix(stdout, "Een periode van het examenbureau, van 2027-01-18 tot en met 2027-05-31, met 304 berichten van OKE om af te leveren.\n"), stdout)
	for _, name := range []string{filestore.LogFile, checkpointFile, verifierFile, signerFile} {
		_, err := os.Stat(filepath.Join(dir, name))
		assert.NoError(t, err, name)
	}

	stdout, stderr = runBin(t, 0, "-audit", dir)
	assert.Empty(t, stderr)
	assert.True(t, strings.HasPrefix(stdout, "Het auditspoor van 2"), stdout)
	assert.Contains(t, stdout, "berichten van OKE 304, afgewezen 4; resultaten 301\n  berichten opnieuw gestuurd 304, één keer geteld\n")

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
		assert.Equal(t, "lifecycle: flag needs an argument: -audit\nusage: "+synopsis+"\nRun 'lifecycle -h' for details.\n", stderr)
	})
	t.Run("missing data", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope")
		stdout, stderr := runBin(t, 2, "-data", missing)
		assert.Empty(t, stdout)
		assert.Equal(t, "lifecycle: -data "+missing+": no such directory, want "+wantData+"\n", stderr)
	})
	t.Run("english", func(t *testing.T) {
		stdout, stderr := runBin(t, 0, "-lang", "en")
		assert.Empty(t, stderr)
		assert.True(t, strings.HasPrefix(stdout, "A term of the exam office, "), stdout)
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
	require.Equal(t, 0, run([]string{"-lang", "en"}, &single, &errs), errs.String())

	dir := t.TempDir()
	var first bytes.Buffer
	require.Equal(t, 0, run([]string{"-lang", "en", "-postgres", url, "-table", table, "-audit", dir}, &first, &errs), errs.String())
	text := first.String()
	for _, want := range []string{
		"2 offices share the trail, in the tables " + table + "_* of one PostgreSQL database",
		"complaint upheld, grade corrected",
		"results determined under the standing mandate",
		"Dear student,",
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
	require.Equal(t, 0, run([]string{"-lang", "en", "-postgres", url, "-table", table, "-audit", dir}, &second, &errs), errs.String())
	text = second.String()
	lines := strings.Split(text, "\n")
	assert.Equal(t, "Resumed the trail of "+itoa(rep.Size)+" records in the tables "+table+"_* of the database.", lines[0])
	for _, want := range []string{
		"It holds the checkpoint the last run signed (" + itoa(c1.Size) + " records, " + filepath.Join(dir, checkpointFile) + ").",
		"The trail holds the term up to the daily run of 2027-05-31: those days are not run again.",
		"Their 304 messages sent again, as OKE does after a restart: 299 duplicates, 1 with an exception, 4 rejected.",
		"The trail kept them as deliveries (304 records); no result changed.",
		"messages sent again 304, counted once",
		"Folded again (audit.Rebuild): the same 301 results",
	} {
		assert.Contains(t, text, want)
	}
	for _, not := range []string{"results delivered", "results determined", "complaint upheld", "Dear student"} {
		assert.NotContains(t, text, not)
	}
	assert.Equal(t, numbers(t, single.String()), strings.Replace(numbers(t, text), "  messages sent again 304, counted once\n", "", 1))
	c2, key2 := keyed(t, dir)
	assert.Equal(t, key1, key2)
	assert.Equal(t, c1.Size+304, c2.Size)
	_, err = audit.Verify(t.Context(), store, &c1) // the first checkpoint still holds
	require.NoError(t, err)
	_, err = audit.Verify(t.Context(), store, &c2)
	require.NoError(t, err)
}
