package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cli"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

// What each file of the data holds, as the errors say.
const (
	wantData      = "a directory of sample data: calendar.json, directory.json, mandates.json and messages/ (see lifecycle -h)"
	wantCalendar  = "the institution's calendar: a JSON object (see the calendar package)"
	wantDirectory = `the enrolments and components: a JSON object {"components": [...], "associations": [...]} (see oke.LoadDirectory)`
	wantMandates  = "the exam committees' mandates: a JSON list (see result.LoadMandates)"
	wantMessages  = "a directory of OKE flow-5 messages, one file YYYY-MM-DD_<association>.json each, delivered on its day"
	wantMessage   = "an OKE flow-5 message: a JSON object"
)

// The term the story runs.
var (
	termFirst = calendar.Date{Year: 2027, Month: time.January, Day: 18}
	termLast  = calendar.Date{Year: 2027, Month: time.May, Day: 31}
)

// The people of the story, by their enrolment, and the days they act on
// (see term.script).
const (
	complainer = "sessie-kt1-0118-007" // complains on complaintDay; the complaint is upheld with grade 6.0
	appellant  = "sessie-kt2-0125-010" // appeals on appealDay; not upheld
	annulled   = "sessie-kt1-0118-020" // appeals on appealDay; upheld: annulled, a new decision with grade 5.8
)

var (
	complaintDay = calendar.Date{Year: 2027, Month: time.February, Day: 11}
	appealDay    = calendar.Date{Year: 2027, Month: time.March, Day: 19}
)

// sampleData are the files the term runs on.
type sampleData struct {
	cal       *calendar.Calendar
	directory *oke.Memory
	mandates  *result.MandateSet
	messages  map[calendar.Date][]delivery
}

// readData reads the sample data from data, naming its files in errors
// under shown (the -data DIR, or "data" for the embedded set), and checks
// that the story fits them: that the calendar covers the term, every
// message is delivered in it, and the people of the story are there.
// Every error is a *cli.FileError or says which file is wrong.
func readData(data fs.FS, shown string) (*sampleData, error) {
	name := func(p string) string { return path.Join(shown, p) }
	if err := cli.DirFS(data, ".", shown, wantData); err != nil {
		return nil, err
	}
	cal, err := load(data, name, "calendar.json", wantCalendar, calendar.Load)
	if err != nil {
		return nil, err
	}
	directory, err := load(data, name, "directory.json", wantDirectory, oke.LoadDirectory)
	if err != nil {
		return nil, err
	}
	mandates, err := load(data, name, "mandates.json", wantMandates, result.LoadMandates)
	if err != nil {
		return nil, err
	}
	d := &sampleData{cal: cal, directory: directory, mandates: mandates, messages: map[calendar.Date][]delivery{}}
	if first, last := cal.Years(); termFirst.Year < first || termLast.Year > last {
		return nil, fmt.Errorf("%s: covers the years %d–%d; the term runs from %s to %s", name("calendar.json"),
			first, last, termFirst, termLast)
	}
	if err := d.readMessages(data, name); err != nil {
		return nil, err
	}
	if err := d.fits(shown); err != nil {
		return nil, err
	}
	return d, nil
}

// load reads the file p of the data, which holds what want says, with
// the package's reader.
func load[T any](data fs.FS, name func(string) string, p, want string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	b, err := cli.ReadFileFS(data, p, name(p), want)
	if err != nil {
		return zero, err
	}
	v, err := read(bytes.NewReader(b))
	if err != nil {
		return zero, fmt.Errorf("%s: %w", name(p), err)
	}
	return v, nil
}

// A delivery is one OKE message of the data.
type delivery struct {
	id   string
	body []byte
}

// readMessages reads the OKE messages of the data, by the day they come.
func (d *sampleData) readMessages(data fs.FS, name func(string) string) error {
	if err := cli.DirFS(data, "messages", name("messages"), wantMessages); err != nil {
		return err
	}
	entries, err := fs.ReadDir(data, "messages")
	if err != nil {
		return fmt.Errorf("%s: %w", name("messages"), err)
	}
	for _, e := range entries {
		p := "messages/" + e.Name()
		if e.IsDir() {
			return &cli.FileError{Name: name(p), Problem: "a directory, not a file", Want: wantMessage}
		}
		stem, ok := strings.CutSuffix(e.Name(), ".json")
		day, id, ok2 := strings.Cut(stem, "_")
		if !ok || !ok2 || id == "" {
			return fmt.Errorf("%s: want a name YYYY-MM-DD_<association>.json: the day it is delivered and the enrolment", name(p))
		}
		date, err := cli.ParseDate(day)
		if err != nil {
			return fmt.Errorf("%s: %w", name(p), err)
		}
		if date.Before(termFirst) || date.After(termLast) {
			return fmt.Errorf("%s: delivered on %s, outside the term (%s to %s)", name(p), date, termFirst, termLast)
		}
		body, err := cli.ReadFileFS(data, p, name(p), wantMessage)
		if err != nil {
			return err
		}
		d.messages[date] = append(d.messages[date], delivery{id: id, body: body})
	}
	return nil
}

// fits checks that the people of the story are in the data: in the
// directory, with a result delivered before the day they act on, on a
// scale the grades the story gives them fit.
func (d *sampleData) fits(shown string) error {
	delivered := map[string]calendar.Date{}
	for day, ms := range d.messages {
		for _, m := range ms {
			if first, ok := delivered[m.id]; !ok || day.Before(first) {
				delivered[m.id] = day
			}
		}
	}
	var missing, undelivered, scale []string
	for _, who := range []struct {
		id, grade string
		acts      calendar.Date
	}{{complainer, "6.0", complaintDay}, {appellant, "", appealDay}, {annulled, "5.8", appealDay}} {
		a, ok := d.directory.Association(who.id)
		if !ok {
			missing = append(missing, who.id)
			continue
		}
		if day, ok := delivered[who.id]; !ok || !day.Before(who.acts) {
			undelivered = append(undelivered, fmt.Sprintf("%s before %s", who.id, who.acts))
		}
		if c, ok := d.directory.Component(a.Component); ok && who.grade != "" {
			if _, err := result.ParseGrade(c.Scale, who.grade); err != nil {
				scale = append(scale, fmt.Sprintf("%s's component %s (scale %s) takes no grade %s", who.id, a.Component, c.Scale, who.grade))
			}
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "directory.json has no enrolment "+list(missing))
	}
	if len(undelivered) > 0 {
		problems = append(problems, "messages/ delivers no result for "+list(undelivered))
	}
	problems = append(problems, scale...)
	if len(problems) > 0 {
		return fmt.Errorf("%s: the story does not fit these data: %s; it needs the enrolments %s (who complains on %s), "+
			"%s and %s (who appeal on %s), each with a result delivered before, on a scale of grades 0.0-10.0 (see lifecycle -h)",
			shown, strings.Join(problems, "; "), complainer, complaintDay, appellant, annulled, appealDay)
	}
	return nil
}

// list joins "a", "a and b", "a, b and c".
func list(xs []string) string {
	xs = slices.Clone(xs)
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
