package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
)

// ErrPeriod: a period that does not end after it starts.
var ErrPeriod = errors.New("report: invalid period")

// A Period is the stretch of time an evaluation covers: from From up to but
// not including Until. Its months are counted in From's zone.
type Period struct {
	Name  string    `json:"name"`
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
}

// SchoolYear returns the school year that starts on 1 August of the year
// start, in loc: "2026-2027", from 1 August 2026 to 1 August 2027.
func SchoolYear(start int, loc *time.Location) Period {
	return Period{Name: strconv.Itoa(start) + "-" + strconv.Itoa(start+1),
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
	Total       EvaluationRow   `json:"total"`        // its Key is "total"
	ByProgramme []EvaluationRow `json:"by_programme"` // by programme; "" for results without one
	ByComponent []EvaluationRow `json:"by_component"` // by component
	ByMonth     []EvaluationRow `json:"by_month"`     // every month of the period, in order
	// Erased lists the results left out because records of theirs were
	// erased (AVG).
	Erased []string `json:"erased"`
}

// An EvaluationRow counts one group. Each event counts in the period and
// month in which it happened: a result when it was first received; an
// inspection when it was requested, with whether it was granted as the
// trail stands; a complaint or an appeal when it was lodged, with its
// outcome as the trail stands (Open while undecided), and for an appeal
// whether the appeals board extended its term; a correction,
// determination or exception when it was made. Programme and component
// are the result's as delivered at that event.
type EvaluationRow struct {
	Key     string `json:"key"`
	Results int    `json:"results"`
	// Successors counts, of Results, the new decisions after an annulment
	// or a correction: results entered on the exam committee's decision
	// to replace another (Record.Supersedes). They are no assessments.
	Successors  int         `json:"successors"`
	Determined  int         `json:"determined"`
	Early       int         `json:"early"`
	Corrections Corrections `json:"corrections"`
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
// counts where). A period that does not end after it starts matches
// ErrPeriod.
func Evaluation(ctx context.Context, s audit.Store, p Period) (EvaluationReport, error) {
	if !p.Until.After(p.From) {
		return EvaluationReport{}, fmt.Errorf("%w: %s ends at %s, not after its start %s", ErrPeriod, p.Name,
			p.Until.Format(time.RFC3339), p.From.Format(time.RFC3339))
	}
	hs, err := readTrail(ctx, s)
	if err != nil {
		return EvaluationReport{}, err
	}
	rep := EvaluationReport{Period: p, Total: EvaluationRow{Key: "total"}, ByProgramme: []EvaluationRow{},
		ByComponent: []EvaluationRow{}, ByMonth: []EvaluationRow{}, Erased: []string{}}
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
	loc := p.From.Location()
	for _, h := range hs {
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
				r.count(h, i, first)
			}
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
func (r *EvaluationRow) count(h *history, i int, first bool) {
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
	case result.EventComplaintDecided:
		if e.Outcome == result.Upheld && !e.Grade.IsZero() {
			r.Corrections.Complaint++
			r.Corrections.Total++
		}
	case result.EventCorrected:
		r.Corrections.Corrected++
		r.Corrections.Total++
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

// WriteCSV writes the report as CSV: a header row, then a row per group:
// the total, each programme, each component and each month, named in the
// column group. The columns added later (successors, inspections_*,
// appeals_extended) come last, so that the earlier keep their places.
func (r EvaluationReport) WriteCSV(w io.Writer) error {
	header := []string{"group", "key", "results", "determined", "early", "corrections", "corrections_complaint",
		"corrections_corrected"}
	for _, k := range []string{"complaints", "appeals"} {
		for _, f := range []string{"lodged", "upheld", "not_upheld", "withdrawn", "inadmissible", "open"} {
			header = append(header, k+"_"+f)
		}
	}
	header = append(header, "exceptions", "irregularities", "successors", "inspections_requested",
		"inspections_granted", "inspections_open", "appeals_extended")
	var rows [][]string
	add := func(group string, e EvaluationRow) {
		row := []string{group, e.Key, itoa(e.Results), itoa(e.Determined), itoa(e.Early), itoa(e.Corrections.Total),
			itoa(e.Corrections.Complaint), itoa(e.Corrections.Corrected)}
		for _, o := range []Outcomes{e.Complaints, e.Appeals} {
			row = append(row, itoa(o.Lodged), itoa(o.Upheld), itoa(o.NotUpheld), itoa(o.Withdrawn), itoa(o.Inadmissible),
				itoa(o.Open))
		}
		rows = append(rows, append(row, itoa(e.Exceptions), itoa(e.Irregularities), itoa(e.Successors),
			itoa(e.Inspections.Requested), itoa(e.Inspections.Granted), itoa(e.Inspections.Open),
			itoa(e.AppealsExtended)))
	}
	add("total", r.Total)
	for _, e := range r.ByProgramme {
		add("programme", e)
	}
	for _, e := range r.ByComponent {
		add("component", e)
	}
	for _, e := range r.ByMonth {
		add("month", e)
	}
	return writeCSV(w, header, rows)
}

// WriteMarkdown writes the report as a Markdown page: the totals, then
// per programme, per component and per month.
func (r EvaluationReport) WriteMarkdown(w io.Writer) error {
	var p page
	p.line("# Evaluation (jaarverslag examencommissie): %s", md(r.Period.Name))
	p.blank()
	p.line("From %s up to %s, read from the audit trail. Each event counts in the month it happened: a result "+
		"when it was first received; an inspection (inzage) when it was requested, with whether it was granted; a "+
		"complaint (klacht) or an appeal (beroep) when it was lodged, with its outcome as the trail stands, and for "+
		"an appeal whether the appeals board extended its term; a correction, determination (vaststelling) or "+
		"exception when it was made. An inspection is no complaint: the complaints hold none.",
		mdTime(r.Period.From), mdTime(r.Period.Until))
	p.blank()
	p.line("## Totals")
	p.blank()
	t := r.Total
	p.table([]string{"", "count"}, "lr", [][]string{
		{"Results received", itoa(t.Results)},
		{"– of which new decisions after annulment or correction (nieuwe beslissing na vernietiging of correctie)",
			itoa(t.Successors)},
		{"Determined (vastgesteld)", itoa(t.Determined)},
		{"– of which early (vervroegd vastgesteld)", itoa(t.Early)},
		{"Corrections", itoa(t.Corrections.Total)},
		{"– complaint upheld with a corrected grade", itoa(t.Corrections.Complaint)},
		{"– determined result corrected (superseded)", itoa(t.Corrections.Corrected)},
		{"Inspections requested (inzage aangevraagd)", itoa(t.Inspections.Requested)},
		{"– granted (verleend)", itoa(t.Inspections.Granted)},
		{"– open", itoa(t.Inspections.Open)},
		{"Complaints (klachten)", itoa(t.Complaints.Lodged)},
		{"– upheld (gegrond)", itoa(t.Complaints.Upheld)},
		{"– not upheld (ongegrond)", itoa(t.Complaints.NotUpheld)},
		{"– withdrawn (ingetrokken)", itoa(t.Complaints.Withdrawn)},
		{"– inadmissible (niet-ontvankelijk)", itoa(t.Complaints.Inadmissible)},
		{"– open", itoa(t.Complaints.Open)},
		{"Appeals to the appeals board (beroepen bij de CBE)", itoa(t.Appeals.Lodged)},
		{"– upheld (gegrond): result annulled", itoa(t.Appeals.Upheld)},
		{"– not upheld (ongegrond)", itoa(t.Appeals.NotUpheld)},
		{"– withdrawn (ingetrokken)", itoa(t.Appeals.Withdrawn)},
		{"– inadmissible (niet-ontvankelijk)", itoa(t.Appeals.Inadmissible)},
		{"– open", itoa(t.Appeals.Open)},
		{"– of which the decision term was extended (beslistermijn verlengd)", itoa(t.AppealsExtended)},
		{"Exceptions", itoa(t.Exceptions)},
		{"– of which irregularities (onregelmatigheden)", itoa(t.Irregularities)},
	})
	for _, g := range []struct {
		title, column string
		rows          []EvaluationRow
	}{
		{"Per programme", "programme (opleiding)", r.ByProgramme},
		{"Per component", "component (onderdeel)", r.ByComponent},
		{"Per month", "month", r.ByMonth},
	} {
		p.line("## %s", g.title)
		p.blank()
		rows := make([][]string, len(g.rows))
		for i, e := range g.rows {
			key := md(e.Key)
			if key == "" {
				key = "(none)"
			}
			results, appeals := itoa(e.Results), outcomeText(e.Appeals)
			switch {
			case e.Successors == 1:
				results += " (1 new decision)"
			case e.Successors > 1:
				results += " (" + itoa(e.Successors) + " new decisions)"
			}
			if e.AppealsExtended > 0 {
				appeals += "; " + itoa(e.AppealsExtended) + " extended"
			}
			rows[i] = []string{key, results, itoa(e.Determined), itoa(e.Corrections.Total),
				inspectionText(e.Inspections), outcomeText(e.Complaints), appeals, itoa(e.Exceptions),
				itoa(e.Irregularities)}
		}
		p.table([]string{g.column, "results", "determined", "corrections", "inspections", "complaints", "appeals",
			"exceptions", "irregularities"}, "lrrrrrrrr", rows)
	}
	if len(r.Erased) > 0 {
		p.line("Left out because their records were erased (AVG): %s.", md(strings.Join(r.Erased, ", ")))
		p.blank()
	}
	return p.writeTo(w)
}

// inspectionText writes inspections for people: "2: 1 granted, 1 open".
func inspectionText(n Inspections) string {
	if n.Requested == 0 {
		return "0"
	}
	var parts []string
	if n.Granted > 0 {
		parts = append(parts, itoa(n.Granted)+" granted")
	}
	if n.Open > 0 {
		parts = append(parts, itoa(n.Open)+" open")
	}
	return itoa(n.Requested) + ": " + strings.Join(parts, ", ")
}

// outcomeText writes outcomes for people: "2: 1 upheld, 1 not upheld".
func outcomeText(o Outcomes) string {
	if o.Lodged == 0 {
		return "0"
	}
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{{o.Upheld, "upheld"}, {o.NotUpheld, "not upheld"}, {o.Withdrawn, "withdrawn"}, {o.Inadmissible, "inadmissible"},
		{o.Open, "open"}} {
		if c.n > 0 {
			parts = append(parts, itoa(c.n)+" "+c.name)
		}
	}
	return itoa(o.Lodged) + ": " + strings.Join(parts, ", ")
}
