package vaststelling_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// The office serves flow 5 over HTTP through the same durable path: a
// delivery answered 200 is in the trail, and after a restart the same
// message is a duplicate.
func TestOfficeServesFlow5Durably(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	serve := func() (*httptest.Server, func()) {
		store, err := filestore.Open(dir)
		require.NoError(t, err)
		o, err := vaststelling.Open(ctx, officeConfig(t, 2, store, &vaststelling.Outbox{}))
		require.NoError(t, err)
		h, err := o.Handler(oke.HandlerConfig{InsecureNoAuth: true, Clock: func() time.Time { return day("2027-02-05", 9) }})
		require.NoError(t, err)
		srv := httptest.NewServer(h)
		return srv, func() { srv.Close(); require.NoError(t, store.Close()) }
	}
	patch := func(srv *httptest.Server, id string) (int, map[string]any) {
		req, err := http.NewRequest(http.MethodPatch, srv.URL+"/ooapi/associations/"+id, bytes.NewReader(body(id, "7", "")))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/merge-patch+json")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var answer map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
		return resp.StatusCode, answer
	}
	srv, stop := serve()
	status, answer := patch(srv, "a-000")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "accepted", answer["outcome"])
	stop()

	_, err := vaststelling.New(officeConfig(t, 2, &audit.MemoryStore{}, nil))
	require.NoError(t, err)
	_, err = (&vaststelling.Office{}).Handler(oke.HandlerConfig{Clock: time.Now})
	require.Error(t, err, "no handler without an authorizer")

	srv, stop = serve()
	defer stop()
	status, answer = patch(srv, "a-000")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "duplicate", answer["outcome"], "the trail remembers it")
	assert.EqualValues(t, 2, answer["seq"])
}

// A mailbox that fails for one student blocks no determination and no
// other notice; the failure is in the trail, and the notice goes out on
// the next run once the mailbox works, once.
func TestAFailingMailboxBlocksNothing(t *testing.T) {
	ctx := context.Background()
	store, out := &audit.MemoryStore{}, &vaststelling.Outbox{}
	cfg := officeConfig(t, 3, store, out)
	broken := true
	cfg.From = "examenbureau@roc-voorbeeld.nl"
	cfg.Mailbox = func(student string) (string, error) {
		if student == "s-001" && broken {
			return "", errors.New("no mailbox for s-001 in the directory")
		}
		return student + "@student.roc-voorbeeld.nl", nil
	}
	o, err := vaststelling.New(cfg)
	require.NoError(t, err)
	for i := range 3 {
		_, err := o.Deliver(ctx, delivery(i), day("2027-02-05", 9))
		require.NoError(t, err)
	}
	rep, err := o.DailyRun(ctx, day("2027-02-05", 18))
	require.NoError(t, err)
	assert.Equal(t, []string{"a-000", "a-002"}, rep.Notified)
	require.Len(t, rep.Failed, 1)
	assert.Equal(t, "a-001", rep.Failed[0].Result)
	assert.Contains(t, rep.Failed[0].Reasons()[0], "no mailbox")

	rep, err = o.DailyRun(ctx, day("2027-02-08", 18))
	require.NoError(t, err)
	assert.Empty(t, rep.Notified)
	assert.Len(t, rep.Failed, 1, "tried again, and failed again")

	broken = false
	o, err = vaststelling.New(cfg) // a restart between: the outbox is in the trail
	require.NoError(t, err)
	rep, err = o.DailyRun(ctx, day("2027-02-09", 18))
	require.NoError(t, err)
	assert.Equal(t, []string{"a-001"}, rep.Notified)
	assert.Empty(t, rep.Failed)

	r, _ := o.Result("a-000")
	tl, err := o.Timeline(&r)
	require.NoError(t, err)
	broken = true
	rep, err = o.DailyRun(ctx, time.Date(tl.DeterminationDue.Year, tl.DeterminationDue.Month, tl.DeterminationDue.Day, 18, 0, 0, 0, ams))
	require.NoError(t, err)
	assert.Equal(t, []string{"a-000", "a-001", "a-002"}, rep.Determined,
		"the mailbox blocks no determination: a-001's student was told in time, on 9 February")
	require.Len(t, rep.Failed, 1, "a-001's final notice waits for the mailbox")
	assert.Contains(t, rep.Failed[0].Reasons()[0], "final: ")
	ids := map[string]int{}
	for _, n := range out.Notices() {
		ids[n.ID]++
	}
	assert.Len(t, ids, 5, "three provisional notices, two final ones")
	for id, n := range ids {
		assert.Equal(t, 1, n, "%s sent once", id)
	}
	size, _ := store.Size(ctx)
	records, _ := store.Records(ctx, 0, size)
	failed := 0
	for _, r := range records {
		if r.Type == vaststelling.EntryNoticeFailed {
			failed++
		}
	}
	assert.Equal(t, 3, failed)
}

// A cancelled caller's context fails no other caller's append in the same
// group commit.
func TestACancelledCallerFailsNoOther(t *testing.T) {
	ctx := context.Background()
	const n = 40
	o, store := trailOffice(t, n)
	store.delay = 5 * time.Millisecond
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		cctx := ctx
		if i%4 == 0 {
			var cancel context.CancelFunc
			cctx, cancel = context.WithTimeout(ctx, time.Duration(i%8)*time.Millisecond)
			defer cancel()
		}
		wg.Go(func() { _, errs[i] = o.Deliver(cctx, delivery(i), day("2027-02-05", 9)) })
	}
	wg.Wait()
	for i, err := range errs {
		if i%4 != 0 {
			assert.NoError(t, err, "delivery %d", i)
		} else if err != nil {
			assert.ErrorIs(t, err, context.DeadlineExceeded, "delivery %d fails only by its own context", i)
		}
	}
	rb, err := audit.Rebuild(ctx, store, ams)
	require.NoError(t, err)
	for i, err := range errs {
		_, ok := rb.Results[fmt.Sprintf("a-%03d", i)]
		assert.Equal(t, err == nil, ok, "delivery %d is in the trail exactly when it was acknowledged", i)
	}
}

// Deliveries are kept in the trail, not in memory: 3,000 deliveries of
// 255 KiB leave the heap within 64 MB of where it started.
func TestDeliveriesLeaveTheHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("750 MB of deliveries")
	}
	ctx := context.Background()
	store, err := filestore.Open(t.TempDir())
	require.NoError(t, err)
	defer store.Close()
	o, err := vaststelling.New(officeConfig(t, 1, store, &vaststelling.Outbox{}))
	require.NoError(t, err)
	big := append(body("a-000", "7", ""), []byte(strings.Repeat(" ", 255<<10))...)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := range 3000 {
		_, err := o.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "a-000", Body: big}, day("2027-02-05", 9).Add(time.Duration(i)*time.Second))
		require.NoError(t, err)
	}
	after := heap()
	t.Logf("heap %d MB before, %d MB after 3,000 deliveries of 255 KiB", before>>20, after>>20)
	assert.Less(t, int64(after)-int64(before), int64(64<<20))
}

// A mandate is live, audited data: granted and revoked by the exam
// committee with who decided it; a self-granted one and one granted by
// another role are refused; a standing actor without a mandate to
// determine does not open.
func TestMandatesAreAudited(t *testing.T) {
	ctx := context.Background()
	o, store, _ := office(t, 1)
	committee := result.Actor{ID: "ec-1", Role: timeline.ExamCommittee, Teams: []string{"examencommissie"}}
	m := result.Mandate{ID: "M-early", To: "examenbureau", Actions: []result.Action{result.DetermineEarly},
		Scope: result.Scope{All: true}, From: day("2027-01-01", 0)}
	require.ErrorIs(t, o.GrantMandate(ctx, m, result.Actor{ID: "eb-1", Role: timeline.ExamAdministration}, day("2027-01-02", 9)),
		vaststelling.ErrMandate)
	self := m
	self.To = "ec-1"
	require.ErrorIs(t, o.GrantMandate(ctx, self, committee, day("2027-01-02", 9)), vaststelling.ErrMandate)
	require.NoError(t, o.GrantMandate(ctx, m, committee, day("2027-01-02", 9)))
	require.NoError(t, o.RevokeMandate(ctx, "M-early", "no longer needed", committee, day("2027-02-02", 9)))
	require.ErrorIs(t, o.RevokeMandate(ctx, "M-early", "twice", committee, day("2027-02-03", 9)), vaststelling.ErrMandate)
	ms := o.Mandates()
	require.Len(t, ms, 2)
	assert.Equal(t, "ec-1", ms[1].GrantedBy)
	assert.True(t, ms[1].Revoked.Equal(day("2027-02-02", 9)))

	size, _ := store.Size(ctx)
	records, _ := store.Records(ctx, 0, size)
	var types []string
	for _, r := range records {
		types = append(types, r.Type+" "+r.Mandate+" "+r.Role)
	}
	assert.Equal(t, []string{"mandate_granted M-standing exam_committee", "mandate_granted M-early exam_committee",
		"mandate_revoked M-early exam_committee"}, types)

	cfg := officeConfig(t, 1, &audit.MemoryStore{}, nil)
	cfg.Standing = result.Actor{ID: "nobody", Role: timeline.ExamAdministration}
	_, err := vaststelling.New(cfg)
	require.ErrorIs(t, err, vaststelling.ErrConfig)
}
