package timeline

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// Settings are the institution's details that a student message names.
type Settings struct {
	Institution         string // signs the message, for example "Examencommissie ROC Voorbeeld"
	KRS                 string // the student information system, for example "Eduarte"
	CommitteeAddress    string // where to contact the exam committee, such as an e-mail address
	AppealsBoardAddress string // where to lodge an appeal with the appeals board (CBE)
}

// A Language is the language of a student message.
type Language string

// The languages of the student message.
const (
	Dutch   Language = "nl"
	English Language = "en"
)

// ParseLanguage reads "nl" or "en".
func ParseLanguage(s string) (Language, error) {
	if _, ok := messages[Language(s)]; !ok {
		return "", fmt.Errorf("timeline: %w: unknown language %q; want nl or en", ErrMessage, s)
	}
	return Language(s), nil
}

// ErrMessage: a student message cannot be written, for want of a setting,
// a registration or a known language.
var ErrMessage = errors.New("cannot write the student message")

// StudentMessage writes the message the policy sends a student when a
// provisional result is registered (DOMAIN.md, "The student message"), with
// this result's dates in long form ("dinsdag 5 januari 2027") and the
// institution's addresses. Before determination it tells the ordinary
// course: determination on DeterminationDue and the appeal window after it;
// once determined, the real dates.
//
// StudentMessage does not say what the result is: it stays for tools that
// have no result to name. What an office sends the student is
// [Timeline.Message], of this kind (MessageProvisional) and of every later
// change, which names the result.
func (t *Timeline) StudentMessage(lang Language, s Settings) (string, error) {
	if _, err := ParseLanguage(string(lang)); err != nil {
		return "", err
	}
	if err := s.Validate(); err != nil {
		return "", err
	}
	if t.Registered.IsZero() {
		return "", fmt.Errorf("timeline: result %s: %w: it is not registered", t.Result, ErrMessage)
	}
	// Before determination the message tells the ordinary course; once
	// determined, what happened.
	due, appealEnds, err := t.studentDates()
	if err != nil {
		return "", err
	}
	return messages[lang].string(&messageData{
		Settings:       s,
		Lang:           lang,
		Early:          t.Policy.EarlyDetermination && t.Determined.IsZero(),
		InspectionEnds: t.InspectionEnds,
		Determination:  due,
		AppealEnds:     appealEnds,
		Clock:          t.clock(lang),
	}), nil
}

// Validate reports the settings a student message needs but s lacks.
func (s Settings) Validate() error {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"Institution", s.Institution}, {"KRS", s.KRS},
		{"CommitteeAddress", s.CommitteeAddress}, {"AppealsBoardAddress", s.AppealsBoardAddress},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("timeline: %w: setting %s is empty", ErrMessage, missing[0])
	}
	return fmt.Errorf("timeline: %w: settings %s are empty", ErrMessage, strings.Join(missing, ", "))
}

// messageData is what a message says of its result: the dates are written
// out (longDate) as the message is.
type messageData struct {
	Settings
	Lang                                      Language
	Early                                     bool
	InspectionEnds, Determination, AppealEnds calendar.Date
	Clock                                     string // when a term's last day ends, if not at midnight

	// What [Timeline.Message] says besides, in the message's language.
	Result, Previous string        // the result, and the one it replaced
	Outcome          string        // the decision's outcome in words, such as "ongegrond verklaard"
	Reason           string        // the decision's reason, quoted
	On               calendar.Date // the day the change happened
	Determined       bool          // the result is determined
	CutShort         bool          // an early determination fell inside the inspection window
	StillOpen        bool          // the inspection window is still open on On
	// AgainstInvalidation: the appeal decided was against the exam
	// committee's invalidation of the result, on Invalidated.
	AgainstInvalidation bool
	Invalidated         calendar.Date
}

// clock names the time a working day ends, when it is not midnight.
func (t *Timeline) clock(lang Language) string {
	end := t.cal.DayEnds()
	if end == 24*time.Hour {
		return ""
	}
	h, m := int(end/time.Hour), int(end%time.Hour/time.Minute)
	if lang == Dutch {
		return fmt.Sprintf(" om %02d.%02d uur", h, m)
	}
	return fmt.Sprintf(" at %02d:%02d", h, m)
}

// A text is the student message in one language: literal text and, in
// between, the pieces of the result's data, in order. The messages are
// data rather than templates: the text is fixed by the policy, and a
// template costs over ten times as much to write out, which shows when a
// year's messages go out (BenchmarkStudentMessage).
type text []piece

// A piece is literal text, or what the result's data gives.
type piece struct {
	literal string
	of      func(b []byte, d *messageData) []byte // appends it
}

// string writes the message out for the data into a reused buffer, and
// returns it in one allocation of exactly its length: a year's two
// million messages are most of what the daily runs allocate.
func (t text) string(d *messageData) string {
	buf := messageBuffers.Get().(*[]byte)
	b := (*buf)[:0]
	b = t.append(b, d)
	s := string(b)
	*buf = b
	messageBuffers.Put(buf)
	return s
}

var messageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// append appends the message for the data to b.
func (t text) append(b []byte, d *messageData) []byte {
	for _, p := range t {
		if p.of != nil {
			b = p.of(b, d)
		} else {
			b = append(b, p.literal...)
		}
	}
	return b
}

// join puts texts one after the other, with neighbouring literals made
// one, so that a text built of parts writes as fast as one written whole.
func join(parts ...text) text {
	var out text
	for _, part := range parts {
		for _, p := range part {
			if n := len(out); p.of == nil && n > 0 && out[n-1].of == nil {
				out[n-1].literal += p.literal
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// when is a piece that is the text then when cond holds of the data, else
// the text otherwise (which may be nil).
func when(cond func(d *messageData) bool, then, otherwise text) piece {
	then, otherwise = join(then), join(otherwise)
	return piece{of: func(b []byte, d *messageData) []byte {
		if cond(d) {
			return then.append(b, d)
		}
		return otherwise.append(b, d)
	}}
}

// field is a piece that is a text of the data.
func field(f func(d *messageData) string) piece {
	return piece{of: func(b []byte, d *messageData) []byte { return append(b, f(d)...) }}
}

// datePiece is a piece that is a date of the data in long form, with the
// clock when clocked.
func datePiece(f func(d *messageData) calendar.Date, clocked bool) piece {
	return piece{of: func(b []byte, d *messageData) []byte {
		b = appendLongDate(b, d.Lang, f(d))
		if clocked {
			b = append(b, d.Clock...)
		}
		return b
	}}
}

var (
	krsName          = field(func(d *messageData) string { return d.KRS })
	determination    = datePiece(func(d *messageData) calendar.Date { return d.Determination }, false)
	inspectionEnds   = datePiece(func(d *messageData) calendar.Date { return d.InspectionEnds }, true)
	committeeAddress = field(func(d *messageData) string { return d.CommitteeAddress })
	appealEnds       = datePiece(func(d *messageData) calendar.Date { return d.AppealEnds }, true)
	boardAddress     = field(func(d *messageData) string { return d.AppealsBoardAddress })
	institution      = field(func(d *messageData) string { return d.Institution })
)

// ifEarly is the clause said only when early determination is possible.
func ifEarly(clause string) piece {
	return field(func(d *messageData) string {
		if d.Early {
			return clause
		}
		return ""
	})
}

func literal(s string) piece { return piece{literal: s} }

// The closing of every message, and the provisional result's terms, which
// [Timeline.StudentMessage] and [Timeline.Message] share.
var (
	closing = map[Language]text{
		Dutch:   {literal("\n\nMet vriendelijke groet,\n"), institution, literal("\n")},
		English: {literal("\n\nKind regards,\n"), institution, literal("\n")},
	}
	provisionalTerms = map[Language]text{
		Dutch: {literal("\n\nHet resultaat is voorlopig tot "), determination,
			ifEarly(", tenzij de examencommissie eerder een besluit neemt vanwege het uitreiken van een diploma of mbo-certificaat. In dat geval wordt het resultaat eerder vastgesteld"),
			literal(".\n\nBen je het niet eens met het voorlopige resultaat? Neem dan uiterlijk "), inspectionEnds,
			literal(" contact op met de examencommissie via "), committeeAddress,
			literal(".\n\nNa deze termijn wordt het resultaat op "), determination,
			literal(" definitief. Vanaf dat moment kun je tot en met "), appealEnds,
			literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")},
		English: {literal("\n\nThe result is provisional until "), determination,
			ifEarly(", unless the exam committee decides earlier because a diploma or MBO certificate is to be issued; in that case the result is determined earlier"),
			literal(".\n\nDo you disagree with the provisional result? Contact the exam committee at "), committeeAddress,
			literal(" no later than "), inspectionEnds,
			literal(".\n\nAfter this term the result becomes final on "), determination,
			literal(". From then on you can appeal to the Examination Appeals Board (CBE) at "), boardAddress,
			literal(" until and including "), appealEnds, literal(".")},
	}
)

// messages are the texts of [Timeline.StudentMessage]: the provisional
// message that does not say what the result is.
var messages = map[Language]text{
	Dutch: join(text{literal("Beste student,\n\nEr is een nieuw resultaat toegevoegd in "), krsName, literal(".")},
		provisionalTerms[Dutch], closing[Dutch]),
	English: join(text{literal("Dear student,\n\nA new result has been added in "), krsName, literal(".")},
		provisionalTerms[English], closing[English]),
}

// studentDates returns the determination date and the last day of appeal
// that [Timeline.StudentMessage] names: before determination,
// DeterminationDue and AppealTerm working days after it; once determined,
// the date of determination and AppealEnds.
func (t *Timeline) studentDates() (determination, appealEnds calendar.Date, err error) {
	if !t.Determined.IsZero() {
		return t.Determined, t.AppealEnds, nil
	}
	appealEnds, err = t.cal.AddWorkdays(t.DeterminationDue, t.Policy.AppealTerm)
	if err != nil {
		return calendar.Date{}, calendar.Date{}, fmt.Errorf("timeline: result %s: %w: %w", t.Result, ErrMessage, err)
	}
	return t.DeterminationDue, appealEnds, nil
}
