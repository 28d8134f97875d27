package report

import (
	"io"
	"strings"

	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// The CSV header of a session report. The columns added later (from
// supersedes on) come last, so that the earlier keep their places.
var (
	accountabilityHeaderEN = []string{"offering", "result", "student", "component", "programme", "attempt",
		"assessor", "exam", "grade", "state", "erased", "received", "redelivered", "registered", "registered_by",
		"rejected", "exceptions", "open_exceptions", "irregularities", "complaints", "appeals", "determined",
		"determined_by", "determined_role", "mandate", "early", "decision", "pending", "ended", "supersedes",
		"new_decision", "inspections", "appeals_extended", "superseded_by", "awaiting_successor"}
	accountabilityHeaderNL = []string{"zitting", "resultaat", "student", "onderdeel", "opleiding", "poging",
		"examinator", "afname", "cijfer", "status", "gewist", "ontvangen", "opnieuw_aangeleverd", "geregistreerd",
		"geregistreerd_door", "afgewezen", "uitzonderingen", "open_uitzonderingen", "onregelmatigheden", "klachten",
		"beroepen", "vastgesteld", "vastgesteld_door", "rol_vaststeller", "mandaat", "vervroegd", "besluit",
		"nog_niet_vastgesteld", "beeindigd", "vervangt", "nieuwe_beslissing", "inzage", "beroepen_verlengd",
		"vervangen_door", "wacht_op_nieuwe_beslissing"}
)

// WriteCSV writes the report as CSV in the language (the zero Language is
// Dutch): a header row, then a row per result. Times are RFC 3339 in the
// report's zone; codes are written in words; exceptions are listed as
// "te late beoordeling #1 goedgekeurd", complaints and appeals by their
// outcomes ("open" while undecided), inspections as granted or open, each
// list separated by "; "; appeals_extended counts the appeals whose term
// the board extended. A successor names the result it replaces
// (supersedes) and the committee's decision it was entered on
// (new_decision); a replaced result names its successor (superseded_by).
func (r AccountabilityReport) WriteCSV(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(r.Results))
	for _, item := range r.Results {
		received, redelivered := "", 0
		for _, d := range item.Deliveries {
			if d.Type == string(result.EventReceived) && received == "" {
				received = csvTime(d.At)
			}
			if d.Type == string(result.EventRedelivered) {
				redelivered++
			}
		}
		var exceptions []string
		open := 0
		for _, x := range item.Exceptions {
			exceptions = append(exceptions, exceptionText(l, x))
			if x.Open() {
				open++
			}
		}
		inspections := make([]string, len(item.Inspections))
		for i, n := range item.Inspections {
			inspections[i] = l.s("verleend", "granted")
			if n.Open() {
				inspections[i] = l.w(wordsOpen)
			}
		}
		extended := 0
		for _, a := range item.Appeals {
			if !a.Extended.IsZero() {
				extended++
			}
		}
		d := item.Determination
		role := ""
		if d.Determined {
			role = l.w(lookup(roleWords, d.By.Role))
		}
		rows = append(rows, []string{r.Offering, item.ID, item.Student, item.Component, item.Programme,
			itoa(item.Attempt), item.Assessor, csvTime(item.Exam), l.grade(item.Grade), l.w(lookup(stateWords, item.State)),
			l.yesNo(item.Erased), received, itoa(redelivered), csvTime(item.Check.At), item.Check.By.ID,
			l.yesNo(item.Check.Rejected), strings.Join(exceptions, "; "), itoa(open), itoa(item.Irregularities),
			outcomes(l, item.Complaints), outcomes(l, item.Appeals), csvTime(d.At), d.By.ID, role, d.Mandate,
			l.yesNo(d.Early), d.Decision, pendingText(l, &item), endedText(l, &item), item.Supersedes, item.Decision,
			strings.Join(inspections, "; "), itoa(extended), item.SupersededBy, l.yesNo(item.AwaitingSuccessor)})
	}
	return writeCSV(w, header(l, accountabilityHeaderNL, accountabilityHeaderEN), rows)
}

// exceptionText writes an exception as "te late beoordeling #1 goedgekeurd".
func exceptionText(l *lang, x ExceptionLine) string {
	outcome := l.w(wordsOpen)
	if x.Outcome != "" {
		outcome = l.w(lookup(outcomeWords, x.Outcome))
	}
	return l.w(kindOf(x.Kind)) + " #" + itoa(x.ID) + " " + outcome
}

// outcomes lists the outcomes of complaints or appeals, "open" while undecided.
func outcomes(l *lang, ds []Decision) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = l.w(decisionOutcome(d))
	}
	return strings.Join(out, "; ")
}

// pendingText says why a result is not determined yet, naming the open
// exceptions.
func pendingText(l *lang, item *SessionResult) string {
	parts := make([]string, len(item.Determination.Pending))
	for i, p := range item.Determination.Pending {
		parts[i] = l.w(pendingOf(p))
		if p != PendingExceptions {
			continue
		}
		var open []string
		for _, x := range item.Exceptions {
			if x.Open() {
				open = append(open, l.w(kindOf(x.Kind))+" #"+itoa(x.ID))
			}
		}
		parts[i] += ": " + strings.Join(open, ", ")
	}
	return strings.Join(parts, "; ")
}

// endedText says how a result ended: "ongeldig verklaard (besluit
// EC-2027-020): fraud"; "" while it is under way.
func endedText(l *lang, item *SessionResult) string {
	if item.Ended == "" {
		return ""
	}
	return l.w(lookup(stateWords, item.Ended)) + endDetails(l, item)
}

// endDetails writes the decision and reason a result ended on: "
// (besluit EC-2027-020): fraud".
func endDetails(l *lang, item *SessionResult) string {
	s := ""
	if item.EndDecision != "" {
		s += " (" + l.s("besluit ", "decision ") + item.EndDecision + ")"
	}
	if item.EndReason != "" {
		s += ": " + item.EndReason
	}
	return s
}

// WriteMarkdown writes the report as a Markdown page in the language (the
// zero Language is Dutch): the totals, the rejected deliveries, a table of
// the results, and each result with everything that happened to it in
// order.
func (r AccountabilityReport) WriteMarkdown(w io.Writer, lang timeline.Language) error {
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
func (r AccountabilityReport) WriteHTML(w io.Writer, lang timeline.Language) error {
	l, err := newLang(lang)
	if err != nil {
		return err
	}
	return r.document(l).writeHTML(w)
}

// document writes the report for people.
func (r AccountabilityReport) document(l *lang) *document {
	d := &document{lang: l, title: l.s("Zittingsverslag ", "Session report ") + r.Offering}
	session := txt(l.s("de zitting ", "the exam session ")).id(r.Offering)
	if r.Offering == "" {
		d.title = l.s("Zittingsverslag: resultaten zonder zitting", "Session report: results without a session")
		session = txt(l.s("de resultaten zonder zitting (zoals handmatig ingevoerde)",
			"the results without a session (such as those entered by hand)"))
	}
	d.para(txt(l.s("Verantwoordingsrapportage van ", "Accountability report of ")).with(session).t(l.s(
		", gelezen uit de audittrail: per resultaat alles wat er gebeurde, in volgorde van tijd: wat er werd "+
			"aangeleverd, de importcontrole, elke uitzondering, inzage, klacht en elk beroep, en wie het resultaat "+
			"onder welk mandaat heeft vastgesteld. Daarnaast de OKE-aanleveringen die de intake afwees. Alle tijden in ",
		", read from the audit trail: for each result everything that happened to it, in the order of time: what "+
			"arrived, the import check, every exception, inspection, complaint and appeal, and who determined the "+
			"result under which mandate. Besides, the OKE deliveries the intake rejected. All times in ")).
		t(r.TimeZone + "."))

	t := r.Totals
	d.heading(2, txt(l.s("Totalen", "Totals")))
	tot := &table{head: []string{l.s("Omschrijving", "Description"), l.s("Aantal", "Count")}, align: "lr"}
	line := func(nl, en string, n int) { tot.row(txt(l.s(nl, en)), inline{}.n(n)) }
	line("Resultaten", "Results", t.Results)
	line("Geaccepteerd: voorlopig geregistreerd na de importcontrole",
		"Accepted: registered as provisional after the import check", t.Accepted)
	line("Afgewezen bij de importcontrole", "Rejected at the import check", t.Rejected)
	line("Afgewezen OKE-aanleveringen", "Rejected OKE deliveries", t.RejectedDeliveries)
	line("Nieuwe beslissingen na vernietiging of correctie", "New decisions after annulment or correction",
		t.Successors)
	line("Vernietigd in beroep", "Annulled on appeal", t.Annulled)
	line("Vervangen na correctie", "Superseded by a correction", t.Superseded)
	line("– waarvan nog zonder nieuwe beslissing", "– of which still without a new decision", t.AwaitingSuccessor)
	line("Uitzonderingen", "Exceptions", t.Exceptions)
	for _, k := range t.ExceptionsByKind {
		tot.row(txt("– "+l.w(kindOf(k.Kind))), inline{}.n(k.Count))
	}
	line("Open uitzonderingen", "Open exceptions", t.OpenExceptions)
	line("Onregelmatigheden", "Irregularities", t.Irregularities)
	line("Inzageverzoeken", "Inspections requested", t.Inspections)
	line("– verleend", "– granted", t.InspectionsGranted)
	line("Klachten", "Complaints", t.Complaints)
	line("Beroepen", "Appeals", t.Appeals)
	line("– waarvan de beslistermijn is verlengd", "– of which the decision term was extended", t.AppealsExtended)
	line("Vastgesteld", "Determined", t.Determined)
	line("– waarvan vervroegd", "– of which early", t.Early)
	line("Niet vastgesteld", "Not determined", t.NotDetermined)
	d.table(tot)
	if len(t.DeterminedBy) > 0 {
		d.heading(3, txt(l.s("Vastgesteld door, onder mandaat", "Determined by, under mandate")))
		by := &table{head: []string{l.s("Mandaat", "Mandate"), l.s("Door", "By"), l.s("Resultaten", "Results")},
			align: "llr"}
		for _, m := range t.DeterminedBy {
			by.row(mandateText(l, m.Mandate), txt(l.who(m.By)), inline{}.n(m.Count))
		}
		d.table(by)
	}
	if len(r.Unplaced) > 0 {
		d.para(txt(l.s("Resultaten waarvan het aangeleverde record is gewist (AVG), zodat hun zitting niet te lezen "+
			"is: ", "Results whose delivered record was erased (AVG), so that their session cannot be read: ")).
			id(strings.Join(r.Unplaced, ", ")).t("."))
	}

	d.heading(2, txt(l.s("Afgewezen aanleveringen (OKE)", "Rejected deliveries (OKE)")))
	d.para(txt(l.s("De OKE-aanleveringen voor resultaten van deze zitting die de intake heeft afgewezen, uit het "+
		"aanleverlog in de audittrail. Een afgewezen aanlevering verandert geen resultaat.",
		"The OKE deliveries for results of this session that the intake rejected, from the delivery log in the "+
			"audit trail. A rejected delivery changes no result.")))
	if len(r.RejectedDeliveries) == 0 {
		d.para(txt(l.s("Geen.", "None.")))
	} else {
		d.table(rejectedTable(l, r.RejectedDeliveries))
	}
	if len(r.Untraceable) > 0 {
		d.para(txt(l.s("Niet tot een zitting te herleiden, omdat hun associatie bij geen resultaat in de audittrail "+
			"hoort (in elk zittingsverslag vermeld): ", "Not traceable to a session, because their association names "+
			"no result in the audit trail (listed in every session report): ")).
			count(l, len(r.Untraceable), "rejected_delivery").t("."))
		d.table(rejectedTable(l, r.Untraceable))
	}

	d.heading(2, txt(l.s("Resultaten", "Results")))
	res := &table{head: []string{l.s("Resultaat", "Result"), "Student", l.s("Onderdeel", "Component"),
		l.s("Examinator", "Assessor"), l.s("Cijfer", "Grade"), l.s("Status", "State"), l.s("Geregistreerd", "Registered"),
		l.s("Uitzonderingen", "Exceptions"), l.s("Vastgesteld", "Determined")}, align: "lllllllll", wide: true}
	for _, item := range r.Results {
		dt := item.Determination
		determined := txt(l.s("nog niet", "not yet"))
		if dt.Determined {
			determined = inline{}.moment(l, dt.At)
			if dt.Early {
				determined = determined.t(l.s(" (vervroegd)", " (early)"))
			}
			determined = determined.t(l.s(" door ", " by ")).id(dt.By.ID)
			if dt.Mandate != "" {
				determined = determined.t(l.s(" onder mandaat ", " under mandate ")).id(dt.Mandate)
			} else {
				determined = determined.t(l.s(" op eigen gezag", " on their own authority"))
			}
		}
		exceptions := make([]string, len(item.Exceptions))
		for i, x := range item.Exceptions {
			exceptions[i] = exceptionText(l, x)
		}
		res.row(inline{}.id(item.ID), inline{}.id(item.Student), inline{}.id(item.Component),
			inline{}.id(item.Assessor), inline{}.grade(l, item.Grade), txt(l.w(lookup(stateWords, item.State))),
			inline{}.moment(l, item.Check.At), txt(strings.Join(exceptions, ", ")), determined)
	}
	d.table(res)
	for i := range r.Results {
		r.Results[i].write(d, l)
	}
	return d
}

// mandateText writes a mandate, or own authority for none.
func mandateText(l *lang, mandate string) inline {
	if mandate == "" {
		return txt(l.s("eigen gezag", "own authority"))
	}
	return inline{}.id(mandate)
}

// rejectedTable lists rejected deliveries.
func rejectedTable(l *lang, ds []RejectedDelivery) *table {
	t := &table{head: []string{l.s("Ontvangen", "Received"), l.s("Associatie", "Association"),
		l.s("Methode", "Method"), l.s("Redenen", "Reasons")}, align: "llll"}
	for _, d := range ds {
		reasons := make([]string, len(d.Reasons))
		for i, x := range d.Reasons {
			s := l.w(lookup(reasonWords, x.Code))
			if x.Field != "" {
				s = x.Field + ": " + s
			}
			if x.Message != "" {
				s += " (" + x.Message + ")"
			}
			reasons[i] = s
		}
		t.row(inline{}.moment(l, d.At), inline{}.id(d.AssociationID), txt(d.Method), txt(strings.Join(reasons, "; ")))
	}
	return t
}

// write writes one result's section: what it is, how it stands, and
// everything that happened to it in order.
func (item *SessionResult) write(d *document, l *lang) {
	d.heading(3, inline{}.id(item.ID))
	facts := []inline{
		txt("Student ").id(item.Student).t(l.s(", onderdeel ", ", component ")).id(item.Component).
			t(l.s(", opleiding ", ", programme ")).id(item.Programme).t(l.s(", poging ", ", attempt ")).n(item.Attempt).
			t(l.s(", examinator ", ", assessor ")).id(item.Assessor),
		txt(l.s("Afname: ", "Exam: ")).moment(l, item.Exam),
	}
	state := txt(l.s("Cijfer ", "Grade ")).grade(l, item.Grade)
	if item.Grade == "" {
		state = txt(l.s("Geen cijfer", "No grade"))
	}
	state = state.t(l.s(", status: ", ", state: ")).t(l.w(lookup(stateWords, item.State)))
	if item.Ended != "" {
		state = state.t(endDetails(l, item))
	}
	facts = append(facts, state)
	if item.SupersededBy != "" {
		s := txt(l.s("Vervangen door ", "Replaced by ")).id(item.SupersededBy)
		if item.AwaitingSuccessor {
			s = s.t(l.s(" (nog niet ingevoerd)", " (not entered yet)"))
		}
		facts = append(facts, s)
	} else if item.AwaitingSuccessor {
		facts = append(facts, txt(l.s("Nog geen nieuwe beslissing ingevoerd", "No new decision entered yet")))
	}
	if item.Supersedes != "" {
		s := txt(l.s("Nieuwe beslissing na vernietiging of correctie: vervangt ",
			"New decision after annulment or correction: replaces ")).id(item.Supersedes)
		if item.Decision != "" {
			s = s.t(l.s(", op besluit ", ", on the exam committee's decision ")).id(item.Decision).
				t(l.s(" van de examencommissie", ""))
		}
		facts = append(facts, s)
	}
	if item.Erased {
		facts = append(facts, txt(l.s("Records van dit resultaat zijn gewist (AVG): wat ze bevatten naast hun kop "+
			"wordt niet getoond.", "Records of this result were erased (AVG): what they held beyond their headers "+
			"is not shown.")))
	}
	switch dt := item.Determination; {
	case dt.Determined:
		s := txt(l.s("Vastgesteld: ", "Determined: "))
		if dt.Early {
			s = s.t(l.s("vervroegd, ", "early, "))
		}
		s = s.moment(l, dt.At).t(l.s(" door ", " by ")).t(l.who(dt.By))
		if dt.Mandate != "" {
			s = s.t(l.s(", onder mandaat ", ", under mandate ")).id(dt.Mandate)
		} else {
			s = s.t(l.s(", op eigen gezag", ", on their own authority"))
		}
		if dt.Decision != "" {
			s = s.t(l.s(", besluit ", ", decision ")).id(dt.Decision)
		}
		facts = append(facts, s)
	default:
		facts = append(facts, txt(l.s("Niet vastgesteld: ", "Not determined: ")+pendingText(l, item)))
	}
	if len(item.Exceptions) == 0 {
		facts = append(facts, txt(l.s("Uitzonderingen: geen", "Exceptions: none")))
	}
	d.list(facts)

	d.para(txt(l.s("Verloop:", "What happened:")))
	steps := make([]inline, len(item.Steps))
	for i, s := range item.Steps {
		x := inline{}.moment(l, s.At).t(": " + l.w(lookup(eventWords, s.Event)))
		if !s.By.IsZero() {
			x = x.t(l.s(" door ", " by ") + l.who(s.By))
		}
		if s.Mandate != "" {
			x = x.t(l.s(", onder mandaat ", ", under mandate ")).id(s.Mandate)
		}
		if det := l.w(s.Details); det != "" {
			x = x.t(": " + det)
		}
		steps[i] = x
	}
	d.list(steps)

	if len(item.Exceptions) == 0 {
		return
	}
	d.para(txt(l.s("Uitzonderingen:", "Exceptions:")))
	xs := &table{head: []string{"#", l.s("Soort", "Kind"), l.s("Toelichting", "Detail"), l.s("Gemeld", "Raised"),
		l.s("Afgehandeld", "Closed")}, align: "rllll"}
	for _, x := range item.Exceptions {
		raised := inline{}.moment(l, x.Raised)
		if !x.RaisedBy.IsZero() {
			raised = raised.t(l.s(" door ", " by ") + l.who(x.RaisedBy))
		}
		closed := txt(l.w(wordsOpen))
		if x.Outcome != "" {
			closed = txt(l.w(lookup(outcomeWords, x.Outcome))+" ").moment(l, x.Closed)
			if !x.ClosedBy.IsZero() {
				closed = closed.t(l.s(" door ", " by ") + l.who(x.ClosedBy))
			}
			if x.Mandate != "" {
				closed = closed.t(l.s(", onder mandaat ", ", under mandate ")).id(x.Mandate)
			}
			if x.Reason != "" {
				closed = closed.t(": " + x.Reason)
			}
		}
		xs.row(inline{}.n(x.ID), txt(l.w(kindOf(x.Kind))), txt(x.Detail), raised, closed)
	}
	d.table(xs)
}
