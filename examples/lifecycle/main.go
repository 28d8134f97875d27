// Lifecycle runs the whole procedure on sample data, day by day through a
// term, and prints a readable account of it: the main job of the library.
//
// Usage:
//
//	lifecycle [-lang nl|en] [-data DIR] [-audit DIR] [-postgres URL [-table NAME]] [-report DIR]
//
// The story is told in Dutch, or with -lang en in English: its sentences
// are in one table per language (words_nl.go, words_en.go), with their
// plurals by CLDR's rules (golang.org/x/text); the words for the
// procedure's states, roles, tasks, checks and kinds of exception are the
// library's, and the student messages are the office's, in the language
// of the story.
//
// The sample data are embedded (see gen.go, which made them): three exam
// sessions of 100 students in January and February 2027, their results as
// OKE flow-5 messages (a few late, one with an irregularity, one in each
// session for an enrolment canceled meanwhile, four bad ones), the
// institution's directory, its calendar with three closure periods (and
// the decree days the calendar package knows, such as Friday 7 May 2027),
// and the exam committees' mandates.
// -data DIR reads the same files from a directory instead: calendar.json,
// directory.json, mandates.json and messages/YYYY-MM-DD_<association>.json,
// each message delivered on the day its name begins with, inside the term.
// The story needs its people: the enrolments sessie-kt1-0118-007, who
// complains, and sessie-kt2-0125-010 and sessie-kt1-0118-020, who appeal,
// each with a result delivered before the day they act, on a scale that
// takes the grades the story gives them. Data that the story does not fit,
// or with a file missing, empty or wrong, are refused before the term
// runs, naming the file or the ids and what was expected.
//
// Every working day it delivers that day's messages, has the people in the
// story act (a complaint upheld with a corrected grade, the committee
// approving late assessments, two appeals, of which one annuls the result
// and the exam committee's new decision is entered, on its decision
// reference, as a result that supersedes it), and does the daily run: the
// determinations under the standing mandate, and a message to the student
// of every change of their result's status (the provisional result, its
// determination, the decision on a complaint or an appeal, an annulment).
// It prints what happened, the first student message of each kind as the
// student reads it, the days off (a school holiday, a closure, a public
// holiday) that put a message off or a determination date later, and why,
// as the calendar explains them, the signals each Monday (what each role
// has to do that is due that day or overdue), and at the end a signed
// checkpoint that verifies and the counts of the term: among them the
// student messages of each kind, about two per result.
//
// By default the trail is kept in memory. -audit DIR keeps it on disk, in
// a file store (package audit/filestore) in DIR, which is made when
// missing, and writes beside it:
//
//	DIR/checkpoint    the signed checkpoint of the trail, written at the end
//	DIR/verifier.key  the key that verifies it, as note.NewVerifier reads it
//	DIR/signer.key    the private key that signs it (mode 0600): the next
//	                  run over DIR signs with the same key
//
// so that
//
//	go run ./examples/verify -log DIR -checkpoint DIR/checkpoint -key DIR/verifier.key
//
// checks the trail against the checkpoint. A file store is written by one
// process at a time: a second lifecycle on the same DIR stops, saying so
// (verify reads it read-only, and may run meanwhile).
//
// Run again over a DIR that holds a trail, lifecycle resumes it, as a
// restarted office does: it checks the trail against DIR/checkpoint, opens
// the office over the trail (vaststelling.Open), and does not do again what
// the trail holds. The days whose daily run is in the trail are not run
// again; their messages are sent again, as OKE sends a message whose
// receipt it did not get, and the office takes them as duplicates (or
// refuses them as it did the first time, or, for a result changed since,
// keeps them for a person): they change no result, which lifecycle checks
// and says, and are not counted twice. The rest of the term runs as
// usual, so a term that was interrupted is finished, and one that ran whole
// only gets a new checkpoint, of the trail grown by the deliveries sent
// again. The counts at the end are the term's, read from the trail.
//
// -postgres URL keeps the trail in that PostgreSQL database instead (package
// audit/sqlstore, driver github.com/jackc/pgx/v5/stdlib), in the tables
// NAME_records, NAME_hashes, NAME_size and NAME_snaps of -table NAME
// (default lifecycle), created when missing, and runs the term as a
// cluster does: two offices, each opened with vaststelling.Open over its
// own connection pool and its own store on the same tables, as two
// application servers would be. The k-th message goes to office k%2, the
// people's commands go to each in turn, and both offices try every daily
// run at the same moment: one holds the day, and the other is refused
// (vaststelling.ErrRunning) or, once the day is done, finds nothing left
// to do. At the end the trail is verified, folded again
// with audit.Rebuild, and counted by an office opened over it anew: the
// counts are those one office reaches. Run again with the same -table, it
// resumes the trail as a run over -audit DIR does. The trail is then not
// in a directory: -audit DIR given with -postgres keeps only DIR/checkpoint
// and the keys, and the next run checks the trail in the database against
// it; without -audit the key is made for the run and forgotten.
//
// -report DIR writes the day reports as JSON into DIR, and the reports read
// from the trail (package audit/report): the accountability report of each
// session, timeliness and the yearly evaluation, each as JSON (codes, with
// their words in Dutch and English), and in the language of the story as
// CSV, Markdown and a self-contained HTML page; timeliness also per month
// as CSV, and as an SVG chart. -h lists the files (reportHelp).
//
// Exit status 0 when the term ran and the trail verifies (and for -h, which
// prints the usage on standard output), 1 otherwise, with one line on
// standard error saying why, 2 for bad usage (the problem and the
// synopsis) or sample data that cannot be read or that the story does not
// fit, with one line naming what is wrong.
package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/mod/sumdb/note"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cli"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

//go:embed data
var sample embed.FS

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// The people in the story.
var (
	standing  = result.Actor{ID: "examenbureau", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}
	committee = result.Actor{ID: "ec-voorzitter", Role: timeline.ExamCommittee}
	board     = result.Actor{ID: "cbe-voorzitter", Role: timeline.AppealsBoard}
)

const synopsis = "lifecycle [-lang nl|en] [-data DIR] [-audit DIR] [-postgres URL [-table NAME]] [-report DIR]"

// about is what -h prints after the synopsis.
const about = `Runs a term of sample data through an exam office, day by day, from
2027-01-18 to 2027-05-31, and tells what happened, in Dutch (-lang nl, the
default) or in English (-lang en): the results OKE delivers, the messages
it refuses and the exceptions it raises, what the people do (a complaint,
the committee approving late assessments, two appeals), the daily run's
determinations, every message to a student (the first of each kind as the
student reads it), the days off that put them off, and each Monday the
signals: what each role has to do that is due that day or overdue. At the
end a signed checkpoint of the trail, the counts of the term, and the
yearly evaluation.

The data are the embedded sample (three exam sessions of 100 students),
or, with -data DIR, these files in DIR:
  calendar.json       the institution's calendar (see the calendar package)
  directory.json      the enrolments and components (see oke.LoadDirectory)
  mandates.json       the exam committees' mandates (see result.LoadMandates)
  messages/YYYY-MM-DD_<association>.json
                      the OKE flow-5 messages, each delivered on its day,
                      inside the term
The story needs its people: the enrolments sessie-kt1-0118-007 (who
complains on 2027-02-11), sessie-kt2-0125-010 and sessie-kt1-0118-020 (who
appeal on 2027-03-19), each with a result delivered before, on a scale of
grades 0.0-10.0. Data it does not fit are refused before the term runs,
naming what is missing.

The trail is kept in memory (neither flag), in a file store in DIR
(-audit DIR), or in a PostgreSQL database (-postgres URL, with two offices
on it); never in both.

With -audit DIR the trail is kept in a file store in DIR (made when
missing), with, beside it:
  DIR/checkpoint    the signed checkpoint, written at the end
  DIR/verifier.key  the key that verifies it
  DIR/signer.key    the private key that signs it (mode 0600; the next
                    run over DIR signs with it)
Check the trail against the checkpoint with
  go run ./examples/verify -log DIR -checkpoint DIR/checkpoint -key DIR/verifier.key

Run again over the same DIR, it resumes the trail, as a restarted office
does: the days whose daily run the trail holds are not run again; their
messages are sent again, as OKE does after a restart, and change nothing
(duplicates, or refused as before), and are counted once; the rest of the
term runs, and a new checkpoint is signed with the same key. For a fresh
term, use a new DIR. One process at a time: a second one on the same DIR
stops, saying so.

With -postgres URL (postgres://user:password@host:5432/db?sslmode=disable)
the trail is kept in that database, in the tables NAME_records,
NAME_hashes, NAME_size and NAME_snaps (-table NAME, created when missing),
and two offices share it, as two application servers would: each has its
own connections and store, the messages go to them in turn, the commands
too, and both try every daily run at the same moment (while one holds the
day, the other is refused and leaves it; after, it finds nothing left to
do). At the end the trail is verified and folded again, it prints what
each office did, and the counts are those of one office. Run again with
the same -table, it resumes the trail as above; for a fresh term, use a
new -table NAME. With -postgres, -audit DIR holds no trail: it keeps only
DIR/checkpoint and the keys (made when missing), and the next run checks
the trail in the database against DIR/checkpoint; without -audit the
checkpoint is signed with a key made for this run and printed.

` + reportHelp + `
Exit status 0 when the term ran and its trail verifies, 1 when it failed
(a database that cannot be reached, say), 2 for bad usage (the problem and
the synopsis on standard error) or data it cannot read or that the story
does not fit (one line naming the file and what it should hold).
`

// run runs the term and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	c := cli.New("lifecycle", synopsis, about, stdout, stderr)
	flags := c.Flags
	lang := flags.String("lang", "nl", "tell the story in `language` nl (Dutch) or en (English)")
	dataDir := flags.String("data", "", "read the sample data from `DIR` instead of the embedded set")
	auditDir := flags.String("audit", "", "keep the trail in a file store in `DIR`, made when missing; resume it when it holds one;\n"+
		"with -postgres, keep only the trail's checkpoint and keys in DIR")
	reportDir := flags.String("report", "", "write the day reports and the trail's reports into `DIR`, made when missing (see above)")
	postgres := flags.String("postgres", "", "keep the trail in the PostgreSQL database at `URL`, run by two offices; resume it when it holds one")
	table := flags.String("table", defaultTable, "with -postgres, the tables' prefix: `NAME`_records, NAME_hashes, NAME_size, NAME_snaps")
	if status, ok := c.Parse(args); !ok {
		return status
	}
	if flags.NArg() > 0 {
		return c.BadUsage("unexpected argument %q", flags.Arg(0))
	}
	for _, name := range []string{"data", "audit", "report"} {
		if c.Set(name) && flags.Lookup(name).Value.String() == "" {
			return c.BadUsage("-%s needs a directory", name)
		}
	}
	switch {
	case c.Set("postgres") && *postgres == "":
		return c.BadUsage("-postgres needs the URL of a database")
	case c.Set("table") && *table == "":
		return c.BadUsage("-table needs a name")
	case c.Set("table") && *postgres == "":
		return c.BadUsage("-table names the tables of -postgres: give -postgres URL too")
	}
	s, err := newStory(timeline.Language(*lang))
	if err != nil {
		return c.Fail(2, "-lang %q: unknown language; want nl or en", *lang)
	}
	data, shown := fs.FS(nil), "data"
	if *dataDir != "" {
		data, shown = os.DirFS(*dataDir), filepath.Clean(*dataDir)
		if err := cli.Dir(*dataDir, wantData); err != nil {
			return c.Fail(2, "-data %v", err)
		}
	} else {
		data, _ = fs.Sub(sample, "data")
	}
	d, err := readData(data, shown)
	if err != nil {
		return c.Fail(2, "%v", err)
	}
	if *reportDir != "" {
		if err := os.MkdirAll(*reportDir, 0o755); err != nil {
			return c.Fail(2, "-report %s: %v", *reportDir, err)
		}
	}
	ctx := context.Background()
	t, err := newTerm(ctx, d, trailFlags{audit: *auditDir, postgres: *postgres, table: *table}, stdout, s)
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			return c.Fail(2, "%v", err)
		}
		return c.Fail(1, "%v", err)
	}
	t.reports = *reportDir
	if err := t.run(ctx); err != nil {
		return c.Fail(1, "%v", err)
	}
	return 0
}

// A usageError is a call lifecycle cannot carry out: exit status 2.
type usageError struct{ error }

// trailFlags say where the trail is kept.
type trailFlags struct {
	audit    string // -audit DIR: the file store, or with -postgres the checkpoint and keys only
	postgres string // -postgres URL, or "" for no database
	table    string // -table NAME: the tables' prefix in the database
}

// defaultTable is the tables' prefix without -table.
const defaultTable = "lifecycle"

// How long lifecycle waits for the database to answer when it connects.
const connectTimeout = 10 * time.Second

// The files lifecycle writes beside the file store in -audit DIR.
const (
	checkpointFile = "checkpoint"
	verifierFile   = "verifier.key"
	signerFile     = "signer.key"
	keyName        = "examencommissie-roc-voorbeeld"
)

// A term is the story being run.
type term struct {
	out      io.Writer
	s        *story // what it prints, in the language of -lang
	en       *story // its errors, in English
	cal      *calendar.Calendar
	config   vaststelling.Config // every office's, but for its Log and Notifier
	offices  []*server           // one office, or two on one database
	store    audit.Store         // the trail, as the term reads it
	messages map[calendar.Date][]delivery
	reports  string // -report DIR, or "" for none
	closers  []func() error

	dayReports int // the day reports written to reports

	first, last calendar.Date // the term's first and last day

	dir    string // -audit DIR, or "" for no checkpoint kept
	pg     string // -postgres URL, or "" for a trail in memory or in DIR
	table  string // -table NAME, the tables' prefix in the database
	signer note.Signer
	vkey   string // the verifier key of signer

	delivered, commanded int // messages and commands handed out so far, in turn

	// Of a trail resumed: where it stood when opened.
	resumed  bool
	doneTo   calendar.Date // the last day whose daily run the trail holds
	trailEnd time.Time     // the moment of the trail's last record
	again    map[oke.Outcome]int
}

// A server runs one exam office of the term, as an application server
// does: over its own store of the trail, with its own Log and outbox.
type server struct {
	*vaststelling.Office
	log    *audit.Log
	outbox *vaststelling.Outbox

	name string // its Config.Server, stable across runs

	deliveries, commands int // what it was given
	ran, refused         int // daily runs it ran, and left to the other (ErrRunning)
}

// newTerm opens the trail and the offices over it, for the term on the
// data, told in the story's language.
func newTerm(ctx context.Context, data *sampleData, where trailFlags, out io.Writer, s *story) (_ *term, err error) {
	en, err := newStory(timeline.English)
	if err != nil {
		return nil, err
	}
	cal := data.cal
	t := &term{out: out, s: s, en: en, cal: cal, messages: data.messages,
		config: vaststelling.Config{Calendar: cal, Policies: timeline.DefaultPolicies(),
			Directory: data.directory, Mandates: data.mandates, Standing: standing,
			Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
				CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}},
		first: termFirst, last: termLast,
		dir: where.audit, pg: where.postgres, table: where.table, again: map[oke.Outcome]int{}}
	defer func() {
		if err != nil {
			t.close()
		}
	}()
	if err := t.openTrail(ctx); err != nil {
		return nil, err
	}
	for _, o := range t.offices {
		if o.Office, err = t.open(ctx, o.log, o.outbox, o.name); err != nil {
			return nil, err
		}
	}
	if t.resumed {
		t.doneTo = t.reader().LastRun()
	}
	return t, nil
}

// open opens an office over the trail, as a server starting does, named
// name among the offices on the trail ("" for a random name).
func (t *term) open(ctx context.Context, log *audit.Log, notifier vaststelling.Notifier, name string) (*vaststelling.Office, error) {
	cfg := t.config
	cfg.Log, cfg.Notifier, cfg.Server = log, notifier, name
	o, err := vaststelling.Open(ctx, cfg)
	if err != nil {
		if w := t.where(); w != "" {
			return nil, fmt.Errorf("%s: opening the office over its trail: %w", w, err)
		}
		return nil, err
	}
	return o, nil
}

// where names the trail in errors: "-audit DIR", "-postgres (-table NAME)",
// or "" for one in memory.
func (t *term) where() string {
	switch {
	case t.pg != "":
		return "-postgres (-table " + t.table + ")"
	case t.dir != "":
		return "-audit " + t.dir
	}
	return ""
}

// openTrail opens the trail: in memory, with a key for this run only; in
// the file store in t.dir, made when missing, with the key kept there; or
// in the database of t.pg, for two offices. A trail that holds records is
// resumed: it must still hold the checkpoint the last run left in t.dir.
func (t *term) openTrail(ctx context.Context) error {
	if t.pg != "" {
		return t.openPostgres(ctx)
	}
	if t.dir == "" {
		t.store = &audit.MemoryStore{}
		if err := t.runKey(); err != nil {
			return err
		}
		return t.addOffice(t.store)
	}
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return usageError{fmt.Errorf("-audit %s: %w", t.dir, err)}
	}
	s, err := filestore.Open(t.dir)
	switch {
	case errors.Is(err, filestore.ErrLocked):
		return fmt.Errorf("-audit %s: %w: another process is writing this trail; wait for it to end, or use another directory",
			t.dir, filestore.ErrLocked)
	case err != nil:
		return fmt.Errorf("-audit %s: %w", t.dir, err)
	}
	t.store, t.closers = s, append(t.closers, s.Close)
	if t.signer, t.vkey, err = signerKey(t.dir); err != nil {
		return fmt.Errorf("-audit %s: %w", t.dir, err)
	}
	if err := t.addOffice(t.store); err != nil {
		return fmt.Errorf("-audit %s: %w", t.dir, err)
	}
	if err := t.resume(ctx, "resumed.dir", t.dir); err != nil || !t.resumed {
		return err
	}
	return t.checkLastCheckpoint(ctx)
}

// openPostgres opens the trail in the database of t.pg, in the tables
// named with t.table (made when missing), for two offices, each with its
// own connection pool and store, as two servers have. The checkpoint and
// the keys are kept in t.dir when given.
func (t *term) openPostgres(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(t.pg)
	if err != nil {
		return usageError{fmt.Errorf("-postgres: not a database URL: %w", err)}
	}
	if t.dir != "" {
		if _, err := os.Stat(filepath.Join(t.dir, filestore.LogFile)); err == nil {
			return usageError{fmt.Errorf("-audit %s holds a file store's trail; with -postgres the trail is in the database, "+
				"and -audit DIR keeps only its checkpoint and keys: use another directory", t.dir)}
		}
		if err := os.MkdirAll(t.dir, 0o755); err != nil {
			return usageError{fmt.Errorf("-audit %s: %w", t.dir, err)}
		}
		if t.signer, t.vkey, err = signerKey(t.dir); err != nil {
			return fmt.Errorf("-audit %s: %w", t.dir, err)
		}
	} else if err := t.runKey(); err != nil {
		return err
	}
	for range 2 {
		db := stdlib.OpenDB(*cfg.Copy())
		t.closers = append(t.closers, db.Close)
		s, err := sqlstore.New(db, t.table)
		if err != nil {
			return usageError{fmt.Errorf("-table %s: %w", t.table, err)}
		}
		pctx, cancel := context.WithTimeout(ctx, connectTimeout)
		err = db.PingContext(pctx)
		cancel()
		if err != nil {
			return fmt.Errorf("-postgres: cannot reach the database: %w", err)
		}
		if err := s.Migrate(ctx); err != nil {
			return fmt.Errorf("-postgres: creating the tables %s_*: %w", t.table, err)
		}
		if err := t.addOffice(s); err != nil {
			return fmt.Errorf("%s: %w", t.where(), err)
		}
	}
	t.store = t.offices[0].log.Store()
	if err := t.resume(ctx, "resumed.tables", t.table); err != nil {
		return err
	}
	if t.dir == "" {
		return nil
	}
	return t.checkLastCheckpoint(ctx)
}

// addOffice adds an office over the store, to be opened once the trail is.
func (t *term) addOffice(s audit.Store) error {
	log, err := audit.NewLog(s)
	if err != nil {
		return err
	}
	t.offices = append(t.offices, &server{log: log, outbox: &vaststelling.Outbox{},
		name: fmt.Sprintf("lifecycle-%d", len(t.offices)+1)})
	return nil
}

// runKey makes a signer key for this run only.
func (t *term) runKey() error {
	skey, vkey, err := note.GenerateKey(rand.Reader, keyName)
	if err != nil {
		return err
	}
	if t.signer, err = note.NewSigner(skey); err != nil {
		return err
	}
	t.vkey = vkey
	return nil
}

// resume notes where a trail that holds records stood, and says so with
// the sentence key, of the trail in (a directory, or the tables' prefix):
// the term resumes it.
func (t *term) resume(ctx context.Context, key, in string) error {
	size, err := t.store.Size(ctx)
	if err != nil || size == 0 {
		if err != nil {
			err = fmt.Errorf("%s: %w", t.where(), err)
		}
		return err
	}
	t.resumed = true
	last, err := t.store.Records(ctx, size-1, size)
	if err != nil {
		return fmt.Errorf("%s: %w", t.where(), err)
	}
	t.trailEnd = last[0].Time
	t.say(key, size, in)
	return nil
}

// checkLastCheckpoint checks that the trail still holds what the last
// run's checkpoint in t.dir signed, when there is one (a run interrupted
// before its end left none).
func (t *term) checkLastCheckpoint(ctx context.Context) error {
	name := filepath.Join(t.dir, checkpointFile)
	msg, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		if t.resumed {
			t.say("checkpoint.none", name)
		}
		return nil
	}
	if err != nil {
		return err
	}
	v, err := note.NewVerifier(t.vkey)
	if err != nil {
		return err
	}
	c, err := audit.OpenCheckpoint(msg, note.VerifierList(v))
	if err != nil {
		return fmt.Errorf("%s does not verify with %s: %w", name, filepath.Join(t.dir, verifierFile), err)
	}
	if _, err := audit.Verify(ctx, t.store, &c); err != nil {
		return fmt.Errorf("%s: the trail does not hold the checkpoint in %s: %w", t.where(), name, err)
	}
	t.say("checkpoint.held", c.Size, name)
	return nil
}

// signerKey reads the signer key kept in dir, or makes one and keeps it
// there (mode 0600), and returns it with its verifier key, which it writes
// to dir as well.
func signerKey(dir string) (note.Signer, string, error) {
	name := filepath.Join(dir, signerFile)
	b, err := os.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		skey, _, err := note.GenerateKey(rand.Reader, keyName)
		if err != nil {
			return nil, "", err
		}
		if err := writeFile(name, []byte(skey+"\n"), 0o600); err != nil {
			return nil, "", err
		}
		b = []byte(skey)
	case err != nil:
		return nil, "", err
	}
	skey := strings.TrimSpace(string(b))
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("%s: not a signer key: %w", name, err)
	}
	vkey, err := verifierKey(skey)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", name, err)
	}
	if err := writeFile(filepath.Join(dir, verifierFile), []byte(vkey+"\n"), 0o644); err != nil {
		return nil, "", err
	}
	return signer, vkey, nil
}

// verifierKey returns the verifier key of an Ed25519 signer key, as
// note.GenerateKey would have returned it with skey.
func verifierKey(skey string) (string, error) {
	parts := strings.SplitN(skey, "+", 5) // the key data, in base64, may hold a +
	if len(parts) != 5 {
		return "", errors.New("not a signer key")
	}
	key, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != 1 {
		return "", errors.New("not an Ed25519 signer key")
	}
	vkey, err := note.NewEd25519VerifierKey(parts[2], ed25519.NewKeyFromSeed(key[1:]).Public().(ed25519.PublicKey))
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(vkey, parts[2]+"+"+parts[3]+"+") {
		return "", errors.New("the signer key's hash does not match its key")
	}
	return vkey, nil
}

// writeFile replaces the file name with data, whole or not at all.
func writeFile(name string, data []byte, perm os.FileMode) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, perm); err != nil {
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil { // whatever the umask
		return err
	}
	return os.Rename(tmp, name)
}

func (t *term) close() {
	for _, c := range t.closers {
		_ = c()
	}
	t.closers = nil
}

func (t *term) printf(format string, args ...any) { fmt.Fprintf(t.out, format, args...) }

// say prints the sentence key of the story on a line of its own.
func (t *term) say(key string, a ...any) { fmt.Fprintln(t.out, t.s.f(key, a...)) }

// line prints a line of day d: the day, then the sentence key.
func (t *term) line(d calendar.Date, key string, a ...any) {
	fmt.Fprintf(t.out, "%s  %s\n", d, t.s.f(key, a...))
}

// item prints a line under the line of a day, in a list.
func (t *term) item(text string) { fmt.Fprintf(t.out, "             - %s\n", text) }

func (t *term) at(d calendar.Date, hour int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, t.cal.Location())
}

// run runs the term from the first exam to the end of May.
func (t *term) run(ctx context.Context) error {
	defer t.close()
	t.say("term", t.first.String(), t.last.String(), t.count())
	t.say("legend")
	if len(t.offices) > 1 {
		t.say("cluster", len(t.offices), t.table)
	}
	t.printf("\n")
	d := t.first
	if t.resumed && !t.doneTo.Before(t.first) {
		// The days the trail holds: their messages come again, as OKE
		// sends a message whose receipt it did not get; nothing else.
		sent, notes := 0, []string(nil)
		before, err := t.store.Size(ctx)
		if err != nil {
			return err
		}
		for ; !d.After(t.doneTo) && !d.After(t.last); d = d.AddDays(1) {
			for _, m := range t.messages[d] {
				rc, err := t.deliver(ctx, m, t.at(d, 9))
				if err != nil {
					return err
				}
				t.again[rc.Outcome]++
				sent++
				if rc.Outcome != oke.Duplicate && len(rc.Reasons) > 0 {
					notes = append(notes, fmt.Sprintf("  %s %s: %s", m.id, t.s.outcome(rc.Outcome), t.s.reason(rc.Reasons[0])))
				}
			}
		}
		t.say("resume.upto", t.doneTo.String())
		t.say("resume.again", sent, t.s.outcomes(t.again))
		for _, n := range notes {
			t.printf("%s\n", n)
		}
		kept, changed, err := t.grown(ctx, before)
		if err != nil {
			return err
		}
		if changed == 0 {
			t.say("resume.kept", kept)
		} else {
			t.say("resume.kept.more", kept, changed)
		}
		t.printf("\n")
	}
	shown := map[timeline.MessageKind]bool{}
	blockedSeen := map[string]bool{}
	waiting, waitingWhy := 0, []string(nil) // results delivered on days off, and why those days were off
	for ; !d.After(t.last); d = d.AddDays(1) {
		accepted, again := 0, 0
		var exceptions []string
		for _, m := range t.messages[d] {
			rc, err := t.deliver(ctx, m, t.at(d, 9))
			if err != nil {
				return err
			}
			switch rc.Outcome {
			case oke.Duplicate:
				again++
				t.again[rc.Outcome]++
			case oke.Rejected:
				t.line(d, "rejected", m.id)
				for _, r := range rc.Reasons {
					t.item(t.s.reason(r))
				}
			case oke.Exception:
				exceptions = append(exceptions, m.id)
				for _, r := range rc.Reasons {
					kind, detail := t.exception(m.id, r)
					t.line(d, "exception", m.id, kind, detail)
				}
			default:
				accepted++
			}
		}
		if n := accepted + len(exceptions); n > 0 && len(exceptions) > 0 {
			t.line(d, "delivered.exceptions", n, len(exceptions))
		} else if n > 0 {
			t.line(d, "delivered", n)
		}
		if again > 0 {
			t.line(d, "duplicates", again)
		}
		// Deliveries come any day; people act and the daily run runs on
		// working days: a result delivered on a day off is told on the
		// next working day.
		if work, _ := t.cal.IsWorkday(d); !work {
			if n := accepted + len(exceptions); n > 0 {
				next, err := t.cal.NextWorkday(d)
				if err != nil {
					return err
				}
				why := t.s.dayOff(t.cal, d)
				t.line(d, "dayoff", why, next.String())
				waiting += n
				waitingWhy = append(waitingWhy, why)
			}
			continue
		}
		if err := t.script(ctx, d); err != nil {
			return err
		}
		rep, sent, err := t.dailyRun(ctx, t.at(d, 17))
		if err != nil {
			return err
		}
		if n := len(rep.Determined); n > 0 {
			t.line(d, "determined", n)
			if skipped := t.daysOffIn(rep.Determined); skipped != "" {
				t.item(t.s.f("determined.skipped", skipped))
			}
		}
		for _, b := range rep.Blocked {
			if !blockedSeen[b.Result] {
				blockedSeen[b.Result] = true
				t.line(d, "blocked", b.Result)
				for _, r := range b.Because {
					t.item(t.blockedReason(b.Result, r))
				}
			}
		}
		told := map[timeline.MessageKind]int{}
		for _, n := range sent {
			told[n.Kind]++
			// The first message of each kind, as the student reads it; a
			// trail resumed has sent some kinds already, and shows none.
			if !t.resumed && !shown[n.Kind] {
				shown[n.Kind] = true
				t.showNotice(n)
			}
		}
		for _, k := range timeline.MessageKinds() {
			if told[k] > 0 {
				t.line(d, t.toldKey(k), told[k])
			}
			if k == timeline.MessageProvisional && waiting > 0 && told[k] > 0 {
				t.line(d, "told.afterdayoff", min(waiting, told[k]), strings.Join(slices.Compact(waitingWhy), ", "))
			}
		}
		waiting, waitingWhy = 0, nil
		if err := t.writeReport(rep); err != nil {
			return err
		}
		if d.Weekday() == time.Monday {
			if err := t.signals(d); err != nil {
				return err
			}
		}
	}
	return t.finish(ctx)
}

// toldKey is the sentence that counts the students told of a kind of
// change: "told.final", or "told.other" for a kind this program does not
// know yet.
func (t *term) toldKey(k timeline.MessageKind) string {
	if key := "told." + string(k); t.s.has(key) {
		return key
	}
	return "told.other"
}

// exception says what exception a delivery of result id raised, in the
// story's words: its kind, and its detail.
func (t *term) exception(id string, r oke.Reason) (kind, detail string) {
	k := result.ExceptionKind(r.Code)
	return t.s.kind(k), t.exceptionDetail(id, k, r.Message)
}

// openException says what an exception open on result id is: its kind,
// its number and its detail, as the library's Exception.In does, with the
// detail in the story's words.
func (t *term) openException(id string, e *result.Exception) string {
	s := fmt.Sprintf("%s #%d", t.s.kind(e.Kind), e.ID)
	if d := t.exceptionDetail(id, e.Kind, e.Detail); d != "" {
		s += " (" + d + ")"
	}
	return s
}

// exceptionDetail says the detail of an exception of kind k on result id
// in the story's words: a late assessment as the timeline tells the
// conflict (the library's words); an enrolment ended by the state the
// directory gives it; others as the exception was raised, by the data
// (the assessor's report of an irregularity) or the library.
func (t *term) exceptionDetail(id string, k result.ExceptionKind, detail string) string {
	switch k {
	case result.LateAssessment:
		if res, ok := t.reader().Result(id); ok {
			if tl, err := t.reader().Timeline(&res); err == nil {
				for _, c := range tl.Conflicts {
					if c.Code == timeline.RegisteredLate || c.Code == timeline.CheckedLate {
						return c.MessageIn(t.s.lang)
					}
				}
			}
		}
	case result.EnrolmentEnded:
		if a, ok := t.config.Directory.Association(id); ok && t.s.has("enrolment."+a.State) {
			return t.s.f("enrolment."+a.State, id)
		}
	}
	return detail
}

// blockedReason says why result id was not determined, in the words the
// daily run gives the reason (vaststelling.Reason) in the story's
// language; for a check that failed, the check in the library's words,
// and for the result's status and its open exceptions what they are, with
// the exceptions' details in the story's words.
func (t *term) blockedReason(id string, r vaststelling.Reason) string {
	text := t.s.w(r.Words)
	c := result.Check(r.Code)
	if c.Words().English == r.Code {
		return text // not a check: the reason as the daily run words it
	}
	for _, prefix := range []string{r.Code + ": ", t.s.check(c) + ": "} {
		text = strings.TrimPrefix(text, prefix)
	}
	if res, ok := t.reader().Result(id); ok {
		switch c {
		case result.CheckStatus:
			text = t.s.f("blocked.state", t.s.state(res.State))
		case result.CheckExceptions:
			var open []string
			for _, e := range res.OpenExceptions() {
				open = append(open, t.openException(id, &e))
			}
			if len(open) > 0 {
				text = t.s.f("blocked.open", strings.Join(open, ", "))
			}
		}
	}
	return t.s.check(c) + ": " + text
}

// daysOffIn says which days off the terms of the results determined
// counted past: the holidays and closures on working weekdays between
// the day the binding rule counts from and the determination date, as
// the calendar explains the count. "" when there were none.
func (t *term) daysOffIn(ids []string) string {
	type countFrom struct {
		from calendar.Date
		n    int
	}
	seen := map[countFrom]bool{}
	var skips []calendar.Skip
	explain := func(c countFrom) {
		if seen[c] || c.n == 0 {
			return
		}
		seen[c] = true
		if e, err := t.cal.Explain(c.from, c.n); err == nil {
			skips = append(skips, e.Skipped...)
		}
	}
	for _, id := range ids {
		r, ok := t.reader().Result(id)
		if !ok {
			continue
		}
		tl, err := t.reader().Timeline(&r)
		if err != nil {
			continue
		}
		switch p := tl.Policy; tl.Binding {
		case timeline.AfterExam:
			explain(countFrom{tl.Exam, p.DeterminationTerm})
		case timeline.AfterRegistration:
			explain(countFrom{tl.Registered, p.ProvisionalTerm})
			if p.TailUnit == timeline.WorkingDays {
				if end, err := t.cal.AddWorkdays(tl.Registered, p.ProvisionalTerm); err == nil {
					explain(countFrom{end, p.ProvisionalTail})
				}
			}
		}
	}
	return t.s.skipped(skips)
}

// deliver hands a message to the next office in turn: the k-th to office
// k%2 of two.
func (t *term) deliver(ctx context.Context, m delivery, at time.Time) (oke.Receipt, error) {
	o := t.offices[t.delivered%len(t.offices)]
	t.delivered++
	o.deliveries++
	return o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: m.id, Body: m.body}, at)
}

// commander returns the office that takes the next command, in turn.
func (t *term) commander() *server {
	o := t.offices[t.commanded%len(t.offices)]
	t.commanded++
	o.commands++
	return o
}

// reader returns the office to read the results from: of two, the one
// that has folded the most of the trail. An office has folded every
// record up to its last append, which the other's may follow.
func (t *term) reader() *vaststelling.Office {
	r := t.offices[0].Office
	for _, o := range t.offices[1:] {
		if o.Size() > r.Size() {
			r = o.Office
		}
	}
	return r
}

// dailyRun has every office try the daily run at the same moment, as the
// servers' timers do, and returns what the runs did together, with the
// notices they sent, in the order each office sent them. An office that
// finds the other holding the day (vaststelling.ErrRunning) leaves the day
// to it.
func (t *term) dailyRun(ctx context.Context, now time.Time) (vaststelling.DayReport, []vaststelling.Notice, error) {
	reps := make([]vaststelling.DayReport, len(t.offices))
	errs := make([]error, len(t.offices))
	before := make([]int, len(t.offices))
	for i, o := range t.offices {
		before[i] = len(o.outbox.Notices())
	}
	var wg sync.WaitGroup
	for i, o := range t.offices {
		wg.Go(func() { reps[i], errs[i] = o.DailyRun(ctx, now) })
	}
	wg.Wait()
	ran := 0
	for i, err := range errs {
		switch {
		case err == nil:
			t.offices[i].ran++
			ran++
		case len(t.offices) > 1 && errors.Is(err, vaststelling.ErrRunning):
			t.offices[i].refused++
			reps[i] = vaststelling.DayReport{Day: reps[i].Day}
		case len(t.offices) > 1:
			return vaststelling.DayReport{}, nil, fmt.Errorf("office %d: %w", i+1, err)
		default:
			return vaststelling.DayReport{}, nil, err
		}
	}
	if ran == 0 {
		return vaststelling.DayReport{}, nil, fmt.Errorf("no office ran the daily run of %s: %w", reps[0].Day, errors.Join(errs...))
	}
	all := vaststelling.DayReport{Day: reps[0].Day}
	var sent []vaststelling.Notice
	blocked, failed := map[string]bool{}, map[string]bool{}
	for i, rep := range reps {
		// A result determined by both runs is counted twice, so that it shows.
		all.Determined = append(all.Determined, rep.Determined...)
		all.Notified = append(all.Notified, rep.Notified...)
		for _, b := range rep.Blocked {
			if !blocked[b.Result] {
				blocked[b.Result] = true
				all.Blocked = append(all.Blocked, b)
			}
		}
		for _, b := range rep.Failed {
			if !failed[b.Result] {
				failed[b.Result] = true
				all.Failed = append(all.Failed, b)
			}
		}
		sent = append(sent, t.offices[i].outbox.Notices()[before[i]:]...)
	}
	sort.Strings(all.Determined)
	sort.Strings(all.Notified)
	sort.Slice(all.Blocked, func(i, j int) bool { return all.Blocked[i].Result < all.Blocked[j].Result })
	sort.Slice(all.Failed, func(i, j int) bool { return all.Failed[i].Result < all.Failed[j].Result })
	return all, sent, nil
}

func (t *term) count() int {
	n := 0
	for _, ms := range t.messages {
		n += len(ms)
	}
	return n
}

// The reasons the people give, as they record them in the trail: in
// Dutch, the institution's language, whatever the language of the story;
// the student messages quote them as written.
const (
	reasonLate       = "de examinator was ziek; de teamleider heeft het bevestigd"
	reasonEnded      = "het resultaat blijft staan in het dossier van de student"
	reasonComplaint  = "vraag 4 is nagekeken met het verkeerde antwoordmodel"
	reasonNotUpheld  = "de beoordeling volgde de gepubliceerde criteria"
	reasonUpheld     = "de beoordelingscriteria zijn niet op tijd gepubliceerd"
	successorRef     = "EC-ICT-2027-031"
	zorgCrebo        = "25491" // whose exam committee mandates closing a canceled enrolment's exception
	complaintDecided = "2027-02-17"
	appealsDecided   = "2027-04-13"
	successorEntered = "2027-04-20"
)

// script is what the people in the story do on a day.
func (t *term) script(ctx context.Context, d calendar.Date) error {
	// do has the actor give the command on result id at the hour, and says
	// so with the sentence key of the story.
	do := func(id string, cmd result.Command, actor result.Actor, hour int, key string, a ...any) error {
		at := t.at(d, hour)
		// A trail resumed in the middle of a day may hold this already:
		// the result changed at or after this moment.
		if r, ok := t.reader().Result(id); ok && !t.trailEnd.Before(at) && !r.Updated.Before(at) {
			t.line(d, "did.already", id, t.s.f(key, a...))
			return nil
		}
		if _, err := t.commander().Do(ctx, id, cmd, actor, at); err != nil {
			return fmt.Errorf("%s: %s: %s: %w", d, id, t.en.f(key, a...), err)
		}
		t.line(d, "did", id, t.s.f(key, a...))
		return nil
	}
	// The morning after, the committee approves every late assessment, and
	// the exam office, under its mandate where it has one, closes the
	// results of enrolments canceled meanwhile.
	for _, id := range t.reader().Results() {
		r, _ := t.reader().Result(id)
		for _, e := range r.OpenExceptions() {
			if !e.Raised.Before(t.at(d, 0)) {
				continue
			}
			switch {
			case e.Kind == result.LateAssessment:
				if err := do(id, result.Command{Action: result.ResolveException, ExceptionID: e.ID,
					Outcome: result.Approved, Reason: reasonLate}, committee, 8, "do.late"); err != nil {
					return err
				}
			case e.Kind == result.EnrolmentEnded && r.Crebo == zorgCrebo:
				if err := do(id, result.Command{Action: result.ResolveException, ExceptionID: e.ID,
					Outcome: result.Approved, Reason: reasonEnded}, standing, 8, "do.ended"); err != nil {
					return err
				}
			}
		}
	}
	student := func(id string) result.Actor {
		r, _ := t.reader().Result(id)
		return result.Actor{ID: r.Student, Role: timeline.Student}
	}
	switch d.String() {
	case complaintDay.String():
		return do(complainer, result.Command{Action: result.LodgeComplaint}, student(complainer), 14, "do.complaint")
	case complaintDecided:
		r, _ := t.reader().Result(complainer)
		g, err := result.ParseGrade(r.Grade.Scale(), "6.0")
		if err != nil {
			return err
		}
		return do(complainer, result.Command{Action: result.DecideComplaint, Outcome: result.Upheld,
			Reason: reasonComplaint, Grade: g}, committee, 11, "do.complaint.upheld",
			t.s.w(r.Words()), t.s.w(result.GradeWords(g, r.Attendance)))
	case appealDay.String():
		for _, id := range []string{appellant, annulled} {
			if err := do(id, result.Command{Action: result.LodgeAppeal}, student(id), 15, "do.appeal"); err != nil {
				return err
			}
		}
	case appealsDecided:
		if err := do(appellant, result.Command{Action: result.DecideAppeal, Outcome: result.NotUpheld,
			Reason: reasonNotUpheld}, board, 10, "do.appeal.notupheld"); err != nil {
			return err
		}
		return do(annulled, result.Command{Action: result.DecideAppeal, Outcome: result.Upheld,
			Reason: reasonUpheld}, board, 11, "do.appeal.upheld")
	case successorEntered:
		r, _ := t.reader().Result(annulled)
		g, err := result.ParseGrade(r.Grade.Scale(), "5.8")
		if err != nil {
			return err
		}
		rec := r.Successor(annulled+"-2", g, result.Manual)
		if err := do(rec.ID, result.Command{Action: result.Receive, Record: &rec, Decision: successorRef}, standing, 9,
			"do.successor", annulled, successorRef); err != nil {
			return err
		}
		return do(rec.ID, result.Command{Action: result.Register}, standing, 10, "do.registered")
	}
	return nil
}

// showNotice prints a student message as the student reads it, in the
// language of the story.
func (t *term) showNotice(n vaststelling.Notice) {
	text := n.Dutch
	if t.s.lang == timeline.English {
		text = n.English
	}
	t.printf("\n  %s\n", t.s.f("first."+t.noticeKey(n.Kind), n.Student, n.Result))
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		t.printf("  | %s\n", line)
	}
	t.printf("\n")
}

// noticeKey is the kind as the story's sentences name it: the kind, or
// "other" for a kind this program does not know yet.
func (t *term) noticeKey(k timeline.MessageKind) string {
	if t.s.has("first." + string(k)) {
		return string(k)
	}
	return "other"
}

// signals prints what is due today or overdue at the start of day d, per
// role and task: how many results ask it, and how many of them are past
// their term.
func (t *term) signals(d calendar.Date) error {
	m, err := t.reader().Monitor(t.at(d, 8))
	if err != nil {
		return err
	}
	if len(m.All) == 0 {
		return nil
	}
	type group struct {
		role timeline.Role
		task timeline.Task
	}
	tasks := []timeline.Task{timeline.AssessResult, timeline.RegisterResult, timeline.DetermineResult,
		timeline.DecideComplaint, timeline.DecideAppeal, timeline.ResolveException}
	order := func(k timeline.Task) int {
		if i := slices.Index(tasks, k); i >= 0 {
			return i
		}
		return len(tasks)
	}
	all, overdue := map[group]int{}, map[group]int{}
	for _, sg := range m.All {
		g := group{sg.Role, sg.Task}
		all[g]++
		if sg.Overdue {
			overdue[g]++
		}
	}
	groups := slices.SortedFunc(maps.Keys(all), func(a, b group) int {
		if a.role != b.role {
			return int(a.role) - int(b.role)
		}
		if c := order(a.task) - order(b.task); c != 0 {
			return c
		}
		return strings.Compare(string(a.task), string(b.task))
	})
	t.line(d, "signals")
	for _, g := range groups {
		n, late := all[g], overdue[g]
		var when string
		switch {
		case late == 0:
			when = t.s.f("signal.today", n)
		case late == n:
			when = t.s.f("signal.overdue", n)
		default:
			when = t.s.f("signal.some", late)
		}
		t.item(t.s.f("signal", t.s.role(g.role), t.s.task(g.task), n, when))
	}
	return nil
}

func (t *term) writeReport(rep vaststelling.DayReport) error {
	if t.reports == "" || len(rep.Determined)+len(rep.Blocked)+len(rep.Notified) == 0 {
		return nil
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(t.reports, "day-"+rep.Day.String()+".json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("-report: %w", err)
	}
	t.dayReports++
	return nil
}

// finish signs a checkpoint, verifies the trail against it, keeps it in
// -audit DIR, folds the trail again, and prints the counts of the term,
// read from the trail. Of two offices, the counts are read by a third,
// opened over the trail now as a server that starts is.
func (t *term) finish(ctx context.Context) error {
	verifier, err := note.NewVerifier(t.vkey)
	if err != nil {
		return err
	}
	office, log := t.offices[0].Office, t.offices[0].log
	if len(t.offices) > 1 {
		if log, err = audit.NewLog(t.store); err != nil {
			return err
		}
		if office, err = t.open(ctx, log, &vaststelling.Outbox{}, ""); err != nil {
			return err
		}
	}
	c, err := log.Checkpoint(ctx, "roc-voorbeeld.nl/examens", t.at(t.last, 18))
	if err != nil {
		return err
	}
	signed, err := c.Sign(t.signer)
	if err != nil {
		return err
	}
	opened, err := audit.OpenCheckpoint(signed, note.VerifierList(verifier))
	if err != nil {
		return err
	}
	rep, err := audit.Verify(ctx, t.store, &opened)
	if err != nil {
		return err
	}
	t.printf("\n")
	if t.dir == "" {
		t.say("checkpoint.signed", t.vkey)
	} else {
		name := filepath.Join(t.dir, checkpointFile)
		if err := writeFile(name, signed, 0o644); err != nil {
			return err
		}
		t.say("checkpoint.written", name, t.vkey, filepath.Join(t.dir, verifierFile))
	}
	t.printf("%s", signed)
	t.say("trail", rep.String())
	if t.dir != "" && t.pg == "" {
		t.say("checkit", t.dir, filepath.Join(t.dir, checkpointFile), filepath.Join(t.dir, verifierFile))
	}
	if err := t.refold(ctx, office); err != nil {
		return err
	}
	if len(t.offices) > 1 {
		t.say("offices")
		for i, o := range t.offices {
			runs := t.s.f("office.noruns")
			if o.ran+o.refused > 0 {
				runs = t.s.f("office.runs", o.ran+o.refused, o.ran, o.refused)
			}
			t.say("office", i+1, o.deliveries, o.commands, runs)
		}
	}

	states := map[result.State]int{}
	for _, id := range office.Results() {
		r, _ := office.Result(id)
		states[r.State]++
	}
	// Every delivery is in the trail, those sent again too: count each
	// message once.
	seen := map[string]bool{}
	deliveries, rejected, again := 0, 0, 0
	err = office.Deliveries(ctx, func(k oke.Kept) error {
		key := string(k.Delivery.Method) + " " + k.Delivery.AssociationID + "\n" + string(k.Delivery.Body)
		if k.Receipt.Outcome == oke.Duplicate || seen[key] {
			again++
			return nil
		}
		seen[key] = true
		deliveries++
		if k.Receipt.Outcome == oke.Rejected {
			rejected++
		}
		return nil
	})
	if err != nil {
		return err
	}
	notified, determined, err := t.runs(ctx)
	if err != nil {
		return err
	}
	for _, id := range office.Results() {
		if r, _ := office.Result(id); r.State == result.Provisional || r.State == result.OnHold {
			tl, err := office.Timeline(&r)
			if err != nil {
				return err
			}
			var open []string
			for _, e := range r.OpenExceptions() {
				open = append(open, t.openException(id, &e))
			}
			if len(open) == 0 {
				t.say("open", id, t.s.state(r.State), tl.DeterminationDue.String())
			} else {
				t.say("open.exceptions", id, t.s.state(r.State), tl.DeterminationDue.String(), strings.Join(open, ", "))
			}
		}
	}
	t.printf("\n")
	t.say("numbers")
	t.say("numbers.deliveries", deliveries, rejected, len(office.Results()))
	if again > 0 {
		t.say("numbers.again", again)
	}
	t.say("numbers.notices", t.byKind(notified))
	t.say("numbers.determined", determined)
	width := 0
	for _, st := range result.States() {
		if states[st] > 0 {
			width = max(width, utf8.RuneCountInString(t.s.state(st)))
		}
	}
	for _, st := range result.States() {
		if states[st] > 0 {
			name := t.s.state(st)
			t.printf("  %s%s %d\n", name, strings.Repeat(" ", width-utf8.RuneCountInString(name)), states[st])
		}
	}
	if len(rep.Erased) > 0 {
		return errors.New("unexpected erased records")
	}
	return t.evaluate(ctx, office)
}

// refold folds the trail into results again (audit.Rebuild) and checks
// that it gives the office's: the same results, each in the same state.
func (t *term) refold(ctx context.Context, office *vaststelling.Office) error {
	rebuilt, err := audit.Rebuild(ctx, t.store, t.cal.Location())
	if err != nil {
		return fmt.Errorf("the trail does not fold into results again: %w", err)
	}
	ids := office.Results()
	if len(rebuilt.Results) != len(ids) {
		return fmt.Errorf("the trail folds into %d results, the office holds %d", len(rebuilt.Results), len(ids))
	}
	for _, id := range ids {
		r, _ := office.Result(id)
		if b, ok := rebuilt.Results[id]; !ok || b.State != r.State {
			return fmt.Errorf("result %s: the trail folds into %s, the office holds it %s", id, b.State, r.State)
		}
	}
	t.say("refolded", len(ids))
	return nil
}

// grown counts the records the trail holds from position from on: the
// deliveries kept, and the others.
func (t *term) grown(ctx context.Context, from int64) (deliveries, others int, err error) {
	size, err := t.store.Size(ctx)
	if err != nil {
		return 0, 0, err
	}
	records, err := t.store.Records(ctx, from, size)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range records {
		if r.Result == "" && r.Type == vaststelling.EntryDelivery {
			deliveries++
		} else {
			others++
		}
	}
	return deliveries, others, nil
}

// runs reads from the trail the student messages sent, by kind, and the
// results the daily runs determined: of the whole term, whichever run did
// them.
func (t *term) runs(ctx context.Context) (notified map[timeline.MessageKind]int, determined int, err error) {
	size, err := t.store.Size(ctx)
	if err != nil {
		return nil, 0, err
	}
	notified = map[timeline.MessageKind]int{}
	const chunk = 1024
	for from := int64(0); from < size; from += chunk {
		records, err := t.store.Records(ctx, from, min(from+chunk, size))
		if err != nil {
			return nil, 0, err
		}
		for _, r := range records {
			switch {
			case r.Result != "":
			case r.Type == vaststelling.EntryNoticeSent:
				var sent struct{ Kind timeline.MessageKind }
				if err := json.Unmarshal(r.Payload, &sent); err != nil {
					return nil, 0, fmt.Errorf("the notice in record %d: %w", r.Index, err)
				}
				notified[sent.Kind]++
			case r.Type == vaststelling.EntryDailyRun:
				var run struct{ Determined int }
				if err := json.Unmarshal(r.Payload, &run); err != nil {
					return nil, 0, fmt.Errorf("the daily run in record %d: %w", r.Index, err)
				}
				determined += run.Determined
			}
		}
	}
	return notified, determined, nil
}

// byKind says how many student messages of each kind were sent, in the
// order of the procedure: "602: provisional result 301, final 298, …".
func (t *term) byKind(n map[timeline.MessageKind]int) string {
	kinds := timeline.MessageKinds()
	for _, k := range slices.Sorted(maps.Keys(n)) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k) // a kind this program does not know, last
		}
	}
	total, parts := 0, []string(nil)
	for _, k := range kinds {
		if n[k] > 0 {
			total += n[k]
			parts = append(parts, t.s.f("kind.count", t.s.notice(k), n[k]))
		}
	}
	if total == 0 {
		return "0"
	}
	return t.s.f("kinds", total, strings.Join(parts, ", "))
}

// evaluate prints the yearly evaluation read from the trail and, with
// -report, writes every report: per session, timeliness, evaluation.
func (t *term) evaluate(ctx context.Context, office *vaststelling.Office) error {
	ev, err := report.Evaluation(ctx, t.store, report.SchoolYear(2026, t.cal.Location()))
	if err != nil {
		return err
	}
	tot := ev.Total
	t.printf("\n")
	t.say("evaluation", "2026–2027")
	t.say("evaluation.results", tot.Results, tot.Determined, tot.Early, tot.Corrections.Total)
	t.say("evaluation.decisions", tot.Complaints.Lodged, tot.Complaints.Upheld, tot.Appeals.Lodged, tot.Appeals.Upheld,
		tot.Exceptions, tot.Irregularities)
	for _, row := range ev.ByComponent {
		t.say("evaluation.component", row.Key, row.Results, row.Determined)
	}
	if t.reports == "" {
		return nil
	}
	tl, err := report.Timeliness(ctx, t.store, t.cal, timeline.DefaultPolicies(), t.at(termLast, 18))
	if err != nil {
		return err
	}
	reports := map[string]reportWriter{"evaluation": ev, "timeliness": tl}
	sessions := map[string]bool{}
	for _, id := range office.Results() {
		r, _ := office.Result(id)
		sessions[r.Offering] = true
	}
	for offering := range sessions {
		acc, err := report.Accountability(ctx, t.store, t.cal, offering)
		if err != nil {
			return err
		}
		reports["session-"+offering] = acc
	}
	lang := t.s.lang
	files := map[string]func(io.Writer) error{
		"timeliness-months.csv": func(w io.Writer) error { return tl.WriteMonthsCSV(w, lang) },
		"timeliness.svg": func(w io.Writer) error {
			_, err := w.Write(report.TimelinessChart(tl, lang))
			return err
		},
	}
	for name, r := range reports {
		files[name+".json"] = func(w io.Writer) error {
			j, err := r.JSON()
			if err == nil {
				_, err = w.Write(j)
			}
			return err
		}
		files[name+".csv"] = func(w io.Writer) error { return r.WriteCSV(w, lang) }
		files[name+".md"] = func(w io.Writer) error { return r.WriteMarkdown(w, lang) }
		files[name+".html"] = func(w io.Writer) error { return r.WriteHTML(w, lang) }
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		var b bytes.Buffer
		if err := files[name](&b); err != nil {
			return fmt.Errorf("-report: %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(t.reports, name), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("-report: %w", err)
		}
	}
	t.printf("\n")
	t.say("reports", len(files)+t.dayReports, t.reports)
	return nil
}

// A reportWriter is a report of package audit/report: as JSON (codes,
// with the words in Dutch and English beside them), and for people in a
// language as CSV, Markdown and a self-contained HTML page.
type reportWriter interface {
	JSON() ([]byte, error)
	WriteCSV(io.Writer, timeline.Language) error
	WriteMarkdown(io.Writer, timeline.Language) error
	WriteHTML(io.Writer, timeline.Language) error
}

// reportHelp says in -h what -report DIR writes, the files evaluate and
// writeReport write.
const reportHelp = `With -report DIR (made when missing) it writes into DIR, the reports for
people in the language of -lang:
  day-YYYY-MM-DD.json       what the daily run of the day did (determined,
                            blocked and why, students told), for each
                            working day it did something: JSON
  evaluation.json           the yearly evaluation of the school year 2026–2027:
                            JSON, with every code's words in Dutch and English
  evaluation.csv .md .html  the same for people: CSV, Markdown, and a
                            self-contained HTML page, printable on A4
  timeliness.json .csv .md .html
                            the timeliness of every term, per result
  timeliness-months.csv     the same per month of the exam date
  timeliness.svg            its chart per month (also inside the HTML page)
  session-<offering>.json .csv .md .html
                            the accountability report (zittingsverslag)
                            of each exam session
`
