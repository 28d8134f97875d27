package timeline

import (
	"errors"
	"fmt"
	"strings"
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
	var b strings.Builder
	b.Grow(1024)
	messages[lang](&b, &messageData{
		Settings:       s,
		Early:          t.Policy.EarlyDetermination && t.Determined.IsZero(),
		InspectionEnds: longDate(lang, t.InspectionEnds) + t.clock(lang),
		Determination:  longDate(lang, due),
		AppealEnds:     longDate(lang, appealEnds) + t.clock(lang),
	})
	return b.String(), nil
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

type messageData struct {
	Settings
	Early                                     bool
	InspectionEnds, Determination, AppealEnds string
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

// messages write the student message in each language. They are plain
// code rather than templates: the text is fixed by the policy, and a
// template costs ten times as much, which shows when a year's messages
// go out (BenchmarkStudentMessage).
var messages = map[Language]func(b *strings.Builder, d *messageData){
	Dutch: func(b *strings.Builder, d *messageData) {
		b.WriteString("Beste student,\n\nEr is een nieuw resultaat toegevoegd in ")
		b.WriteString(d.KRS)
		b.WriteString(".\n\nHet resultaat is voorlopig tot ")
		b.WriteString(d.Determination)
		if d.Early {
			b.WriteString(", tenzij de examencommissie eerder een besluit neemt vanwege het uitreiken van een diploma of mbo-certificaat. In dat geval wordt het resultaat eerder vastgesteld")
		}
		b.WriteString(".\n\nBen je het niet eens met het voorlopige resultaat? Neem dan uiterlijk ")
		b.WriteString(d.InspectionEnds)
		b.WriteString(" contact op met de examencommissie via ")
		b.WriteString(d.CommitteeAddress)
		b.WriteString(".\n\nNa deze termijn wordt het resultaat op ")
		b.WriteString(d.Determination)
		b.WriteString(" definitief. Vanaf dat moment kun je tot en met ")
		b.WriteString(d.AppealEnds)
		b.WriteString(" in beroep gaan bij de Commissie van Beroep voor de Examens via ")
		b.WriteString(d.AppealsBoardAddress)
		b.WriteString(".\n\nMet vriendelijke groet,\n")
		b.WriteString(d.Institution)
		b.WriteString("\n")
	},
	English: func(b *strings.Builder, d *messageData) {
		b.WriteString("Dear student,\n\nA new result has been added in ")
		b.WriteString(d.KRS)
		b.WriteString(".\n\nThe result is provisional until ")
		b.WriteString(d.Determination)
		if d.Early {
			b.WriteString(", unless the exam committee decides earlier because a diploma or MBO certificate is to be issued; in that case the result is determined earlier")
		}
		b.WriteString(".\n\nDo you disagree with the provisional result? Contact the exam committee at ")
		b.WriteString(d.CommitteeAddress)
		b.WriteString(" no later than ")
		b.WriteString(d.InspectionEnds)
		b.WriteString(".\n\nAfter this term the result becomes final on ")
		b.WriteString(d.Determination)
		b.WriteString(". From then on you can appeal to the Examination Appeals Board (CBE) at ")
		b.WriteString(d.AppealsBoardAddress)
		b.WriteString(" until and including ")
		b.WriteString(d.AppealEnds)
		b.WriteString(".\n\nKind regards,\n")
		b.WriteString(d.Institution)
		b.WriteString("\n")
	},
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
