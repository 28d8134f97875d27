package timeline

import "fmt"

// MessageIn explains the conflict in a sentence a person can act on, in
// Dutch or in English (any other language reads as English). Dates are
// written YYYY-MM-DD in both, as in the reports they appear in.
func (c Conflict) MessageIn(lang Language) string {
	w, n := conflictWords[English], workdays
	if lang == Dutch {
		w, n = conflictWords[Dutch], werkdagen
	}
	switch c.Code {
	case RegisteredLate:
		act := w.registered
		if c.Fact == "delivered" {
			act = w.delivered
		}
		return lateAssessment(w, n, act, c)
	case CheckedLate:
		return lateAssessment(w, n, w.checked, c)
	case RegisteredBeforeExam:
		return fmt.Sprintf(w.beforeExam, c.Actual, c.Rule)
	case DeterminationPostponed:
		return fmt.Sprintf(w.postponed, c.Actual, n(c.Workdays), c.Rule)
	case InspectionCutShort:
		return fmt.Sprintf(w.cutShort, c.Actual, c.Rule)
	case EarlyNotAllowed:
		return fmt.Sprintf(w.earlyNotAllowed, c.Actual)
	case DeterminedBeforeDue:
		return fmt.Sprintf(w.beforeDue, c.Actual, n(-c.Workdays), c.Rule)
	case DeterminedLate:
		return fmt.Sprintf(w.determinedLate, c.Actual, n(c.Workdays), c.Rule)
	case ComplaintLate:
		return fmt.Sprintf(w.complaintLate, c.Actual, c.Rule)
	case AppealLate:
		return fmt.Sprintf(w.appealLate, c.Actual, c.Rule)
	case AppealDecidedLate:
		if c.Workdays <= 0 { // after the term, but within days off
			return fmt.Sprintf(w.decidedLateOff, c.Actual, c.Rule)
		}
		return fmt.Sprintf(w.decidedLate, c.Actual, n(c.Workdays), c.Rule)
	}
	return fmt.Sprintf(w.unknown, c.Code, c.Actual, c.Rule)
}

// conflictText holds a language's sentences, with fmt verbs for the dates
// and the count of working days.
type conflictText struct {
	registered, delivered, checked string // what came in late
	late, lateSameDay, lateOff     string
	beforeExam, postponed          string
	cutShort, earlyNotAllowed      string
	beforeDue, determinedLate      string
	complaintLate, appealLate      string
	decidedLate, decidedLateOff    string
	unknown                        string
}

var conflictWords = map[Language]conflictText{
	English: {
		registered:      "registered",
		delivered:       "delivered",
		checked:         "delivered in time but registered",
		late:            "%s on %s, %s after the assessment term ended on %s",
		lateSameDay:     "%s on %s after the assessment term ended that day",
		lateOff:         "%s on %s, a day off after the assessment term ended on %s",
		beforeExam:      "registered on %s, before the exam on %s",
		postponed:       "the registration rule sets determination on %s, %s after the exam rule's %s",
		cutShort:        "determined early on %s, while inspection and complaint were open until %s",
		earlyNotAllowed: "determined early on %s, but the policy does not allow early determination",
		beforeDue:       "determined on %s without an early decision, %s before its date %s",
		determinedLate:  "determined on %s, %s after its date %s",
		complaintLate:   "complaint lodged on %s, after the inspection window ended at the end of %s",
		appealLate:      "appeal lodged on %s, after the appeal window ended at the end of %s",
		decidedLate:     "appeal decided on %s, %s after the appeals board's term ended on %s",
		decidedLateOff:  "appeal decided on %s, after the appeals board's term ended on %s",
		unknown:         "%s: %s against %s",
	},
	Dutch: {
		registered:      "geregistreerd",
		delivered:       "aangeleverd",
		checked:         "op tijd aangeleverd maar geregistreerd",
		late:            "%s op %s, %s na het einde van de beoordelingstermijn op %s",
		lateSameDay:     "%s op %s, na het einde van de beoordelingstermijn die dag",
		lateOff:         "%s op %s, een vrije dag na het einde van de beoordelingstermijn op %s",
		beforeExam:      "geregistreerd op %s, vóór de afname op %s",
		postponed:       "de registratieregel legt de vaststelling op %s, %s na de datum %s van de afnameregel",
		cutShort:        "vervroegd vastgesteld op %s, terwijl inzage en klacht openstonden tot en met %s",
		earlyNotAllowed: "vervroegd vastgesteld op %s, maar het reglement staat vervroegd vaststellen niet toe",
		beforeDue:       "vastgesteld op %s zonder besluit tot vervroegen, %s vóór de datum %s",
		determinedLate:  "vastgesteld op %s, %s na de datum %s",
		complaintLate:   "klacht ingediend op %s, na het einde van de inzagetermijn aan het eind van %s",
		appealLate:      "beroep ingesteld op %s, na het einde van de beroepstermijn aan het eind van %s",
		decidedLate:     "beroep beslist op %s, %s na het einde van de beslistermijn van de commissie van beroep op %s",
		decidedLateOff:  "beroep beslist op %s, na het einde van de beslistermijn van de commissie van beroep op %s",
		unknown:         "%s: %s tegenover %s",
	},
}

func workdays(n int) string {
	if n == 1 {
		return "1 working day"
	}
	return fmt.Sprintf("%d working days", n)
}

func werkdagen(n int) string {
	if n == 1 {
		return "1 werkdag"
	}
	return fmt.Sprintf("%d werkdagen", n)
}

// lateAssessment words a result that came in after the assessment term:
// on the term's last day after it ended, on a later day off (no working
// day counted, yet a later date), or some working days later.
func lateAssessment(w conflictText, n func(int) string, act string, c Conflict) string {
	switch {
	case c.Actual == c.Rule:
		return fmt.Sprintf(w.lateSameDay, act, c.Actual)
	case c.Workdays == 0:
		return fmt.Sprintf(w.lateOff, act, c.Actual, c.Rule)
	}
	return fmt.Sprintf(w.late, act, c.Actual, n(c.Workdays), c.Rule)
}
