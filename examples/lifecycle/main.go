// Lifecycle runs the whole procedure on sample data, day by day through a
// term, and prints a readable account of it: the main job of the library.
//
// Usage:
//
//	lifecycle [-audit DIR] [-postgres URL [-table NAME]] [-data DIR] [-report DIR]
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
// each message delivered on the day its name begins with.
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
// student reads it, the signals each Monday, and at the end a signed
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
// from the trail: the accountability report of each session, timeliness
// (with an SVG chart per month) and the yearly evaluation, each as JSON,
// CSV and Markdown.
//
// Exit status 0 when the term ran and the trail verifies (and for -h, which
// prints the usage on standard output), 1 otherwise, with one line on
// standard error saying why, 2 for bad usage or sample data that cannot be
// read, with one line naming what is wrong.
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
	"flag"
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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/mod/sumdb/note"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
	"github.com/krs-oke/vaststelling/calendar"
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

// usage is what -h prints.
const usage = `usage: lifecycle [-audit DIR] [-postgres URL [-table NAME]] [-data DIR] [-report DIR]

Runs a term of sample data through an exam office, day by day, and prints
what happened (with the first student message of each kind: the student is
told of every change of a result's status), a signed checkpoint of the
trail, and the term's counts.

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

Exit status 0 when the term ran and its trail verifies, 1 when it failed
(a database that cannot be reached, say), 2 for bad usage; an error is one
line on standard error.

Flags:
`

// run runs the term and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lifecycle", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // one line of ours for a bad flag, not flag's usage
	flags.Usage = func() {}
	dataDir := flags.String("data", "", "read the sample data from `DIR` instead of the embedded set")
	auditDir := flags.String("audit", "", "keep the trail in a file store in `DIR`, made when missing; resume it when it holds one;\n"+
		"with -postgres, keep only the trail's checkpoint and keys in DIR")
	reportDir := flags.String("report", "", "write the day reports and the trail's reports into `DIR`, made when missing")
	postgres := flags.String("postgres", "", "keep the trail in the PostgreSQL database at `URL`, run by two offices; resume it when it holds one")
	table := flags.String("table", defaultTable, "with -postgres, the tables' prefix: `NAME`_records, NAME_hashes, NAME_size, NAME_snaps")
	fail := func(status int, format string, a ...any) int {
		fmt.Fprintf(stderr, "lifecycle: %s\n", oneLine(fmt.Sprintf(format, a...)))
		return status
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			flags.SetOutput(stdout)
			flags.PrintDefaults()
			return 0
		}
		return fail(2, "%v (see lifecycle -h)", err)
	}
	if flags.NArg() > 0 {
		return fail(2, "unexpected argument %q (see lifecycle -h)", flags.Arg(0))
	}
	set := map[string]bool{}
	flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"data", "audit", "report"} {
		if set[name] && flags.Lookup(name).Value.String() == "" {
			return fail(2, "-%s needs a directory (see lifecycle -h)", name)
		}
	}
	switch {
	case set["postgres"] && *postgres == "":
		return fail(2, "-postgres needs the URL of a database (see lifecycle -h)")
	case set["table"] && *table == "":
		return fail(2, "-table needs a name (see lifecycle -h)")
	case set["table"] && *postgres == "":
		return fail(2, "-table names the tables of -postgres: give -postgres URL too (see lifecycle -h)")
	}
	data, dataName := fs.FS(nil), "the embedded data"
	if *dataDir != "" {
		dataName = "-data " + *dataDir
		if fi, err := os.Stat(*dataDir); err != nil || !fi.IsDir() {
			return fail(2, "-data %s: not a directory of sample data", *dataDir)
		}
		data = os.DirFS(*dataDir)
	} else {
		data, _ = fs.Sub(sample, "data")
	}
	if *reportDir != "" {
		if err := os.MkdirAll(*reportDir, 0o755); err != nil {
			return fail(2, "-report %s: %v", *reportDir, err)
		}
	}
	ctx := context.Background()
	t, err := newTerm(ctx, data, dataName, trailFlags{audit: *auditDir, postgres: *postgres, table: *table}, stdout)
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			return fail(2, "%v", err)
		}
		return fail(1, "%v", err)
	}
	t.reports = *reportDir
	if err := t.run(ctx); err != nil {
		return fail(1, "%v", err)
	}
	return 0
}

// oneLine puts an error that spans lines, as a driver's may (one line per
// attempt to connect), on one, each line once.
func oneLine(msg string) string {
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
	cal      *calendar.Calendar
	config   vaststelling.Config // every office's, but for its Log and Notifier
	offices  []*server           // one office, or two on one database
	store    audit.Store         // the trail, as the term reads it
	messages map[calendar.Date][]delivery
	reports  string
	closers  []func() error

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

type delivery struct {
	id   string
	body []byte
}

// newTerm reads the data (named in errors by dataName) and opens the
// trail and the offices over it.
func newTerm(ctx context.Context, data fs.FS, dataName string, where trailFlags, out io.Writer) (_ *term, err error) {
	cal, err := load(data, "calendar.json", calendar.Load)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", dataName, err)}
	}
	dir, err := load(data, "directory.json", oke.LoadDirectory)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", dataName, err)}
	}
	mandates, err := load(data, "mandates.json", result.LoadMandates)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", dataName, err)}
	}
	t := &term{out: out, cal: cal, messages: map[calendar.Date][]delivery{},
		config: vaststelling.Config{Calendar: cal, Policies: timeline.DefaultPolicies(),
			Directory: dir, Mandates: mandates, Standing: standing,
			Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
				CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}},
		first: calendar.Date{Year: 2027, Month: time.January, Day: 18}, last: calendar.Date{Year: 2027, Month: time.May, Day: 31},
		dir: where.audit, pg: where.postgres, table: where.table, again: map[oke.Outcome]int{}}
	if err := t.readMessages(data); err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", dataName, err)}
	}
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

// readMessages reads the OKE messages of the data, by the day they come.
func (t *term) readMessages(data fs.FS) error {
	entries, err := fs.ReadDir(data, "messages")
	if err != nil {
		return err
	}
	for _, e := range entries {
		day, id, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".json"), "_")
		d, err := calendar.ParseDate(day)
		if !ok || err != nil {
			return fmt.Errorf("messages/%s: want YYYY-MM-DD_<association>.json", e.Name())
		}
		body, err := fs.ReadFile(data, "messages/"+e.Name())
		if err != nil {
			return err
		}
		t.messages[d] = append(t.messages[d], delivery{id: id, body: body})
	}
	return nil
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
	if err := t.resume(ctx, t.dir); err != nil || !t.resumed {
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
	if err := t.resume(ctx, "the tables "+t.table+"_* of the database"); err != nil {
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

// resume notes where a trail that holds records stood: the term resumes
// it.
func (t *term) resume(ctx context.Context, in string) error {
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
	t.printf("Resumed the trail of %d records in %s.\n", size, in)
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
			t.printf("There is no checkpoint of it yet (%s): the run that made it did not finish.\n", name)
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
	t.printf("It holds the checkpoint the last run signed (%d records, %s).\n", c.Size, name)
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

// load reads one file of the data with the package's loader.
func load[T any](data fs.FS, name string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := data.Open(name)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

func (t *term) printf(format string, args ...any) { fmt.Fprintf(t.out, format, args...) }

func (t *term) at(d calendar.Date, hour int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, t.cal.Location())
}

// run runs the term from the first exam to the end of May.
func (t *term) run(ctx context.Context) error {
	defer t.close()
	t.printf("Term from %s to %s, %d messages to deliver.\n", t.first, t.last, t.count())
	if len(t.offices) > 1 {
		t.printf("%d offices share the trail, in the tables %s_* of one PostgreSQL database: the messages go to them in turn,\n"+
			"the commands too, and both try every daily run at the same moment.\n", len(t.offices), t.table)
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
					notes = append(notes, fmt.Sprintf("  %s %s: %s", m.id, rc.Outcome, rc.Reasons[0]))
				}
			}
		}
		t.printf("The trail holds the term up to the daily run of %s: those days are not run again.\n", t.doneTo)
		t.printf("Their %d messages sent again, as OKE does after a restart: %s.\n", sent, outcomes(t.again))
		for _, n := range notes {
			t.printf("%s\n", n)
		}
		kept, changed, err := t.grown(ctx, before)
		if err != nil {
			return err
		}
		if changed == 0 {
			t.printf("The trail kept them as deliveries (%d records); no result changed.\n\n", kept)
		} else {
			t.printf("The trail kept them as deliveries (%d records), with %d other records.\n\n", kept, changed)
		}
	}
	shown := map[timeline.MessageKind]bool{}
	blockedSeen := map[string]bool{}
	for ; !d.After(t.last); d = d.AddDays(1) {
		accepted, exceptions, again := 0, 0, 0
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
				t.printf("%s  rejected %s:\n", d, m.id)
				for _, r := range rc.Reasons {
					t.printf("             - %s\n", r)
				}
			case oke.Exception:
				exceptions++
				for _, r := range rc.Reasons {
					t.printf("%s  exception on %s: %s: %s\n", d, m.id, r.Code, r.Message)
				}
			default:
				accepted++
			}
		}
		if accepted+exceptions > 0 {
			t.printf("%s  %s delivered, %d with an exception\n", d, plural(accepted+exceptions, "result"), exceptions)
		}
		if again > 0 {
			t.printf("%s  %s the trail already held, taken as duplicates\n", d, plural(again, "message"))
		}
		// Deliveries come any day; people act and the daily run runs on working days.
		if work, _ := t.cal.IsWorkday(d); !work {
			continue
		}
		if err := t.script(ctx, d); err != nil {
			return err
		}
		rep, sent, err := t.dailyRun(ctx, t.at(d, 17))
		if err != nil {
			return err
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
				t.printf("%s  %s told %s\n", d, plural(told[k], "student"), toldOf[k].count)
			}
		}
		if n := len(rep.Determined); n > 0 {
			t.printf("%s  %s determined under the standing mandate\n", d, plural(n, "result"))
		}
		for _, b := range rep.Blocked {
			if !blockedSeen[b.Result] {
				blockedSeen[b.Result] = true
				t.printf("%s  not determined: %s\n", d, b.Result)
				for _, r := range b.Reasons {
					t.printf("             - %s\n", r)
				}
			}
		}
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

// script is what the people in the story do on a day.
func (t *term) script(ctx context.Context, d calendar.Date) error {
	do := func(id string, cmd result.Command, actor result.Actor, hour int, what string) error {
		at := t.at(d, hour)
		// A trail resumed in the middle of a day may hold this already:
		// the result changed at or after this moment.
		if r, ok := t.reader().Result(id); ok && !t.trailEnd.Before(at) && !r.Updated.Before(at) {
			t.printf("%s  %s: %s (in the trail already)\n", d, id, what)
			return nil
		}
		if _, err := t.commander().Do(ctx, id, cmd, actor, at); err != nil {
			return fmt.Errorf("%s: %s: %w", d, what, err)
		}
		t.printf("%s  %s: %s\n", d, id, what)
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
					Outcome: result.Approved, Reason: "the assessor was ill; the team leader confirmed it"},
					committee, 8, "late assessment approved by the exam committee"); err != nil {
					return err
				}
			case e.Kind == result.EnrolmentEnded && r.Crebo == "25491":
				if err := do(id, result.Command{Action: result.ResolveException, ExceptionID: e.ID,
					Outcome: result.Approved, Reason: "the result stands for the student's record"},
					standing, 8, "canceled enrolment's result approved by the exam office under mandate"); err != nil {
					return err
				}
			}
		}
	}
	const complainer, appellant, annulled = "sessie-kt1-0118-007", "sessie-kt2-0125-010", "sessie-kt1-0118-020"
	student := func(id string) result.Actor {
		r, _ := t.reader().Result(id)
		return result.Actor{ID: r.Student, Role: timeline.Student}
	}
	switch d.String() {
	case "2027-02-11":
		return do(complainer, result.Command{Action: result.LodgeComplaint}, student(complainer), 14,
			"the student complains to the exam committee")
	case "2027-02-17":
		r, _ := t.reader().Result(complainer)
		g, err := result.ParseGrade(r.Grade.Scale(), "6.0")
		if err != nil {
			return err
		}
		return do(complainer, result.Command{Action: result.DecideComplaint, Outcome: result.Upheld,
			Reason: "question 4 was marked against the wrong model", Grade: g}, committee, 11,
			fmt.Sprintf("complaint upheld, grade corrected %s → 6.0", r.Grade))
	case "2027-03-19":
		for _, id := range []string{appellant, annulled} {
			if err := do(id, result.Command{Action: result.LodgeAppeal}, student(id), 15,
				"the student appeals to the appeals board (CBE)"); err != nil {
				return err
			}
		}
	case "2027-04-13":
		if err := do(appellant, result.Command{Action: result.DecideAppeal, Outcome: result.NotUpheld,
			Reason: "the assessment followed the published criteria"}, board, 10, "appeal not upheld: the result stands"); err != nil {
			return err
		}
		return do(annulled, result.Command{Action: result.DecideAppeal, Outcome: result.Upheld,
			Reason: "the assessment criteria were not published in time"}, board, 11,
			"appeal upheld: the appeals board annuls the result; a new decision follows")
	case "2027-04-20":
		r, _ := t.reader().Result(annulled)
		g, err := result.ParseGrade(r.Grade.Scale(), "5.8")
		if err != nil {
			return err
		}
		rec := r.Successor(annulled+"-2", g, result.Manual)
		if err := do(rec.ID, result.Command{Action: result.Receive, Record: &rec, Decision: "EC-ICT-2027-031"}, standing, 9,
			"the new decision after the annulment, entered by hand as a result that supersedes "+annulled); err != nil {
			return err
		}
		return do(rec.ID, result.Command{Action: result.Register}, standing, 10, "registered as provisional")
	}
	return nil
}

// toldOf says what a kind of student message tells: in the day's count
// ("12 students told …") and over the first message of the kind.
var toldOf = map[timeline.MessageKind]struct{ count, first string }{
	timeline.MessageProvisional:      {"of a provisional result", "of a provisional result"},
	timeline.MessageFinal:            {"that their result is final", "that a result is final"},
	timeline.MessageDeterminedEarly:  {"that their result was determined early", "that a result was determined early"},
	timeline.MessageComplaintDecided: {"of the decision on their complaint", "of the decision on a complaint"},
	timeline.MessageAppealDecided:    {"of the appeals board's decision", "of the appeals board's decision"},
	timeline.MessageAnnulled:         {"that the appeals board annulled their result", "that the appeals board annulled a result"},
	timeline.MessageCorrected:        {"that their result was corrected", "that a result was corrected"},
	timeline.MessageInvalidated:      {"that their result was declared invalid", "that a result was declared invalid"},
}

// showNotice prints a student message as the student reads it, in Dutch.
func (t *term) showNotice(n vaststelling.Notice) {
	t.printf("\n  The first student message %s (%s, to %s, about %s):\n", toldOf[n.Kind].first, n.Kind, n.Student, n.Result)
	for _, line := range strings.Split(strings.TrimSpace(n.Dutch), "\n") {
		t.printf("  | %s\n", line)
	}
	t.printf("\n")
}

// signals prints what is due or overdue, per role.
func (t *term) signals(d calendar.Date) error {
	m, err := t.reader().Monitor(t.at(d, 8))
	if err != nil {
		return err
	}
	if len(m.All) == 0 {
		return nil
	}
	roles := make([]timeline.Role, 0, len(m.ByRole))
	for r := range m.ByRole {
		roles = append(roles, r)
	}
	sort.Slice(roles, func(i, j int) bool { return roles[i] < roles[j] })
	var parts []string
	for _, r := range roles {
		overdue := 0
		for _, s := range m.ByRole[r] {
			if s.Overdue {
				overdue++
			}
		}
		parts = append(parts, fmt.Sprintf("%s %d (%d overdue)", r, len(m.ByRole[r]), overdue))
	}
	t.printf("%s  signals: %s\n", d, strings.Join(parts, ", "))
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
	return os.WriteFile(filepath.Join(t.reports, "day-"+rep.Day.String()+".json"), append(b, '\n'), 0o644)
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
	if t.dir == "" {
		t.printf("\nSigned checkpoint (verifier key %s):\n%s", t.vkey, signed)
	} else {
		name := filepath.Join(t.dir, checkpointFile)
		if err := writeFile(name, signed, 0o644); err != nil {
			return err
		}
		t.printf("\nSigned checkpoint, written to %s (verifier key %s, in %s):\n%s", name, t.vkey,
			filepath.Join(t.dir, verifierFile), signed)
	}
	t.printf("Trail: %s\n", rep)
	if t.dir != "" && t.pg == "" {
		t.printf("Check it: go run ./examples/verify -log %s -checkpoint %s -key %s\n", t.dir,
			filepath.Join(t.dir, checkpointFile), filepath.Join(t.dir, verifierFile))
	}
	if err := t.refold(ctx, office); err != nil {
		return err
	}
	if len(t.offices) > 1 {
		t.printf("What each office did:\n")
		for i, o := range t.offices {
			runs := "no daily run"
			if o.ran+o.refused > 0 {
				runs = fmt.Sprintf("daily runs tried %d, ran %d, left %d to the other, which held the day", o.ran+o.refused, o.ran, o.refused)
			}
			t.printf("  office %d: %d messages, %d commands; %s\n", i+1, o.deliveries, o.commands, runs)
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
			t.printf("Still open: %s, %s, determination date %s\n", id, r.State, tl.DeterminationDue)
		}
	}
	t.printf("\nThe term in numbers:\n")
	t.printf("  deliveries %d, rejected %d; results %d\n", deliveries, rejected, len(office.Results()))
	if again > 0 {
		t.printf("  deliveries sent again %d, counted once\n", again)
	}
	t.printf("  student messages %s\n", byKind(notified))
	t.printf("  determined under mandate %d\n", determined)
	for _, s := range result.States() {
		if states[s] > 0 {
			t.printf("  %-13s %d\n", s, states[s])
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
	t.printf("Folded again (audit.Rebuild): the same %d results, each in the state the office holds.\n", len(ids))
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
// order of the procedure: "602: provisional 301, final 298, …".
func byKind(n map[timeline.MessageKind]int) string {
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
			parts = append(parts, fmt.Sprintf("%s %d", k, n[k]))
		}
	}
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%d: %s", total, strings.Join(parts, ", "))
}

// evaluate prints the yearly evaluation read from the trail and, with
// -report, writes every report: per session, timeliness, evaluation.
func (t *term) evaluate(ctx context.Context, office *vaststelling.Office) error {
	ev, err := report.Evaluation(ctx, t.store, report.SchoolYear(2026, t.cal.Location()))
	if err != nil {
		return err
	}
	tot := ev.Total
	t.printf("\nThe yearly evaluation, read from the trail (school year 2026–2027):\n")
	t.printf("  results %d, determined %d (early %d), corrections %d\n", tot.Results, tot.Determined, tot.Early, tot.Corrections.Total)
	t.printf("  complaints %d (upheld %d), appeals %d (upheld %d), exceptions %d, irregularities %d\n",
		tot.Complaints.Lodged, tot.Complaints.Upheld, tot.Appeals.Lodged, tot.Appeals.Upheld, tot.Exceptions, tot.Irregularities)
	for _, row := range ev.ByComponent {
		t.printf("  %-8s results %3d, determined %3d\n", row.Key, row.Results, row.Determined)
	}
	if t.reports == "" {
		return nil
	}
	tl, err := report.Timeliness(ctx, t.store, t.cal, timeline.DefaultPolicies(),
		t.at(calendar.Date{Year: 2027, Month: time.May, Day: 31}, 18))
	if err != nil {
		return err
	}
	type writer interface {
		JSON() ([]byte, error)
		WriteCSV(io.Writer) error
		WriteMarkdown(io.Writer) error
	}
	reports := map[string]writer{"evaluation": ev, "timeliness": tl}
	sessions := map[string]bool{}
	for _, id := range office.Results() {
		r, _ := office.Result(id)
		sessions[r.Offering] = true
	}
	for offering := range sessions {
		acc, err := report.Accountability(ctx, t.store, offering)
		if err != nil {
			return err
		}
		reports["session-"+offering] = acc
	}
	for name, r := range reports {
		j, err := r.JSON()
		if err != nil {
			return err
		}
		var csv, md bytes.Buffer
		if err := r.WriteCSV(&csv); err != nil {
			return err
		}
		if err := r.WriteMarkdown(&md); err != nil {
			return err
		}
		for ext, data := range map[string][]byte{".json": j, ".csv": csv.Bytes(), ".md": md.Bytes()} {
			if err := os.WriteFile(filepath.Join(t.reports, name+ext), data, 0o644); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(filepath.Join(t.reports, "timeliness.svg"), report.TimelinessChart(tl), 0o644); err != nil {
		return err
	}
	t.printf("\nReports written to %s.\n", t.reports)
	return nil
}

// plural says how many of a thing there are: "1 result", "2 results".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// outcomes says how many messages had each outcome: "300 duplicate, 4 rejected".
func outcomes(n map[oke.Outcome]int) string {
	var parts []string
	for _, o := range []oke.Outcome{oke.Duplicate, oke.Accepted, oke.Merged, oke.Exception, oke.Rejected} {
		if n[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[o], o))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
