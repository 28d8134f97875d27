package vaststelling

import (
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// Monitoring is what is due or overdue at a moment across all results,
// sorted (timeline.SortSignals) and grouped as the exam committee and the
// exam administration follow it up.
type Monitoring struct {
	At          time.Time
	All         []timeline.Signal
	ByRole      map[timeline.Role][]timeline.Signal
	ByTeam      map[string][]timeline.Signal
	ByComponent map[string][]timeline.Signal
	// UnreportedSessions are the sessions with results but no session
	// report (Office.UnreportedSessions), for the exam administration.
	UnreportedSessions []string
}

// Monitor returns the signals of every result at the moment now: those of
// its timeline, and one to the exam committee for every open exception
// only the committee may resolve, such as an irregularity reported after
// the determination: a result held by it waits for the committee, not
// for the exam administration.
func (o *Office) Monitor(now time.Time) (Monitoring, error) {
	m := Monitoring{At: now, ByRole: map[timeline.Role][]timeline.Signal{},
		ByTeam: map[string][]timeline.Signal{}, ByComponent: map[string][]timeline.Signal{}}
	team := map[string]string{}
	component := map[string]string{}
	for _, id := range o.p.results.IDs() {
		r, _ := o.p.results.Result(id)
		if r.State.IsEnd() {
			continue
		}
		tl, err := o.Timeline(&r)
		if err != nil {
			return m, err
		}
		m.All = tl.Signals(now, m.All)
		m.All = o.committeeSignals(&r, now, m.All)
		team[id], component[id] = r.Team, r.Component
	}
	timeline.SortSignals(m.All)
	m.UnreportedSessions = o.UnreportedSessions()
	for _, s := range m.All {
		m.ByRole[s.Role] = append(m.ByRole[s.Role], s)
		m.ByTeam[team[s.Result]] = append(m.ByTeam[team[s.Result]], s)
		m.ByComponent[component[s.Result]] = append(m.ByComponent[component[s.Result]], s)
	}
	return m, nil
}

// committeeSignals appends a signal for each open exception of r that only
// the exam committee resolves, due on the day it was raised: it waits for
// the committee from then on.
func (o *Office) committeeSignals(r *result.Result, now time.Time, dst []timeline.Signal) []timeline.Signal {
	cal := o.cfg.Calendar
	today := cal.Date(now)
	for _, x := range r.Exceptions {
		if !x.Open() || !x.Kind.CommitteeOnly() || x.Raised.After(now) {
			continue
		}
		raised := cal.Date(x.Raised)
		s := timeline.Signal{Result: r.ID, Task: timeline.ResolveException, Role: timeline.ExamCommittee, Due: raised}
		if raised.Before(today) {
			s.Overdue = true
			s.WorkdaysOverdue, _ = cal.WorkdaysBetween(raised, today)
		}
		dst = append(dst, s)
	}
	return dst
}
