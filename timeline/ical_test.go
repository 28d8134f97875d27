package timeline

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const uidDomain = "roc-voorbeeld.nl"

func TestICSGolden(t *testing.T) {
	for _, c := range studentCases(t) {
		t.Run(c.name, func(t *testing.T) {
			ics, err := c.tl.ICS(settings, uidDomain, c.mail.Date)
			require.NoError(t, err)
			golden(t, "ics-"+c.name+".golden", string(ics))
		})
	}
}

// An icsProperty is one unfolded content line.
type icsProperty struct {
	name  string // with its parameters, such as "DTSTART;VALUE=DATE"
	value string // as written, escaped
}

// checkICSLines checks that every line ends in CRLF, has at most 75 octets
// and is valid UTF-8 on its own, and returns the unfolded content lines.
func checkICSLines(t *testing.T, ics []byte) []icsProperty {
	t.Helper()
	require.True(t, bytes.HasSuffix(ics, []byte("\r\n")), "the object ends in CRLF")
	lines := strings.Split(string(ics[:len(ics)-2]), "\r\n")
	for i, line := range lines {
		assert.NotContains(t, line, "\r", "line %d: a bare CR", i+1)
		assert.NotContains(t, line, "\n", "line %d: a bare LF", i+1)
		assert.LessOrEqual(t, len(line), icsMaxLine, "line %d: %q", i+1, line)
		assert.True(t, utf8.ValidString(line), "line %d splits a UTF-8 sequence: %q", i+1, line)
	}
	// Unfold (RFC 5545 section 3.1): a CRLF followed by a space goes.
	var props []icsProperty
	for line := range strings.SplitSeq(strings.ReplaceAll(string(ics[:len(ics)-2]), "\r\n ", ""), "\r\n") {
		name, value, ok := cutUnquoted(line)
		require.True(t, ok, "no colon in %q", line)
		props = append(props, icsProperty{name: name, value: value})
	}
	return props
}

// cutUnquoted splits a content line at its first colon outside a quoted
// parameter value.
func cutUnquoted(line string) (name, value string, ok bool) {
	quoted := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return line[:i], line[i+1:], true
			}
		}
	}
	return "", "", false
}

func unescapeText(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			require.NotContains(t, ";,", string(s[i]), "unescaped %q in %q", s[i], s)
			b.WriteByte(s[i])
			continue
		}
		i++
		require.Less(t, i, len(s), "a lone backslash ends %q", s)
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(s[i])
		default:
			t.Fatalf("bad escape \\%c in %q", s[i], s)
		}
	}
	return b.String()
}

// events returns the properties of each VEVENT, by name.
func events(t *testing.T, props []icsProperty) []map[string]string {
	t.Helper()
	var out []map[string]string
	var cur map[string]string
	for _, p := range props {
		switch {
		case p.name == "BEGIN" && p.value == "VEVENT":
			cur = map[string]string{}
		case p.name == "END" && p.value == "VEVENT":
			out = append(out, cur)
			cur = nil
		case cur != nil:
			_, dup := cur[p.name]
			require.False(t, dup, "%s twice", p.name)
			cur[p.name] = p.value
		}
	}
	return out
}

// The object is well formed: the calendar's properties, three events with
// the timeline's dates, lines within 75 octets that unfold to the texts.
func TestICSContent(t *testing.T) {
	for _, c := range studentCases(t) {
		t.Run(c.name, func(t *testing.T) {
			ics, err := c.tl.ICS(settings, uidDomain, c.mail.Date)
			require.NoError(t, err)
			props := checkICSLines(t, ics)
			assert.Equal(t, []icsProperty{
				{name: "BEGIN", value: "VCALENDAR"}, {name: "VERSION", value: "2.0"},
				{name: "PRODID", value: "-//krs-oke//vaststelling//NL"},
				{name: "CALSCALE", value: "GREGORIAN"}, {name: "METHOD", value: "PUBLISH"},
			}, props[:5])
			assert.Equal(t, icsProperty{name: "END", value: "VCALENDAR"}, props[len(props)-1])

			want, err := c.tl.deadlines(settings)
			require.NoError(t, err)
			evs := events(t, props)
			require.Len(t, evs, 3)
			due, appealEnds, err := c.tl.studentDates()
			require.NoError(t, err)
			for i, day := range []calendar.Date{c.tl.InspectionEnds, due, appealEnds} {
				ev := evs[i]
				assert.Equal(t, c.tl.Result+"-"+want[i].what+"@"+uidDomain, ev["UID"])
				assert.Equal(t, c.mail.Date.UTC().Format("20060102T150405Z"), ev["DTSTAMP"])
				assert.Equal(t, icsDate(day), ev["DTSTART;VALUE=DATE"])
				assert.Equal(t, icsDate(day.AddDays(1)), ev["DTEND;VALUE=DATE"])
				assert.Equal(t, "TRANSPARENT", ev["TRANSP"])
				assert.Equal(t, "mailto:examencommissie@roc-voorbeeld.nl", ev[`ORGANIZER;CN="Examencommissie ROC Voorbeeld"`])
				summary := unescapeText(t, ev["SUMMARY"])
				assert.Equal(t, want[i].summary, summary)
				assert.Contains(t, summary, " / ")
				desc := unescapeText(t, ev["DESCRIPTION"])
				assert.Equal(t, want[i].description, desc, "the long DESCRIPTION unfolds intact")
				assert.Greater(t, len(ev["DESCRIPTION"]), 3*icsMaxLine, "long enough to fold")
				assert.Contains(t, desc, longDate(Dutch, day))
				assert.Contains(t, desc, longDate(English, day))
			}
			assert.Contains(t, unescapeText(t, evs[0]["DESCRIPTION"]), "via examencommissie@roc-voorbeeld.nl, tot het einde van die werkdag.")
			assert.Contains(t, unescapeText(t, evs[0]["DESCRIPTION"]), "no later than "+longDate(English, c.tl.InspectionEnds)+", until the end of that working day.")
			assert.Contains(t, unescapeText(t, evs[2]["DESCRIPTION"]), "at cbe@roc-voorbeeld.nl no later than "+longDate(English, appealEnds)+", until the end of that working day.")
		})
	}
}

// The dates are the timeline's: christmas as TestStudentMessageDates has
// them, and the appeal window projected from DeterminationDue through the
// calendar, or the real one once determined.
func TestICSDates(t *testing.T) {
	starts := func(tl Timeline) []string {
		t.Helper()
		ics, err := tl.ICS(settings, uidDomain, day(t, "2027-01-01"))
		require.NoError(t, err)
		var out []string
		for _, ev := range events(t, checkICSLines(t, ics)) {
			out = append(out, ev["DTSTART;VALUE=DATE"])
		}
		return out
	}
	cases := studentCases(t)
	assert.Equal(t, []string{"20270105", "20270113", "20270127"}, starts(cases[0].tl))

	late := cases[1].tl
	appeal, err := calendar.Default().AddWorkdays(late.DeterminationDue, late.Policy.AppealTerm)
	require.NoError(t, err)
	assert.Equal(t, []string{icsDate(late.InspectionEnds), "20270601", icsDate(appeal)}, starts(late))

	early, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-2", Exam: day(t, "2026-11-30"),
		Registered: day(t, "2026-12-18"), Determined: day(t, "2026-12-21"), Early: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"20270105", "20261221", "20270106"}, starts(early))

	// studentDates names what StudentMessage names.
	for _, tl := range []Timeline{cases[0].tl, late, early} {
		due, appealEnds, err := tl.studentDates()
		require.NoError(t, err)
		for _, lang := range []Language{Dutch, English} {
			msg, err := tl.StudentMessage(lang, settings)
			require.NoError(t, err)
			assert.Contains(t, msg, longDate(lang, due))
			assert.Contains(t, msg, longDate(lang, appealEnds))
		}
	}
	ics, err := early.ICS(settings, uidDomain, day(t, "2027-01-01"))
	require.NoError(t, err)
	evs := events(t, checkICSLines(t, ics))
	assert.Equal(t, "Resultaat definitief vastgesteld / Result determined", unescapeText(t, evs[1]["SUMMARY"]))
	assert.NotContains(t, unescapeText(t, evs[2]["DESCRIPTION"]), "holds if")
}

// When the calendar's working day ends before midnight, the descriptions
// name the hour.
func TestICSClosingTime(t *testing.T) {
	tl, err := New(busyCalendar(t), DefaultPolicies(), Facts{Result: "r-3", Exam: day(t, "2026-11-30"), Registered: day(t, "2026-12-18")})
	require.NoError(t, err)
	ics, err := tl.ICS(settings, uidDomain, day(t, "2026-12-18"))
	require.NoError(t, err)
	evs := events(t, checkICSLines(t, ics))
	for _, i := range []int{0, 2} {
		desc := unescapeText(t, evs[i]["DESCRIPTION"])
		assert.Contains(t, desc, "tot het einde van die werkdag om 17.00 uur.")
		assert.Contains(t, desc, "until the end of that working day at 17:00.")
	}
}

// A comma, semicolon, backslash and line break in an address are escaped
// and come back intact; non-ASCII text folds between UTF-8 sequences; an
// address that is no e-mail address names no ORGANIZER.
func TestICSEscaping(t *testing.T) {
	s := settings
	s.Institution = `Examencommissie "ROC Zeeland" – Vlissingen`
	s.CommitteeAddress = "Examencommissie, kamer 1.12; Postbus 7\nVlissingen \\ Zeeland"
	s.AppealsBoardAddress = "CBE, Postbus 8; 4380 AA Vlissingen\r\ncbe@roc-zeeland.nl"
	s.KRS = "Eduarte ✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓"
	tl := studentCases(t)[0].tl
	ics, err := tl.ICS(s, uidDomain, day(t, "2026-12-18"))
	require.NoError(t, err)
	props := checkICSLines(t, ics)
	evs := events(t, props)
	raw := evs[0]["DESCRIPTION"]
	assert.Contains(t, raw, `via Examencommissie\, kamer 1.12\; Postbus 7\nVlissingen \\ Zeeland\, tot het`)
	desc := unescapeText(t, raw)
	assert.Contains(t, desc, "via "+s.CommitteeAddress+", tot het einde")
	assert.Contains(t, unescapeText(t, evs[2]["DESCRIPTION"]), "via CBE, Postbus 8; 4380 AA Vlissingen\ncbe@roc-zeeland.nl, tot het")
	for _, ev := range evs {
		for name := range ev {
			assert.NotContains(t, name, "ORGANIZER")
		}
	}

	// An institution with a quote in an ORGANIZER's common name.
	s.CommitteeAddress = "Examencommissie <examencommissie@roc-zeeland.nl>"
	ics, err = tl.ICS(s, uidDomain, day(t, "2026-12-18"))
	require.NoError(t, err)
	evs = events(t, checkICSLines(t, ics))
	assert.Equal(t, "mailto:examencommissie@roc-zeeland.nl", evs[0][`ORGANIZER;CN="Examencommissie ^'ROC Zeeland^' – Vlissingen"`])
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                "plain",
		`a\b;c,d`:              `a\\b\;c\,d`,
		"one\ntwo\r\nthree\r":  `one\ntwo\nthree\n`,
		"tab\tbell\x07del\x7f": "tab\tbelldel",
		"Zoë":                  "Zoë",
	} {
		assert.Equal(t, want, escapeText(in), "%q", in)
	}
	assert.Equal(t, `"a^^b^'c^nd"`, quoteParam("a^b\"c\r\nd"))
}

func TestICSFolding(t *testing.T) {
	var w icsWriter
	w.line("DESCRIPTION:" + strings.Repeat("é", 100))
	lines := strings.Split(strings.TrimSuffix(w.b.String(), "\r\n"), "\r\n")
	assert.Equal(t, 74, len(lines[0]), "the first line backs off to a rune start") // 12 + 31×2
	for i, line := range lines {
		assert.LessOrEqual(t, len(line), icsMaxLine)
		assert.True(t, utf8.ValidString(line))
		if i > 0 {
			assert.True(t, strings.HasPrefix(line, " "))
		}
	}
	assert.Equal(t, "DESCRIPTION:"+strings.Repeat("é", 100), strings.ReplaceAll(strings.TrimSuffix(w.b.String(), "\r\n"), "\r\n ", ""))

	w = icsWriter{}
	w.line(strings.Repeat("a", 75))
	assert.Equal(t, strings.Repeat("a", 75)+"\r\n", w.b.String(), "75 octets fit")
	w = icsWriter{}
	w.line(strings.Repeat("a", 76))
	assert.Equal(t, strings.Repeat("a", 75)+"\r\n a\r\n", w.b.String())
}

func TestICSErrors(t *testing.T) {
	tl := studentCases(t)[0].tl
	noID := tl
	noID.Result = ""
	unregistered, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-9", Exam: day(t, "2026-11-30")})
	require.NoError(t, err)
	stamp := day(t, "2026-12-18")
	cases := []struct {
		name   string
		tl     Timeline
		s      Settings
		domain string
		stamp  time.Time
		want   string
	}{
		{"settings", tl, Settings{KRS: "Eduarte"}, uidDomain, stamp, "settings Institution, CommitteeAddress, AppealsBoardAddress are empty"},
		{"no domain", tl, settings, " ", stamp, "UID domain is empty"},
		{"no stamp", tl, settings, uidDomain, time.Time{}, "DTSTAMP is zero"},
		{"no id", noID, settings, uidDomain, stamp, "the result has no id"},
		{"unregistered", unregistered, settings, uidDomain, stamp, "result r-9: cannot write the student message: it is not registered"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tl.ICS(tc.s, tc.domain, tc.stamp)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMessage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func ExampleTimeline_ICS() {
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
	ics, err := tl.ICS(Settings{
		Institution:         "Examencommissie ROC Voorbeeld",
		KRS:                 "Eduarte",
		CommitteeAddress:    "examencommissie@roc-voorbeeld.nl",
		AppealsBoardAddress: "cbe@roc-voorbeeld.nl",
	}, "roc-voorbeeld.nl", time.Date(2027, time.May, 10, 9, 30, 0, 0, amsterdam))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Unfold the lines, then show what each event is and when.
	unfolded := strings.ReplaceAll(string(ics), "\r\n ", "")
	for line := range strings.SplitSeq(unfolded, "\r\n") {
		for _, name := range []string{"UID:", "DTSTART", "SUMMARY:"} {
			if strings.HasPrefix(line, name) {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// UID:assoc-1207-inspection@roc-voorbeeld.nl
	// DTSTART;VALUE=DATE:20270525
	// SUMMARY:Laatste dag voor inzage en klacht / Last day for inspection and complaint
	// UID:assoc-1207-determination@roc-voorbeeld.nl
	// DTSTART;VALUE=DATE:20270601
	// SUMMARY:Resultaat wordt definitief / Result becomes final
	// UID:assoc-1207-appeal@roc-voorbeeld.nl
	// DTSTART;VALUE=DATE:20270615
	// SUMMARY:Laatste dag om in beroep te gaan / Last day to appeal
}
