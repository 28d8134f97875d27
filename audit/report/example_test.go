package report_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// One result goes through its life into the trail; the session report
// reads it back, for the exam committee.
func Example() {
	ctx := context.Background()
	cal := calendar.Default()
	ams := cal.Location()
	day := func(month time.Month, d, h int) time.Time { return time.Date(2027, month, d, h, 0, 0, 0, ams) }

	store := &audit.MemoryStore{}
	log, err := audit.NewLog(store)
	if err != nil {
		fmt.Println(err)
		return
	}
	mandates, err := result.NewMandateSet(result.Mandate{ID: "M-2026-01", GrantedBy: "examencommissie",
		To: "examenbureau", Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true},
		From: time.Date(2026, time.August, 1, 0, 0, 0, 0, ams)})
	if err != nil {
		fmt.Println(err)
		return
	}
	krs := result.Actor{ID: "krs", Role: timeline.System}
	office := result.Actor{ID: "adm-1", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}
	grade, _ := result.ParseGrade(result.Decimal0To10, "7.4")

	var r result.Result
	for _, step := range []struct {
		actor result.Actor
		at    time.Time
		cmd   result.Command
	}{
		{krs, day(time.February, 5, 9), result.Command{Action: result.Receive, Record: &result.Record{
			ID: "a-1", Student: "s-1", Component: "KT1", Programme: "ICT-BOL-4", Crebo: "25604", Attempt: 1,
			Exam: day(time.January, 18, 11), Assessor: "ass-1", Grade: grade, Attendance: result.Present,
			Source: result.OKE, Offering: "ICT-2027-01"}}},
		{krs, day(time.February, 5, 9), result.Command{Action: result.Register}},
		{office, day(time.March, 1, 18), result.Command{Action: result.Determine}},
	} {
		events, err := r.Do(step.cmd, result.Context{Actor: step.actor, Mandates: mandates, Calendar: cal,
			Policies: timeline.DefaultPolicies(), Now: step.at})
		if err == nil {
			_, err = log.AppendEvents(ctx, events...)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}

	rep, err := report.Accountability(ctx, store, cal, "ICT-2027-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	var page strings.Builder
	if err := rep.WriteMarkdown(&page, timeline.Dutch); err != nil {
		fmt.Println(err)
		return
	}
	_, section, _ := strings.Cut(page.String(), "### a-1\n\n")
	fmt.Print(section)
	// Output:
	// - Student s-1, onderdeel KT1, opleiding ICT-BOL-4, poging 1, examinator ass-1
	// - Afname: ma 18 jan 2027 11:00
	// - Cijfer 7,4, status: definitief
	// - Vastgesteld: ma 1 mrt 2027 18:00 door adm-1 (examenadministratie), onder mandaat M-2026-01
	// - Uitzonderingen: geen
	//
	// Verloop:
	//
	// - vr 5 feb 2027 09:00: ontvangen door krs (systeem): cijfer 7,4 (OKE)
	// - vr 5 feb 2027 09:00: voorlopig geregistreerd door krs (systeem): beleid Voorbeeldprocedure
	// - ma 1 mrt 2027 18:00: vastgesteld door adm-1 (examenadministratie), onder mandaat M-2026-01
}

// Percentages are computed in integers and rounded half up.
func ExamplePercent() {
	fmt.Println(report.Percent(2, 3), report.Percent(1, 16), report.Percent(5, 7), report.Percent(0, 0) == "")
	// Output: 66.7 6.3 71.4 true
}
