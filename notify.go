package vaststelling

import (
	"context"
	"fmt"
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
	Kind    timeline.MessageKind // which change it tells of: provisional, final, determined_early, …
	At      time.Time            // when it was sent
	Dutch   string               // the student message in Dutch
	English string               // and in English
	// Email and ICS are the message as an e-mail and the deadlines as a
	// calendar file, when the office has From and Mailbox set. Every ICS of
	// a result has the same UIDs, and a SEQUENCE that grows with its
	// events, so that the student's calendar updates its deadlines.
	Email []byte
	ICS   []byte
}

// A Notifier sends notices; an integrator sends them by e-mail or in the
// KRS's own inbox. Send must be safe for concurrent use.
type Notifier interface {
	Send(ctx context.Context, n Notice) error
}

// A SentChecker is a Notifier that can tell whether it sent a notice, by
// its ID (a mail system by the Message-ID, an outbox table by its key). A
// daily run that takes over the day from an office that stopped halfway
// asks it before sending each notice the trail does not record as sent:
// the office that stopped may have sent it in its last moments. With it,
// no student is told twice; without it, those few are sent again, with the
// same ID.
type SentChecker interface {
	Notifier
	Sent(ctx context.Context, id string) (bool, error)
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

// Sent reports whether the outbox holds a notice with the id.
func (o *Outbox) Sent(ctx context.Context, id string) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.ContainsFunc(o.notices, func(n Notice) bool { return n.ID == id }), nil
}

// Notices returns the notices sent, in order.
func (o *Outbox) Notices() []Notice {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.notices)
}

// sendNotices sends every notice due, in the order of the results' ids,
// and records each outcome in the trail. A recorder appends the outcomes
// while the next notices are sent: all that came in during its last
// append, so that an office that stops has sent few notices it did not
// record. When the office's run was taken over, the recorder says so and
// sending stops.
func (o *Office) sendNotices(ctx context.Context, rep *DayReport, now time.Time, takeover bool) error {
	checker, _ := o.cfg.Notifier.(SentChecker)
	if !takeover {
		checker = nil
	}
	o.mu.Lock()
	todo := o.p.dueNotices()
	o.mu.Unlock()
	rec := o.recordNotices(ctx, now)
	for _, due := range todo {
		if err := rec.failed(); err != nil {
			break
		}
		id := due.Result
		o.mu.Lock()
		still := slices.ContainsFunc(o.p.notices[id], func(n notice) bool { return n.Seq == due.Seq })
		r, _ := o.p.results.Result(id)
		o.mu.Unlock()
		if !still {
			continue // sent meanwhile, by the run that held the day before
		}
		n, late, err := o.notice(&r, &due, now)
		sent := false
		if err == nil && checker != nil {
			sent, err = checker.Sent(ctx, n.ID)
		}
		if err == nil && !sent {
			err = o.cfg.Notifier.Send(ctx, n)
		}
		e := noticeEntry{Result: id, Student: r.Student, Kind: string(due.Kind), Seq: due.Seq,
			Registered: due.Registered, MessageID: n.ID, Late: late}
		if err != nil {
			e.Problem = err.Error()
			rep.Failed = append(rep.Failed, blocked(id, Reason{Code: "notice_failed", Words: timeline.Words{
				Dutch:   "bericht " + string(due.Kind) + " niet verstuurd: " + e.Problem,
				English: string(due.Kind) + ": " + e.Problem}}))
		} else {
			rep.Notified = append(rep.Notified, id)
		}
		rec.add(e)
	}
	return rec.close()
}

// A noticeRecorder appends notice outcomes to the trail in the background.
type noticeRecorder struct {
	mu      sync.Mutex
	queue   []noticeEntry
	err     error
	wake    chan struct{} // a new outcome, or the end
	closing bool
	done    chan struct{}
}

// recordNotices starts a recorder of the outcomes of a run at now.
func (o *Office) recordNotices(ctx context.Context, now time.Time) *noticeRecorder {
	r := &noticeRecorder{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			r.mu.Lock()
			batch, closing := r.queue, r.closing
			r.queue = nil
			r.mu.Unlock()
			if len(batch) > 0 {
				if err := o.appendNotices(ctx, batch, now); err != nil {
					r.mu.Lock()
					r.err = err
					r.mu.Unlock()
					return
				}
				continue
			}
			if closing {
				return
			}
			<-r.wake
		}
	}()
	return r
}

func (r *noticeRecorder) add(e noticeEntry) {
	r.mu.Lock()
	r.queue = append(r.queue, e)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// failed returns why the recorder stopped, if it did.
func (r *noticeRecorder) failed() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// close waits until every outcome is in the trail, or says why not.
func (r *noticeRecorder) close() error {
	r.mu.Lock()
	r.closing = true
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
	<-r.done
	return r.failed()
}

// appendNotices records notice outcomes in one append. They are recorded
// whoever holds the day (they happened); a run taken over is told so.
func (o *Office) appendNotices(ctx context.Context, outcomes []noticeEntry, now time.Time) error {
	lost := false
	err := o.decide(ctx, func(b *batch, again bool) error {
		for _, n := range outcomes {
			typ := EntryNoticeSent
			if n.Problem != "" {
				typ = EntryNoticeFailed
			}
			if err := o.stageEntry(b, typ, now, timeline.System, "", n); err != nil {
				return err
			}
		}
		lost = o.p.lease.Server != o.cfg.Server
		return nil
	})
	if err == nil && lost {
		o.mu.Lock()
		l := o.p.lease
		o.mu.Unlock()
		err = fmt.Errorf("vaststelling: sending notices: %w: the day was taken over: %s", ErrRunning, o.holder(l))
	}
	return err
}

// notice writes the notice due for r, and says whether it names an
// inspection window that has closed by now.
func (o *Office) notice(r *result.Result, due *notice, now time.Time) (Notice, bool, error) {
	n := Notice{Result: r.ID, Student: r.Student, Kind: due.Kind, At: now}
	domain := "vaststelling.invalid"
	if o.cfg.From != "" {
		domain = o.cfg.From[strings.LastIndexByte(o.cfg.From, '@')+1:]
	}
	n.ID = fmt.Sprintf("%s.%d.%s@%s", r.ID, due.Seq, due.Kind, domain)
	tl, err := o.Timeline(r)
	if err != nil {
		return n, false, fmt.Errorf("vaststelling: the timeline of %s: %w", r.ID, err)
	}
	late := due.namesWindow() && !now.Before(tl.End(tl.InspectionEnds))
	sub := timeline.Subject{Kind: due.Kind, Result: r.Words(), Outcome: string(due.Outcome), Reason: due.Reason, At: due.At}
	switch due.Kind {
	case timeline.MessageCorrected:
		sub.Result, sub.Previous = result.GradeWords(due.Grade, r.Attendance), result.GradeWords(due.OldGrade, r.Attendance)
	case timeline.MessageComplaintDecided:
		if !due.OldGrade.IsZero() {
			sub.Previous = result.GradeWords(due.OldGrade, r.Attendance)
		}
	case timeline.MessageAnnulled:
		sub.Outcome = ""
	}
	if n.Dutch, err = tl.Message(sub, timeline.Dutch, o.cfg.Settings); err != nil {
		return n, late, fmt.Errorf("vaststelling: message for %s: %w", r.ID, err)
	}
	if n.English, err = tl.Message(sub, timeline.English, o.cfg.Settings); err != nil {
		return n, late, fmt.Errorf("vaststelling: message for %s: %w", r.ID, err)
	}
	if o.cfg.From != "" && o.cfg.Mailbox != nil {
		to, err := o.cfg.Mailbox(r.Student)
		if err != nil {
			return n, late, fmt.Errorf("vaststelling: the mailbox of %s: %w", r.Student, err)
		}
		if n.Email, err = tl.Email(sub, o.cfg.Settings, timeline.Mail{From: o.cfg.From, To: to, MessageID: n.ID, Date: now}); err != nil {
			return n, late, fmt.Errorf("vaststelling: e-mail for %s: %w", r.ID, err)
		}
		if n.ICS, err = tl.CalendarUpdate(sub, o.cfg.Settings, domain, now, r.Version); err != nil {
			return n, late, fmt.Errorf("vaststelling: calendar for %s: %w", r.ID, err)
		}
	}
	return n, late, nil
}
