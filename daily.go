package vaststelling

import (
	"context"
	"errors"
	"fmt"
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
// be determined is reported with every reason. Running it twice for the
// same moment changes nothing the second time.
func (o *Office) DailyRun(ctx context.Context, now time.Time) (DayReport, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	rep := DayReport{Day: o.cfg.Calendar.Date(now)}
	for _, id := range o.store.IDs() {
		r, _ := o.store.Result(id)
		if r.State != result.Provisional && r.State != result.OnHold {
			continue
		}
		tl, err := o.Timeline(&r)
		if err != nil {
			rep.Blocked = append(rep.Blocked, Blocked{Result: id, Reasons: []string{err.Error()}})
			continue
		}
		key := id + "@" + r.Registered.Format(time.RFC3339Nano)
		if !o.noticed[key] {
			if err := o.notify(ctx, &r, &tl, now); err != nil {
				return rep, err
			}
			o.noticed[key] = true
			rep.Notified = append(rep.Notified, id)
		}
		if rep.Day.Before(tl.DeterminationDue) {
			continue
		}
		if _, err := o.do(ctx, id, result.Command{Action: result.Determine}, o.cfg.Standing, now); err != nil {
			rep.Blocked = append(rep.Blocked, Blocked{Result: id, Reasons: reasons(err)})
			continue
		}
		rep.Determined = append(rep.Determined, id)
	}
	return rep, nil
}

// notify sends the student the message of a registered result.
func (o *Office) notify(ctx context.Context, r *result.Result, tl *timeline.Timeline, now time.Time) error {
	nl, err := tl.StudentMessage(timeline.Dutch, o.cfg.Settings)
	if err != nil {
		return fmt.Errorf("vaststelling: message for %s: %w", r.ID, err)
	}
	en, err := tl.StudentMessage(timeline.English, o.cfg.Settings)
	if err != nil {
		return fmt.Errorf("vaststelling: message for %s: %w", r.ID, err)
	}
	n := Notice{Result: r.ID, Student: r.Student, Kind: "provisional", At: now, Dutch: nl, English: en}
	if o.cfg.From != "" && o.cfg.Mailbox != nil {
		to, err := o.cfg.Mailbox(r.Student)
		if err != nil {
			return fmt.Errorf("vaststelling: the mailbox of %s: %w", r.Student, err)
		}
		domain := o.cfg.From[strings.LastIndexByte(o.cfg.From, '@')+1:]
		id := fmt.Sprintf("%s.%d@%s", r.ID, r.Registered.Unix(), domain)
		if n.Email, err = tl.StudentEmail(o.cfg.Settings, timeline.Mail{From: o.cfg.From, To: to, MessageID: id, Date: now}); err != nil {
			return fmt.Errorf("vaststelling: e-mail for %s: %w", r.ID, err)
		}
		if n.ICS, err = tl.ICS(o.cfg.Settings, domain, now); err != nil {
			return fmt.Errorf("vaststelling: calendar for %s: %w", r.ID, err)
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
