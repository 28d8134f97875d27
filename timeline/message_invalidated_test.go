package timeline

import (
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// invalidatedCases are the invalidation's cases of kindCases: of example
// A once determined, and while provisional. The appeal term runs from the
// invalidation.
func invalidatedCases(t *testing.T) []kindCase {
	t.Helper()
	final := Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Determined: day(t, "2027-03-01"), Invalidated: day(t, "2027-03-10")}
	provisional := Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Invalidated: day(t, "2027-02-12")}
	return []kindCase{
		{"invalidated", final, Subject{Kind: MessageInvalidated, Result: grade,
			Reason: "Fraude: het ingeleverde werk is niet door de student zelf gemaakt."},
			map[Language][]string{
				Dutch: {"heeft op woensdag 10 maart 2027 je resultaat in Eduarte ongeldig verklaard.",
					"Het ongeldig verklaarde resultaat was: 7,5.", "“Fraude: het ingeleverde werk is niet door de student zelf gemaakt.”",
					"Dan kun je tot en met woensdag 24 maart 2027 in beroep gaan bij de Commissie van Beroep voor de Examens via cbe@roc-voorbeeld.nl."},
				English: {"declared your result in Eduarte invalid on Wednesday 10 March 2027.", "The result declared invalid was: 7.5.",
					"(CBE) at cbe@roc-voorbeeld.nl until and including Wednesday 24 March 2027."},
			}},
		{"invalidated-provisional", provisional, Subject{Kind: MessageInvalidated, Result: grade},
			map[Language][]string{
				Dutch:   {"op vrijdag 12 februari 2027 je resultaat in Eduarte ongeldig verklaard.", "tot en met vrijdag 26 februari 2027 in beroep"},
				English: {"invalid on Friday 12 February 2027.", "until and including Friday 26 February 2027."},
			}},
	}
}

func init() {
	calendarWants["invalidated"] = calendarWant{starts: []string{"20270219", "20270301", "20270324"}, cancelled: []bool{true, true, false},
		contains: map[int][]string{
			0: {"Deze datum vervalt: de examencommissie heeft het resultaat in Eduarte op woensdag 10 maart 2027 ongeldig verklaard."},
			2: {"Ga dan uiterlijk woensdag 24 maart 2027 in beroep bij de Commissie van Beroep voor de Examens via cbe@roc-voorbeeld.nl",
				"Appeal to the Examination Appeals Board (CBE) at cbe@roc-voorbeeld.nl no later than Wednesday 24 March 2027"}}}
	calendarWants["invalidated-provisional"] = calendarWant{starts: []string{"20270219", "20270301", "20270226"}, cancelled: []bool{true, true, false}}
}

func TestMessageInvalidatedGolden(t *testing.T) {
	c := invalidatedCases(t)[0]
	tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
	require.NoError(t, err)
	for _, lang := range []Language{Dutch, English} {
		msg, err := tl.Message(c.sub, lang, settings)
		require.NoError(t, err)
		golden(t, "messages/"+c.name+"."+string(lang)+".txt", msg)
	}
	ics, err := tl.CalendarUpdate(c.sub, settings, uidDomain, at(t, "2027-03-10", 16, 0), 8)
	require.NoError(t, err)
	golden(t, "messages/"+c.name+".ics", string(ics))
}

// An invalidation after the appeal against the determination was lodged
// is appealed on its own term, from the invalidation.
func TestMessageInvalidatedUnderAppeal(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-a", Exam: day(t, "2027-01-18"),
		Registered: day(t, "2027-02-05"), Determined: day(t, "2027-03-01"), AppealLodged: day(t, "2027-03-08"),
		Invalidated: day(t, "2027-03-15")})
	require.NoError(t, err)
	msg, err := tl.Message(Subject{Kind: MessageInvalidated, Result: grade}, Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "op maandag 15 maart 2027 je resultaat in Eduarte ongeldig verklaard.")
	assert.Contains(t, msg, "tot en met woensdag 31 maart 2027 in beroep") // Good Friday and Easter Monday skipped

	// The determination's message, sent late, names the determination's term.
	msg, err = tl.Message(Subject{Kind: MessageFinal, Result: grade}, Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "tot en met maandag 15 maart 2027 in beroep")
}

// A result invalidated before it was registered: the student is told, and
// the calendar update holds the appeal against the invalidation alone.
func TestMessageInvalidatedUnregistered(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-u", Exam: day(t, "2027-01-18"),
		Invalidated: day(t, "2027-02-01")})
	require.NoError(t, err)
	sub := Subject{Kind: MessageInvalidated, Result: grade}
	msg, err := tl.Message(sub, English, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "declared your result in Eduarte invalid on Monday 1 February 2027.")
	assert.Contains(t, msg, "until and including Monday 15 February 2027.")

	ics, err := tl.CalendarUpdate(sub, settings, uidDomain, day(t, "2027-02-01"), 3)
	require.NoError(t, err)
	evs := events(t, checkICSLines(t, ics))
	require.Len(t, evs, 1)
	assert.Equal(t, "r-u-appeal@"+uidDomain, evs[0]["UID"])
	assert.Equal(t, "20270215", evs[0]["DTSTART;VALUE=DATE"])
	assert.Equal(t, "3", evs[0]["SEQUENCE"])
	assert.NotContains(t, evs[0], "STATUS")

	// Another kind of update needs the registration's calendar.
	_, err = tl.CalendarUpdate(Subject{Kind: MessageProvisional, Result: grade}, settings, uidDomain, day(t, "2027-02-01"), 3)
	require.ErrorIs(t, err, ErrMessage)
	assert.Contains(t, err.Error(), "not registered")
}
