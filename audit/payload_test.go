package audit

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// The payload written by hand is the payload json.Marshal writes, byte
// for byte, with every field set or left out in turn; and a time it cannot
// write is an error for both.
func FuzzPayload(f *testing.F) {
	f.Add("examenbureau-robot", "the student left <early> & \"quietly\"", 7, uint32(0xffffffff), int64(1800000000))
	f.Add("", "", 0, uint32(0), int64(0))
	f.Add("s-101", "\xff\u2028\x00", -3, uint32(0x5555), int64(-62167219300))
	f.Add("dfc9d973-42cf", "Assessment form for <Jake> & Doe.pdf", 2, uint32(0x80000400), int64(1800000000))
	f.Fuzz(func(t *testing.T, a, b string, n int, bits uint32, unix int64) {
		on := func(i int) bool { return bits&(1<<i) != 0 }
		at := time.Unix(unix%(1<<37), int64(n)%1e9).In(time.FixedZone("", 3600*(n%3)))
		grade := func(i int) result.Grade {
			if !on(i) {
				return result.Grade{}
			}
			g, _ := result.ParseGrade(result.Decimal0To10, fmt.Sprintf("%d.%d", (n&0x7fffffff)%10, (n&0x7fffffff)%7))
			return g
		}
		teams := func(i int) []string {
			switch {
			case on(i) && on(i+1):
				return []string{a, b}
			case on(i):
				return []string{}
			}
			return nil
		}
		actor := func(i int) result.Actor {
			if !on(i) {
				return result.Actor{}
			}
			return result.Actor{ID: a, Role: timeline.Role(n & 7), Teams: teams(i + 1)}
		}
		pick := func(i int, s string) string {
			if on(i) {
				return s
			}
			return ""
		}
		p := payload{Actor: a, Teams: teams(0), Reason: pick(2, b), Policy: pick(3, a), Outcome: result.Outcome(pick(4, b)),
			Grade: grade(5), OldGrade: grade(6), Decision: pick(7, a), Early: on(8), Successor: pick(9, b),
			Purpose: result.Purpose(pick(21, a)), Agreed: on(22), Detail: pick(25, b)}
		if on(10) {
			p.Record = &result.Record{ID: a, Student: b, Component: a, Programme: b, Crebo: a, Team: b, Attempt: n,
				Retakes: pick(11, a), Supersedes: pick(12, b), Exam: at, Assessor: b, Grade: grade(13),
				Attendance: result.Attendance(a), Source: result.Source(b), Offering: pick(14, a),
				ExecutedOffering: pick(15, b), SenderFinal: on(16)}
			if on(17) {
				p.Record.RawScore = &result.RawScore{Points: n, Max: -n}
			}
			if on(31) { // none (an empty list, left out as nil is), one or two documents
				docs := []result.DocumentRef{{ID: a, Type: b, Name: a + b}, {ID: b, Type: pick(1, a), Name: ""}}
				p.Record.Documents = docs[:(n&0x7fffffff)%3]
			}
		}
		if on(18) {
			p.Exception = &result.Exception{ID: n, Kind: result.ExceptionKind(a), Detail: pick(19, b), Raised: at,
				RaisedBy: actor(20), Outcome: result.Outcome(pick(23, a)), ClosedBy: actor(24),
				Reason: pick(27, b), Mandate: pick(28, a)}
			if on(29) {
				p.Exception.Closed = at.Add(time.Hour)
			}
			if on(30) && p.Record != nil {
				rec := *p.Record
				p.Exception.Record = &rec
			}
		}
		want, wantErr := json.Marshal(&p)
		got, err := appendPayload(nil, &p)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("error %v, json.Marshal's %v", err, wantErr)
		}
		if string(got) != string(want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}

// A delivered record's documents come back from the trail as they went in,
// and a record without documents is written as before they were kept.
func TestPayloadDocuments(t *testing.T) {
	g, _ := result.ParseGrade(result.Decimal0To10, "7.5")
	rec := result.Record{ID: "a-1", Student: "s-1", Component: "KT1", Crebo: "25180", Attempt: 1,
		Exam: time.Date(2027, 1, 18, 11, 0, 0, 0, time.UTC), Assessor: "JAJE", Grade: g,
		Attendance: result.Present, Source: result.OKE,
		Documents: []result.DocumentRef{{ID: "123454", Type: "assessmentForm", Name: "Assessment form for Jake Doe.pdf"}}}
	e := result.Event{Result: "a-1", Seq: 1, Type: result.EventReceived, At: rec.Exam.Add(time.Hour),
		To: result.Received, Actor: result.Actor{ID: "oke"}, Record: &rec}
	r, err := NewRecord(e, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if want := `,"documents":[{"id":"123454","type":"assessmentForm","name":"Assessment form for Jake Doe.pdf"}]}}`; !strings.HasSuffix(string(r.Payload), want) {
		t.Errorf("payload %s\nwant it to end in %s", r.Payload, want)
	}
	back, err := r.Event()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Record.Documents, rec.Documents) {
		t.Errorf("documents back %+v, want %+v", back.Record.Documents, rec.Documents)
	}
	rec.Documents = nil
	r, err = NewRecord(e, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(r.Payload), "documents") {
		t.Errorf("a record without documents writes them: %s", r.Payload)
	}
}

func BenchmarkPayload(b *testing.B) {
	g, _ := result.ParseGrade(result.Decimal0To10, "7.5")
	p := payload{Actor: "oke", Record: &result.Record{ID: "y0000001", Student: "s123", Component: "C001", Programme: "P01",
		Crebo: "25180", Team: "team-1", Attempt: 1, Exam: time.Date(2027, 1, 18, 11, 0, 0, 0, time.UTC), Assessor: "A1",
		Grade: g, Attendance: result.Present, Source: result.OKE, Offering: "C001-w19", ExecutedOffering: "v1"}}
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("by hand", func(b *testing.B) {
		for b.Loop() {
			if _, err := appendPayload(nil, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
