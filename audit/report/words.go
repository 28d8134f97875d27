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
type Words = timeline.Words

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
	return Words{Dutch: s, English: s}
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
	"none":         {Dutch: "geen", English: "none"},
	"received":     {Dutch: "ontvangen", English: "received"},
	"provisional":  {Dutch: "voorlopig", English: "provisional"},
	"on_hold":      {Dutch: "aangehouden", English: "on hold"},
	"final":        {Dutch: "definitief", English: "final"},
	"under_appeal": {Dutch: "in beroep", English: "under appeal"},
	"superseded":   {Dutch: "vervangen na correctie", English: "superseded by a correction"},
	"annulled":     {Dutch: "vernietigd in beroep", English: "annulled on appeal"},
	"invalidated":  {Dutch: "ongeldig verklaard", English: "invalidated"},
	"rejected":     {Dutch: "afgewezen bij de importcontrole", English: "rejected at the import check"},
}

// roleWords are the words of the roles (timeline.Role).
var roleWords = map[string]Words{
	"":                    {Dutch: "", English: ""},
	"assessor":            {Dutch: "examinator", English: "assessor"},
	"exam_administration": {Dutch: "examenadministratie", English: "exam administration"},
	"exam_committee":      {Dutch: "examencommissie", English: "exam committee"},
	"appeals_board":       {Dutch: "commissie van beroep", English: "appeals board"},
	"student":             {Dutch: "student", English: "student"},
	"system":              {Dutch: "systeem", English: "system"},
}

// eventWords are the words of the event types (result.EventType).
var eventWords = map[string]Words{
	"received":             {Dutch: "ontvangen", English: "received"},
	"redelivered":          {Dutch: "opnieuw aangeleverd", English: "redelivered"},
	"rejected":             {Dutch: "afgewezen", English: "rejected"},
	"registered":           {Dutch: "voorlopig geregistreerd", English: "registered as provisional"},
	"exception_raised":     {Dutch: "uitzondering gemeld", English: "exception raised"},
	"exception_resolved":   {Dutch: "uitzondering afgehandeld", English: "exception closed"},
	"complaint_lodged":     {Dutch: "klacht ingediend", English: "complaint lodged"},
	"complaint_decided":    {Dutch: "klacht beslist", English: "complaint decided"},
	"determined":           {Dutch: "vastgesteld", English: "determined"},
	"appeal_lodged":        {Dutch: "beroep ingesteld", English: "appeal lodged"},
	"appeal_decided":       {Dutch: "beroep beslist", English: "appeal decided"},
	"corrected":            {Dutch: "gecorrigeerd", English: "corrected"},
	"invalidated":          {Dutch: "ongeldig verklaard", English: "invalidated"},
	"inspection_requested": {Dutch: "inzage aangevraagd", English: "inspection requested"},
	"inspection_granted":   {Dutch: "inzage verleend", English: "inspection granted"},
	"appeal_term_extended": {Dutch: "beslistermijn verlengd", English: "decision term extended"},
}

// outcomeWords are the words of the outcomes of exceptions, complaints
// and appeals (result.Outcome).
var outcomeWords = map[string]Words{
	"resolved":     {Dutch: "opgelost", English: "resolved"},
	"approved":     {Dutch: "goedgekeurd", English: "approved"},
	"upheld":       {Dutch: "gegrond", English: "upheld"},
	"not_upheld":   {Dutch: "ongegrond", English: "not upheld"},
	"withdrawn":    {Dutch: "ingetrokken", English: "withdrawn"},
	"inadmissible": {Dutch: "niet-ontvankelijk", English: "inadmissible"},
}

var (
	wordsOpen    = Words{Dutch: "open", English: "open"}
	wordsErased  = Words{Dutch: "(gewist)", English: "(erased)"}
	wordsDecided = Words{Dutch: "beslist (uitkomst gewist)", English: "decided (outcome erased)"}
)

// kindWords are the words of the kinds of exception (result.ExceptionKind).
var kindWords = map[string]Words{
	"late_assessment":        {Dutch: "te late beoordeling", English: "late assessment"},
	"registered_before_exam": {Dutch: "geregistreerd vóór de afname", English: "registered before the exam"},
	"changed_redelivery":     {Dutch: "gewijzigde heraanlevering na publicatie", English: "changed redelivery after publication"},
	"irregularity":           {Dutch: "onregelmatigheid", English: "irregularity"},
	"grade_mismatch":         {Dutch: "cijfer wijkt af van de score", English: "grade disagrees with the score"},
	"enrolment_ended":        {Dutch: "inschrijving beëindigd", English: "enrolment ended"},
	"unforeseen_attempt":     {Dutch: "onvoorziene poging", English: "unforeseen attempt"},
	"exam_date_unconfirmed":  {Dutch: "afnamedatum niet bevestigd", English: "exam date unconfirmed"},
	"assessor_unauthorised":  {Dutch: "examinator niet bevoegd", English: "assessor not authorised"},
	"offering_mismatch":      {Dutch: "andere zitting dan de inschrijving", English: "offering mismatch"},
	"attempt_mismatch":       {Dutch: "andere poging dan de inschrijving", English: "attempt mismatch"},
	"redelivered_rejected":   {Dutch: "heraanlevering na afwijzing", English: "redelivered after rejection"},
	"no_grade":               {Dutch: "geen cijfer", English: "no grade"},
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
	string(OnTime):        {Dutch: "op tijd", English: "on time"},
	string(Late):          {Dutch: "te laat", English: "late"},
	string(BeforeDue):     {Dutch: "vóór de datum", English: "before its date"},
	string(Pending):       {Dutch: "lopend", English: "pending"},
	string(Overdue):       {Dutch: "over tijd", English: "overdue"},
	string(NotApplicable): {Dutch: "niet van toepassing", English: "not applicable"},
}

// ruleWords are the words of the rules that set a determination date
// (timeline.Rule).
var ruleWords = map[string]Words{
	"":                   {Dutch: "", English: ""},
	"after_exam":         {Dutch: "termijn na de afname", English: "term after the exam"},
	"after_registration": {Dutch: "termijn na de registratie", English: "term after registration"},
	"early":              {Dutch: "vervroegd", English: "early"},
}

// sourceWords are the words of the sources of a record (result.Source).
var sourceWords = map[string]Words{
	"":       {Dutch: "", English: ""},
	"oke":    {Dutch: "OKE", English: "OKE"},
	"manual": {Dutch: "handmatig", English: "by hand"},
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
	PendingImportCheck:             {Dutch: "ontvangen, nog niet geregistreerd: de importcontrole wacht", English: "received, not registered yet: the import check waits"},
	PendingStudentTerms:            {Dutch: "voorlopig: de termijnen van de student lopen", English: "provisional: the student's terms run"},
	PendingOnHold:                  {Dutch: "aangehouden", English: "on hold"},
	PendingUnderAppeal:             {Dutch: "in beroep", English: "under appeal"},
	PendingInvalidationUnderAppeal: {Dutch: "ongeldig verklaard; in beroep tegen de ongeldigverklaring", English: "invalidated; under appeal against the invalidation"},
	PendingComplaint:               {Dutch: "een klacht is nog open", English: "a complaint is open"},
	PendingExceptions:              {Dutch: "open uitzonderingen", English: "open exceptions"},
	PendingRejected:                {Dutch: "afgewezen bij de importcontrole", English: "rejected at the import check"},
	PendingInvalidated:             {Dutch: "ongeldig verklaard", English: "invalidated"},
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
	"malformed_json":      {Dutch: "geen geldige JSON", English: "not valid JSON"},
	"too_large":           {Dutch: "bericht te groot", English: "message too large"},
	"missing_field":       {Dutch: "verplicht veld ontbreekt", English: "required field missing"},
	"unknown_value":       {Dutch: "onbekende waarde", English: "unknown value"},
	"wrong_type":          {Dutch: "verkeerd type", English: "wrong type"},
	"invalid_date":        {Dutch: "ongeldige datum", English: "invalid date"},
	"out_of_range":        {Dutch: "buiten het bereik", English: "out of range"},
	"mismatch":            {Dutch: "tegenstrijdige gegevens", English: "mismatch"},
	"invalid_id":          {Dutch: "ongeldige id", English: "invalid id"},
	"duplicate":           {Dutch: "dubbel", English: "duplicate"},
	"unknown_association": {Dutch: "onbekende inschrijving (associatie)", English: "unknown enrolment (association)"},
	"unknown_component":   {Dutch: "onbekend onderdeel", English: "unknown component"},
	"wrong_student":       {Dutch: "andere student dan de inschrijving", English: "wrong student"},
	"score_value_type":    {Dutch: "score past niet bij de schaal", English: "score does not fit the scale"},
	"not_accepted":        {Dutch: "het resultaat neemt in deze status geen aanlevering aan", English: "the result's state takes no delivery"},
	"not_registered":      {Dutch: "nog niet geregistreerd", English: "not registered"},
	"wrong_offering":      {Dutch: "andere zitting dan de inschrijving", English: "wrong offering"},
	"wrong_attempt":       {Dutch: "andere poging dan de inschrijving", English: "wrong attempt"},
	"exam_in_future":      {Dutch: "afnamedatum in de toekomst", English: "exam date in the future"},
}
