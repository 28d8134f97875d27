package vaststelling

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A Notice is a message to a student about one result.
type Notice struct {
	// ID names the notice, the same every time it is sent: the office
	// sends at least once (see Office.DailyRun), and a notifier or a mail
	// system recognises a notice sent twice by it. With e-mail it is the
	// Message-ID.
	ID      string
	Result  string
	Student string
	Kind    string    // "provisional": a provisional result was registered
	At      time.Time // when it was sent
	Dutch   string    // the student message in Dutch
	English string    // and in English
	// Email and ICS are the message as an e-mail and the deadlines as a
	// calendar file, when the office has From and Mailbox set.
	Email []byte
	ICS   []byte
}

// A Notifier sends notices; an integrator sends them by e-mail or in the
// KRS's own inbox. Send must be safe for concurrent use.
type Notifier interface {
	Send(ctx context.Context, n Notice) error
}

// An Outbox is a Notifier that keeps the notices in memory. The zero Outbox
// is ready to use.
type Outbox struct {
	mu      sync.Mutex
	notices []Notice
}

// Send keeps the notice.
func (o *Outbox) Send(ctx context.Context, n Notice) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.notices = append(o.notices, n)
	return nil
}

// Notices returns the notices sent, in order.
func (o *Outbox) Notices() []Notice {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.notices)
}

// noticesPerAppend is how many notices' outcomes go into the trail in one
// append: a crash sends at most so many again.
const noticesPerAppend = 256

// sendNotices sends every notice due, in the order of the results' ids,
// and records each outcome in the trail.
func (o *Office) sendNotices(ctx context.Context, rep *DayReport, now time.Time) error {
	o.mu.Lock()
	ids := slices.Sorted(maps.Keys(o.p.notices))
	o.mu.Unlock()
	var outcomes []noticeEntry
	flush := func() error {
		if len(outcomes) == 0 {
			return nil
		}
		err := o.decide(ctx, func(b *batch) error {
			for _, n := range outcomes {
				typ := EntryNoticeSent
				if n.Problem != "" {
					typ = EntryNoticeFailed
				}
				if err := o.stageEntry(b, typ, now, timeline.System, "", n); err != nil {
					return err
				}
			}
			return nil
		})
		outcomes = outcomes[:0]
		return err
	}
	for _, id := range ids {
		o.mu.Lock()
		due, ok := o.p.notices[id]
		r, _ := o.p.results.Result(id)
		o.mu.Unlock()
		if !ok {
			continue
		}
		n, err := o.notice(&r, now)
		if err == nil {
			err = o.cfg.Notifier.Send(ctx, n)
		}
		e := noticeEntry{Result: id, Student: r.Student, Kind: n.Kind, Registered: due.Registered, MessageID: n.ID}
		if err != nil {
			e.Problem = err.Error()
			rep.Failed = append(rep.Failed, Blocked{Result: id, Reasons: []string{e.Problem}})
		} else {
			rep.Notified = append(rep.Notified, id)
		}
		outcomes = append(outcomes, e)
		if len(outcomes) == noticesPerAppend {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// notice writes the notice of a registered result.
func (o *Office) notice(r *result.Result, now time.Time) (Notice, error) {
	n := Notice{Result: r.ID, Student: r.Student, Kind: "provisional", At: now}
	domain := "vaststelling.invalid"
	if o.cfg.From != "" {
		domain = o.cfg.From[strings.LastIndexByte(o.cfg.From, '@')+1:]
	}
	n.ID = fmt.Sprintf("%s.%d@%s", r.ID, r.Registered.Unix(), domain)
	tl, err := o.Timeline(r)
	if err != nil {
		return n, fmt.Errorf("vaststelling: the timeline of %s: %w", r.ID, err)
	}
	if n.Dutch, err = tl.StudentMessage(timeline.Dutch, o.cfg.Settings); err != nil {
		return n, fmt.Errorf("vaststelling: message for %s: %w", r.ID, err)
	}
	if n.English, err = tl.StudentMessage(timeline.English, o.cfg.Settings); err != nil {
		return n, fmt.Errorf("vaststelling: message for %s: %w", r.ID, err)
	}
	if o.cfg.From != "" && o.cfg.Mailbox != nil {
		to, err := o.cfg.Mailbox(r.Student)
		if err != nil {
			return n, fmt.Errorf("vaststelling: the mailbox of %s: %w", r.Student, err)
		}
		if n.Email, err = tl.StudentEmail(o.cfg.Settings, timeline.Mail{From: o.cfg.From, To: to, MessageID: n.ID, Date: now}); err != nil {
			return n, fmt.Errorf("vaststelling: e-mail for %s: %w", r.ID, err)
		}
		if n.ICS, err = tl.ICS(o.cfg.Settings, domain, now); err != nil {
			return n, fmt.Errorf("vaststelling: calendar for %s: %w", r.ID, err)
		}
	}
	return n, nil
}
