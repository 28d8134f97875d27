package oke

import (
	"fmt"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// SessionReport takes in the irregularities of a session report (flow 4,
// zittingsverslag) for an offering: every result of that session is put on
// hold for the exam committee with an irregularity exception, and so is
// every result of the session that arrives later. It returns the events it
// raised; an empty report changes nothing.
func (in *Intake) SessionReport(offering, irregularities string, now time.Time) ([]result.Event, error) {
	in.init()
	if offering == "" || irregularities == "" {
		return nil, nil
	}
	if rs, ok := in.Store.(ReportStore); ok {
		rs.KeepSessionReport(offering, irregularities)
	} else {
		in.mu.Lock()
		in.reports[offering] = append(in.reports[offering], irregularities)
		in.mu.Unlock()
	}
	var all []result.Event
	for _, id := range in.Store.Session(offering) {
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
	// KeepSessionReport keeps the irregularities of an offering's report.
	KeepSessionReport(offering, irregularities string)
	// SessionReports returns the irregularities kept for the offering, in
	// the order they were reported.
	SessionReports(offering string) []string
}

// sessionReports returns the irregularities reported for the offering.
func (in *Intake) sessionReports(offering string) []string {
	if rs, ok := in.Store.(ReportStore); ok {
		return rs.SessionReports(offering)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.reports[offering])
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
