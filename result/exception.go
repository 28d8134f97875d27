package result

import (
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/timeline"
)

// An ExceptionKind names a deviation from the ordinary course that a person
// must resolve or approve before the result can be determined.
type ExceptionKind string

// The kinds of exception.
const (
	LateAssessment       ExceptionKind = "late_assessment"        // registered after the assessment term
	RegisteredBeforeExam ExceptionKind = "registered_before_exam" // registered before the exam date
	ChangedRedelivery    ExceptionKind = "changed_redelivery"     // a changed re-delivery after publication
	Irregularity         ExceptionKind = "irregularity"           // an irregularity reported in the exam
	GradeMismatch        ExceptionKind = "grade_mismatch"         // the grade disagrees with its raw score
	EnrolmentEnded       ExceptionKind = "enrolment_ended"        // the enrolment was cancelled or ended meanwhile
	UnforeseenAttempt    ExceptionKind = "unforeseen_attempt"     // the result of an attempt nobody planned
	ExamDateUnconfirmed  ExceptionKind = "exam_date_unconfirmed"  // the delivery gave no exam date, or an implausible one
	AssessorUnauthorised ExceptionKind = "assessor_unauthorised"  // the assessor is not authorised for the component
	OfferingMismatch     ExceptionKind = "offering_mismatch"      // the delivery names another offering than the enrolment's
	AttemptMismatch      ExceptionKind = "attempt_mismatch"       // the delivery names another attempt than the enrolment's
	RedeliveredRejected  ExceptionKind = "redelivered_rejected"   // a valid delivery re-sent after a person rejected the result
	NoGrade              ExceptionKind = "no_grade"               // a completed result without a grade: the student did not sit or finish
)

// kindRule says what an exception of a kind does and who may close it.
type kindRule struct {
	holds         bool // an open exception keeps the result on hold
	committeeOnly bool // only the exam committee may resolve it, never under mandate
}

var kindRules = map[ExceptionKind]kindRule{
	LateAssessment:       {},
	RegisteredBeforeExam: {},
	ChangedRedelivery:    {holds: true, committeeOnly: true},
	Irregularity:         {holds: true, committeeOnly: true},
	GradeMismatch:        {committeeOnly: true},
	EnrolmentEnded:       {},
	UnforeseenAttempt:    {},
	ExamDateUnconfirmed:  {},
	AssessorUnauthorised: {committeeOnly: true},
	OfferingMismatch:     {},
	AttemptMismatch:      {},
	RedeliveredRejected:  {},
	NoGrade:              {},
}

// Holds reports whether an open exception of the kind puts the result on hold.
func (k ExceptionKind) Holds() bool { return kindRules[k].holds }

// CommitteeOnly reports whether only the exam committee may resolve the
// kind; the others the exam administration may resolve under a mandate.
func (k ExceptionKind) CommitteeOnly() bool { return kindRules[k].committeeOnly }

// Known reports whether k is a kind the package knows.
func (k ExceptionKind) Known() bool {
	_, ok := kindRules[k]
	return ok
}

// An Outcome is how a decision ended.
type Outcome string

// The outcomes of decisions on exceptions, complaints and appeals.
const (
	Resolved     Outcome = "resolved"     // an exception: the cause was put right
	Approved     Outcome = "approved"     // an exception: the deviation is accepted
	Upheld       Outcome = "upheld"       // a complaint or appeal: the student is right
	NotUpheld    Outcome = "not_upheld"   // a complaint or appeal: the student is not
	Withdrawn    Outcome = "withdrawn"    // a complaint or appeal: the student withdrew it
	Inadmissible Outcome = "inadmissible" // a complaint or appeal: not admissible, such as too late
)

// An Exception is a deviation on one result: what, when and by whom it was
// raised, and who resolved or approved it, when, why and under which mandate.
type Exception struct {
	ID       int           `json:"id"` // 1, 2, … within the result
	Kind     ExceptionKind `json:"kind"`
	Detail   string        `json:"detail,omitempty"`
	Raised   time.Time     `json:"raised"`
	RaisedBy Actor         `json:"raised_by"`

	Outcome  Outcome   `json:"outcome,omitempty"` // empty while open
	Closed   time.Time `json:"closed,omitzero"`
	ClosedBy Actor     `json:"closed_by,omitzero"`
	Reason   string    `json:"reason,omitempty"`
	Mandate  string    `json:"mandate,omitempty"`

	// Record is the record a changed re-delivery brought: approving the
	// exception puts it in place, resolving it otherwise keeps the old.
	Record *Record `json:"record,omitempty"`
}

// Open reports whether the exception still waits for a person.
func (e *Exception) Open() bool { return e.Outcome == "" }

// In returns the exception as String does, with its kind in the
// language's words: "onregelmatigheid #1 (…)".
func (e *Exception) In(lang timeline.Language) string {
	s := fmt.Sprintf("%s #%d", e.Kind.Words().In(lang), e.ID)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// String returns the exception as "kind #id (detail)".
func (e *Exception) String() string {
	s := fmt.Sprintf("%s #%d", e.Kind, e.ID)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}
