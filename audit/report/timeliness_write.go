package report

import (
	"io"
	"slices"
	"strings"

	"github.com/krs-oke/vaststelling/timeline"
)

// The CSV headers of the timeliness report. The columns added later
// (delivered, checked, appeals_extended) come last, so that the earlier
// keep their places.
var (
	timelinessHeaderEN = []string{"result", "offering", "programme", "component", "state", "month", "exam",
		"assessment_due", "registered", "assessed", "determination_due", "binding", "determined", "early",
		"determination", "complaints", "appeals", "delivered", "checked", "appeals_extended"}
	timelinessHeaderNL = []string{"resultaat", "zitting", "opleiding", "onderdeel", "status", "maand", "afname",
		"beoordeling_uiterlijk", "geregistreerd", "beoordeeld", "vaststelling_uiterlijk", "regel", "vastgesteld",
		"vervroegd", "vaststelling", "klachten", "beroepen", "aangeleverd", "gecontroleerd", "beroepen_verlengd"}
)

// WriteCSV writes the report's results as CSV in the language (the zero
// Language is Dutch): a header row, then a row per result. Dates are
// YYYY-MM-DD; statuses, states and rules are written in words; complaints
// and appeals are listed by their statuses, separated by "; ";
// appeals_extended counts the appeals whose term the board extended.
// WriteMonthsCSV writes the months.
func (r TimelinessReport) WriteCSV(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(r.Results))
	for _, x := range r.Results {
		extended := 0
		for _, a := range x.Appeals {
			if a.Extended {
				extended++
			}
		}
		rows = append(rows, []string{x.ID, x.Offering, x.Programme, x.Component, l.w(lookup(stateWords, x.State)),
			x.Month, dateText(x.Exam), dateText(x.AssessmentDue), dateText(x.Registered), statusText(l, x.Assessed),
			dateText(x.DeterminationDue), l.w(lookup(ruleWords, x.Binding)), dateText(x.Determined), l.yesNo(x.Early),
			statusText(l, x.Determination), statuses(l, x.Complaints), statuses(l, x.Appeals), dateText(x.Delivered),
			statusText(l, x.Checked), itoa(extended)})
	}
	return writeCSV(w, header(l, timelinessHeaderNL, timelinessHeaderEN), rows)
}

func statusText(l *lang, s Status) string { return l.w(lookup(statusWords, string(s))) }

// statuses lists the statuses of complaints or appeals: "op tijd; te laat".
func statuses(l *lang, hs []Handling) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = statusText(l, h.Status)
	}
	return strings.Join(out, "; ")
}

// WriteMonthsCSV writes the months as CSV in the language (the zero
// Language is Dutch): a header row, a row per month, and the total, each
// measure in the columns of its Tally, percentages with the language's
// decimal sign. The columns added later (checked, then appeals_extended)
// come last, so that the earlier keep their places.
func (r TimelinessReport) WriteMonthsCSV(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	head := []string{l.s("maand", "month"), l.s("resultaten", "results")}
	measures := header(l, []string{"beoordeeld", "vastgesteld", "klachten", "beroepen", "gecontroleerd"},
		[]string{"assessed", "determined", "complaints", "appeals", "checked"})
	fields := header(l, []string{"op_tijd", "te_laat", "voor_de_datum", "lopend", "over_tijd", "vervroegd", "gemeten",
		"procent"}, []string{"on_time", "late", "before_due", "pending", "overdue", "early", "measured", "percent"})
	for _, m := range measures {
		for _, f := range fields {
			head = append(head, m+"_"+f)
		}
	}
	head = append(head, l.s("beroepen_verlengd", "appeals_extended"))
	rows := make([][]string, 0, len(r.Months)+1)
	for _, m := range append(slices.Clone(r.Months), r.Total) {
		row := []string{monthKey(l, m.Month), itoa(m.Results)}
		for _, t := range []Tally{m.Assessed, m.Determined, m.Complaints, m.Appeals, m.Checked} {
			row = append(row, itoa(t.OnTime), itoa(t.Late), itoa(t.BeforeDue), itoa(t.Pending), itoa(t.Overdue),
				itoa(t.Early), itoa(t.Measured), l.decimal(t.Percent))
		}
		rows = append(rows, append(row, itoa(m.AppealsExtended)))
	}
	return writeCSV(w, head, rows)
}

// monthKey writes a month's key for a CSV: "2027-01", or the total.
func monthKey(l *lang, key string) string {
	if key == totalKey {
		return l.s("totaal", "total")
	}
	return key
}

// totalKey is the key of the row of the total.
const totalKey = "total"

// WriteMarkdown writes the report as a Markdown page in the language (the
// zero Language is Dutch): the months, then the results.
func (r TimelinessReport) WriteMarkdown(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	return r.document(l).writeMarkdown(w)
}

// WriteHTML writes the report as one self-contained HTML page in the
// language (the zero Language is Dutch), printable on A4: the same as
// WriteMarkdown, with the chart of the months (TimelinessChart) inline
// and every number and date marked up with its value in the JSON.
func (r TimelinessReport) WriteHTML(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	return r.document(l).writeHTML(w)
}

// document writes the report for people.
func (r TimelinessReport) document(l *lang) *document {
	d := &document{lang: l, title: l.s("Tijdigheid", "Timeliness")}
	d.para(txt(l.s("Gemeten op ", "Measured at ")).moment(l, r.At).t(l.s(
		": hoe de termijnen van het beleid zijn gehaald, per maand van de afnamedatum. Alle datums en tijden in ",
		": how the terms of the policy were kept, per month of the exam date. All dates and times in ")).
		t(r.TimeZone + "."))
	d.list([]inline{
		txt(l.s("Beoordeeld binnen de termijn: aangeleverd binnen de beoordelingstermijn; het deel van de examinator.",
			"Assessed in time: delivered within the assessment term; the assessor's part.")),
		txt(l.s("Geregistreerd binnen de termijn: een op tijd aangeleverd resultaat ook binnen die termijn "+
			"geregistreerd na de importcontrole; het deel van de examenadministratie. Een te laat aangeleverd resultaat "+
			"is het te laat van de examinator en telt hier niet mee.",
			"Registered in time: a result delivered in time also registered within that term after the import check; "+
				"the exam administration's part. A result delivered late is the assessor's lateness and is not "+
				"measured here.")),
		txt(l.s("Op tijd vastgesteld: vastgesteld op de vaststellingsdatum, of vervroegd bij besluit.",
			"Determined on time: determined on the determination date, or early by decision.")),
		txt(l.s("Klachten en beroepen: beslist binnen hun termijn; een beroep binnen de beslistermijn van de "+
			"commissie van beroep, verlengd als die de termijn verlengde.",
			"Complaints and appeals: decided within their terms; an appeal within the appeals board's term, extended "+
				"when the board extended it.")),
		txt(l.s("Lopend: de maatstaf is nog niet bereikt; nooit te laat. Over tijd: lopend, en de datum is verstreken. "+
			"Percentages zijn van de gemeten resultaten (op tijd, te laat en vóór de datum); lopende tellen daarin "+
			"niet mee, en staan ernaast.",
			"Pending: the measure has not been reached yet; never late. Overdue: pending, and the date has passed. "+
				"Percentages are of the results measured (on time, late and before their date); pending ones do not "+
				"count in them, and are given beside them.")),
	})

	d.heading(2, txt(l.s("Per maand", "Per month")))
	months := &table{head: []string{l.s("Maand", "Month"), l.s("Resultaten", "Results"),
		l.s("Beoordeeld binnen de termijn", "Assessed in time"),
		l.s("Geregistreerd binnen de termijn", "Registered in time"),
		l.s("Op tijd vastgesteld", "Determined on time"), l.s("Klachten op tijd beslist", "Complaints decided in time"),
		l.s("Beroepen op tijd beslist", "Appeals decided in time")}, align: "lrrrrrr", wide: true}
	for _, m := range append(slices.Clone(r.Months), r.Total) {
		name := l.month(m.Month, false)
		if m.Month == totalKey {
			name = l.s("totaal", "total")
		}
		appeals := tallyText(l, m.Appeals)
		if m.AppealsExtended > 0 {
			appeals = appeals.t(", ").n(m.AppealsExtended).t(l.s(" verlengd", " extended"))
		}
		months.row(txt(name), inline{}.n(m.Results), tallyText(l, m.Assessed), tallyText(l, m.Checked),
			tallyText(l, m.Determined), tallyText(l, m.Complaints), appeals)
	}
	d.table(months)
	d.figure(TimelinessChart(r, l.tag), txt(l.s("Per maand van de afnamedatum en per maatstaf: de resultaten "+
		"die de maatstaf telt (n), naar uitkomst, met de lopende en die over tijd apart.", "Per month of the exam date "+
		"and per measure: the results the measure counts (n), by outcome, with those pending and overdue apart.")))

	d.heading(2, txt(l.s("Per resultaat", "Per result")))
	res := &table{head: []string{l.s("Resultaat", "Result"), l.s("Zitting", "Session"), l.s("Onderdeel", "Component"),
		l.s("Afname", "Exam"), l.s("Beoordeeld", "Assessed"), l.s("Geregistreerd", "Registered"),
		l.s("Vastgesteld", "Determined"), l.s("Klachten", "Complaints"), l.s("Beroepen", "Appeals")},
		align: "lllllllll", wide: true}
	for _, x := range r.Results {
		assessed := txt(statusText(l, x.Assessed))
		if !x.Delivered.IsZero() {
			assessed = assessed.t(l.s("; aangeleverd ", "; delivered ")).date(l, x.Delivered)
		}
		assessed = assessed.t(l.s("; uiterlijk ", "; due ")).date(l, x.AssessmentDue)
		checked := txt(statusText(l, x.Checked))
		if !x.Registered.IsZero() {
			checked = checked.t(l.s("; geregistreerd ", "; registered ")).date(l, x.Registered)
		}
		determined := txt(statusText(l, x.Determination))
		if x.Early {
			determined = determined.t(l.s(" (vervroegd)", " (early)"))
		}
		if !x.Determined.IsZero() {
			determined = determined.t(l.s("; vastgesteld ", "; determined ")).date(l, x.Determined)
		}
		if !x.DeterminationDue.IsZero() {
			determined = determined.t(l.s("; vaststellingsdatum ", "; due ")).date(l, x.DeterminationDue)
			if x.Binding != "" {
				determined = determined.t(" (" + l.w(lookup(ruleWords, x.Binding)) + ")")
			}
		}
		res.row(inline{}.id(x.ID), inline{}.id(x.Offering), inline{}.id(x.Component), inline{}.date(l, x.Exam),
			assessed, checked, determined, handlingsText(l, x.Complaints), handlingsText(l, x.Appeals))
	}
	d.table(res)
	if len(r.Erased) > 0 {
		d.para(txt(l.s("Weggelaten omdat hun records zijn gewist (AVG): ", "Left out because their records were "+
			"erased (AVG): ")).id(strings.Join(r.Erased, ", ")).t("."))
	}
	return d
}

// tallyText writes a tally for people: "4 van 5 (80,0%), 1 vervroegd, 2
// lopend (1 over tijd)".
func tallyText(l *lang, t Tally) inline {
	var parts []inline
	if t.Measured > 0 {
		parts = append(parts, inline{}.n(t.OnTime).t(l.s(" van ", " of ")).n(t.Measured).t(" (").pct(l, t.Percent).t(")"))
	}
	if t.Early > 0 {
		parts = append(parts, inline{}.n(t.Early).t(l.s(" vervroegd", " early")))
	}
	if t.BeforeDue > 0 {
		parts = append(parts, inline{}.n(t.BeforeDue).t(" "+statusText(l, BeforeDue)))
	}
	if t.Pending > 0 {
		p := inline{}.n(t.Pending).t(" " + statusText(l, Pending))
		if t.Overdue > 0 {
			p = p.t(" (").n(t.Overdue).t(" " + statusText(l, Overdue) + ")")
		}
		parts = append(parts, p)
	}
	return join(parts, ", ")
}

// handlingsText writes complaints or appeals: "ingediend ma 8 mrt 2027,
// beslist …, uiterlijk … (verlengd): op tijd".
func handlingsText(l *lang, hs []Handling) inline {
	out := make([]inline, len(hs))
	for i, h := range hs {
		x := txt(l.s("ingediend ", "lodged ")).date(l, h.Lodged)
		if !h.Decided.IsZero() {
			x = x.t(l.s(", beslist ", ", decided ")).date(l, h.Decided)
		}
		x = x.t(l.s(", uiterlijk ", ", due ")).date(l, h.Due)
		if h.Extended {
			x = x.t(l.s(" (verlengd)", " (extended)"))
		}
		out[i] = x.t(": " + statusText(l, h.Status))
	}
	return join(out, "; ")
}
