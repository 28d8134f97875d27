package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cmdtest"
	"github.com/krs-oke/vaststelling/timeline"
)

// exampleArgs are the arguments of the package documentation's example.
var exampleArgs = []string{"-exam", "2026-11-30", "-registered", "2026-12-18"}

// exampleOutput is the output the package documentation shows for exampleArgs.
const exampleOutput = `{
  "assessment_due": "2026-12-21",
  "inspection_ends": "2027-01-05",
  "determination_due": "2027-01-13",
  "binding_rule": "after_exam",
  "appeal_ends": null,
  "conflicts": []
}
`

// baseKeys are the keys of every JSON output; appeal_decision_due joins
// them only when an appeal was lodged.
var baseKeys = []string{"assessment_due", "inspection_ends", "determination_due", "binding_rule", "appeal_ends", "conflicts"}

// date returns the Date of the given day.
func date(y int, m time.Month, d int) calendar.Date { return calendar.Date{Year: y, Month: m, Day: d} }

// runOK runs the command with args, requires it to succeed with nothing on
// stderr, and returns its stdout.
func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	require.Empty(t, stderr.String())
	return stdout.String()
}

// decode unmarshals one run's JSON output and checks its key set: the base
// keys, and appeal_decision_due exactly when withAppeal is set.
func decode(t *testing.T, out string, withAppeal bool) map[string]any {
	t.Helper()
	require.True(t, strings.HasSuffix(out, "}\n"), "output ends with the object and a newline: %q", out)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	want := slices.Clone(baseKeys)
	if withAppeal {
		want = append(want, "appeal_decision_due")
	}
	require.ElementsMatch(t, want, slices.Collect(maps.Keys(got)))
	for _, c := range got["conflicts"].([]any) {
		require.ElementsMatch(t, []string{"code", "message"}, slices.Collect(maps.Keys(c.(map[string]any))))
	}
	return got
}

// codes returns the conflict codes of a decoded output, in order.
func codes(got map[string]any) []string {
	cs := []string{}
	for _, c := range got["conflicts"].([]any) {
		cs = append(cs, c.(map[string]any)["code"].(string))
	}
	return cs
}

// TestDocExample pins the exact bytes of the example in the package
// documentation: one indented object, a newline, and nothing else.
func TestDocExample(t *testing.T) {
	require.Equal(t, exampleOutput, runOK(t, exampleArgs...))
}

// TestRun pins the dates, the binding rule and the conflicts of good calls.
// Every expected date was counted by hand from the 2026–2027 calendar:
// Christmas 25–26 December and New Year are holidays; Easter 2027 is 28
// March, so Good Friday is 26 March, Easter Monday 29 March, King's Day
// Tuesday 27 April, 5 May a Wednesday, Ascension Thursday 6 May and Whit
// Monday 17 May. The national calendar has the decree days too: Friday 7
// May 2027, the day after Ascension, is equal to a public holiday by the
// Besluit gelijkstelling van 2 januari 2026, […], 7 mei 2027, […]. The
// worked examples of DOMAIN.md count weekends and the statutory holidays
// only; example B is shown both ways: with the national calendar, and with
// testdata/zonder-besluitdagen.json, a calendar without decree days, which
// gives DOMAIN.md's dates.
func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want map[string]any // every key but conflicts
		// conflicts are the codes expected, in order
		conflicts []string
	}{
		{
			// Exam Mon 30 Nov + 15 = Mon 21 Dec; registration Fri 18 Dec + 10
			// over 25 Dec and 1 Jan = Tue 5 Jan; exam + 30 = Wed 13 Jan beats
			// registration + 15 = Tue 12 Jan.
			name: "example: the exam rule binds",
			args: exampleArgs,
			want: map[string]any{"assessment_due": "2026-12-21", "inspection_ends": "2027-01-05",
				"determination_due": "2027-01-13", "binding_rule": "after_exam", "appeal_ends": nil},
		},
		{
			// Registered Mon 21 Dec, the last day of the assessment term, so
			// not late: + 10 = Wed 6 Jan; + 5 = Wed 13 Jan, the same day as
			// exam + 30. A tie goes to the exam rule, without a conflict.
			name: "a tie: the exam rule binds",
			args: []string{"-exam", "2026-11-30", "-registered", "2026-12-21"},
			want: map[string]any{"assessment_due": "2026-12-21", "inspection_ends": "2027-01-06",
				"determination_due": "2027-01-13", "binding_rule": "after_exam", "appeal_ends": nil},
		},
		{
			// Worked example B with the national calendar. Exam Mon 12 Apr
			// + 15 over King's Day = Tue 4 May; registered Mon 10 May, late;
			// + 10 over Whit Monday = Tue 25 May; + 5 = Tue 1 Jun, after exam
			// + 30 over the decree day Fri 7 May = Mon 31 May.
			name: "late registration: the registration rule binds",
			args: []string{"-exam", "2027-04-12", "-registered", "2027-05-10"},
			want: map[string]any{"assessment_due": "2027-05-04", "inspection_ends": "2027-05-25",
				"determination_due": "2027-06-01", "binding_rule": "after_registration", "appeal_ends": nil},
			conflicts: []string{"registered_late", "determination_postponed"},
		},
		{
			// Worked example B as DOMAIN.md counts it, without decree days:
			// the same dates, but exam + 30 = Fri 28 May.
			name: "late registration, calendar without decree days",
			args: []string{"-exam", "2027-04-12", "-registered", "2027-05-10", "-config", "testdata/zonder-besluitdagen.json"},
			want: map[string]any{"assessment_due": "2027-05-04", "inspection_ends": "2027-05-25",
				"determination_due": "2027-06-01", "binding_rule": "after_registration", "appeal_ends": nil},
			conflicts: []string{"registered_late", "determination_postponed"},
		},
		{
			// Worked example B, but the assessor delivered on Tue 4 May, the
			// last day of the term, and the exam administration registered
			// it on Mon 10 May: the lateness is the administration's.
			name: "delivered in time, registered late",
			args: []string{"-exam", "2027-04-12", "-delivered", "2027-05-04", "-registered", "2027-05-10"},
			want: map[string]any{"assessment_due": "2027-05-04", "inspection_ends": "2027-05-25",
				"determination_due": "2027-06-01", "binding_rule": "after_registration", "appeal_ends": nil},
			conflicts: []string{"checked_late", "determination_postponed"},
		},
		{
			// Delivered Mon 10 May, registered Tue 11 May: the assessor was
			// late, judged by the delivery. + 10 from Tue 11 May over Whit
			// Monday = Wed 26 May; + 5 = Wed 2 Jun.
			name: "delivered late",
			args: []string{"-exam", "2027-04-12", "-delivered", "2027-05-10", "-registered", "2027-05-11"},
			want: map[string]any{"assessment_due": "2027-05-04", "inspection_ends": "2027-05-26",
				"determination_due": "2027-06-02", "binding_rule": "after_registration", "appeal_ends": nil},
			conflicts: []string{"registered_late", "determination_postponed"},
		},
		{
			// Worked example A: exam Mon 18 Jan + 30 = Mon 1 Mar, registration
			// Fri 5 Feb + 15 = Fri 26 Feb; determined on its date; + 10 = Mon 15 Mar.
			name: "determined on its date",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-determined", "2027-03-01"},
			want: map[string]any{"assessment_due": "2027-02-08", "inspection_ends": "2027-02-19",
				"determination_due": "2027-03-01", "binding_rule": "after_exam", "appeal_ends": "2027-03-15"},
		},
		{
			// Early on Tue 22 Dec, inside the window that ends Tue 5 Jan;
			// + 10 working days over Christmas and New Year = Thu 7 Jan.
			name: "early determination cuts the inspection window short",
			args: []string{"-exam", "2026-11-30", "-registered", "2026-12-18", "-determined", "2026-12-22", "-early"},
			want: map[string]any{"assessment_due": "2026-12-21", "inspection_ends": "2027-01-05",
				"determination_due": "2026-12-22", "binding_rule": "early", "appeal_ends": "2027-01-07"},
			conflicts: []string{"inspection_cut_short"},
		},
		{
			// Early on Wed 6 Jan, after the window; + 10 = Wed 20 Jan.
			name: "early determination after the inspection window",
			args: []string{"-early", "-exam", "2026-11-30", "-registered", "2026-12-18", "-determined", "2027-01-06"},
			want: map[string]any{"assessment_due": "2026-12-21", "inspection_ends": "2027-01-05",
				"determination_due": "2027-01-06", "binding_rule": "early", "appeal_ends": "2027-01-20"},
		},
		{
			// Not early, a day before Wed 13 Jan; + 10 from Tue 12 Jan = Tue 26 Jan.
			name: "determined before its date without -early",
			args: []string{"-exam", "2026-11-30", "-registered", "2026-12-18", "-determined", "2027-01-12"},
			want: map[string]any{"assessment_due": "2026-12-21", "inspection_ends": "2027-01-05",
				"determination_due": "2027-01-13", "binding_rule": "after_exam", "appeal_ends": "2027-01-26"},
			conflicts: []string{"determined_before_due"},
		},
		{
			// Registered on Fri 27 Nov, before the exam; + 10 = Fri 11 Dec.
			name: "registered before the exam",
			args: []string{"-exam", "2026-11-30", "-registered", "2026-11-27"},
			want: map[string]any{"assessment_due": "2026-12-21", "inspection_ends": "2026-12-11",
				"determination_due": "2027-01-13", "binding_rule": "after_exam", "appeal_ends": nil},
			conflicts: []string{"registered_before_exam"},
		},
		{
			// Policy: assessment 10 and a tail of 5 calendar days. Exam Mon 12
			// Apr + 10 = Mon 26 Apr. Registration Mon 10 May + 10 = Tue 25 May,
			// + 5 calendar days = Sun 30 May, moved to Mon 31 May. Without
			// decree days exam + 30 = Fri 28 May: the registration rule binds.
			name: "policy file: shorter assessment term, calendar-day tail",
			args: []string{"-exam", "2027-04-12", "-registered", "2027-05-10", "-policy", "testdata/strenger.json",
				"-config", "testdata/zonder-besluitdagen.json"},
			want: map[string]any{"assessment_due": "2027-04-26", "inspection_ends": "2027-05-25",
				"determination_due": "2027-05-31", "binding_rule": "after_registration", "appeal_ends": nil},
			conflicts: []string{"registered_late", "determination_postponed"},
		},
		{
			// The same with the national calendar: exam + 30 over the decree
			// day Fri 7 May is Mon 31 May too, a tie, which the exam rule wins
			// without a conflict.
			name: "policy file: calendar-day tail ties with the exam rule",
			args: []string{"-exam", "2027-04-12", "-registered", "2027-05-10", "-policy", "testdata/strenger.json"},
			want: map[string]any{"assessment_due": "2027-04-26", "inspection_ends": "2027-05-25",
				"determination_due": "2027-05-31", "binding_rule": "after_exam", "appeal_ends": nil},
			conflicts: []string{"registered_late"},
		},
		{
			// The same policy forbids early determination: the rules stand,
			// and the appeal window runs from Thu 20 May over Whit Monday
			// to Thu 3 Jun.
			name: "policy file: early determination not allowed",
			args: []string{"-exam", "2027-04-12", "-registered", "2027-05-10", "-policy", "testdata/strenger.json",
				"-determined", "2027-05-20", "-early"},
			want: map[string]any{"assessment_due": "2027-04-26", "inspection_ends": "2027-05-25",
				"determination_due": "2027-05-31", "binding_rule": "after_exam", "appeal_ends": "2027-06-03"},
			conflicts: []string{"registered_late", "early_not_allowed"},
		},
		{
			// Worked example A, invalidated by the exam committee on Wed 10
			// Feb, before determination: the appeal window runs from the
			// invalidation, + 10 = Wed 24 Feb.
			name: "invalidated: the appeal window runs from the invalidation",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-invalidated", "2027-02-10"},
			want: map[string]any{"assessment_due": "2027-02-08", "inspection_ends": "2027-02-19",
				"determination_due": "2027-03-01", "binding_rule": "after_exam", "appeal_ends": "2027-02-24"},
		},
		{
			// Closure week 4–8 Jan 2027. Registration Fri 18 Dec + 10 = Tue 12
			// Jan; exam + 30 = Wed 20 Jan beats registration + 15 = Tue 19 Jan.
			name: "config file: a closure week",
			args: []string{"-exam", "2026-11-30", "-registered", "2026-12-18", "-config", "testdata/sluitingsweek.json"},
			want: map[string]any{"assessment_due": "2026-12-21", "inspection_ends": "2027-01-12",
				"determination_due": "2027-01-20", "binding_rule": "after_exam", "appeal_ends": nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode(t, runOK(t, tt.args...), false)
			require.Equal(t, tt.conflicts, nilIfEmpty(codes(got)))
			delete(got, "conflicts")
			require.Equal(t, tt.want, got)
		})
	}
}

// nilIfEmpty returns nil for an empty list, to compare with an unset field.
func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// TestConflictMessages checks that each conflict's message is the
// timeline's English Message for the dates and working days of worked
// example B with the national calendar: registered Mon 10 May, one working
// day after the assessment term ended on Tue 4 May (5 May, Ascension and
// the decree day Fri 7 May are no working days); determination postponed
// from Mon 31 May to Tue 1 Jun, one working day. Without decree days, as
// DOMAIN.md counts, both are two working days, and the exam rule's date
// is Fri 28 May. With -delivered, the message says when the assessor
// delivered.
func TestConflictMessages(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []timeline.Conflict
		says string // the first message says this
	}{
		{
			name: "national calendar",
			args: []string{"-exam", "2027-04-12", "-registered", "2027-05-10"},
			want: []timeline.Conflict{
				{Code: timeline.RegisteredLate, Rule: date(2027, time.May, 4), Actual: date(2027, time.May, 10), Workdays: 1, Fact: "registered"},
				{Code: timeline.DeterminationPostponed, Rule: date(2027, time.May, 31), Actual: date(2027, time.June, 1), Workdays: 1},
			},
			says: "registered on 2027-05-10, 1 working day after the assessment term ended on 2027-05-04",
		},
		{
			name: "without decree days",
			args: []string{"-exam", "2027-04-12", "-registered", "2027-05-10", "-config", "testdata/zonder-besluitdagen.json"},
			want: []timeline.Conflict{
				{Code: timeline.RegisteredLate, Rule: date(2027, time.May, 4), Actual: date(2027, time.May, 10), Workdays: 2, Fact: "registered"},
				{Code: timeline.DeterminationPostponed, Rule: date(2027, time.May, 28), Actual: date(2027, time.June, 1), Workdays: 2},
			},
			says: "registered on 2027-05-10, 2 working days after the assessment term ended on 2027-05-04",
		},
		{
			name: "delivered late",
			args: []string{"-exam", "2027-04-12", "-delivered", "2027-05-10", "-registered", "2027-05-11"},
			want: []timeline.Conflict{
				{Code: timeline.RegisteredLate, Rule: date(2027, time.May, 4), Actual: date(2027, time.May, 10), Workdays: 1, Fact: "delivered"},
				{Code: timeline.DeterminationPostponed, Rule: date(2027, time.May, 31), Actual: date(2027, time.June, 2), Workdays: 2},
			},
			says: "delivered on 2027-05-10, 1 working day after the assessment term ended on 2027-05-04",
		},
		{
			name: "delivered in time, registered late",
			args: []string{"-exam", "2027-04-12", "-delivered", "2027-05-04", "-registered", "2027-05-10"},
			want: []timeline.Conflict{
				{Code: timeline.CheckedLate, Rule: date(2027, time.May, 4), Actual: date(2027, time.May, 10), Workdays: 1, Fact: "registered"},
				{Code: timeline.DeterminationPostponed, Rule: date(2027, time.May, 31), Actual: date(2027, time.June, 1), Workdays: 1},
			},
			says: "delivered in time but registered on 2027-05-10, 1 working day after the assessment term ended on 2027-05-04",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got struct {
				Conflicts []map[string]string `json:"conflicts"`
			}
			require.NoError(t, json.Unmarshal([]byte(runOK(t, tt.args...)), &got))
			require.Len(t, got.Conflicts, len(tt.want))
			for i, c := range tt.want {
				require.Equal(t, map[string]string{"code": string(c.Code), "message": c.Message()}, got.Conflicts[i])
			}
			require.Equal(t, tt.says, got.Conflicts[0]["message"])
		})
	}
}

// TestAppeal checks appeal_decision_due: four weeks after the appeal window
// ends (six when the board extended), moved as the Algemene termijnenwet
// moves a statutory term: past a Saturday, Sunday, public holiday or
// decree day, never past the institution's closures; the appeal window
// after an invalidation; a board that decided late; and that the key is
// there only with -appeal.
func TestAppeal(t *testing.T) {
	tests := []struct {
		name                string
		args                []string
		appealEnds, decided string
		conflicts           []string
	}{
		{
			// Worked example A: the window ends Mon 15 Mar; + 4 weeks = Mon 12 Apr,
			// a working day.
			name: "decision date on a working day",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-determined", "2027-03-01",
				"-appeal", "2027-03-10"},
			appealEnds: "2027-03-15", decided: "2027-04-12",
		},
		{
			// Exam Fri 29 Jan + 30 = Fri 12 Mar; determined then, + 10 over
			// Good Friday and Easter Monday = Tue 30 Mar; + 4 weeks = Tue 27
			// Apr, King's Day, so Wed 28 Apr.
			name: "decision date moved past King's Day",
			args: []string{"-exam", "2027-01-29", "-registered", "2027-02-12", "-determined", "2027-03-12",
				"-appeal", "2027-03-22"},
			appealEnds: "2027-03-30", decided: "2027-04-28",
		},
		{
			// Lodged Tue 16 Mar, the day after the window ended.
			name: "late appeal",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-determined", "2027-03-01",
				"-appeal", "2027-03-16"},
			appealEnds: "2027-03-15", decided: "2027-04-12", conflicts: []string{"appeal_late"},
		},
		{
			// Exam Wed 10 Feb + 30 = Wed 24 Mar; determined then, + 10 over
			// Good Friday and Easter Monday = Fri 9 Apr; + 4 weeks = Fri 7
			// May, the decree day after Ascension, so Mon 10 May.
			name: "decision date moved past a decree day",
			args: []string{"-exam", "2027-02-10", "-registered", "2027-02-26", "-determined", "2027-03-24",
				"-appeal", "2027-04-01"},
			appealEnds: "2027-04-09", decided: "2027-05-10",
		},
		{
			// The same without decree days: Fri 7 May is a working day.
			name: "calendar without decree days",
			args: []string{"-exam", "2027-02-10", "-registered", "2027-02-26", "-determined", "2027-03-24",
				"-appeal", "2027-04-01", "-config", "testdata/zonder-besluitdagen.json"},
			appealEnds: "2027-04-09", decided: "2027-05-07",
		},
		{
			// Exam Mon 12 Oct 2026 + 30 = Mon 23 Nov; determined then, + 10 =
			// Mon 7 Dec; + 4 weeks = Mon 4 Jan 2027, in the closure week of
			// 4–8 January, which does not move the board's term.
			name: "decision date not moved by a closure",
			args: []string{"-exam", "2026-10-12", "-registered", "2026-10-30", "-determined", "2026-11-23",
				"-appeal", "2026-12-01", "-config", "testdata/sluitingsweek.json"},
			appealEnds: "2026-12-07", decided: "2027-01-04",
		},
		{
			// Worked example A, the board extending its term by two weeks:
			// Mon 15 Mar + 6 weeks = Mon 26 Apr.
			name: "extended",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-determined", "2027-03-01",
				"-appeal", "2027-03-10", "-extended"},
			appealEnds: "2027-03-15", decided: "2027-04-26",
		},
		{
			// Decided on Tue 13 Apr, the day after the term ended.
			name: "decided late",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-determined", "2027-03-01",
				"-appeal", "2027-03-10", "-appeal-decided", "2027-04-13"},
			appealEnds: "2027-03-15", decided: "2027-04-12", conflicts: []string{"appeal_decided_late"},
		},
		{
			// Decided within the extended term.
			name: "decided within the extended term",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-determined", "2027-03-01",
				"-appeal", "2027-03-10", "-extended", "-appeal-decided", "2027-04-26"},
			appealEnds: "2027-03-15", decided: "2027-04-26",
		},
		{
			// An appeal against an invalidation on Wed 10 Feb, before any
			// determination: the window ends Wed 24 Feb; + 4 weeks = Wed 24 Mar.
			name: "appeal against an invalidation",
			args: []string{"-exam", "2027-01-18", "-registered", "2027-02-05", "-invalidated", "2027-02-10",
				"-appeal", "2027-02-15"},
			appealEnds: "2027-02-24", decided: "2027-03-24",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode(t, runOK(t, tt.args...), true)
			require.Equal(t, tt.appealEnds, got["appeal_ends"])
			require.Equal(t, tt.decided, got["appeal_decision_due"])
			require.Equal(t, tt.conflicts, nilIfEmpty(codes(got)))
		})
	}
}

// TestMessage checks that -message prints the student message, and only
// it, with the long dates and the addresses.
func TestMessage(t *testing.T) {
	// Example: inspection ends Tue 5 Jan, determination Wed 13 Jan, and the
	// appeal window then ends Wed 27 Jan.
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{
			name: "Dutch",
			args: append([]string{"-message", "nl"}, exampleArgs...),
			want: []string{"Beste student", "dinsdag 5 januari 2027", "woensdag 13 januari 2027",
				"woensdag 27 januari 2027", "Eduarte", "examencommissie@roc-voorbeeld.nl",
				"cbe@roc-voorbeeld.nl", "Examencommissie ROC Voorbeeld"},
		},
		{
			name: "English",
			args: append([]string{"-message", "en"}, exampleArgs...),
			want: []string{"Dear student", "Tuesday 5 January 2027", "Wednesday 13 January 2027",
				"Wednesday 27 January 2027", "Eduarte", "examencommissie@roc-voorbeeld.nl",
				"cbe@roc-voorbeeld.nl", "Examencommissie ROC Voorbeeld"},
		},
		{
			name: "own settings",
			args: append([]string{"-message", "en", "-institution", "Exam Committee ROC Elders", "-krs", "Magister",
				"-committee", "https://roc-elders.nl/klacht", "-appeals-board", "beroep@roc-elders.nl"}, exampleArgs...),
			want: []string{"Exam Committee ROC Elders", "Magister", "https://roc-elders.nl/klacht", "beroep@roc-elders.nl"},
		},
		{
			// The closure week moves the dates (inspection Tue 12 Jan,
			// determination Wed 20 Jan, appeal Wed 3 Feb), and a working day
			// that ends at 17:00 is named with its time.
			name: "config with a closure week and day end",
			args: append([]string{"-message", "nl", "-config", "testdata/sluitingsweek.json"}, exampleArgs...),
			want: []string{"dinsdag 12 januari 2027 om 17.00 uur", "woensdag 20 januari 2027",
				"woensdag 3 februari 2027 om 17.00 uur"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runOK(t, tt.args...)
			require.False(t, strings.HasPrefix(out, "{"), "no JSON with -message")
			for _, w := range tt.want {
				require.Contains(t, out, w)
			}
		})
	}

	t.Run("exactly the timeline's message", func(t *testing.T) {
		cal := calendar.Default()
		tl, err := timeline.New(cal, timeline.DefaultPolicies(), timeline.Facts{
			Exam:       date(2026, time.November, 30).In(cal.Location()),
			Registered: date(2026, time.December, 18).In(cal.Location()),
		})
		require.NoError(t, err)
		want, err := tl.StudentMessage(timeline.Dutch, timeline.Settings{
			Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
			CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl",
		})
		require.NoError(t, err)
		require.Equal(t, want, runOK(t, append([]string{"-message", "nl"}, exampleArgs...)...))
	})
}

// TestRunBadInput checks that every kind of bad input exits with status 2,
// writes nothing to stdout, and names the problem on stderr.
func TestRunBadInput(t *testing.T) {
	with := func(extra ...string) []string { return append(slices.Clone(exampleArgs), extra...) }
	tests := []struct {
		name string
		args []string
		want []string // each must occur in stderr
	}{
		{"unparseable exam date", []string{"-exam", "2026-13-01", "-registered", "2026-12-18"},
			[]string{"timeline: -exam: 2026-13-01 is not a day: a year has 12 months\n"}},
		{"no such day", []string{"-exam", "2026-11-30", "-registered", "2027-02-30"},
			[]string{"timeline: -registered: 2027-02-30 is not a day: February 2027 has 28 days\n"}},
		{"empty date", []string{"-exam", "", "-registered", "2026-12-18"},
			[]string{`-exam: "" is not a date: want YYYY-MM-DD`}},
		{"unparseable determination", with("-determined", "tomorrow"),
			[]string{`-determined: "tomorrow" is not a date: want YYYY-MM-DD, such as 2027-01-18`}},
		{"unparseable appeal", with("-determined", "2027-01-13", "-appeal", "2027/01/20"),
			[]string{`-appeal: "2027/01/20" is not a date`}},
		{"date with time", []string{"-exam", "2026-11-30T09:00", "-registered", "2026-12-18"},
			[]string{`-exam: "2026-11-30T09:00" is not a date`}},
		{"unparseable delivery", with("-delivered", "2026-12-32"), []string{"-delivered: 2026-12-32 is not a day: December 2026 has 31 days"}},
		{"unparseable invalidation", with("-invalidated", "soon"), []string{`-invalidated: "soon" is not a date`}},
		{"unparseable appeal decision", with("-determined", "2027-01-13", "-appeal", "2027-01-20", "-appeal-decided", "x"),
			[]string{`-appeal-decided: "x" is not a date`}},
		{"unknown language", with("-message", "de"), []string{`-message "de"`, "unknown language", "nl or en"}},
		{"empty language", with("-message", ""), []string{`-message ""`, "unknown language"}},
		{"empty message setting", with("-message", "nl", "-committee", " "),
			[]string{"-committee is empty"}},
		{"missing config file", with("-config", "testdata/absent.json"),
			[]string{"timeline: -config testdata/absent.json: no such file, want a calendar definition: a JSON object (see the calendar package)\n"}},
		{"config in a missing directory", with("-config", "testdata/nope/kalender.json"),
			[]string{"timeline: -config testdata/nope/kalender.json: no such file, want a calendar definition"}},
		{"empty config", with("-config", "testdata/leeg.json"),
			[]string{"timeline: -config testdata/leeg.json: empty, want a calendar definition: a JSON object (see the calendar package)\n"}},
		{"empty policy", with("-policy", "testdata/leeg.json"),
			[]string{"timeline: -policy testdata/leeg.json: empty, want a policy set: a JSON object {\"versions\": [...]} (see timeline.ParsePolicies)\n"}},
		{"policy is a directory", with("-policy", "testdata"),
			[]string{"timeline: -policy testdata: a directory, not a file, want a policy set"}},
		{"malformed config", with("-config", "testdata/kalender-kapot.json"),
			[]string{"-config testdata/kalender-kapot.json: ", "malformed JSON", "line 4"}},
		{"missing policy file", with("-policy", "testdata/absent.json"),
			[]string{"-policy testdata/absent.json: no such file, want a policy set"}},
		{"malformed policy", with("-policy", "testdata/beleid-kapot.json"),
			[]string{"-policy testdata/beleid-kapot.json: ", "malformed JSON", "line 4"}},
		{"policy without a term", with("-policy", "testdata/zonder-termijn.json"),
			[]string{"-policy", "zonder-termijn.json", "assessment_term", "must be at least 1"}},
		{"no policy in force on the exam date", with("-policy", "testdata/vanaf-2027-08.json"),
			[]string{"-policy testdata/vanaf-2027-08.json", "no policy in force on exam date 2026-11-30"}},
		{"determined before registered", with("-determined", "2026-12-17"),
			[]string{"-determined: comes before registration"}},
		{"appeal before determined", with("-determined", "2027-01-13", "-appeal", "2027-01-12"),
			[]string{"-appeal: comes before determination"}},
		{"appeal without determined", with("-appeal", "2027-01-20"),
			[]string{"-appeal: given, but determination is not, nor an invalidation"}},
		{"delivered after registered", with("-delivered", "2026-12-21"),
			[]string{"-delivered: comes after registration"}},
		{"appeal before the invalidation", with("-invalidated", "2027-01-06", "-appeal", "2027-01-05"),
			[]string{"-appeal: comes before the invalidation"}},
		{"appeal decided without an appeal", with("-determined", "2027-01-13", "-appeal-decided", "2027-02-01"),
			[]string{"-appeal-decided: given, but the appeal is not"}},
		{"appeal decided before the appeal", with("-determined", "2027-01-13", "-appeal", "2027-01-20", "-appeal-decided", "2027-01-19"),
			[]string{"-appeal-decided: comes before the appeal"}},
		{"exam after the calendar's years", []string{"-exam", "2101-01-05", "-registered", "2101-01-06"},
			[]string{"-exam", "2101-01-05", "outside the supported years 2000–2100"}},
		{"exam before the calendar's years", []string{"-exam", "1999-12-01", "-registered", "1999-12-02"},
			[]string{"-exam", "1999-12-01", "outside the supported years"}},
		{"terms that end after the calendar's years", []string{"-exam", "2100-12-01", "-registered", "2100-12-02"},
			[]string{"-exam", "30 working days from 2100-12-01", "outside the supported years"}},
		{"registered after the calendar's years", []string{"-exam", "2100-10-01", "-registered", "2101-01-04"},
			[]string{"-registered", "2101-01-04", "outside the supported years"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			require.Equal(t, 2, code, "stderr: %s", stderr.String())
			require.Empty(t, stdout.String())
			for _, w := range tt.want {
				require.Contains(t, stderr.String(), w)
			}
			require.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line: %s", stderr.String())
		})
	}
}

// TestRunBadUsage checks that a call timeline cannot make sense of exits
// with status 2, writes nothing to stdout, and gives the problem and the
// synopsis on stderr.
func TestRunBadUsage(t *testing.T) {
	with := func(extra ...string) []string { return append(slices.Clone(exampleArgs), extra...) }
	tests := []struct {
		name string
		args []string
		want string // the first line on stderr
	}{
		{"missing -exam", []string{"-registered", "2026-12-18"}, "timeline: missing flag -exam"},
		{"missing -registered", []string{"-exam", "2026-11-30"}, "timeline: missing flag -registered"},
		{"no arguments", nil, "timeline: missing flag -exam"},
		{"-early without -determined", with("-early"), "timeline: -early needs -determined: only a determination can be early"},
		{"-extended without -appeal", with("-determined", "2027-01-13", "-extended"),
			"timeline: -extended needs -appeal: the appeals board extends its term for an appeal"},
		{"extra argument", with("extra"), `timeline: unexpected argument "extra"`},
		{"argument before flags", []string{"2026-11-30", "-registered", "2026-12-18"}, `timeline: unexpected argument "2026-11-30"`},
		{"unknown flag", with("-verbose"), "timeline: flag provided but not defined: -verbose"},
		{"flag without value", []string{"-registered", "2026-12-18", "-exam"}, "timeline: flag needs an argument: -exam"},
		{"bad boolean", with("-early=perhaps"), `timeline: invalid boolean value "perhaps" for -early: parse error`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			require.Equal(t, 2, code, "stderr: %s", stderr.String())
			require.Empty(t, stdout.String())
			require.Equal(t, tt.want+"\nusage: "+synopsis+"\nRun 'timeline -h' for details.\n", stderr.String())
		})
	}
}

// TestHelp: -h and -help print the synopsis, what the command does and
// every flag on stdout, and exit 0.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help"} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run([]string{arg}, &stdout, &stderr))
		require.Empty(t, stderr.String())
		require.True(t, strings.HasPrefix(stdout.String(), "usage: timeline -exam YYYY-MM-DD -registered YYYY-MM-DD "), stdout.String())
		for _, w := range []string{"-exam", "-registered", "-delivered", "-determined", "-early",
			"-invalidated", "-appeal", "-extended", "-appeal-decided", "-config", "-policy", "-message", "-institution",
			"-krs", "-committee", "-appeals-board", "binding_rule", "Exit status"} {
			require.Contains(t, stdout.String(), w)
		}
	}
}

// TestRunWriteError checks that output that cannot be written is reported
// and gives status 1, which is not bad input.
func TestRunWriteError(t *testing.T) {
	var stderr bytes.Buffer
	code := run(exampleArgs, cmdtest.FailingWriter{}, &stderr)
	require.Equal(t, 1, code)
	require.Contains(t, stderr.String(), "broken pipe")
}

// TestBinary builds the command and runs it as a script would, to check
// the exit status and streams of the real process.
func TestBinary(t *testing.T) {
	bin := cmdtest.Build(t, "timeline")

	t.Run("good call", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, exampleArgs...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
		require.Equal(t, exampleOutput, stdout.String())
		require.Empty(t, stderr.String())
	})
	t.Run("bad date", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, "-exam", "2026-13-01", "-registered", "2026-12-18")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		require.Equal(t, 2, exit.ExitCode())
		require.Empty(t, stdout.String())
		require.Equal(t, "timeline: -exam: 2026-13-01 is not a day: a year has 12 months\n", stderr.String())
	})
	t.Run("help", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(t.Context(), bin, "-h")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
		require.True(t, strings.HasPrefix(stdout.String(), "usage: timeline "))
		require.Empty(t, stderr.String())
	})
}
