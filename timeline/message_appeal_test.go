package timeline

import (
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An appeal against an invalidation of a result never determined is
// decided as any appeal, and the student is told: the invalidation stands,
// or the board annulled it.
func TestMessageAppealAgainstInvalidation(t *testing.T) {
	f := Facts{Result: "r-a", Exam: day(t, "2027-01-18"), Registered: day(t, "2027-02-05"),
		Invalidated: day(t, "2027-02-12"), AppealLodged: day(t, "2027-02-15"), AppealDecided: day(t, "2027-03-30")}
	tl, err := New(calendar.Default(), DefaultPolicies(), f)
	require.NoError(t, err)
	for _, tc := range []struct {
		sub  Subject
		want map[Language][]string
	}{
		{Subject{Kind: MessageAppealDecided, Result: grade, Outcome: "not_upheld"}, map[Language][]string{
			Dutch: {"over je beroep tegen de ongeldigverklaring van je resultaat in Eduarte",
				"Het besluit van de examencommissie van vrijdag 12 februari 2027 om je resultaat ongeldig te verklaren blijft daarmee staan.",
				"Het ongeldig verklaarde resultaat was: 7,5."},
			English: {"your appeal against the invalidation of your result in Eduarte on Tuesday 30 March 2027",
				"The exam committee's decision of Friday 12 February 2027 to declare your result invalid therefore stands."}}},
		{Subject{Kind: MessageAnnulled, Result: grade}, map[Language][]string{
			Dutch:   {"het besluit van de examencommissie van vrijdag 12 februari 2027 om je resultaat in Eduarte ongeldig te verklaren vernietigd"},
			English: {"annulled the exam committee's decision of Friday 12 February 2027 to declare your result in Eduarte invalid"}}},
	} {
		for lang, parts := range tc.want {
			msg, err := tl.Message(tc.sub, lang, settings)
			require.NoError(t, err, "%s %s", tc.sub.Kind, lang)
			for _, p := range parts {
				assert.Contains(t, msg, p, "%s %s", tc.sub.Kind, lang)
			}
			assert.NotContains(t, msg, "definitief")
		}
	}
}
