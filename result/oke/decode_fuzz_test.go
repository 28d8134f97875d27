package oke

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// exampleBodies returns the bodies of the example messages in testdata,
// as fuzz seeds.
func exampleBodies(f *testing.F) [][]byte {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	var bodies [][]byte
	for _, name := range files {
		body, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	return bodies
}

// FuzzDecode: Decode never panics; it returns a message or a *Rejection,
// never both and never neither; every reason has a code and a message; an
// accepted message keeps the promises of Message's documentation, and
// encoding it again and decoding that gives the same message.
func FuzzDecode(f *testing.F) {
	for _, body := range exampleBodies(f) {
		f.Add(false, exampleID, body)
		f.Add(true, exampleID, body)
	}
	f.Add(true, "", []byte(`{}`))
	f.Add(false, "a\x00b", []byte(`[]`))
	f.Fuzz(func(t *testing.T, put bool, id string, body []byte) {
		method := Patch
		if put {
			method = Put
		}
		m := checkDecode(t, method, id, body)
		if m == nil {
			return
		}
		again := checkDecode(t, method, id, encodeMessage(t, m))
		if again == nil {
			t.Fatalf("re-encoded message rejected")
		}
		// Where the nl-test-admin consumer stood in its array is not part
		// of what the message says; the re-encoding puts it first.
		m.consumerAt, m.Result.consumerAt, again.consumerAt, again.Result.consumerAt = 0, 0, 0, 0
		if diff := messageDiff(m, again); diff != "" {
			t.Fatalf("re-decoded message differs: %s", diff)
		}
	})
}

// checkDecode decodes and checks the invariants of Decode's result.
func checkDecode(t *testing.T, method Method, id string, body []byte) *Message {
	t.Helper()
	m, err := Decode(method, id, body)
	if (m == nil) == (err == nil) {
		t.Fatalf("Decode returned message %v and error %v", m, err)
	}
	if err != nil {
		rej, ok := err.(*Rejection)
		if !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if !errors.Is(err, ErrRejected) || rej.AssociationID != id || len(rej.Reasons) == 0 {
			t.Fatalf("bad rejection %#v", rej)
		}
		for _, r := range rej.Reasons {
			if r.Code == "" || r.Message == "" {
				t.Fatalf("reason without code or message: %#v", r)
			}
			if (r.Code == CodeMalformed) != (r.Line > 0) || (r.Line > 0) != (r.Column > 0) {
				t.Fatalf("position on the wrong reason: %#v", r)
			}
		}
		if !strings.HasPrefix(err.Error(), "oke: association ") {
			t.Fatalf("error text %q", err)
		}
		return nil
	}
	r := &m.Result
	switch {
	case m.Method != method || m.AssociationID != id || m.AssociationType != componentOfferingAssociation:
		t.Fatalf("association %q %q %q", m.Method, m.AssociationID, m.AssociationType)
	case m.OrgAssociationID == "" || m.Attempt < 1:
		t.Fatalf("consumer %q %d", m.OrgAssociationID, m.Attempt)
	case method == Patch && (m.Person != "" || m.Offering != ""):
		t.Fatalf("PATCH took person %q, offering %q", m.Person, m.Offering)
	case !knownState(string(r.State)) || r.Weight != 100 || !r.ResultDate.IsValid() || !knownAttendance(string(r.Attendance)):
		t.Fatalf("result %+v", r)
	case strings.TrimSpace(r.ExecutedOfferingName) == "":
		t.Fatal("no executedOfferingName")
	case (r.RawScore == nil) != (r.MaxRawScore == nil):
		t.Fatal("rawScore without maxRawScore")
	case r.RawScore != nil && (*r.RawScore < 0 || *r.MaxRawScore < 1 || *r.RawScore > *r.MaxRawScore):
		t.Fatalf("raw score %d of %d", *r.RawScore, *r.MaxRawScore)
	case len(r.Documents) > maxDocuments || r.Documents != nil && len(r.Documents) == 0:
		t.Fatalf("%d documents", len(r.Documents))
	}
	for _, d := range r.Documents {
		if d.ID == "" || d.Name == "" || !knownDocumentType(d.Type) {
			t.Fatalf("document %+v", d)
		}
	}
	return m
}

// encodeMessage writes m as a flow-5 body, through the wire types.
func encodeMessage(t *testing.T, m *Message) []byte {
	t.Helper()
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	r := &m.Result
	state, attendance, date := string(r.State), string(r.Attendance), r.ResultDate.String()
	weight, attempt, final := r.Weight, m.Attempt, r.Final
	w := wireMessage{
		AssociationType: &m.AssociationType,
		Consumers: []wireAssociationConsumer{{
			ConsumerKey: str(testAdminConsumer), OrgAssociationID: &m.OrgAssociationID, Attempt: &attempt,
		}},
		Result: &wireResult{
			State: &state, Pass: str(r.Pass), Comment: str(r.Comment), Score: str(r.Score),
			ResultDate: &date, Weight: &weight,
			Consumers: []wireResultConsumer{{
				ConsumerKey: str(testAdminConsumer), Attendance: &attendance,
				ExecutedOfferingName: &r.ExecutedOfferingName, AssessorID: str(r.AssessorID),
				AssessorCode: str(r.AssessorCode), Irregularities: str(r.Irregularities), Final: &final,
				RawScore: r.RawScore, MaxRawScore: r.MaxRawScore, TestDate: str(testDateText(r.TestDate)),
			}},
		},
	}
	for _, d := range r.Documents {
		w.Result.Consumers[0].Documents = append(w.Result.Consumers[0].Documents,
			wireDocument{DocumentID: str(d.ID), DocumentType: str(d.Type), DocumentName: str(d.Name)})
	}
	if m.Method == Put {
		w.AssociationID = &m.AssociationID
		w.Person, w.Offering = rawString(t, m.Person), rawString(t, m.Offering)
	}
	body, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// testDateText writes a TestDate the way it was read: a bare date when it
// is midnight in Europe/Amsterdam, as Decode reads a bare date.
func testDateText(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	if loc, _ := testDateZone(); at.Location() == loc && at.Hour() == 0 && at.Minute() == 0 &&
		at.Second() == 0 && at.Nanosecond() == 0 {
		return at.Format(time.DateOnly)
	}
	return at.Format(time.RFC3339Nano)
}

func rawString(t *testing.T, s string) json.RawMessage {
	if s == "" {
		return nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// messageDiff describes how a and b differ, or returns "". TestDate is
// compared as an instant: "+00:00" and "Z" name the same one.
func messageDiff(a, b *Message) string {
	if !a.Result.TestDate.Equal(b.Result.TestDate) {
		return "testDate " + a.Result.TestDate.String() + " != " + b.Result.TestDate.String()
	}
	x, y := *a, *b
	x.Result.TestDate, y.Result.TestDate = time.Time{}, time.Time{}
	if !reflect.DeepEqual(x, y) {
		xs, _ := json.Marshal(x)
		ys, _ := json.Marshal(y)
		return string(xs) + " != " + string(ys)
	}
	return ""
}
