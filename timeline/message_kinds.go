package timeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// A MessageKind names the change a student message tells of. The policy
// asks that the student be told "tijdig en eenduidig" of the status of a
// result and its terms, so every change of status has its message; see
// [Timeline.Message].
type MessageKind string

// The changes a student is told of, in procedure order.
const (
	MessageProvisional      MessageKind = "provisional"       // a provisional result was registered
	MessageFinal            MessageKind = "final"             // the result was determined after its terms
	MessageDeterminedEarly  MessageKind = "determined_early"  // the exam committee determined it early, for a diploma or certificate
	MessageComplaintDecided MessageKind = "complaint_decided" // the exam committee decided the student's complaint
	MessageAppealDecided    MessageKind = "appeal_decided"    // the appeals board decided the appeal (not upheld / withdrawn / inadmissible: the result stands)
	MessageAnnulled         MessageKind = "annulled"          // the appeals board upheld the appeal and annulled the result; the exam committee takes a new decision
	MessageCorrected        MessageKind = "corrected"         // the exam committee corrected the determined result; a new result replaces it
	MessageInvalidated      MessageKind = "invalidated"       // the exam committee declared the result invalid
)

// MessageKinds returns every kind of student message, in procedure order.
func MessageKinds() []MessageKind {
	out := make([]MessageKind, len(kindSpecs))
	for i := range kindSpecs {
		out[i] = kindSpecs[i].kind
	}
	return out
}

// Words is a text for people in both languages.
type Words struct{ Dutch, English string }

// in returns the words in the language.
func (w Words) in(lang Language) string {
	if lang == Dutch {
		return w.Dutch
	}
	return w.English
}

// A Subject is what a message is about: the change, and the result as the
// student reads it.
type Subject struct {
	// Kind is the change the message tells of.
	Kind MessageKind

	// Result is what the result is, as the student reads it: "7,5" /
	// "7.5", or "niet verschenen (geen cijfer)" / "absent (no grade)". It
	// is required for every kind: a message that does not say what the
	// result is is refused. It is one line.
	Result Words

	// Previous is the result that Result replaced: for MessageCorrected,
	// and for MessageComplaintDecided when the complaint was upheld with a
	// new grade (the message then tells the new terms). Optional; any
	// other kind refuses it.
	Previous Words

	// Outcome is how a decision ended, for MessageComplaintDecided and
	// MessageAppealDecided: "upheld", "not_upheld", "withdrawn" or
	// "inadmissible". An appeal upheld annuls the result: that is
	// MessageAnnulled, whose Outcome is empty or "upheld". Other kinds
	// refuse an Outcome.
	Outcome string

	// Reason is the decision's reason as recorded, optional, quoted in the
	// message. MessageProvisional and MessageFinal tell of no decision
	// with a reason and refuse it.
	Reason string

	// At is when the change happened: the moment of the event that makes
	// the message due. The message names its date for a decision (a
	// complaint or an appeal decided, an annulment, an invalidation),
	// which the facts may no longer hold when the message goes out: a
	// later complaint or appeal replaces the moments of an earlier one.
	// Zero takes the date from the facts.
	At time.Time
}

// The outcomes of a decision on a complaint or an appeal, as
// result.Outcome spells them.
const (
	outcomeUpheld       = "upheld"
	outcomeNotUpheld    = "not_upheld"
	outcomeWithdrawn    = "withdrawn"
	outcomeInadmissible = "inadmissible"
)

// outcomeWords returns the outcome in words: "de klacht is …" / "your
// complaint was …".
func outcomeWords(outcome string) (Words, bool) {
	switch outcome {
	case outcomeUpheld:
		return Words{"gegrond verklaard", "upheld"}, true
	case outcomeNotUpheld:
		return Words{"ongegrond verklaard", "not upheld"}, true
	case outcomeWithdrawn:
		return Words{"ingetrokken", "withdrawn"}, true
	case outcomeInadmissible:
		return Words{"niet-ontvankelijk verklaard", "declared inadmissible"}, true
	}
	return Words{}, false
}

// Message writes the message that tells the student of a change in the
// status of a result (DOMAIN.md, "The student message"), in one language,
// as plain text with lines ending in "\n". It says what the result is
// (sub.Result), what happened and on which day, and the terms that now
// apply, with their dates in long form ("dinsdag 5 januari 2027") and the
// hour when the calendar's working day ends before midnight; a decision's
// reason is quoted. This is the message an office sends; the result-less
// [Timeline.StudentMessage] stays for tools that have no result to name.
//
// What each kind says, and which date it needs:
//
//   - MessageProvisional: the new provisional result and its terms, as
//     StudentMessage tells them; the result must be registered.
//   - MessageFinal: determined on Determined, binding, and the appeal term
//     until AppealEnds, counted from the determination. A result determined early (Facts.Early) is
//     MessageDeterminedEarly.
//   - MessageDeterminedEarly: determined early by the exam committee on
//     Determined, to issue a diploma or certificate, and the appeal term
//     that really applies, from that day. When the determination cut the
//     inspection window short (the InspectionCutShort conflict), that the
//     student can still contact the committee until InspectionEnds.
//   - MessageComplaintDecided: the committee's decision and its outcome, on
//     Facts.ComplaintDecided. With a new grade (Previous) the corrected
//     grade is registered anew when the committee decides (result.Result
//     Facts then leaves the old complaint out), so the day is the
//     timeline's Registered and the message tells the new provisional
//     terms; else the result stays, with the terms that still run.
//   - MessageAppealDecided: the appeals board's decision on AppealDecided;
//     the result stays final.
//   - MessageAnnulled: the appeals board annulled the result on
//     AppealDecided; the exam committee takes a new decision, of which the
//     student hears.
//   - MessageCorrected: the result determined on Determined is corrected
//     (from Previous) to Result; the new result follows its own procedure.
//   - MessageInvalidated: the committee declared the result invalid on
//     Invalidated (also before registration); the student may appeal
//     until AppealEnds, counted from the invalidation, or, when the
//     timeline has none, is told where without a date.
//
// An unknown language or kind, a Subject without Result in lang, an
// unknown Outcome or one the kind does not take, settings that fail
// [Settings.Validate], and a timeline that lacks the event told of or its
// date match ErrMessage; the error names what is missing.
func (t *Timeline) Message(sub Subject, lang Language, s Settings) (string, error) {
	if _, err := ParseLanguage(string(lang)); err != nil {
		return "", err
	}
	spec, d, err := t.messageData(sub, s, lang)
	if err != nil {
		return "", err
	}
	t.localize(&d, sub, lang)
	return spec.texts[langIndex(lang)].string(&d), nil
}

// langIndex is the place of a text in a language in kindSpec.texts.
func langIndex(lang Language) int {
	if lang == Dutch {
		return 0
	}
	return 1
}

// A kindSpec is a kind of message: its subject line and its texts.
type kindSpec struct {
	kind    MessageKind
	subject Words
	texts   [2]text // Dutch, English
}

// spec returns the kind's spec, or nil for an unknown kind.
func spec(kind MessageKind) *kindSpec {
	for i := range kindSpecs {
		if kindSpecs[i].kind == kind {
			return &kindSpecs[i]
		}
	}
	return nil
}

// messageData checks the subject against the kind and the timeline and
// returns the message's data but for what is said in a language, which
// localize adds. langs are the languages the words must be given in.
func (t *Timeline) messageData(sub Subject, s Settings, langs ...Language) (*kindSpec, messageData, error) {
	sp := spec(sub.Kind)
	if sp == nil {
		return nil, messageData{}, fmt.Errorf("timeline: result %s: %w: unknown message kind %q", t.Result, ErrMessage, sub.Kind)
	}
	if err := s.Validate(); err != nil {
		return nil, messageData{}, err
	}
	if err := t.checkSubject(sub, langs); err != nil {
		return nil, messageData{}, err
	}
	d := messageData{Settings: s, Determined: !t.Determined.IsZero()}
	if err := t.eventDates(sub, &d); err != nil {
		return nil, messageData{}, err
	}
	return sp, d, nil
}

// localize adds to d what the message says in lang.
func (t *Timeline) localize(d *messageData, sub Subject, lang Language) {
	d.Lang, d.Clock = lang, t.clock(lang)
	d.Result, d.Previous = strings.TrimSpace(sub.Result.in(lang)), strings.TrimSpace(sub.Previous.in(lang))
	if w, ok := outcomeWords(sub.Outcome); ok {
		d.Outcome = w.in(lang)
	}
	d.Reason = strings.TrimSpace(sub.Reason)
	if strings.IndexByte(d.Reason, '\r') >= 0 {
		d.Reason = strings.ReplaceAll(strings.ReplaceAll(d.Reason, "\r\n", "\n"), "\r", "\n")
	}
}

// checkSubject checks the subject's words in langs, and that its
// Previous, Outcome and Reason are what the kind takes.
func (t *Timeline) checkSubject(sub Subject, langs []Language) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("timeline: result %s: %w: %s message: %s", t.Result, ErrMessage, sub.Kind, fmt.Sprintf(format, args...))
	}
	previous := sub.Previous != Words{}
	if previous && sub.Kind != MessageCorrected && sub.Kind != MessageComplaintDecided {
		return bad("the kind takes no Previous result; only %s and %s do", MessageCorrected, MessageComplaintDecided)
	}
	for _, lang := range langs {
		if err := checkWords("Result", sub.Result.in(lang), lang, true); err != nil {
			return bad("%s", err)
		}
		if err := checkWords("Previous", sub.Previous.in(lang), lang, previous); err != nil {
			return bad("%s", err)
		}
	}

	_, known := outcomeWords(sub.Outcome)
	if sub.Outcome != "" && !known {
		return bad("unknown outcome %q; want upheld, not_upheld, withdrawn or inadmissible", sub.Outcome)
	}
	switch sub.Kind {
	case MessageComplaintDecided:
		if sub.Outcome == "" {
			return bad("the Outcome of the decision is required")
		}
		if previous && sub.Outcome != outcomeUpheld {
			return bad("a new grade (Previous) needs the complaint upheld, not %s", sub.Outcome)
		}
	case MessageAppealDecided:
		switch sub.Outcome {
		case "":
			return bad("the Outcome of the decision is required")
		case outcomeUpheld:
			return bad("an appeal upheld annuls the result: that is the %s message", MessageAnnulled)
		}
	case MessageAnnulled:
		if sub.Outcome != "" && sub.Outcome != outcomeUpheld {
			return bad("an annulment upholds the appeal; the outcome %s is the %s message", sub.Outcome, MessageAppealDecided)
		}
	default:
		if sub.Outcome != "" {
			return bad("the kind takes no Outcome")
		}
	}
	if strings.TrimSpace(sub.Reason) != "" && (sub.Kind == MessageProvisional || sub.Kind == MessageFinal) {
		return bad("the kind tells of no decision with a Reason")
	}
	return nil
}

// checkWords checks the words of one field in one language: one line,
// not empty when required.
func checkWords(field, w string, lang Language, required bool) error {
	w = strings.TrimSpace(w)
	switch {
	case w != "":
	case !required:
		return nil
	case field == "Result":
		return fmt.Errorf("the result is not given in %s (Subject.Result.%s): the message must say what the result is",
			languageName(lang), languageName(lang))
	default:
		return fmt.Errorf("Subject.%s.%s is empty: the %s result is given in one language only", field, languageName(lang), strings.ToLower(field))
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < ' ' || c == 0x7f {
			return fmt.Errorf("Subject.%s.%s %q is not one line of text", field, languageName(lang), w)
		}
	}
	return nil
}

func languageName(lang Language) string {
	if lang == Dutch {
		return "Dutch"
	}
	return "English"
}

// eventDates sets the dates the message of sub names, and checks that the
// timeline has the event it tells of.
func (t *Timeline) eventDates(sub Subject, d *messageData) error {
	missing := func(field, what string) error {
		return fmt.Errorf("timeline: result %s: %w: %s message: %s: %s", t.Result, ErrMessage, sub.Kind, field, what)
	}
	registered := func() error {
		if t.Registered.IsZero() {
			return missing("registered", "the result is not registered")
		}
		return nil
	}
	determined := func() error {
		if t.Determined.IsZero() {
			return missing("determined", "the result is not determined")
		}
		return nil
	}
	// provisional sets the terms of a provisional result, as
	// StudentMessage names them.
	provisional := func() error {
		due, appealEnds, err := t.studentDates()
		if err != nil {
			return err
		}
		d.InspectionEnds, d.Determination, d.AppealEnds = t.InspectionEnds, due, appealEnds
		d.Early = t.Policy.EarlyDetermination && t.Determined.IsZero()
		return nil
	}
	// fact returns the date of a moment of the facts.
	fact := func(at time.Time) calendar.Date {
		if at.IsZero() {
			return calendar.Date{}
		}
		return t.cal.Date(at)
	}

	// or returns the timeline's date, else the facts'.
	or := func(timeline, facts calendar.Date) calendar.Date {
		if timeline.IsZero() {
			return facts
		}
		return timeline
	}

	switch sub.Kind {
	case MessageProvisional:
		if err := registered(); err != nil {
			return err
		}
		return provisional()

	case MessageFinal, MessageDeterminedEarly:
		if err := determined(); err != nil {
			return err
		}
		switch {
		case sub.Kind == MessageFinal && t.facts.Early:
			return missing("early", fmt.Sprintf("the result was determined early: that is the %s message", MessageDeterminedEarly))
		case sub.Kind == MessageDeterminedEarly && !t.facts.Early:
			return missing("early", fmt.Sprintf("the result was not determined early: that is the %s message", MessageFinal))
		}
		d.On, d.Determination, d.InspectionEnds = t.Determined, t.Determined, t.InspectionEnds
		d.AppealEnds = t.appealEndsFrom(t.Determined, !t.Invalidated.IsZero())
		d.CutShort = t.HasConflict(InspectionCutShort)
		return nil

	case MessageComplaintDecided:
		if err := registered(); err != nil {
			return err
		}
		decided := fact(t.facts.ComplaintDecided)
		if !sub.At.IsZero() {
			decided = fact(sub.At)
		} else if sub.Previous != (Words{}) {
			// The corrected grade is registered anew at the decision.
			if decided.After(t.Registered) {
				return missing("registered", fmt.Sprintf("the new grade is registered on %s, before the complaint was decided on %s: the corrected grade's terms run from the decision",
					t.Registered, decided))
			}
			decided = t.Registered
		}
		if decided.IsZero() {
			return missing("complaint_decided", "the facts have no date of the complaint decision")
		}
		d.On = decided
		if err := provisional(); err != nil {
			return err
		}
		d.StillOpen = t.Determined.IsZero() && !decided.After(t.InspectionEnds)
		return nil

	case MessageAppealDecided, MessageAnnulled:
		// The appeal was against the invalidation when that is the later
		// of the two decisions one can appeal.
		d.AgainstInvalidation = !t.Invalidated.IsZero() && (t.Determined.IsZero() || !t.Invalidated.Before(t.Determined))
		d.Invalidated = t.Invalidated
		if !d.AgainstInvalidation {
			if err := determined(); err != nil {
				return err
			}
		}
		if d.On = or(fact(sub.At), or(t.AppealDecided, fact(t.facts.AppealDecided))); d.On.IsZero() {
			return missing("appeal_decided", "the facts have no date of the appeal decision")
		}
		d.Determination, d.AppealEnds = t.Determined, t.AppealEnds
		return nil

	case MessageCorrected:
		if err := determined(); err != nil {
			return err
		}
		d.Determination = t.Determined
		return nil

	case MessageInvalidated:
		if d.On = or(fact(sub.At), or(t.Invalidated, fact(t.facts.Invalidated))); d.On.IsZero() {
			return missing("invalidated", "the facts have no date of the invalidation")
		}
		d.AppealEnds = t.appealEndsFrom(d.On, !t.Determined.IsZero())
		return nil
	}
	return nil
}

// appealEndsFrom returns the last day of appeal against the decision
// taken on day: the timeline's AppealEnds, which counts from the one
// decision appealed, unless another decision may have taken it over
// (both a determination and an invalidation); then AppealTerm working days
// after day, as the timeline counts it. It is zero when the calendar
// cannot count that far: the message then names no date.
func (t *Timeline) appealEndsFrom(day calendar.Date, other bool) calendar.Date {
	if !other {
		return t.AppealEnds
	}
	end, err := t.cal.AddWorkdays(day, t.Policy.AppealTerm)
	if err != nil {
		return calendar.Date{}
	}
	return end
}

// The pieces of Message besides those of StudentMessage.
var (
	resultWords   = field(func(d *messageData) string { return d.Result })
	previousWords = field(func(d *messageData) string { return d.Previous })
	outcome       = field(func(d *messageData) string { return d.Outcome })
	reasonText    = field(func(d *messageData) string { return d.Reason })
	onDate        = datePiece(func(d *messageData) calendar.Date { return d.On }, false)

	hasPrevious    = func(d *messageData) bool { return d.Previous != "" }
	hasReason      = func(d *messageData) bool { return d.Reason != "" }
	isDetermined   = func(d *messageData) bool { return d.Determined }
	isCutShort     = func(d *messageData) bool { return d.CutShort }
	isStillOpen    = func(d *messageData) bool { return d.StillOpen }
	hasAppealEnds  = func(d *messageData) bool { return !d.AppealEnds.IsZero() }
	isInvalidation = func(d *messageData) bool { return d.AgainstInvalidation }
	invalidatedOn  = datePiece(func(d *messageData) calendar.Date { return d.Invalidated }, false)

	// reason quotes the decision's reason in a paragraph of its own.
	reason = map[Language]piece{
		Dutch:   when(hasReason, text{literal("\n\nReden van het besluit: “"), reasonText, literal("”")}, nil),
		English: when(hasReason, text{literal("\n\nReason for the decision: “"), reasonText, literal("”")}, nil),
	}
)

// kindSpecs are the messages of every kind, in the order of MessageKinds.
var kindSpecs = [...]kindSpec{
	{kind: MessageProvisional,
		subject: Words{subjectDutch, subjectEnglish},
		texts: [2]text{
			join(text{literal("Beste student,\n\nEr is een nieuw voorlopig resultaat toegevoegd in "), krsName,
				literal(": "), resultWords, literal(".")}, provisionalTerms[Dutch], closing[Dutch]),
			join(text{literal("Dear student,\n\nA new provisional result has been added in "), krsName,
				literal(": "), resultWords, literal(".")}, provisionalTerms[English], closing[English]),
		}},

	{kind: MessageFinal,
		subject: Words{"Resultaat definitief vastgesteld", "Result determined and final"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nJe resultaat in "), krsName, literal(" is op "), determination,
				literal(" definitief vastgesteld: "), resultWords,
				literal(".\n\nVanaf dat moment is het resultaat bindend. Ben je het niet eens met het definitieve resultaat? Dan kun je tot en met "),
				appealEnds, literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nYour result in "), krsName, literal(" was determined on "), determination,
				literal(" and is now final: "), resultWords,
				literal(".\n\nFrom that moment the result is binding. Do you disagree with the final result? You can appeal to the Examination Appeals Board (CBE) at "),
				boardAddress, literal(" until and including "), appealEnds, literal(".")},
				closing[English]),
		}},

	{kind: MessageDeterminedEarly,
		subject: Words{"Resultaat vervroegd vastgesteld", "Result determined early"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft je resultaat in "), krsName, literal(" op "), determination,
				literal(" vervroegd definitief vastgesteld, voor het uitreiken van een diploma of mbo-certificaat: "), resultWords,
				literal("."), reason[Dutch],
				literal("\n\nHet resultaat is daarmee bindend, en de beroepstermijn loopt vanaf die dag. Ben je het niet eens met het definitieve resultaat? Dan kun je tot en met "),
				appealEnds, literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal("."),
				when(isCutShort, text{literal("\n\nDe termijn voor inzage en klacht liep nog toen het resultaat werd vastgesteld. Die mogelijkheid houd je: wil je je examen inzien of ben je het niet eens met de beoordeling, dan kun je je nog tot en met "),
					inspectionEnds, literal(" bij de examencommissie melden via "), committeeAddress, literal(".")}, nil)},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee determined your result in "), krsName, literal(" early, on "), determination,
				literal(", so that a diploma or MBO certificate can be issued: "), resultWords,
				literal("."), reason[English],
				literal("\n\nThe result is now final and binding, and the appeal term runs from that day. Do you disagree with the final result? You can appeal to the Examination Appeals Board (CBE) at "),
				boardAddress, literal(" until and including "), appealEnds, literal("."),
				when(isCutShort, text{literal("\n\nThe period for inspection and complaint was still open when the result was determined. You keep that right: if you want to inspect your exam or disagree with the assessment, you can still contact the exam committee at "),
					committeeAddress, literal(" until and including "), inspectionEnds, literal(".")}, nil)},
				closing[English]),
		}},

	{kind: MessageComplaintDecided,
		subject: Words{"Besluit over je klacht", "Decision on your complaint"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft op "), onDate,
				literal(" een besluit genomen over je klacht over je resultaat in "), krsName,
				literal(": de klacht is "), outcome, literal("."), reason[Dutch],
				when(hasPrevious,
					join(text{literal("\n\nJe resultaat is daarom gewijzigd van "), previousWords, literal(" in "), resultWords,
						literal(". Voor het nieuwe resultaat gelden nieuwe termijnen.")}, provisionalTerms[Dutch]),
					text{literal("\n\nJe resultaat blijft ongewijzigd: "), resultWords, literal("."),
						when(isDetermined,
							text{literal(" Het is op "), determination, literal(" definitief vastgesteld. Je kunt tot en met "), appealEnds,
								literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")},
							text{literal(" Het resultaat is voorlopig tot "), determination,
								ifEarly(", tenzij de examencommissie eerder een besluit neemt vanwege het uitreiken van een diploma of mbo-certificaat"),
								literal("."),
								when(isStillOpen, text{literal(" De termijn voor inzage en klacht loopt nog tot en met "), inspectionEnds, literal(".")}, nil),
								literal("\n\nOp "), determination, literal(" wordt het resultaat definitief. Vanaf dat moment kun je tot en met "), appealEnds,
								literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")})})},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee decided on your complaint about your result in "), krsName,
				literal(" on "), onDate, literal(": your complaint was "), outcome, literal("."), reason[English],
				when(hasPrevious,
					join(text{literal("\n\nYour result has therefore been changed from "), previousWords, literal(" to "), resultWords,
						literal(". New terms apply to the new result.")}, provisionalTerms[English]),
					text{literal("\n\nYour result stays unchanged: "), resultWords, literal("."),
						when(isDetermined,
							text{literal(" It was determined on "), determination, literal(" and is final. You can appeal to the Examination Appeals Board (CBE) at "),
								boardAddress, literal(" until and including "), appealEnds, literal(".")},
							text{literal(" The result is provisional until "), determination,
								ifEarly(", unless the exam committee decides earlier because a diploma or MBO certificate is to be issued"),
								literal("."),
								when(isStillOpen, text{literal(" The period for inspection and complaint remains open until and including "), inspectionEnds, literal(".")}, nil),
								literal("\n\nOn "), determination, literal(" the result becomes final. From then on you can appeal to the Examination Appeals Board (CBE) at "),
								boardAddress, literal(" until and including "), appealEnds, literal(".")})})},
				closing[English]),
		}},

	{kind: MessageAppealDecided,
		subject: Words{"Besluit over je beroep", "Decision on your appeal"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe Commissie van Beroep voor de Examens heeft op "), onDate,
				literal(" een besluit genomen over je beroep tegen "),
				when(isInvalidation, text{literal("de ongeldigverklaring van je resultaat in ")}, text{literal("je resultaat in ")}), krsName,
				literal(": het beroep is "), outcome, literal("."), reason[Dutch],
				when(isInvalidation,
					text{literal("\n\nHet besluit van de examencommissie van "), invalidatedOn,
						literal(" om je resultaat ongeldig te verklaren blijft daarmee staan. Het ongeldig verklaarde resultaat was: "), resultWords, literal(".")},
					text{literal("\n\nJe resultaat blijft daarmee definitief, zoals het op "), determination, literal(" is vastgesteld: "), resultWords, literal(".")})},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe Examination Appeals Board (CBE) decided on your appeal against "),
				when(isInvalidation, text{literal("the invalidation of your result in ")}, text{literal("your result in ")}), krsName,
				literal(" on "), onDate, literal(": your appeal was "), outcome, literal("."), reason[English],
				when(isInvalidation,
					text{literal("\n\nThe exam committee's decision of "), invalidatedOn,
						literal(" to declare your result invalid therefore stands. The result declared invalid was: "), resultWords, literal(".")},
					text{literal("\n\nYour result therefore remains final, as determined on "), determination, literal(": "), resultWords, literal(".")})},
				closing[English]),
		}},

	{kind: MessageAnnulled,
		subject: Words{"Resultaat vernietigd na beroep", "Result annulled on appeal"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe Commissie van Beroep voor de Examens heeft op "), onDate,
				when(isInvalidation,
					text{literal(" je beroep gegrond verklaard en het besluit van de examencommissie van "), invalidatedOn,
						literal(" om je resultaat in "), krsName, literal(" ongeldig te verklaren vernietigd. Het resultaat was: "), resultWords},
					text{literal(" je beroep gegrond verklaard en je resultaat in "), krsName, literal(" vernietigd. Het vernietigde resultaat was: "), resultWords}),
				literal("."), reason[Dutch],
				literal("\n\nDit resultaat geldt niet meer, en zijn termijnen vervallen. De examencommissie neemt een nieuw besluit over je resultaat. Daarover krijg je apart bericht, met de termijnen die dan gelden.")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe Examination Appeals Board (CBE) upheld your appeal on "), onDate,
				when(isInvalidation,
					text{literal(" and annulled the exam committee's decision of "), invalidatedOn,
						literal(" to declare your result in "), krsName, literal(" invalid. The result was: "), resultWords},
					text{literal(" and annulled your result in "), krsName, literal(". The annulled result was: "), resultWords}),
				literal("."), reason[English],
				literal("\n\nThis result no longer applies, and neither do its terms. The exam committee will take a new decision on your result. You will receive a separate message about it, with the terms that then apply.")},
				closing[English]),
		}},

	{kind: MessageCorrected,
		subject: Words{"Resultaat gecorrigeerd", "Result corrected"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft je resultaat in "), krsName, literal(", dat op "), determination,
				literal(" definitief was vastgesteld, gecorrigeerd"),
				when(hasPrevious, text{literal(" van "), previousWords, literal(" in "), resultWords, literal(".")},
					text{literal(". Het nieuwe resultaat is: "), resultWords, literal(".")}),
				reason[Dutch],
				literal("\n\nHet gecorrigeerde resultaat vervangt het vastgestelde resultaat en doorloopt zijn eigen procedure: je krijgt er apart bericht over, met de termijnen voor inzage, klacht en beroep die daarvoor gelden. De termijnen van het oude resultaat vervallen.")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee has corrected your result in "), krsName, literal(", which was determined on "), determination,
				when(hasPrevious, text{literal(", from "), previousWords, literal(" to "), resultWords, literal(".")},
					text{literal(". The new result is: "), resultWords, literal(".")}),
				reason[English],
				literal("\n\nThe corrected result replaces the determined result and follows its own procedure: you will receive a separate message about it, with the terms for inspection, complaint and appeal that apply to it. The terms of the old result no longer apply.")},
				closing[English]),
		}},

	{kind: MessageInvalidated,
		subject: Words{"Resultaat ongeldig verklaard", "Result declared invalid"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft op "), onDate, literal(" je resultaat in "), krsName,
				literal(" ongeldig verklaard. Het ongeldig verklaarde resultaat was: "), resultWords, literal("."), reason[Dutch],
				literal("\n\nDit resultaat geldt niet meer, en zijn termijnen vervallen. Ben je het niet eens met dit besluit? Dan kun je "),
				when(hasAppealEnds, text{literal("tot en met "), appealEnds, literal(" ")}, nil),
				literal("in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee declared your result in "), krsName, literal(" invalid on "), onDate,
				literal(". The result declared invalid was: "), resultWords, literal("."), reason[English],
				literal("\n\nThis result no longer applies, and neither do its terms. Do you disagree with this decision? You can appeal to the Examination Appeals Board (CBE) at "),
				boardAddress, when(hasAppealEnds, text{literal(" until and including "), appealEnds}, nil), literal(".")},
				closing[English]),
		}},
}
