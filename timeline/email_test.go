package timeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// studentCase is a timeline of message_test.go, with an id for the UIDs,
// and the e-mail and calendar details to deliver it.
type studentCase struct {
	name string
	tl   Timeline
	mail Mail
}

// studentCases are the "christmas" and "late" timelines of
// TestStudentMessageGolden.
func studentCases(t *testing.T) []studentCase {
	t.Helper()
	facts := []struct {
		name string
		f    Facts
		sent time.Time
	}{
		// Registered Friday 18 December 2026, in winter time (+0100).
		{"christmas", Facts{Result: "r-1", Exam: day(t, "2026-11-30"), Registered: day(t, "2026-12-18")},
			at(t, "2026-12-18", 9, 30)},
		// Registered Monday 10 May 2027, in summer time (+0200).
		{"late", Facts{Result: "assoc-1207", Exam: day(t, "2027-04-12"), Registered: day(t, "2027-05-10")},
			at(t, "2027-05-10", 9, 30)},
	}
	var out []studentCase
	for _, c := range facts {
		tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
		require.NoError(t, err)
		out = append(out, studentCase{name: c.name, tl: tl, mail: Mail{
			From:      "Examencommissie ROC Voorbeeld <examencommissie@roc-voorbeeld.nl>",
			To:        "Sam de Vries <s123456@student.roc-voorbeeld.nl>",
			MessageID: c.f.Result + ".registered@roc-voorbeeld.nl",
			Date:      c.sent,
		}})
	}
	return out
}

func TestStudentEmailGolden(t *testing.T) {
	for _, c := range studentCases(t) {
		t.Run(c.name, func(t *testing.T) {
			msg, err := c.tl.StudentEmail(settings, c.mail)
			require.NoError(t, err)
			golden(t, "email-"+c.name+".golden", string(msg))
		})
	}
}

// checkMailLines checks that every line ends in CRLF, is 7-bit and has at
// most 998 octets, and returns the length of the longest.
func checkMailLines(t *testing.T, msg []byte) int {
	t.Helper()
	require.True(t, bytes.HasSuffix(msg, []byte("\r\n")), "the message ends in CRLF")
	longest := 0
	for i, line := range bytes.Split(msg[:len(msg)-2], []byte("\r\n")) {
		assert.NotContains(t, string(line), "\r", "line %d: a bare CR", i+1)
		assert.NotContains(t, string(line), "\n", "line %d: a bare LF", i+1)
		assert.LessOrEqual(t, len(line), maxLine, "line %d", i+1)
		for _, c := range line {
			assert.Less(t, c, byte(0x80), "line %d: not 7-bit: %q", i+1, line)
		}
		longest = max(longest, len(line))
	}
	return longest
}

// Parsed back with net/mail and mime/multipart, the e-mail has the headers
// asked for and carries StudentMessage's texts, each in its language.
func TestStudentEmailParse(t *testing.T) {
	for _, c := range studentCases(t) {
		t.Run(c.name, func(t *testing.T) {
			raw, err := c.tl.StudentEmail(settings, c.mail)
			require.NoError(t, err)
			assert.LessOrEqual(t, checkMailLines(t, raw), maxHeaderLine)

			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			require.NoError(t, err)
			from, err := msg.Header.AddressList("From")
			require.NoError(t, err)
			assert.Equal(t, []*mail.Address{{Name: "Examencommissie ROC Voorbeeld", Address: "examencommissie@roc-voorbeeld.nl"}}, from)
			to, err := msg.Header.AddressList("To")
			require.NoError(t, err)
			assert.Equal(t, []*mail.Address{{Name: "Sam de Vries", Address: "s123456@student.roc-voorbeeld.nl"}}, to)
			var dec mime.WordDecoder
			subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
			require.NoError(t, err)
			assert.Equal(t, "Nieuw voorlopig resultaat / New provisional result", subject)
			date, err := msg.Header.Date()
			require.NoError(t, err)
			assert.True(t, date.Equal(c.mail.Date), "Date %v, want %v", date, c.mail.Date)
			_, offset := date.Zone()
			_, want := c.mail.Date.Zone()
			assert.Equal(t, want, offset, "the Date keeps its own zone")
			assert.Equal(t, "<"+c.mail.MessageID+">", msg.Header.Get("Message-ID"))
			assert.Equal(t, "1.0", msg.Header.Get("MIME-Version"))
			assert.Equal(t, "auto-generated", msg.Header.Get("Auto-Submitted"))

			mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
			require.NoError(t, err)
			assert.Equal(t, "multipart/multilingual", mediaType)
			assert.Equal(t, mimeBoundary(c.mail.MessageID), params["boundary"])

			parts := multipart.NewReader(msg.Body, params["boundary"])
			preface, err := parts.NextPart()
			require.NoError(t, err)
			assert.Equal(t, "text/plain; charset=utf-8", preface.Header.Get("Content-Type"))
			text, err := io.ReadAll(preface) // NextPart decodes quoted-printable
			require.NoError(t, err)
			assert.Equal(t, crlf(emailPreface), string(text))

			for _, lang := range []Language{Dutch, English} {
				part, err := parts.NextPart()
				require.NoError(t, err, lang)
				assert.Equal(t, "message/rfc822", part.Header.Get("Content-Type"))
				assert.Equal(t, string(lang), part.Header.Get("Content-Language"))
				assert.Equal(t, "inline", part.Header.Get("Content-Disposition"))
				assert.Equal(t, map[Language]string{Dutch: "original", English: "human"}[lang], part.Header.Get("Content-Translation-Type"))
				inner, err := mail.ReadMessage(part)
				require.NoError(t, err)
				assert.Equal(t, map[Language]string{Dutch: subjectDutch, English: subjectEnglish}[lang], inner.Header.Get("Subject"))
				assert.Equal(t, string(lang), inner.Header.Get("Content-Language"))
				assert.Equal(t, "text/plain; charset=utf-8", inner.Header.Get("Content-Type"))
				assert.Equal(t, "quoted-printable", inner.Header.Get("Content-Transfer-Encoding"))
				body, err := io.ReadAll(quotedprintable.NewReader(inner.Body))
				require.NoError(t, err)
				want, err := c.tl.StudentMessage(lang, settings)
				require.NoError(t, err)
				assert.Equal(t, crlf(want), string(body))
			}
			_, err = parts.NextPart()
			assert.ErrorIs(t, err, io.EOF)
		})
	}
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// A non-ASCII display name is an encoded-word, a long header is folded
// before white space, and both read back the same.
func TestStudentEmailHeaders(t *testing.T) {
	c := studentCases(t)[0]
	m := c.mail
	m.From = `"Examencommissie van het Regionaal Opleidingencentrum Voorbeeld, locatie Middelburg" <examencommissie@roc-voorbeeld.nl>`
	m.To = "Zoë de Vries-Çelik <s123456@student.roc-voorbeeld.nl>"
	raw, err := c.tl.StudentEmail(settings, m)
	require.NoError(t, err)
	assert.LessOrEqual(t, checkMailLines(t, raw), maxHeaderLine)
	assert.Contains(t, string(raw), "\r\nTo: =?utf-8?q?Zo=C3=AB_de_Vries-=C3=87elik?=\r\n <s123456@student.roc-voorbeeld.nl>\r\n")
	assert.Contains(t, string(raw), "Voorbeeld, locatie\r\n Middelburg\" <examencommissie@roc-voorbeeld.nl>\r\n", "folded before a space")

	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	from, err := msg.Header.AddressList("From")
	require.NoError(t, err)
	assert.Equal(t, "Examencommissie van het Regionaal Opleidingencentrum Voorbeeld, locatie Middelburg", from[0].Name)
	to, err := msg.Header.AddressList("To")
	require.NoError(t, err)
	assert.Equal(t, "Zoë de Vries-Çelik", to[0].Name)

	// The same mail gives the same bytes; another Message-ID another boundary.
	again, err := c.tl.StudentEmail(settings, m)
	require.NoError(t, err)
	assert.Equal(t, raw, again)
	assert.NotEqual(t, mimeBoundary("a@b"), mimeBoundary("a@c"))
}

func TestHeaderFolding(t *testing.T) {
	// A word longer than a line stays whole, on a line of its own.
	var b bytes.Buffer
	h := headerWriter{b: &b}
	long := strings.Repeat("x", 90)
	h.field("Subject", "short "+long+" tail")
	require.NoError(t, h.err)
	assert.Equal(t, "Subject: short\r\n "+long+"\r\n tail\r\n", b.String())

	// Folded before the last space that fits; runs of spaces stay whole.
	b.Reset()
	h.field("Keywords", strings.Repeat("word  ", 30))
	require.NoError(t, h.err)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
	assert.Greater(t, len(lines), 2)
	for _, line := range lines {
		assert.NotEmpty(t, strings.TrimSpace(line), "no line of white space only")
		assert.LessOrEqual(t, len(line), maxHeaderLine, "%q", line)
	}
	assert.Equal(t, "Keywords: "+strings.Repeat("word  ", 30), strings.Join(lines, ""), "unfolding gives the field back")

	h = headerWriter{b: &b}
	h.field("Subject", "a\r\nBcc: someone@example.com")
	assert.ErrorIs(t, h.err, ErrMessage)
	h = headerWriter{b: &b}
	h.field("Subject", strings.Repeat("y", maxLine))
	assert.ErrorIs(t, h.err, ErrMessage)
	assert.Contains(t, h.err.Error(), "more than 998")
}

func TestStudentEmailErrors(t *testing.T) {
	c := studentCases(t)[0]
	cases := []struct {
		name string
		edit func(*Mail, *Settings)
		want string
	}{
		{"no from", func(m *Mail, _ *Settings) { m.From = "" }, "From address"},
		{"bad to", func(m *Mail, _ *Settings) { m.To = "Sam <s123456@>" }, "To address"},
		{"two to", func(m *Mail, _ *Settings) { m.To = "a@example.com, b@example.com" }, "To address"},
		{"utf-8 address", func(m *Mail, _ *Settings) { m.To = "zoë@student.roc-voorbeeld.nl" }, "not ASCII"},
		{"no message-id", func(m *Mail, _ *Settings) { m.MessageID = "" }, "no Message-ID"},
		{"brackets", func(m *Mail, _ *Settings) { m.MessageID = "<r-1@roc-voorbeeld.nl>" }, "without angle brackets"},
		{"no at", func(m *Mail, _ *Settings) { m.MessageID = "r-1" }, "Message-ID"},
		{"space", func(m *Mail, _ *Settings) { m.MessageID = "r 1@roc-voorbeeld.nl" }, "Message-ID"},
		{"empty atom", func(m *Mail, _ *Settings) { m.MessageID = "r-1.@roc-voorbeeld.nl" }, "Message-ID"},
		{"no date", func(m *Mail, _ *Settings) { m.Date = time.Time{} }, "no Date"},
		{"settings", func(_ *Mail, s *Settings) { s.AppealsBoardAddress = "" }, "AppealsBoardAddress"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, s := c.mail, settings
			tc.edit(&m, &s)
			_, err := c.tl.StudentEmail(s, m)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMessage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	// A literal on the right of the Message-ID is allowed.
	m := c.mail
	m.MessageID = "r-1.registered@[192.0.2.1]"
	_, err := c.tl.StudentEmail(settings, m)
	require.NoError(t, err)

	unregistered, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-9", Exam: day(t, "2026-11-30")})
	require.NoError(t, err)
	_, err = unregistered.StudentEmail(settings, c.mail)
	assert.ErrorIs(t, err, ErrMessage)
	assert.Contains(t, err.Error(), "not registered")
	assert.False(t, errors.Is(err, ErrInvalidFacts))
}

func ExampleTimeline_StudentEmail() {
	amsterdam := calendar.Default().Location()
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{
		Result:     "assoc-1207",
		Exam:       time.Date(2027, time.April, 12, 11, 0, 0, 0, amsterdam),
		Registered: time.Date(2027, time.May, 10, 9, 0, 0, 0, amsterdam),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	msg, err := tl.StudentEmail(Settings{
		Institution:         "Examencommissie ROC Voorbeeld",
		KRS:                 "Eduarte",
		CommitteeAddress:    "examencommissie@roc-voorbeeld.nl",
		AppealsBoardAddress: "cbe@roc-voorbeeld.nl",
	}, Mail{
		From:      "Examencommissie ROC Voorbeeld <examencommissie@roc-voorbeeld.nl>",
		To:        "Zoë de Vries <s123456@student.roc-voorbeeld.nl>",
		MessageID: "assoc-1207.registered@roc-voorbeeld.nl",
		Date:      time.Date(2027, time.May, 10, 9, 30, 0, 0, amsterdam),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	header, _, _ := strings.Cut(string(msg), "\r\n\r\n")
	for line := range strings.SplitSeq(header, "\r\n") {
		fmt.Println(line)
	}
	// Output:
	// From: "Examencommissie ROC Voorbeeld" <examencommissie@roc-voorbeeld.nl>
	// To: =?utf-8?q?Zo=C3=AB_de_Vries?= <s123456@student.roc-voorbeeld.nl>
	// Subject: Nieuw voorlopig resultaat / New provisional result
	// Date: Mon, 10 May 2027 09:30:00 +0200
	// Message-ID: <assoc-1207.registered@roc-voorbeeld.nl>
	// Auto-Submitted: auto-generated
	// MIME-Version: 1.0
	// Content-Type: multipart/multilingual;
	//  boundary="=_0f88609752d1ff11e537e8306b2e8838"
}
