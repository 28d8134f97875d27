package timeline

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A kindCase is a timeline at the moment a kind of message is sent, the
// subject of that message, and what the message must say in each
// language: the result and the dates.
type kindCase struct {
	name string // the golden file's name: the kind, or kind-variant
	f    Facts
	sub  Subject
	want map[Language][]string
}

var (
	grade   = Words{"7,5", "7.5"}
	absent  = Words{"niet verschenen (geen cijfer)", "absent (no grade)"}
	decided = "De beoordeling van opdracht 3 is opnieuw bekeken; de normering is juist toegepast."
)

// kindCases are DOMAIN example A (exam Monday 18 January 2027, registered
// Friday 5 February: inspection until Friday 19 February, determination
// Monday 1 March, appeal until Monday 15 March) at each change.
func kindCases(t *testing.T) []kindCase {
	t.Helper()
	a := Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")}
	final := a
	final.Determined = day(t, "2027-03-01")
	early := a
	early.Determined, early.Early = day(t, "2027-02-10"), true
	complaint := a
	complaint.ComplaintLodged, complaint.ComplaintDecided = day(t, "2027-02-10"), day(t, "2027-02-17")
	// A grade corrected on a complaint is registered anew at the decision,
	// and result.Result.Facts leaves the old complaint out.
	regraded := Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-17")}
	appeal := final
	appeal.AppealLodged, appeal.AppealDecided = day(t, "2027-03-08"), day(t, "2027-04-06")

	return []kindCase{
		{"provisional", a, Subject{Kind: MessageProvisional, Result: grade}, map[Language][]string{
			Dutch: {"Er is een nieuw voorlopig resultaat toegevoegd in Eduarte: 7,5.\n",
				"voorlopig tot maandag 1 maart 2027, tenzij", "uiterlijk vrijdag 19 februari 2027 contact op",
				"tot en met maandag 15 maart 2027 in beroep"},
			English: {"A new provisional result has been added in Eduarte: 7.5.\n",
				"provisional until Monday 1 March 2027, unless", "no later than Friday 19 February 2027.",
				"until and including Monday 15 March 2027."},
		}},
		{"final", final, Subject{Kind: MessageFinal, Result: grade}, map[Language][]string{
			Dutch: {"Je resultaat in Eduarte is op maandag 1 maart 2027 definitief vastgesteld: 7,5.\n",
				"tot en met maandag 15 maart 2027 in beroep gaan bij de Commissie van Beroep voor de Examens via cbe@roc-voorbeeld.nl."},
			English: {"Your result in Eduarte was determined on Monday 1 March 2027 and is now final: 7.5.\n",
				"(CBE) at cbe@roc-voorbeeld.nl until and including Monday 15 March 2027."},
		}},
		{"determined_early", early, Subject{Kind: MessageDeterminedEarly, Result: grade, Reason: "Diploma-uitreiking op 12 februari 2027."},
			map[Language][]string{
				Dutch: {"op woensdag 10 februari 2027 vervroegd definitief vastgesteld, voor het uitreiken van een diploma of mbo-certificaat: 7,5.\n",
					"Reden van het besluit: “Diploma-uitreiking op 12 februari 2027.”",
					"tot en met woensdag 24 februari 2027 in beroep",
					"je nog tot en met vrijdag 19 februari 2027 bij de examencommissie melden via examencommissie@roc-voorbeeld.nl."},
				English: {"early, on Wednesday 10 February 2027, so that a diploma or MBO certificate can be issued: 7.5.\n",
					"Reason for the decision: “Diploma-uitreiking op 12 februari 2027.”",
					"until and including Wednesday 24 February 2027.",
					"you can still contact the exam committee at examencommissie@roc-voorbeeld.nl until and including Friday 19 February 2027."},
			}},
		{"complaint_decided", regraded, Subject{Kind: MessageComplaintDecided, Result: Words{"7,0", "7.0"},
			Previous: Words{"5,0", "5.0"}, Outcome: "upheld", Reason: "Opdracht 3 is te streng beoordeeld."},
			map[Language][]string{
				Dutch: {"op woensdag 17 februari 2027 een besluit genomen over je klacht", "de klacht is gegrond verklaard.",
					"gewijzigd van 5,0 in 7,0.", "voorlopig tot woensdag 10 maart 2027", "uiterlijk woensdag 3 maart 2027 contact op",
					"tot en met woensdag 24 maart 2027 in beroep"},
				English: {"on Wednesday 17 February 2027: your complaint was upheld.", "changed from 5.0 to 7.0.",
					"provisional until Wednesday 10 March 2027", "no later than Wednesday 3 March 2027.",
					"until and including Wednesday 24 March 2027."},
			}},
		{"complaint_decided-unchanged", complaint, Subject{Kind: MessageComplaintDecided, Result: grade, Outcome: "not_upheld", Reason: decided},
			map[Language][]string{
				Dutch: {"op woensdag 17 februari 2027 een besluit genomen", "de klacht is ongegrond verklaard.",
					"Je resultaat blijft ongewijzigd: 7,5.", "voorlopig tot maandag 1 maart 2027",
					"loopt nog tot en met vrijdag 19 februari 2027.", "tot en met maandag 15 maart 2027 in beroep", "“" + decided + "”"},
				English: {"on Wednesday 17 February 2027: your complaint was not upheld.", "Your result stays unchanged: 7.5.",
					"remains open until and including Friday 19 February 2027.", "until and including Monday 15 March 2027."},
			}},
		{"appeal_decided", appeal, Subject{Kind: MessageAppealDecided, Result: grade, Outcome: "not_upheld"},
			map[Language][]string{
				Dutch: {"heeft op dinsdag 6 april 2027 een besluit genomen over je beroep", "het beroep is ongegrond verklaard.",
					"blijft daarmee definitief, zoals het op maandag 1 maart 2027 is vastgesteld: 7,5."},
				English: {"on Tuesday 6 April 2027: your appeal was not upheld.", "remains final, as determined on Monday 1 March 2027: 7.5."},
			}},
		{"annulled", appeal, Subject{Kind: MessageAnnulled, Result: grade, Outcome: "upheld"},
			map[Language][]string{
				Dutch: {"heeft op dinsdag 6 april 2027 je beroep gegrond verklaard en je resultaat in Eduarte vernietigd.",
					"Het vernietigde resultaat was: 7,5.", "De examencommissie neemt een nieuw besluit"},
				English: {"upheld your appeal on Tuesday 6 April 2027 and annulled your result in Eduarte.",
					"The annulled result was: 7.5.", "The exam committee will take a new decision"},
			}},
		{"corrected", final, Subject{Kind: MessageCorrected, Result: Words{"6,5", "6.5"}, Previous: Words{"5,5", "5.5"},
			Reason: "Een telfout in het beoordelingsformulier."},
			map[Language][]string{
				Dutch:   {"dat op maandag 1 maart 2027 definitief was vastgesteld, gecorrigeerd van 5,5 in 6,5.", "je krijgt er apart bericht over"},
				English: {"which was determined on Monday 1 March 2027, from 5.5 to 6.5.", "you will receive a separate message about it"},
			}},
	}
}

func TestMessageGolden(t *testing.T) {
	for _, c := range kindCases(t) {
		tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
		require.NoError(t, err)
		for _, lang := range []Language{Dutch, English} {
			t.Run(c.name+"/"+string(lang), func(t *testing.T) {
				msg, err := tl.Message(c.sub, lang, settings)
				require.NoError(t, err)
				golden(t, "messages/"+c.name+"."+string(lang)+".txt", msg)
			})
		}
	}
}

// Every kind in both languages names the result and the right dates, and
// every kind has a case.
func TestMessageContent(t *testing.T) {
	seen := map[MessageKind]bool{}
	for _, c := range append(kindCases(t), invalidatedCases(t)...) {
		seen[c.sub.Kind] = true
		tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
		require.NoError(t, err)
		for _, lang := range []Language{Dutch, English} {
			t.Run(c.name+"/"+string(lang), func(t *testing.T) {
				msg, err := tl.Message(c.sub, lang, settings)
				require.NoError(t, err)
				greeting, signature := "Beste student,\n\n", "\n\nMet vriendelijke groet,\nExamencommissie ROC Voorbeeld\n"
				if lang == English {
					greeting, signature = "Dear student,\n\n", "\n\nKind regards,\nExamencommissie ROC Voorbeeld\n"
				}
				assert.True(t, strings.HasPrefix(msg, greeting), msg)
				assert.True(t, strings.HasSuffix(msg, signature), msg)
				assert.Contains(t, msg, c.sub.Result.in(lang), "the message says what the result is")
				require.NotEmpty(t, c.want[lang])
				for _, want := range c.want[lang] {
					assert.Contains(t, msg, want)
				}
				assert.NotContains(t, msg, "\n\n\n")
				assert.NotContains(t, msg, "  ")
				assert.NotContains(t, msg, "..")
				assert.NotContains(t, msg, " .")
			})
		}
	}
	for _, k := range MessageKinds() {
		assert.True(t, seen[k], "no case for %s", k)
	}
}

// The provisional message is StudentMessage's, but for the sentence that
// says what the result is.
func TestMessageProvisionalIsStudentMessage(t *testing.T) {
	for _, c := range studentCases(t) {
		for _, lang := range []Language{Dutch, English} {
			msg, err := c.tl.Message(Subject{Kind: MessageProvisional, Result: absent}, lang, settings)
			require.NoError(t, err)
			old, err := c.tl.StudentMessage(lang, settings)
			require.NoError(t, err)
			from, to := "Er is een nieuw resultaat toegevoegd in Eduarte.", "Er is een nieuw voorlopig resultaat toegevoegd in Eduarte: niet verschenen (geen cijfer)."
			if lang == English {
				from, to = "A new result has been added in Eduarte.", "A new provisional result has been added in Eduarte: absent (no grade)."
			}
			assert.Equal(t, strings.Replace(old, from, to, 1), msg)
		}
	}
}

// When the calendar's working day ends before midnight, the last day of a
// term names the hour; the day of an event does not.
func TestMessageClock(t *testing.T) {
	tl, err := New(busyCalendar(t), DefaultPolicies(), Facts{Result: "r-3", Exam: day(t, "2026-11-30"),
		Registered: day(t, "2026-12-18"), Determined: day(t, "2027-01-25")})
	require.NoError(t, err)
	nl, err := tl.Message(Subject{Kind: MessageFinal, Result: grade}, Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, nl, "op maandag 25 januari 2027 definitief vastgesteld: 7,5.")
	assert.Contains(t, nl, "tot en met maandag 8 februari 2027 om 17.00 uur in beroep")
	en, err := tl.Message(Subject{Kind: MessageFinal, Result: grade}, English, settings)
	require.NoError(t, err)
	assert.Contains(t, en, "until and including Monday 8 February 2027 at 17:00.")
}

// An early determination after the inspection window says nothing of it;
// a complaint decided after the window does not say it is still open.
func TestMessageConditions(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Determined: day(t, "2027-02-22"), Early: true})
	require.NoError(t, err)
	require.False(t, tl.HasConflict(InspectionCutShort))
	msg, err := tl.Message(Subject{Kind: MessageDeterminedEarly, Result: grade}, Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "op maandag 22 februari 2027 vervroegd definitief vastgesteld")
	assert.Contains(t, msg, "tot en met maandag 8 maart 2027 in beroep")
	assert.NotContains(t, msg, "inzage en klacht")
	assert.NotContains(t, msg, "Reden van het besluit")

	tl, err = New(calendar.Default(), DefaultPolicies(), Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		ComplaintLodged: day(t, "2027-02-15"), ComplaintDecided: day(t, "2027-02-24")})
	require.NoError(t, err)
	for _, outcome := range []string{"upheld", "withdrawn", "inadmissible"} {
		msg, err = tl.Message(Subject{Kind: MessageComplaintDecided, Result: grade, Outcome: outcome}, English, settings)
		require.NoError(t, err)
		w, _ := outcomeWords(outcome)
		assert.Contains(t, msg, "on Wednesday 24 February 2027: your complaint was "+w.English+".\n\nYour result stays unchanged: 7.5.")
		assert.NotContains(t, msg, "remains open")
		assert.NotContains(t, msg, "Reason for the decision")
	}

	// Decided once determined: the result stays final.
	tl, err = New(calendar.Default(), DefaultPolicies(), Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		ComplaintLodged: day(t, "2027-02-15"), ComplaintDecided: day(t, "2027-03-02"), Determined: day(t, "2027-03-01")})
	require.NoError(t, err)
	msg, err = tl.Message(Subject{Kind: MessageComplaintDecided, Result: grade, Outcome: "not_upheld"}, Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "Je resultaat blijft ongewijzigd: 7,5. Het is op maandag 1 maart 2027 definitief vastgesteld. Je kunt tot en met maandag 15 maart 2027 in beroep")

	// A correction without the grade it replaced names the new one.
	final, err := New(calendar.Default(), DefaultPolicies(), Facts{Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Determined: day(t, "2027-03-01")})
	require.NoError(t, err)
	msg, err = final.Message(Subject{Kind: MessageCorrected, Result: grade}, Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "definitief was vastgesteld, gecorrigeerd. Het nieuwe resultaat is: 7,5.")

	// A reason's line breaks are kept, as line feeds.
	msg, err = final.Message(Subject{Kind: MessageCorrected, Result: grade, Reason: "  Regel één.\r\nRegel twee.\rRegel drie.  "}, Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "“Regel één.\nRegel twee.\nRegel drie.”")
}

func TestMessageKinds(t *testing.T) {
	assert.Equal(t, []MessageKind{MessageProvisional, MessageFinal, MessageDeterminedEarly, MessageComplaintDecided,
		MessageAppealDecided, MessageAnnulled, MessageCorrected, MessageInvalidated}, MessageKinds())
	subjects := map[string]bool{}
	for _, k := range MessageKinds() {
		sp := spec(k)
		require.NotNil(t, sp, k)
		for _, s := range []string{sp.subject.Dutch, sp.subject.English} {
			assert.NotEmpty(t, s, k)
			assert.False(t, subjects[s], "subject %q twice", s)
			subjects[s] = true
		}
	}
	assert.Nil(t, spec("graded"))
	assert.Equal(t, Words{subjectDutch, subjectEnglish}, spec(MessageProvisional).subject)
}

// A message that does not say what the result is is refused, in every
// kind: Message needs the words in its language, Email and CalendarUpdate
// in both.
func TestMessageRequiresResult(t *testing.T) {
	for _, c := range kindCases(t) {
		tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
		require.NoError(t, err)
		t.Run(c.name, func(t *testing.T) {
			sub := c.sub
			sub.Result = Words{}
			for _, lang := range []Language{Dutch, English} {
				_, err := tl.Message(sub, lang, settings)
				require.ErrorIs(t, err, ErrMessage)
				assert.Contains(t, err.Error(), "must say what the result is")
			}
			sub.Result = Words{Dutch: "7,5", English: "  "}
			_, err = tl.Message(sub, Dutch, settings)
			require.NoError(t, err, "the Dutch message needs the Dutch words only")
			_, err = tl.Message(sub, English, settings)
			require.ErrorIs(t, err, ErrMessage)
			assert.Contains(t, err.Error(), "Subject.Result.English")
			_, err = tl.Email(sub, settings, mailFor(t, tl, c.sub.Kind))
			require.ErrorIs(t, err, ErrMessage)
			_, err = tl.CalendarUpdate(sub, settings, uidDomain, day(t, "2027-04-07"), 4)
			require.ErrorIs(t, err, ErrMessage)
		})
	}
}

// An unknown kind or outcome, and a field the kind does not take, are
// refused.
func TestMessageSubjectErrors(t *testing.T) {
	a := Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")}
	complaint := a
	complaint.ComplaintLodged, complaint.ComplaintDecided = day(t, "2027-02-10"), day(t, "2027-02-17")
	final := a
	final.Determined = day(t, "2027-03-01")
	appeal := final
	appeal.AppealLodged, appeal.AppealDecided = day(t, "2027-03-08"), day(t, "2027-04-06")
	cases := []struct {
		name string
		f    Facts
		sub  Subject
		want string
	}{
		{"unknown kind", a, Subject{Kind: "graded", Result: grade}, `unknown message kind "graded"`},
		{"empty kind", a, Subject{Result: grade}, `unknown message kind ""`},
		{"unknown outcome", complaint, Subject{Kind: MessageComplaintDecided, Result: grade, Outcome: "rejected"},
			`unknown outcome "rejected"; want upheld, not_upheld, withdrawn or inadmissible`},
		{"outcome in capitals", appeal, Subject{Kind: MessageAppealDecided, Result: grade, Outcome: "Not_Upheld"}, "unknown outcome"},
		{"no outcome", complaint, Subject{Kind: MessageComplaintDecided, Result: grade}, "the Outcome of the decision is required"},
		{"appeal no outcome", appeal, Subject{Kind: MessageAppealDecided, Result: grade}, "the Outcome of the decision is required"},
		{"appeal upheld", appeal, Subject{Kind: MessageAppealDecided, Result: grade, Outcome: "upheld"}, "that is the annulled message"},
		{"annulled not upheld", appeal, Subject{Kind: MessageAnnulled, Result: grade, Outcome: "not_upheld"}, "is the appeal_decided message"},
		{"outcome on final", final, Subject{Kind: MessageFinal, Result: grade, Outcome: "upheld"}, "the kind takes no Outcome"},
		{"previous on provisional", a, Subject{Kind: MessageProvisional, Result: grade, Previous: grade}, "takes no Previous result"},
		{"previous not upheld", complaint, Subject{Kind: MessageComplaintDecided, Result: grade, Previous: absent, Outcome: "not_upheld"},
			"a new grade (Previous) needs the complaint upheld, not not_upheld"},
		{"previous half", final, Subject{Kind: MessageCorrected, Result: grade, Previous: Words{English: "6.0"}}, "subject field Previous.Dutch"},
		{"reason on provisional", a, Subject{Kind: MessageProvisional, Result: grade, Reason: "x"}, "tells of no decision with a Reason"},
		{"reason on final", final, Subject{Kind: MessageFinal, Result: grade, Reason: "x"}, "tells of no decision with a Reason"},
		{"two lines", a, Subject{Kind: MessageProvisional, Result: Words{"7,5\nBcc: x", "7.5"}}, "is not one line of text"},
		{"settings", a, Subject{Kind: MessageProvisional, Result: grade}, "setting KRS is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := New(calendar.Default(), DefaultPolicies(), tc.f)
			require.NoError(t, err)
			s := settings
			if tc.name == "settings" {
				s.KRS = ""
			}
			_, err = tl.Message(tc.sub, Dutch, s)
			require.ErrorIs(t, err, ErrMessage)
			assert.Contains(t, err.Error(), tc.want)
			_, err = tl.Email(tc.sub, s, mailFor(t, tl, tc.sub.Kind))
			require.ErrorIs(t, err, ErrMessage)
			_, err = tl.CalendarUpdate(tc.sub, s, uidDomain, day(t, "2027-04-07"), 3)
			require.ErrorIs(t, err, ErrMessage)
		})
	}

	tl, err := New(calendar.Default(), DefaultPolicies(), a)
	require.NoError(t, err)
	_, err = tl.Message(Subject{Kind: MessageProvisional, Result: grade}, "de", settings)
	require.ErrorIs(t, err, ErrMessage)
	assert.Contains(t, err.Error(), `unknown language "de"`)
}

// A message of an event the timeline does not have, or whose date the
// facts do not hold, is refused, naming what is missing.
func TestMessageMissingEvent(t *testing.T) {
	exam := Facts{Result: "r-a", Exam: day(t, "2027-01-18")}
	a := exam
	a.Registered = day(t, "2027-02-05")
	complaintOpen := a
	complaintOpen.ComplaintLodged = day(t, "2027-02-10")
	final := a
	final.Determined = day(t, "2027-03-01")
	early := a
	early.Determined, early.Early = day(t, "2027-02-10"), true
	appealOpen := final
	appealOpen.AppealLodged = day(t, "2027-03-08")
	// The facts still hold the complaint decided on 17 February: the
	// registration of the new grade is not that decision's.
	stale := complaintOpen
	stale.ComplaintDecided = day(t, "2027-02-17")
	cases := []struct {
		name string
		f    Facts
		sub  Subject
		want string
	}{
		{"provisional unregistered", exam, Subject{Kind: MessageProvisional, Result: grade}, "registered: the result is not registered"},
		{"final undetermined", a, Subject{Kind: MessageFinal, Result: grade}, "determined: the result is not determined"},
		{"early undetermined", a, Subject{Kind: MessageDeterminedEarly, Result: grade}, "determined: the result is not determined"},
		{"final early", early, Subject{Kind: MessageFinal, Result: grade}, "determined early: that is the determined_early message"},
		{"early not early", final, Subject{Kind: MessageDeterminedEarly, Result: grade}, "not determined early: that is the final message"},
		{"complaint undecided", complaintOpen, Subject{Kind: MessageComplaintDecided, Result: grade, Outcome: "not_upheld"},
			"complaint_decided: the facts have no date of the complaint decision"},
		{"complaint unregistered", exam, Subject{Kind: MessageComplaintDecided, Result: grade, Outcome: "not_upheld"}, "not registered"},
		{"regraded stale", stale, Subject{Kind: MessageComplaintDecided, Result: grade, Previous: absent, Outcome: "upheld"},
			"the new grade is registered on 2027-02-05, before the complaint was decided on 2027-02-17"},
		{"appeal undecided", appealOpen, Subject{Kind: MessageAppealDecided, Result: grade, Outcome: "withdrawn"},
			"appeal_decided: the facts have no date of the appeal decision"},
		{"annulled undecided", appealOpen, Subject{Kind: MessageAnnulled, Result: grade}, "appeal_decided: the facts have no date"},
		{"annulled undetermined", a, Subject{Kind: MessageAnnulled, Result: grade}, "not determined"},
		{"corrected undetermined", a, Subject{Kind: MessageCorrected, Result: grade, Previous: absent}, "not determined"},
		{"invalidated never", final, Subject{Kind: MessageInvalidated, Result: grade}, "invalidated: the facts have no date of the invalidation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := New(calendar.Default(), DefaultPolicies(), tc.f)
			require.NoError(t, err)
			for _, lang := range []Language{Dutch, English} {
				_, err = tl.Message(tc.sub, lang, settings)
				require.ErrorIs(t, err, ErrMessage)
				assert.Contains(t, err.Error(), "result r-a: cannot write the student message: "+string(tc.sub.Kind)+" message: ")
				assert.Contains(t, err.Error(), tc.want)
			}
		})
	}
}

// mailFor addresses the e-mail of a kind of message of the timeline.
func mailFor(t *testing.T, tl Timeline, kind MessageKind) Mail {
	t.Helper()
	return Mail{
		From:      "Examencommissie ROC Voorbeeld <examencommissie@roc-voorbeeld.nl>",
		To:        "Sam de Vries <s123456@student.roc-voorbeeld.nl>",
		MessageID: tl.Result + "." + string(kind) + "@roc-voorbeeld.nl",
		Date:      at(t, "2027-04-07", 9, 30),
	}
}

// Parsed back, the e-mail of every kind has its subject in both languages
// and carries Message's texts, Dutch first.
func TestEmail(t *testing.T) {
	for _, c := range append(kindCases(t), invalidatedCases(t)...) {
		t.Run(c.name, func(t *testing.T) {
			tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
			require.NoError(t, err)
			m := mailFor(t, tl, c.sub.Kind)
			raw, err := tl.Email(c.sub, settings, m)
			require.NoError(t, err)
			assert.LessOrEqual(t, checkMailLines(t, raw), maxHeaderLine)
			again, err := tl.Email(c.sub, settings, m)
			require.NoError(t, err)
			assert.Equal(t, raw, again, "the same mail gives the same bytes")

			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			require.NoError(t, err)
			var dec mime.WordDecoder
			subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
			require.NoError(t, err)
			sp := spec(c.sub.Kind)
			assert.Equal(t, sp.subject.Dutch+" / "+sp.subject.English, subject)
			assert.Equal(t, "<"+m.MessageID+">", msg.Header.Get("Message-ID"))
			assert.Equal(t, "auto-generated", msg.Header.Get("Auto-Submitted"))
			mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
			require.NoError(t, err)
			assert.Equal(t, "multipart/multilingual", mediaType)

			parts := multipart.NewReader(msg.Body, params["boundary"])
			_, err = parts.NextPart() // the preface
			require.NoError(t, err)
			for _, lang := range []Language{Dutch, English} {
				part, err := parts.NextPart()
				require.NoError(t, err, lang)
				assert.Equal(t, string(lang), part.Header.Get("Content-Language"))
				inner, err := mail.ReadMessage(part)
				require.NoError(t, err)
				innerSubject, err := dec.DecodeHeader(inner.Header.Get("Subject"))
				require.NoError(t, err)
				assert.Equal(t, sp.subject.in(lang), innerSubject)
				body, err := io.ReadAll(quotedprintable.NewReader(inner.Body))
				require.NoError(t, err)
				want, err := tl.Message(c.sub, lang, settings)
				require.NoError(t, err)
				assert.Equal(t, crlf(want), string(body))
				assert.Contains(t, string(body), c.sub.Result.in(lang))
			}
			_, err = parts.NextPart()
			assert.ErrorIs(t, err, io.EOF)
		})
	}

	// The provisional e-mail is StudentEmail's, but for the result.
	c := studentCases(t)[1]
	raw, err := c.tl.Email(Subject{Kind: MessageProvisional, Result: grade}, settings, c.mail)
	require.NoError(t, err)
	old, err := c.tl.StudentEmail(settings, c.mail)
	require.NoError(t, err)
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	oldHead, _, _ := strings.Cut(string(old), "\r\n\r\n")
	assert.Equal(t, oldHead, head)

	// The mail is checked as StudentEmail checks it.
	m := c.mail
	m.MessageID = "<" + m.MessageID + ">"
	_, err = c.tl.Email(Subject{Kind: MessageProvisional, Result: grade}, settings, m)
	require.ErrorIs(t, err, ErrMessage)
	assert.Contains(t, err.Error(), "without angle brackets")
}

// Every kind of message has its subject in both languages as its words.
func TestMessageKindWords(t *testing.T) {
	for _, k := range MessageKinds() {
		w := k.Words()
		assert.NotEmpty(t, w.Dutch, k)
		assert.NotEmpty(t, w.English, k)
		assert.NotEqual(t, string(k), w.Dutch, k)
	}
	assert.Equal(t, Words{"bogus", "bogus"}, MessageKind("bogus").Words())
}
