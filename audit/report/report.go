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
// result what arrived and when, the import check, every exception with who
// raised and who closed it under which mandate, inspections, complaints
// and appeals (with the appeals board's extension of its term), the new
// decision a result is after an annulment or a correction, and who
// determined it under which mandate and when, or why it is not determined
// yet; with totals.
//
// [Timeliness] measures the terms of the policy against what happened:
// assessed within the assessment term (the assessor's delivery), checked
// within it (the exam administration's registration of a result delivered
// in time), determined on the determination date (or early by decision),
// complaints and appeals decided by their dates, an appeal by the appeals
// board's term as extended; per result and per month of the exam date. A measure a result has not
// reached yet is pending, never late: pending results whose date has passed
// are counted as overdue, a part of pending. Percentages are of the results
// measured.
//
// [Evaluation] counts a period, a school year or a calendar year: results
// and the new decisions among them, corrections, inspections (apart from
// complaints), complaints and appeals with their outcomes and the appeals
// extended, determinations and exceptions; per programme, per component
// and per month.
//
// # Renderings
//
// Every report renders as JSON (its JSON method; field names in snake_case,
// stable), CSV (WriteCSV: a header row and a row per line item, with
// encoding/csv) and Markdown (WriteMarkdown: a page for people, in English,
// with the Dutch legal terms in brackets). [TimelinessChart] draws the
// timeliness per month as an SVG image, byte for byte the same for the same
// report.
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
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

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

// readTrail reads every record of the store into the histories of the
// results, sorted by result id. Records of no single result (such as a
// drawn sample) are skipped. A record whose payload was erased gives the
// event its header holds.
func readTrail(ctx context.Context, s audit.Store) ([]*history, error) {
	size, err := s.Size(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: reading the trail: %w", err)
	}
	by := map[string]*history{}
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
				continue
			}
			h := by[r.Result]
			if h == nil {
				h = &history{id: r.Result}
				by[r.Result] = h
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
			}
			h.events = append(h.events, e)
			h.records = append(h.records, rec)
		}
	}
	out := make([]*history, 0, len(by))
	for _, h := range by {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b *history) int { return strings.Compare(a.id, b.id) })
	return out, nil
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
