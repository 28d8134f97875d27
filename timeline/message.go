package timeline

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
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
	err = messages[lang].Execute(&b, messageData{
		Settings:       s,
		Early:          t.Policy.EarlyDetermination && t.Determined.IsZero(),
		InspectionEnds: longDate(lang, t.InspectionEnds) + t.clock(lang),
		Determination:  longDate(lang, due),
		AppealEnds:     longDate(lang, appealEnds) + t.clock(lang),
	})
	if err != nil {
		return "", fmt.Errorf("timeline: %w: %w", ErrMessage, err)
	}
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
	end := t.cal.Config().DayEnds
	if end == 24*time.Hour {
		return ""
	}
	h, m := int(end/time.Hour), int(end%time.Hour/time.Minute)
	if lang == Dutch {
		return fmt.Sprintf(" om %02d.%02d uur", h, m)
	}
	return fmt.Sprintf(" at %02d:%02d", h, m)
}

var messages = map[Language]*template.Template{
	Dutch: template.Must(template.New("nl").Parse(`Beste student,

Er is een nieuw resultaat toegevoegd in {{.KRS}}.

Het resultaat is voorlopig tot {{.Determination}}
{{- if .Early}}, tenzij de examencommissie eerder een besluit neemt vanwege het uitreiken van een diploma of mbo-certificaat. In dat geval wordt het resultaat eerder vastgesteld{{end}}.

Ben je het niet eens met het voorlopige resultaat? Neem dan uiterlijk {{.InspectionEnds}} contact op met de examencommissie via {{.CommitteeAddress}}.

Na deze termijn wordt het resultaat op {{.Determination}} definitief. Vanaf dat moment kun je tot en met {{.AppealEnds}} in beroep gaan bij de Commissie van Beroep voor de Examens via {{.AppealsBoardAddress}}.

Met vriendelijke groet,
{{.Institution}}
`)),
	English: template.Must(template.New("en").Parse(`Dear student,

A new result has been added in {{.KRS}}.

The result is provisional until {{.Determination}}
{{- if .Early}}, unless the exam committee decides earlier because a diploma or MBO certificate is to be issued; in that case the result is determined earlier{{end}}.

Do you disagree with the provisional result? Contact the exam committee at {{.CommitteeAddress}} no later than {{.InspectionEnds}}.

After this term the result becomes final on {{.Determination}}. From then on you can appeal to the Examination Appeals Board (CBE) at {{.AppealsBoardAddress}} until and including {{.AppealEnds}}.

Kind regards,
{{.Institution}}
`)),
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
