package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// calendarWant is what the update of a kind's case must hold: the
// events' first days, in the order inspection, determination, appeal, and
// which events are cancelled.
type calendarWant struct {
	starts    []string
	cancelled []bool
	contains  map[int][]string // by event: in its unescaped DESCRIPTION
}

var calendarWants = map[string]calendarWant{
	"provisional": {starts: []string{"20270219", "20270301", "20270315"}, cancelled: []bool{false, false, false}},
	"final": {starts: []string{"20270219", "20270301", "20270315"}, cancelled: []bool{false, false, false},
		contains: map[int][]string{1: {"Op maandag 1 maart 2027 is het resultaat in Eduarte definitief vastgesteld.",
			"tot en met maandag 15 maart 2027 in beroep"}}},
	"determined_early": {starts: []string{"20270219", "20270210", "20270224"}, cancelled: []bool{false, false, false},
		contains: map[int][]string{
			0: {"Je recht op inzage en klacht blijft: je kunt je nog tot en met vrijdag 19 februari 2027 bij de examencommissie melden via examencommissie@roc-voorbeeld.nl",
				"you can still contact the exam committee at examencommissie@roc-voorbeeld.nl until and including Friday 19 February 2027"},
			1: {"vervroegd definitief vastgesteld", "tot en met woensdag 24 februari 2027 in beroep"},
			2: {"no later than Wednesday 24 February 2027"}}},
	// The new grade's terms, from its registration on 17 February.
	"complaint_decided":           {starts: []string{"20270303", "20270310", "20270324"}, cancelled: []bool{false, false, false}},
	"complaint_decided-unchanged": {starts: []string{"20270219", "20270301", "20270315"}, cancelled: []bool{false, false, false}},
	"appeal_decided": {starts: []string{"20270219", "20270301", "20270315"}, cancelled: []bool{false, false, false},
		contains: map[int][]string{2: {"op dinsdag 6 april 2027 een besluit genomen over je beroep", "het beroep is ongegrond verklaard. Het resultaat blijft definitief.",
			"your appeal was not upheld. The result remains final."}}},
	"annulled": {starts: []string{"20270219", "20270301", "20270315"}, cancelled: []bool{true, true, true},
		contains: map[int][]string{0: {"Deze datum vervalt: de Commissie van Beroep voor de Examens heeft het resultaat in Eduarte op dinsdag 6 april 2027 vernietigd.",
			"This date no longer applies: the Examination Appeals Board (CBE) annulled the result in Eduarte on Tuesday 6 April 2027."}}},
	"corrected": {starts: []string{"20270219", "20270301", "20270315"}, cancelled: []bool{true, true, true},
		contains: map[int][]string{1: {"Deze datum vervalt: de examencommissie heeft het resultaat in Eduarte, vastgesteld op maandag 1 maart 2027, gecorrigeerd."}}},
}

// An update has the UIDs of ICS for the same result, in the same order,
// a SEQUENCE on every event, and the dates and statuses of its kind.
func TestCalendarUpdate(t *testing.T) {
	stamp := at(t, "2027-04-07", 9, 30)
	cases := append(kindCases(t), invalidatedCases(t)...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, ok := calendarWants[c.name]
			require.True(t, ok, "no calendarWant for %s", c.name)
			tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
			require.NoError(t, err)
			ics, err := tl.ICS(settings, uidDomain, stamp)
			require.NoError(t, err)
			first := events(t, checkICSLines(t, ics))

			update, err := tl.CalendarUpdate(c.sub, settings, uidDomain, stamp, 7)
			require.NoError(t, err)
			props := checkICSLines(t, update)
			assert.Equal(t, []icsProperty{
				{name: "BEGIN", value: "VCALENDAR"}, {name: "VERSION", value: "2.0"},
				{name: "PRODID", value: icsProdID}, {name: "CALSCALE", value: "GREGORIAN"}, {name: "METHOD", value: "PUBLISH"},
			}, props[:5])
			evs := events(t, props)
			require.Len(t, evs, len(want.starts))
			for i, ev := range evs {
				assert.Equal(t, first[i]["UID"], ev["UID"], "event %d keeps the UID of ICS", i)
				assert.Equal(t, "7", ev["SEQUENCE"], "event %d", i)
				assert.Equal(t, "20270407T073000Z", ev["DTSTAMP"])
				assert.Equal(t, want.starts[i], ev["DTSTART;VALUE=DATE"], "event %d", i)
				start, err := calendar.ParseDate(want.starts[i][:4] + "-" + want.starts[i][4:6] + "-" + want.starts[i][6:])
				require.NoError(t, err)
				assert.Equal(t, icsDate(start.AddDays(1)), ev["DTEND;VALUE=DATE"])
				assert.Equal(t, "TRANSPARENT", ev["TRANSP"])
				summary, desc := unescapeText(t, ev["SUMMARY"]), unescapeText(t, ev["DESCRIPTION"])
				assert.Contains(t, summary, " / ")
				if want.cancelled[i] {
					assert.Equal(t, "CANCELLED", ev["STATUS"], "event %d", i)
					assert.True(t, strings.HasPrefix(summary, "Vervallen: "), summary)
					assert.Contains(t, summary, " / Cancelled: ")
					assert.True(t, strings.HasPrefix(desc, "Deze datum vervalt: "), desc)
					assert.Contains(t, desc, "\n\nThis date no longer applies: ")
				} else {
					assert.NotContains(t, ev, "STATUS", "event %d", i)
				}
				for _, s := range want.contains[i] {
					assert.Contains(t, desc, s, "event %d", i)
				}
				assert.NotContains(t, desc, c.sub.Result.Dutch, "the calendar does not tell the result")
			}
			if c.sub.Kind == MessageProvisional {
				assert.Equal(t, strings.ReplaceAll(string(ics), "DTSTAMP:20270407T073000Z\r\n", "DTSTAMP:20270407T073000Z\r\nSEQUENCE:7\r\n"),
					string(update), "the provisional update is ICS with a SEQUENCE")
			}
		})
	}
}

// The grade corrected on a complaint moves the events of the first
// registration's calendar: the same UIDs, new days, a higher SEQUENCE.
func TestCalendarUpdateMovesEvents(t *testing.T) {
	first, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")})
	require.NoError(t, err)
	ics, err := first.ICS(settings, uidDomain, at(t, "2027-02-05", 9, 0))
	require.NoError(t, err)
	before := events(t, checkICSLines(t, ics))

	regraded, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-17")})
	require.NoError(t, err)
	update, err := regraded.CalendarUpdate(Subject{Kind: MessageComplaintDecided, Result: Words{"7,0", "7.0"}, Previous: Words{"5,0", "5.0"}, Outcome: "upheld"},
		settings, uidDomain, at(t, "2027-02-17", 15, 0), 5)
	require.NoError(t, err)
	after := events(t, checkICSLines(t, update))
	require.Len(t, after, 3)
	for i := range after {
		assert.Equal(t, before[i]["UID"], after[i]["UID"])
		assert.Empty(t, before[i]["SEQUENCE"], "ICS writes the first version")
		assert.Equal(t, "5", after[i]["SEQUENCE"])
		assert.NotEqual(t, before[i]["DTSTART;VALUE=DATE"], after[i]["DTSTART;VALUE=DATE"], "event %d moved", i)
	}
}

func TestCalendarUpdateGolden(t *testing.T) {
	for _, c := range kindCases(t) {
		if c.name != "determined_early" && c.name != "annulled" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			tl, err := New(calendar.Default(), DefaultPolicies(), c.f)
			require.NoError(t, err)
			ics, err := tl.CalendarUpdate(c.sub, settings, uidDomain, at(t, "2027-04-07", 9, 30), 6)
			require.NoError(t, err)
			golden(t, "messages/"+c.name+".ics", string(ics))
		})
	}
}

// When the calendar's working day ends before midnight, the descriptions
// name the hour.
func TestCalendarUpdateClock(t *testing.T) {
	tl, err := New(busyCalendar(t), DefaultPolicies(), Facts{Result: "r-3", Exam: day(t, "2026-11-30"),
		Registered: day(t, "2026-12-18"), Determined: day(t, "2027-01-07"), Early: true})
	require.NoError(t, err)
	require.True(t, tl.HasConflict(InspectionCutShort))
	ics, err := tl.CalendarUpdate(Subject{Kind: MessageDeterminedEarly, Result: grade}, settings, uidDomain, day(t, "2027-01-07"), 2)
	require.NoError(t, err)
	evs := events(t, checkICSLines(t, ics))
	for _, i := range []int{0, 1} {
		desc := unescapeText(t, evs[i]["DESCRIPTION"])
		assert.Contains(t, desc, " om 17.00 uur")
		assert.Contains(t, desc, " at 17:00")
	}
}

func TestCalendarUpdateErrors(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05")})
	require.NoError(t, err)
	unregistered, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-9", Exam: day(t, "2026-11-30")})
	require.NoError(t, err)
	sub := Subject{Kind: MessageProvisional, Result: grade}
	stamp := day(t, "2027-02-05")
	cases := []struct {
		name     string
		tl       Timeline
		domain   string
		stamp    time.Time
		sequence int
		want     string
	}{
		{"negative sequence", tl, uidDomain, stamp, -1, "the SEQUENCE -1 is negative"},
		{"no domain", tl, "", stamp, 1, "UID domain is empty"},
		{"no stamp", tl, uidDomain, time.Time{}, 1, "DTSTAMP is zero"},
		{"unregistered", unregistered, uidDomain, stamp, 1, "result r-9: cannot write the student message: it is not registered"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tl.CalendarUpdate(sub, settings, tc.domain, tc.stamp, tc.sequence)
			require.ErrorIs(t, err, ErrMessage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = tl.CalendarUpdate(sub, settings, uidDomain, stamp, 0)
	require.NoError(t, err, "SEQUENCE 0 is the first version's")
}
