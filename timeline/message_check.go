package timeline

import (
	"fmt"
	"strings"
)

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
		return fmt.Errorf("subject field %s.%s is empty: the %s result is given in one language only", field, languageName(lang), strings.ToLower(field))
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < ' ' || c == 0x7f {
			return fmt.Errorf("subject field %s.%s %q is not one line of text", field, languageName(lang), w)
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
