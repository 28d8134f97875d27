//go:build ignore

// Gen writes the sample data of examples/lifecycle into data/: run it with
// `go run gen.go` from this directory. The data are deterministic: three
// exam sessions of 100 students, each result delivered on the day its file
// name begins with, a few late, one with an irregularity, one in each
// session for an enrolment canceled meanwhile, and four bad messages.
package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/krs-oke/vaststelling/calendar"
)

func main() {
	rng := rand.New(rand.NewPCG(2027, 1))
	type assoc struct {
		ID           string `json:"id"`
		Student      string `json:"student"`
		Offering     string `json:"offering"`
		Component    string `json:"component"`
		Programme    string `json:"programme"`
		Crebo        string `json:"crebo"`
		Team         string `json:"team"`
		Attempt      int    `json:"attempt"`
		AttemptsLeft int    `json:"attempts_left"`
		State        string `json:"state"`
	}
	sessions := []struct{ offering, component, programme, crebo, team, exam string }{
		{"sessie-kt1-0118", "KT1-W2", "ICT-BOL-4", "25187", "ict", "2027-01-18"},
		{"sessie-kt2-0125", "KT2-W1", "ICT-BOL-4", "25187", "ict", "2027-01-25"},
		{"sessie-ne-0201", "NE-2F", "ZORG-BBL-3", "25491", "zorg", "2027-02-01"},
	}
	var assocs []assoc
	must(os.RemoveAll("data/messages"))
	must(os.MkdirAll("data/messages", 0o755))
	n := 0
	for si, s := range sessions {
		for i := range 100 {
			id := fmt.Sprintf("%s-%03d", s.offering, i)
			state := "associated"
			if i == 42 {
				state = "canceled"
			}
			assocs = append(assocs, assoc{ID: id, Student: fmt.Sprintf("s%d%03d", si+1, i), Offering: s.offering,
				Component: s.component, Programme: s.programme, Crebo: s.crebo, Team: s.team, Attempt: 1,
				AttemptsLeft: 1, State: state})
			// Delivered 3 to 18 working days after the exam; a few late.
			delay := 3 + rng.IntN(14)
			if i%37 == 5 {
				delay = 19 + rng.IntN(4)
			}
			score := fmt.Sprintf("%d.%d", 4+rng.IntN(6), rng.IntN(10))
			if s.component == "NE-2F" {
				score = []string{"1F", "2F", "2F", "3F"}[rng.IntN(4)]
			}
			rc := map[string]any{"consumerKey": "nl-test-admin", "attendance": "present",
				"executedOfferingName": s.component + "-v" + fmt.Sprint(1+rng.IntN(3)),
				"assessorCode":         []string{"JAJE", "PIVR", "KLMN"}[i%3], "testDate": s.exam + "T11:00:00+01:00"}
			if si == 0 && i == 13 {
				rc["irregularities"] = "Student verliet de zaal zonder toestemming."
			}
			msg := map[string]any{"associationType": "componentOfferingAssociation",
				"consumers": []any{map[string]any{"consumerKey": "nl-test-admin", "orgAssociationId": id, "attempt": 1}},
				"result": map[string]any{"state": "completed", "score": score, "resultDate": s.exam, "weight": 100,
					"consumers": []any{rc}}}
			exam, err := calendar.ParseDate(s.exam)
			must(err)
			delivered, err := calendar.Default().AddWorkdays(exam, delay)
			must(err)
			write(fmt.Sprintf("data/messages/%s_%s.json", delivered, id), msg)
			n++
		}
	}
	// A handful of bad ones.
	bad := map[string]string{
		"2027-01-25_onbekend-001.json":        `{"associationType": "componentOfferingAssociation", "consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "onbekend-001", "attempt": 1}], "result": {"state": "completed", "score": "7.0", "resultDate": "2027-01-18", "weight": 100, "consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "KT1-W2-v1", "testDate": "2027-01-18T11:00:00+01:00"}]}}`,
		"2027-01-26_sessie-kt1-0118-050.json": `{"associationType": "componentOfferingAssociation", "consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "sessie-kt1-0118-050" "attempt": 1}]}`,
		"2027-02-03_sessie-kt2-0125-060.json": `{"associationType": "componentOfferingAssociation", "consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "sessie-kt2-0125-060", "attempt": 1}], "result": {"state": "completed", "score": "11.5", "resultDate": "2027-01-25", "weight": 100, "consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "KT2-W1-v1", "testDate": "2027-01-25T11:00:00+01:00"}]}}`,
		"2027-02-05_sessie-ne-0201-070.json":  `{"associationType": "componentOfferingAssociation", "consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "sessie-ne-0201-070", "attempt": 1}], "result": {"state": "completed", "resultDate": "2027-02-01", "weight": 50, "consumers": [{"consumerKey": "nl-test-admin", "attendance": "sleeping", "executedOfferingName": "NE-2F-v1"}]}}`,
	}
	for name, body := range bad {
		must(os.WriteFile(filepath.Join("data/messages", name), []byte(body+"\n"), 0o644))
	}
	write("data/directory.json", map[string]any{
		"components": []any{
			map[string]any{"code": "KT1-W2", "scale": "0.0-10.0", "assessors": []string{"JAJE", "PIVR", "KLMN"}},
			map[string]any{"code": "KT2-W1", "scale": "0.0-10.0", "assessors": []string{"JAJE", "PIVR", "KLMN"}},
			map[string]any{"code": "NE-2F", "scale": "referenceLevelRKTR", "assessors": []string{"JAJE", "PIVR", "KLMN"}},
		},
		"associations": assocs,
	})
	fmt.Println(n, "messages,", len(bad), "bad ones")
}

func write(name string, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	must(err)
	must(os.WriteFile(name, append(b, '\n'), 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
