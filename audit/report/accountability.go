package report

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// An AccountabilityReport is the session report (zittingsverslag,
// procesverbaal) of one exam session: every result delivered for the
// session's offering, as the trail tells it, the OKE deliveries for it
// that the intake rejected, and the totals. Every time in it is in the
// calendar's zone, named by TimeZone.
type AccountabilityReport struct {
	// Offering is the exam session: the offering of the results' records.
	Offering string          `json:"offering"`
	TimeZone string          `json:"time_zone"` // of every time in the report, "Europe/Amsterdam"
	Results  []SessionResult `json:"results"`   // by result id
	Totals   SessionTotals   `json:"totals"`
	// Unplaced lists the results of the trail whose delivered record was
	// erased: their session cannot be read, so no session report holds them.
	Unplaced []string `json:"unplaced"`
	// RejectedDeliveries are the OKE deliveries for the session's results
	// that the intake rejected, read from the delivery log in the trail, in
	// the order of the trail: a rejected delivery is placed in the session
	// of the result its association id names.
	RejectedDeliveries []RejectedDelivery `json:"rejected_deliveries"`
	// Untraceable are the rejected deliveries of the whole trail that
	// cannot be traced to a session: their association id names no result
	// in the trail (or one whose record was erased). Every session report
	// lists them, so that none goes unmentioned.
	Untraceable []RejectedDelivery `json:"untraceable_rejections"`
}

// A SessionResult is one line of a session report: one result, from its
// delivery to its determination, and how it ended.
type SessionResult struct {
	ID        string    `json:"id"`
	Student   string    `json:"student"`
	Component string    `json:"component"`
	Programme string    `json:"programme"`
	Attempt   int       `json:"attempt"`
	Assessor  string    `json:"assessor"`
	Exam      time.Time `json:"exam"`
	Grade     string    `json:"grade"` // as it stands: delivered, or corrected on complaint
	State     string    `json:"state"` // a result.State
	// Erased says that some of the result's records were erased (AVG):
	// what they held beyond their headers is not shown.
	Erased bool `json:"erased"`
	// Supersedes names the result this one replaces, for a new decision
	// after an annulment or a correction (a successor), and Decision the
	// exam committee's decision it was entered on; both empty otherwise.
	Supersedes string `json:"supersedes"`
	Decision   string `json:"decision"`
	// SupersededBy names the result that replaces this one: the successor
	// its correction named, or the new decision entered after its
	// annulment. AwaitingSuccessor says that the result was annulled or
	// corrected and its successor is not in the trail yet.
	SupersededBy      string `json:"superseded_by"`
	AwaitingSuccessor bool   `json:"awaiting_successor"`

	// Steps are everything that happened to the result, in the order of
	// the trail, which is the order in time.
	Steps []Step `json:"steps"`

	Deliveries     []Delivery      `json:"deliveries"` // what arrived, received and redelivered
	Check          Check           `json:"check"`      // the import check
	Exceptions     []ExceptionLine `json:"exceptions"`
	Irregularities int             `json:"irregularities"` // exceptions of the kind irregularity
	Inspections    []Inspection    `json:"inspections"`    // no complaints: asked and granted
	Complaints     []Decision      `json:"complaints"`
	Appeals        []Decision      `json:"appeals"`
	Determination  Determination   `json:"determination"`
	Correction     Correction      `json:"correction,omitzero"` // a determined result replaced by a correction
	// Ended is the end state of a result whose procedure ended:
	// "superseded", "annulled", "invalidated" or "rejected"; empty while it
	// is under way or final. EndDecision and EndReason are the decision
	// and the reason it ended on: the correction's, the appeals board's
	// (a reason only), the invalidation's, or the import check's (a
	// reason only).
	Ended       string `json:"ended"`
	EndDecision string `json:"end_decision"`
	EndReason   string `json:"end_reason"`
}

// A Step is one event of a result: when, what (an event type, such as
// "appeal_lodged"), who under which mandate, and what the event says, in
// words (Details: "gegrond: …; cijfer 5,2 → 7,0").
type Step struct {
	At      time.Time `json:"at"`
	Event   string    `json:"event"`
	By      Who       `json:"by"`
	Mandate string    `json:"mandate"`
	Details Words     `json:"details"`
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
	// Pending says, while the result is not determined, why not yet: the
	// reasons (PendingStudentTerms, PendingExceptions, …), the first the
	// state's; none once it is determined.
	Pending []string `json:"pending"`
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
	Rejected int `json:"rejected"` // rejected at the import check (a result's state)
	// RejectedDeliveries counts the session's OKE deliveries that the
	// intake rejected (AccountabilityReport.RejectedDeliveries).
	RejectedDeliveries int `json:"rejected_deliveries"`
	// Successors counts the new decisions after an annulment or a
	// correction: results that replace another (SessionResult.Supersedes).
	Successors int `json:"successors"`
	// Annulled counts the results annulled on appeal and Superseded those
	// superseded by a correction; AwaitingSuccessor those of both whose
	// successor is not in the trail yet.
	Annulled          int `json:"annulled"`
	Superseded        int `json:"superseded"`
	AwaitingSuccessor int `json:"awaiting_successor"`
	// Exceptions counts every exception; ExceptionsByKind per kind, by
	// kind, and OpenExceptions those that still wait.
	Exceptions       int         `json:"exceptions"`
	ExceptionsByKind []KindCount `json:"exceptions_by_kind"`
	OpenExceptions   int         `json:"open_exceptions"`
	Irregularities   int         `json:"irregularities"`
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

// A KindCount is how many exceptions of one kind there are.
type KindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// A MandateCount is how many results one actor determined under one mandate.
type MandateCount struct {
	Mandate string `json:"mandate"`
	By      Who    `json:"by"`
	Count   int    `json:"count"`
}

// Accountability reads the session report of the exam session offering
// from the trail: every result whose delivered record names the offering,
// by id, and the rejected deliveries for them, with every time in the
// calendar's zone (nil: the default calendar's, Europe/Amsterdam). The
// offering "" reports the results delivered without one (such as those
// entered by hand).
func Accountability(ctx context.Context, s audit.Store, cal *calendar.Calendar, offering string) (AccountabilityReport, error) {
	loc := calendarOrDefault(cal).Location()
	tr, err := readTrail(ctx, s)
	if err != nil {
		return AccountabilityReport{}, err
	}
	rep := AccountabilityReport{Offering: offering, TimeZone: zoneName(loc), Results: []SessionResult{},
		Unplaced: []string{}, RejectedDeliveries: []RejectedDelivery{}, Untraceable: []RejectedDelivery{},
		Totals: SessionTotals{ExceptionsByKind: []KindCount{}, DeterminedBy: []MandateCount{}}}
	ws := newWordsPair()
	for _, h := range tr.histories {
		if !h.delivered() {
			if h.erased {
				rep.Unplaced = append(rep.Unplaced, h.id)
			}
			continue
		}
		if h.record().Offering != offering {
			continue
		}
		item := sessionResult(h, tr, loc, ws)
		rep.Results = append(rep.Results, item)
		rep.Totals.add(&item)
	}
	for _, rj := range tr.rejected {
		d := rj.in(loc)
		switch session, ok := tr.session(rj.AssociationID); {
		case !ok:
			rep.Untraceable = append(rep.Untraceable, d)
		case session == offering:
			rep.RejectedDeliveries = append(rep.RejectedDeliveries, d)
		}
	}
	rep.Totals.RejectedDeliveries = len(rep.RejectedDeliveries)
	return rep, nil
}

// calendarOrDefault returns cal, or the default calendar for nil.
func calendarOrDefault(cal *calendar.Calendar) *calendar.Calendar {
	if cal == nil {
		return calendar.Default()
	}
	return cal
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
	switch item.Ended {
	case result.Annulled.String():
		t.Annulled++
	case result.Superseded.String():
		t.Superseded++
	}
	if item.AwaitingSuccessor {
		t.AwaitingSuccessor++
	}
	for _, x := range item.Exceptions {
		t.Exceptions++
		i, found := slices.BinarySearchFunc(t.ExceptionsByKind, x.Kind, func(k KindCount, kind string) int {
			return strings.Compare(k.Kind, kind)
		})
		if !found {
			t.ExceptionsByKind = slices.Insert(t.ExceptionsByKind, i, KindCount{Kind: x.Kind})
		}
		t.ExceptionsByKind[i].Count++
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

// sessionResult follows one result's events into its line, every time in loc.
func sessionResult(h *history, tr *trail, loc *time.Location, ws wordsPair) SessionResult {
	rec := h.record()
	item := SessionResult{
		ID: h.id, Student: rec.Student, Component: rec.Component, Programme: rec.Programme, Attempt: rec.Attempt,
		Assessor: rec.Assessor, Exam: in(rec.Exam, loc), Erased: h.erased, Supersedes: rec.Supersedes,
		Steps: []Step{}, Deliveries: []Delivery{}, Exceptions: []ExceptionLine{}, Inspections: []Inspection{},
		Complaints: []Decision{}, Appeals: []Decision{},
	}
	var state result.State
	var grade result.Grade
	invalidated := false
	for _, e := range h.events {
		at, by := in(e.At, loc), who(e.Actor)
		state = e.To
		item.Steps = append(item.Steps, Step{At: at, Event: string(e.Type), By: by, Mandate: e.Mandate,
			Details: ws.of(func(l *lang) string { return stepDetails(l, &e) })})
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
				x = exceptionLine(e.Exception, loc)
			}
			item.Exceptions = append(item.Exceptions, x)
		case result.EventExceptionResolved:
			if x := e.Exception; x != nil && x.ID >= 1 && x.ID <= len(item.Exceptions) {
				item.Exceptions[x.ID-1] = exceptionLine(x, loc)
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
			item.EndDecision, item.EndReason = e.Decision, e.Reason
		}
	}
	for _, x := range item.Exceptions {
		if x.Kind == string(result.Irregularity) {
			item.Irregularities++
		}
	}
	item.State, item.Grade = state.String(), grade.String()
	switch state {
	case result.Invalidated:
		item.Ended = state.String()
	case result.Superseded:
		item.Ended, item.EndDecision, item.EndReason = state.String(), item.Correction.Decision, item.Correction.Reason
	case result.Annulled:
		item.Ended, item.EndDecision, item.EndReason = state.String(), "", ""
		if d := last(item.Appeals); d != nil {
			item.EndReason = d.Reason
		}
	case result.Rejected:
		item.Ended, item.EndDecision, item.EndReason = state.String(), "", item.Check.Reason
	default:
		// Under way again: an invalidation under appeal has not ended yet.
		item.EndDecision, item.EndReason = "", ""
	}
	if state == result.Superseded || state == result.Annulled {
		item.SupersededBy = item.Correction.Successor
		if state == result.Annulled || item.SupersededBy == "" {
			item.SupersededBy = tr.successors[item.ID]
		}
		item.AwaitingSuccessor = item.SupersededBy == "" || !tr.received(item.SupersededBy)
	}
	if !item.Determination.Determined {
		item.Determination.Pending = pending(state, &item, invalidated)
	}
	return item
}

// stepDetails says what an event says, in words: what was decided, why,
// and what follows from it ("gegrond: reason; cijfer 5,2 → 7,0").
func stepDetails(l *lang, e *result.Event) string {
	var head, tail []string
	add := func(to *[]string, s string) {
		if s != "" {
			*to = append(*to, s)
		}
	}
	decision := ""
	if e.Decision != "" {
		decision = l.s("besluit ", "decision ") + e.Decision
	}
	grades := ""
	if !e.Grade.IsZero() && !e.OldGrade.IsZero() {
		grades = l.s("cijfer ", "grade ") + l.grade(e.OldGrade.String()) + " → " + l.grade(e.Grade.String())
	}
	reason := e.Reason
	switch e.Type {
	case result.EventReceived, result.EventRedelivered:
		if r := e.Record; r != nil {
			s := l.s("cijfer ", "grade ") + l.grade(r.Grade.String())
			if r.Grade.IsZero() {
				s = l.s("geen cijfer", "no grade")
			}
			if r.Source != "" {
				s += " (" + l.w(lookup(sourceWords, string(r.Source))) + ")"
			}
			add(&head, s)
			if r.Supersedes != "" {
				add(&tail, l.s("nieuwe beslissing, vervangt ", "new decision, replaces ")+r.Supersedes)
			}
		}
		add(&tail, decision)
	case result.EventRegistered:
		if e.Policy != "" {
			add(&head, l.s("beleid ", "policy ")+e.Policy)
		}
	case result.EventExceptionRaised:
		if x := e.Exception; x != nil {
			s := "#" + itoa(x.ID) + " " + l.w(kindOf(string(x.Kind)))
			if x.Detail != "" {
				s += ": " + x.Detail
			}
			add(&head, s)
		}
		reason = ""
	case result.EventExceptionResolved:
		if x := e.Exception; x != nil {
			s := "#" + itoa(x.ID) + " " + l.w(kindOf(string(x.Kind)))
			if x.Outcome != "" {
				s += " " + l.w(lookup(outcomeWords, string(x.Outcome)))
			}
			add(&head, s)
		}
	case result.EventInspectionGranted:
		add(&head, e.Detail)
	case result.EventComplaintDecided, result.EventAppealDecided:
		if e.Outcome != "" {
			add(&head, l.w(lookup(outcomeWords, string(e.Outcome))))
		}
		add(&tail, grades)
	case result.EventDetermined:
		if e.Early {
			add(&head, l.s("vervroegd", "early"))
		}
		add(&head, decision)
		if e.Mandate == "" && e.Actor.Role != timeline.NoRole {
			add(&tail, l.s("op eigen gezag", "on their own authority"))
		}
	case result.EventCorrected:
		add(&head, decision)
		add(&tail, grades)
		if e.Successor != "" {
			add(&tail, l.s("vervangen door ", "replaced by ")+e.Successor)
		}
	case result.EventInvalidated:
		add(&head, decision)
	}
	s := strings.Join(head, "; ")
	if reason != "" {
		if s != "" {
			s += ": "
		}
		s += reason
	}
	if len(tail) > 0 {
		if s != "" {
			s += "; "
		}
		s += strings.Join(tail, "; ")
	}
	return s
}

// pending says why a result that is not determined is not determined yet;
// invalidated says the exam committee invalidated it.
func pending(state result.State, item *SessionResult, invalidated bool) []string {
	var why []string
	switch state {
	case result.Received:
		why = append(why, PendingImportCheck)
	case result.Provisional:
		why = append(why, PendingStudentTerms)
	case result.OnHold:
		why = append(why, PendingOnHold)
	case result.Rejected:
		return []string{PendingRejected}
	case result.Invalidated:
		return []string{PendingInvalidated}
	case result.UnderAppeal:
		if invalidated {
			return []string{PendingInvalidationUnderAppeal}
		}
		why = append(why, PendingUnderAppeal)
	default:
		why = append(why, state.String())
	}
	if d := last(item.Complaints); d != nil && d.Open() {
		why = append(why, PendingComplaint)
	}
	if slices.ContainsFunc(item.Exceptions, ExceptionLine.Open) {
		why = append(why, PendingExceptions)
	}
	return why
}

func exceptionLine(x *result.Exception, loc *time.Location) ExceptionLine {
	return ExceptionLine{ID: x.ID, Kind: string(x.Kind), Detail: x.Detail, Raised: in(x.Raised, loc),
		RaisedBy: who(x.RaisedBy), Outcome: string(x.Outcome), Closed: in(x.Closed, loc), ClosedBy: who(x.ClosedBy),
		Reason: x.Reason, Mandate: x.Mandate}
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

// in returns t in loc, keeping the zero time zero.
func in(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// In returns a copy of the report with every time in loc, and TimeZone
// naming it.
func (r AccountabilityReport) In(loc *time.Location) AccountabilityReport {
	out := r
	out.TimeZone = zoneName(loc)
	out.Unplaced = slices.Clone(r.Unplaced)
	out.Totals.ExceptionsByKind = slices.Clone(r.Totals.ExceptionsByKind)
	out.Totals.DeterminedBy = slices.Clone(r.Totals.DeterminedBy)
	out.RejectedDeliveries, out.Untraceable = rejectionsIn(r.RejectedDeliveries, loc), rejectionsIn(r.Untraceable, loc)
	out.Results = make([]SessionResult, len(r.Results))
	for i, item := range r.Results {
		item.Exam = in(item.Exam, loc)
		item.Steps = slices.Clone(item.Steps)
		for j := range item.Steps {
			item.Steps[j].At = in(item.Steps[j].At, loc)
		}
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
		item.Determination.Pending = slices.Clone(item.Determination.Pending)
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

func rejectionsIn(ds []RejectedDelivery, loc *time.Location) []RejectedDelivery {
	out := make([]RejectedDelivery, len(ds))
	for i, d := range ds {
		out[i] = d.in(loc)
	}
	return out
}

// JSON encodes the report as indented JSON.
func (r AccountabilityReport) JSON() ([]byte, error) { return marshal(r) }
