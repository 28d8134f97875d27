// Lifecycle runs the whole procedure on sample data, day by day through a
// term, and prints a readable account of it: the main job of the library.
//
// Usage:
//
//	lifecycle [-audit DIR] [-data DIR] [-report DIR]
//
// The sample data are embedded (see gen.go, which made them): three exam
// sessions of 100 students in January and February 2027, their results as
// OKE flow-5 messages (a few late, one with an irregularity, one for an
// enrolment canceled meanwhile, four bad ones), the institution's directory,
// its calendar with three closure weeks, and the exam committees' mandates.
// -data DIR reads the same files from a directory instead: calendar.json,
// directory.json, mandates.json and messages/YYYY-MM-DD_<association>.json,
// each message delivered on the day its name begins with.
//
// Every working day it delivers that day's messages, has the people in the
// story act (a complaint upheld with a corrected grade, the committee
// approving late assessments, two appeals), and does the daily run: the
// student messages, and the determinations under the standing mandate. It
// prints what happened, the signals each Monday, and at the end a signed
// checkpoint that verifies and the counts of the term.
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
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/audit/report"
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
const usage = `usage: lifecycle [-audit DIR] [-data DIR] [-report DIR]

Runs a term of sample data through an exam office, day by day, and prints
what happened, a signed checkpoint of the trail, and the term's counts.

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

Flags:
`

// run runs the term and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lifecycle", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // one line of ours for a bad flag, not flag's usage
	flags.Usage = func() {}
	dataDir := flags.String("data", "", "read the sample data from `DIR` instead of the embedded set")
	auditDir := flags.String("audit", "", "keep the trail in a file store in `DIR`, made when missing; resume it when it holds one")
	reportDir := flags.String("report", "", "write the day reports and the trail's reports into `DIR`, made when missing")
	fail := func(status int, format string, a ...any) int {
		fmt.Fprintf(stderr, "lifecycle: "+format+"\n", a...)
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
	t, err := newTerm(ctx, data, dataName, *auditDir, stdout)
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

// A usageError is a call lifecycle cannot carry out: exit status 2.
type usageError struct{ error }

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
	office   *vaststelling.Office
	store    audit.Store
	log      *audit.Log
	outbox   *vaststelling.Outbox
	messages map[calendar.Date][]delivery
	reports  string
	closers  []func() error

	first, last calendar.Date // the term's first and last day

	dir    string // -audit DIR, or "" for a trail in memory
	signer note.Signer
	vkey   string // the verifier key of signer

	// Of a trail resumed: where it stood when opened.
	resumed  bool
	doneTo   calendar.Date // the last day whose daily run the trail holds
	trailEnd time.Time     // the moment of the trail's last record
	again    map[oke.Outcome]int
}

type delivery struct {
	id   string
	body []byte
}

// newTerm reads the data (named in errors by dataName) and opens the
// trail and the office over it.
func newTerm(ctx context.Context, data fs.FS, dataName, auditDir string, out io.Writer) (_ *term, err error) {
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
	t := &term{out: out, cal: cal, outbox: &vaststelling.Outbox{}, messages: map[calendar.Date][]delivery{},
		first: calendar.Date{Year: 2027, Month: time.January, Day: 18}, last: calendar.Date{Year: 2027, Month: time.May, Day: 31},
		dir: auditDir, again: map[oke.Outcome]int{}}
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
	t.office, err = vaststelling.Open(ctx, vaststelling.Config{Calendar: cal, Policies: timeline.DefaultPolicies(),
		Directory: dir, Mandates: mandates, Log: t.log, Notifier: t.outbox, Standing: standing,
		Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
			CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}})
	if err != nil {
		if t.dir != "" {
			return nil, fmt.Errorf("-audit %s: opening the office over its trail: %w", t.dir, err)
		}
		return nil, err
	}
	if t.resumed {
		t.doneTo = t.office.LastRun()
	}
	return t, nil
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

// openTrail opens the trail: in memory, with a key for this run only, or
// in the file store in t.dir, made when missing, with the key kept there.
// A trail in t.dir that holds records is resumed: it must still hold the
// checkpoint the last run left.
func (t *term) openTrail(ctx context.Context) error {
	var err error
	if t.dir == "" {
		t.store = &audit.MemoryStore{}
		skey, vkey, err := note.GenerateKey(rand.Reader, keyName)
		if err != nil {
			return err
		}
		if t.signer, err = note.NewSigner(skey); err != nil {
			return err
		}
		t.vkey = vkey
		t.log, err = audit.NewLog(t.store)
		return err
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
	if t.log, err = audit.NewLog(t.store); err != nil {
		return fmt.Errorf("-audit %s: %w", t.dir, err)
	}
	size, err := t.store.Size(ctx)
	if err != nil || size == 0 {
		return err
	}
	t.resumed = true
	last, err := t.store.Records(ctx, size-1, size)
	if err != nil {
		return fmt.Errorf("-audit %s: %w", t.dir, err)
	}
	t.trailEnd = last[0].Time
	t.printf("Resumed the trail of %d records in %s.\n", size, t.dir)
	return t.checkLastCheckpoint(ctx)
}

// checkLastCheckpoint checks that the trail resumed still holds what the
// last run's checkpoint signed, when there is one (a run interrupted
// before its end left none).
func (t *term) checkLastCheckpoint(ctx context.Context) error {
	name := filepath.Join(t.dir, checkpointFile)
	msg, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		t.printf("There is no checkpoint of it yet (%s): the run that made it did not finish.\n", name)
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
		return fmt.Errorf("-audit %s: the trail does not hold the checkpoint in %s: %w", t.dir, name, err)
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
	t.printf("Term from %s to %s, %d messages to deliver.\n\n", t.first, t.last, t.count())
	d := t.first
	if t.resumed && !t.doneTo.Before(t.first) {
		// The days the trail holds: their messages come again, as OKE
		// sends a message whose receipt it did not get; nothing else.
		sent, notes, before := 0, []string(nil), t.office.Size()
		for ; !d.After(t.doneTo) && !d.After(t.last); d = d.AddDays(1) {
			for _, m := range t.messages[d] {
				rc, err := t.office.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: m.id, Body: m.body}, t.at(d, 9))
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
	notified := 0
	blockedSeen := map[string]bool{}
	for ; !d.After(t.last); d = d.AddDays(1) {
		accepted, exceptions, again := 0, 0, 0
		for _, m := range t.messages[d] {
			rc, err := t.office.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: m.id, Body: m.body}, t.at(d, 9))
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
			t.printf("%s  %d results delivered, %d with an exception\n", d, accepted+exceptions, exceptions)
		}
		if again > 0 {
			t.printf("%s  %d messages the trail already held, taken as duplicates\n", d, again)
		}
		// Deliveries come any day; people act and the daily run runs on working days.
		if work, _ := t.cal.IsWorkday(d); !work {
			continue
		}
		if err := t.script(ctx, d); err != nil {
			return err
		}
		rep, err := t.office.DailyRun(ctx, t.at(d, 17))
		if err != nil {
			return err
		}
		if n := len(rep.Notified); n > 0 {
			if notified == 0 && !t.resumed {
				t.showFirstNotice()
			}
			t.printf("%s  %d students told of a provisional result\n", d, n)
			notified += n
		}
		if n := len(rep.Determined); n > 0 {
			t.printf("%s  %d results determined under the standing mandate\n", d, n)
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
		if r, ok := t.office.Result(id); ok && !t.trailEnd.Before(at) && !r.Updated.Before(at) {
			t.printf("%s  %s: %s (in the trail already)\n", d, id, what)
			return nil
		}
		if _, err := t.office.Do(ctx, id, cmd, actor, at); err != nil {
			return fmt.Errorf("%s: %s: %w", d, what, err)
		}
		t.printf("%s  %s: %s\n", d, id, what)
		return nil
	}
	// The morning after, the committee approves every late assessment, and
	// the exam office, under its mandate where it has one, closes the
	// results of enrolments canceled meanwhile.
	for _, id := range t.office.Results() {
		r, _ := t.office.Result(id)
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
		r, _ := t.office.Result(id)
		return result.Actor{ID: r.Student, Role: timeline.Student}
	}
	switch d.String() {
	case "2027-02-11":
		return do(complainer, result.Command{Action: result.LodgeComplaint}, student(complainer), 14,
			"the student complains to the exam committee")
	case "2027-02-17":
		r, _ := t.office.Result(complainer)
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
		r, _ := t.office.Result(annulled)
		g, err := result.ParseGrade(r.Grade.Scale(), "5.8")
		if err != nil {
			return err
		}
		rec := r.Successor(annulled+"-2", g, result.Manual)
		if err := do(rec.ID, result.Command{Action: result.Receive, Record: &rec}, standing, 9,
			"the new decision after the annulment, entered by hand as a result that supersedes "+annulled); err != nil {
			return err
		}
		return do(rec.ID, result.Command{Action: result.Register}, standing, 10, "registered as provisional")
	}
	return nil
}

func (t *term) showFirstNotice() {
	n := t.outbox.Notices()[0]
	t.printf("\n  The first student message (to %s, about %s):\n", n.Student, n.Result)
	for _, line := range strings.Split(strings.TrimSpace(n.Dutch), "\n") {
		t.printf("  | %s\n", line)
	}
	t.printf("\n")
}

// signals prints what is due or overdue, per role.
func (t *term) signals(d calendar.Date) error {
	m, err := t.office.Monitor(t.at(d, 8))
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
// -audit DIR, and prints the counts of the term, read from the trail.
func (t *term) finish(ctx context.Context) error {
	verifier, err := note.NewVerifier(t.vkey)
	if err != nil {
		return err
	}
	c, err := t.log.Checkpoint(ctx, "roc-voorbeeld.nl/examens", t.at(t.last, 18))
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
	if t.dir != "" {
		t.printf("Check it: go run ./examples/verify -log %s -checkpoint %s -key %s\n", t.dir,
			filepath.Join(t.dir, checkpointFile), filepath.Join(t.dir, verifierFile))
	}

	states := map[result.State]int{}
	for _, id := range t.office.Results() {
		r, _ := t.office.Result(id)
		states[r.State]++
	}
	// Every delivery is in the trail, those sent again too: count each
	// message once.
	seen := map[string]bool{}
	deliveries, rejected, again := 0, 0, 0
	err = t.office.Deliveries(ctx, func(k oke.Kept) error {
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
	for _, id := range t.office.Results() {
		if r, _ := t.office.Result(id); r.State == result.Provisional || r.State == result.OnHold {
			tl, err := t.office.Timeline(&r)
			if err != nil {
				return err
			}
			t.printf("Still open: %s, %s, determination date %s\n", id, r.State, tl.DeterminationDue)
		}
	}
	t.printf("\nThe term in numbers:\n")
	t.printf("  deliveries %d, rejected %d; results %d\n", deliveries, rejected, len(t.office.Results()))
	if again > 0 {
		t.printf("  deliveries sent again %d, counted once\n", again)
	}
	t.printf("  student messages %d; determined under mandate %d\n", notified, determined)
	for _, s := range result.States() {
		if states[s] > 0 {
			t.printf("  %-13s %d\n", s, states[s])
		}
	}
	if len(rep.Erased) > 0 {
		return errors.New("unexpected erased records")
	}
	return t.evaluate(ctx)
}

// grown counts the records the trail holds from position from on: the
// deliveries kept, and the others.
func (t *term) grown(ctx context.Context, from int64) (deliveries, others int, err error) {
	records, err := t.store.Records(ctx, from, t.office.Size())
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

// runs reads from the trail the student messages sent and the results the
// daily runs determined: of the whole term, whichever run did them.
func (t *term) runs(ctx context.Context) (notified, determined int, err error) {
	size := t.office.Size()
	const chunk = 1024
	for from := int64(0); from < size; from += chunk {
		records, err := t.store.Records(ctx, from, min(from+chunk, size))
		if err != nil {
			return 0, 0, err
		}
		for _, r := range records {
			switch {
			case r.Result != "":
			case r.Type == vaststelling.EntryNoticeSent:
				notified++
			case r.Type == vaststelling.EntryDailyRun:
				var run struct{ Determined int }
				if err := json.Unmarshal(r.Payload, &run); err != nil {
					return 0, 0, fmt.Errorf("the daily run in record %d: %w", r.Index, err)
				}
				determined += run.Determined
			}
		}
	}
	return notified, determined, nil
}

// evaluate prints the yearly evaluation read from the trail and, with
// -report, writes every report: per session, timeliness, evaluation.
func (t *term) evaluate(ctx context.Context) error {
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
	for _, id := range t.office.Results() {
		r, _ := t.office.Result(id)
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
