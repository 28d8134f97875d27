package vaststelling

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A DayReport says what a daily run did, like a mutation report.
type DayReport struct {
	Day        calendar.Date
	Determined []string  // results determined under the standing mandate
	Blocked    []Blocked // results due that could not be determined, and why
	Notified   []string  // results whose student was sent the provisional-result message
}

// A Blocked result was due for determination and was not determined.
type Blocked struct {
	Result  string
	Reasons []string
}

// DailyRun does what is due on the day of the moment now: it sends the
// student message for every result registered since the last run, and
// determines every provisional result whose determination date has come,
// as the standing actor under the standing mandate; a result that cannot
// be determined is reported with every reason, on every run until it is
// determined or leaves the procedure. Running it twice for the same
// moment changes nothing the second time.
//
// The day's determinations go into the trail in one append, before any
// result changes: when the trail fails, the run returns the error and
// changes no result, and the next run tries them again. A run looks only
// at the results due (the office keeps them on a watch list as results
// change), not at every result of the year.
func (o *Office) DailyRun(ctx context.Context, now time.Time) (DayReport, error) {
	o.gate.Lock()
	defer o.gate.Unlock()
	rep := DayReport{Day: o.cfg.Calendar.Date(now)}
	if err := o.halted(); err != nil {
		return rep, err
	}
	if err := o.sendMessages(ctx, &rep, now); err != nil {
		return rep, err
	}
	due := o.dueOn(rep.Day, &rep)
	// The day's determinations and their events, reused from run to run:
	// the trail keeps none of them.
	done, events := o.determinations[:0], o.dayEvents[:0]
	defer func() {
		clear(done)
		clear(events)
		o.determinations, o.dayEvents = reusable(done), reusable(events)
	}()
	var carried []string // tried and not determined: tried again on the next run
	for _, id := range due {
		// Each result is read into its place among the day's
		// determinations, and leaves it again when it is not determined.
		done = append(done, determination{})
		d := &done[len(done)-1]
		d.r, _ = o.store.Result(id)
		if !pending(d.r.State) {
			done = done[:len(done)-1]
			continue
		}
		d.from = len(events)
		var err error
		events, err = d.r.AppendDo(events, result.Command{Action: result.Determine}, o.context(o.cfg.Standing, now))
		if err == nil {
			d.to = len(events)
			continue
		}
		// Refused: a result whose day a later change moved waits for it;
		// any other is blocked, and tried again on the next run. (Its
		// timeline tells which, reckoned only now: most are determined.)
		done = done[:len(done)-1]
		tl, terr := o.Timeline(&d.r)
		switch {
		case terr != nil:
			rep.Blocked = append(rep.Blocked, Blocked{Result: id, Reasons: []string{terr.Error()}})
			carried = append(carried, id)
		case rep.Day.Before(tl.DeterminationDue):
			o.mu.Lock()
			o.watch.due[tl.DeterminationDue] = append(o.watch.due[tl.DeterminationDue], id)
			o.mu.Unlock()
		default:
			rep.Blocked = append(rep.Blocked, Blocked{Result: id, Reasons: reasons(err)})
			carried = append(carried, id)
		}
	}
	o.mu.Lock()
	o.watch.overdue = append(o.watch.overdue, carried...)
	o.mu.Unlock()
	if len(events) > 0 {
		if _, err := o.cfg.Log.AppendEvents(ctx, events...); err != nil {
			o.mu.Lock()
			for i := range done {
				o.watch.overdue = append(o.watch.overdue, done[i].r.ID)
			}
			o.mu.Unlock()
			rep.Blocked = nil
			return rep, fmt.Errorf("vaststelling: keeping the day's %d determinations in the trail: %w", len(done), err)
		}
	}
	if len(done) > 0 {
		rep.Determined = make([]string, 0, len(done))
	}
	for i := range done {
		d := &done[i]
		if err := o.store.Save(d.r, events[d.from:d.to]); err != nil {
			return rep, err
		}
		o.track(&d.r, events[d.from:d.to])
		rep.Determined = append(rep.Determined, d.r.ID)
	}
	slices.SortFunc(rep.Blocked, func(a, b Blocked) int { return strings.Compare(a.Result, b.Result) })
	return rep, nil
}

// A determination is a result the daily run determines, with where its
// events are among the day's.
type determination struct {
	r        result.Result
	from, to int
}

// sendMessages sends the message of every result registered since the
// last run, in the order of their ids, as the result stood at its last
// change, which the watch list keeps: no result need be looked up.
func (o *Office) sendMessages(ctx context.Context, rep *DayReport, now time.Time) error {
	o.mu.Lock()
	waiting := o.watch.unsent
	o.watch.unsent = make(map[string]unsent, len(waiting)) // about as many tomorrow
	o.mu.Unlock()
	ids := slices.Sorted(maps.Keys(waiting))
	for i, id := range ids {
		u := waiting[id]
		if err := o.notify(ctx, id, u.student, u.registered, &u.timeline, now); err != nil {
			o.mu.Lock()
			for _, id := range ids[i:] { // for the next run, unless a change came since
				if _, ok := o.watch.unsent[id]; !ok {
					o.watch.unsent[id] = waiting[id]
				}
			}
			o.mu.Unlock()
			return err
		}
		rep.Notified = append(rep.Notified, id)
	}
	return nil
}

// dueOn takes from the watch list, in the order of their ids, every
// result due on or before the day, and those due on an earlier run and
// not determined then; the results without a timeline go into the report
// as blocked. The run carries over what it cannot determine (overdue).
func (o *Office) dueOn(day calendar.Date, rep *DayReport) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	w := &o.watch
	ids := w.overdue
	w.overdue = nil
	for d, due := range w.due {
		if !d.After(day) {
			ids = append(ids, due...)
			delete(w.due, d)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(w.broken)) {
		rep.Blocked = append(rep.Blocked, Blocked{Result: id, Reasons: []string{w.broken[id]}})
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return slices.DeleteFunc(ids, func(id string) bool { _, ok := w.broken[id]; return ok })
}

// notify sends the student the message of a registered result.
func (o *Office) notify(ctx context.Context, id, student string, registered time.Time, tl *timeline.Timeline, now time.Time) error {
	nl, err := tl.StudentMessage(timeline.Dutch, o.cfg.Settings)
	if err != nil {
		return fmt.Errorf("vaststelling: message for %s: %w", id, err)
	}
	en, err := tl.StudentMessage(timeline.English, o.cfg.Settings)
	if err != nil {
		return fmt.Errorf("vaststelling: message for %s: %w", id, err)
	}
	n := Notice{Result: id, Student: student, Kind: "provisional", At: now, Dutch: nl, English: en}
	if o.cfg.From != "" && o.cfg.Mailbox != nil {
		to, err := o.cfg.Mailbox(student)
		if err != nil {
			return fmt.Errorf("vaststelling: the mailbox of %s: %w", student, err)
		}
		domain := o.cfg.From[strings.LastIndexByte(o.cfg.From, '@')+1:]
		msgID := fmt.Sprintf("%s.%d@%s", id, registered.Unix(), domain)
		if n.Email, err = tl.StudentEmail(o.cfg.Settings, timeline.Mail{From: o.cfg.From, To: to, MessageID: msgID, Date: now}); err != nil {
			return fmt.Errorf("vaststelling: e-mail for %s: %w", id, err)
		}
		if n.ICS, err = tl.ICS(o.cfg.Settings, domain, now); err != nil {
			return fmt.Errorf("vaststelling: calendar for %s: %w", id, err)
		}
	}
	return o.cfg.Notifier.Send(ctx, n)
}

// reasons lists why a determination was refused.
func reasons(err error) []string {
	var ce *result.CheckError
	if errors.As(err, &ce) {
		out := make([]string, len(ce.Failures))
		for i, f := range ce.Failures {
			out[i] = string(f.Check) + ": " + f.Reason
		}
		return out
	}
	return []string{err.Error()}
}
