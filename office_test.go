package vaststelling_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

var ams = calendar.Default().Location()

func day(s string, h int) time.Time {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, ams)
}

var settings = timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
	CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}

// office wires an office over n enrolments of one exam session on Monday
// 18 January 2027, with a standing mandate for the exam office.
func office(t *testing.T, n int) (*vaststelling.Office, *audit.MemoryStore, *vaststelling.Outbox) {
	t.Helper()
	store, out := &audit.MemoryStore{}, &vaststelling.Outbox{}
	return officeOn(t, n, store, out), store, out
}

// officeOn wires the office of office onto an audit store and a notifier.
func officeOn(t *testing.T, n int, store audit.Store, out vaststelling.Notifier) *vaststelling.Office {
	t.Helper()
	o, err := vaststelling.New(officeConfig(t, n, store, out))
	require.NoError(t, err)
	return o
}

// officeConfig is the configuration of office's office, for tests that
// add to it.
func officeConfig(t testing.TB, n int, store audit.Store, out vaststelling.Notifier) vaststelling.Config {
	t.Helper()
	var assocs []oke.Association
	for i := range n {
		assocs = append(assocs, oke.Association{ID: fmt.Sprintf("a-%03d", i), Student: fmt.Sprintf("s-%03d", i),
			Offering: "session-1", Component: "KT1", Programme: "ICT-BOL-4", Crebo: "25180", Team: "ict",
			Attempt: 1, State: "associated"})
	}
	dir, err := oke.NewMemory(assocs, []oke.Component{{Code: "KT1", Scale: result.Decimal0To10}})
	require.NoError(t, err)
	mandates, err := result.NewMandateSet(result.Mandate{ID: "M-standing", GrantedBy: "examencommissie",
		To: "examenbureau", Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true},
		From: day("2026-08-01", 0)})
	require.NoError(t, err)
	log, err := audit.NewLog(store)
	require.NoError(t, err)
	return vaststelling.Config{Calendar: calendar.Default(), Policies: timeline.DefaultPolicies(),
		Directory: dir, Mandates: mandates, Log: log, Notifier: out, Settings: settings,
		Standing: result.Actor{ID: "examenbureau-robot", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}}
}

func body(id, score, irregularities string) []byte {
	rc := map[string]any{"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "v1",
		"assessorCode": "JAJE", "testDate": "2027-01-18T11:00:00+01:00"}
	if irregularities != "" {
		rc["irregularities"] = irregularities
	}
	b, _ := json.Marshal(map[string]any{"associationType": "componentOfferingAssociation",
		"consumers": []any{map[string]any{"consumerKey": "nl-test-admin", "orgAssociationId": id, "attempt": 1}},
		"result": map[string]any{"state": "completed", "score": score, "resultDate": "2027-02-01", "weight": 100,
			"consumers": []any{rc}}})
	return b
}

// A whole term, day by day: deliveries, a rejected message, a complaint
// upheld, an irregularity that blocks determination, daily runs; each count
// in the reports checked against the events in the trail.
func TestWholeTerm(t *testing.T) {
	ctx := context.Background()
	const n = 12
	o, store, out := office(t, n)
	deliver := func(i int, at time.Time) {
		irregular := ""
		if i == 7 {
			irregular = "phone on the table"
		}
		rc, err := o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: fmt.Sprintf("a-%03d", i),
			Body: body(fmt.Sprintf("a-%03d", i), "6.5", irregular)}, at)
		require.NoError(t, err)
		require.NotEqual(t, oke.Rejected, rc.Outcome, "%v", rc.Reasons)
	}
	for i := range 10 {
		deliver(i, day("2027-02-05", 9))
	}
	rc, err := o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "nobody", Body: body("nobody", "6", "")},
		day("2027-02-05", 9))
	require.NoError(t, err)
	assert.Equal(t, oke.Rejected, rc.Outcome)

	var determined, notified, blockedDays int
	// A complaint, upheld with a corrected grade, on a-003; the late ones
	// approved by the committee: each on its day, before that day's run.
	student := result.Actor{ID: "s-003", Role: timeline.Student}
	committee := result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}
	g, _ := result.ParseGrade(result.Decimal0To10, "7.2")
	actions := map[string]func(){
		"2027-02-10": func() {
			deliver(10, day("2027-02-10", 9)) // late: a late-assessment exception each
			deliver(11, day("2027-02-10", 9))
			_, err := o.Do(ctx, "a-003", result.Command{Action: result.LodgeComplaint}, student, day("2027-02-10", 14))
			require.NoError(t, err)
		},
		"2027-02-11": func() {
			for _, id := range []string{"a-010", "a-011"} {
				_, err := o.Do(ctx, id, result.Command{Action: result.ResolveException, ExceptionID: 1,
					Outcome: result.Approved, Reason: "assessor ill"}, committee, day("2027-02-11", 9))
				require.NoError(t, err)
			}
		},
		"2027-02-15": func() {
			_, err := o.Do(ctx, "a-003", result.Command{Action: result.DecideComplaint, Outcome: result.Upheld,
				Reason: "marked too strictly", Grade: g}, committee, day("2027-02-15", 10))
			require.NoError(t, err)
		},
	}

	for d := calendar.DateOf(day("2027-02-05", 0)); d.Before(calendar.DateOf(day("2027-04-01", 0))); d = d.AddDays(1) {
		if act, ok := actions[d.String()]; ok {
			act()
		}
		now := time.Date(d.Year, d.Month, d.Day, 18, 0, 0, 0, ams)
		rep, err := o.DailyRun(ctx, now)
		require.NoError(t, err)
		determined += len(rep.Determined)
		notified += len(rep.Notified)
		if len(rep.Blocked) > 0 {
			blockedDays++
			for _, b := range rep.Blocked {
				assert.Equal(t, "a-007", b.Result)
				assert.Contains(t, b.Reasons()[0], "right_status")
			}
		}
		again, err := o.DailyRun(ctx, now)
		require.NoError(t, err)
		assert.Empty(t, again.Determined, "a second run changes nothing")
		assert.Empty(t, again.Notified)
	}

	// Counts against the trail.
	rb, err := audit.Rebuild(ctx, store, ams)
	require.NoError(t, err)
	finals, holds := 0, 0
	for _, id := range o.Results() {
		r, _ := o.Result(id)
		assert.Equal(t, r, rb.Results[id], id)
		switch r.State {
		case result.Final:
			finals++
		case result.OnHold:
			holds++
		}
	}
	assert.Equal(t, n-1, finals)
	assert.Equal(t, 1, holds, "the irregular one waits for the committee")
	assert.Equal(t, finals, determined)
	assert.Equal(t, n+1+finals, notified, "every registration, the complaint decided, every determination")
	assert.Len(t, out.Notices(), notified)
	assert.Positive(t, blockedDays)
	size, _ := store.Size(ctx)
	var determinedEvents int
	records, _ := store.Records(ctx, 0, size)
	for _, r := range records {
		if r.Type == string(result.EventDetermined) {
			determinedEvents++
			assert.Equal(t, "M-standing", r.Mandate)
		}
	}
	assert.Equal(t, determined, determinedEvents)
	_, err = audit.Verify(ctx, store, nil)
	require.NoError(t, err)
	kept := 0
	require.NoError(t, o.Deliveries(ctx, func(oke.Kept) error { kept++; return nil }))
	assert.Equal(t, n+1, kept, "the rejected message is kept too")

	// Monitoring: the irregular result is overdue for the committee's decision? It waits on hold:
	// its determination is not signalled while held by an exception; nothing else is due.
	m, err := o.Monitor(day("2027-04-01", 9))
	require.NoError(t, err)
	assert.Empty(t, m.ByRole[timeline.Assessor])
}

func TestNewNeedsItsParts(t *testing.T) {
	_, err := vaststelling.New(vaststelling.Config{})
	require.ErrorIs(t, err, vaststelling.ErrConfig)
	assert.Contains(t, err.Error(), "Calendar")
}

// A sample drawn over the term's results is recorded in the trail and
// read back the same; drawing again with the seed gives the same picks.
func TestSampleRecorded(t *testing.T) {
	ctx := context.Background()
	o, store, _ := office(t, 20)
	for i := range 20 {
		_, err := o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: fmt.Sprintf("a-%03d", i),
			Body: body(fmt.Sprintf("a-%03d", i), "6.5", "")}, day("2027-02-05", 9))
		require.NoError(t, err)
	}
	committee := result.Actor{ID: "ec-1", Role: timeline.ExamCommittee}
	spec := audit.SampleSpec{Seed: 20270301, Percent: 10, Minimum: 3}
	s, err := o.Sample(ctx, spec, committee, day("2027-03-01", 9))
	require.NoError(t, err)
	assert.Len(t, s.Picked(), 3)
	again, err := o.Sample(ctx, spec, committee, day("2027-03-01", 10))
	require.NoError(t, err)
	assert.Equal(t, s.Picked(), again.Picked())
	size, _ := store.Size(ctx)
	records, err := store.Records(ctx, size-1, size)
	require.NoError(t, err)
	back, actor, err := audit.ReadSample(records[0])
	require.NoError(t, err)
	assert.Equal(t, committee.ID, actor.ID)
	assert.Equal(t, again.Picked(), back.Picked())
	_, err = audit.Verify(ctx, store, nil)
	require.NoError(t, err)
}

// With a sender and mailboxes, every notice is a ready e-mail with the
// deadlines as a calendar file.
func TestNoticesAsEmail(t *testing.T) {
	ctx := context.Background()
	out := &vaststelling.Outbox{}
	cfg := officeConfig(t, 1, &audit.MemoryStore{}, out)
	cfg.From = "examenbureau@roc-voorbeeld.nl"
	cfg.Mailbox = func(s string) (string, error) { return s + "@student.roc-voorbeeld.nl", nil }
	o, err := vaststelling.New(cfg)
	require.NoError(t, err)
	_, err = o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-000", Body: body("a-000", "7.0", "")}, day("2027-02-05", 9))
	require.NoError(t, err)
	_, err = o.DailyRun(ctx, day("2027-02-05", 18))
	require.NoError(t, err)
	require.Len(t, out.Notices(), 1)
	n := out.Notices()[0]
	assert.Contains(t, string(n.Email), "To: <s-000@student.roc-voorbeeld.nl>\r\n")
	assert.Contains(t, string(n.Email), "multipart/multilingual")
	assert.Contains(t, string(n.ICS), "BEGIN:VCALENDAR\r\n")
	assert.Contains(t, string(n.ICS), "UID:a-000-determination@roc-voorbeeld.nl\r\n")
}
