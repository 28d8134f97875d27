package vaststelling

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// The types of the office's own entries in the trail (see audit.Entry):
// everything the office acts on besides the results' events, so that an
// office opened over the trail stands where it stood.
const (
	EntryDelivery       = "delivery"        // an OKE delivery with its receipt, rejected ones too
	EntrySessionReport  = "session_report"  // a session report's irregularities
	EntryMandateGranted = "mandate_granted" // the exam committee granted or changed a mandate
	EntryMandateRevoked = "mandate_revoked" // the exam committee revoked a mandate
	EntryNoticeSent     = "notice_sent"     // a student notice went out
	EntryNoticeFailed   = "notice_failed"   // a student notice could not be sent; it is tried again
	EntryDailyRun       = "daily_run"       // an office took the daily run of a day and determined what was due
	EntryRunEnded       = "daily_run_ended" // and let the day go, its notices sent
	EntrySampleFindings = "sample_findings" // the exam committee's findings on a sample it drew
	// EntryDocumentArchived: a document a result names, archived, with its
	// SHA-256 (Office.ArchiveDocuments).
	EntryDocumentArchived = "document_archived"
)

// deliveryEntry is a delivery with its receipt; its events are in the
// trail under their result.
type deliveryEntry struct {
	Seq           int          `json:"seq"`
	Method        oke.Method   `json:"method"`
	AssociationID string       `json:"association_id"`
	Body          []byte       `json:"body"`
	Outcome       oke.Outcome  `json:"outcome"`
	Reasons       []oke.Reason `json:"reasons,omitempty"`
}

// sessionReportEntry is a session report: the session's name (in entries
// written before sessions were keyed by executedOfferingName, the
// enrolment's offering id, which no session matches now) and its
// irregularities, empty when there were none.
type sessionReportEntry struct {
	Offering       string `json:"offering"`
	Irregularities string `json:"irregularities"`
}

type mandateEntry struct {
	Actor   string         `json:"actor"`
	Mandate result.Mandate `json:"mandate"`
	Reason  string         `json:"reason,omitempty"`
}

// noticeEntry is a notice sent or failed: the notice due for the event
// Seq of the result (0 in entries from before every change was told,
// which were provisional notices known by their registration).
type noticeEntry struct {
	Result     string    `json:"result"`
	Student    string    `json:"student"`
	Kind       string    `json:"kind"`
	Seq        int       `json:"seq,omitempty"`
	Registered time.Time `json:"registered,omitzero"`
	MessageID  string    `json:"message_id,omitempty"`
	Problem    string    `json:"problem,omitempty"` // why it failed
	// Late: it named an inspection window that had closed when it was sent.
	Late bool `json:"late,omitempty"`
}

// dailyRunEntry is a daily run: what it determined, and the office that
// holds the day until a moment, unless it ends the run before (runEntry).
type dailyRunEntry struct {
	Day        calendar.Date `json:"day"`
	Determined int           `json:"determined"`
	Blocked    int           `json:"blocked"`
	Server     string        `json:"server,omitempty"`
	Until      time.Time     `json:"until,omitzero"`
}

// runEntry is the daily run an office holds (its lease), or ends.
type runEntry struct {
	Server string        `json:"server"`
	Day    calendar.Date `json:"day"`
	Until  time.Time     `json:"until,omitzero"`
}

// entry encodes v as the payload of an entry of the type.
func entry(typ string, at time.Time, role timeline.Role, mandate string, v any) (audit.Entry, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return audit.Entry{}, fmt.Errorf("vaststelling: encoding a %s entry: %w", typ, err)
	}
	return audit.Entry{Type: typ, Time: at, Role: role.String(), Mandate: mandate, Payload: data}, nil
}

// readEntry decodes the payload of an entry record into v.
func readEntry(r *audit.Record, v any) error {
	if r.Erased() {
		return fmt.Errorf("vaststelling: %s entry %d: %w", r.Type, r.Index, audit.ErrErased)
	}
	if err := json.Unmarshal(r.Payload, v); err != nil {
		return fmt.Errorf("vaststelling: %s entry %d: %w: %v", r.Type, r.Index, audit.ErrCorrupt, err)
	}
	return nil
}
