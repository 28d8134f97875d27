package timeline

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var settings = Settings{
	Institution:         "Examencommissie ROC Voorbeeld",
	KRS:                 "Eduarte",
	CommitteeAddress:    "examencommissie@roc-voorbeeld.nl",
	AppealsBoardAddress: "cbe@roc-voorbeeld.nl",
}

// golden compares got with the named file in testdata, or rewrites the file
// under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}

func TestStudentMessageGolden(t *testing.T) {
	noEarly := DefaultPolicy()
	noEarly.EarlyDetermination = false
	noEarlySet, err := NewPolicySet(noEarly)
	require.NoError(t, err)

	cases := []struct {
		name string
		cal  *calendar.Calendar
		set  *PolicySet
		f    Facts
	}{
		// Registered Friday 18 December 2026: inspection until Tuesday 5 January.
		{"christmas", calendar.Default(), DefaultPolicies(),
			Facts{Exam: day(t, "2026-11-30"), Registered: day(t, "2026-12-18")}},
		// DOMAIN example B: late, the registration rule binds.
		{"late", calendar.Default(), DefaultPolicies(),
			Facts{Exam: day(t, "2027-04-12"), Registered: day(t, "2027-05-10")}},
		// Days ending at 17:00, under a policy without early determination.
		{"closing-time", busyCalendar(t), noEarlySet,
			Facts{Exam: day(t, "2026-11-30"), Registered: day(t, "2026-12-18")}},
	}
	for _, tc := range cases {
		tl, err := New(tc.cal, tc.set, tc.f)
		require.NoError(t, err)
		for _, lang := range []Language{Dutch, English} {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				msg, err := tl.StudentMessage(lang, settings)
				require.NoError(t, err)
				golden(t, "message-"+tc.name+"-"+string(lang)+".golden", msg)
			})
		}
	}
}

// The dates in the message are the timeline's, in long form.
func TestStudentMessageDates(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(),
		Facts{Exam: day(t, "2026-11-30"), Registered: day(t, "2026-12-18")})
	require.NoError(t, err)
	nl, err := tl.StudentMessage(Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, nl, "uiterlijk dinsdag 5 januari 2027 contact op")
	assert.Contains(t, nl, "op woensdag 13 januari 2027 definitief")
	assert.Contains(t, nl, "tot en met woensdag 27 januari 2027 in beroep")
	assert.Contains(t, nl, "cbe@roc-voorbeeld.nl")
	en, err := tl.StudentMessage(English, settings)
	require.NoError(t, err)
	assert.Contains(t, en, "no later than Tuesday 5 January 2027")
	assert.Contains(t, en, "final on Wednesday 13 January 2027")

	// Once determined, early here, the message tells what happened.
	early, err := New(calendar.Default(), DefaultPolicies(), Facts{Exam: day(t, "2026-11-30"),
		Registered: day(t, "2026-12-18"), Determined: day(t, "2026-12-21"), Early: true})
	require.NoError(t, err)
	msg, err := early.StudentMessage(Dutch, settings)
	require.NoError(t, err)
	assert.Contains(t, msg, "Het resultaat is voorlopig tot maandag 21 december 2026.\n")
	assert.Contains(t, msg, "tot en met woensdag 6 januari 2027 in beroep")
}

func TestStudentMessageErrors(t *testing.T) {
	tl, err := New(calendar.Default(), DefaultPolicies(), Facts{Result: "r-9", Exam: day(t, "2026-11-30")})
	require.NoError(t, err)
	_, err = tl.StudentMessage(Dutch, settings)
	assert.ErrorIs(t, err, ErrMessage)
	assert.Contains(t, err.Error(), "not registered")

	tl, err = New(calendar.Default(), DefaultPolicies(),
		Facts{Exam: day(t, "2026-11-30"), Registered: day(t, "2026-12-18")})
	require.NoError(t, err)
	_, err = tl.StudentMessage("de", settings)
	assert.ErrorIs(t, err, ErrMessage)
	assert.Contains(t, err.Error(), `"de"`)
	_, err = tl.StudentMessage(Dutch, Settings{KRS: "Eduarte"})
	assert.ErrorIs(t, err, ErrMessage)
	assert.Contains(t, err.Error(), "settings Institution, CommitteeAddress, AppealsBoardAddress are empty")
	one := settings
	one.KRS = " "
	assert.EqualError(t, one.Validate(), "timeline: cannot write the student message: setting KRS is empty")
	require.NoError(t, settings.Validate())

	lang, err := ParseLanguage("en")
	require.NoError(t, err)
	assert.Equal(t, English, lang)
	_, err = ParseLanguage("NL")
	assert.ErrorIs(t, err, ErrMessage)
}
