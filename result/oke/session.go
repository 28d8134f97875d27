package oke

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// SessionKey returns the key a result's exam session is found by: the
// session's name as the exam platform wrote it in the result's
// executedOfferingName (result.Record.ExecutedOffering, Table 4.3.D), without
// leading and trailing white space. It is what the KRS receives of the
// session: the session report itself (flow 4) goes from the platform to
// the planner, and the planner's offering id of the session reaches the
// KRS nowhere. A result without an executedOfferingName, such as one
// entered by hand, has no session: its key is "", and no session report
// holds it.
func SessionKey(rec *result.Record) string {
	return strings.TrimSpace(rec.ExecutedOffering)
}

// ErrNoSession is matched by the error of SessionReport for a report
// without a session name: it could hold no result, and is refused rather
// than kept unmatched.
var ErrNoSession = errors.New("session report without a session name")

// ErrNoSessionList is matched by the error of UnreportedSessions when the
// intake's Store cannot list its sessions (it is no SessionLister).
var ErrNoSessionList = errors.New("the store does not list its sessions")

// SessionReport takes in a session report (flow 4, zittingsverslag) for the
// session named session, as the platform names it in executedOfferingName
// (see SessionKey and the package documentation): every result of that
// session is put on hold for the exam committee with an irregularity
// exception, and so is every result of the session that arrives later. A
// report without irregularities holds nothing, but is kept all the same:
// the session then has its report (see UnreportedSessions). It returns the
// events it raised. A session name that is empty, or only white space, is
// an error matching ErrNoSession.
func (in *Intake) SessionReport(session, irregularities string, now time.Time) ([]result.Event, error) {
	in.init()
	key := strings.TrimSpace(session)
	if key == "" {
		return nil, fmt.Errorf("oke: %w", ErrNoSession)
	}
	irregularities = strings.TrimSpace(irregularities)
	if rs, ok := in.Store.(ReportStore); ok {
		rs.KeepSessionReport(key, irregularities)
	} else {
		in.mu.Lock()
		in.reports[key] = append(in.reports[key], irregularities)
		in.mu.Unlock()
	}
	if irregularities == "" {
		return nil, nil
	}
	var all []result.Event
	for _, id := range in.Store.Session(key) {
		events, err := in.holdForSession(id, irregularities, now)
		if err != nil {
			return all, err
		}
		all = append(all, events...)
	}
	return all, nil
}

// A ReportStore is a Store that keeps the session reports itself, so that
// they outlive the intake: the irregularities of a session are held
// against every result of it that arrives later, also after a restart.
// An intake whose Store is one keeps no reports of its own.
type ReportStore interface {
	Store
	// KeepSessionReport keeps a report of the session (by SessionKey):
	// its irregularities, or "" for a report that names none.
	KeepSessionReport(session, irregularities string)
	// SessionReports returns what was kept for the session, in the order
	// it was reported, "" for a report without irregularities; none when
	// no report came.
	SessionReports(session string) []string
}

// A SessionLister is a Store that lists its sessions: the keys
// (SessionKey) of the sessions it holds results of, sorted. MemoryStore is
// one. UnreportedSessions needs it.
type SessionLister interface {
	Sessions() []string
}

// UnreportedSessions returns, sorted, the sessions that have results but
// no session report, for the exam administration to ask the planner for
// the reports: the accountability report (verantwoordingsrapportage) the
// exam committee samples needs each session's report. A report under a
// name no result bears does not count for any session; results without a
// session (SessionKey "") are in none. It says nothing of how long ago the
// sessions were: Store.Session gives their results, whose exam dates tell
// whether a report is overdue. The error matches ErrNoSessionList when the
// Store is no SessionLister.
func (in *Intake) UnreportedSessions() ([]string, error) {
	in.init()
	sl, ok := in.Store.(SessionLister)
	if !ok {
		return nil, fmt.Errorf("oke: %w: %T", ErrNoSessionList, in.Store)
	}
	var out []string
	for _, key := range sl.Sessions() {
		if key != "" && !in.reported(key) {
			out = append(out, key)
		}
	}
	return out, nil
}

// reported reports whether a report came for the session.
func (in *Intake) reported(key string) bool {
	if rs, ok := in.Store.(ReportStore); ok {
		return len(rs.SessionReports(key)) > 0
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.reports[key]) > 0
}

// sessionReports returns what was reported for the session, "" for a
// report without irregularities.
func (in *Intake) sessionReports(key string) []string {
	if rs, ok := in.Store.(ReportStore); ok {
		return rs.SessionReports(key)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.reports[key])
}

func (in *Intake) holdForSession(id, irregularities string, now time.Time) ([]result.Event, error) {
	defer in.locks.Lock(id).Unlock()
	r, ok := in.Store.Result(id)
	if !ok || r.State.IsEnd() {
		return nil, nil
	}
	events, err := r.Do(result.Command{Action: result.RaiseException, Exception: result.Irregularity,
		Detail: "session report: " + irregularities}, result.Context{Actor: in.Actor, Now: now})
	if err != nil {
		return nil, fmt.Errorf("oke: session report for result %s: %w", id, err)
	}
	return events, in.Store.Save(r, events)
}
