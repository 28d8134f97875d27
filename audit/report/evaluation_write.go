package report

import (
	"io"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

// WriteCSV writes the report as CSV in the language (the zero Language is
// Dutch): a header row, then a row per group: the total, each programme,
// each component and each month (YYYY-MM), named in the column group. The
// columns added later (from successors on) come last, so that the earlier
// keep their places.
func (r EvaluationReport) WriteCSV(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	head := header(l, []string{"groep", "sleutel", "resultaten", "vastgesteld", "vervroegd", "correcties",
		"correcties_klacht", "correcties_vervangen"}, []string{"group", "key", "results", "determined", "early",
		"corrections", "corrections_complaint", "corrections_corrected"})
	outcomes := header(l, []string{"ingediend", "gegrond", "ongegrond", "ingetrokken", "niet_ontvankelijk", "open"},
		[]string{"lodged", "upheld", "not_upheld", "withdrawn", "inadmissible", "open"})
	for _, k := range header(l, []string{"klachten", "beroepen"}, []string{"complaints", "appeals"}) {
		for _, f := range outcomes {
			head = append(head, k+"_"+f)
		}
	}
	head = append(head, header(l, []string{"uitzonderingen", "onregelmatigheden", "nieuwe_beslissingen",
		"inzage_aangevraagd", "inzage_verleend", "inzage_open", "beroepen_verlengd", "vernietigd",
		"wacht_op_nieuwe_beslissing", "afgewezen_aanleveringen"}, []string{"exceptions", "irregularities", "successors",
		"inspections_requested", "inspections_granted", "inspections_open", "appeals_extended", "annulled",
		"awaiting_successor", "rejected_deliveries"})...)
	var rows [][]string
	add := func(group string, e EvaluationRow) {
		key := e.Key
		if group == totalKey {
			key = l.s("totaal", "total")
		}
		row := []string{groupName(l, group), key, itoa(e.Results), itoa(e.Determined), itoa(e.Early),
			itoa(e.Corrections.Total), itoa(e.Corrections.Complaint), itoa(e.Corrections.Corrected)}
		for _, o := range []Outcomes{e.Complaints, e.Appeals} {
			row = append(row, itoa(o.Lodged), itoa(o.Upheld), itoa(o.NotUpheld), itoa(o.Withdrawn), itoa(o.Inadmissible),
				itoa(o.Open))
		}
		rows = append(rows, append(row, itoa(e.Exceptions), itoa(e.Irregularities), itoa(e.Successors),
			itoa(e.Inspections.Requested), itoa(e.Inspections.Granted), itoa(e.Inspections.Open),
			itoa(e.AppealsExtended), itoa(e.Annulled), itoa(e.AwaitingSuccessor), itoa(e.RejectedDeliveries)))
	}
	add(totalKey, r.Total)
	for _, e := range r.ByProgramme {
		add("programme", e)
	}
	for _, e := range r.ByComponent {
		add("component", e)
	}
	for _, e := range r.ByMonth {
		add("month", e)
	}
	return writeCSV(w, head, rows)
}

// groupName names a group of rows.
func groupName(l *lang, group string) string {
	return map[string]Words{
		totalKey:    {Dutch: "totaal", English: "total"},
		"programme": {Dutch: "opleiding", English: "programme"},
		"component": {Dutch: "onderdeel", English: "component"},
		"month":     {Dutch: "maand", English: "month"},
	}[group].In(l.tag)
}

// WriteMarkdown writes the report as a Markdown page in the language (the
// zero Language is Dutch): the totals, then per programme, per component
// and per month.
func (r EvaluationReport) WriteMarkdown(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	return r.document(l).writeMarkdown(w)
}

// WriteHTML writes the report as one self-contained HTML page in the
// language (the zero Language is Dutch), printable on A4: the same as
// WriteMarkdown, with every number and time marked up with its value in
// the JSON.
func (r EvaluationReport) WriteHTML(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	return r.document(l).writeHTML(w)
}

// periodText writes a period: "zo 1 aug 2026 tot en met za 31 jul 2027"
// when it runs from midnight to midnight, "van … tot …" with the times
// otherwise.
func periodText(l *lang, p Period) inline {
	midnight := func(t time.Time) bool {
		return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
	}
	if midnight(p.From) && midnight(p.Until) {
		last := calendar.DateOf(p.Until).AddDays(-1)
		return txt(l.s("van ", "from ")).date(l, calendar.DateOf(p.From)).t(l.s(" tot en met ", " to ")).date(l, last).
			t(l.s("", " inclusive"))
	}
	return txt(l.s("van ", "from ")).moment(l, p.From).t(l.s(" tot ", " up to ")).moment(l, p.Until)
}

// document writes the report for people.
func (r EvaluationReport) document(l *lang) *document {
	d := &document{lang: l, title: l.s("Jaarverslag examencommissie: evaluatie ", "Exam committee's annual report: "+
		"evaluation ") + r.Period.Name}
	d.para(txt(l.s("De periode ", "The period ")).with(periodText(l, r.Period)).t(l.s(
		", gelezen uit de audittrail; alle tijden in ", ", read from the audit trail; all times in ") + r.TimeZone + ". " +
		l.s("Elke gebeurtenis telt in de maand waarin ze plaatsvond: een resultaat toen het voor het eerst werd "+
			"ontvangen; een inzageverzoek toen het werd aangevraagd, met of het is verleend; een klacht of beroep toen "+
			"het werd ingediend, met de uitkomst zoals de trail die nu kent, en bij een beroep of de commissie van "+
			"beroep de beslistermijn verlengde; een correctie, vaststelling, vernietiging of uitzondering toen die "+
			"plaatsvond; een afgewezen OKE-aanlevering toen die binnenkwam. Een inzageverzoek is geen klacht: de "+
			"klachten bevatten er geen.",
			"Each event counts in the month it happened: a result when it was first received; an inspection when it "+
				"was requested, with whether it was granted; a complaint or an appeal when it was lodged, with its "+
				"outcome as the trail stands, and for an appeal whether the appeals board extended its term; a "+
				"correction, determination, annulment or exception when it was made; a rejected OKE delivery when it "+
				"arrived. An inspection is no complaint: the complaints hold none.")))

	d.heading(2, txt(l.s("Totalen", "Totals")))
	t := r.Total
	tot := &table{head: []string{l.s("Omschrijving", "Description"), l.s("Aantal", "Count")}, align: "lr"}
	line := func(nl, en string, n int) { tot.row(txt(l.s(nl, en)), inline{}.n(n)) }
	line("Ontvangen resultaten", "Results received", t.Results)
	line("– waarvan nieuwe beslissingen na vernietiging of correctie",
		"– of which new decisions after annulment or correction", t.Successors)
	line("Afgewezen OKE-aanleveringen", "Rejected OKE deliveries", t.RejectedDeliveries)
	line("– niet te herleiden tot een zitting", "– not traceable to a session", r.UntraceableRejections)
	line("Vastgesteld", "Determined", t.Determined)
	line("– waarvan vervroegd", "– of which early", t.Early)
	line("Correcties", "Corrections", t.Corrections.Total)
	line("– klacht gegrond met een gecorrigeerd cijfer", "– complaint upheld with a corrected grade",
		t.Corrections.Complaint)
	line("– vastgesteld resultaat gecorrigeerd (vervangen)", "– determined result corrected (superseded)",
		t.Corrections.Corrected)
	line("Vernietigd in beroep", "Annulled on appeal", t.Annulled)
	line("Vervangen of vernietigd, nog zonder nieuwe beslissing", "Superseded or annulled, still without a new decision",
		t.AwaitingSuccessor)
	line("Inzageverzoeken", "Inspections requested", t.Inspections.Requested)
	line("– verleend", "– granted", t.Inspections.Granted)
	line("– open", "– open", t.Inspections.Open)
	line("Klachten", "Complaints", t.Complaints.Lodged)
	line("– gegrond", "– upheld", t.Complaints.Upheld)
	line("– ongegrond", "– not upheld", t.Complaints.NotUpheld)
	line("– ingetrokken", "– withdrawn", t.Complaints.Withdrawn)
	line("– niet-ontvankelijk", "– inadmissible", t.Complaints.Inadmissible)
	line("– open", "– open", t.Complaints.Open)
	line("Beroepen bij de commissie van beroep (CBE)", "Appeals to the appeals board (CBE)", t.Appeals.Lodged)
	line("– gegrond: resultaat vernietigd", "– upheld: result annulled", t.Appeals.Upheld)
	line("– ongegrond", "– not upheld", t.Appeals.NotUpheld)
	line("– ingetrokken", "– withdrawn", t.Appeals.Withdrawn)
	line("– niet-ontvankelijk", "– inadmissible", t.Appeals.Inadmissible)
	line("– open", "– open", t.Appeals.Open)
	line("– waarvan de beslistermijn is verlengd", "– of which the decision term was extended", t.AppealsExtended)
	line("Uitzonderingen", "Exceptions", t.Exceptions)
	line("– waarvan onregelmatigheden", "– of which irregularities", t.Irregularities)
	d.table(tot)

	for _, g := range []struct {
		title, column Words
		rows          []EvaluationRow
		month         bool
	}{
		{Words{Dutch: "Per opleiding", English: "Per programme"}, Words{Dutch: "Opleiding", English: "Programme"}, r.ByProgramme, false},
		{Words{Dutch: "Per onderdeel", English: "Per component"}, Words{Dutch: "Onderdeel", English: "Component"}, r.ByComponent, false},
		{Words{Dutch: "Per maand", English: "Per month"}, Words{Dutch: "Maand", English: "Month"}, r.ByMonth, true},
	} {
		d.heading(2, txt(l.w(g.title)))
		results := &table{head: []string{l.w(g.column), l.s("Resultaten", "Results"),
			l.s("Afgewezen aanleveringen", "Rejected deliveries"), l.s("Vastgesteld", "Determined"),
			l.s("Correcties", "Corrections"), l.s("Vernietigd in beroep", "Annulled on appeal"),
			l.s("Zonder nieuwe beslissing", "Without a new decision")}, align: "lrrrrrr"}
		decisions := &table{head: []string{l.w(g.column), l.s("Inzage", "Inspections"), l.s("Klachten", "Complaints"),
			l.s("Beroepen", "Appeals"), l.s("Uitzonderingen", "Exceptions")}, align: "lrrrr"}
		for _, e := range g.rows {
			key := inline{}.id(e.Key)
			switch {
			case g.month:
				key = txt(l.month(e.Key, false))
			case e.Key == "":
				key = txt(l.s("(geen)", "(none)"))
			}
			received := inline{}.n(e.Results)
			if e.Successors > 0 {
				received = received.t(" (").count(l, e.Successors, "new_decision").t(")")
			}
			determined := inline{}.n(e.Determined)
			if e.Early > 0 {
				determined = determined.t(" (").n(e.Early).t(l.s(" vervroegd)", " early)"))
			}
			appeals := outcomeText(l, e.Appeals)
			if e.AppealsExtended > 0 {
				appeals = appeals.t("; ").n(e.AppealsExtended).t(l.s(" verlengd", " extended"))
			}
			exceptions := inline{}.n(e.Exceptions)
			if e.Irregularities > 0 {
				exceptions = exceptions.t(l.s(", waarvan ", ", of which ")).count(l, e.Irregularities, "irregularity")
			}
			results.row(key, received, inline{}.n(e.RejectedDeliveries), determined, inline{}.n(e.Corrections.Total),
				inline{}.n(e.Annulled), inline{}.n(e.AwaitingSuccessor))
			decisions.row(key, inspectionText(l, e.Inspections), outcomeText(l, e.Complaints), appeals, exceptions)
		}
		d.table(results)
		d.table(decisions)
	}
	if r.UntraceableRejections > 0 {
		d.para(txt(l.s("Niet tot een zitting te herleiden, omdat hun associatie bij geen resultaat in de audittrail "+
			"hoort: ", "Not traceable to a session, because their association names no result in the audit trail: ")).
			count(l, r.UntraceableRejections, "rejected_delivery").t(l.s(
			". Ze tellen mee in het totaal en per maand, niet per opleiding of onderdeel.",
			". They count in the total and per month, not per programme or component.")))
	}
	if len(r.Erased) > 0 {
		d.para(txt(l.s("Weggelaten omdat hun records zijn gewist (AVG): ", "Left out because their records were "+
			"erased (AVG): ")).id(strings.Join(r.Erased, ", ")).t("."))
	}
	return d
}

// inspectionText writes inspections for people: "2: 1 verleend, 1 open".
func inspectionText(l *lang, n Inspections) inline {
	if n.Requested == 0 {
		return inline{}.n(0)
	}
	var parts []inline
	if n.Granted > 0 {
		parts = append(parts, inline{}.n(n.Granted).t(l.s(" verleend", " granted")))
	}
	if n.Open > 0 {
		parts = append(parts, inline{}.n(n.Open).t(" "+l.w(wordsOpen)))
	}
	return inline{}.n(n.Requested).t(": ").with(join(parts, ", "))
}

// outcomeText writes outcomes for people: "2: 1 gegrond, 1 ongegrond".
func outcomeText(l *lang, o Outcomes) inline {
	if o.Lodged == 0 {
		return inline{}.n(0)
	}
	var parts []inline
	for _, c := range []struct {
		n    int
		code string
	}{{o.Upheld, "upheld"}, {o.NotUpheld, "not_upheld"}, {o.Withdrawn, "withdrawn"}, {o.Inadmissible, "inadmissible"}} {
		if c.n > 0 {
			parts = append(parts, inline{}.n(c.n).t(" "+l.w(lookup(outcomeWords, c.code))))
		}
	}
	if o.Open > 0 {
		parts = append(parts, inline{}.n(o.Open).t(" "+l.w(wordsOpen)))
	}
	return inline{}.n(o.Lodged).t(": ").with(join(parts, ", "))
}
