package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// allPages writes every page of the fixture's reports in the language.
func allPages(t *testing.T, tr *trail, lang timeline.Language) map[string]string {
	t.Helper()
	acc, err := report.Accountability(ctx, tr.store, cal, session1)
	require.NoError(t, err)
	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	pages := map[string]string{}
	for name, write := range map[string]pageWriter{
		"accountability.md": acc.WriteMarkdown, "accountability.csv": acc.WriteCSV, "accountability.html": acc.WriteHTML,
		"timeliness.md": tl.WriteMarkdown, "timeliness.csv": tl.WriteCSV, "timeliness-months.csv": tl.WriteMonthsCSV,
		"timeliness.html": tl.WriteHTML, "evaluation.md": ev.WriteMarkdown, "evaluation.csv": ev.WriteCSV,
		"evaluation.html": ev.WriteHTML,
	} {
		var b bytes.Buffer
		err := write(&b, lang)
		if lang != "" && lang != timeline.Dutch && lang != timeline.English {
			require.ErrorIs(t, err, report.ErrLanguage, name)
			continue
		}
		require.NoError(t, err, name)
		pages[name] = b.String()
	}
	pages["timeliness.svg"] = string(report.TimelinessChart(tl, lang))
	return pages
}

// Every report is written in Dutch and in English, Dutch by default, and
// in nothing else; a page in one language holds none of the other's
// words for what the package writes itself (issue 15: headings and labels
// were English with Dutch in brackets).
func TestLanguages(t *testing.T) {
	tr := fixture(t)
	nl, en, zero := allPages(t, tr, timeline.Dutch), allPages(t, tr, timeline.English), allPages(t, tr, "")
	assert.Equal(t, nl, zero, "the zero Language is Dutch")
	allPages(t, tr, "de")

	english := regexp.MustCompile(`\b(Totals|Results|Session report|Timeliness|Exam committee's|determined|` +
		`registered|received|on time|pending|overdue|appeal|complaint|exception|not upheld|granted|month|` +
		`Mon|Tue|Wed|Thu|Fri|Feb|Mar|Apr)\b`)
	dutch := regexp.MustCompile(`\b(Totalen|Resultaten|Zittingsverslag|Tijdigheid|Jaarverslag|vastgesteld|` +
		`geregistreerd|ontvangen|op tijd|lopend|over tijd|beroep|klacht|uitzondering|ongegrond|verleend|maand|` +
		`wo|vr|mrt|okt)\b`)
	brackets := regexp.MustCompile(`\((zittingsverslag|tijdigheid|vaststelling|klachten|beroepen|inzage|mandaat|` +
		`onderdeel|examinator|afname|opleiding|poging|verleend|gegrond|ongegrond|vastgesteld)[^)]*\)`)
	// The fixture's own data (reasons, details, messages) is in English:
	// data is shown as it was recorded, in any language.
	data := regexp.MustCompile(`marked too strictly|the committee decided with care|the inspection window was cut short|` +
		`points added up wrongly|no influence on the result|session report: phone on the table|assessor ill; approved under ` +
		`mandate|delivered on 2027-02-10, 2 working days after the assessment term ended on 2027-02-08|diploma to be issued|` +
		`the assessment follows the norm|the weight is required and must be 100|PATCH x-999: the KRS knows no such ` +
		`association|a number is expected`)
	// What a reader sees: the markup's names and codes are no words.
	markup := regexp.MustCompile(`<[^>]*>`)
	for name, page := range nl {
		page = data.ReplaceAllString(markup.ReplaceAllString(page, " "), "")
		assert.Empty(t, english.FindAllString(page, 5), "nl %s", name)
	}
	for name, page := range en {
		page = data.ReplaceAllString(markup.ReplaceAllString(page, " "), "")
		assert.Empty(t, dutch.FindAllString(page, 5), "en %s", name)
		assert.Empty(t, brackets.FindAllString(page, 5), "en %s: Dutch in brackets", name)
	}

	// One spelling of the school year: with an en dash.
	for name, page := range nl {
		assert.NotContains(t, page, "2026-2027", name)
	}
	assert.Contains(t, nl["evaluation.md"], "# Jaarverslag examencommissie: evaluatie 2026–2027\n")
	assert.Contains(t, en["evaluation.html"], "<title>Exam committee&#39;s annual report: evaluation 2026–2027</title>")
}

// Counts have their nouns in the right plural form, in both languages, and
// their digits as in the JSON: no grouping.
func TestPlural(t *testing.T) {
	for _, c := range []struct {
		lang timeline.Language
		n    int
		noun string
		want string
	}{
		{timeline.Dutch, 0, "result", "0 resultaten"},
		{timeline.Dutch, 1, "result", "1 resultaat"},
		{timeline.Dutch, 2, "result", "2 resultaten"},
		{timeline.Dutch, 1000, "result", "1000 resultaten"},
		{timeline.English, 0, "result", "0 results"},
		{timeline.English, 1, "result", "1 result"},
		{timeline.English, 2, "result", "2 results"},
		{timeline.English, 12345, "result", "12345 results"},
		{timeline.Dutch, 1, "new_decision", "1 nieuwe beslissing"},
		{timeline.Dutch, 3, "new_decision", "3 nieuwe beslissingen"},
		{timeline.English, 1, "new_decision", "1 new decision"},
		{timeline.English, 3, "new_decision", "3 new decisions"},
		{timeline.Dutch, 1, "rejected_delivery", "1 afgewezen aanlevering"},
		{timeline.Dutch, 2, "rejected_delivery", "2 afgewezen aanleveringen"},
		{timeline.English, 1, "rejected_delivery", "1 rejected delivery"},
		{timeline.English, 2, "rejected_delivery", "2 rejected deliveries"},
		{timeline.Dutch, 1, "irregularity", "1 onregelmatigheid"},
		{timeline.Dutch, 2, "irregularity", "2 onregelmatigheden"},
		{timeline.English, 2, "irregularity", "2 irregularities"},
	} {
		assert.Equal(t, c.want, report.Count(c.lang, c.n, c.noun))
	}

	// In a report: one new decision, then two.
	tr := newTrail(t)
	for _, id := range []string{"e-1", "e-2"} {
		tr.determined(id)
		tr.do(id, student("s-"+id[2:]), at("2027-03-08", 10), result.Command{Action: result.LodgeAppeal})
		tr.do(id, board, at("2027-04-01", 10), result.Command{Action: result.DecideAppeal, Outcome: result.Upheld,
			Reason: "the assessment form was incomplete"})
	}
	rows := func() (string, string) {
		ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
		require.NoError(t, err)
		var nl, en bytes.Buffer
		require.NoError(t, ev.WriteMarkdown(&nl, timeline.Dutch))
		require.NoError(t, ev.WriteMarkdown(&en, timeline.English))
		return nl.String(), en.String()
	}
	for i, id := range []string{"e-1", "e-2"} {
		next := tr.results[id].Successor(id+"-n", grade("7.0"), result.Manual)
		tr.do(id+"-n", committee, at("2027-04-08", 10), result.Command{Action: result.Receive, Record: &next,
			Decision: "EC-2027-03" + id[2:]})
		nl, en := rows()
		if i == 0 {
			assert.Contains(t, nl, "| april 2027 | 1 (1 nieuwe beslissing) |")
			assert.Contains(t, en, "| April 2027 | 1 (1 new decision) |")
		} else {
			assert.Contains(t, nl, "| april 2027 | 2 (2 nieuwe beslissingen) |")
			assert.Contains(t, en, "| April 2027 | 2 (2 new decisions) |")
		}
	}
	// And the evaluation counts them both ways: annulled, replaced.
	nl, _ := rows()
	assert.True(t, strings.Contains(nl, "| Vernietigd in beroep | 2 |\n| Vervangen of vernietigd, nog zonder nieuwe beslissing | 0 |"), nl)
}
