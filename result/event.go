package result

import "time"

// An EventType names what an event records: what one action did.
type EventType string

// The event types.
const (
	EventReceived          EventType = "received"
	EventRedelivered       EventType = "redelivered"
	EventRejected          EventType = "rejected"
	EventRegistered        EventType = "registered"
	EventExceptionRaised   EventType = "exception_raised"
	EventExceptionResolved EventType = "exception_resolved"
	EventComplaintLodged   EventType = "complaint_lodged"
	EventComplaintDecided  EventType = "complaint_decided"
	EventDetermined        EventType = "determined"
	EventAppealLodged      EventType = "appeal_lodged"
	EventAppealDecided     EventType = "appeal_decided"
	EventCorrected         EventType = "corrected"
	EventInvalidated       EventType = "invalidated"
	EventInspectionAsked   EventType = "inspection_requested"
	EventInspectionGranted EventType = "inspection_granted"
	EventAppealExtended    EventType = "appeal_term_extended"
)

// An Event records one change to a result: what, when, by whom, in which
// role, under which mandate, why, and the state before and after. A
// result is the fold of its events (Replay); nothing changes a result
// without one.
type Event struct {
	Result  string    `json:"result"`
	Seq     int       `json:"seq"` // 1, 2, … within the result
	Type    EventType `json:"type"`
	At      time.Time `json:"at"`
	Actor   Actor     `json:"actor"`
	Mandate string    `json:"mandate,omitempty"` // the mandate's id, when one was needed
	From    State     `json:"from"`
	To      State     `json:"to"`
	Reason  string    `json:"reason,omitempty"`

	// What the event carries, by type.
	Record    *Record    `json:"record,omitempty"`    // received, redelivered: the delivered record
	Policy    string     `json:"policy,omitempty"`    // registered: the policy version in force
	Exception *Exception `json:"exception,omitempty"` // exception_raised, exception_resolved
	Outcome   Outcome    `json:"outcome,omitempty"`   // complaint_decided, appeal_decided
	Grade     Grade      `json:"grade,omitzero"`      // complaint_decided (upheld), corrected: the new grade
	OldGrade  Grade      `json:"old_grade,omitzero"`  // the grade it replaces
	Decision  string     `json:"decision,omitempty"`  // a decision's reference: the committee's (early determination, correction, invalidation, a successor received), the board's on a late appeal
	Early     bool       `json:"early,omitempty"`     // determined: early, for a diploma or certificate
	Purpose   Purpose    `json:"purpose,omitempty"`   // determined early: for a diploma or a certificate
	Agreed    bool       `json:"agreed,omitempty"`    // determined early inside the inspection window: the student agreed or waived it
	Detail    string     `json:"detail,omitempty"`    // inspection_granted: when and where
	Successor string     `json:"successor,omitempty"` // corrected: the id of the result that replaces this one
}
