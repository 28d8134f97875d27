package vaststelling

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// The student is told of every change of their result's status (the
// seed: "tijdig en eenduidig"): a notice becomes due with the event that
// changes it, and stays due until it is recorded as sent. None is ever
// dropped: a result determined on the day of its registration has its
// provisional notice and its determination's notice sent, in that order.
//
// A notice is known by its result and the number of the event that made
// it due, so that each change is told once however often a run is taken
// up again.
type notice struct {
	Result string               `json:"result"`
	Kind   timeline.MessageKind `json:"kind"`
	Seq    int                  `json:"seq"`
	At     time.Time            `json:"at"` // when the change happened
	// Registered is the registration whose terms the notice names, for
	// the notices that name the inspection window.
	Registered time.Time      `json:"registered,omitzero"`
	Outcome    result.Outcome `json:"outcome,omitempty"`
	Grade      result.Grade   `json:"grade,omitzero"`     // the new grade, when the event set one
	OldGrade   result.Grade   `json:"old_grade,omitzero"` // the grade it replaced
	Reason     string         `json:"reason,omitempty"`
	Failure    string         `json:"failure,omitempty"` // why it could not be sent the last time it was tried
}

// namesWindow reports whether the notice tells the student the inspection
// window of the result's registration: they must have it while the window
// is open (see Office.DailyRun).
func (n *notice) namesWindow() bool {
	return n.Kind == timeline.MessageProvisional || (n.Kind == timeline.MessageComplaintDecided && !n.Grade.IsZero())
}

// noticeOf returns the notice an event of r makes due, if any.
func noticeOf(r *result.Result, e *result.Event) (notice, bool) {
	n := notice{Result: r.ID, Seq: e.Seq, At: e.At, Outcome: e.Outcome, Grade: e.Grade, OldGrade: e.OldGrade, Reason: e.Reason}
	switch e.Type {
	case result.EventRegistered:
		n.Kind = timeline.MessageProvisional
	case result.EventExceptionResolved:
		// An approved re-delivery puts a new grade in place: a new
		// provisional result, with terms that run afresh.
		if e.Exception == nil || e.Exception.Record == nil || e.Grade.IsZero() || e.From == result.Received {
			return notice{}, false
		}
		n.Kind = timeline.MessageProvisional
	case result.EventDetermined:
		n.Kind = timeline.MessageFinal
		if e.Early {
			n.Kind = timeline.MessageDeterminedEarly
		}
	case result.EventComplaintDecided:
		n.Kind = timeline.MessageComplaintDecided
	case result.EventAppealDecided:
		n.Kind = timeline.MessageAppealDecided
		if e.To == result.Annulled {
			n.Kind = timeline.MessageAnnulled
		}
	case result.EventCorrected:
		n.Kind = timeline.MessageCorrected
	case result.EventInvalidated:
		n.Kind = timeline.MessageInvalidated
	default:
		return notice{}, false
	}
	if n.namesWindow() {
		n.Registered = r.Registered
	}
	if n.Kind == timeline.MessageProvisional || n.Kind == timeline.MessageFinal {
		n.Reason = "" // they tell of no decision with a reason
	}
	return n, true
}

// dueNotices returns the notices due, in the order of their results' ids
// and, within a result, of its events.
func (p *projection) dueNotices() []notice {
	var out []notice
	for _, id := range slices.Sorted(maps.Keys(p.notices)) {
		out = append(out, p.notices[id]...)
	}
	return out
}

// addNotice makes a notice due, in the order of its result's events.
func (p *projection) addNotice(n notice) {
	due := p.notices[n.Result]
	if i := slices.IndexFunc(due, func(x notice) bool { return x.Seq == n.Seq }); i >= 0 {
		return
	}
	due = append(due, n)
	slices.SortFunc(due, func(a, b notice) int { return cmp.Compare(a.Seq, b.Seq) })
	p.notices[n.Result] = due
}

// foldNotice folds a notice's outcome: sent, it is no longer due; failed,
// it is, with why. An entry from before notices were numbered names the
// registration of a provisional notice instead.
func (p *projection) foldNotice(e *noticeEntry, sent bool) {
	due := p.notices[e.Result]
	i := slices.IndexFunc(due, func(n notice) bool {
		if e.Seq == 0 {
			return n.Kind == timeline.MessageProvisional && n.Registered.Equal(e.Registered)
		}
		return n.Seq == e.Seq
	})
	if i < 0 {
		return // told already, by a run that held the day before
	}
	n := due[i]
	if !sent {
		due[i].Failure = e.Problem
		return
	}
	if due = slices.Delete(due, i, i+1); len(due) == 0 {
		delete(p.notices, e.Result)
	} else {
		p.notices[e.Result] = due
	}
	if e.Late && n.namesWindow() {
		p.toldLate[n.Result] = n.Registered
	}
}

// untold says why the standing mandate must not determine r, if its
// student was not told in time: a result is determined only once the
// student has had the message that names its inspection window while that
// window was open. The message's terms are the terms.
func (p *projection) untold(r *result.Result) (Reason, bool) {
	for _, n := range p.notices[r.ID] {
		if n.namesWindow() && n.Registered.Equal(r.Registered) {
			if n.Failure != "" {
				return Reason{Code: "not_told", Words: timeline.Words{
					Dutch:   "de student is niet geïnformeerd over het voorlopige resultaat: " + n.Failure,
					English: "the student was not told of the provisional result: " + n.Failure}}, true
			}
			return Reason{Code: "not_told", Words: timeline.Words{
				Dutch:   "de student is nog niet geïnformeerd over het voorlopige resultaat",
				English: "the student was not told of the provisional result yet"}}, true
		}
	}
	if at, late := p.toldLate[r.ID]; late && at.Equal(r.Registered) {
		return Reason{Code: "told_late", Words: timeline.Words{
			Dutch: "de student is pas na de inzagetermijn uit het bericht geïnformeerd over het voorlopige resultaat; " +
				"de examencommissie beslist",
			English: "the student was told of the provisional result only after the inspection deadline the message named; " +
				"the exam committee decides"}}, true
	}
	return Reason{}, false
}
