package result

import (
	"strings"

	"github.com/krs-oke/vaststelling/timeline"
)

// Words says what the result is, as a student reads it, in Dutch and in
// English: the grade ("7,5" and "7.5"; "voldoende" and "satisfactory"),
// or, for a result without a grade, what the attendance says ("niet
// verschenen (geen cijfer)"). It is empty when nothing can be said, such
// as for an attendance that is not known: such a result is never told.
func (r *Record) Words() timeline.Words { return GradeWords(r.Grade, r.Attendance) }

// GradeWords says what a grade is, or without one what the attendance
// means, in Dutch and English (see Record.Words).
func GradeWords(g Grade, a Attendance) timeline.Words {
	if !g.IsZero() {
		en := g.String()
		switch g.Scale() {
		case Decimal0To10:
			return timeline.Words{Dutch: strings.Replace(en, ".", ",", 1), English: en}
		case PassFail:
			return timeline.Words{Dutch: map[string]string{"passed": "behaald", "failed": "niet behaald"}[en], English: en}
		case InsufficientSatisfactoryGood:
			return timeline.Words{Dutch: ordinals[g.scale][g.v][2], English: en}
		}
		return timeline.Words{Dutch: en, English: en}
	}
	return attendanceWords[a]
}

var attendanceWords = map[Attendance]timeline.Words{
	NotPresent:  {Dutch: "niet verschenen (geen cijfer)", English: "absent (no grade)"},
	NotStarted:  {Dutch: "aanwezig, niet begonnen (geen cijfer)", English: "present, did not start (no grade)"},
	NotFinished: {Dutch: "niet afgemaakt of niet ingeleverd (geen cijfer)", English: "did not finish or hand in (no grade)"},
}

var stateWords = map[State]timeline.Words{
	None: {Dutch: "niet ontvangen", English: "not received"}, Received: {Dutch: "ontvangen", English: "received"},
	Provisional: {Dutch: "voorlopig", English: "provisional"}, OnHold: {Dutch: "aangehouden", English: "on hold"},
	Final: {Dutch: "definitief", English: "final"}, UnderAppeal: {Dutch: "in beroep", English: "under appeal"},
	Superseded: {Dutch: "vervangen", English: "superseded"}, Annulled: {Dutch: "vernietigd", English: "annulled"},
	Invalidated: {Dutch: "ongeldig verklaard", English: "invalidated"}, Rejected: {Dutch: "geweigerd", English: "rejected"},
}

// Words returns the state in words, such as "aangehouden" / "on hold".
func (s State) Words() timeline.Words { return wordsOr(stateWords, s, s.String()) }

var actionWords = map[Action]timeline.Words{
	Receive: {Dutch: "ontvangen", English: "receive"}, Redeliver: {Dutch: "opnieuw aanleveren", English: "re-deliver"},
	Reject: {Dutch: "weigeren", English: "reject"}, Register: {Dutch: "registreren", English: "register"},
	RaiseException:    {Dutch: "uitzondering melden", English: "raise an exception"},
	ResolveException:  {Dutch: "uitzondering afhandelen", English: "resolve an exception"},
	RequestInspection: {Dutch: "inzage aanvragen", English: "request inspection"},
	GrantInspection:   {Dutch: "inzage verlenen", English: "grant inspection"},
	LodgeComplaint:    {Dutch: "klacht indienen", English: "lodge a complaint"},
	DecideComplaint:   {Dutch: "klacht beslissen", English: "decide the complaint"},
	Determine:         {Dutch: "vaststellen", English: "determine"},
	DetermineEarly:    {Dutch: "vervroegd vaststellen", English: "determine early"},
	LodgeAppeal:       {Dutch: "beroep instellen", English: "lodge an appeal"},
	ExtendAppealTerm:  {Dutch: "beslistermijn verlengen", English: "extend the decision term"},
	DecideAppeal:      {Dutch: "beroep beslissen", English: "decide the appeal"},
	Correct:           {Dutch: "corrigeren", English: "correct"}, Invalidate: {Dutch: "ongeldig verklaren", English: "invalidate"},
}

// Words returns the action in words, such as "vaststellen" / "determine".
func (a Action) Words() timeline.Words { return wordsOr(actionWords, a, a.String()) }

var kindWords = map[ExceptionKind]timeline.Words{
	LateAssessment:       {Dutch: "te late beoordeling", English: "late assessment"},
	RegisteredBeforeExam: {Dutch: "geregistreerd vóór de afname", English: "registered before the exam"},
	ChangedRedelivery:    {Dutch: "gewijzigde heraanlevering", English: "changed re-delivery"},
	Irregularity:         {Dutch: "onregelmatigheid", English: "irregularity"},
	GradeMismatch:        {Dutch: "cijfer wijkt af van de score", English: "grade disagrees with the score"},
	EnrolmentEnded:       {Dutch: "inschrijving beëindigd", English: "enrolment ended"},
	UnforeseenAttempt:    {Dutch: "onvoorziene poging", English: "unforeseen attempt"},
	ExamDateUnconfirmed:  {Dutch: "afnamedatum onbevestigd", English: "exam date unconfirmed"},
	AssessorUnauthorised: {Dutch: "examinator niet bevoegd", English: "assessor not authorised"},
	OfferingMismatch:     {Dutch: "ander toetsaanbod dan de inschrijving", English: "offering differs from the enrolment"},
	AttemptMismatch:      {Dutch: "andere poging dan de inschrijving", English: "attempt differs from the enrolment"},
	RedeliveredRejected:  {Dutch: "opnieuw aangeleverd na weigering", English: "re-delivered after rejection"},
	NoGrade:              {Dutch: "resultaat zonder cijfer", English: "result without a grade"},
}

// Words returns the kind in words, such as "onregelmatigheid" / "irregularity".
func (k ExceptionKind) Words() timeline.Words { return wordsOr(kindWords, k, string(k)) }

var checkWords = map[Check]timeline.Words{
	CheckArrival:    {Dutch: "correct aangeleverd", English: "arrived correctly"},
	CheckStatus:     {Dutch: "juiste status", English: "right status"},
	CheckTerm:       {Dutch: "termijn verstreken", English: "term passed"},
	CheckExceptions: {Dutch: "uitzonderingen afgehandeld", English: "exceptions closed"},
}

// Words returns the check in words, such as "juiste status" / "right status".
func (c Check) Words() timeline.Words { return wordsOr(checkWords, c, string(c)) }

var outcomeWords = map[Outcome]timeline.Words{
	Resolved: {Dutch: "opgelost", English: "resolved"}, Approved: {Dutch: "goedgekeurd", English: "approved"},
	Upheld: {Dutch: "gegrond", English: "upheld"}, NotUpheld: {Dutch: "ongegrond", English: "not upheld"},
	Withdrawn: {Dutch: "ingetrokken", English: "withdrawn"}, Inadmissible: {Dutch: "niet-ontvankelijk", English: "inadmissible"},
}

// Words returns the outcome in words, such as "ongegrond" / "not upheld".
func (o Outcome) Words() timeline.Words { return wordsOr(outcomeWords, o, string(o)) }

// wordsOr returns the words of k, or its code in both languages when the
// table has none: a code is never hidden.
func wordsOr[K comparable](table map[K]timeline.Words, k K, code string) timeline.Words {
	if w, ok := table[k]; ok {
		return w
	}
	return timeline.Words{Dutch: code, English: code}
}
