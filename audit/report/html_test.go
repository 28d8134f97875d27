package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit/report"
	"github.com/krs-oke/vaststelling/timeline"
)

// The HTML pages are each one self-contained document, printable on A4:
// nothing loaded from outside, the language and a title named, tables
// whose header repeats on every page, the chart inline; and every number
// marked up is a value of the JSON.
func TestHTML(t *testing.T) {
	tr := fixture(t)
	acc, err := report.Accountability(ctx, tr.store, cal, session1)
	require.NoError(t, err)
	tl, err := report.Timeliness(ctx, tr.store, cal, timeline.DefaultPolicies(), reportAt)
	require.NoError(t, err)
	ev, err := report.Evaluation(ctx, tr.store, report.SchoolYear(2026, ams))
	require.NoError(t, err)
	for name, r := range map[string]struct {
		json  func() ([]byte, error)
		write pageWriter
		title map[timeline.Language]string
	}{
		"accountability": {acc.JSON, acc.WriteHTML, map[timeline.Language]string{timeline.Dutch: "Zittingsverslag ICT-2027-01",
			timeline.English: "Session report ICT-2027-01"}},
		"timeliness": {tl.JSON, tl.WriteHTML, map[timeline.Language]string{timeline.Dutch: "Tijdigheid",
			timeline.English: "Timeliness"}},
		"evaluation": {ev.JSON, ev.WriteHTML, map[timeline.Language]string{
			timeline.Dutch:   "Jaarverslag examencommissie: evaluatie 2026–2027",
			timeline.English: "Exam committee&#39;s annual report: evaluation 2026–2027"}},
	} {
		js, err := r.json()
		require.NoError(t, err)
		values := map[string]bool{}
		var v any
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&v))
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for _, e := range x {
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case json.Number:
				values[x.String()] = true
			case string:
				values[x] = true
			}
		}
		walk(v)
		for _, l := range languages {
			var b bytes.Buffer
			require.NoError(t, r.write(&b, l.lang))
			doc := b.String()
			assert.True(t, strings.HasPrefix(doc, "<!DOCTYPE html>\n<html lang=\""+l.name+"\">"), name)
			assert.Contains(t, doc, "<title>"+r.title[l.lang]+"</title>", name)
			assert.Contains(t, doc, "@page { size: A4;", name)
			assert.Contains(t, doc, "thead { display: table-header-group; }", name)
			assert.Contains(t, doc, "overflow-wrap: anywhere", name, "long ids wrap")
			for _, outside := range []string{"<link", "<script", "<img", "<iframe", "@import", "url(", "src=", "href="} {
				assert.NotContains(t, doc, outside, "%s %s: nothing from outside", name, l.name)
			}
			assert.Equal(t, 0, strings.Count(doc, "http")-strings.Count(doc, `xmlns="http://www.w3.org/2000/svg"`),
				"%s %s: no address but the SVG namespace", name, l.name)

			// Well-formed: the page reads as XML, and every <data> holds a
			// value of the JSON.
			dec := xml.NewDecoder(strings.NewReader(doc))
			dec.Strict = true
			data := 0
			for {
				tok, err := dec.Token()
				if err != nil {
					require.ErrorContains(t, err, "EOF", "%s %s", name, l.name)
					break
				}
				if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "data" {
					data++
					assert.True(t, values[e.Attr[0].Value], "%s %s: <data value=%q>", name, l.name, e.Attr[0].Value)
				}
			}
			assert.Greater(t, data, 10, name)
		}
	}
	var b bytes.Buffer
	require.NoError(t, tl.WriteHTML(&b, timeline.English))
	assert.Contains(t, b.String(), "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", "the chart inline")
}
