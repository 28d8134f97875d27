package oke

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
)

// exampleID is the association in the path of every test message: the id the
// examples of flow5.md use.
const exampleID = "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6"

// A problem is a reason as the tests state it: code and field.
type problem struct {
	Code  Code
	Field string
}

func (p problem) String() string { return string(p.Code) + " " + p.Field }

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// mustReject decodes body, which must be rejected, and returns the rejection.
func mustReject(t *testing.T, method Method, id string, body []byte) *Rejection {
	t.Helper()
	m, err := Decode(method, id, body)
	if err == nil {
		t.Fatalf("accepted: %+v", m)
	}
	var rej *Rejection
	if !errors.As(err, &rej) || !errors.Is(err, ErrRejected) || m != nil {
		t.Fatalf("Decode returned %v, %T %v", m, err, err)
	}
	return rej
}

func mustAccept(t *testing.T, method Method, id string, body []byte) *Message {
	t.Helper()
	m, err := Decode(method, id, body)
	if err != nil {
		t.Fatalf("rejected: %v", err)
	}
	return m
}

// problemsOf returns the rejection's reasons as a sorted list of problems.
func problemsOf(rej *Rejection) []problem {
	var ps []problem
	for _, r := range rej.Reasons {
		ps = append(ps, problem{r.Code, r.Field})
	}
	slices.SortFunc(ps, func(a, b problem) int { return strings.Compare(a.String(), b.String()) })
	return ps
}

func wantProblems(t *testing.T, rej *Rejection, want ...problem) {
	t.Helper()
	slices.SortFunc(want, func(a, b problem) int { return strings.Compare(a.String(), b.String()) })
	if got := problemsOf(rej); !slices.Equal(got, want) {
		t.Errorf("problems:\n got %v\nwant %v\n(%v)", got, want, rej)
	}
}

func methodFor(name string) Method {
	if strings.HasPrefix(filepath.Base(name), "flow5.2") || strings.HasPrefix(filepath.Base(name), "put-") {
		return Put
	}
	return Patch
}

func TestSpecPrinted(t *testing.T) {
	// Each printed example lacks the comma after orgAssociationId: the
	// first byte json cannot take is the quote that opens "attempt".
	for _, tc := range []struct {
		name         string
		line, column int
	}{
		{"flow5.1-attendance", 6, 7},
		{"flow5.1-score", 6, 7},
		{"flow5.2-attempt", 10, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := readTestdata(t, "spec/"+tc.name+".printed.json")
			rej := mustReject(t, methodFor(tc.name), exampleID, body)
			if len(rej.Reasons) != 1 {
				t.Fatalf("want one reason, got %v", rej)
			}
			r := rej.Reasons[0]
			if r.Code != CodeMalformed || r.Field != "" || r.Line != tc.line || r.Column != tc.column {
				t.Errorf("got %#v, want malformed_json at line %d, column %d", r, tc.line, tc.column)
			}
			lines := bytes.Split(body, []byte("\n"))
			if got := lines[r.Line-1][r.Column-1:]; !bytes.HasPrefix(got, []byte(`"attempt"`)) {
				t.Errorf("the position points at %q", got)
			}
			want := fmt.Sprintf("oke: association %s: rejected: line %d, column %d: malformed_json: "+
				"invalid character '\"' after object key:value pair", exampleID, tc.line, tc.column)
			if rej.Error() != want {
				t.Errorf("Error():\n got %s\nwant %s", rej.Error(), want)
			}
		})
	}
}

func TestSpecCorrected(t *testing.T) {
	// With the commas fixed, the examples lack what the definitive text
	// added: associationType (the PUT example has it), weight and
	// executedOfferingName.
	missing := func(f string) problem { return problem{CodeMissing, f} }
	for _, tc := range []struct {
		name string
		want []problem
	}{
		{"flow5.1-attendance", []problem{missing("associationType"), missing("result.weight"),
			missing("result.consumers[0].executedOfferingName")}},
		{"flow5.1-score", []problem{missing("associationType"), missing("result.weight"),
			missing("result.consumers[0].executedOfferingName")}},
		{"flow5.2-attempt", []problem{missing("result.weight"), missing("result.consumers[0].executedOfferingName")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rej := mustReject(t, methodFor(tc.name), exampleID, readTestdata(t, "spec/"+tc.name+".corrected.json"))
			wantProblems(t, rej, tc.want...)
		})
	}
}

func intRef(n int) *int { return &n }

func amsterdamMidnight(t *testing.T, date string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func TestSpecComplete(t *testing.T) {
	const (
		assessor = "05035972-0619-4d0b-8a09-7bdb6eee5e6d"
		variant  = "variant12_Nederlands2F"
		cheated  = "Jantje heeft gespiekt."
	)
	form := []Document{{ID: "123454", Type: "assessmentForm", Name: "Assessment form for Jake Doe.pdf"}}
	resultDate := calendar.Date{Year: 2020, Month: time.September, Day: 28}
	for _, tc := range []struct {
		name string
		want Message
	}{
		{"flow5.1-attendance", Message{
			Method: Patch, AssociationID: exampleID, AssociationType: "componentOfferingAssociation",
			OrgAssociationID: exampleID, Attempt: 2,
			Result: Result{
				State: InProgress, ResultDate: resultDate, Weight: 100,
				Attendance: result.Present, ExecutedOfferingName: variant, AssessorID: assessor, AssessorCode: "JAJE",
				Irregularities: cheated, TestDate: amsterdamMidnight(t, "2020-09-29"), Documents: form,
			},
		}},
		{"flow5.1-score", Message{
			Method: Patch, AssociationID: exampleID, AssociationType: "componentOfferingAssociation",
			OrgAssociationID: exampleID, Attempt: 2,
			Result: Result{
				State: Completed, Pass: "unknown", Comment: "string", Score: "9", ResultDate: resultDate, Weight: 100,
				Attendance: result.Present, ExecutedOfferingName: variant, AssessorID: assessor, AssessorCode: "JAJE",
				Irregularities: cheated, Final: true, RawScore: intRef(65), MaxRawScore: intRef(75),
				TestDate: amsterdamMidnight(t, "2020-09-29"), Documents: form,
			},
		}},
		{"flow5.2-attempt", Message{
			Method: Put, AssociationID: exampleID, AssociationType: "componentOfferingAssociation",
			OrgAssociationID: exampleID, Attempt: 2,
			Person: "500e6ac0-b5ab-4071-a207-7983ccd26f7b", Offering: "5ffc6127-debe-48ce-90ae-75ea80756475",
			Result: Result{
				State: Completed, Pass: "unknown", Comment: "string", Score: "9", ResultDate: resultDate, Weight: 100,
				Attendance: result.Present, ExecutedOfferingName: variant, AssessorID: assessor, AssessorCode: "JAJE",
				Irregularities: cheated, Final: true, RawScore: intRef(65), MaxRawScore: intRef(75),
				Documents: form,
			},
		}},
		// The examples of the nl-test-admin consumers, in one message. The
		// association example's orgAssociationId is no UUID ("21wg"): ids
		// are not required to be UUIDs. Its documentId, a YAML number, is
		// quoted here; bad/documentId-number.json has it as a number.
		{"nl-test-admin-yaml", Message{
			Method: Patch, AssociationID: exampleID, AssociationType: "componentOfferingAssociation",
			OrgAssociationID: "123c6f59-21wg-47bf-96ff-d262d133c51g", Attempt: 1,
			Result: Result{
				State: Completed, ResultDate: calendar.Date{Year: 2021, Month: time.November, Day: 5}, Weight: 100,
				Attendance: result.Present, ExecutedOfferingName: variant, AssessorID: assessor, AssessorCode: "JAJE",
				Irregularities: "student cheated and 15 min late", Final: true,
				Documents: []Document{{ID: "123454", Type: "assessmentForm", Name: "Assessment form for Jake Doe.pd"}},
			},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustAccept(t, tc.want.Method, exampleID, readTestdata(t, "spec/"+tc.name+".complete.json"))
			if diff := messageDiff(m, &tc.want); diff != "" {
				t.Error(diff)
			}
			if !tc.want.Result.TestDate.IsZero() && m.Result.TestDate.Location().String() != "Europe/Amsterdam" {
				t.Errorf("testDate in %s", m.Result.TestDate.Location())
			}
		})
	}
}

// TestBadCorpus decodes every file in testdata/bad and states exactly
// which problems each has. Every file is in the table.
func TestBadCorpus(t *testing.T) {
	rc := "result.consumers[0]."
	table := map[string][]problem{
		"malformed-bom":            {{CodeMalformed, ""}},
		"malformed-invalid-utf8":   {{CodeMalformed, ""}},
		"malformed-trailing-comma": {{CodeMalformed, ""}},
		"malformed-trailing-data":  {{CodeMalformed, ""}},
		"malformed-truncated":      {{CodeMalformed, ""}},
		"not-object-array":         {{CodeWrongType, ""}},
		"not-object-null":          {{CodeWrongType, ""}},

		"associationType-missing":    {{CodeMissing, "associationType"}},
		"associationType-unknown":    {{CodeUnknownValue, "associationType"}},
		"consumer-missing":           {{CodeMissing, "consumers"}},
		"consumers-object":           {{CodeWrongType, "consumers"}},
		"consumer-duplicate":         {{CodeDuplicate, "consumers[1]"}},
		"orgAssociationId-missing":   {{CodeMissing, "consumers[0].orgAssociationId"}},
		"orgAssociationId-empty":     {{CodeMissing, "consumers[0].orgAssociationId"}},
		"orgAssociationId-control":   {{CodeInvalidID, "consumers[0].orgAssociationId"}},
		"orgAssociationId-long":      {{CodeInvalidID, "consumers[0].orgAssociationId"}},
		"attempt-missing":            {{CodeMissing, "consumers[0].attempt"}},
		"attempt-zero":               {{CodeOutOfRange, "consumers[1].attempt"}}, // consumers[0] is another system's: its "first" is ignored
		"attempt-string":             {{CodeWrongType, "consumers[0].attempt"}},
		"attempt-fraction":           {{CodeWrongType, "consumers[0].attempt"}},
		"put-associationId-mismatch": {{CodeMismatch, "associationId"}},
		"put-person-number":          {{CodeWrongType, "person"}},
		"put-offering-control":       {{CodeInvalidID, "offering.offeringId"}},

		"result-missing":        {{CodeMissing, "result"}},
		"result-string":         {{CodeWrongType, "result"}},
		"state-missing":         {{CodeMissing, "result.state"}},
		"state-unknown":         {{CodeUnknownValue, "result.state"}},
		"pass-unknown":          {{CodeUnknownValue, "result.pass"}},
		"score-number":          {{CodeWrongType, "result.score"}},
		"resultDate-missing":    {{CodeMissing, "result.resultDate"}},
		"resultDate-impossible": {{CodeInvalidDate, "result.resultDate"}},
		"resultDate-datetime":   {{CodeInvalidDate, "result.resultDate"}},
		"weight-missing":        {{CodeMissing, "result.weight"}},
		"weight-50":             {{CodeOutOfRange, "result.weight"}},

		"result-consumer-missing":      {{CodeMissing, "result.consumers"}},
		"attendance-missing":           {{CodeMissing, rc + "attendance"}},
		"attendance-unknown":           {{CodeUnknownValue, rc + "attendance"}},
		"executedOfferingName-missing": {{CodeMissing, rc + "executedOfferingName"}},
		"executedOfferingName-blank":   {{CodeMissing, rc + "executedOfferingName"}},
		"assessorId-control":           {{CodeInvalidID, rc + "assessorId"}},
		"final-string":                 {{CodeWrongType, rc + "final"}},
		"rawScore-without-max":         {{CodeMissing, rc + "maxRawScore"}},
		"maxRawScore-without-raw":      {{CodeMissing, rc + "rawScore"}},
		"rawScore-negative":            {{CodeOutOfRange, rc + "rawScore"}},
		"rawScore-above-max":           {{CodeOutOfRange, rc + "rawScore"}},
		"maxRawScore-zero":             {{CodeOutOfRange, rc + "maxRawScore"}},
		"testDate-impossible":          {{CodeInvalidDate, rc + "testDate"}},
		"testDate-no-offset":           {{CodeInvalidDate, rc + "testDate"}},
		"documents-object":             {{CodeWrongType, rc + "documents"}},
		"documents-too-many":           {{CodeOutOfRange, rc + "documents"}},
		"documentId-missing":           {{CodeMissing, rc + "documents[0].documentId"}},
		"documentId-number":            {{CodeWrongType, rc + "documents[0].documentId"}},
		"documentType-unknown":         {{CodeUnknownValue, rc + "documents[1].documentType"}},
		"documentName-missing":         {{CodeMissing, rc + "documents[0].documentName"}},

		// Several problems: every one is reported.
		"multi-validation": {
			{CodeMissing, "associationType"},
			{CodeOutOfRange, "consumers[0].attempt"},
			{CodeInvalidDate, "result.resultDate"},
			{CodeOutOfRange, "result.weight"},
			{CodeUnknownValue, rc + "attendance"},
			{CodeUnknownValue, rc + "documents[0].documentType"},
		},
		// Wrong types, which encoding/json reports only the first of, mixed
		// with other problems; the other system's consumer has wrong types
		// too, and is ignored.
		"multi-types": {
			{CodeWrongType, "consumers[0].attempt"},
			{CodeUnknownValue, "result.state"},
			{CodeWrongType, "result.weight"},
			{CodeMissing, rc + "executedOfferingName"},
			{CodeWrongType, rc + "final"},
			{CodeWrongType, rc + "rawScore"},
			{CodeWrongType, rc + "testDate"},
			{CodeWrongType, rc + "documents[0].documentId"},
		},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			want, ok := table[name]
			if !ok {
				t.Fatalf("%s is not in the table", file)
			}
			rej := mustReject(t, methodFor(name), exampleID, readTestdata(t, "bad/"+name+".json"))
			wantProblems(t, rej, want...)
			if !strings.HasPrefix(name, "multi-") && len(rej.Reasons) != 1 {
				t.Errorf("want one reason, got %d", len(rej.Reasons))
			}
		})
	}
	for name := range table {
		if !seen[name] {
			t.Errorf("testdata/bad/%s.json is missing", name)
		}
	}
	if len(seen) < 27 {
		t.Errorf("only %d bad messages", len(seen))
	}
}

func TestGood(t *testing.T) {
	t.Run("other-consumers", func(t *testing.T) {
		// Another system's consumers before the nl-test-admin ones, with
		// wrong types that are not ours to judge; nulls for optional
		// fields; association fields a PATCH ignores, a numeric
		// associationId and person among them.
		m := mustAccept(t, Patch, exampleID, readTestdata(t, "good/other-consumers.json"))
		if m.Attempt != 2 || m.OrgAssociationID != exampleID || m.Result.Attendance != result.Present ||
			m.Result.Pass != "" || m.Result.Comment != "" || m.Person != "" || m.Result.Score != "9" {
			t.Errorf("%+v", m)
		}
	})
	t.Run("put-person-object", func(t *testing.T) {
		m := mustAccept(t, Put, exampleID, readTestdata(t, "good/put-person-object.json"))
		if m.Person != "500e6ac0-b5ab-4071-a207-7983ccd26f7b" || m.Offering != "5ffc6127-debe-48ce-90ae-75ea80756475" {
			t.Errorf("person %q, offering %q", m.Person, m.Offering)
		}
		if want := time.Date(2020, 12, 15, 8, 50, 0, 0, time.UTC); !m.Result.TestDate.Equal(want) {
			t.Errorf("testDate %v, want %v", m.Result.TestDate, want)
		}
		var types []string
		for _, d := range m.Result.Documents {
			types = append(types, d.Type)
		}
		if want := []string{"assessmentForm", "assessmentFormWithAnswers", "assessmentModel", "other"}; !slices.Equal(types, want) {
			t.Errorf("document types %v", types)
		}
	})
}

// A jsonObject is a message decoded into maps, to change one field at a time.
type jsonObject = map[string]any

func parseJSONObject(t *testing.T, body []byte) jsonObject {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v jsonObject
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// withField sets the field at path ("result.consumers[0].final") to v, or
// deletes it when del is set, and returns the new body.
func withField(t *testing.T, body []byte, path string, v any, del bool) []byte {
	t.Helper()
	root := parseJSONObject(t, body)
	var parent any = root
	steps := strings.Split(path, ".")
	for i, step := range steps {
		name, index, indexed := strings.Cut(step, "[")
		last := i == len(steps)-1
		obj := parent.(jsonObject)
		if !indexed {
			if last {
				if del {
					delete(obj, name)
				} else {
					obj[name] = v
				}
				break
			}
			parent = obj[name]
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
		if err != nil {
			t.Fatal(err)
		}
		arr := obj[name].([]any)
		if last {
			if del {
				obj[name] = slices.Delete(arr, n, n+1)
			} else {
				arr[n] = v
			}
			break
		}
		parent = arr[n]
	}
	out, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryWrongType gives each field of the complete PUT example a value
// of another JSON type, and expects exactly that field reported, and
// nothing else: the slow path finds what encoding/json saw, and hides the
// zero value it left behind.
func TestEveryWrongType(t *testing.T) {
	base := readTestdata(t, "spec/flow5.2-attempt.complete.json")
	rc := "result.consumers[0]."
	for _, tc := range []struct {
		field string
		value any
		extra []problem // besides wrong_type at field
	}{
		{"associationId", json.Number("5"), nil},
		{"associationType", true, nil},
		{"consumers", "nl-test-admin", nil},
		{"consumers[0]", "nl-test-admin", []problem{{CodeMissing, "consumers"}}},
		{"consumers[0].orgAssociationId", json.Number("5"), nil},
		{"consumers[0].attempt", "2", nil},
		{"consumers[0].attempt", json.Number("2.0"), nil},
		{"consumers[0].attempt", json.Number("2e0"), nil},
		{"consumers[0].attempt", json.Number("99999999999999999999"), nil},
		{"consumers[0].attempt", []any{}, nil},
		{"result", []any{}, nil},
		{"result.state", json.Number("1"), nil},
		{"result.pass", false, nil},
		{"result.comment", jsonObject{}, nil},
		{"result.score", json.Number("9"), nil},
		{"result.resultDate", json.Number("20200928"), nil},
		{"result.weight", "100", nil},
		{"result.weight", json.Number("100.0"), nil},
		{"result.consumers", jsonObject{}, nil},
		{"result.consumers[0]", json.Number("0"), []problem{{CodeMissing, "result.consumers"}}},
		{rc + "attendance", json.Number("1"), nil},
		{rc + "executedOfferingName", []any{"variant12"}, nil},
		{rc + "assessorId", json.Number("1"), nil},
		{rc + "assessorCode", json.Number("1"), nil},
		{rc + "irregularities", false, nil},
		{rc + "final", "true", nil},
		{rc + "final", json.Number("1"), nil},
		{rc + "rawScore", "65", nil},
		{rc + "maxRawScore", json.Number("75.5"), nil},
		{rc + "testDate", json.Number("20200929"), nil},
		{rc + "documents", "123454", nil},
		{rc + "documents[0]", "123454", nil},
		{rc + "documents[0].documentId", json.Number("123454"), nil},
		{rc + "documents[0].documentType", json.Number("1"), nil},
		{rc + "documents[0].documentName", jsonObject{}, nil},
		{"person", true, nil},
		{"offering", []any{}, nil},
	} {
		t.Run(fmt.Sprintf("%s=%v", tc.field, tc.value), func(t *testing.T) {
			rej := mustReject(t, Put, exampleID, withField(t, base, tc.field, tc.value, false))
			wantProblems(t, rej, append([]problem{{CodeWrongType, tc.field}}, tc.extra...)...)
		})
	}
}

// TestEveryMandatoryField removes, and then nulls, each mandatory field of
// the complete PUT example, and expects exactly that field reported
// missing; and removes each optional field, which must be accepted.
func TestEveryMandatoryField(t *testing.T) {
	base := readTestdata(t, "spec/flow5.2-attempt.complete.json")
	rc := "result.consumers[0]."
	for _, tc := range []struct{ field, reported string }{
		{"associationType", ""},
		{"consumers", ""},
		{"consumers[0]", "consumers"},
		{"consumers[0].consumerKey", "consumers"},
		{"consumers[0].orgAssociationId", ""},
		{"consumers[0].attempt", ""},
		{"result", ""},
		{"result.state", ""},
		{"result.resultDate", ""},
		{"result.weight", ""},
		{"result.consumers", ""},
		{"result.consumers[0]", "result.consumers"},
		{rc + "consumerKey", "result.consumers"},
		{rc + "attendance", ""},
		{rc + "executedOfferingName", ""},
		{rc + "documents[0].documentId", ""},
		{rc + "documents[0].documentType", ""},
		{rc + "documents[0].documentName", ""},
	} {
		reported := tc.reported
		if reported == "" {
			reported = tc.field
		}
		t.Run("without "+tc.field, func(t *testing.T) {
			rej := mustReject(t, Put, exampleID, withField(t, base, tc.field, nil, true))
			wantProblems(t, rej, problem{CodeMissing, reported})
		})
		if strings.HasSuffix(tc.field, "]") {
			continue // a null element is an empty consumer, not a missing one
		}
		t.Run("null "+tc.field, func(t *testing.T) {
			rej := mustReject(t, Put, exampleID, withField(t, base, tc.field, nil, false))
			wantProblems(t, rej, problem{CodeMissing, reported})
		})
	}
	for _, field := range []string{
		"associationId", "role", "state", "person", "offering",
		"result.pass", "result.comment", "result.score",
		rc + "assessorId", rc + "assessorCode", rc + "irregularities", rc + "final", rc + "testDate", rc + "documents",
	} {
		t.Run("without optional "+field, func(t *testing.T) {
			mustAccept(t, Put, exampleID, withField(t, base, field, nil, true))
			mustAccept(t, Put, exampleID, withField(t, base, field, nil, false))
		})
	}
	t.Run("without rawScore and maxRawScore", func(t *testing.T) {
		m := mustAccept(t, Put, exampleID, withField(t, withField(t, base, rc+"rawScore", nil, true), rc+"maxRawScore", nil, true))
		if m.Result.RawScore != nil || m.Result.MaxRawScore != nil {
			t.Errorf("raw score %v of %v", m.Result.RawScore, m.Result.MaxRawScore)
		}
	})
}

func TestValues(t *testing.T) {
	base := readTestdata(t, "spec/flow5.1-score.complete.json")
	rc := "result.consumers[0]."
	for _, tc := range []struct {
		field string
		value any
		want  Code // "" for accepted
	}{
		{"result.state", "in progress", ""},
		{"result.state", "postponed", ""},
		{"result.state", "queued", ""},
		{"result.state", "Completed", CodeUnknownValue},
		{"result.state", "", CodeUnknownValue},
		{"result.pass", "passed", ""},
		{"result.pass", "failed", ""},
		{"result.pass", "", CodeUnknownValue},
		{"result.resultDate", "2024-02-29", ""},
		{"result.resultDate", "2023-02-29", CodeInvalidDate},
		{"result.resultDate", "2020-9-28", CodeInvalidDate},
		{"result.resultDate", "", CodeInvalidDate},
		{"result.weight", json.Number("0"), CodeOutOfRange},
		{"result.weight", json.Number("101"), CodeOutOfRange},
		{rc + "attendance", "notKnown", ""},
		{rc + "attendance", "notPresent", ""},
		{rc + "attendance", "notStarted", ""},
		{rc + "attendance", "notFinished", ""},
		{rc + "attendance", "Present", CodeUnknownValue},
		{rc + "rawScore", json.Number("0"), ""},
		{rc + "rawScore", json.Number("75"), ""},
		{rc + "maxRawScore", json.Number("-75"), CodeOutOfRange},
		{rc + "testDate", "", CodeInvalidDate},
		{rc + "testDate", "2020-12-15T08:50:00+01:00", ""},
		{rc + "testDate", "2020-12-15T08:50:00.000Z", ""},
		{rc + "testDate", "2020-12-15 08:50:00Z", CodeInvalidDate},
		{rc + "testDate", "2020-12-15T25:50:00Z", CodeInvalidDate},
		{rc + "testDate", "15-12-2020", CodeInvalidDate},
		{rc + "assessorId", "", ""},
		{rc + "assessorId", strings.Repeat("x", 128), ""},
		{rc + "assessorId", strings.Repeat("x", 129), CodeInvalidID},
		{rc + "assessorId", "a\u0085b", CodeInvalidID}, // NEL, a C1 control character
		{rc + "documents", []any{}, ""},
		{"consumers[0].orgAssociationId", "not-a-uuid", ""},
	} {
		t.Run(fmt.Sprintf("%s=%v", tc.field, tc.value), func(t *testing.T) {
			body := withField(t, base, tc.field, tc.value, false)
			if tc.want == "" {
				mustAccept(t, Patch, exampleID, body)
				return
			}
			wantProblems(t, mustReject(t, Patch, exampleID, body), problem{tc.want, tc.field})
		})
	}
}

func TestTestDate(t *testing.T) {
	base := readTestdata(t, "spec/flow5.1-score.complete.json")
	for _, tc := range []struct {
		text   string
		want   time.Time
		offset int // seconds east of UTC of the decoded time
	}{
		{"2020-09-29", time.Date(2020, 9, 28, 22, 0, 0, 0, time.UTC), 2 * 3600}, // summer time
		{"2020-12-15", time.Date(2020, 12, 14, 23, 0, 0, 0, time.UTC), 3600},
		{"2020-12-15T08:50:00+01:00", time.Date(2020, 12, 15, 7, 50, 0, 0, time.UTC), 3600},
		{"2020-12-15T08:50:00.250Z", time.Date(2020, 12, 15, 8, 50, 0, 250e6, time.UTC), 0},
		{"2021-03-28T02:30:00-05:00", time.Date(2021, 3, 28, 7, 30, 0, 0, time.UTC), -5 * 3600},
	} {
		m := mustAccept(t, Patch, exampleID, withField(t, base, "result.consumers[0].testDate", tc.text, false))
		got := m.Result.TestDate
		if _, off := got.Zone(); !got.Equal(tc.want) || off != tc.offset {
			t.Errorf("%s: got %v, want %v at offset %d", tc.text, got, tc.want, tc.offset)
		}
	}
}

func TestMethodAndPath(t *testing.T) {
	patch := readTestdata(t, "spec/flow5.1-score.complete.json")
	put := readTestdata(t, "spec/flow5.2-attempt.complete.json")
	t.Run("PATCH ignores the association's other fields", func(t *testing.T) {
		body := withField(t, withField(t, patch, "associationId", "someone-else", false), "person", "p1", false)
		m := mustAccept(t, Patch, "0b8e2f4c-1d7a-4c55-9c1e-2f6a8d3b7e10", body)
		if m.AssociationID != "0b8e2f4c-1d7a-4c55-9c1e-2f6a8d3b7e10" || m.Person != "" || m.Method != Patch {
			t.Errorf("%+v", m)
		}
	})
	t.Run("PUT with the PATCH example", func(t *testing.T) {
		m := mustAccept(t, Put, exampleID, patch)
		if m.Person != "" || m.Offering != "" {
			t.Errorf("%+v", m)
		}
	})
	t.Run("PUT body id differs only in case", func(t *testing.T) {
		rej := mustReject(t, Put, strings.ToUpper(exampleID), put)
		wantProblems(t, rej, problem{CodeMismatch, "associationId"})
	})
	t.Run("PUT body id empty", func(t *testing.T) {
		rej := mustReject(t, Put, exampleID, withField(t, put, "associationId", "", false))
		wantProblems(t, rej, problem{CodeMismatch, "associationId"})
	})
	t.Run("PUT person and offering objects without ids", func(t *testing.T) {
		body := withField(t, put, "person", jsonObject{"givenName": "Jake"}, false)
		body = withField(t, body, "offering", jsonObject{"offeringId": json.Number("5")}, false)
		m := mustAccept(t, Put, exampleID, body)
		if m.Person != "" || m.Offering != "" {
			t.Errorf("person %q, offering %q", m.Person, m.Offering)
		}
	})
	t.Run("PUT person with escapes", func(t *testing.T) {
		m := mustAccept(t, Put, exampleID, withField(t, put, "person", "p\u00e9-1\"", false))
		if m.Person != "p\u00e9-1\"" {
			t.Errorf("person %q", m.Person)
		}
	})
	for _, tc := range []struct {
		method Method
		id     string
		want   []problem
	}{
		{"GET", exampleID, []problem{{CodeUnknownValue, ""}}},
		{"patch", exampleID, []problem{{CodeUnknownValue, ""}}},
		{Patch, "", []problem{{CodeInvalidID, ""}}},
		{Patch, "5a52\r\nX-Forged: 1", []problem{{CodeInvalidID, ""}}},
		{Patch, strings.Repeat("5", 129), []problem{{CodeInvalidID, ""}}},
		{Patch, "\xff\xfe", []problem{{CodeInvalidID, ""}}},
		{Put, "", []problem{{CodeInvalidID, ""}, {CodeMismatch, "associationId"}}},
		{"DELETE", "", []problem{{CodeUnknownValue, ""}, {CodeInvalidID, ""}}},
	} {
		t.Run(fmt.Sprintf("%s %q", tc.method, tc.id), func(t *testing.T) {
			body := patch
			if tc.method == Put {
				body = put
			}
			rej := mustReject(t, tc.method, tc.id, body)
			wantProblems(t, rej, tc.want...)
			if strings.ContainsAny(rej.Error(), "\r\n") {
				t.Errorf("the id reaches the error text raw: %q", rej.Error())
			}
		})
	}
}

func TestAllProblemsReported(t *testing.T) {
	// Problems everywhere, before and after a wrong type: the method, the
	// path id, the association, both consumers, the result and a document.
	body := []byte(`{
  "associationId": "elsewhere",
  "associationType": "courseOfferingAssociation",
  "consumers": [{"consumerKey": "nl-test-admin", "attempt": "1"}],
  "result": {
    "state": "finished", "pass": "passed", "resultDate": "2027-13-01", "weight": 10,
    "consumers": [
      {"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "v1",
       "rawScore": 80, "maxRawScore": 75, "final": "no", "testDate": "yesterday",
       "documents": [{"documentId": "", "documentType": "report", "documentName": "r.pdf"}]},
      {"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "v2"}
    ]
  },
  "person": ["p"]
}`)
	rej := mustReject(t, Put, "", body)
	rc := "result.consumers[0]."
	wantProblems(t, rej,
		problem{CodeInvalidID, ""},
		problem{CodeMismatch, "associationId"},
		problem{CodeUnknownValue, "associationType"},
		problem{CodeMissing, "consumers[0].orgAssociationId"},
		problem{CodeWrongType, "consumers[0].attempt"},
		problem{CodeUnknownValue, "result.state"},
		problem{CodeInvalidDate, "result.resultDate"},
		problem{CodeOutOfRange, "result.weight"},
		problem{CodeDuplicate, "result.consumers[1]"},
		problem{CodeOutOfRange, rc + "rawScore"},
		problem{CodeWrongType, rc + "final"},
		problem{CodeInvalidDate, rc + "testDate"},
		problem{CodeMissing, rc + "documents[0].documentId"},
		problem{CodeUnknownValue, rc + "documents[0].documentType"},
		problem{CodeWrongType, "person"},
	)
}

func TestKeysMatchedAsEncodingJSON(t *testing.T) {
	// encoding/json matches a key that differs only in case; so does the
	// walk that finds wrong types.
	base := readTestdata(t, "spec/flow5.1-score.complete.json")
	body := bytes.Replace(base, []byte(`"attempt": 2`), []byte(`"ATTEMPT": 3`), 1)
	if m := mustAccept(t, Patch, exampleID, body); m.Attempt != 3 {
		t.Errorf("attempt %d", m.Attempt)
	}
	body = bytes.Replace(base, []byte(`"attempt": 2`), []byte(`"Attempt": "3"`), 1)
	wantProblems(t, mustReject(t, Patch, exampleID, body), problem{CodeWrongType, "consumers[0].attempt"})

	// A repeated key: encoding/json takes the last value, but reports a
	// wrong type in any; so does Decode, whichever comes first.
	for _, repeated := range []string{
		`"attempt": "2", "attempt": 2`,
		`"attempt": 2, "attempt": "2"`,
		`"attempt": "2", "ATTEMPT": 2`,
		`"attempt": 2, "Attempt": "2"`,
	} {
		body = bytes.Replace(base, []byte(`"attempt": 2`), []byte(repeated), 1)
		wantProblems(t, mustReject(t, Patch, exampleID, body), problem{CodeWrongType, "consumers[0].attempt"})
	}
	body = bytes.Replace(base, []byte(`"attempt": 2`), []byte(`"attempt": 1, "attempt": 4`), 1)
	if m := mustAccept(t, Patch, exampleID, body); m.Attempt != 4 {
		t.Errorf("attempt %d, want the last one", m.Attempt)
	}
}

func TestMalformedPosition(t *testing.T) {
	for _, tc := range []struct {
		body         string
		line, column int
	}{
		{"", 1, 1},
		{"   ", 1, 4},
		{"{", 1, 2},
		{"{\n", 2, 1},
		{"{\n  \"a\": 1,\n}", 3, 1},
		{"{\"a\": tru}", 1, 10},
		{"{}\n{}", 2, 1},
		{"{\"a\": \"\xc3\"}", 1, 8},
		{"{\"a\": \"\x01\"}", 1, 8},
		{"\t{\"a\" 1}", 1, 7},
	} {
		rej := mustReject(t, Patch, exampleID, []byte(tc.body))
		if len(rej.Reasons) != 1 {
			t.Errorf("%q: %v", tc.body, rej)
			continue
		}
		if r := rej.Reasons[0]; r.Code != CodeMalformed || r.Line != tc.line || r.Column != tc.column {
			t.Errorf("%q: got %s at %d:%d, want malformed_json at %d:%d", tc.body, r.Code, r.Line, r.Column, tc.line, tc.column)
		}
	}
}

func TestSizeLimit(t *testing.T) {
	base := readTestdata(t, "spec/flow5.1-score.complete.json")
	fit := append(bytes.Clone(base), bytes.Repeat([]byte(" "), MaxMessageSize-len(base))...)
	mustAccept(t, Patch, exampleID, fit)

	over := append(bytes.Clone(base), bytes.Repeat([]byte("x"), MaxMessageSize+1-len(base))...)
	rej := mustReject(t, Patch, exampleID, over)
	// Too large, and not read: the trailing garbage is not reported.
	wantProblems(t, rej, problem{CodeTooLarge, ""})

	rej = mustReject(t, "GET", exampleID, over)
	wantProblems(t, rej, problem{CodeUnknownValue, ""}, problem{CodeTooLarge, ""})
}

func TestRejectionError(t *testing.T) {
	rej := mustReject(t, Patch, exampleID, readTestdata(t, "spec/flow5.1-attendance.corrected.json"))
	want := "oke: association " + exampleID + ": rejected: " +
		"associationType: missing_field: associationType is required: componentOfferingAssociation; " +
		"result.weight: missing_field: the weight is required and must be 100; " +
		"result.consumers[0].executedOfferingName: missing_field: executedOfferingName is required: " +
		"the name of the exam session the result was obtained in"
	if rej.Error() != want {
		t.Errorf("Error():\n got %s\nwant %s", rej.Error(), want)
	}
	if !rej.Has(CodeMissing, "result.weight") || rej.Has(CodeMissing, "weight") {
		t.Error("Has")
	}
	wrapped := fmt.Errorf("intake: %w", rej)
	if !errors.Is(wrapped, ErrRejected) {
		t.Error("a wrapped rejection does not match ErrRejected")
	}
	if errors.Is(errors.New("message rejected"), ErrRejected) {
		t.Error("ErrRejected matches another error")
	}
	long := (&Rejection{AssociationID: strings.Repeat("\n", 100)}).Error()
	if strings.Contains(long, "\n") || !strings.Contains(long, "no reason given") {
		t.Errorf("%q", long)
	}
}

// TestDecodeDoesNotKeepBody: the message shares no memory with the body.
func TestDecodeDoesNotKeepBody(t *testing.T) {
	body := readTestdata(t, "spec/flow5.2-attempt.complete.json")
	m := mustAccept(t, Put, exampleID, body)
	before := *m
	for i := range body {
		body[i] = 'x'
	}
	if m.Person != before.Person || m.Result.Documents[0].Name != "Assessment form for Jake Doe.pdf" ||
		m.Result.ExecutedOfferingName != "variant12_Nederlands2F" {
		t.Errorf("the message changed with the body: %+v", m)
	}
}
