package vaststelling_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// An office wired in memory: one OKE delivery, the daily runs that tell
// the student and, once the determination date has come, determine the
// result under the standing mandate; the trail verifies.
func ExampleOffice() {
	ctx := context.Background()
	cal := calendar.Default()
	dir, _ := oke.LoadDirectory(strings.NewReader(`{
		"components": [{"code": "KT1", "scale": "0.0-10.0"}],
		"associations": [{"id": "assoc-1", "student": "s-101", "component": "KT1",
			"crebo": "25180", "attempt": 1, "state": "associated"}]}`))
	mandates, _ := result.NewMandateSet(result.Mandate{ID: "M-standing", GrantedBy: "examencommissie",
		To: "examenbureau", Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true},
		From: time.Date(2026, 8, 1, 0, 0, 0, 0, cal.Location())})
	store := &audit.MemoryStore{}
	trail, _ := audit.NewLog(store)
	outbox := &vaststelling.Outbox{}
	office, err := vaststelling.New(vaststelling.Config{
		Calendar: cal, Policies: timeline.DefaultPolicies(), Directory: dir, Mandates: mandates, Log: trail,
		Notifier: outbox, Standing: result.Actor{ID: "robot", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}},
		Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
			CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(day string, hour int) time.Time {
		d, _ := calendar.ParseDate(day)
		return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, cal.Location())
	}
	rc, err := office.Deliver(ctx, oke.Delivery{Method: oke.Patch, AssociationID: "assoc-1", Body: []byte(`{
		"associationType": "componentOfferingAssociation",
		"consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "assoc-1", "attempt": 1}],
		"result": {"state": "completed", "score": "7.5", "resultDate": "2027-01-18", "weight": 100,
			"consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "A",
				"assessorCode": "JAJE", "testDate": "2027-01-18T11:00:00+01:00"}]}}`)}, at("2027-01-22", 9))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("delivery:", rc.Outcome)
	for _, day := range []string{"2027-01-22", "2027-02-26", "2027-03-01"} {
		rep, err := office.DailyRun(ctx, at(day, 18))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: told %v, determined %v\n", day, rep.Notified, rep.Determined)
	}
	r, _ := office.Result("assoc-1")
	fmt.Println(r.State, r.Grade, "under", r.Mandate)
	for _, n := range outbox.Notices() {
		fmt.Printf("%s: %s\n", n.Kind, strings.Split(n.Dutch, "\n")[2])
	}
	report, err := audit.Verify(ctx, store, nil)
	fmt.Println(report.Size, "records in the trail, verified:", err == nil)
	// Output:
	// delivery: accepted
	// 2027-01-22: told [assoc-1], determined []
	// 2027-02-26: told [], determined []
	// 2027-03-01: told [assoc-1], determined [assoc-1]
	// final 7.5 under M-standing
	// provisional: Er is een nieuw voorlopig resultaat toegevoegd in Eduarte: 7,5.
	// final: Je resultaat in Eduarte is op maandag 1 maart 2027 definitief vastgesteld: 7,5.
	// 13 records in the trail, verified: true
}
