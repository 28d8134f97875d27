package vaststelling

import (
	"slices"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// intakeView is the intake's store: the results as the trail and the
// staged batches leave them; what the intake saves and keeps is staged
// for the trail. The intake runs only inside a decision, under the
// office's lock, so the view reads the staged batches freely.
type intakeView struct{ o *Office }

var (
	_ oke.ReportStore   = intakeView{}
	_ oke.SessionLister = intakeView{}
)

func (v intakeView) Result(id string) (result.Result, bool) { return v.o.resultForDecision(id) }

func (v intakeView) Save(r result.Result, events []result.Event) error {
	return v.o.stageResult(v.o.open, r, events)
}

// Keep stages the delivery and its receipt as an entry, numbered on from
// the deliveries in the trail and those staged.
func (v intakeView) Keep(d oke.Delivery, rc oke.Receipt) (int, error) {
	o := v.o
	seq := o.p.deliveries + o.open.deliveries + 1
	if o.inflight != nil {
		seq += o.inflight.deliveries
	}
	err := o.stageEntry(o.open, EntryDelivery, rc.At, timeline.System, "", deliveryEntry{Seq: seq, Method: d.Method,
		AssociationID: d.AssociationID, Body: d.Body, Outcome: rc.Outcome, Reasons: rc.Reasons})
	if err != nil {
		return 0, err
	}
	return seq, nil
}

// Related returns the results for the original in the trail, then those
// staged since.
func (v intakeView) Related(original string) []string {
	ids := v.o.p.results.Related(original)
	for _, id := range v.stagedNew() {
		s := v.o.over[id]
		if (id == original || s.r.Retakes == original) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Session returns the results of the session (by oke.SessionKey, the
// executedOfferingName): those in the trail that a staged version has not
// moved to another session, then those staged into it since.
func (v intakeView) Session(session string) []string {
	var ids []string
	for _, id := range v.o.p.results.Session(session) {
		if s, ok := v.o.over[id]; !ok || oke.SessionKey(&s.r.Record) == session {
			ids = append(ids, id)
		}
	}
	for _, id := range v.staged() {
		if oke.SessionKey(&v.o.over[id].r.Record) == session && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Sessions returns, sorted, the sessions of the results in the trail and
// of those staged since, for oke.Intake.UnreportedSessions.
func (v intakeView) Sessions() []string {
	keys := v.o.p.results.Sessions()
	for _, s := range v.o.over {
		if key := oke.SessionKey(&s.r.Record); key != "" && !slices.Contains(keys, key) {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	return slices.DeleteFunc(keys, func(key string) bool { return len(v.Session(key)) == 0 })
}

// staged returns, sorted, the ids of the results staged.
func (v intakeView) staged() []string {
	ids := make([]string, 0, len(v.o.over))
	for id := range v.o.over {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// stagedNew returns, sorted, the staged results the trail does not hold yet.
func (v intakeView) stagedNew() []string {
	var ids []string
	for id := range v.o.over {
		if _, ok := v.o.p.results.Result(id); !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// KeepSessionReport marks the report as staged, so that deliveries
// decided before the trail has it are held too; Office.SessionReport
// stages its entry.
func (v intakeView) KeepSessionReport(session, irregularities string) {
	b := v.o.open
	b.changes = append(b.changes, change{report: &sessionReportEntry{Offering: session, Irregularities: irregularities}})
}

// SessionReports returns the irregularities of the session's reports in
// the trail, then those staged.
func (v intakeView) SessionReports(session string) []string {
	texts := slices.Clone(v.o.p.reports[session])
	for _, b := range []*batch{v.o.inflight, v.o.open} {
		if b == nil {
			continue
		}
		for _, c := range b.changes {
			if c.report != nil && c.report.Offering == session {
				texts = append(texts, c.report.Irregularities)
			}
		}
	}
	return texts
}
