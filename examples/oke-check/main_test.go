package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cmdtest"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
	"github.com/stretchr/testify/require"
)

// okeTestdata is package oke's testdata: the agreement's examples in spec/,
// refused messages in bad/, and the directory this command embeds a copy of.
const okeTestdata = "../../result/oke/testdata"

// The enrolments of the example directory the tests use.
const (
	exampleID = "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6" // attempt 2 of KT1-W2, named by the agreement's examples
	firstID   = "a1000000-0000-4000-8000-000000000001" // s-101, attempt 1 of KT1-W2
)

// The files of this command's testdata, each for enrolment firstID: an
// attendance, then the score of 8.7 (65 of 75 points) for an exam on
// 18 January 2027, and that score with a person who is not the student.
var (
	attendanceFile = filepath.Join("testdata", "attendance", firstID+".json")
	scoreFile      = filepath.Join("testdata", "score", firstID+".json")
	personFile     = filepath.Join("testdata", "person", firstID+".json")
)

// spec returns the path of one of the agreement's examples.
func spec(name string) string { return filepath.Join(okeTestdata, "spec", name+".json") }

// bad returns the path of one of package oke's refused messages.
func bad(name string) string { return filepath.Join(okeTestdata, "bad", name+".json") }

// Moments of delivery: shortly after the exam of the agreement's examples
// (29 September 2020), and shortly after the exam of this command's own
// files (18 January 2027).
var (
	in2020 = time.Date(2020, 10, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	in2027 = time.Date(2027, 2, 5, 9, 0, 0, 0, time.FixedZone("CET", 3600))
)

// reason is a reason as printed, with pointers for line and column so that
// a test can tell absent from zero.
type reason struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
	Line    *int   `json:"line"`
	Column  *int   `json:"column"`
}

// printed is one line of output.
type printed struct {
	File          string   `json:"file"`
	AssociationID string   `json:"association_id"`
	Outcome       string   `json:"outcome"`
	Reasons       []reason `json:"reasons"`
}

// codes returns the code and field of each reason, as "field: code", or
// "code" without a field.
func (p printed) codes() []string {
	out := []string{}
	for _, r := range p.Reasons {
		if r.Field == "" {
			out = append(out, r.Code)
			continue
		}
		out = append(out, r.Field+": "+r.Code)
	}
	return out
}

// check runs the command at the moment now and returns its status, its
// lines of output, each checked for its exact keys, and its stderr, which
// must be empty when the status is not 2.
func check(t *testing.T, now time.Time, args ...string) (int, []printed, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, now, &stdout, &stderr)
	if code == 2 {
		require.Empty(t, stdout.String(), "nothing on stdout on bad usage")
		require.NotEmpty(t, stderr.String(), "a message on stderr on bad usage")
		return code, nil, stderr.String()
	}
	require.Empty(t, stderr.String())
	return code, parseLines(t, stdout.String()), ""
}

// parseLines reads the output, one JSON object a line, and checks that
// each has exactly the keys of the contract, and each reason only its own.
func parseLines(t *testing.T, out string) []printed {
	t.Helper()
	require.True(t, strings.HasSuffix(out, "\n"), "output ends in a newline: %q", out)
	var lines []printed
	for _, text := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var keys map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(text), &keys), "line %q", text)
		require.ElementsMatch(t, []string{"file", "association_id", "outcome", "reasons"}, slices.Collect(maps.Keys(keys)),
			"the keys of line %s", text)
		require.True(t, bytes.HasPrefix(keys["reasons"], []byte("[")), "reasons is a list, [] when empty: %s", text)

		var rs []map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(keys["reasons"], &rs))
		for _, r := range rs {
			require.Contains(t, r, "code")
			require.Contains(t, r, "message")
			for k := range r {
				require.Contains(t, []string{"code", "field", "message", "line", "column"}, k, "a key of reason %v", r)
			}
			if f, ok := r["field"]; ok {
				require.NotEqual(t, `""`, string(f), "an empty field is omitted")
			}
			_, hasLine := r["line"]
			_, hasColumn := r["column"]
			malformed := string(r["code"]) == `"malformed_json"`
			require.Equal(t, malformed, hasLine, "line only for malformed JSON: %v", r)
			require.Equal(t, malformed, hasColumn, "column only for malformed JSON: %v", r)
		}

		var p printed
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&p))
		require.Contains(t, []string{"accepted", "duplicate", "exception", "rejected"}, p.Outcome)
		lines = append(lines, p)
	}
	return lines
}

// TestSpecExamples pins what the intake makes of each of the agreement's
// examples, as printed, as corrected and as completed, delivered on
// 1 October 2020 with the example directory. The PATCH examples have no
// associationId and so are delivered for their file's name, which the
// directory does not know as an enrolment: taken as an extra attempt 2 of
// enrolment 5a52f86b…, itself attempt 2, they are refused.
func TestSpecExamples(t *testing.T) {
	names := []string{
		"flow5.1-attendance.printed", "flow5.1-attendance.corrected", "flow5.1-attendance.complete",
		"flow5.1-score.printed", "flow5.1-score.corrected", "flow5.1-score.complete",
		"flow5.2-attempt.printed", "flow5.2-attempt.corrected", "flow5.2-attempt.complete",
		"nl-test-admin-yaml.complete",
	}
	var files []string
	for _, n := range names {
		files = append(files, spec(n))
	}
	code, lines, _ := check(t, in2020, append([]string{"-at", "2020-10-01T12:00:00+02:00"}, files...)...)
	require.Equal(t, 1, code)
	require.Len(t, lines, len(files))

	malformed := "malformed_json"
	missing := []string{"associationType: missing_field", "result.weight: missing_field",
		"result.consumers[0].executedOfferingName: missing_field"}
	unknownPatch := []string{"unknown_association"}
	want := []struct {
		id      string
		outcome string
		codes   []string
	}{
		{"flow5.1-attendance.printed", "rejected", []string{malformed}},
		{"flow5.1-attendance.corrected", "rejected", missing},
		{"flow5.1-attendance.complete", "rejected", unknownPatch},
		{"flow5.1-score.printed", "rejected", []string{malformed}},
		{"flow5.1-score.corrected", "rejected", missing},
		{"flow5.1-score.complete", "rejected", unknownPatch},
		// The PUT examples name their association, even the malformed one.
		{exampleID, "rejected", []string{malformed}},
		{exampleID, "rejected", missing[1:]}, // a PUT body has its associationType
		{exampleID, "exception", []string{"grade_mismatch", "exam_date_unconfirmed", "irregularity", "not_registered"}},
		{"nl-test-admin-yaml.complete", "rejected", []string{"consumers[0].orgAssociationId: unknown_association"}},
	}
	for i, w := range want {
		require.Equal(t, files[i], lines[i].File, "line %d", i)
		require.Equal(t, w.id, lines[i].AssociationID, files[i])
		require.Equal(t, w.outcome, lines[i].Outcome, files[i])
		require.Equal(t, w.codes, lines[i].codes(), files[i])
	}

	// Where the printed examples are broken: a missing comma after the
	// orgAssociationId, on line 6 of the PATCH examples and line 10 of the
	// PUT example.
	for i, at := range map[int][2]int{0: {6, 7}, 3: {6, 7}, 6: {10, 7}} {
		r := lines[i].Reasons[0]
		require.Equal(t, at[0], *r.Line, files[i])
		require.Equal(t, at[1], *r.Column, files[i])
		require.Contains(t, r.Message, "after object key:value pair", files[i])
	}
	require.Equal(t, "PATCH flow5.1-attendance.complete: the KRS knows no such association; "+
		"the first result of an extra attempt comes by PUT", lines[2].Reasons[0].Message)

	// The extra attempt of the agreement: 9 delivered where 65 of 75 points
	// give 8.7 with cut score 41.25 (5.5 + 4.5 × 23.75 / 33.75 = 8.67);
	// no testDate; Jantje cheated. Without an exam date it cannot be
	// registered: it waits, received, for a person.
	complete := lines[8].Reasons
	require.Equal(t, "delivered 9.0, but 65 of 75 points give 8.7 with cut score 41.25", complete[0].Message)
	require.Equal(t, "no testDate was delivered; a person confirms the exam date", complete[1].Message)
	require.Equal(t, "Jantje heeft gespiekt.", complete[2].Message)
	require.Equal(t, "the result waits, received, for a person: exam: missing", complete[3].Message)
}

// TestSpecForTheEnrolment delivers the agreement's PATCH examples for the
// enrolment they name, by giving the files its id as their name, so that
// they pass the attempt check: attempt 2 is the enrolment's own.
func TestSpecForTheEnrolment(t *testing.T) {
	named := func(example string) string {
		file := filepath.Join(t.TempDir(), exampleID+".json")
		body, err := os.ReadFile(spec(example))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(file, body, 0o644))
		return file
	}
	attendance, score := named("flow5.1-attendance.complete"), named("flow5.1-score.complete")

	t.Run("score alone", func(t *testing.T) {
		code, lines, _ := check(t, in2020, "-at", "2020-10-01T12:00:00+02:00", score)
		require.Equal(t, 0, code)
		require.Equal(t, exampleID, lines[0].AssociationID)
		require.Equal(t, "exception", lines[0].Outcome)
		require.Equal(t, []string{"grade_mismatch", "irregularity"}, lines[0].codes())
		require.Equal(t, "delivered 9.0, but 65 of 75 points give 8.7 with cut score 41.25", lines[0].Reasons[0].Message)
	})
	t.Run("attendance, then score", func(t *testing.T) {
		code, lines, _ := check(t, in2020, "-at", "2020-10-01T12:00:00+02:00", attendance, score)
		require.Equal(t, 0, code)
		require.Equal(t, "exception", lines[0].Outcome)
		require.Equal(t, []string{"irregularity"}, lines[0].codes())
		// The same irregularity is open already and is not raised twice.
		require.Equal(t, "exception", lines[1].Outcome)
		require.Equal(t, []string{"grade_mismatch"}, lines[1].codes())
	})
}

// TestAccepted pins a clean delivery, and that the intake's outcome merged
// prints as accepted.
func TestAccepted(t *testing.T) {
	code, lines, _ := check(t, in2027, "-at", "2027-02-05T09:00:00+01:00", scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, []printed{{File: scoreFile, AssociationID: firstID, Outcome: "accepted", Reasons: []reason{}}}, lines)

	code, lines, _ = check(t, in2027, "-at", "2027-02-05T09:00:00+01:00", attendanceFile, scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, []printed{
		{File: attendanceFile, AssociationID: firstID, Outcome: "accepted", Reasons: []reason{}},
		{File: scoreFile, AssociationID: firstID, Outcome: "accepted", Reasons: []reason{}},
	}, lines)

	// The intake itself calls the second delivery a merge.
	in := &oke.Intake{Directory: exampleDirectoryFor(t), Calendar: calendar.Default(), Policies: timeline.DefaultPolicies()}
	for i, want := range []oke.Outcome{oke.Accepted, oke.Merged} {
		body, err := os.ReadFile([]string{attendanceFile, scoreFile}[i])
		require.NoError(t, err)
		rc, err := in.Deliver(oke.Delivery{Method: oke.Patch, AssociationID: firstID, Body: body}, in2027)
		require.NoError(t, err)
		require.Equal(t, want, rc.Outcome)
	}
}

// exampleDirectoryFor loads the embedded directory.
func exampleDirectoryFor(t *testing.T) *oke.Memory {
	t.Helper()
	dir, err := oke.LoadDirectory(bytes.NewReader(exampleDirectory))
	require.NoError(t, err)
	return dir
}

// TestEmbeddedDirectory checks that the embedded directory is the copy of
// package oke's that the documentation says it is.
func TestEmbeddedDirectory(t *testing.T) {
	original, err := os.ReadFile(filepath.Join(okeTestdata, "directory.json"))
	require.NoError(t, err)
	require.Equal(t, string(original), string(exampleDirectory))
	dir := exampleDirectoryFor(t)
	a, ok := dir.Association(exampleID)
	require.True(t, ok)
	require.Equal(t, 2, a.Attempt)
	require.Equal(t, "KT1-W2", a.Component)
}

// TestDuplicate checks that all files go through one intake: a second
// identical file is a duplicate, of a clean result and of one with
// exceptions; a rejected file is rejected again, for nothing was kept.
func TestDuplicate(t *testing.T) {
	code, lines, _ := check(t, in2027, "-at", "2027-02-05T09:00:00+01:00", scoreFile, scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, "accepted", lines[0].Outcome)
	require.Equal(t, printed{File: scoreFile, AssociationID: firstID, Outcome: "duplicate", Reasons: []reason{}}, lines[1])

	complete := spec("flow5.2-attempt.complete")
	code, lines, _ = check(t, in2020, "-at", "2020-10-01T12:00:00+02:00", complete, complete)
	require.Equal(t, 0, code)
	require.Equal(t, "exception", lines[0].Outcome)
	require.Equal(t, printed{File: complete, AssociationID: exampleID, Outcome: "duplicate", Reasons: []reason{}}, lines[1])

	weight := bad("weight-50")
	code, lines, _ = check(t, in2020, weight, weight)
	require.Equal(t, 1, code)
	require.Equal(t, lines[0], lines[1])
	require.Equal(t, "rejected", lines[1].Outcome)
}

// TestBadFiles checks that every message package oke refuses is rejected,
// with a reason, for the association its file names; and pins one.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(okeTestdata, "bad", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	code, lines, _ := check(t, in2020, files...)
	require.Equal(t, 1, code)
	require.Len(t, lines, len(files))
	for i, l := range lines {
		require.Equal(t, files[i], l.File)
		if filepath.Base(l.File) == "put-associationId-mismatch.json" {
			// Its associationId differs from the path only in package oke's
			// tests: this command delivers it for that very id. Then it is
			// a new association for attempt 2 of enrolment 5a52…, itself
			// attempt 2: an extra attempt nobody foresaw, which the agreement
			// has the KRS accept (§3.5.3), with exceptions for a person.
			require.Equal(t, "exception", l.Outcome, l.File)
			require.Equal(t, []string{"unforeseen_attempt", "grade_mismatch", "exam_date_unconfirmed", "irregularity",
				"not_registered"}, l.codes())
			require.Equal(t, "attempt 2, delivered as a new association, does not come after the enrolment's attempt 2",
				l.Reasons[0].Message)
			continue
		}
		require.Equal(t, "rejected", l.Outcome, l.File)
		require.NotEmpty(t, l.Reasons, l.File)
	}

	code, lines, _ = check(t, in2020, bad("weight-50"))
	require.Equal(t, 1, code)
	require.Equal(t, []printed{{File: bad("weight-50"), AssociationID: "weight-50", Outcome: "rejected", Reasons: []reason{
		{Code: "out_of_range", Field: "result.weight", Message: "weight 50: the weight must be 100"},
	}}}, lines)

	code, lines, _ = check(t, in2020, bad("malformed-truncated"))
	require.Equal(t, 1, code)
	r := lines[0].Reasons[0]
	require.Equal(t, "malformed_json", r.Code)
	require.Empty(t, r.Field)
	require.Equal(t, [2]int{10, 5}, [2]int{*r.Line, *r.Column})
}

// TestExitStatus checks that the status is 1 as soon as one file is
// rejected, and that every line is printed all the same.
func TestExitStatus(t *testing.T) {
	code, lines, _ := check(t, in2027, "-at", "2020-10-01T12:00:00+02:00",
		spec("flow5.2-attempt.complete"), bad("weight-50"), spec("flow5.2-attempt.complete"))
	require.Equal(t, 1, code)
	require.Equal(t, []string{"exception", "rejected", "duplicate"},
		[]string{lines[0].Outcome, lines[1].Outcome, lines[2].Outcome})

	code, lines, _ = check(t, in2027, scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, "accepted", lines[0].Outcome)

	code, _, _ = check(t, in2020, "-at", "2020-10-01T12:00:00+02:00", spec("flow5.2-attempt.complete"))
	require.Equal(t, 0, code, "an exception is not a rejection")
}

// TestAssociationID pins how a file's association is found: the body's
// top-level associationId when it is a string, read as encoding/json reads
// it and leniently; otherwise the file's name without its last extension.
// The method follows: PUT for an id from the body, else PATCH, which the
// intake's answer shows by checking, or not, the person of the body.
func TestAssociationID(t *testing.T) {
	tests := []struct {
		name, file, body string
		id               string
		put              bool
	}{
		{"string", "m.json", `{"associationId": "x-1"}`, "x-1", true},
		{"empty string", "m.json", `{"associationId": ""}`, "", true},
		{"other case", "m.json", `{"AssociationID": "x-1"}`, "x-1", true},
		{"last of repeated keys", "m.json", `{"associationId": "x-1", "associationid": "x-2"}`, "x-2", true},
		{"null after a string", "m.json", `{"associationId": "x-1", "associationId": null}`, "m", false},
		{"string after a number", "m.json", `{"associationId": 1, "associationId": "x-2"}`, "x-2", true},
		{"nested only", "m.json", `{"result": {"associationId": "x-1"}}`, "m", false},
		{"number", "m.json", `{"associationId": 12345}`, "m", false},
		{"object", "m.json", `{"associationId": {"id": "x-1"}}`, "m", false},
		{"null", "m.json", `{"associationId": null}`, "m", false},
		{"absent", "m.json", `{"associationType": "componentOfferingAssociation"}`, "m", false},
		{"malformed after it", "m.json", `{"associationId": "x-1", "result": {"state": "completed" "weight": 100}}`, "x-1", true},
		{"malformed before it", "m.json", `{"result": {,}, "associationId": "x-1"}`, "m", false},
		{"truncated inside it", "m.json", `{"associationId": "x-`, "m", false},
		{"byte order mark", "m.json", "\ufeff" + `{"associationId": "x-1"}`, "m", false},
		{"not an object", "m.json", `["associationId", "x-1"]`, "m", false},
		{"not JSON", "m.json", `associationId: x-1`, "m", false},
		{"empty", "m.json", ``, "m", false},
		{"two extensions", "m.v2.json", `{}`, "m.v2", false},
		{"no extension", "m", `{}`, "m", false},
		{"only an extension", ".json", `{}`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, named := associationID([]byte(tt.body))
			require.Equal(t, tt.put, named)
			if named {
				require.Equal(t, tt.id, id)
			}

			file := filepath.Join(t.TempDir(), tt.file)
			require.NoError(t, os.WriteFile(file, []byte(tt.body), 0o644))
			code, lines, _ := check(t, in2020, file)
			require.Equal(t, 1, code, "none of these is a complete message")
			require.Equal(t, printed{File: file, AssociationID: tt.id, Outcome: "rejected", Reasons: lines[0].Reasons}, lines[0])
		})
	}

	// The method: the same message with a person that is a number, which
	// only a PUT reads.
	body, err := os.ReadFile(spec("flow5.1-score.complete"))
	require.NoError(t, err)
	withPerson := func(id string) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m))
		m["person"] = 42
		if id != "" {
			m["associationId"] = id
		}
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	dir := t.TempDir()
	put, patch := filepath.Join(dir, "put.json"), filepath.Join(dir, exampleID+".json")
	require.NoError(t, os.WriteFile(put, withPerson(exampleID), 0o644))
	require.NoError(t, os.WriteFile(patch, withPerson(""), 0o644))
	_, lines, _ := check(t, in2020, "-at", "2020-10-01T12:00:00+02:00", put, patch)
	require.Equal(t, exampleID, lines[0].AssociationID)
	require.Equal(t, []string{"person: wrong_type"}, lines[0].codes(), "PUT by default: the person is read")
	require.Equal(t, exampleID, lines[1].AssociationID)
	require.Equal(t, "exception", lines[1].Outcome, "PATCH by default: the person is ignored")
}

// TestMethod pins -method: it overrides the default for every file.
func TestMethod(t *testing.T) {
	// A PUT body with a person that is a number, which PATCH ignores.
	personNumber := bad("put-person-number")
	code, lines, _ := check(t, in2020, "-at", "2020-10-01T12:00:00+02:00", personNumber)
	require.Equal(t, 1, code)
	require.Equal(t, exampleID, lines[0].AssociationID)
	require.Equal(t, []string{"person: wrong_type"}, lines[0].codes())

	code, lines, _ = check(t, in2020, "-at", "2020-10-01T12:00:00+02:00", "-method", "PATCH", personNumber)
	require.Equal(t, 0, code)
	require.Equal(t, exampleID, lines[0].AssociationID, "the id still comes from the body")
	require.Equal(t, "exception", lines[0].Outcome)

	// A PATCH body with a person who is not the student, which only PUT reads.
	code, lines, _ = check(t, in2027, personFile)
	require.Equal(t, 0, code)
	require.Equal(t, "accepted", lines[0].Outcome)

	code, lines, _ = check(t, in2027, "-method", "PUT", personFile)
	require.Equal(t, 1, code)
	require.Equal(t, []printed{{File: personFile, AssociationID: firstID, Outcome: "rejected", Reasons: []reason{
		{Code: "wrong_student", Field: "person", Message: `the person "s-999" is not the enrolment's student`},
	}}}, lines)

	code, lines, _ = check(t, in2027, "-method=PUT", scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, "accepted", lines[0].Outcome, "a PUT for the enrolment itself is taken in as well")
}

// TestAt checks the moment of delivery: by default the day after the
// latest date the files name, whatever the clock; -at overrides it; the
// clock run is given only when no file names a date.
func TestAt(t *testing.T) {
	// The score's resultDate is 4 February 2027: it is taken in on the 5th,
	// whether the clock is before its exam or years after.
	before := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	for _, now := range []time.Time{before, in2020, time.Date(2031, 6, 1, 0, 0, 0, 0, time.UTC)} {
		code, lines, _ := check(t, now, scoreFile)
		require.Equal(t, 0, code)
		require.Equal(t, []printed{{File: scoreFile, AssociationID: firstID, Outcome: "accepted", Reasons: []reason{}}}, lines,
			"clock at %v", now)
	}

	// An exam days after the moment of delivery is taken in, as the
	// agreement has it, and waits for a person to confirm the exam date.
	code, lines, _ := check(t, in2027, "-at", "2027-01-10T09:00:00Z", scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, []printed{{File: scoreFile, AssociationID: firstID, Outcome: "exception", Reasons: []reason{{
		Code: "exam_date_unconfirmed",
		Message: "the exam at 2027-01-18T11:00:00+01:00 lies 193h0m0s ahead of the KRS clock at 2027-01-10T09:00:00Z, " +
			"more than the 15m0s clocks may differ; a person confirms the exam date",
	}, {
		Code:    "not_registered",
		Message: "the result waits, received, for a person: the exam date lies ahead of the KRS clock",
	}}}}, lines)

	code, lines, _ = check(t, before, "-at", "2027-02-05T09:00:00+01:00", scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, "accepted", lines[0].Outcome)

	// More than a year after the exam, the exam date wants confirming, and
	// the result is registered after the assessment term.
	code, lines, _ = check(t, before, "-at", "2028-02-05T09:00:00Z", scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, "exception", lines[0].Outcome)
	require.Equal(t, []string{"exam_date_unconfirmed", "late_assessment"}, lines[0].codes())

	// One moment for all files: with a file of 2020 beside it, the score
	// of 2027 is still taken in on 5 February 2027, and the extra attempt
	// of 2020 is more than a year old.
	code, lines, _ = check(t, before, spec("flow5.1-score.complete"), scoreFile)
	require.Equal(t, 1, code, "the PATCH example, for its file's name, is rejected")
	require.Equal(t, "accepted", lines[1].Outcome)
	corrected := filepath.Join(correctedDir, "flow5.2-attempt", "d7389ee1-4670-4354-96af-33b4be79ff71.json")
	code, lines, _ = check(t, before, corrected, scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, []string{"unforeseen_attempt", "exam_date_unconfirmed", "irregularity", "late_assessment"}, lines[0].codes())
	require.Equal(t, "the exam at 2020-09-28T11:00:00+02:00 lies more than a year before the delivery", lines[0].Reasons[1].Message)
}

// TestDefaultMoment pins the moment of delivery without -at: noon in
// Europe/Amsterdam on the day after the latest resultDate or testDate,
// read as encoding/json reads a body; none without a date.
func TestDefaultMoment(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	require.NoError(t, err)
	noon := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, ams) }
	tests := []struct {
		name   string
		bodies []string
		want   time.Time // zero: no date
	}{
		{"resultDate", []string{`{"result": {"resultDate": "2027-02-04"}}`}, noon(2027, 2, 5)},
		{"testDate after resultDate", []string{`{"result": {"resultDate": "2027-02-04",
			"consumers": [{"testDate": "2027-02-10T09:00:00+01:00"}]}}`}, noon(2027, 2, 11)},
		{"testDate as a date", []string{`{"result": {"consumers": [{}, {"testDate": "2027-03-01"}]}}`}, noon(2027, 3, 2)},
		{"testDate's date in Amsterdam", []string{`{"result": {"consumers": [{"testDate": "2027-03-01T23:30:00Z"}]}}`},
			noon(2027, 3, 3)},
		{"the latest of several files", []string{`{"result": {"resultDate": "2020-09-29"}}`, `{"result": {"resultDate": "2027-02-04"}}`,
			`{"result": {"resultDate": "2026-01-01"}}`}, noon(2027, 2, 5)},
		{"into summer time", []string{`{"result": {"resultDate": "2027-03-27"}}`}, noon(2027, 3, 28)},
		{"keys in another case", []string{`{"Result": {"ResultDate": "2027-02-04"}}`}, noon(2027, 2, 5)},
		{"a value of another type beside", []string{`{"result": {"resultDate": 20270204, "weight": "x",
			"consumers": [{"testDate": "2027-02-01T10:00:00+01:00"}]}}`}, noon(2027, 2, 2)},
		{"dates that are not real ones", []string{`{"result": {"resultDate": "2026-02-30",
			"consumers": [{"testDate": "2020-09-29T10:15:00"}, {"testDate": "tomorrow"}]}}`}, time.Time{}},
		{"malformed", []string{`{"result": {"resultDate": "2027-02-04",}}`}, time.Time{}},
		{"malformed beside a good one", []string{`{"result": {"resultDate": "2030-01-01",}}`,
			`{"result": {"resultDate": "2027-02-04"}}`}, noon(2027, 2, 5)},
		{"consumers not a list", []string{`{"result": {"resultDate": "2027-02-04", "consumers": {}}}`}, noon(2027, 2, 5)},
		{"no result", []string{`{"associationId": "x"}`, `[]`, ``}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var messages []message
			for _, b := range tt.bodies {
				messages = append(messages, message{body: []byte(b)})
			}
			got, ok := defaultMoment(messages)
			require.Equal(t, !tt.want.IsZero(), ok)
			if ok {
				require.True(t, tt.want.Equal(got), "got %v, want %v", got, tt.want)
				require.Equal(t, ams.String(), got.Location().String())
			}
		})
	}

	// Without a date the moment is the clock run is given. A file without
	// a real resultDate is rejected before the moment counts, so its line
	// cannot show which moment it was; that it runs is all there is to see.
	code, lines, _ := check(t, in2027, spec("flow5.1-score.printed"))
	require.Equal(t, 1, code)
	require.Equal(t, "rejected", lines[0].Outcome)
}

// correctedDir holds the agreement's examples, corrected; its README.md
// says what was corrected and why.
var correctedDir = filepath.Join(okeTestdata, "spec", "corrected")

// TestCorrectedSpecExamples runs the agreement's examples as corrected in
// package oke's testdata/spec/corrected, without -at, with the example
// directory: each is taken in, alone and all in one intake. Where one is
// an exception, its README.md says why: the reported irregularity, which
// goes to a person (the exam committee), and the extra attempt beyond
// those the KRS allowed, which the agreement has the KRS accept
// (§3.5.2, §3.5.3). Every file in the folder is one of these.
func TestCorrectedSpecExamples(t *testing.T) {
	const newAttempt = "d7389ee1-4670-4354-96af-33b4be79ff71" // the PUT's new association
	attendance := filepath.Join(correctedDir, "flow5.1-attendance", exampleID+".json")
	score := filepath.Join(correctedDir, "flow5.1-score", exampleID+".json")
	attempt := filepath.Join(correctedDir, "flow5.2-attempt", newAttempt+".json")

	files, err := filepath.Glob(filepath.Join(correctedDir, "*", "*.json"))
	require.NoError(t, err)
	require.ElementsMatch(t, []string{attendance, score, attempt}, files, "the corrected examples")
	notes, err := os.ReadFile(filepath.Join(correctedDir, "README.md"))
	require.NoError(t, err)
	for _, f := range files {
		require.Contains(t, string(notes), filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), "the README names %s", f)
	}

	irregularity := "irregularity"
	unforeseen := "unforeseen_attempt"
	t.Run("alone", func(t *testing.T) {
		for _, tt := range []struct {
			file, id string
			codes    []string
		}{
			{attendance, exampleID, []string{irregularity}},
			{score, exampleID, []string{irregularity}},
			{attempt, newAttempt, []string{unforeseen, irregularity}},
		} {
			code, lines, _ := check(t, in2027, tt.file)
			require.Equal(t, 0, code, tt.file)
			require.Equal(t, tt.id, lines[0].AssociationID, tt.file)
			require.Equal(t, "exception", lines[0].Outcome, tt.file)
			require.Equal(t, tt.codes, lines[0].codes(), tt.file)
		}
	})
	t.Run("in order", func(t *testing.T) {
		code, lines, _ := check(t, in2027, attendance, score, attempt)
		require.Equal(t, 0, code)
		// The score joins the attendance, whose irregularity is open
		// already: clean, accepted.
		require.Equal(t, []printed{
			{File: attendance, AssociationID: exampleID, Outcome: "exception", Reasons: []reason{
				{Code: irregularity, Message: "Jantje heeft gespiekt."}}},
			{File: score, AssociationID: exampleID, Outcome: "accepted", Reasons: []reason{}},
			{File: attempt, AssociationID: newAttempt, Outcome: "exception", Reasons: []reason{
				{Code: unforeseen, Message: "attempt 3, beyond the 0 extra attempts the KRS allowed"},
				{Code: irregularity, Message: "Jantje heeft gespiekt."}}},
		}, lines)
	})
	t.Run("the same with -at", func(t *testing.T) {
		// The default moment is noon on 30 September 2020, the day after
		// the resultDate; the same at any moment soon after.
		_, want, _ := check(t, in2027, attendance, score, attempt)
		_, got, _ := check(t, in2027, "-at", "2020-10-01T12:00:00+02:00", attendance, score, attempt)
		require.Equal(t, want, got)
	})
}

// TestDirectory checks that -directory replaces the example directory.
func TestDirectory(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"components": [], "associations": []}`), 0o644))
	code, lines, _ := check(t, in2027, "-directory", empty, scoreFile)
	require.Equal(t, 1, code)
	require.Equal(t, []string{"consumers[0].orgAssociationId: unknown_association"}, lines[0].codes())

	code, lines, _ = check(t, in2027, "-directory", filepath.Join(okeTestdata, "directory.json"), scoreFile)
	require.Equal(t, 0, code)
	require.Equal(t, "accepted", lines[0].Outcome)
}

// TestTooLarge checks that a file beyond oke.MaxMessageSize is rejected,
// not read whole.
func TestTooLarge(t *testing.T) {
	file := filepath.Join(t.TempDir(), "large.json")
	body := `{"associationId": "x-1", "pad": "` + strings.Repeat("x", 2*oke.MaxMessageSize) + `"}`
	require.NoError(t, os.WriteFile(file, []byte(body), 0o644))
	code, lines, _ := check(t, in2027, file)
	require.Equal(t, 1, code)
	require.Equal(t, "x-1", lines[0].AssociationID)
	require.Equal(t, []string{"too_large"}, lines[0].codes())
	require.Contains(t, lines[0].Reasons[0].Message, "more than the 262144 allowed")
}

// TestRunBadUsage checks that every kind of bad usage exits with status 2,
// writes nothing to stdout, and names the problem on stderr.
func TestRunBadUsage(t *testing.T) {
	dir := t.TempDir()
	invalid := filepath.Join(dir, "invalid.json")
	require.NoError(t, os.WriteFile(invalid, []byte(`{"components": [], "associations": [{"id": "a", "student": "s", "component": "X", "attempt": 1}]}`), 0o644))
	unknownField := filepath.Join(dir, "unknown-field.json")
	require.NoError(t, os.WriteFile(unknownField, []byte(`{"components": [], "enrolments": []}`), 0o644))

	tests := []struct {
		name string
		args []string
		want []string // each must occur in stderr
	}{
		{"no arguments", nil, []string{"oke-check: no files to check"}},
		{"flags only", []string{"-method", "PUT"}, []string{"no files to check"}},
		{"missing file", []string{scoreFile, "testdata/absent.json"},
			[]string{"oke-check:", "testdata/absent.json", "no such file"}},
		{"a directory for a file", []string{"testdata"}, []string{"oke-check:", "testdata", "is a directory"}},
		{"missing directory file", []string{"-directory", "testdata/absent.json", scoreFile},
			[]string{"oke-check: -directory:", "absent.json", "no such file"}},
		{"empty directory flag", []string{"-directory", "", scoreFile}, []string{"oke-check: -directory:"}},
		{"invalid directory", []string{"-directory", invalid, scoreFile},
			[]string{"-directory:", "invalid directory", "unknown component X"}},
		{"directory with an unknown field", []string{"-directory", unknownField, scoreFile},
			[]string{"-directory:", "invalid directory", "enrolments"}},
		{"directory that is not JSON", []string{"-directory", spec("flow5.1-score.printed"), scoreFile},
			[]string{"-directory:", "invalid directory"}},
		{"date without time", []string{"-at", "2020-10-01", scoreFile},
			[]string{`oke-check: -at "2020-10-01": want an RFC 3339 date-time`}},
		{"time without offset", []string{"-at", "2020-10-01T12:00:00", scoreFile}, []string{`-at "2020-10-01T12:00:00"`}},
		{"empty -at", []string{"-at", "", scoreFile}, []string{`-at ""`}},
		{"unknown method", []string{"-method", "GET", scoreFile}, []string{`oke-check: -method "GET": want PATCH or PUT`}},
		{"lower-case method", []string{"-method", "patch", scoreFile}, []string{`-method "patch"`}},
		{"empty method", []string{"-method", "", scoreFile}, []string{`-method ""`}},
		{"unknown flag", []string{"-verbose", scoreFile}, []string{"oke-check: flag provided but not defined: -verbose (see oke-check -h)"}},
		{"flag without value", []string{"-at"}, []string{"oke-check: flag needs an argument: -at (see oke-check -h)"}},
		{"flag after a file, which is a file name", []string{scoreFile, "-at", "2020-10-01T12:00:00+02:00"},
			[]string{"oke-check:", "-at", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := check(t, in2027, tt.args...)
			require.Equal(t, 2, code)
			require.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			require.True(t, strings.HasPrefix(stderr, "oke-check: "), stderr)
			for _, w := range tt.want {
				require.Contains(t, stderr, w)
			}
		})
	}
}

// TestHelp checks that -h prints the usage on stdout, with each flag and
// the default of -at, and exits with status 0.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"-help"}, {"--help"}, {"-h", scoreFile}} {
		var stdout, stderr bytes.Buffer
		code := run(args, in2027, &stdout, &stderr)
		require.Equal(t, 0, code, args)
		require.Empty(t, stderr.String())
		require.Equal(t, usage, stdout.String())
	}
	require.True(t, strings.HasPrefix(usage, "usage: oke-check [-directory FILE] [-method PATCH|PUT] [-at RFC3339] FILE...\n"))
	for _, w := range []string{"-directory FILE", "-method PATCH|PUT", "-at RFC3339",
		"by default noon (Europe/Amsterdam) on the day after the\n                     latest resultDate or testDate in the files",
		"Exit status 0"} {
		require.Contains(t, usage, w)
	}

	var stderr bytes.Buffer
	require.Equal(t, 1, run([]string{"-h"}, in2027, cmdtest.FailingWriter{}, &stderr))
	require.Equal(t, "oke-check: writing the usage: broken pipe\n", stderr.String())
}

// TestRunWriteError checks that output that cannot be written is reported
// and gives status 1.
func TestRunWriteError(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{scoreFile}, in2027, cmdtest.FailingWriter{}, &stderr)
	require.Equal(t, 1, code)
	require.Contains(t, stderr.String(), "oke-check: writing output: broken pipe")
}

// TestBinary builds the command and runs it as a script would, to check
// the exit status and streams of the real process.
func TestBinary(t *testing.T) {
	bin := cmdtest.Build(t, "oke-check")

	runBin := func(t *testing.T, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), stdout.String(), stderr.String()
		}
		require.NoError(t, err)
		return 0, stdout.String(), stderr.String()
	}

	t.Run("accepted and duplicate", func(t *testing.T) {
		code, stdout, stderr := runBin(t, "-at", "2027-02-05T09:00:00+01:00", scoreFile, scoreFile)
		require.Equal(t, 0, code, "stderr: %s", stderr)
		require.Empty(t, stderr)
		require.Equal(t,
			`{"file":"`+scoreFile+`","association_id":"`+firstID+`","outcome":"accepted","reasons":[]}`+"\n"+
				`{"file":"`+scoreFile+`","association_id":"`+firstID+`","outcome":"duplicate","reasons":[]}`+"\n",
			stdout)
	})
	t.Run("accepted without -at", func(t *testing.T) {
		code, stdout, stderr := runBin(t, scoreFile)
		require.Equal(t, 0, code, "stderr: %s", stderr)
		require.Empty(t, stderr)
		require.Equal(t, `{"file":"`+scoreFile+`","association_id":"`+firstID+`","outcome":"accepted","reasons":[]}`+"\n", stdout)
	})
	t.Run("-h", func(t *testing.T) {
		code, stdout, stderr := runBin(t, "-h")
		require.Equal(t, 0, code)
		require.Empty(t, stderr)
		require.Equal(t, usage, stdout)
	})
	t.Run("rejected", func(t *testing.T) {
		printedFile := spec("flow5.1-score.printed")
		code, stdout, stderr := runBin(t, printedFile)
		require.Equal(t, 1, code)
		require.Empty(t, stderr)
		require.Equal(t, `{"file":"`+printedFile+`","association_id":"flow5.1-score.printed","outcome":"rejected",`+
			`"reasons":[{"code":"malformed_json","message":"invalid character '\"' after object key:value pair","line":6,"column":7}]}`+"\n",
			stdout)
	})
	t.Run("bad usage", func(t *testing.T) {
		code, stdout, stderr := runBin(t)
		require.Equal(t, 2, code)
		require.Empty(t, stdout)
		require.Equal(t, "oke-check: no files to check (see oke-check -h)\n", stderr)
	})
}
