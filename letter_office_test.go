package vaststelling_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// The office's side of issue 14: the student is told of every change, a
// successor is linked to the result it replaces, the committee hears of
// what only it resolves, the sample is the committee's act, and a result
// is determined only once its student was told in time.

var (
	chair = result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}
	board = result.Actor{ID: "cbe-1", Role: timeline.AppealsBoard}
)

func student(i string) result.Actor { return result.Actor{ID: "s-" + i, Role: timeline.Student} }

// mailOffice is an office over n enrolments that writes every notice as an
// e-mail with a calendar update.
func mailOffice(t *testing.T, n int) (*vaststelling.Office, *vaststelling.Outbox) {
	t.Helper()
	out := &vaststelling.Outbox{}
	cfg := officeConfig(t, n, &audit.MemoryStore{}, out)
	cfg.From = "examenbureau@roc-voorbeeld.nl"
	cfg.Mailbox = func(s string) (string, error) { return s + "@student.roc-voorbeeld.nl", nil }
	o, err := vaststelling.New(cfg)
	require.NoError(t, err)
	return o, out
}

func doAt(t *testing.T, o *vaststelling.Office, id string, actor result.Actor, at string, hour int, cmd result.Command) {
	t.Helper()
	_, err := o.Do(context.Background(), id, cmd, actor, day(at, hour))
	require.NoError(t, err)
}

func runDay(t *testing.T, o *vaststelling.Office, at string) vaststelling.DayReport {
	t.Helper()
	rep, err := o.DailyRun(context.Background(), day(at, 18))
	require.NoError(t, err)
	return rep
}

var uid = regexp.MustCompile(`(?m)^UID:(.*)\r$`)
var sequence = regexp.MustCompile(`(?m)^SEQUENCE:(\d+)\r$`)

func TestEveryChangeIsTold(t *testing.T) {
	ctx := context.Background()
	o, out := mailOffice(t, 5)
	for i := range 5 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	// a-000: determined early on the day of registration, before any run:
	// both messages go out, none is dropped.
	doAt(t, o, "a-000", chair, "2027-02-05", 10, result.Command{Action: result.DetermineEarly,
		Decision: "EC-2027-010", Reason: "diploma on 8 February", Purpose: result.Diploma, StudentAgreed: true})
	// a-001: a complaint upheld with a new grade.
	doAt(t, o, "a-001", student("001"), "2027-02-08", 9, result.Command{Action: result.LodgeComplaint})
	g, _ := result.ParseGrade(result.Decimal0To10, "7.0")
	doAt(t, o, "a-001", chair, "2027-02-10", 9, result.Command{Action: result.DecideComplaint,
		Outcome: result.Upheld, Reason: "marked too strictly", Grade: g})
	// a-002: invalidated.
	doAt(t, o, "a-002", chair, "2027-02-10", 9, result.Command{Action: result.Invalidate,
		Reason: "fraud", Decision: "EC-2027-011"})
	rep := runDay(t, o, "2027-02-10")
	assert.Equal(t, []string{"a-000", "a-000", "a-001", "a-001", "a-002", "a-002", "a-003", "a-004"}, rep.Notified)
	assert.Empty(t, rep.Failed)

	rep = runDay(t, o, "2027-03-01")
	assert.Equal(t, []string{"a-003", "a-004"}, rep.Determined)
	// a-003: appealed and annulled; a-004 corrected.
	doAt(t, o, "a-003", student("003"), "2027-03-02", 9, result.Command{Action: result.LodgeAppeal})
	doAt(t, o, "a-003", board, "2027-03-20", 9, result.Command{Action: result.DecideAppeal, Outcome: result.Upheld, Reason: "r"})
	g6, _ := result.ParseGrade(result.Decimal0To10, "6.0")
	doAt(t, o, "a-004", chair, "2027-03-05", 9, result.Command{Action: result.Correct, Grade: g6,
		Reason: "counting error", Decision: "EC-2027-020", Successor: "a-004-c"})
	runDay(t, o, "2027-03-22")

	kinds := map[string][]timeline.MessageKind{}
	uids := map[string][]string{}
	for _, n := range out.Notices() {
		kinds[n.Result] = append(kinds[n.Result], n.Kind)
		require.NotEmpty(t, n.Email, "%s %s", n.Result, n.Kind)
		require.NotEmpty(t, n.ICS, "%s %s", n.Result, n.Kind)
		assert.Contains(t, n.Dutch, "Beste student")
		assert.Contains(t, n.English, "Dear student")
		for _, m := range uid.FindAllSubmatch(n.ICS, -1) {
			uids[n.Result+" "+string(n.Kind)] = append(uids[n.Result+" "+string(n.Kind)], string(m[1]))
		}
	}
	assert.Equal(t, map[string][]timeline.MessageKind{
		"a-000": {timeline.MessageProvisional, timeline.MessageDeterminedEarly},
		"a-001": {timeline.MessageProvisional, timeline.MessageComplaintDecided, timeline.MessageFinal},
		"a-002": {timeline.MessageProvisional, timeline.MessageInvalidated},
		"a-003": {timeline.MessageProvisional, timeline.MessageFinal, timeline.MessageAnnulled},
		"a-004": {timeline.MessageProvisional, timeline.MessageFinal, timeline.MessageCorrected},
	}, kinds)
	// Every calendar of a result updates the same events.
	want := []string{"a-003-inspection@roc-voorbeeld.nl", "a-003-determination@roc-voorbeeld.nl", "a-003-appeal@roc-voorbeeld.nl"}
	for _, k := range []timeline.MessageKind{timeline.MessageProvisional, timeline.MessageFinal, timeline.MessageAnnulled} {
		assert.ElementsMatch(t, want, uids["a-003 "+string(k)], "%s", k)
	}
	// The messages say what the result is: the new grade after the complaint.
	for _, n := range out.Notices() {
		if n.Result == "a-001" && n.Kind == timeline.MessageComplaintDecided {
			assert.Contains(t, n.Dutch, "7,0")
			assert.Contains(t, n.English, "7.0")
			assert.True(t, bytes.Contains(n.Email, []byte("Subject:")))
			assert.Regexp(t, sequence, string(n.ICS))
		}
	}
}

func TestSuccessorIsLinked(t *testing.T) {
	ctx := context.Background()
	o, _, _ := office(t, 2)
	for i := range 2 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	runDay(t, o, "2027-02-05")
	runDay(t, o, "2027-03-01")
	r, _ := o.Result("a-000")
	g, _ := result.ParseGrade(result.Decimal0To10, "7.0")
	next := r.Successor("a-000-b", g, result.Manual)
	receive := result.Command{Action: result.Receive, Record: &next, Decision: "EC-2027-044"}
	_, err := o.Do(ctx, "a-000-b", receive, chair, day("2027-04-02", 9))
	require.ErrorIs(t, err, vaststelling.ErrSuccessor, "a-000 is final, not annulled")

	doAt(t, o, "a-000", student("000"), "2027-03-02", 9, result.Command{Action: result.LodgeAppeal})
	doAt(t, o, "a-000", board, "2027-04-01", 9, result.Command{Action: result.DecideAppeal, Outcome: result.Upheld, Reason: "r"})
	doAt(t, o, "a-000-b", chair, "2027-04-02", 9, receive)
	doAt(t, o, "a-000-b", chair, "2027-04-02", 9, result.Command{Action: result.Register})
	old, _ := o.Result("a-000")
	assert.Equal(t, "a-000-b", old.SupersededBy, "the annulled result names the new decision")
	nb, _ := o.Result("a-000-b")
	assert.Equal(t, "EC-2027-044", nb.Decision)
	assert.Empty(t, nb.OpenExceptions(), "no late assessment")

	other := r.Successor("a-000-c", g, result.Manual)
	_, err = o.Do(ctx, "a-000-c", result.Command{Action: result.Receive, Record: &other, Decision: "EC-2027-045"},
		chair, day("2027-04-03", 9))
	require.ErrorIs(t, err, vaststelling.ErrSuccessor, "one new decision")
}

func TestTheCommitteeHearsWhatOnlyItResolves(t *testing.T) {
	ctx := context.Background()
	o, _, _ := office(t, 1)
	_, err := o.Deliver(ctx, delivery(0), day("2027-02-05", 9))
	require.NoError(t, err)
	runDay(t, o, "2027-02-05")
	runDay(t, o, "2027-03-01")
	// An irregularity reported after the determination.
	doAt(t, o, "a-000", result.Actor{ID: "adm-1", Role: timeline.ExamAdministration}, "2027-03-03", 9,
		result.Command{Action: result.RaiseException, Exception: result.Irregularity, Detail: "a copied answer found"})
	m, err := o.Monitor(day("2027-03-05", 9))
	require.NoError(t, err)
	require.Len(t, m.ByRole[timeline.ExamCommittee], 1)
	s := m.ByRole[timeline.ExamCommittee][0]
	assert.Equal(t, timeline.ResolveException, s.Task)
	assert.Equal(t, "a-000", s.Result)
	assert.True(t, s.Overdue)
	assert.Equal(t, 2, s.WorkdaysOverdue)
}

func TestTheSampleIsTheCommitteesAct(t *testing.T) {
	ctx := context.Background()
	store, out := &audit.MemoryStore{}, &vaststelling.Outbox{}
	o := officeOn(t, 6, store, out)
	for i := range 6 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	spec := audit.SampleSpec{Seed: 7, Percent: 0, Minimum: 2}
	_, err := o.Sample(ctx, spec, result.Actor{ID: "adm-1", Role: timeline.ExamAdministration}, day("2027-03-01", 9))
	require.ErrorIs(t, err, vaststelling.ErrSample)
	require.ErrorIs(t, err, result.ErrWrongRole)
	s, err := o.Sample(ctx, spec, chair, day("2027-03-01", 9))
	require.NoError(t, err)
	picked := s.Picked()
	require.Len(t, picked, 2)

	notPicked := "a-005"
	for _, id := range []string{"a-000", "a-001", "a-002", "a-003", "a-004", "a-005"} {
		if id != picked[0] && id != picked[1] {
			notPicked = id
		}
	}
	for _, tc := range []struct {
		seed     uint64
		findings []vaststelling.Finding
	}{
		{8, []vaststelling.Finding{{Result: picked[0], InOrder: true}}},
		{7, []vaststelling.Finding{{Result: notPicked, InOrder: true}}},
		{7, []vaststelling.Finding{{Result: picked[0], InOrder: false}}},
		{7, nil},
	} {
		err := o.RecordFindings(ctx, tc.seed, tc.findings, chair, day("2027-03-02", 9))
		require.ErrorIs(t, err, vaststelling.ErrSample, "%+v", tc)
	}
	findings := []vaststelling.Finding{{Result: picked[0], InOrder: true},
		{Result: picked[1], InOrder: false, Note: "the assessment form is not signed"}}
	require.ErrorIs(t, o.RecordFindings(ctx, 7, findings, result.Actor{ID: "adm-1", Role: timeline.ExamAdministration},
		day("2027-03-02", 9)), result.ErrWrongRole)
	require.NoError(t, o.RecordFindings(ctx, 7, findings, chair, day("2027-03-02", 9)))
	assert.Equal(t, findings, o.Findings(7))

	again := officeOn(t, 6, store, out) // rebuilt from the trail
	assert.Equal(t, findings, again.Findings(7))
}

func TestNotToldInTimeIsNotDetermined(t *testing.T) {
	ctx := context.Background()
	out := &vaststelling.Outbox{}
	cfg := officeConfig(t, 2, &audit.MemoryStore{}, out)
	cfg.From = "examenbureau@roc-voorbeeld.nl"
	broken := true
	cfg.Mailbox = func(s string) (string, error) {
		if s == "s-001" && broken {
			return "", errors.New("no mailbox for s-001")
		}
		return s + "@student.roc-voorbeeld.nl", nil
	}
	o, err := vaststelling.New(cfg)
	require.NoError(t, err)
	for i := range 2 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	runDay(t, o, "2027-02-05") // inspection open until Friday 19 February
	rep := runDay(t, o, "2027-03-01")
	assert.Equal(t, []string{"a-000"}, rep.Determined)
	require.Len(t, rep.Blocked, 1)
	assert.Equal(t, "a-001", rep.Blocked[0].Result)
	assert.Contains(t, rep.Blocked[0].Reasons()[0], "not told")

	// Told only now, after the deadline its message names: the message's
	// terms are the terms, and the standing mandate leaves it to the committee.
	broken = false
	rep = runDay(t, o, "2027-03-02")
	assert.Equal(t, []string{"a-001"}, rep.Notified)
	assert.Empty(t, rep.Determined, "not in the run that told the student")
	reopened, err := vaststelling.New(cfg)
	require.NoError(t, err)
	rep, err = reopened.DailyRun(ctx, day("2027-03-03", 18))
	require.NoError(t, err)
	require.Len(t, rep.Blocked, 1, "nor later: the trail remembers it was told late")
	assert.Contains(t, rep.Blocked[0].Reasons()[0], "only after the inspection deadline")
	doAt(t, reopened, "a-001", chair, "2027-03-10", 9, result.Command{Action: result.Determine})
	r, _ := reopened.Result("a-001")
	assert.Equal(t, result.Final, r.State)
}

func TestAnUnmappedAssessorIsReported(t *testing.T) {
	ctx := context.Background()
	cfg := officeConfig(t, 1, &audit.MemoryStore{}, &vaststelling.Outbox{})
	cfg.Assessors = result.AssessorMap{"PIPI": "p.pietersen"}
	o, err := vaststelling.New(cfg)
	require.NoError(t, err)
	_, err = o.Deliver(ctx, delivery(0), day("2027-02-05", 9))
	require.NoError(t, err)
	runDay(t, o, "2027-02-05")
	rep := runDay(t, o, "2027-03-01")
	assert.Empty(t, rep.Determined)
	require.Len(t, rep.Blocked, 1)
	assert.Contains(t, rep.Blocked[0].Reasons()[0], `"JAJE"`)
}

// Sessions are known by the name the KRS receives with every result
// (executedOfferingName); a session with results but no report from the
// planner is signalled, and a report holds the session's results.
func TestSessionsByTheirName(t *testing.T) {
	ctx := context.Background()
	store, out := &audit.MemoryStore{}, &vaststelling.Outbox{}
	o := officeOn(t, 2, store, out)
	for i := range 2 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"v1"}, o.UnreportedSessions())
	m, err := o.Monitor(day("2027-02-05", 12))
	require.NoError(t, err)
	assert.Equal(t, []string{"v1"}, m.UnreportedSessions)

	require.NoError(t, o.SessionReport(ctx, "session-1", "fire alarm", day("2027-02-05", 13)))
	r, _ := o.Result("a-000")
	assert.Equal(t, result.Provisional, r.State, "the enrolment's offering id names no session")
	require.NoError(t, o.SessionReport(ctx, "v1", "fire alarm at 10:40", day("2027-02-05", 13)))
	r, _ = o.Result("a-000")
	assert.Equal(t, result.OnHold, r.State)
	assert.Empty(t, o.UnreportedSessions())
	assert.Empty(t, officeOn(t, 2, store, out).UnreportedSessions(), "the trail keeps the report")
}
