// Package report reads the audit trail (package audit) into the reports the
// exam committee (examencommissie) monitors and accounts with: the
// accountability report of one exam session, the timeliness of the terms,
// and the yearly evaluation. It only reads: every report is a pure
// function of the trail in an [audit.Store] and its arguments, and reads no
// clock.
//
// # The reports
//
// [Accountability] is the session report (zittingsverslag, procesverbaal)
// of one exam session, the offering OKE delivered the results for: per
// result everything that happened to it in the order it happened (what
// arrived and when, the import check, every exception with who raised and
// who closed it under which mandate, inspections, complaints and appeals
// with the appeals board's extension of its term, the determination, a
// correction or an annulment), the new decision a result is after an
// annulment or a correction and the result that replaces one, both ways,
// and who determined it under which mandate and when, or why it is not
// determined yet; the OKE deliveries for the session that the intake
// rejected; with totals.
//
// [Timeliness] measures the terms of the policy against what happened:
// assessed within the assessment term (the assessor's delivery), checked
// within it (the exam administration's registration of a result delivered
// in time), determined on the determination date (or early by decision),
// complaints and appeals decided by their dates, an appeal by the appeals
// board's term as extended; per result and per month of the exam date. A
// measure a result has not reached yet is pending, never late: pending
// results whose date has passed are counted as overdue, a part of pending.
// Percentages are of the results measured. [TimelinessChart] draws it.
//
// [Evaluation] counts a period, a school year ("2026–2027") or a calendar
// year: results and the new decisions among them, the rejected OKE
// deliveries, corrections, annulments and the replaced results still
// awaiting their new decision, inspections (apart from complaints),
// complaints and appeals with their outcomes and the appeals extended,
// determinations and exceptions; per programme, per component and per
// month.
//
// # One model
//
// Every time a report holds and writes is in one zone: the calendar's
// for [Accountability] and [Timeliness], the period's for [Evaluation]
// (make it with [SchoolYear] or [CalendarYear] in the calendar's zone),
// named in the report's time_zone. Dates are civil dates in that zone.
//
// Rejected deliveries are read from the durable delivery log in the trail:
// the entries of type "delivery" (the office's, see the root package) whose
// receipt's outcome is "rejected". A rejected delivery belongs to the
// session of the result its association id names; when no result in the
// trail has that id it is "not traceable to a session", and the reports
// say so: the session report lists such deliveries, the evaluation counts
// them in the total and per month only. A delivery entry whose data was
// erased cannot be placed or judged, and is not counted.
//
// # Renderings
//
// Every report renders as
//
//   - JSON (its JSON method), for machines: keys in snake_case, stable;
//     every list a list ([] when empty, never null); every time in RFC
//     3339 with its zone's offset, dates as YYYY-MM-DD; every code (a
//     state, role, status, outcome, kind of exception, event) with its
//     words beside it under the key with "_words" added, in both languages:
//     "state": "on_hold", "state_words": {"nl": "aangehouden", "en": "on
//     hold"} (see [Words]);
//   - CSV (WriteCSV: a header row and a row per line item, with
//     encoding/csv), for spreadsheets: headers in snake_case and values in
//     the language asked for, dates as YYYY-MM-DD and times in RFC 3339;
//   - Markdown (WriteMarkdown) and one self-contained HTML page
//     (WriteHTML: style and images inline, printable on A4), for people,
//     written once as one document and rendered twice, so that the two
//     say the same.
//
// Every writer takes a language: timeline.Dutch, the zero Language, or
// timeline.English. Everything a report writes for people is in that
// language, without words of the other: headings, labels, the words of the
// codes, and the dates as the exam committee writes them ("ma 1 mrt 2027",
// "Mon 1 Mar 2027"), counts with their nouns in the right plural form
// (through golang.org/x/text: "1 resultaat", "2 resultaten"), percentages
// with the language's decimal sign ("66,7%"). In the HTML every number is
// marked up with the JSON's value (<data value="66.7">66,7%</data>) and
// every date with its ISO form (<time datetime="…">). Another language
// matches [ErrLanguage].
//
// # Erased records
//
// Records whose personal data was erased (AVG, see [audit.Log.Erase]) keep
// their header: type, time, role, mandate and states. The accountability
// report shows what the headers say and marks the result erased; a result
// whose delivered record was erased cannot be placed in a session and is
// listed as unplaced. The timeliness report and the evaluation leave erased
// results out, and list them.
//
// # Percentages
//
// A percentage is computed in integers from its two counts and rounded half
// up to one decimal ([Percent]): no floating point, so that 2 of 3 is
// always "66.7", and a percentage of nothing is empty, never "NaN".
package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/result"
)

// Who is an actor as a report names them: an id and a role. The zero Who
// is nobody (an event whose actor was erased has only its role).
type Who struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

func who(a result.Actor) Who { return Who{ID: a.ID, Role: a.Role.String()} }

// IsZero reports whether w names nobody.
func (w Who) IsZero() bool { return w == Who{} }

// String returns "adm-1 (exam_administration)", the role alone when the id
// was erased, or "" for nobody.
func (w Who) String() string {
	switch {
	case w.IsZero():
		return ""
	case w.ID == "":
		return "(" + w.Role + ")"
	case w.Role == "":
		return w.ID
	}
	return w.ID + " (" + w.Role + ")"
}

// Percent returns n of of as a percentage, rounded half up to one decimal
// and computed in integers: Percent(2, 3) is "66.7", Percent(1, 8) is
// "12.5", Percent(3, 3) is "100.0". It returns "" when of is not positive
// (a percentage of nothing) or n is negative.
func Percent(n, of int) string {
	if of <= 0 || n < 0 {
		return ""
	}
	tenths := (int64(n)*2000 + int64(of)) / (2 * int64(of)) // n·1000/of, rounded half up
	return strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10)
}

// batch is how many records a report reads at a time.
const batch = 4096

// A history is one result's trail: its events in the order of the log,
// each with the delivered record as it stood after the event.
type history struct {
	id      string
	events  []result.Event
	records []result.Record // records[i]: the last delivered record up to events[i]; zero before any
	erased  bool            // some record's payload was erased: its event holds only the header
}

// delivered reports whether an intact delivery names the result's record.
func (h *history) delivered() bool { return len(h.records) > 0 && h.records[len(h.records)-1].ID != "" }

// record returns the result's last delivered record.
func (h *history) record() result.Record {
	if len(h.records) == 0 {
		return result.Record{}
	}
	return h.records[len(h.records)-1]
}

// A trail is what a report reads from the store: the results' histories,
// sorted by result id, and the rejected deliveries of the delivery log.
type trail struct {
	histories  []*history
	byID       map[string]*history
	successors map[string]string // result id → the result received to replace it
	rejected   []RejectedDelivery
}

// session returns the session (offering) of the result with the id, and
// whether the trail holds such a result with a readable record.
func (t *trail) session(id string) (string, bool) {
	h := t.byID[id]
	if h == nil || !h.delivered() {
		return "", false
	}
	return h.record().Offering, true
}

// received reports whether the trail holds the result with the id.
func (t *trail) received(id string) bool { return t.byID[id] != nil }

// entryDelivery is the type of the entries of the delivery log in the
// trail: an OKE delivery with its receipt, which the office writes for
// every delivery, rejected ones too.
const entryDelivery = "delivery"

// deliveryEntry is what a report reads of a delivery entry's payload.
type deliveryEntry struct {
	Method        string `json:"method"`
	AssociationID string `json:"association_id"`
	Outcome       string `json:"outcome"`
	Reasons       []struct {
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"reasons"`
}

// outcomeRejected is the outcome of a delivery the intake refused (oke.Rejected).
const outcomeRejected = "rejected"

// readTrail reads every record of the store into the histories of the
// results, and the delivery entries into the rejected deliveries. Other
// records of no single result (such as a drawn sample) are skipped. A
// record whose payload was erased gives the event its header holds.
func readTrail(ctx context.Context, s audit.Store) (*trail, error) {
	size, err := s.Size(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: reading the trail: %w", err)
	}
	t := &trail{byID: map[string]*history{}, successors: map[string]string{}, rejected: []RejectedDelivery{}}
	for from := int64(0); from < size; from += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		records, err := s.Records(ctx, from, min(from+batch, size))
		if err != nil {
			return nil, fmt.Errorf("report: reading the trail: %w", err)
		}
		for i := range records {
			r := &records[i]
			if r.Result == "" {
				if r.Type == entryDelivery {
					if err := t.delivery(r); err != nil {
						return nil, err
					}
				}
				continue
			}
			h := t.byID[r.Result]
			if h == nil {
				h = &history{id: r.Result}
				t.byID[r.Result] = h
			}
			e, err := r.Event()
			switch {
			case errors.Is(err, audit.ErrErased):
				h.erased = true
				e = headerEvent(r)
			case err != nil:
				return nil, fmt.Errorf("report: %w", err)
			}
			rec := h.record()
			if e.Record != nil {
				rec = *e.Record
				if rec.Supersedes != "" && e.Type == result.EventReceived {
					t.successors[rec.Supersedes] = rec.ID
				}
			}
			h.events = append(h.events, e)
			h.records = append(h.records, rec)
		}
	}
	t.histories = make([]*history, 0, len(t.byID))
	for _, h := range t.byID {
		t.histories = append(t.histories, h)
	}
	slices.SortFunc(t.histories, func(a, b *history) int { return strings.Compare(a.id, b.id) })
	return t, nil
}

// delivery reads a delivery entry, keeping it when it was rejected.
func (t *trail) delivery(r *audit.Record) error {
	if r.Erased() {
		return nil
	}
	var e deliveryEntry
	if err := json.Unmarshal(r.Payload, &e); err != nil {
		return fmt.Errorf("report: delivery entry %d: %w: %v", r.Index, audit.ErrCorrupt, err)
	}
	if e.Outcome != outcomeRejected {
		return nil
	}
	d := RejectedDelivery{At: r.Time, AssociationID: e.AssociationID, Method: e.Method, Reasons: []RejectionReason{}}
	for _, x := range e.Reasons {
		d.Reasons = append(d.Reasons, RejectionReason{Code: x.Code, Field: x.Field, Message: x.Message})
	}
	t.rejected = append(t.rejected, d)
	return nil
}

// A RejectedDelivery is an OKE delivery the intake rejected: when it
// arrived, for which association (the id of the result it was for), by
// which method (PATCH or PUT), and every reason.
type RejectedDelivery struct {
	At            time.Time         `json:"at"`
	AssociationID string            `json:"association_id"`
	Method        string            `json:"method"`
	Reasons       []RejectionReason `json:"reasons"`
}

// A RejectionReason is one of a rejected delivery's reasons: a code (an
// oke.Code, such as "missing_field"), the field, and the intake's message
// to the sender.
type RejectionReason struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// in returns the delivery with its time in loc.
func (d RejectedDelivery) in(loc *time.Location) RejectedDelivery {
	d.At = in(d.At, loc)
	d.Reasons = slices.Clone(d.Reasons)
	return d
}

// headerEvent is the event a record's header holds once its payload was
// erased: no actor id, reason or data.
func headerEvent(r *audit.Record) result.Event {
	e := result.Event{Result: r.Result, Seq: r.Seq, Type: result.EventType(r.Type), At: r.Time, Mandate: r.Mandate}
	// The header was verified when it was written; a value that does not
	// parse stays zero rather than fail a report of what can be read.
	_ = e.Actor.Role.UnmarshalText([]byte(r.Role))
	_ = e.From.UnmarshalText([]byte(r.From))
	_ = e.To.UnmarshalText([]byte(r.To))
	return e
}
