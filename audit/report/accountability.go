package report

import (
	"context"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
)

// An AccountabilityReport is the session report (zittingsverslag,
// procesverbaal) of one exam session: every result delivered for the
// session's offering, as the trail tells it, and the totals. Its times are
// in UTC as Accountability returns it; In shows them in another zone.
type AccountabilityReport struct {
	// Offering is the exam session: the offering of the results' records.
	Offering string          `json:"offering"`
	Results  []SessionResult `json:"results"` // by result id
	Totals   SessionTotals   `json:"totals"`
	// Unplaced lists the results of the trail whose delivered record was
	// erased: their session cannot be read, so no session report holds them.
	Unplaced []string `json:"unplaced"`
}

// A SessionResult is one line of a session report: one result, from its
// delivery to its determination.
type SessionResult struct {
	ID        string    `json:"id"`
	Student   string    `json:"student"`
	Component string    `json:"component"`
	Programme string    `json:"programme"`
	Attempt   int       `json:"attempt"`
	Assessor  string    `json:"assessor"`
	Exam      time.Time `json:"exam"`
	Grade     string    `json:"grade"` // as it stands: delivered, or corrected on complaint
	State     string    `json:"state"`
	// Erased says that some of the result's records were erased (AVG):
	// what they held beyond their headers is not shown.
	Erased bool `json:"erased"`
	// Supersedes names the result this one replaces, for a new decision
	// after an annulment or a correction (a successor), and Decision the
	// exam committee's decision it was entered on; both empty otherwise.
	Supersedes string `json:"supersedes"`
	Decision   string `json:"decision"`

	Deliveries     []Delivery      `json:"deliveries"` // what arrived, received and redelivered
	Check          Check           `json:"check"`      // the import check
	Exceptions     []ExceptionLine `json:"exceptions"`
	Irregularities int             `json:"irregularities"` // exceptions of the kind irregularity
	Inspections    []Inspection    `json:"inspections"`    // no complaints: asked and granted
	Complaints     []Decision      `json:"complaints"`
	Appeals        []Decision      `json:"appeals"`
	Determination  Determination   `json:"determination"`
	Correction     Correction      `json:"correction,omitzero"` // a determined result replaced by a correction
	// Ended says how a result in an end state ended, such as "annulled on
	// appeal"; empty while it is under way or final.
	Ended string `json:"ended"`
}

// A Delivery is one arrival of the result's record.
type Delivery struct {
	Type   string    `json:"type"` // received or redelivered
	At     time.Time `json:"at"`
	By     Who       `json:"by"`
	Grade  string    `json:"grade"`
	Source string    `json:"source"` // oke or manual
}

// A Check is the import check: whether and when the result was registered
// as provisional, or why it was rejected.
type Check struct {
	Registered bool      `json:"registered"`
	At         time.Time `json:"at,omitzero"` // the first registration
	By         Who       `json:"by,omitzero"`
	Policy     string    `json:"policy"` // the policy version in force
	Rejected   bool      `json:"rejected"`
	Reason     string    `json:"reason"` // why it was rejected
}

// An ExceptionLine is one exception: who raised it and when, and who
// resolved or approved it, when, why and under which mandate.
type ExceptionLine struct {
	ID       int       `json:"id"`
	Kind     string    `json:"kind"`
	Detail   string    `json:"detail"`
	Raised   time.Time `json:"raised"`
	RaisedBy Who       `json:"raised_by"`
	Outcome  string    `json:"outcome"` // resolved or approved; empty while open
	Closed   time.Time `json:"closed,omitzero"`
	ClosedBy Who       `json:"closed_by,omitzero"`
	Reason   string    `json:"reason"`
	Mandate  string    `json:"mandate"`
}

// Open reports whether the exception waits for a person.
func (x ExceptionLine) Open() bool { return x.Outcome == "" }

// An Inspection is a student's request to inspect the exam (inzage): no
// complaint, it holds nothing and needs no decision of the committee; it
// is granted, with when and where (Detail).
type Inspection struct {
	Requested   time.Time `json:"requested"`
	RequestedBy Who       `json:"requested_by"`
	Granted     time.Time `json:"granted,omitzero"`
	GrantedBy   Who       `json:"granted_by,omitzero"`
	Detail      string    `json:"detail"` // when and where, as granted
}

// Open reports whether the inspection waits to be granted.
func (n Inspection) Open() bool { return n.Granted.IsZero() }

// A Decision is a complaint (klacht) or an appeal (beroep): lodged, and
// decided or open.
type Decision struct {
	Lodged    time.Time `json:"lodged"`
	LodgedBy  Who       `json:"lodged_by"`
	Decided   time.Time `json:"decided,omitzero"`
	DecidedBy Who       `json:"decided_by,omitzero"`
	Outcome   string    `json:"outcome"` // upheld, not_upheld, withdrawn, inadmissible; empty while open
	Reason    string    `json:"reason"`
	// Grade and OldGrade: a complaint upheld with a corrected grade.
	Grade    string `json:"grade"`
	OldGrade string `json:"old_grade"`
	// Extended, ExtendedBy and ExtensionReason: an appeal whose term the
	// appeals board extended (beslistermijn verlengd), when, by whom and
	// why.
	Extended        time.Time `json:"extended,omitzero"`
	ExtendedBy      Who       `json:"extended_by,omitzero"`
	ExtensionReason string    `json:"extension_reason"`
}

// Open reports whether the decision is still to be taken.
func (d Decision) Open() bool { return d.Decided.IsZero() }

// A Determination says who determined the result (vaststelling), under
// which mandate and when; or, while it is not determined, why not.
type Determination struct {
	Determined bool      `json:"determined"`
	At         time.Time `json:"at,omitzero"`
	By         Who       `json:"by,omitzero"`
	Mandate    string    `json:"mandate"`  // empty: on the actor's own authority
	Early      bool      `json:"early"`    // vervroegd vastgesteld, for a diploma or certificate
	Decision   string    `json:"decision"` // the exam committee's decision, for an early determination
	Pending    string    `json:"pending"`  // while not determined: why not yet
}

// A Correction replaces a determined result by a new one.
type Correction struct {
	At        time.Time `json:"at"`
	By        Who       `json:"by"`
	Decision  string    `json:"decision"`
	Reason    string    `json:"reason"`
	Grade     string    `json:"grade"`
	OldGrade  string    `json:"old_grade"`
	Successor string    `json:"successor"`
}

// SessionTotals count a session report's results.
type SessionTotals struct {
	Results  int `json:"results"`
	Accepted int `json:"accepted"` // registered as provisional after the import check
	Rejected int `json:"rejected"` // rejected at intake
	// Successors counts the new decisions after an annulment or a
	// correction: results that replace another (SessionResult.Supersedes).
	Successors int `json:"successors"`
	// Exceptions counts every exception; ExceptionsByKind per kind, and
	// OpenExceptions those that still wait.
	Exceptions       int            `json:"exceptions"`
	ExceptionsByKind map[string]int `json:"exceptions_by_kind"`
	OpenExceptions   int            `json:"open_exceptions"`
	Irregularities   int            `json:"irregularities"`
	// Inspections counts the requests to inspect (no complaints), and
	// InspectionsGranted those granted.
	Inspections        int `json:"inspections"`
	InspectionsGranted int `json:"inspections_granted"`
	Complaints         int `json:"complaints"`
	Appeals            int `json:"appeals"`
	// AppealsExtended counts the appeals whose term the appeals board extended.
	AppealsExtended int `json:"appeals_extended"`
	Determined      int `json:"determined"`
	Early           int `json:"early"`
	NotDetermined   int `json:"not_determined"`
	// DeterminedBy counts the determinations per mandate and actor, by
	// mandate and then actor; the mandate is empty for a determination on
	// the actor's own authority (the exam committee's).
	DeterminedBy []MandateCount `json:"determined_by"`
}

// A MandateCount is how many results one actor determined under one mandate.
type MandateCount struct {
	Mandate string `json:"mandate"`
	By      Who    `json:"by"`
	Count   int    `json:"count"`
}

// Accountability reads the session report of the exam session offering
// from the trail: every result whose delivered record names the offering,
// by id. The offering "" reports the results delivered without one (such
// as those entered by hand).
func Accountability(ctx context.Context, s audit.Store, offering string) (AccountabilityReport, error) {
	hs, err := readTrail(ctx, s)
	if err != nil {
		return AccountabilityReport{}, err
	}
	rep := AccountabilityReport{Offering: offering, Results: []SessionResult{}, Unplaced: []string{},
		Totals: SessionTotals{ExceptionsByKind: map[string]int{}, DeterminedBy: []MandateCount{}}}
	for _, h := range hs {
		if !h.delivered() {
			if h.erased {
				rep.Unplaced = append(rep.Unplaced, h.id)
			}
			continue
		}
		if h.record().Offering != offering {
			continue
		}
		item := sessionResult(h)
		rep.Results = append(rep.Results, item)
		rep.Totals.add(&item)
	}
	return rep, nil
}

// add counts one result in the totals.
func (t *SessionTotals) add(item *SessionResult) {
	t.Results++
	if item.Check.Registered {
		t.Accepted++
	}
	if item.Check.Rejected {
		t.Rejected++
	}
	if item.Supersedes != "" {
		t.Successors++
	}
	for _, x := range item.Exceptions {
		t.Exceptions++
		t.ExceptionsByKind[x.Kind]++
		if x.Open() {
			t.OpenExceptions++
		}
	}
	t.Irregularities += item.Irregularities
	for _, n := range item.Inspections {
		t.Inspections++
		if !n.Open() {
			t.InspectionsGranted++
		}
	}
	t.Complaints += len(item.Complaints)
	t.Appeals += len(item.Appeals)
	for _, d := range item.Appeals {
		if !d.Extended.IsZero() {
			t.AppealsExtended++
		}
	}
	d := &item.Determination
	if !d.Determined {
		t.NotDetermined++
		return
	}
	t.Determined++
	if d.Early {
		t.Early++
	}
	i, found := slices.BinarySearchFunc(t.DeterminedBy, MandateCount{Mandate: d.Mandate, By: d.By}, compareMandateCount)
	if !found {
		t.DeterminedBy = slices.Insert(t.DeterminedBy, i, MandateCount{Mandate: d.Mandate, By: d.By})
	}
	t.DeterminedBy[i].Count++
}

func compareMandateCount(a, b MandateCount) int {
	if c := strings.Compare(a.Mandate, b.Mandate); c != 0 {
		return c
	}
	if c := strings.Compare(a.By.ID, b.By.ID); c != 0 {
		return c
	}
	return strings.Compare(a.By.Role, b.By.Role)
}

// sessionResult follows one result's events into its line.
func sessionResult(h *history) SessionResult {
	rec := h.record()
	item := SessionResult{
		ID: h.id, Student: rec.Student, Component: rec.Component, Programme: rec.Programme, Attempt: rec.Attempt,
		Assessor: rec.Assessor, Exam: utc(rec.Exam), Erased: h.erased, Supersedes: rec.Supersedes,
		Deliveries: []Delivery{}, Exceptions: []ExceptionLine{}, Inspections: []Inspection{}, Complaints: []Decision{},
		Appeals: []Decision{},
	}
	var state result.State
	var grade result.Grade
	invalidated := false
	for _, e := range h.events {
		at, by := utc(e.At), who(e.Actor)
		state = e.To
		switch e.Type {
		case result.EventReceived, result.EventRedelivered:
			d := Delivery{Type: string(e.Type), At: at, By: by}
			if e.Type == result.EventReceived && e.Decision != "" {
				item.Decision = e.Decision
			}
			if e.Record != nil {
				grade = e.Record.Grade
				d.Grade, d.Source = grade.String(), string(e.Record.Source)
			}
			item.Deliveries = append(item.Deliveries, d)
		case result.EventRegistered:
			if !item.Check.Registered {
				item.Check.Registered, item.Check.At, item.Check.By, item.Check.Policy = true, at, by, e.Policy
			}
		case result.EventRejected:
			item.Check.Rejected, item.Check.Reason = true, e.Reason
		case result.EventExceptionRaised:
			x := ExceptionLine{ID: len(item.Exceptions) + 1, Raised: at, RaisedBy: by}
			if e.Exception != nil {
				x = exceptionLine(e.Exception)
			}
			item.Exceptions = append(item.Exceptions, x)
		case result.EventExceptionResolved:
			if x := e.Exception; x != nil && x.ID >= 1 && x.ID <= len(item.Exceptions) {
				item.Exceptions[x.ID-1] = exceptionLine(x)
			}
		case result.EventInspectionAsked:
			item.Inspections = append(item.Inspections, Inspection{Requested: at, RequestedBy: by})
		case result.EventInspectionGranted:
			if n := last(item.Inspections); n != nil {
				n.Granted, n.GrantedBy, n.Detail = at, by, e.Detail
			}
		case result.EventComplaintLodged:
			item.Complaints = append(item.Complaints, Decision{Lodged: at, LodgedBy: by})
		case result.EventComplaintDecided:
			if d := last(item.Complaints); d != nil {
				decide(d, e, at, by)
				if !e.Grade.IsZero() {
					grade = e.Grade
				}
			}
		case result.EventAppealLodged:
			item.Appeals = append(item.Appeals, Decision{Lodged: at, LodgedBy: by})
		case result.EventAppealExtended:
			if d := last(item.Appeals); d != nil {
				d.Extended, d.ExtendedBy, d.ExtensionReason = at, by, e.Reason
			}
		case result.EventAppealDecided:
			if d := last(item.Appeals); d != nil {
				decide(d, e, at, by)
			}
		case result.EventDetermined:
			item.Determination = Determination{Determined: true, At: at, By: by, Mandate: e.Mandate, Early: e.Early,
				Decision: e.Decision}
		case result.EventCorrected:
			item.Correction = Correction{At: at, By: by, Decision: e.Decision, Reason: e.Reason,
				Grade: e.Grade.String(), OldGrade: e.OldGrade.String(), Successor: e.Successor}
		case result.EventInvalidated:
			invalidated = true
			item.Ended = "invalidated"
			if e.Decision != "" {
				item.Ended += " (" + e.Decision + ")"
			}
			if e.Reason != "" {
				item.Ended += ": " + e.Reason
			}
		}
	}
	for _, x := range item.Exceptions {
		if x.Kind == string(result.Irregularity) {
			item.Irregularities++
		}
	}
	item.State, item.Grade = state.String(), grade.String()
	switch state {
	case result.Superseded:
		item.Ended = "superseded by " + item.Correction.Successor
	case result.Annulled:
		item.Ended = "annulled on appeal"
	case result.Rejected:
		item.Ended = "rejected at intake: " + item.Check.Reason
	case result.Invalidated:
	default:
		// Under way again: an invalidation under appeal has not ended yet.
		item.Ended = ""
	}
	if !item.Determination.Determined {
		item.Determination.Pending = pending(state, &item, invalidated)
	}
	return item
}

// pending says why a result that is not determined is not determined yet;
// invalidated says the exam committee invalidated it.
func pending(state result.State, item *SessionResult, invalidated bool) string {
	var open []string
	for _, x := range item.Exceptions {
		if x.Open() {
			open = append(open, x.Kind+" #"+strconv.Itoa(x.ID))
		}
	}
	complaint := false
	if d := last(item.Complaints); d != nil && d.Open() {
		complaint = true
	}
	var why []string
	switch state {
	case result.Received:
		why = append(why, "received, not registered yet: the import check waits")
	case result.Provisional:
		why = append(why, "provisional: the student's terms run")
	case result.OnHold:
		why = append(why, "on hold")
	case result.Rejected:
		return "rejected at intake"
	case result.Invalidated:
		return "invalidated"
	case result.UnderAppeal:
		if invalidated {
			return "invalidated; under appeal (in beroep) against the invalidation"
		}
		why = append(why, "under appeal (in beroep)")
	default:
		why = append(why, state.String())
	}
	if complaint {
		why = append(why, "a complaint is open")
	}
	if len(open) > 0 {
		why = append(why, "open exceptions: "+strings.Join(open, ", "))
	}
	return strings.Join(why, "; ")
}

func exceptionLine(x *result.Exception) ExceptionLine {
	return ExceptionLine{ID: x.ID, Kind: string(x.Kind), Detail: x.Detail, Raised: utc(x.Raised), RaisedBy: who(x.RaisedBy),
		Outcome: string(x.Outcome), Closed: utc(x.Closed), ClosedBy: who(x.ClosedBy), Reason: x.Reason, Mandate: x.Mandate}
}

func decide(d *Decision, e result.Event, at time.Time, by Who) {
	d.Decided, d.DecidedBy, d.Outcome, d.Reason = at, by, string(e.Outcome), e.Reason
	if !e.Grade.IsZero() {
		d.Grade, d.OldGrade = e.Grade.String(), e.OldGrade.String()
	}
}

func last[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[len(s)-1]
}

// utc returns t in UTC, keeping the zero time zero.
func utc(t time.Time) time.Time { return in(t, time.UTC) }

// in returns t in loc, keeping the zero time zero.
func in(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// In returns a copy of the report with every time shown in loc, such as
// the calendar's Europe/Amsterdam, for people to read.
func (r AccountabilityReport) In(loc *time.Location) AccountabilityReport {
	out := r
	out.Unplaced = slices.Clone(r.Unplaced)
	out.Totals.ExceptionsByKind = maps.Clone(r.Totals.ExceptionsByKind)
	out.Totals.DeterminedBy = slices.Clone(r.Totals.DeterminedBy)
	out.Results = make([]SessionResult, len(r.Results))
	for i, item := range r.Results {
		item.Exam = in(item.Exam, loc)
		item.Deliveries = slices.Clone(item.Deliveries)
		for j := range item.Deliveries {
			item.Deliveries[j].At = in(item.Deliveries[j].At, loc)
		}
		item.Check.At = in(item.Check.At, loc)
		item.Exceptions = slices.Clone(item.Exceptions)
		for j := range item.Exceptions {
			x := &item.Exceptions[j]
			x.Raised, x.Closed = in(x.Raised, loc), in(x.Closed, loc)
		}
		item.Inspections = slices.Clone(item.Inspections)
		for j := range item.Inspections {
			n := &item.Inspections[j]
			n.Requested, n.Granted = in(n.Requested, loc), in(n.Granted, loc)
		}
		item.Complaints, item.Appeals = decisionsIn(item.Complaints, loc), decisionsIn(item.Appeals, loc)
		item.Determination.At = in(item.Determination.At, loc)
		item.Correction.At = in(item.Correction.At, loc)
		out.Results[i] = item
	}
	return out
}

func decisionsIn(ds []Decision, loc *time.Location) []Decision {
	ds = slices.Clone(ds)
	for i := range ds {
		ds[i].Lodged, ds[i].Decided, ds[i].Extended = in(ds[i].Lodged, loc), in(ds[i].Decided, loc), in(ds[i].Extended, loc)
	}
	return ds
}

// JSON encodes the report as indented JSON.
func (r AccountabilityReport) JSON() ([]byte, error) { return marshal(r) }

// accountabilityHeader is the CSV header of a session report.
var accountabilityHeader = []string{"offering", "result", "student", "component", "programme", "attempt", "assessor",
	"exam", "grade", "state", "erased", "received", "redelivered", "registered", "registered_by", "rejected",
	"exceptions", "open_exceptions", "irregularities", "complaints", "appeals", "determined", "determined_by",
	"determined_role", "mandate", "early", "decision", "pending", "ended", "supersedes", "new_decision",
	"inspections", "appeals_extended"}

// WriteCSV writes the report as CSV: a header row, then a row per result.
// Times are RFC 3339; exceptions are listed as "late_assessment #1
// approved", complaints and appeals by their outcomes ("open" while
// undecided), inspections as "granted" or "open", each list separated by
// "; "; appeals_extended counts the appeals whose term the board
// extended. A successor names the result it replaces (supersedes) and the
// committee's decision it was entered on (new_decision). The columns
// added later (from supersedes on) come last, so that the earlier keep
// their places.
func (r AccountabilityReport) WriteCSV(w io.Writer) error {
	rows := make([][]string, 0, len(r.Results))
	for _, item := range r.Results {
		var received time.Time
		redelivered := 0
		for _, d := range item.Deliveries {
			if d.Type == string(result.EventReceived) && received.IsZero() {
				received = d.At
			}
			if d.Type == string(result.EventRedelivered) {
				redelivered++
			}
		}
		var exceptions []string
		open := 0
		for _, x := range item.Exceptions {
			exceptions = append(exceptions, exceptionText(x))
			if x.Open() {
				open++
			}
		}
		inspections := make([]string, len(item.Inspections))
		for i, n := range item.Inspections {
			inspections[i] = "granted"
			if n.Open() {
				inspections[i] = "open"
			}
		}
		extended := 0
		for _, a := range item.Appeals {
			if !a.Extended.IsZero() {
				extended++
			}
		}
		d := item.Determination
		rows = append(rows, []string{r.Offering, item.ID, item.Student, item.Component, item.Programme,
			itoa(item.Attempt), item.Assessor, csvTime(item.Exam), item.Grade, item.State, boolText(item.Erased),
			csvTime(received), itoa(redelivered), csvTime(item.Check.At), item.Check.By.ID,
			boolText(item.Check.Rejected), strings.Join(exceptions, "; "), itoa(open), itoa(item.Irregularities),
			outcomes(item.Complaints), outcomes(item.Appeals), csvTime(d.At), d.By.ID, d.By.Role, d.Mandate,
			boolText(d.Early), d.Decision, d.Pending, item.Ended, item.Supersedes, item.Decision,
			strings.Join(inspections, "; "), itoa(extended)})
	}
	return writeCSV(w, accountabilityHeader, rows)
}

// exceptionText writes an exception as "late_assessment #1 approved".
func exceptionText(x ExceptionLine) string {
	kind := x.Kind
	if kind == "" {
		kind = "(erased)"
	}
	outcome := x.Outcome
	if outcome == "" {
		outcome = "open"
	}
	return kind + " #" + itoa(x.ID) + " " + outcome
}

// outcomes lists the outcomes of complaints or appeals, "open" while undecided.
func outcomes(ds []Decision) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		switch {
		case d.Open():
			out[i] = "open"
		case d.Outcome == "":
			out[i] = "(erased)"
		default:
			out[i] = d.Outcome
		}
	}
	return strings.Join(out, "; ")
}

// WriteMarkdown writes the report as a Markdown page: the totals, a table
// of the results, and each result from delivery to determination.
func (r AccountabilityReport) WriteMarkdown(w io.Writer) error {
	var p page
	t := r.Totals
	p.line("# Session report (zittingsverslag): %s", md(r.Offering))
	p.blank()
	p.line("Accountability report (verantwoordingsrapportage) of the exam session (zitting) %s, read from the "+
		"audit trail: what arrived for each result, the import check, every exception, complaint (klacht) and "+
		"appeal (beroep), and who determined the result (vaststelling) under which mandate (mandaat).", md(r.Offering))
	p.blank()
	p.line("## Totals")
	p.blank()
	rows := [][]string{
		{"Results", itoa(t.Results)},
		{"Accepted: registered as provisional (voorlopig) after the import check", itoa(t.Accepted)},
		{"Rejected at intake", itoa(t.Rejected)},
		{"New decisions after annulment or correction (nieuwe beslissing na vernietiging of correctie)",
			itoa(t.Successors)},
		{"Exceptions", itoa(t.Exceptions)},
	}
	for _, kind := range slices.Sorted(maps.Keys(t.ExceptionsByKind)) {
		rows = append(rows, []string{"– " + words(kind), itoa(t.ExceptionsByKind[kind])})
	}
	rows = append(rows,
		[]string{"Open exceptions", itoa(t.OpenExceptions)},
		[]string{"Irregularities (onregelmatigheden)", itoa(t.Irregularities)},
		[]string{"Inspections requested (inzage aangevraagd)", itoa(t.Inspections)},
		[]string{"– granted (verleend)", itoa(t.InspectionsGranted)},
		[]string{"Complaints (klachten)", itoa(t.Complaints)},
		[]string{"Appeals (beroepen)", itoa(t.Appeals)},
		[]string{"– of which the decision term was extended (beslistermijn verlengd)", itoa(t.AppealsExtended)},
		[]string{"Determined (vastgesteld)", itoa(t.Determined)},
		[]string{"– of which early (vervroegd vastgesteld)", itoa(t.Early)},
		[]string{"Not determined", itoa(t.NotDetermined)},
	)
	p.table([]string{"", "count"}, "lr", rows)
	if len(t.DeterminedBy) > 0 {
		p.line("### Determined by, under mandate (mandaat)")
		p.blank()
		rows = rows[:0]
		for _, m := range t.DeterminedBy {
			mandate := md(m.Mandate)
			if mandate == "" {
				mandate = "own authority"
			}
			rows = append(rows, []string{mandate, whoText(m.By), itoa(m.Count)})
		}
		p.table([]string{"mandate (mandaat)", "by", "results"}, "llr", rows)
	}
	if len(r.Unplaced) > 0 {
		p.line("Results whose delivered record was erased (AVG), so that their session cannot be read: %s.",
			md(strings.Join(r.Unplaced, ", ")))
		p.blank()
	}

	p.line("## Results")
	p.blank()
	rows = rows[:0]
	for _, item := range r.Results {
		d := item.Determination
		determined, by, mandate := "not yet", "", ""
		if d.Determined {
			determined, by, mandate = mdTime(d.At), whoText(d.By), md(d.Mandate)
			if d.Early {
				determined += " (early)"
			}
			if mandate == "" {
				mandate = "own authority"
			}
		}
		exceptions := make([]string, len(item.Exceptions))
		for i, x := range item.Exceptions {
			exceptions[i] = words(exceptionText(x))
		}
		rows = append(rows, []string{md(item.ID), md(item.Student), md(item.Component), md(item.Assessor), md(item.Grade),
			words(item.State), mdTime(item.Check.At), strings.Join(exceptions, ", "), determined, by, mandate})
	}
	p.table([]string{"result", "student", "component (onderdeel)", "assessor (examinator)", "grade", "state",
		"registered", "exceptions", "determined (vastgesteld)", "by", "mandate (mandaat)"}, "lllllllllll", rows)

	for _, item := range r.Results {
		item.writeMarkdown(&p)
	}
	return p.writeTo(w)
}

// writeMarkdown writes one result's section.
func (item *SessionResult) writeMarkdown(p *page) {
	p.line("### %s", md(item.ID))
	p.blank()
	p.line("- Student %s, component (onderdeel) %s, programme (opleiding) %s, attempt (poging) %d, "+
		"assessor (examinator) %s", md(item.Student), md(item.Component), md(item.Programme), item.Attempt, md(item.Assessor))
	p.line("- Exam (afname): %s", mdTime(item.Exam))
	state := words(item.State)
	if item.Ended != "" {
		state += ": " + md(item.Ended)
	}
	p.line("- Grade %s, state %s", md(item.Grade), state)
	if item.Supersedes != "" {
		s := "replaces " + md(item.Supersedes)
		if item.Decision != "" {
			s += ", on the exam committee's decision " + md(item.Decision)
		}
		p.line("- New decision after annulment or correction (nieuwe beslissing na vernietiging of correctie): %s", s)
	}
	if item.Erased {
		p.line("- Records of this result were erased (AVG): what they held beyond their headers is not shown.")
	}
	var ds []string
	for _, d := range item.Deliveries {
		s := words(d.Type) + " " + mdTime(d.At) + " by " + whoText(d.By)
		if d.Grade != "" {
			s += ", grade " + md(d.Grade)
		}
		if d.Source != "" {
			s += " (" + md(d.Source) + ")"
		}
		ds = append(ds, s)
	}
	p.line("- Delivered (aanlevering): %s", strings.Join(ds, "; "))
	switch c := item.Check; {
	case c.Registered:
		s := "registered as provisional (voorlopig) " + mdTime(c.At) + " by " + whoText(c.By)
		if c.Policy != "" {
			s += ", under policy " + md(c.Policy)
		}
		p.line("- Import check (importcontrole): %s", s)
	case c.Rejected:
		p.line("- Import check (importcontrole): rejected: %s", md(c.Reason))
	default:
		p.line("- Import check (importcontrole): not registered")
	}
	for _, n := range item.Inspections {
		p.line("- Inspection (inzage): %s", inspectionLine(n))
	}
	for _, d := range item.Complaints {
		p.line("- Complaint (klacht): %s", decisionText(d))
	}
	for _, d := range item.Appeals {
		p.line("- Appeal (beroep): %s", decisionText(d))
	}
	switch d := item.Determination; {
	case d.Determined:
		s := mdTime(d.At) + " by " + whoText(d.By)
		if d.Early {
			s = "early (vervroegd) " + s
		}
		if d.Mandate != "" {
			s += " under mandate (mandaat) " + md(d.Mandate)
		} else {
			s += " on their own authority"
		}
		if d.Decision != "" {
			s += ", decision " + md(d.Decision)
		}
		p.line("- Determination (vaststelling): %s", s)
	default:
		p.line("- Determination (vaststelling): not yet: %s", md(d.Pending))
	}
	if c := item.Correction; !c.At.IsZero() {
		p.line("- Correction: %s by %s, decision %s: %s; grade %s → %s; replaced by %s", mdTime(c.At), whoText(c.By),
			md(c.Decision), md(c.Reason), md(c.OldGrade), md(c.Grade), md(c.Successor))
	}
	if len(item.Exceptions) == 0 {
		p.line("- Exceptions: none")
		p.blank()
		return
	}
	p.line("- Exceptions:")
	p.blank()
	rows := make([][]string, len(item.Exceptions))
	for i, x := range item.Exceptions {
		outcome := x.Outcome
		if outcome == "" {
			outcome = "open"
		}
		rows[i] = []string{itoa(x.ID), words(x.Kind), md(x.Detail), mdTime(x.Raised), whoText(x.RaisedBy), outcome,
			mdTime(x.Closed), whoText(x.ClosedBy), md(x.Reason), md(x.Mandate)}
	}
	p.table([]string{"#", "kind", "detail", "raised", "by", "outcome", "closed", "by", "reason", "mandate (mandaat)"},
		"rlllllllll", rows)
}

// inspectionLine writes an inspection in a line.
func inspectionLine(n Inspection) string {
	s := "requested " + mdTime(n.Requested) + " by " + whoText(n.RequestedBy)
	if n.Open() {
		return s + "; open"
	}
	s += "; granted (verleend) " + mdTime(n.Granted) + " by " + whoText(n.GrantedBy)
	if n.Detail != "" {
		s += ": " + md(n.Detail)
	}
	return s
}

// decisionText writes a complaint or an appeal in a line.
func decisionText(d Decision) string {
	s := "lodged " + mdTime(d.Lodged) + " by " + whoText(d.LodgedBy)
	if !d.Extended.IsZero() {
		s += "; term extended (beslistermijn verlengd) " + mdTime(d.Extended) + " by " + whoText(d.ExtendedBy)
		if d.ExtensionReason != "" {
			s += ": " + md(d.ExtensionReason)
		}
	}
	if d.Open() {
		return s + "; open"
	}
	outcome := words(d.Outcome)
	if outcome == "" {
		outcome = "decided (erased)"
	}
	s += "; " + outcome + " " + mdTime(d.Decided) + " by " + whoText(d.DecidedBy)
	if d.Reason != "" {
		s += ": " + md(d.Reason)
	}
	if d.Grade != "" {
		s += "; grade " + md(d.OldGrade) + " → " + md(d.Grade)
	}
	return s
}
