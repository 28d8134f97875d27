package report

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A Status is how one result fared on one measure of timeliness.
type Status string

// The statuses. A result that has not reached a measure is Pending, or
// Overdue once its date has passed; neither is late.
const (
	OnTime        Status = "on_time"        // within its term; for determination: on its date, or early by decision
	Late          Status = "late"           // after its term
	BeforeDue     Status = "before_due"     // determined before its date without an early decision
	Pending       Status = "pending"        // not reached yet, and its date has not passed
	Overdue       Status = "overdue"        // not reached yet, and its date has passed
	NotApplicable Status = "not_applicable" // the measure does not apply, such as a result that ended before it
)

// A TimelinessReport measures the terms of the policy against the trail
// as it stood at a moment: per result, and per month of the exam date.
// Its moment and dates are in the calendar's zone, named by TimeZone.
type TimelinessReport struct {
	At       time.Time          `json:"at"`
	TimeZone string             `json:"time_zone"` // of At, and of the dates: the calendar's
	Results  []ResultTimeliness `json:"results"`   // by result id
	Months   []MonthTimeliness  `json:"months"`    // by month
	Total    MonthTimeliness    `json:"total"`     // every month; its Month is "total"
	// Erased lists the results left out because records of theirs were
	// erased (AVG): they cannot be rebuilt.
	Erased []string `json:"erased"`
}

// ResultTimeliness is one result on the five measures. Dates are civil
// dates in the calendar's zone; a date that ends a term means until the
// end of that working day, except the appeals board's, which the law sets
// (see Timeliness).
type ResultTimeliness struct {
	ID        string        `json:"id"`
	Offering  string        `json:"offering"`
	Programme string        `json:"programme"`
	Component string        `json:"component"`
	State     string        `json:"state"`
	Month     string        `json:"month"` // of the exam date, "2027-01"
	Exam      calendar.Date `json:"exam"`

	// Assessed: the assessor's part, the result delivered (the delivery
	// that was registered, or the last one while none was) before the end
	// of AssessmentDue; without the timeline's conflict registered_late.
	// Checked: the exam administration's part, a result delivered in time
	// registered (the first time, after the import check) before the end
	// of AssessmentDue too; late is the timeline's conflict checked_late. A
	// result delivered late is the assessor's lateness, and not measured
	// on Checked.
	AssessmentDue calendar.Date `json:"assessment_due"`
	Delivered     calendar.Date `json:"delivered,omitzero"`
	Registered    calendar.Date `json:"registered,omitzero"`
	Assessed      Status        `json:"assessed"`
	Checked       Status        `json:"checked"`

	// Determination: determined on DeterminationDue (set by the rule
	// Binding), or early by decision.
	DeterminationDue calendar.Date `json:"determination_due,omitzero"`
	Binding          string        `json:"binding"`
	Determined       calendar.Date `json:"determined,omitzero"`
	Early            bool          `json:"early"`
	Determination    Status        `json:"determination"`

	Complaints []Handling `json:"complaints"` // decided by their ComplaintDecisionDue
	Appeals    []Handling `json:"appeals"`    // decided by their AppealDecisionDue, extended or not
}

// A Handling is one complaint or appeal: lodged, due to be decided, and
// decided or not yet. Extended says the appeals board extended its term
// to decide (appeal_term_extended): Due is the extended date.
type Handling struct {
	Lodged   calendar.Date `json:"lodged"`
	Due      calendar.Date `json:"due"`
	Extended bool          `json:"extended"`
	Decided  calendar.Date `json:"decided,omitzero"`
	Status   Status        `json:"status"`
}

// MonthTimeliness counts the measures of the results whose exam fell in one
// month. AppealsExtended counts the appeals whose term the appeals board
// extended, on time or not.
type MonthTimeliness struct {
	Month           string `json:"month"`   // "2027-01", or "total"
	Results         int    `json:"results"` // the results of the month
	Assessed        Tally  `json:"assessed"`
	Checked         Tally  `json:"checked"`
	Determined      Tally  `json:"determined"`
	Complaints      Tally  `json:"complaints"`
	Appeals         Tally  `json:"appeals"`
	AppealsExtended int    `json:"appeals_extended"`
}

// A Tally counts one measure. Measured is OnTime + Late + BeforeDue, and
// Percent is OnTime of Measured (see Percent), empty when nothing was
// measured. Pending counts every result that has not reached the measure;
// Overdue is the part of them whose date has passed.
type Tally struct {
	OnTime    int    `json:"on_time"`
	Late      int    `json:"late"`
	BeforeDue int    `json:"before_due"`
	Pending   int    `json:"pending"`
	Overdue   int    `json:"overdue"`
	Early     int    `json:"early"` // of OnTime: determined early by decision
	Measured  int    `json:"measured"`
	Percent   string `json:"percent"`
}

func (t *Tally) add(s Status, early bool) {
	switch s {
	case OnTime:
		t.OnTime++
		if early {
			t.Early++
		}
	case Late:
		t.Late++
	case BeforeDue:
		t.BeforeDue++
	case Overdue:
		t.Overdue++
		t.Pending++
	case Pending:
		t.Pending++
	}
	t.Measured = t.OnTime + t.Late + t.BeforeDue
	t.Percent = Percent(t.OnTime, t.Measured)
}

func (m *MonthTimeliness) add(r *ResultTimeliness) {
	m.Results++
	m.Assessed.add(r.Assessed, false)
	m.Checked.add(r.Checked, false)
	m.Determined.add(r.Determination, r.Early)
	for _, h := range r.Complaints {
		m.Complaints.add(h.Status, false)
	}
	for _, h := range r.Appeals {
		m.Appeals.add(h.Status, false)
		if h.Extended {
			m.AppealsExtended++
		}
	}
}

// Timeliness measures every result of the trail as it stood at the moment
// at (events after it are left out): the results rebuilt from the trail
// (audit.Rebuild, in the calendar's zone) placed on their timelines under
// the calendar and the policies. Results rejected at intake are no
// results and are left out. Successors of corrected or annulled results
// (the exam committee's new decision, not an assessment) are not measured
// on the assessment term, by the assessor or the administration. An
// appeal is measured against the appeals board's term as the timeline
// counts it (AppealDecisionDue, under the Algemene termijnenwet): extended
// when the board extended it (appeal_term_extended), and kept on any
// moment of its last day, whenever the institution's working day ends.
// The report's moment and dates are in the calendar's zone; a nil calendar
// is the default calendar (Europe/Amsterdam).
func Timeliness(ctx context.Context, s audit.Store, cal *calendar.Calendar, policies *timeline.PolicySet, at time.Time) (TimelinessReport, error) {
	cal = calendarOrDefault(cal)
	loc := cal.Location()
	rb, err := audit.Rebuild(ctx, s, loc)
	if err != nil {
		return TimelinessReport{}, fmt.Errorf("report: %w", err)
	}
	tr, err := readTrail(ctx, s)
	if err != nil {
		return TimelinessReport{}, err
	}
	rep := TimelinessReport{At: in(at, loc), TimeZone: zoneName(loc), Results: []ResultTimeliness{}, Months: []MonthTimeliness{},
		Total: MonthTimeliness{Month: "total"}, Erased: slices.Sorted(slices.Values(rb.Erased))}
	if rep.Erased == nil {
		rep.Erased = []string{}
	}
	months := map[string]*MonthTimeliness{}
	for _, h := range tr.histories {
		r, ok := rb.Results[h.id]
		if !ok {
			continue // erased
		}
		if r.Updated.After(at) {
			if r, err = audit.StateAt(ctx, s, h.id, at, loc); err != nil {
				return rep, fmt.Errorf("report: %w", err)
			}
		}
		if r.State == result.None || r.State == result.Rejected {
			continue
		}
		line, err := measure(cal, policies, &r, h, at)
		if err != nil {
			return rep, err
		}
		rep.Results = append(rep.Results, line)
		m := months[line.Month]
		if m == nil {
			m = &MonthTimeliness{Month: line.Month}
			months[line.Month] = m
		}
		m.add(&line)
		rep.Total.add(&line)
	}
	for _, key := range slices.Sorted(maps.Keys(months)) {
		rep.Months = append(rep.Months, *months[key])
	}
	return rep, nil
}

// measure places one result on the four measures at the moment at.
func measure(cal *calendar.Calendar, policies *timeline.PolicySet, r *result.Result, h *history, at time.Time) (ResultTimeliness, error) {
	tl, err := timeline.New(cal, policies, r.Facts())
	if err != nil {
		return ResultTimeliness{}, fmt.Errorf("report: result %s: %w", r.ID, err)
	}
	line := ResultTimeliness{
		ID: r.ID, Offering: r.Offering, Programme: r.Programme, Component: r.Component, State: r.State.String(),
		Month: month(tl.Exam), Exam: tl.Exam, AssessmentDue: tl.AssessmentDue,
		Complaints: []Handling{}, Appeals: []Handling{},
	}
	overdue := func(due calendar.Date) Status {
		if due.IsZero() || at.Before(cal.EndOf(due)) {
			return Pending
		}
		return Overdue
	}

	// What the result's events say up to the moment: the delivery that
	// was registered (the last before the first registration), the first
	// registration, and every complaint and appeal.
	var delivered, registered time.Time
	var complaints [][2]time.Time // lodged, decided
	var appeals []appealSpan
	for _, e := range h.events {
		if e.At.After(at) {
			break
		}
		switch e.Type {
		case result.EventReceived, result.EventRedelivered:
			if registered.IsZero() {
				delivered = e.At
			}
		case result.EventRegistered:
			if registered.IsZero() {
				registered = e.At
			}
		case result.EventComplaintLodged:
			complaints = append(complaints, [2]time.Time{e.At})
		case result.EventComplaintDecided:
			if c := last(complaints); c != nil {
				c[1] = e.At
			}
		case result.EventAppealLodged:
			appeals = append(appeals, appealSpan{lodged: e.At})
		case result.EventAppealExtended:
			if a := last(appeals); a != nil {
				a.extended = true
			}
		case result.EventAppealDecided:
			if a := last(appeals); a != nil {
				a.decided = e.At
			}
		}
	}

	// An invalidated result ended, also while its invalidation is under
	// appeal: nothing is due on it until the board decides.
	ended := r.State.IsEnd() || !r.Invalidated.IsZero()
	switch {
	case r.Supersedes != "":
		line.Assessed, line.Checked = NotApplicable, NotApplicable
	case delivered.IsZero() && registered.IsZero():
		line.Assessed, line.Checked = overdue(tl.AssessmentDue), overdue(tl.AssessmentDue)
		if ended {
			line.Assessed, line.Checked = NotApplicable, NotApplicable
		}
	default:
		// The timeline of the assessment alone: its first registration,
		// and the delivery that was registered.
		atl, err := timeline.New(cal, policies, timeline.Facts{Result: r.ID, Exam: r.Exam, Delivered: delivered,
			Registered: registered})
		if err != nil {
			return line, fmt.Errorf("report: result %s: assessment: %w", r.ID, err)
		}
		line.Delivered, line.Registered = atl.Delivered, atl.Registered
		line.Assessed = OnTime
		switch {
		case atl.HasConflict(timeline.RegisteredLate):
			line.Assessed, line.Checked = Late, NotApplicable
		case atl.HasConflict(timeline.CheckedLate):
			line.Checked = Late
		case !registered.IsZero():
			line.Checked = OnTime
		case ended:
			line.Checked = NotApplicable
		default:
			line.Checked = overdue(tl.AssessmentDue)
		}
	}

	line.DeterminationDue, line.Binding = tl.DeterminationDue, tl.Binding.String()
	switch {
	case !tl.Determined.IsZero():
		line.Determined, line.Early = tl.Determined, r.Early
		switch {
		case tl.Binding == timeline.Early || tl.Determined == tl.DeterminationDue:
			line.Determination = OnTime
		case tl.Determined.After(tl.DeterminationDue):
			line.Determination = Late
		default:
			line.Determination = BeforeDue
		}
		line.Early = line.Early && line.Determination == OnTime
	case ended:
		line.Determination = NotApplicable
	default:
		line.Determination = overdue(tl.DeterminationDue)
	}

	for _, c := range complaints {
		ctl, err := timeline.New(cal, policies, timeline.Facts{Result: r.ID, Exam: r.Exam, Registered: registered,
			ComplaintLodged: c[0]})
		if err != nil {
			return line, fmt.Errorf("report: result %s: complaint: %w", r.ID, err)
		}
		line.Complaints = append(line.Complaints, handling(cal, c, ctl.ComplaintDecisionDue, overdue))
	}
	for _, a := range appeals {
		f := r.Facts()
		f.ComplaintLodged, f.ComplaintDecided = time.Time{}, time.Time{}
		f.AppealLodged, f.AppealDecided, f.AppealExtended = a.lodged, a.decided, a.extended
		atl, err := timeline.New(cal, policies, f)
		if err != nil {
			return line, fmt.Errorf("report: result %s: appeal: %w", r.ID, err)
		}
		line.Appeals = append(line.Appeals, appealHandling(cal, &atl, a, at))
	}
	return line, nil
}

// An appealSpan is one appeal as the events tell it.
type appealSpan struct {
	lodged, decided time.Time
	extended        bool // the appeals board extended its term
}

// appealHandling measures one appeal on its timeline: late is the
// timeline's conflict appeal_decided_late. The board's term is the law's
// and ends with its last day, not at the end of the institution's working
// day: an open appeal is overdue from the day after.
func appealHandling(cal *calendar.Calendar, tl *timeline.Timeline, a appealSpan, at time.Time) Handling {
	h := Handling{Lodged: tl.AppealLodged, Due: tl.AppealDecisionDue, Extended: a.extended}
	switch {
	case a.decided.IsZero() && (h.Due.IsZero() || !cal.Date(at).After(h.Due)):
		h.Status = Pending
	case a.decided.IsZero():
		h.Status = Overdue
	case tl.HasConflict(timeline.AppealDecidedLate):
		h.Decided, h.Status = tl.AppealDecided, Late
	default:
		h.Decided, h.Status = tl.AppealDecided, OnTime
	}
	return h
}

// handling measures one complaint or appeal against its due date.
func handling(cal *calendar.Calendar, span [2]time.Time, due calendar.Date, overdue func(calendar.Date) Status) Handling {
	h := Handling{Lodged: cal.Date(span[0]), Due: due}
	switch {
	case span[1].IsZero():
		h.Status = overdue(due)
	case span[1].Before(cal.EndOf(due)):
		h.Decided, h.Status = cal.Date(span[1]), OnTime
	default:
		h.Decided, h.Status = cal.Date(span[1]), Late
	}
	return h
}

// month returns the month of d as "2027-01".
func month(d calendar.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// JSON encodes the report as indented JSON.
func (r TimelinessReport) JSON() ([]byte, error) { return marshal(r) }
