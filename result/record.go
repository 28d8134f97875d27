package result

import (
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// A Record is what is delivered about a result: who, which exam, which
// attempt, which grade. It is set when the result is received and changed
// only by a recorded correction.
type Record struct {
	ID        string `json:"id"`        // the OKE association id
	Student   string `json:"student"`   // the student's id
	Component string `json:"component"` // the exam component (examenonderdeel)
	Programme string `json:"programme"` // the programme (opleiding), for mandate scopes
	Crebo     string `json:"crebo"`     // the qualification's crebo code
	Team      string `json:"team"`      // the team responsible, for mandate scopes
	Attempt   int    `json:"attempt"`   // 1 for the first attempt (poging)
	// Retakes is the association id of the enrolment this attempt retakes
	// (OKE orgAssociationId), when the attempt came as an association of its
	// own; empty otherwise, also for an enrolment that is itself a later attempt.
	Retakes string `json:"retakes,omitempty"`
	// Supersedes is the id of the result this one replaces: a determined
	// result corrected, or one annulled on appeal.
	Supersedes string     `json:"supersedes,omitempty"`
	Exam       time.Time  `json:"exam"`     // when the exam took place (OKE testDate)
	Assessor   string     `json:"assessor"` // the assessor's id (examinator)
	Grade      Grade      `json:"grade"`
	Attendance Attendance `json:"attendance"`
	Source     Source     `json:"source"`

	// What OKE adds: the enrolment's offering; the session the result was
	// obtained in (executedOfferingName, the name a session report is
	// matched by, see oke.SessionKey); the raw score; and the sender's own
	// "final" flag, recorded and never obeyed.
	Offering         string    `json:"offering,omitempty"`
	ExecutedOffering string    `json:"executed_offering,omitempty"`
	RawScore         *RawScore `json:"raw_score,omitempty"`
	SenderFinal      bool      `json:"sender_final,omitempty"`

	// Documents are the documents the sender keeps about the result
	// (OKE documents, Table 4.6.A), in the order delivered: each to be
	// fetched from the planner by its ID (GET /documents/{documentId}).
	// Nil when none were delivered. What a document held when the KRS
	// archived it is in the trail (the office's document_archived entries,
	// with its SHA-256), not here.
	Documents []DocumentRef `json:"documents,omitempty"`
}

// A DocumentRef names a document about a result that the sender keeps:
// an assessment form, the answers with the assessor's notes, the
// assessment model (OKE Table 4.6.A). (Document, the function, writes the
// state machine's reference page.)
type DocumentRef struct {
	ID string `json:"id"` // documentId: the id to fetch it by
	// Type is the kind of document (OKE Table 4.6.B): "assessmentForm",
	// "assessmentFormWithAnswers", "assessmentModel" or "other".
	Type string `json:"type"`
	Name string `json:"name"` // documentName: the file name the sender proposes
}

// A RawScore is the points a student scored out of the maximum.
type RawScore struct {
	Points int `json:"points"`
	Max    int `json:"max"`
}

// Problems returns what keeps the record from being a result that arrived
// correctly, each naming its field; none when it is complete. Register and
// the determination's first check refuse a record with problems.
func (r *Record) Problems() []string {
	var out []string
	for _, p := range r.check() {
		out = append(out, p.English)
	}
	return out
}

// check returns the problems that keep the record from being a result
// that arrived correctly, each naming its field, in both languages.
func (r *Record) check() []timeline.Words {
	// Every check is made on each registration and determination: the
	// problems are written only when there are some.
	var out []timeline.Words
	need := func(ok bool, format string, args ...any) {
		if !ok {
			out = append(out, say(format, args...))
		}
	}
	need(r.ID != "", "id: missing")
	need(r.Student != "", "student: missing")
	need(r.Component != "", "component: missing")
	need(r.Crebo != "", "crebo: missing")
	if r.Attempt < 1 {
		need(false, "attempt: %d, want 1 or more", r.Attempt)
	}
	need(!r.Exam.IsZero(), "exam: missing")
	need(r.Assessor != "", "assessor: missing")
	switch {
	case !r.Attendance.valid():
		need(false, "attendance: %q is not known", r.Attendance)
	case r.Attendance == NotKnown:
		// A completed result must say whether the student sat: one that
		// does not is no result yet, and waits for a person.
		need(false, "attendance: notKnown: whether the student sat is not known")
	}
	if r.Source != OKE && r.Source != Manual {
		need(false, "source: %q is not known", r.Source)
	}
	need(!r.Grade.IsZero() || r.Attendance != Present, "grade: missing for a student who was present")
	return out
}

// Attendance says whether the student sat the exam, in OKE's terms.
type Attendance string

// The attendance values of OKE (nl-test-admin).
const (
	NotKnown    Attendance = "notKnown"    // planned, not started yet
	NotPresent  Attendance = "notPresent"  // absent
	NotStarted  Attendance = "notStarted"  // present, did not start
	NotFinished Attendance = "notFinished" // started, did not finish or hand in
	Present     Attendance = "present"     // present and finished
)

func (a Attendance) valid() bool {
	switch a {
	case NotKnown, NotPresent, NotStarted, NotFinished, Present:
		return true
	}
	return false
}

// Source says how a result arrived.
type Source string

// The sources.
const (
	OKE    Source = "oke"    // delivered through the OKE coupling
	Manual Source = "manual" // entered by hand
)
