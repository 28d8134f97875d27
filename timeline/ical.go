package timeline

import (
	"bytes"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/krs-oke/vaststelling/calendar"
)

// The iCalendar product identifier (RFC 5545 section 3.7.3) of [Timeline.ICS].
const icsProdID = "-//krs-oke//vaststelling//NL"

// ICS writes the deadlines of the result that matter to the student as an
// iCalendar object (RFC 5545) with CRLF line endings: a VCALENDAR with
// METHOD:PUBLISH and one all-day VEVENT for each of
//
//   - the last day of inspection and complaint (InspectionEnds), UID
//     "<result>-inspection@<uidDomain>";
//   - the determination date, UID "<result>-determination@<uidDomain>":
//     DeterminationDue, or the date of determination once determined;
//   - the last day of appeal, UID "<result>-appeal@<uidDomain>": AppealEnds
//     once determined, else AppealTerm working days after DeterminationDue,
//     the dates [Timeline.StudentMessage] names.
//
// Each event runs from its date (DTSTART;VALUE=DATE) to the next day
// (DTEND, exclusive), is transparent to free/busy time, and has a Dutch
// and English SUMMARY ("Dutch / English") and DESCRIPTION that name the
// address to contact and say that a window lasts until the end of that
// working day, with the hour when the calendar's day ends before midnight.
// DTSTAMP is stamp in UTC; a later stamp with the same UIDs updates the
// events (RFC 5546 section 2.1.5). When the CommitteeAddress is an e-mail
// address it is the ORGANIZER, which RFC 5546 asks of a PUBLISH.
//
// TEXT values are escaped (RFC 5545 section 3.3.11) and lines folded at 75
// octets without splitting a UTF-8 sequence (section 3.1).
//
// A result that is not registered, has no id, an empty uidDomain, a zero
// stamp or settings that fail [Settings.Validate] match ErrMessage.
//
// [Timeline.CalendarUpdate] writes the same events, with the same UIDs,
// after each later change of the result.
func (t *Timeline) ICS(s Settings, uidDomain string, stamp time.Time) ([]byte, error) {
	if err := t.checkCalendar(s, uidDomain, stamp, false); err != nil {
		return nil, err
	}
	events, err := t.deadlines(s)
	if err != nil {
		return nil, err
	}
	return writeCalendar(t.Result, s, uidDomain, stamp, -1, events), nil
}

// checkCalendar checks what every calendar of the result needs: the
// settings, a registration unless unregistered allows none, the result's
// id and the UID domain, a stamp.
func (t *Timeline) checkCalendar(s Settings, uidDomain string, stamp time.Time, unregistered bool) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if t.Registered.IsZero() && !unregistered {
		return fmt.Errorf("timeline: result %s: %w: it is not registered", t.Result, ErrMessage)
	}
	if strings.TrimSpace(t.Result) == "" {
		return fmt.Errorf("timeline: %w: the result has no id for the events' UIDs", ErrMessage)
	}
	if strings.TrimSpace(uidDomain) == "" {
		return fmt.Errorf("timeline: result %s: %w: the UID domain is empty", t.Result, ErrMessage)
	}
	if stamp.IsZero() {
		return fmt.Errorf("timeline: result %s: %w: the DTSTAMP is zero", t.Result, ErrMessage)
	}
	return nil
}

// writeCalendar writes the events of the result as an iCalendar object
// with METHOD:PUBLISH; a sequence of 0 or more is each event's SEQUENCE,
// a negative one writes none (the events' first version).
func writeCalendar(result string, s Settings, uidDomain string, stamp time.Time, sequence int, events []deadline) []byte {
	var w icsWriter
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:" + icsProdID)
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	organizer := icsOrganizer(s)
	dtstamp := stamp.UTC().Format("20060102T150405Z")
	for _, e := range events {
		w.line("BEGIN:VEVENT")
		w.line("UID:" + escapeText(result+"-"+e.what+"@"+uidDomain))
		w.line("DTSTAMP:" + dtstamp)
		if sequence >= 0 {
			w.line("SEQUENCE:" + strconv.Itoa(sequence))
		}
		w.line("DTSTART;VALUE=DATE:" + icsDate(e.day))
		w.line("DTEND;VALUE=DATE:" + icsDate(e.day.AddDays(1)))
		w.line("SUMMARY:" + escapeText(e.summary))
		w.line("DESCRIPTION:" + escapeText(e.description))
		if organizer != "" {
			w.line(organizer)
		}
		if e.cancelled {
			w.line("STATUS:CANCELLED")
		}
		w.line("TRANSP:TRANSPARENT")
		w.line("END:VEVENT")
	}
	w.line("END:VCALENDAR")
	return w.b.Bytes()
}

// The summaries of the student's events.
var (
	inspectionSummary = Words{"Laatste dag voor inzage en klacht", "Last day for inspection and complaint"}
	dueSummary        = Words{"Resultaat wordt definitief", "Result becomes final"}
	determinedSummary = Words{"Resultaat definitief vastgesteld", "Result determined"}
	appealSummary     = Words{"Laatste dag om in beroep te gaan", "Last day to appeal"}
)

// slashed writes the words as a SUMMARY has them: "Dutch / English".
func (w Words) slashed() string { return w.Dutch + " / " + w.English }

// A deadline is one event of the student's calendar.
type deadline struct {
	what        string // in the UID: inspection, determination or appeal
	day         calendar.Date
	summary     string // Dutch " / " English
	description string // Dutch, a blank line, English
	cancelled   bool   // the deadline no longer applies: STATUS:CANCELLED
}

// deadlines returns the student's events in a fixed order.
func (t *Timeline) deadlines(s Settings) ([]deadline, error) {
	due, appealEnds, err := t.studentDates()
	if err != nil {
		return nil, err
	}
	determined := !t.Determined.IsZero()
	both := func(nl, en string) string { return nl + "\n\n" + en }
	nl, en := func(d calendar.Date) string { return longDate(Dutch, d) }, func(d calendar.Date) string { return longDate(English, d) }

	inspection := deadline{what: "inspection", day: t.InspectionEnds,
		summary: inspectionSummary.slashed(),
		description: both(
			fmt.Sprintf("Ben je het niet eens met het voorlopige resultaat in %s? Neem dan uiterlijk %s contact op met de examencommissie via %s, tot het einde van die werkdag%s.",
				s.KRS, nl(t.InspectionEnds), s.CommitteeAddress, t.clock(Dutch)),
			fmt.Sprintf("Do you disagree with the provisional result in %s? Contact the exam committee at %s no later than %s, until the end of that working day%s.",
				s.KRS, s.CommitteeAddress, en(t.InspectionEnds), t.clock(English))),
	}

	determination := deadline{what: "determination", day: due}
	appealNL := fmt.Sprintf("Vanaf dat moment kun je tot en met %s%s in beroep gaan bij de Commissie van Beroep voor de Examens via %s.",
		nl(appealEnds), t.clock(Dutch), s.AppealsBoardAddress)
	appealEN := fmt.Sprintf("From then on you can appeal to the Examination Appeals Board (CBE) at %s until and including %s%s.",
		s.AppealsBoardAddress, en(appealEnds), t.clock(English))
	if determined {
		determination.summary = determinedSummary.slashed()
		determination.description = both(
			fmt.Sprintf("Op %s is het resultaat in %s definitief vastgesteld. %s", nl(due), s.KRS, appealNL),
			fmt.Sprintf("On %s the result in %s was determined and became final. %s", en(due), s.KRS, appealEN))
	} else {
		var earlyNL, earlyEN string
		if t.Policy.EarlyDetermination {
			earlyNL = ", tenzij de examencommissie eerder een besluit neemt vanwege het uitreiken van een diploma of mbo-certificaat"
			earlyEN = ", unless the exam committee decides earlier because a diploma or MBO certificate is to be issued"
		}
		determination.summary = dueSummary.slashed()
		determination.description = both(
			fmt.Sprintf("Op %s wordt het voorlopige resultaat in %s definitief%s. %s", nl(due), s.KRS, earlyNL, appealNL),
			fmt.Sprintf("On %s the provisional result in %s becomes final%s. %s", en(due), s.KRS, earlyEN, appealEN))
	}

	appealDescNL := fmt.Sprintf("Ben je het niet eens met het definitieve resultaat in %s? Ga dan uiterlijk %s in beroep bij de Commissie van Beroep voor de Examens via %s, tot het einde van die werkdag%s.",
		s.KRS, nl(appealEnds), s.AppealsBoardAddress, t.clock(Dutch))
	appealDescEN := fmt.Sprintf("Do you disagree with the final result in %s? Appeal to the Examination Appeals Board (CBE) at %s no later than %s, until the end of that working day%s.",
		s.KRS, s.AppealsBoardAddress, en(appealEnds), t.clock(English))
	if !determined {
		appealDescNL += fmt.Sprintf(" Deze datum geldt als het resultaat op %s definitief wordt.", nl(due))
		appealDescEN += fmt.Sprintf(" This date holds if the result becomes final on %s.", en(due))
	}
	appeal := deadline{what: "appeal", day: appealEnds,
		summary:     appealSummary.slashed(),
		description: both(appealDescNL, appealDescEN),
	}
	return []deadline{inspection, determination, appeal}, nil
}

// icsOrganizer returns the ORGANIZER property when the committee address
// is an ASCII e-mail address, with the institution as common name; else "".
func icsOrganizer(s Settings) string {
	a, err := mail.ParseAddress(s.CommitteeAddress)
	if err != nil {
		return ""
	}
	var uri strings.Builder
	uri.WriteString("mailto:")
	for i := 0; i < len(a.Address); i++ {
		c := a.Address[i]
		if c >= utf8.RuneSelf {
			return ""
		}
		// RFC 3986 pchar; anything else is percent-encoded (RFC 6068).
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0 {
			uri.WriteByte(c)
		} else {
			fmt.Fprintf(&uri, "%%%02X", c)
		}
	}
	return "ORGANIZER;CN=" + quoteParam(s.Institution) + ":" + uri.String()
}

// quoteParam writes a parameter value as a quoted-string (RFC 5545 section
// 3.1), with a double quote, a line break and a caret written as in RFC
// 6868 and other control characters left out.
func quoteParam(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '^':
			b.WriteString("^^")
		case c == '"':
			b.WriteString("^'")
		case c == '\n':
			b.WriteString("^n")
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case c == '\r':
			b.WriteString("^n")
		case c < ' ' && c != '\t' || c == 0x7f:
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// escapeText escapes a TEXT value (RFC 5545 section 3.3.11): a backslash,
// semicolon and comma are preceded by a backslash, a line break (LF, CRLF
// or CR) becomes \n, and other control characters but the tab, which a
// TEXT value cannot hold, are left out.
func escapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == ';' || c == ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case c == '\r':
			b.WriteString(`\n`)
		case c < ' ' && c != '\t' || c == 0x7f:
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func icsDate(d calendar.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
}

// icsMaxLine is the longest content line, in octets without the CRLF
// (RFC 5545 section 3.1).
const icsMaxLine = 75

// icsWriter writes content lines, folded.
type icsWriter struct{ b bytes.Buffer }

// line writes one content line, folded into lines of at most 75 octets:
// each fold is a CRLF followed by a space, before a UTF-8 sequence begins.
func (w *icsWriter) line(s string) {
	limit := icsMaxLine
	for len(s) > limit {
		i := limit
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		w.b.WriteString(s[:i])
		w.b.WriteString("\r\n ")
		s = s[i:]
		limit = icsMaxLine - 1 // the space counts
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}
