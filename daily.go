package vaststelling

import (
	"context"
	"encoding/json"
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

// A DayReport says what a daily run did, like a mutation report. In JSON
// its keys are snake_case and its lists are [] when empty.
type DayReport struct {
	Day        calendar.Date `json:"day"`
	Determined []string      `json:"determined"` // results determined under the standing mandate
	Blocked    []Blocked     `json:"blocked"`    // results due that could not be determined, and why
	Notified   []string      `json:"notified"`   // results whose student was sent a message, once for each message
	Failed     []Blocked     `json:"failed"`     // results whose student could not be sent it, and why: tried again on the next run
}

// MarshalJSON writes the report with [] for an empty list.
func (r DayReport) MarshalJSON() ([]byte, error) {
	type plain DayReport
	p := plain(r)
	for _, l := range []*[]string{&p.Determined, &p.Notified} {
		if *l == nil {
			*l = []string{}
		}
	}
	for _, l := range []*[]Blocked{&p.Blocked, &p.Failed} {
		if *l == nil {
			*l = []Blocked{}
		}
	}
	return json.Marshal(p)
}

// A Blocked result was due for determination and was not determined, or
// its notice could not be sent, and why: each reason a code for machines
// with its words in Dutch and English for people.
type Blocked struct {
	Result  string   `json:"result"`
	Because []Reason `json:"because"`
}

// Reasons returns why, in English.
func (b Blocked) Reasons() []string {
	out := make([]string, len(b.Because))
	for i, r := range b.Because {
		out[i] = r.Words.English
	}
	return out
}

// A Reason is why something was not done: a code for machines, such as
// "right_status" or "not_told", and its words for people.
type Reason struct {
	Code  string         `json:"code"`
	Words timeline.Words `json:"words"`
}

// blocked reports a result blocked for the reasons.
func blocked(id string, because ...Reason) Blocked { return Blocked{Result: id, Because: because} }

// DailyRun does what is due on the day of the moment now. First it
// determines every provisional result whose determination date has come,
// as the standing actor under the standing mandate, and records the run;
// a result that cannot be determined is reported with every reason, on
// every run until it is determined or leaves the procedure. Then it sends
// the student every message due: of each change of their result's status
// since it was last told (registered, determined, determined early, a
// complaint or appeal decided, annulled, corrected, invalidated), in the
// order of the changes. A notice that fails is recorded and reported, and
// tried again on the next run, and keeps no other notice or determination
// from going out. Running it twice for the same moment changes nothing
// the second time.
//
// The message's terms are the terms: the standing mandate determines a
// result only once its student was told of it while the inspection window
// the message names was open. One whose student was not told yet, or was
// told late, is reported blocked, and waits for the exam committee.
//
// One run goes at a time, across every office on the trail: a run takes
// the day for its office until now plus Config.RunLease, recorded in the
// trail in the same append as its determinations, and lets it go when its
// notices are sent. A run while another office holds the day returns an
// error matching ErrRunning and does nothing; one whose office stopped
// halfway is taken over by a run at a moment past its lease, which
// finishes the day: what was determined stays determined, and the notices
// not recorded as sent go out. A run that finds its lease taken over
// stops sending.
//
// Each notice sent or failed goes into the trail after the notifier
// answered, while the next notices are being sent: an office that stops
// halfway has sent at most the notices of its last moments without
// recording them. The run that finishes the day asks a notifier that is a
// SentChecker about each notice not recorded, and sends only those it
// did not send; another notifier gets those few again, with the same
// Notice.ID.
//
// A run looks only at the results due (the office keeps them on a watch
// list as results change), not at every result of the year. When the trail
// grew by Config.SnapshotEvery records since the last snapshot, the run
// writes a new one.
func (o *Office) DailyRun(ctx context.Context, now time.Time) (DayReport, error) {
	o.runMu.Lock()
	defer o.runMu.Unlock()
	rep := DayReport{Day: o.cfg.Calendar.Date(now)}
	var plan runPlan
	takeover := false
	err := o.decide(ctx, func(b *batch, again bool) error {
		rep.Determined, rep.Blocked = nil, nil
		l := o.p.lease
		if l.Server != "" && l.Server != o.cfg.Server && now.Before(l.Until) {
			return fmt.Errorf("vaststelling: the daily run of %s: %w: %s", rep.Day, ErrRunning, o.holder(l))
		}
		// A run not ended: its office stopped halfway (or it is this
		// office, restarted), and may have sent notices it did not record.
		takeover = l.Server != ""
		plan = o.determineDue(b, rep.Day, now, &rep)
		return o.stageEntry(b, EntryDailyRun, now, o.cfg.Standing.Role, "", dailyRunEntry{Day: rep.Day,
			Determined: len(rep.Determined), Blocked: len(rep.Blocked), Server: o.cfg.Server, Until: now.Add(o.cfg.RunLease)})
	})
	if err != nil {
		return DayReport{Day: rep.Day}, err
	}
	o.mu.Lock()
	plan.settle(&o.p.watch)
	o.mu.Unlock()
	slices.Sort(rep.Determined)
	slices.SortFunc(rep.Blocked, func(a, b Blocked) int { return strings.Compare(a.Result, b.Result) })
	if err := o.sendNotices(ctx, &rep, now, takeover); err != nil {
		return rep, err
	}
	err = o.decide(ctx, func(b *batch, again bool) error {
		if o.p.lease.Server != o.cfg.Server {
			return nil // taken over: it is not ours to end
		}
		return o.stageEntry(b, EntryRunEnded, now, o.cfg.Standing.Role, "", runEntry{Server: o.cfg.Server, Day: rep.Day})
	})
	if err != nil {
		return rep, err
	}
	o.snapshotIfDue(ctx)
	return rep, nil
}

// holder says which office holds the day, and until when.
func (o *Office) holder(l runEntry) string {
	return fmt.Sprintf("%s holds it until %s", l.Server, l.Until.In(o.cfg.Calendar.Location()).Format(time.DateTime))
}

// A runPlan is what a run took from the watch list and what goes back on
// it once the trail has the run.
type runPlan struct {
	taken map[calendar.Date]int // how many ids of each day's list the run took
	again map[calendar.Date][]string
}

// settle takes what the run took off the watch list, and puts back what
// it did not determine: a result whose day moved on that day, one blocked
// on the run's day, for the next run.
func (p *runPlan) settle(w *watchlist) {
	for d, n := range p.taken {
		if rest := w.due[d][n:]; len(rest) > 0 {
			w.due[d] = slices.Clone(rest)
		} else {
			delete(w.due, d)
		}
	}
	for d, ids := range p.again {
		w.due[d] = append(w.due[d], ids...)
	}
}

// determineDue stages the determination of every result due on the day.
func (o *Office) determineDue(b *batch, day calendar.Date, now time.Time, rep *DayReport) runPlan {
	w := &o.p.watch
	plan := runPlan{taken: map[calendar.Date]int{}, again: map[calendar.Date][]string{}}
	var due []string
	for d, ids := range w.due {
		if !d.After(day) {
			due = append(due, ids...)
			plan.taken[d] = len(ids)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(w.broken)) {
		rep.Blocked = append(rep.Blocked, blocked(id, Reason{Code: "timeline", Words: timeline.Words{Dutch: w.broken[id], English: w.broken[id]}}))
	}
	slices.Sort(due)
	due = slices.Compact(due)
	for _, id := range due {
		if _, broken := w.broken[id]; broken {
			continue
		}
		r, _ := o.resultForDecision(id)
		if !pending(r.State) {
			continue
		}
		events, err := r.Do(result.Command{Action: result.Determine}, o.context(o.cfg.Standing, now))
		if why, untold := o.p.untold(&r); err == nil && untold {
			rep.Blocked = append(rep.Blocked, blocked(id, why))
			plan.again[day] = append(plan.again[day], id)
			continue
		}
		if err == nil {
			if err = o.stageResult(b, r, events); err == nil {
				rep.Determined = append(rep.Determined, id)
				continue
			}
		}
		// Refused: a result whose day a later change moved waits for it;
		// any other is blocked, and tried again on the next run. (Its
		// timeline tells which, reckoned only now: most are determined.)
		tl, terr := o.Timeline(&r)
		switch {
		case terr != nil:
			rep.Blocked = append(rep.Blocked, blocked(id, reasons(terr)...))
			plan.again[day] = append(plan.again[day], id)
		case day.Before(tl.DeterminationDue):
			plan.again[tl.DeterminationDue] = append(plan.again[tl.DeterminationDue], id)
		default:
			rep.Blocked = append(rep.Blocked, blocked(id, reasons(err)...))
			plan.again[day] = append(plan.again[day], id)
		}
	}
	return plan
}

// reasons lists why a determination was refused: one reason for each
// check that failed, named by the check; else the refusal as a whole.
func reasons(err error) []Reason {
	var ce *result.CheckError
	if errors.As(err, &ce) {
		out := make([]Reason, len(ce.Failures))
		for i, f := range ce.Failures {
			w := f.Because
			if w == (timeline.Words{}) {
				w = timeline.Words{Dutch: f.Reason, English: f.Reason}
			}
			c := f.Check.Words()
			out[i] = Reason{Code: string(f.Check), Words: timeline.Words{Dutch: c.Dutch + ": " + w.Dutch,
				English: string(f.Check) + ": " + w.English}}
		}
		return out
	}
	return []Reason{{Code: code(err), Words: result.Explain(err)}}
}

// code names a refusal for machines.
func code(err error) string {
	for _, c := range []struct {
		code string
		err  error
	}{
		{"not_allowed", result.ErrNotAllowed}, {"wrong_role", result.ErrWrongRole}, {"no_mandate", result.ErrNoMandate},
		{"separation_of_duties", result.ErrSeparationOfDuties}, {"unknown_assessor", result.ErrUnknownAssessor},
		{"term_passed", result.ErrTermPassed}, {"invalid_command", result.ErrInvalidCommand},
		{"no_policy", timeline.ErrNoPolicy}, {"out_of_range", calendar.ErrOutOfRange},
	} {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "error"
}
