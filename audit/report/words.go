package report

import (
	"errors"
	"fmt"
	"strings"

	"github.com/krs-oke/vaststelling/timeline"
)

// ErrLanguage: a report cannot be written in the language asked for. The
// reports are written in Dutch (timeline.Dutch, also the zero Language)
// and English (timeline.English).
var ErrLanguage = errors.New("report: unknown language")

// Words are a code's words for people, in Dutch and in English. In a
// report's JSON every code has its words beside it, under the code's key
// with "_words" added:
//
//	"state": "on_hold", "state_words": {"nl": "aangehouden", "en": "on hold"}
//
// The code is for machines and stays the same; the words are for people
// and may say more than the code (a reason not to determine a result
// names the exceptions still open). A list of codes has a list of words.
type Words struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// In returns the words in the language: English for timeline.English,
// Dutch otherwise.
func (w Words) In(lang timeline.Language) string {
	if lang == timeline.English {
		return w.EN
	}
	return w.NL
}

// checkLanguage checks a language a report is asked to be written in: the zero
// Language is Dutch.
func checkLanguage(l timeline.Language) (timeline.Language, error) {
	switch l {
	case "", timeline.Dutch:
		return timeline.Dutch, nil
	case timeline.English:
		return timeline.English, nil
	}
	return "", fmt.Errorf("%w %q: want %q or %q", ErrLanguage, string(l), timeline.Dutch, timeline.English)
}

// plain writes a code nobody gave words as words in both languages:
// "not_upheld" as "not upheld".
func plain(code string) Words {
	s := strings.ReplaceAll(code, "_", " ")
	return Words{s, s}
}

// lookup returns the words of a code in a table, or the code as words.
func lookup(table map[string]Words, code string) Words {
	if w, ok := table[code]; ok {
		return w
	}
	return plain(code)
}

// stateWords are the words of the states of a result (result.State).
var stateWords = map[string]Words{
	"none":         {"geen", "none"},
	"received":     {"ontvangen", "received"},
	"provisional":  {"voorlopig", "provisional"},
	"on_hold":      {"aangehouden", "on hold"},
	"final":        {"definitief", "final"},
	"under_appeal": {"in beroep", "under appeal"},
	"superseded":   {"vervangen na correctie", "superseded by a correction"},
	"annulled":     {"vernietigd in beroep", "annulled on appeal"},
	"invalidated":  {"ongeldig verklaard", "invalidated"},
	"rejected":     {"afgewezen bij de importcontrole", "rejected at the import check"},
}

// roleWords are the words of the roles (timeline.Role).
var roleWords = map[string]Words{
	"":                    {"", ""},
	"assessor":            {"examinator", "assessor"},
	"exam_administration": {"examenadministratie", "exam administration"},
	"exam_committee":      {"examencommissie", "exam committee"},
	"appeals_board":       {"commissie van beroep", "appeals board"},
	"student":             {"student", "student"},
	"system":              {"systeem", "system"},
}

// eventWords are the words of the event types (result.EventType).
var eventWords = map[string]Words{
	"received":             {"ontvangen", "received"},
	"redelivered":          {"opnieuw aangeleverd", "redelivered"},
	"rejected":             {"afgewezen", "rejected"},
	"registered":           {"voorlopig geregistreerd", "registered as provisional"},
	"exception_raised":     {"uitzondering gemeld", "exception raised"},
	"exception_resolved":   {"uitzondering afgehandeld", "exception closed"},
	"complaint_lodged":     {"klacht ingediend", "complaint lodged"},
	"complaint_decided":    {"klacht beslist", "complaint decided"},
	"determined":           {"vastgesteld", "determined"},
	"appeal_lodged":        {"beroep ingesteld", "appeal lodged"},
	"appeal_decided":       {"beroep beslist", "appeal decided"},
	"corrected":            {"gecorrigeerd", "corrected"},
	"invalidated":          {"ongeldig verklaard", "invalidated"},
	"inspection_requested": {"inzage aangevraagd", "inspection requested"},
	"inspection_granted":   {"inzage verleend", "inspection granted"},
	"appeal_term_extended": {"beslistermijn verlengd", "decision term extended"},
}

// outcomeWords are the words of the outcomes of exceptions, complaints
// and appeals (result.Outcome).
var outcomeWords = map[string]Words{
	"resolved":     {"opgelost", "resolved"},
	"approved":     {"goedgekeurd", "approved"},
	"upheld":       {"gegrond", "upheld"},
	"not_upheld":   {"ongegrond", "not upheld"},
	"withdrawn":    {"ingetrokken", "withdrawn"},
	"inadmissible": {"niet-ontvankelijk", "inadmissible"},
}

var (
	wordsOpen    = Words{"open", "open"}
	wordsErased  = Words{"(gewist)", "(erased)"}
	wordsDecided = Words{"beslist (uitkomst gewist)", "decided (outcome erased)"}
)

// kindWords are the words of the kinds of exception (result.ExceptionKind).
var kindWords = map[string]Words{
	"late_assessment":        {"te late beoordeling", "late assessment"},
	"registered_before_exam": {"geregistreerd vóór de afname", "registered before the exam"},
	"changed_redelivery":     {"gewijzigde heraanlevering na publicatie", "changed redelivery after publication"},
	"irregularity":           {"onregelmatigheid", "irregularity"},
	"grade_mismatch":         {"cijfer wijkt af van de score", "grade disagrees with the score"},
	"enrolment_ended":        {"inschrijving beëindigd", "enrolment ended"},
	"unforeseen_attempt":     {"onvoorziene poging", "unforeseen attempt"},
	"exam_date_unconfirmed":  {"afnamedatum niet bevestigd", "exam date unconfirmed"},
	"assessor_unauthorised":  {"examinator niet bevoegd", "assessor not authorised"},
	"offering_mismatch":      {"andere zitting dan de inschrijving", "offering mismatch"},
	"attempt_mismatch":       {"andere poging dan de inschrijving", "attempt mismatch"},
	"redelivered_rejected":   {"heraanlevering na afwijzing", "redelivered after rejection"},
	"no_grade":               {"geen cijfer", "no grade"},
}

// kindOf returns the words of an exception's kind, erased when empty.
func kindOf(kind string) Words {
	if kind == "" {
		return wordsErased
	}
	return lookup(kindWords, kind)
}

// statusWords are the words of the statuses of timeliness (Status).
var statusWords = map[string]Words{
	string(OnTime):        {"op tijd", "on time"},
	string(Late):          {"te laat", "late"},
	string(BeforeDue):     {"vóór de datum", "before its date"},
	string(Pending):       {"lopend", "pending"},
	string(Overdue):       {"over tijd", "overdue"},
	string(NotApplicable): {"niet van toepassing", "not applicable"},
}

// ruleWords are the words of the rules that set a determination date
// (timeline.Rule).
var ruleWords = map[string]Words{
	"":                   {"", ""},
	"after_exam":         {"termijn na de afname", "term after the exam"},
	"after_registration": {"termijn na de registratie", "term after registration"},
	"early":              {"vervroegd", "early"},
}

// sourceWords are the words of the sources of a record (result.Source).
var sourceWords = map[string]Words{
	"":       {"", ""},
	"oke":    {"OKE", "OKE"},
	"manual": {"handmatig", "by hand"},
}

// The reasons a result is not determined yet (Determination.Pending).
const (
	PendingImportCheck             = "import_check"              // received, not registered: the import check waits
	PendingStudentTerms            = "student_terms"             // provisional: the student's terms run
	PendingOnHold                  = "on_hold"                   // on hold
	PendingUnderAppeal             = "under_appeal"              // under appeal
	PendingInvalidationUnderAppeal = "invalidation_under_appeal" // invalidated, and under appeal against that
	PendingComplaint               = "complaint_open"            // a complaint waits for the exam committee
	PendingExceptions              = "exceptions_open"           // exceptions wait for a person
	PendingRejected                = "rejected"                  // rejected at the import check: it ended
	PendingInvalidated             = "invalidated"               // invalidated: it ended
)

var pendingWords = map[string]Words{
	PendingImportCheck:             {"ontvangen, nog niet geregistreerd: de importcontrole wacht", "received, not registered yet: the import check waits"},
	PendingStudentTerms:            {"voorlopig: de termijnen van de student lopen", "provisional: the student's terms run"},
	PendingOnHold:                  {"aangehouden", "on hold"},
	PendingUnderAppeal:             {"in beroep", "under appeal"},
	PendingInvalidationUnderAppeal: {"ongeldig verklaard; in beroep tegen de ongeldigverklaring", "invalidated; under appeal against the invalidation"},
	PendingComplaint:               {"een klacht is nog open", "a complaint is open"},
	PendingExceptions:              {"open uitzonderingen", "open exceptions"},
	PendingRejected:                {"afgewezen bij de importcontrole", "rejected at the import check"},
	PendingInvalidated:             {"ongeldig verklaard", "invalidated"},
}

// pendingOf returns the words of a reason not to determine; another
// code is a state.
func pendingOf(code string) Words {
	if w, ok := pendingWords[code]; ok {
		return w
	}
	return lookup(stateWords, code)
}

// reasonWords are the words of the codes of the OKE intake's reasons to
// reject a delivery (oke.Code).
var reasonWords = map[string]Words{
	"malformed_json":      {"geen geldige JSON", "not valid JSON"},
	"too_large":           {"bericht te groot", "message too large"},
	"missing_field":       {"verplicht veld ontbreekt", "required field missing"},
	"unknown_value":       {"onbekende waarde", "unknown value"},
	"wrong_type":          {"verkeerd type", "wrong type"},
	"invalid_date":        {"ongeldige datum", "invalid date"},
	"out_of_range":        {"buiten het bereik", "out of range"},
	"mismatch":            {"tegenstrijdige gegevens", "mismatch"},
	"invalid_id":          {"ongeldige id", "invalid id"},
	"duplicate":           {"dubbel", "duplicate"},
	"unknown_association": {"onbekende inschrijving (associatie)", "unknown enrolment (association)"},
	"unknown_component":   {"onbekend onderdeel", "unknown component"},
	"wrong_student":       {"andere student dan de inschrijving", "wrong student"},
	"score_value_type":    {"score past niet bij de schaal", "score does not fit the scale"},
	"not_accepted":        {"het resultaat neemt in deze status geen aanlevering aan", "the result's state takes no delivery"},
	"not_registered":      {"nog niet geregistreerd", "not registered"},
	"wrong_offering":      {"andere zitting dan de inschrijving", "wrong offering"},
	"wrong_attempt":       {"andere poging dan de inschrijving", "wrong attempt"},
	"exam_in_future":      {"afnamedatum in de toekomst", "exam date in the future"},
}
