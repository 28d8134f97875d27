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

// ErrMessage: a student message cannot be written, for want of a setting,
// a registration or a known language.
var ErrMessage = errors.New("cannot write the student message")

// StudentMessage writes the message the policy sends a student when a
// provisional result is registered (DOMAIN.md, "The student message"), with
// this result's dates in long form ("dinsdag 5 januari 2027") and the
// institution's addresses. The appeal date assumes determination on
// DeterminationDue.
func (t *Timeline) StudentMessage(lang Language, s Settings) (string, error) {
	tmpl, ok := messages[lang]
	if !ok {
		return "", fmt.Errorf("timeline: %w: unknown language %q; want nl or en", ErrMessage, lang)
	}
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"Institution", s.Institution}, {"KRS", s.KRS},
		{"CommitteeAddress", s.CommitteeAddress}, {"AppealsBoardAddress", s.AppealsBoardAddress},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("timeline: %w: settings %s are empty", ErrMessage, strings.Join(missing, ", "))
	}
	if t.Registered.IsZero() {
		return "", fmt.Errorf("timeline: result %s: %w: it is not registered", t.Result, ErrMessage)
	}
	due := t.DeterminationDue
	if t.Binding == Early {
		due = maxDate(t.ExamRule, t.RegistrationRule) // the message tells the ordinary course
	}
	appealEnds, err := t.cal.AddWorkdays(due, t.Policy.AppealTerm)
	if err != nil {
		return "", fmt.Errorf("timeline: result %s: %w: %w", t.Result, ErrMessage, err)
	}
	var b strings.Builder
	err = tmpl.Execute(&b, messageData{
		Settings:       s,
		Early:          t.Policy.EarlyDetermination,
		InspectionEnds: longDate(lang, t.InspectionEnds) + t.clock(lang),
		Determination:  longDate(lang, due),
		AppealEnds:     longDate(lang, appealEnds) + t.clock(lang),
	})
	if err != nil {
		return "", fmt.Errorf("timeline: %w: %w", ErrMessage, err)
	}
	return b.String(), nil
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

func maxDate(a, b calendar.Date) calendar.Date {
	if a.After(b) {
		return a
	}
	return b
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
