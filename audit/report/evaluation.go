package report

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
)

// ErrPeriod: a period that does not end after it starts.
var ErrPeriod = errors.New("report: invalid period")

// A Period is the stretch of time an evaluation covers: from From up to but
// not including Until. Its zone is From's: the evaluation counts its
// months and writes its times in it.
type Period struct {
	Name  string    `json:"name"`
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
}

// SchoolYear returns the school year that starts on 1 August of the year
// start, in loc: "2026–2027" (with an en dash), from 1 August 2026 to 1
// August 2027.
func SchoolYear(start int, loc *time.Location) Period {
	return Period{Name: strconv.Itoa(start) + "–" + strconv.Itoa(start+1),
		From: time.Date(start, time.August, 1, 0, 0, 0, 0, loc), Until: time.Date(start+1, time.August, 1, 0, 0, 0, 0, loc)}
}

// CalendarYear returns the calendar year in loc: "2027", from 1 January
// 2027 to 1 January 2028.
func CalendarYear(year int, loc *time.Location) Period {
	return Period{Name: strconv.Itoa(year),
		From: time.Date(year, time.January, 1, 0, 0, 0, 0, loc), Until: time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc)}
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.Until) }

// months returns the months the period touches, "2027-01", in order.
func (p Period) months() []string {
	var out []string
	from := p.From
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, from.Location()); m.Before(p.Until); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// An EvaluationReport counts what happened to the results in a period, for
// the exam committee's yearly report: in total, per programme, per
// component and per month.
type EvaluationReport struct {
	Period      Period          `json:"period"`
	TimeZone    string          `json:"time_zone"`    // the period's, of every time in the report
	Total       EvaluationRow   `json:"total"`        // its Key is "total"
	ByProgramme []EvaluationRow `json:"by_programme"` // by programme; "" for results without one
	ByComponent []EvaluationRow `json:"by_component"` // by component
	ByMonth     []EvaluationRow `json:"by_month"`     // every month of the period, in order
	// Erased lists the results left out because records of theirs were
	// erased (AVG).
	Erased []string `json:"erased"`
	// UntraceableRejections counts, of Total.RejectedDeliveries, the
	// rejected deliveries not traceable to a session: their association id
	// names no result in the trail. They count in the total and per month,
	// in no programme or component.
	UntraceableRejections int `json:"untraceable_rejections"`
}

// An EvaluationRow counts one group. Each event counts in the period and
// month in which it happened: a result when it was first received; an
// inspection when it was requested, with whether it was granted as the
// trail stands; a complaint or an appeal when it was lodged, with its
// outcome as the trail stands (Open while undecided), and for an appeal
// whether the appeals board extended its term; a correction,
// determination, annulment or exception when it was made; a rejected OKE
// delivery when it arrived. Programme and component are the result's as
// delivered at that event (a rejected delivery's: its result's as the
// trail stands).
type EvaluationRow struct {
	Key     string `json:"key"`
	Results int    `json:"results"`
	// Successors counts, of Results, the new decisions after an annulment
	// or a correction: results entered on the exam committee's decision
	// to replace another (Record.Supersedes). They are no assessments.
	Successors int `json:"successors"`
	// RejectedDeliveries counts the OKE deliveries the intake rejected.
	RejectedDeliveries int `json:"rejected_deliveries"`
	// Annulled counts the results annulled on appeal (an appeal upheld),
	// and AwaitingSuccessor, of these and of the results superseded by a
	// correction (Corrections.Corrected), those whose new decision is not
	// in the trail yet.
	Annulled          int         `json:"annulled"`
	AwaitingSuccessor int         `json:"awaiting_successor"`
	Determined        int         `json:"determined"`
	Early             int         `json:"early"`
	Corrections       Corrections `json:"corrections"`
	// Inspections (inzage) are no complaints: they are counted apart, and
	// Complaints holds none of them.
	Inspections Inspections `json:"inspections"`
	Complaints  Outcomes    `json:"complaints"`
	Appeals     Outcomes    `json:"appeals"`
	// AppealsExtended counts, of Appeals, those whose term the appeals
	// board extended (appeal_term_extended).
	AppealsExtended int `json:"appeals_extended"`
	Exceptions      int `json:"exceptions"`
	Irregularities  int `json:"irregularities"`
}

// Inspections count the students' requests to inspect their exam (inzage):
// Requested is Granted + Open.
type Inspections struct {
	Requested int `json:"requested"`
	Granted   int `json:"granted"`
	Open      int `json:"open"` // not granted yet
}

// Corrections count the grades corrected: Total is Complaint + Corrected.
type Corrections struct {
	Total     int `json:"total"`
	Complaint int `json:"complaint"` // a complaint upheld with a corrected grade
	Corrected int `json:"corrected"` // a determined result superseded by a correction
}

// Outcomes count complaints or appeals by outcome: Lodged is the sum of the
// others.
type Outcomes struct {
	Lodged       int `json:"lodged"`
	Upheld       int `json:"upheld"`
	NotUpheld    int `json:"not_upheld"`
	Withdrawn    int `json:"withdrawn"`
	Inadmissible int `json:"inadmissible"`
	Open         int `json:"open"`
}

func (o *Outcomes) add(outcome result.Outcome) {
	o.Lodged++
	switch outcome {
	case result.Upheld:
		o.Upheld++
	case result.NotUpheld:
		o.NotUpheld++
	case result.Withdrawn:
		o.Withdrawn++
	case result.Inadmissible:
		o.Inadmissible++
	default:
		o.Open++
	}
}

// Evaluation counts the trail over the period (see EvaluationRow for what
// counts where), its months and times in the period's zone: make the
// period in the calendar's zone (SchoolYear(2026, cal.Location())), so
// that the evaluation is in the zone of the other reports. A period that
// does not end after it starts matches ErrPeriod.
func Evaluation(ctx context.Context, s audit.Store, p Period) (EvaluationReport, error) {
	if !p.Until.After(p.From) {
		return EvaluationReport{}, fmt.Errorf("%w: %s ends at %s, not after its start %s", ErrPeriod, p.Name,
			p.Until.Format(time.RFC3339), p.From.Format(time.RFC3339))
	}
	tr, err := readTrail(ctx, s)
	if err != nil {
		return EvaluationReport{}, err
	}
	loc := p.From.Location()
	p.From, p.Until = p.From.In(loc), p.Until.In(loc)
	rep := EvaluationReport{Period: p, TimeZone: zoneName(loc), Total: EvaluationRow{Key: totalKey},
		ByProgramme: []EvaluationRow{}, ByComponent: []EvaluationRow{}, ByMonth: []EvaluationRow{}, Erased: []string{}}
	programmes, components := map[string]*EvaluationRow{}, map[string]*EvaluationRow{}
	months := map[string]*EvaluationRow{}
	monthKeys := p.months()
	for _, m := range monthKeys {
		months[m] = &EvaluationRow{Key: m}
	}
	row := func(rows map[string]*EvaluationRow, key string) *EvaluationRow {
		r := rows[key]
		if r == nil {
			r = &EvaluationRow{Key: key}
			rows[key] = r
		}
		return r
	}
	for _, h := range tr.histories {
		if h.erased {
			rep.Erased = append(rep.Erased, h.id)
			continue
		}
		received := false
		for i, e := range h.events {
			first := !received && e.Type == result.EventReceived
			received = received || first
			if !p.Contains(e.At) {
				continue
			}
			rec := &h.records[i]
			rows := []*EvaluationRow{&rep.Total, row(programmes, rec.Programme), row(components, rec.Component),
				row(months, e.At.In(loc).Format("2006-01"))}
			for _, r := range rows {
				r.count(tr, h, i, first)
			}
		}
	}
	for _, d := range tr.rejected {
		if !p.Contains(d.At) {
			continue
		}
		rows := []*EvaluationRow{&rep.Total, row(months, d.At.In(loc).Format("2006-01"))}
		if h := tr.byID[d.AssociationID]; h != nil && h.delivered() && !h.erased {
			rec := h.record()
			rows = append(rows, row(programmes, rec.Programme), row(components, rec.Component))
		} else {
			rep.UntraceableRejections++
		}
		for _, r := range rows {
			r.RejectedDeliveries++
		}
	}
	for _, key := range slices.Sorted(maps.Keys(programmes)) {
		rep.ByProgramme = append(rep.ByProgramme, *programmes[key])
	}
	for _, key := range slices.Sorted(maps.Keys(components)) {
		rep.ByComponent = append(rep.ByComponent, *components[key])
	}
	for _, key := range monthKeys {
		rep.ByMonth = append(rep.ByMonth, *months[key])
	}
	return rep, nil
}

// count counts the event i of the history in the row; first says it is
// the result's first receipt.
func (r *EvaluationRow) count(tr *trail, h *history, i int, first bool) {
	e := &h.events[i]
	switch e.Type {
	case result.EventReceived:
		if first {
			r.Results++
			if h.records[i].Supersedes != "" {
				r.Successors++
			}
		}
	case result.EventInspectionAsked:
		r.Inspections.Requested++
		if followedBy(h, i, result.EventInspectionGranted) {
			r.Inspections.Granted++
		} else {
			r.Inspections.Open++
		}
	case result.EventComplaintLodged:
		r.Complaints.add(decidedAfter(h, i, result.EventComplaintDecided))
	case result.EventAppealLodged:
		r.Appeals.add(decidedAfter(h, i, result.EventAppealDecided))
		if followedBy(h, i, result.EventAppealExtended) {
			r.AppealsExtended++
		}
	case result.EventAppealDecided:
		if e.To == result.Annulled {
			r.Annulled++
			if tr.successors[h.id] == "" {
				r.AwaitingSuccessor++
			}
		}
	case result.EventComplaintDecided:
		if e.Outcome == result.Upheld && !e.Grade.IsZero() {
			r.Corrections.Complaint++
			r.Corrections.Total++
		}
	case result.EventCorrected:
		r.Corrections.Corrected++
		r.Corrections.Total++
		if !tr.received(e.Successor) {
			r.AwaitingSuccessor++
		}
	case result.EventDetermined:
		r.Determined++
		if e.Early {
			r.Early++
		}
	case result.EventExceptionRaised:
		r.Exceptions++
		if e.Exception != nil && e.Exception.Kind == result.Irregularity {
			r.Irregularities++
		}
	}
}

// followedBy reports whether an event of the type follows event i before
// the next event of i's type: an inspection's grant, an appeal's extension.
func followedBy(h *history, i int, follow result.EventType) bool {
	for _, e := range h.events[i+1:] {
		switch e.Type {
		case follow:
			return true
		case h.events[i].Type:
			return false
		}
	}
	return false
}

// decidedAfter returns the outcome of the first decision of the type after
// event i, or "" when none was taken yet.
func decidedAfter(h *history, i int, decided result.EventType) result.Outcome {
	for _, e := range h.events[i+1:] {
		if e.Type == decided {
			return e.Outcome
		}
	}
	return ""
}

// JSON encodes the report as indented JSON.
func (r EvaluationReport) JSON() ([]byte, error) { return marshal(r) }
