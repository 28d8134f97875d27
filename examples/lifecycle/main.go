// Lifecycle runs the whole procedure on sample data, day by day through a
// term, and prints a readable account of it: the main job of the library.
//
// Usage:
//
//	lifecycle [-data DIR] [-audit DIR] [-report DIR]
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
// -audit DIR keeps the trail in a file store in DIR (then
// `go run ./examples/verify -log DIR` checks it); by default it is kept in
// memory. -report DIR writes the day reports as JSON into DIR, and the
// reports read from the trail: the accountability report of each session,
// timeliness (with an SVG chart per month) and the yearly evaluation, each
// as JSON, CSV and Markdown.
//
// Exit status 0 when the term ran and the trail verifies, 1 otherwise, 2 for
// bad usage.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
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

// run runs the term and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lifecycle", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dataDir := flags.String("data", "", "read the sample data from `DIR` instead of the embedded set")
	auditDir := flags.String("audit", "", "keep the trail in a file store in `DIR`")
	reportDir := flags.String("report", "", "write the day reports as JSON into `DIR`")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "lifecycle: unexpected argument %q\n", flags.Arg(0))
		return 2
	}
	var data fs.FS
	if *dataDir != "" {
		data = os.DirFS(*dataDir)
	} else {
		data, _ = fs.Sub(sample, "data")
	}
	t, err := newTerm(data, *auditDir, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "lifecycle: %v\n", err)
		return 2
	}
	if *reportDir != "" {
		if err := os.MkdirAll(*reportDir, 0o755); err != nil {
			fmt.Fprintf(stderr, "lifecycle: %v\n", err)
			return 2
		}
		t.reports = *reportDir
	}
	if err := t.run(context.Background()); err != nil {
		fmt.Fprintf(stderr, "lifecycle: %v\n", err)
		return 1
	}
	return 0
}

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
}

type delivery struct {
	id   string
	body []byte
}

func newTerm(data fs.FS, auditDir string, out io.Writer) (*term, error) {
	cal, err := load(data, "calendar.json", calendar.Load)
	if err != nil {
		return nil, err
	}
	dir, err := load(data, "directory.json", oke.LoadDirectory)
	if err != nil {
		return nil, err
	}
	mandates, err := load(data, "mandates.json", result.LoadMandates)
	if err != nil {
		return nil, err
	}
	t := &term{out: out, cal: cal, outbox: &vaststelling.Outbox{}, messages: map[calendar.Date][]delivery{}}
	if auditDir != "" {
		s, err := filestore.Open(auditDir)
		if err != nil {
			return nil, err
		}
		t.store, t.closers = s, append(t.closers, s.Close)
	} else {
		t.store = &audit.MemoryStore{}
	}
	if t.log, err = audit.NewLog(t.store); err != nil {
		return nil, err
	}
	t.office, err = vaststelling.New(vaststelling.Config{Calendar: cal, Policies: timeline.DefaultPolicies(),
		Directory: dir, Mandates: mandates, Log: t.log, Notifier: t.outbox, Standing: standing,
		Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
			CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}})
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(data, "messages")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		day, id, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".json"), "_")
		d, err := calendar.ParseDate(day)
		if !ok || err != nil {
			return nil, fmt.Errorf("messages/%s: want YYYY-MM-DD_<association>.json", e.Name())
		}
		body, err := fs.ReadFile(data, "messages/"+e.Name())
		if err != nil {
			return nil, err
		}
		t.messages[d] = append(t.messages[d], delivery{id: id, body: body})
	}
	return t, nil
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
	defer func() {
		for _, c := range t.closers {
			_ = c()
		}
	}()
	first, last := calendar.Date{Year: 2027, Month: time.January, Day: 18}, calendar.Date{Year: 2027, Month: time.May, Day: 31}
	t.printf("Term from %s to %s, %d messages to deliver.\n\n", first, last, t.count())
	var determined, notified int
	blockedSeen := map[string]bool{}
	for d := first; !d.After(last); d = d.AddDays(1) {
		accepted, exceptions := 0, 0
		for _, m := range t.messages[d] {
			rc, err := t.office.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: m.id, Body: m.body}, t.at(d, 9))
			if err != nil {
				return err
			}
			switch rc.Outcome {
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
			if notified == 0 {
				t.showFirstNotice()
			}
			t.printf("%s  %d students told of a provisional result\n", d, n)
			notified += n
		}
		if n := len(rep.Determined); n > 0 {
			t.printf("%s  %d results determined under the standing mandate\n", d, n)
			determined += n
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
	return t.finish(ctx, determined, notified)
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
		if _, err := t.office.Do(ctx, id, cmd, actor, t.at(d, hour)); err != nil {
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
		return do(rec.ID, result.Command{Action: result.Register}, standing, 9, "registered as provisional")
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

// finish signs a checkpoint, verifies the trail against it, and prints the counts.
func (t *term) finish(ctx context.Context, determined, notified int) error {
	skey, vkey, err := note.GenerateKey(rand.Reader, "examencommissie-roc-voorbeeld")
	if err != nil {
		return err
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return err
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return err
	}
	c, err := t.log.Checkpoint(ctx, "roc-voorbeeld.nl/examens", t.at(calendar.Date{Year: 2027, Month: time.May, Day: 31}, 18))
	if err != nil {
		return err
	}
	signed, err := c.Sign(signer)
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
	t.printf("\nSigned checkpoint (verifier key %s):\n%s", vkey, signed)
	t.printf("Trail: %s\n", rep)

	states := map[result.State]int{}
	for _, id := range t.office.Results() {
		r, _ := t.office.Result(id)
		states[r.State]++
	}
	deliveries, rejected := 0, 0
	err = t.office.Deliveries(ctx, func(k oke.Kept) error {
		deliveries++
		if k.Receipt.Outcome == oke.Rejected {
			rejected++
		}
		return nil
	})
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
