package oke

import (
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
)

// A Method is the HTTP method of a flow-5 request. The agreement (§3.5.2)
// uses PATCH for the result of the enrolment itself and PUT for the result
// of an extra attempt, sent as a new association.
type Method string

// The methods of flow 5.
const (
	Patch Method = "PATCH" // PATCH /associations/{associationId}: the result of the enrolment of flow 1
	Put   Method = "PUT"   // PUT /associations/{associationId}: the result of an extra attempt
)

// MaxMessageSize is the largest body Decode reads, in bytes. A larger body
// is rejected with CodeTooLarge before any of it is parsed. A complete
// flow-5 message with a hundred documents is well under 64 KiB.
const MaxMessageSize = 256 << 10

// A Message is a flow-5 message that Decode accepted: every mandatory field
// is present and every field that is present has a value the agreement
// allows. It says what the sender delivered and nothing more: whether the
// enrolment exists, whether the attempt was foreseen and whether the score
// fits the component's scale are for the receiver to judge.
type Message struct {
	Method Method

	// AssociationID is the association the message is for: the path
	// parameter given to Decode. For PATCH it is the enrolment of flow 1;
	// for PUT it is the new association the planner made for the attempt.
	AssociationID string

	// AssociationType is always "componentOfferingAssociation".
	AssociationType string

	// OrgAssociationID and Attempt come from the association's
	// nl-test-admin consumer. OrgAssociationID is the original enrolment of
	// flow 1; Attempt is 1 or more.
	OrgAssociationID string
	Attempt          int

	// Person and Offering are the personId and offeringId of a PUT message,
	// given either as the id or as an object holding it; empty when absent,
	// and always empty for PATCH, whose other association fields the
	// agreement says the receiver ignores (§3.5.3).
	Person, Offering string

	Result Result

	consumerAt int // the index of the association's nl-test-admin consumer
}

// consumerField is the path of a field of the association's nl-test-admin consumer.
func (m *Message) consumerField(name string) string {
	return elemField("consumers", m.consumerAt, name)
}

// A ResultState is the state of a result as the sender reports it (OOAPI
// enumeration resultState).
type ResultState string

// The result states. A result may be sent in progress, postponed or queued,
// and must be sent when it is completed; a completed result may later be
// replaced by another, usually completed too (Table 4.3.D).
const (
	InProgress ResultState = "in progress"
	Postponed  ResultState = "postponed"
	Completed  ResultState = "completed"
	Queued     ResultState = "queued"
)

// A Result is the result part of a flow-5 message: the OOAPI Result object
// with its nl-test-admin consumer (Table 4.3.D) folded in.
type Result struct {
	State ResultState

	// Pass is "passed", "failed", "unknown", or empty when absent.
	Pass string

	Comment string

	// Score is the score as delivered, empty when absent. Whether it is a
	// grade on the component's scale is checked later, not here.
	Score string

	// ResultDate is the date the result was set (Table 4.3.D; flow5.md
	// says otherwise, the definitive text wins). Always a valid date.
	ResultDate calendar.Date

	// Weight is always 100: the agreement makes it mandatory but unused.
	Weight int

	// The fields of the result's nl-test-admin consumer.
	Attendance           result.Attendance
	ExecutedOfferingName string // the exam session the result was obtained in; never empty
	AssessorID           string
	AssessorCode         string
	Irregularities       string

	// Final is whether the sender says the exam committee determined the
	// result. It is recorded as information only: determination happens on
	// the receiving side, under mandate.
	Final bool

	// RawScore and MaxRawScore are the points scored and the points
	// possible; both nil or both set, with 0 <= *RawScore <= *MaxRawScore
	// and *MaxRawScore > 0.
	RawScore, MaxRawScore *int

	// TestDate is the moment the exam took place: its last moment, or when
	// the work was handed in (Table 4.3.D). An RFC 3339 date-time keeps the
	// offset it was sent with; a bare date (YYYY-MM-DD), as the
	// specification's own examples send, is midnight of that day in
	// Europe/Amsterdam. The zero Time when absent: the exam date then needs
	// a person to confirm it.
	TestDate time.Time

	// Documents are the documents the sender holds for this result, to be
	// fetched with GET /documents/{documentId}; at most 100.
	Documents []Document

	consumerAt int // the index of the result's nl-test-admin consumer
}

// A Document refers to a document about a result, kept by the sender.
type Document struct {
	ID string // documentId: the id to fetch it by

	// Type is the kind of document (Table 4.6.B): "assessmentForm",
	// "assessmentFormWithAnswers", "assessmentModel" or "other".
	Type string

	Name string // documentName: the proposed file name
}
