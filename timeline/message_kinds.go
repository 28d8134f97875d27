package timeline

import (
	"fmt"
	"strings"
	"time"
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
