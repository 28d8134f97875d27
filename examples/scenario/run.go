package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
)

// serverName is the office's Config.Server: fixed, so that a run is the
// same every time.
const serverName = "scenario"

// An outcome is what the command prints: what became of each step, and
// how the office stands at the end.
type outcome struct {
	Steps     []stepOutcome            `json:"steps"`     // one per step, in order
	Results   map[string]resultOutcome `json:"results"`   // every result, by id
	Notices   []noticeOutcome          `json:"notices"`   // what the students were sent, in order
	Conflicts map[string][]string      `json:"conflicts"` // the timeline's conflict codes, of results with any
	Trail     trailOutcome             `json:"trail"`
}

// A stepOutcome is what became of one step.
type stepOutcome struct {
	OK bool `json:"ok"`
	// Outcome is a delivery's: accepted, merged, duplicate, exception or
	// rejected.
	Outcome oke.Outcome `json:"outcome,omitempty"`
	// Codes say why a step was refused, or a message rejected.
	Codes []string `json:"codes,omitempty"`
	// Message is the refusal's or rejection's text, for a person.
	Message string `json:"message,omitempty"`
	// Reasons are the codes of the reasons of a delivery taken in: the
	// exceptions it raised, why it was not registered.
	Reasons []string `json:"reasons,omitempty"`
	// Events are the types of the events a delivery or an action made.
	Events []result.EventType `json:"events,omitempty"`
	// Of a daily run: the results it determined, those whose student it
	// told, and those it could not determine or tell, and why.
	Determined []string         `json:"determined,omitempty"`
	Notified   []string         `json:"notified,omitempty"`
	Blocked    []blockedOutcome `json:"blocked,omitempty"`
	Failed     []blockedOutcome `json:"failed,omitempty"`
}

// A blockedOutcome is a result a daily run could not determine or tell.
type blockedOutcome struct {
	Result  string   `json:"result"`
	Reasons []string `json:"reasons"`
}

// A resultOutcome is how a result stands at the end.
type resultOutcome struct {
	State        result.State `json:"state"`
	Grade        string       `json:"grade"`         // the grade's text, "" for none
	DeterminedOn string       `json:"determined_on"` // YYYY-MM-DD in the calendar's zone, "" when not determined
	Supersedes   string       `json:"supersedes"`    // the result this one replaces, or ""
	SupersededBy string       `json:"superseded_by"` // the result that replaced this one, or ""
}

// A noticeOutcome is a message the office sent a student.
type noticeOutcome struct {
	Result  string `json:"result"`
	Student string `json:"student"`
	Kind    string `json:"kind"` // what it tells of: provisional, final, …
	On      string `json:"on"`   // the day it was sent, YYYY-MM-DD in the calendar's zone
}

// A trailOutcome is the audit trail at the end.
type trailOutcome struct {
	Events   int64 `json:"events"`   // the records it holds
	Verified bool  `json:"verified"` // whether audit.Verify passed it
}

// run runs the scenario in a new office over a trail in memory. An error
// is a run that could not go on: the office would not open, or did not
// keep what it did; a refused step is an outcome. When the trail does
// not verify, the outcome comes back with the error.
func (s *scenario) run(ctx context.Context) (outcome, error) {
	store := &audit.MemoryStore{}
	log, err := audit.NewLog(store)
	if err != nil {
		return outcome{}, err
	}
	outbox := &vaststelling.Outbox{}
	o, err := vaststelling.New(vaststelling.Config{Calendar: s.cal, Policies: s.policies, Directory: s.dir,
		Mandates: s.mandates, Log: log, Notifier: outbox, Settings: s.settings, Standing: s.standing,
		HoldForCheck: s.hold, Server: serverName})
	if err != nil {
		return outcome{}, fmt.Errorf("the office would not open: %w", err)
	}
	out := outcome{Steps: make([]stepOutcome, 0, len(s.steps)), Results: map[string]resultOutcome{},
		Notices: []noticeOutcome{}, Conflicts: map[string][]string{}}
	for i, st := range s.steps {
		so, err := s.do(ctx, o, st)
		if err != nil {
			return outcome{}, fmt.Errorf("steps[%d]: %w", i, err)
		}
		out.Steps = append(out.Steps, so)
	}

	for _, id := range o.Results() {
		r, _ := o.Result(id)
		ro := resultOutcome{State: r.State, Grade: r.Grade.String(), Supersedes: r.Supersedes, SupersededBy: r.SupersededBy}
		if !r.Determined.IsZero() {
			ro.DeterminedOn = s.cal.Date(r.Determined).String()
		}
		out.Results[id] = ro
		// A result that cannot be placed on a timeline (one received
		// without an exam date) has no conflicts to show.
		if tl, err := o.Timeline(&r); err == nil && len(tl.Conflicts) > 0 {
			for _, c := range tl.Conflicts {
				out.Conflicts[id] = append(out.Conflicts[id], string(c.Code))
			}
		}
	}
	for _, n := range outbox.Notices() {
		out.Notices = append(out.Notices, noticeOutcome{Result: n.Result, Student: n.Student, Kind: fmt.Sprint(n.Kind),
			On: s.cal.Date(n.At).String()})
	}
	if out.Trail.Events, err = store.Size(ctx); err != nil {
		return outcome{}, fmt.Errorf("the trail: %w", err)
	}
	if _, err := audit.Verify(ctx, store, nil); err != nil {
		return out, fmt.Errorf("the trail does not verify: %w", err)
	}
	out.Trail.Verified = true
	return out, nil
}

// do does one step in the office. An error is a failure of the office,
// not a refusal.
func (s *scenario) do(ctx context.Context, o *vaststelling.Office, st step) (stepOutcome, error) {
	switch st.kind {
	case kindDeliver:
		rc, err := o.Deliver(ctx, st.delivery, st.at)
		if err != nil {
			return stepOutcome{}, err
		}
		so := stepOutcome{OK: rc.Outcome != oke.Rejected, Outcome: rc.Outcome}
		if so.OK {
			so.Reasons = reasonCodes(rc.Reasons)
		} else {
			so.Codes, so.Message = reasonCodes(rc.Reasons), reasonText(rc.Reasons)
		}
		for _, e := range rc.Events {
			so.Events = append(so.Events, e.Type)
		}
		return so, nil
	case kindSessionReport:
		rep, err := oke.DecodeSessionReport(st.offering, st.report)
		if rej, ok := errors.AsType[*oke.Rejection](err); ok {
			return stepOutcome{Codes: reasonCodes(rej.Reasons), Message: reasonText(rej.Reasons)}, nil
		} else if err != nil {
			return refused(err)
		}
		return refused(o.SessionReport(ctx, rep.Offering, rep.Irregularities, st.at))
	case kindDailyRun:
		rep, err := o.DailyRun(ctx, st.at)
		if err != nil {
			return refused(err)
		}
		so := stepOutcome{OK: true, Determined: rep.Determined, Notified: rep.Notified}
		for _, b := range rep.Blocked {
			so.Blocked = append(so.Blocked, blockedOutcome{Result: b.Result, Reasons: b.Reasons()})
		}
		for _, b := range rep.Failed {
			so.Failed = append(so.Failed, blockedOutcome{Result: b.Result, Reasons: b.Reasons()})
		}
		return so, nil
	}
	events, err := o.Do(ctx, st.result, st.cmd, st.actor, st.at)
	if err != nil {
		return refused(err)
	}
	so := stepOutcome{OK: true}
	for _, e := range events {
		so.Events = append(so.Events, e.Type)
	}
	return so, nil
}

// refused turns the error of a step into its outcome: none is ok, a
// refusal is codes and a message, and a failure of the office (the trail
// did not take the events, the context ended) is an error.
func refused(err error) (stepOutcome, error) {
	switch {
	case err == nil:
		return stepOutcome{OK: true}, nil
	case errors.Is(err, vaststelling.ErrTrail), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return stepOutcome{}, err
	}
	return stepOutcome{Codes: codes(err), Message: oneLine(err.Error())}, nil
}

// reasonText says what the reasons say, on one line.
func reasonText(reasons []oke.Reason) string {
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = r.String()
	}
	return oneLine(strings.Join(parts, "; "))
}
