package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// The OKE deliveries the intake rejected are read from the delivery log
// in the trail and counted per session, by the result their association
// names, and in the evaluation; one whose association names no result is
// not traceable to a session, and the reports say so (issue 15:
// "Rejected at intake | 0" while OKE messages of the session were
// rejected).
func TestRejectedDeliveries(t *testing.T) {
	tr := fixture(t)
	acc1, err := report.Accountability(ctx, tr.store, cal, session1)
	require.NoError(t, err)
	acc2, err := report.Accountability(ctx, tr.store, cal, session2)
	require.NoError(t, err)
	assert.Equal(t, 1, acc1.Totals.RejectedDeliveries)
	assert.Equal(t, 0, acc1.Totals.Rejected, "no result was rejected at the import check")
	assert.Equal(t, "a-102", acc1.RejectedDeliveries[0].AssociationID, "rejected before its accepted delivery")
	assert.Equal(t, 1, acc2.Totals.RejectedDeliveries)
	assert.Equal(t, "a-203", acc2.RejectedDeliveries[0].AssociationID)
	for _, acc := range []report.AccountabilityReport{acc1, acc2} {
		require.Len(t, acc.Untraceable, 1)
		assert.Equal(t, "x-999", acc.Untraceable[0].AssociationID)
		assert.Equal(t, "unknown_association", acc.Untraceable[0].Reasons[0].Code)
	}
	var md bytes.Buffer
	require.NoError(t, acc1.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "| Rejected OKE deliveries | 1 |")
	assert.Contains(t, md.String(), "| Tue 9 Feb 2027 09:00 | a-102 | PATCH | result.weight: required field missing (the "+
		"weight is required and must be 100) |")
	assert.Contains(t, md.String(), "Not traceable to a session, because their association names no result in the "+
		"audit trail (listed in every session report): 1 rejected delivery.")
	md.Reset()
	require.NoError(t, acc1.WriteMarkdown(&md, timeline.Dutch))
	assert.Contains(t, md.String(), "| Afgewezen OKE-aanleveringen | 1 |")
	assert.Contains(t, md.String(), "Niet tot een zitting te herleiden, omdat hun associatie bij geen resultaat in de "+
		"audittrail hoort (in elk zittingsverslag vermeld): 1 afgewezen aanlevering.")

	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, 3, ev.Total.RejectedDeliveries, "the accepted delivery is not counted")
	assert.Equal(t, 1, ev.UntraceableRejections)
	assert.Equal(t, 2, ev.ByMonth[6].RejectedDeliveries, "February: a-102's and x-999's")
	assert.Equal(t, 1, ev.ByMonth[7].RejectedDeliveries, "March: a-203's")
	byProgramme := 0
	for _, row := range ev.ByProgramme {
		byProgramme += row.RejectedDeliveries
	}
	assert.Equal(t, 2, byProgramme, "the untraceable one in no programme")
	md.Reset()
	require.NoError(t, ev.WriteMarkdown(&md, timeline.English))
	assert.Contains(t, md.String(), "| Rejected OKE deliveries | 3 |\n| – not traceable to a session | 1 |")

	// A delivery entry whose data was erased cannot be judged: not counted.
	size, err := tr.store.Size(ctx)
	require.NoError(t, err)
	records, err := tr.store.Records(ctx, 0, size)
	require.NoError(t, err)
	for _, r := range records {
		if r.Type == "delivery" && bytes.Contains(r.Payload, []byte(`"x-999"`)) {
			require.NoError(t, tr.log.Erase(ctx, r.Index))
		}
	}
	acc1, err = report.Accountability(ctx, tr.store, cal, session1)
	require.NoError(t, err)
	assert.Empty(t, acc1.Untraceable)
	ev, err = report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, 2, ev.Total.RejectedDeliveries)
	assert.Equal(t, 0, ev.UntraceableRejections)
}

// The delivery log as the office writes it: what Office.Deliveries reads
// back as rejected is what the reports count.
func TestRejectedDeliveriesOfTheOffice(t *testing.T) {
	store := &audit.MemoryStore{}
	log, err := audit.NewLog(store)
	require.NoError(t, err)
	dir, err := oke.NewMemory([]oke.Association{{ID: "o-1", Student: "s-1", Offering: "session-1", Component: "KT1",
		Programme: "ICT-BOL-4", Crebo: "25180", Team: "ict", Attempt: 1, State: "associated"}},
		[]oke.Component{{Code: "KT1", Scale: result.Decimal0To10}})
	require.NoError(t, err)
	mandates, err := result.NewMandateSet(result.Mandate{ID: "M-standing", GrantedBy: "examencommissie",
		To: "examenbureau", Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true},
		From: at("2026-08-01", 0)})
	require.NoError(t, err)
	office, err := vaststelling.New(vaststelling.Config{Calendar: cal, Policies: timeline.DefaultPolicies(),
		Directory: dir, Mandates: mandates, Log: log, Notifier: &vaststelling.Outbox{},
		Settings: timeline.Settings{Institution: "Examencommissie", KRS: "Eduarte", CommitteeAddress: "ec@example.nl",
			AppealsBoardAddress: "cbe@example.nl"},
		Standing: result.Actor{ID: "robot", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}})
	require.NoError(t, err)
	body := func(id string) []byte {
		b, err := json.Marshal(map[string]any{"associationType": "componentOfferingAssociation",
			"consumers": []any{map[string]any{"consumerKey": "nl-test-admin", "orgAssociationId": id, "attempt": 1}},
			"result": map[string]any{"state": "completed", "score": "6.5", "resultDate": "2027-02-01", "weight": 100,
				"consumers": []any{map[string]any{"consumerKey": "nl-test-admin", "attendance": "present",
					"executedOfferingName": "v1", "assessorCode": "JAJE", "testDate": "2027-01-18T11:00:00+01:00"}}}})
		require.NoError(t, err)
		return b
	}
	for _, d := range []struct {
		id   string
		body []byte
		want oke.Outcome
	}{
		{"o-1", body("o-1"), oke.Accepted},
		{"o-1", []byte(`{"not json`), oke.Rejected},     // for a result in the trail: its session's
		{"o-404", body("o-404"), oke.Rejected},          // no such association: not traceable
		{"o-1", body("o-1"), oke.Duplicate},             // nothing changed, nothing rejected
		{"o-1", []byte(`{"weight": 50}`), oke.Rejected}, // its session's again
	} {
		rc, err := office.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: d.id, Body: d.body},
			at("2027-02-01", 9))
		require.NoError(t, err)
		require.Equal(t, d.want, rc.Outcome, d.id)
	}
	rejected := 0
	require.NoError(t, office.Deliveries(ctx, func(k oke.Kept) error {
		if k.Receipt.Outcome == oke.Rejected {
			rejected++
		}
		return nil
	}))
	require.Equal(t, 3, rejected)

	r, ok := office.Result("o-1")
	require.True(t, ok)
	acc, err := report.Accountability(ctx, store, cal, r.Offering)
	require.NoError(t, err)
	require.Len(t, acc.Results, 1)
	assert.Equal(t, 2, acc.Totals.RejectedDeliveries)
	require.Len(t, acc.Untraceable, 1)
	assert.Equal(t, "o-404", acc.Untraceable[0].AssociationID)
	assert.Equal(t, rejected, acc.Totals.RejectedDeliveries+len(acc.Untraceable))
	for _, d := range acc.RejectedDeliveries {
		assert.NotEmpty(t, d.Reasons)
		assert.Equal(t, at("2027-02-01", 9), d.At)
	}
	ev, err := report.Evaluation(ctx, store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	assert.Equal(t, rejected, ev.Total.RejectedDeliveries)
	assert.Equal(t, 1, ev.UntraceableRejections)
}
