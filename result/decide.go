package result

import (
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// Decide returns the events that the command produces on r, or why it is
// refused: a *TransitionError when the state does not allow the action, a
// *PermissionError when the actor may not take it, a *CheckError when a
// determination's checks fail, a *CommandError when the command lacks what
// the action needs. It is a pure function of its arguments: it changes
// nothing, reads no clock and keeps no state. Apply the events to r to
// move it on.
func Decide(r *Result, cmd Command, ctx Context) ([]Event, error) {
	d := decision{r: r, cmd: cmd, ctx: ctx}
	return d.run()
}

// Do decides the command and applies its events to r, returning them.
func (r *Result) Do(cmd Command, ctx Context) ([]Event, error) {
	events, err := r.AppendDo(nil, cmd, ctx)
	if err != nil {
		return nil, err
	}
	return events, nil
}

// AppendDo is Do appending the events to dst and returning the extended
// slice, as strconv's Append functions do: a caller that gathers the
// events of many commands (the intake, a daily run) keeps them in one
// slice rather than a new one a command. On an error it returns dst as it
// was.
func (r *Result) AppendDo(dst []Event, cmd Command, ctx Context) ([]Event, error) {
	d := decision{r: r, cmd: cmd, ctx: ctx, dst: dst}
	events, err := d.run()
	if err != nil {
		return dst, err
	}
	if err := r.Apply(events[len(dst):]...); err != nil {
		return dst, err // a bug: Decide made events the fold refuses
	}
	return events, nil
}

type decision struct {
	r       *Result
	cmd     Command
	ctx     Context
	mandate string
	dst     []Event // the events decided go after these
}

func (d *decision) id() string {
	if d.r.State == None && d.cmd.Record != nil {
		return d.cmd.Record.ID
	}
	return d.r.ID
}

// invalid refuses the command for a problem, in both languages (the
// Dutch from the table dutch).
func (d *decision) invalid(format string, args ...any) error {
	w := say(format, args...)
	return &CommandError{Result: d.id(), Action: d.cmd.Action, Problem: w.English, Because: w}
}

// say writes a problem in English and in Dutch.
func say(format string, args ...any) timeline.Words {
	nl, ok := dutch[format]
	if !ok {
		nl = format
	}
	return timeline.Sprintf(nl, format, args...)
}

func (d *decision) run() ([]Event, error) {
	r, cmd := d.r, d.cmd
	if _, known := rights[cmd.Action]; !known {
		return nil, d.invalid("unknown action %d", uint8(cmd.Action))
	}
	if d.ctx.Now.IsZero() {
		return nil, d.invalid("the moment of the command (Context.Now) is required")
	}
	if d.ctx.Now.Before(r.Updated) {
		return nil, d.invalid("the moment %s is before the result's last event at %s",
			d.ctx.Now.Format(time.RFC3339), r.Updated.Format(time.RFC3339))
	}
	// A determination of a result that is under way names every failed
	// check, its status among them; every other action, and a determination
	// of a result that does not exist or has ended, first needs a state
	// that allows it.
	determination := cmd.Action == Determine || cmd.Action == DetermineEarly
	if !determination || r.State == None || r.State.IsEnd() {
		if _, allowed, _ := next(r.State, cmd.Action, Always); !allowed {
			return nil, &TransitionError{Result: d.id(), State: r.State, Action: cmd.Action}
		}
	}
	if err := d.permit(); err != nil {
		return nil, err
	}
	switch cmd.Action {
	case Receive:
		return d.receive(EventReceived)
	case Redeliver:
		if d.cmd.Record != nil && d.cmd.Record.ID != r.ID {
			return nil, d.invalid("the record is for result %s", d.cmd.Record.ID)
		}
		return d.receive(EventRedelivered)
	case Reject:
		return d.simple(EventRejected, Always, true)
	case Register:
		return d.register()
	case RaiseException:
		return d.raise()
	case ResolveException:
		return d.resolve()
	case LodgeComplaint:
		if r.complaintOpen() {
			return nil, d.invalid("a complaint lodged on %s is open", r.ComplaintLodged.Format(time.DateOnly))
		}
		return d.simple(EventComplaintLodged, Always, false)
	case DecideComplaint:
		return d.decideComplaint()
	case Determine, DetermineEarly:
		return d.determine()
	case LodgeAppeal:
		return d.lodgeAppeal()
	case ExtendAppealTerm:
		return d.extendAppeal()
	case RequestInspection:
		return d.requestInspection()
	case GrantInspection:
		return d.grantInspection()
	case DecideAppeal:
		return d.decideAppeal()
	case Correct:
		return d.correct()
	case Invalidate:
		if err := d.reference("the exam committee's decision to invalidate"); err != nil {
			return nil, err
		}
		return d.simple(EventInvalidated, Always, true)
	}
	return nil, d.invalid("unknown action %d", uint8(cmd.Action))
}

// permit checks the actor's role, identity and mandate for the action.
func (d *decision) permit() error {
	r, cmd, actor := d.r, d.cmd, d.ctx.Actor
	refuse := func(err error, format string, args ...any) error {
		w := say(format, args...)
		return &PermissionError{Result: d.id(), Action: cmd.Action, Actor: actor, Missing: w.English, Because: w, Err: err}
	}
	var grant *Grant
	for _, g := range rights[cmd.Action] {
		if g.Role == actor.Role {
			grant = &g
			break
		}
	}
	switch {
	case actor.ID == "":
		return refuse(ErrWrongRole, "the actor has no id")
	case grant == nil:
		return refuse(ErrWrongRole, "the role %s may not %s; it is for %s", actor.Role, cmd.Action, roleList(rights[cmd.Action]))
	case actor.Role == timeline.Student && actor.ID != r.Student:
		return refuse(ErrSeparationOfDuties, "%s is not the result's student", actor.ID)
	case judges[cmd.Action] && actor.ID == r.Assessor:
		return refuse(ErrSeparationOfDuties, "%s assessed this result", actor.ID)
	}
	if judges[cmd.Action] && d.ctx.Assessors != nil && r.Assessor != "" {
		switch id, known := d.ctx.Assessors.Actor(r.Assessor); {
		case !known:
			return refuse(ErrUnknownAssessor, "the assessor %q of the result is not in the assessor mapping, "+
				"so the separation of duties cannot be checked", r.Assessor)
		case id == actor.ID:
			return refuse(ErrSeparationOfDuties, "%s assessed this result (as %s)", actor.ID, r.Assessor)
		}
	}
	if cmd.Action == ResolveException && actor.Role != timeline.ExamCommittee {
		if e := d.exception(); e != nil && e.Kind.CommitteeOnly() {
			return refuse(ErrWrongRole, "only the exam committee resolves %s", e.Kind)
		}
	}
	if grant.Mandate {
		m, err := d.ctx.Mandates.Authorize(actor, cmd.Action, &r.Record, d.ctx.Now)
		if err != nil {
			return err
		}
		d.mandate = m.ID
	}
	return nil
}

// event returns an event of the command, moving r to the state the table
// gives for guard g.
func (d *decision) event(typ EventType, g Guard) (Event, error) {
	to, _, ok := next(d.r.State, d.cmd.Action, g)
	if !ok {
		return Event{}, &TransitionError{Result: d.id(), State: d.r.State, Action: d.cmd.Action}
	}
	return Event{
		Result: d.id(), Seq: d.r.Version + 1, Type: typ, At: d.ctx.Now, Actor: d.ctx.Actor,
		Mandate: d.mandate, From: d.r.State, To: to, Reason: d.cmd.Reason,
	}, nil
}

// simple makes the one event of an action that needs nothing but, maybe, a reason.
func (d *decision) simple(typ EventType, g Guard, needsReason bool) ([]Event, error) {
	if needsReason && d.cmd.Reason == "" {
		return nil, d.invalid("a reason is required")
	}
	e, err := d.event(typ, g)
	if err != nil {
		return nil, err
	}
	if typ == EventInvalidated {
		e.Decision = d.cmd.Decision
	}
	return append(d.dst, e), nil
}

func (d *decision) receive(typ EventType) ([]Event, error) {
	rec := d.cmd.Record
	if rec == nil || rec.ID == "" {
		return nil, d.invalid("a record with an id is required")
	}
	if rec.Source != OKE && rec.Source != Manual {
		return nil, d.invalid("source %q: want oke or manual", rec.Source)
	}
	// The new decision after an annulment, or a correction's successor, is
	// entered on the exam committee's decision, which it names.
	successor := typ == EventReceived && rec.Supersedes != ""
	if successor {
		if err := d.reference("the exam committee's decision the successor of %s is entered on", rec.Supersedes); err != nil {
			return nil, err
		}
	}
	e, err := d.event(typ, Always)
	if err != nil {
		return nil, err
	}
	if successor {
		e.Decision = d.cmd.Decision
	}
	copied := *rec
	e.Record = &copied
	if typ == EventRedelivered {
		e.Grade, e.OldGrade = rec.Grade, d.r.Grade
	}
	return append(d.dst, e), nil
}

// register checks that the result arrived correctly, registers it as
// provisional and raises the exceptions the timeline's conflicts call for.
func (d *decision) register() ([]Event, error) {
	r := d.r
	if problems := r.Record.check(); len(problems) > 0 {
		return nil, &CheckError{Result: r.ID, Action: Register, Failures: arrivalFailures(problems)}
	}
	if d.ctx.Calendar == nil || d.ctx.Policies == nil {
		return nil, d.invalid("the context needs a calendar and policies to count the terms")
	}
	facts := r.Facts()
	facts.Registered = d.ctx.Now
	tl, err := timeline.New(d.ctx.Calendar, d.ctx.Policies, facts)
	if err != nil {
		return nil, &CommandError{Result: r.ID, Action: Register, Problem: "cannot count the terms", Because: say("cannot count the terms"), Err: err}
	}
	g := IfClear
	if r.held(0) {
		g = IfHeld
	}
	reg, err := d.event(EventRegistered, g)
	if err != nil {
		return nil, err
	}
	reg.Policy = tl.Policy.Name
	events, made := append(d.dst, reg), 1
	for _, c := range tl.Conflicts {
		kind, ok := registrationRules[c.Code]
		// A successor is the committee's new decision, late because the
		// procedure took its course, not because its assessor was slow.
		if !ok || (kind == LateAssessment && r.Supersedes != "") {
			continue
		}
		n := len(r.Exceptions) + made
		events = append(events, Event{
			Result: r.ID, Seq: reg.Seq + made, Type: EventExceptionRaised, At: d.ctx.Now,
			Actor: d.ctx.Actor, From: reg.To, To: reg.To, Reason: "raised by rule: " + c.Message(),
			Exception: &Exception{ID: n, Kind: kind, Detail: c.Message(), Raised: d.ctx.Now, RaisedBy: d.ctx.Actor},
		})
		made++
	}
	if r.Grade.IsZero() {
		// A completed result without a grade (absent, not started, not
		// finished) is a result all the same, and one a person confirms
		// before it becomes definitive.
		n := len(r.Exceptions) + made
		detail := "no grade: the student's attendance was " + string(r.Attendance)
		events = append(events, Event{
			Result: r.ID, Seq: reg.Seq + made, Type: EventExceptionRaised, At: d.ctx.Now,
			Actor: d.ctx.Actor, From: reg.To, To: reg.To, Reason: "raised by rule: " + detail,
			Exception: &Exception{ID: n, Kind: NoGrade, Detail: detail, Raised: d.ctx.Now, RaisedBy: d.ctx.Actor},
		})
	}
	return events, nil
}

// registrationRules are the timeline's conflicts that registration turns
// into exceptions for a person.
var registrationRules = map[timeline.Code]ExceptionKind{
	timeline.RegisteredLate: LateAssessment, timeline.RegisteredBeforeExam: RegisteredBeforeExam}

func (d *decision) raise() ([]Event, error) {
	kind := d.cmd.Exception
	if !kind.Known() {
		return nil, d.invalid("unknown exception kind %q", kind)
	}
	g := IfClear
	if kind.Holds() || d.r.held(0) {
		g = IfHeld
	}
	e, err := d.event(EventExceptionRaised, g)
	if err != nil {
		return nil, err
	}
	e.Exception = &Exception{ID: len(d.r.Exceptions) + 1, Kind: kind, Detail: d.cmd.Detail,
		Raised: d.ctx.Now, RaisedBy: d.ctx.Actor}
	if rec := d.cmd.Record; rec != nil {
		if kind != ChangedRedelivery {
			return nil, d.invalid("only a %s carries a record, not a %s", ChangedRedelivery, kind)
		}
		if rec.ID != d.r.ID {
			return nil, d.invalid("the re-delivered record is for result %s", rec.ID)
		}
		copied := *rec
		e.Exception.Record = &copied
	}
	return append(d.dst, e), nil
}

// exception returns the exception the command names, or nil.
func (d *decision) exception() *Exception {
	id := d.cmd.ExceptionID
	if id < 1 || id > len(d.r.Exceptions) {
		return nil
	}
	return &d.r.Exceptions[id-1]
}

func (d *decision) resolve() ([]Event, error) {
	ex := d.exception()
	switch {
	case ex == nil:
		return nil, d.invalid("no exception %d", d.cmd.ExceptionID)
	case !ex.Open():
		return nil, d.invalid("exception %s was %s on %s", ex, ex.Outcome, ex.Closed.Format(time.DateOnly))
	case d.cmd.Outcome != Resolved && d.cmd.Outcome != Approved:
		return nil, d.invalid("outcome %q: want resolved or approved", d.cmd.Outcome)
	case d.cmd.Reason == "":
		return nil, d.invalid("a reason is required")
	case d.cmd.Outcome == Approved && ex.Record != nil && (d.r.State == Final || d.r.State == UnderAppeal):
		return nil, d.invalid("the result is %s: a determined result changes only by a correction (correct, "+
			"with the re-delivered record as its successor); resolve the exception once corrected", d.r.State)
	case d.cmd.Outcome == Approved && ex.Record != nil && !ex.Record.Grade.IsZero() && !d.r.Grade.IsZero() &&
		ex.Record.Grade.Scale() != d.r.Grade.Scale():
		return nil, d.invalid("the re-delivered grade is on scale %s, the result's on %s", ex.Record.Grade.Scale(), d.r.Grade.Scale())
	}
	g := IfClear
	if d.r.held(ex.ID) {
		g = IfHeld
	}
	e, err := d.event(EventExceptionResolved, g)
	if err != nil {
		return nil, err
	}
	closed := *ex
	closed.Outcome, closed.Closed, closed.ClosedBy = d.cmd.Outcome, d.ctx.Now, d.ctx.Actor
	closed.Reason, closed.Mandate = d.cmd.Reason, d.mandate
	e.Exception = &closed
	if closed.Outcome == Approved && closed.Record != nil {
		e.Grade, e.OldGrade = closed.Record.Grade, d.r.Grade
	}
	return append(d.dst, e), nil
}

func (d *decision) decideComplaint() ([]Event, error) {
	r, cmd := d.r, d.cmd
	if !r.complaintOpen() {
		return nil, d.invalid("no complaint is open")
	}
	if err := d.decisionOutcome(); err != nil {
		return nil, err
	}
	if !cmd.Grade.IsZero() {
		if cmd.Outcome != Upheld {
			return nil, d.invalid("a corrected grade needs the complaint upheld, not %s", cmd.Outcome)
		}
		if !r.Grade.IsZero() && cmd.Grade.Scale() != r.Grade.Scale() {
			return nil, d.invalid("the corrected grade is on scale %s, the result's on %s", cmd.Grade.Scale(), r.Grade.Scale())
		}
	}
	g := IfClear
	for i := range r.Exceptions {
		if x := &r.Exceptions[i]; x.Open() && x.Kind.Holds() {
			g = IfHeld
		}
	}
	e, err := d.event(EventComplaintDecided, g)
	if err != nil {
		return nil, err
	}
	e.Outcome = cmd.Outcome
	if !cmd.Grade.IsZero() {
		e.Grade, e.OldGrade = cmd.Grade, r.Grade
	}
	return append(d.dst, e), nil
}

func (d *decision) decisionOutcome() error {
	switch d.cmd.Outcome {
	case Upheld, NotUpheld, Withdrawn, Inadmissible:
	default:
		return d.invalid("outcome %q: want upheld, not_upheld, withdrawn or inadmissible", d.cmd.Outcome)
	}
	if d.cmd.Reason == "" {
		return d.invalid("a reason is required")
	}
	return nil
}

func (d *decision) decideAppeal() ([]Event, error) {
	if err := d.decisionOutcome(); err != nil {
		return nil, err
	}
	if !d.cmd.Grade.IsZero() {
		return nil, d.invalid("the appeals board annuls a result; it never sets a grade")
	}
	g := IfNotUpheld
	switch {
	case d.cmd.Outcome == Upheld:
		g = IfUpheld
	case !d.r.Invalidated.IsZero():
		g = IfStands
	}
	e, err := d.event(EventAppealDecided, g)
	if err != nil {
		return nil, err
	}
	e.Outcome = d.cmd.Outcome
	return append(d.dst, e), nil
}

func (d *decision) correct() ([]Event, error) {
	cmd, r := d.cmd, d.r
	switch {
	case placeholder(cmd.Decision):
		return nil, d.reference("the exam committee's decision to correct")
	case cmd.Reason == "":
		return nil, d.invalid("a reason is required")
	case cmd.Grade.IsZero():
		return nil, d.invalid("the corrected grade is required")
	case cmd.Successor == "" || cmd.Successor == r.ID:
		return nil, d.invalid("the id of the result that replaces this one (Successor) is required")
	}
	e, err := d.event(EventCorrected, Always)
	if err != nil {
		return nil, err
	}
	e.Grade, e.OldGrade, e.Decision, e.Successor = cmd.Grade, r.Grade, cmd.Decision, cmd.Successor
	return append(d.dst, e), nil
}

// Successor returns the record of the result that replaces r after a
// correction or an annulment: the same exam and attempt, a new id and
// grade, and Supersedes set to r's id. Receive it as a new result.
func (r *Result) Successor(id string, grade Grade, source Source) Record {
	rec := r.Record
	rec.ID, rec.Grade, rec.Source, rec.Supersedes = id, grade, source, r.ID
	return rec
}
