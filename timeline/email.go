package timeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// A Mail addresses the e-mail that carries the student message; see
// [Timeline.StudentEmail] and [Timeline.Email]. Every field is required: the same Mail and the
// same timeline give the same bytes.
type Mail struct {
	// From and To are RFC 5322 addresses, parsed with net/mail, such as
	// "Examencommissie ROC Voorbeeld <examencommissie@roc-voorbeeld.nl>".
	// To is the student's.
	From, To string

	// MessageID identifies the message, without angle brackets, for
	// example "assoc-1207.registered@roc-voorbeeld.nl". The MIME boundary
	// is derived from it.
	MessageID string

	// Date is the moment written in the Date header, in its own zone.
	Date time.Time
}

// The subjects of the provisional student e-mail. The message's own
// Subject names both languages, Dutch first; each language part carries
// its own. The other kinds' subjects are in kindSpecs.
const (
	subjectDutch   = "Nieuw voorlopig resultaat"
	subjectEnglish = "New provisional result"
)

// emailPreface is the multilingual preface of RFC 8255: what a
// reader whose mail program does not choose a language sees first.
const emailPreface = `Dit bericht staat hieronder in het Nederlands en in het Engels.
Beide versies zeggen hetzelfde.

This message follows below in Dutch and in English.
Both versions say the same.
`

// StudentEmail writes the student message, in Dutch and in English, as a
// complete Internet message (RFC 5322) with CRLF line endings, ready to
// hand to an SMTP client.
//
// The body is multipart/multilingual (RFC 8255): a text/plain preface in
// both languages, then one message/rfc822 part per language, Dutch first,
// each with Content-Language and its own Subject, holding the text of
// [Timeline.StudentMessage] as text/plain in UTF-8, quoted-printable. Every
// line is 7-bit, and header fields are folded to 78 octets where they have
// room to fold; no line exceeds 998. The Subject is "Nieuw voorlopig
// resultaat / New provisional result"; non-ASCII in a display name is
// written as an RFC 2047 encoded-word. Auto-Submitted: auto-generated (RFC
// 3834) tells mail programs not to answer it automatically.
//
// An invalid or non-ASCII address, a missing or malformed Message-ID, a
// zero Date and whatever StudentMessage refuses match ErrMessage.
//
// Like StudentMessage it does not say what the result is; an office sends
// [Timeline.Email].
func (t *Timeline) StudentEmail(s Settings, m Mail) ([]byte, error) {
	from, to, err := m.check()
	if err != nil {
		return nil, err
	}
	var texts [2]string
	for i, lang := range []Language{Dutch, English} {
		if texts[i], err = t.StudentMessage(lang, s); err != nil {
			return nil, err
		}
	}
	return writeEmail(from, to, m, Words{subjectDutch, subjectEnglish}, texts)
}

// Email writes the message of a change in the status of a result, the
// text of [Timeline.Message] in Dutch and in English, as a complete
// Internet message, as [Timeline.StudentEmail] writes the provisional
// message: multipart/multilingual, Dutch first. The Subject names the
// change in both languages, for example "Resultaat definitief vastgesteld
// / Result determined and final", and each language part carries its own.
// sub.Result must be given in both languages.
//
// What Message refuses, an invalid or non-ASCII address, a missing or
// malformed Message-ID and a zero Date match ErrMessage. Mail.Date is when
// the mail is sent; the dates the message names come from the timeline.
func (t *Timeline) Email(sub Subject, s Settings, m Mail) ([]byte, error) {
	from, to, err := m.check()
	if err != nil {
		return nil, err
	}
	spec, d, err := t.messageData(sub, s, Dutch, English)
	if err != nil {
		return nil, err
	}
	var texts [2]string
	for i, lang := range []Language{Dutch, English} {
		t.localize(&d, sub, lang)
		texts[i] = spec.texts[i].string(&d)
	}
	return writeEmail(from, to, m, spec.subject, texts)
}

// check checks the mail's fields and returns its addresses as header
// fields write them.
func (m Mail) check() (from, to string, err error) {
	if from, err = headerAddress("From", m.From); err != nil {
		return "", "", err
	}
	if to, err = headerAddress("To", m.To); err != nil {
		return "", "", err
	}
	if err := checkMessageID(m.MessageID); err != nil {
		return "", "", err
	}
	if m.Date.IsZero() {
		return "", "", fmt.Errorf("timeline: %w: the e-mail has no Date", ErrMessage)
	}
	return from, to, nil
}

// writeEmail writes the e-mail of the texts, Dutch and English, under the
// subject, to the checked addresses.
func writeEmail(from, to string, m Mail, subject Words, texts [2]string) ([]byte, error) {
	parts := []struct {
		lang        Language
		subject     string
		translation string // Content-Translation-Type (RFC 8255)
		text        string
	}{
		{Dutch, subject.Dutch, "original", texts[0]},
		{English, subject.English, "human", texts[1]},
	}

	boundary := mimeBoundary(m.MessageID)
	var b bytes.Buffer
	b.Grow(len(texts[0]) + len(texts[1]) + 2048)
	h := headerWriter{b: &b}
	h.field("From", from)
	h.field("To", to)
	h.field("Subject", mime.QEncoding.Encode("utf-8", subject.Dutch+" / "+subject.English))
	h.field("Date", m.Date.Format(time.RFC1123Z))
	h.field("Message-ID", "<"+m.MessageID+">")
	h.field("Auto-Submitted", "auto-generated")
	h.field("MIME-Version", "1.0")
	h.field("Content-Type", mime.FormatMediaType("multipart/multilingual", map[string]string{"boundary": boundary}))
	b.WriteString("\r\n--" + boundary + "\r\n")

	h.field("Content-Type", "text/plain; charset=utf-8")
	h.field("Content-Transfer-Encoding", "quoted-printable")
	h.field("Content-Disposition", "inline")
	b.WriteString("\r\n")
	writeQuotedPrintable(&b, emailPreface)

	for _, p := range parts {
		b.WriteString("\r\n--" + boundary + "\r\n")
		h.field("Content-Type", "message/rfc822")
		h.field("Content-Language", string(p.lang))
		h.field("Content-Translation-Type", p.translation)
		h.field("Content-Disposition", "inline")
		b.WriteString("\r\n")
		// The message in this language.
		h.field("Subject", mime.QEncoding.Encode("utf-8", p.subject))
		h.field("MIME-Version", "1.0")
		h.field("Content-Type", "text/plain; charset=utf-8")
		h.field("Content-Language", string(p.lang))
		h.field("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQuotedPrintable(&b, p.text)
	}
	b.WriteString("\r\n--" + boundary + "--\r\n")
	if h.err != nil {
		return nil, h.err
	}
	return b.Bytes(), nil
}

// headerAddress parses one RFC 5322 address and writes it for a header
// field, with a non-ASCII display name as an encoded-word. An address whose
// addr-spec is not ASCII needs SMTPUTF8 (RFC 6531, 6532), which this
// message does not claim, and is refused.
func headerAddress(field, s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", fmt.Errorf("timeline: %w: %s address %q: %w", ErrMessage, field, s, err)
	}
	for i := 0; i < len(a.Address); i++ {
		if a.Address[i] >= utf8.RuneSelf {
			return "", fmt.Errorf("timeline: %w: %s address %q is not ASCII", ErrMessage, field, a.Address)
		}
	}
	return a.String(), nil
}

// checkMessageID checks the id between the angle brackets of a msg-id
// (RFC 5322 section 3.6.4): id-left "@" id-right, where id-left is a
// dot-atom-text and id-right a dot-atom-text or a no-fold-literal.
func checkMessageID(id string) error {
	if id == "" {
		return fmt.Errorf("timeline: %w: the e-mail has no Message-ID", ErrMessage)
	}
	left, right, ok := strings.Cut(id, "@")
	if ok && isDotAtomText(left) && (isDotAtomText(right) || isNoFoldLiteral(right)) {
		return nil
	}
	return fmt.Errorf("timeline: %w: Message-ID %q is not of the form left@right, without angle brackets", ErrMessage, id)
}

func isDotAtomText(s string) bool {
	for atom := range strings.SplitSeq(s, ".") {
		if atom == "" {
			return false
		}
		for i := 0; i < len(atom); i++ {
			if !isAtextByte(atom[i]) {
				return false
			}
		}
	}
	return true
}

// isAtextByte reports whether c is an RFC 5322 atext character.
func isAtextByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

func isNoFoldLiteral(s string) bool {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; c < 33 || c > 126 || c == '[' || c == ']' || c == '\\' {
			return false
		}
	}
	return true
}

// mimeBoundary derives the boundary from the Message-ID, so that the
// message is the same each time it is written. It starts with "=_", which
// quoted-printable text cannot contain.
func mimeBoundary(messageID string) string {
	sum := sha256.Sum256([]byte(messageID))
	return "=_" + hex.EncodeToString(sum[:16])
}

// writeQuotedPrintable writes text, whose lines end in "\n", as
// quoted-printable with CRLF line endings and lines of at most 76 octets.
func writeQuotedPrintable(b *bytes.Buffer, text string) {
	w := quotedprintable.NewWriter(b)
	w.Write([]byte(text)) // a bytes.Buffer does not fail
	w.Close()
}

// maxHeaderLine is the length a header line should keep to (RFC 5322
// section 2.1.1); maxLine is the length no line may exceed.
const (
	maxHeaderLine = 78
	maxLine       = 998
)

// headerWriter writes header fields, folded before white space so that a
// line keeps to 78 octets when the field has room to fold. It keeps the
// first error.
type headerWriter struct {
	b   *bytes.Buffer
	err error
}

func (h *headerWriter) field(name, value string) {
	if strings.ContainsAny(value, "\r\n") {
		h.fail(fmt.Errorf("timeline: %w: header field %s contains a line break", ErrMessage, name))
		return
	}
	line := name + ": " + value
	start := len(name) + 2 // no fold before the value begins
	for len(line) > maxHeaderLine {
		i := foldPoint(line, start)
		if i < 0 {
			break
		}
		h.line(name, line[:i])
		line, start = line[i:], 1
	}
	h.line(name, line)
}

// foldPoint returns where to fold line: before the last white space that
// follows a non-space at or after start and leaves at most maxHeaderLine
// octets, else before the first such white space; -1 if there is none.
func foldPoint(line string, start int) int {
	best := -1
	for i := max(start, 1); i < len(line); i++ {
		if (line[i] == ' ' || line[i] == '\t') && line[i-1] != ' ' && line[i-1] != '\t' {
			if i > maxHeaderLine && best >= 0 {
				break
			}
			best = i
			if i > maxHeaderLine {
				break
			}
		}
	}
	return best
}

func (h *headerWriter) line(name, s string) {
	if len(s) > maxLine {
		h.fail(fmt.Errorf("timeline: %w: header field %s has a line of %d octets, more than %d", ErrMessage, name, len(s), maxLine))
	}
	h.b.WriteString(s)
	h.b.WriteString("\r\n")
}

func (h *headerWriter) fail(err error) {
	if h.err == nil {
		h.err = err
	}
}
