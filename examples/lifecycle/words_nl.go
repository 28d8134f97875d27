package main

// dutch is the story in Dutch, the default: the keys of english
// (words_en.go), each in Dutch.
var dutch = map[string]entry{
	// Het begin.
	"term": with("Een periode van het examenbureau, van %[1]s tot en met %[2]s, met %#[3]d ${messages} van OKE om af te leveren.",
		noun("messages", 3, "bericht", "berichten")),
	"legend": text(`Elke regel begint met de dag. OKE levert resultaten aan op elke dag; op werkdagen handelen
de mensen, en stelt de dagelijkse verwerking de resultaten vast die aan de beurt zijn, onder mandaat
van de examencommissie, en krijgt elke student bericht van elke wijziging van het resultaat. Op
maandag de signalen: wat elke rol te doen heeft dat die dag afloopt of al verlopen is.`),
	"cluster": text("%#[1]d examenbureaus delen het auditspoor, in de tabellen %[2]s_* van één PostgreSQL-database: de berichten gaan\n" +
		"om beurten naar elk, de opdrachten ook, en beide proberen elke dagelijkse verwerking op hetzelfde moment."),

	// Een hervat auditspoor.
	"resumed.dir":     count(1, "Het auditspoor van %#[1]d record in %[2]s hervat.", "Het auditspoor van %#[1]d records in %[2]s hervat."),
	"resumed.tables":  count(1, "Het auditspoor van %#[1]d record in de tabellen %[2]s_* van de database hervat.", "Het auditspoor van %#[1]d records in de tabellen %[2]s_* van de database hervat."),
	"checkpoint.none": text("Er is nog geen checkpoint van (%[1]s): de run die het maakte is niet afgemaakt."),
	"checkpoint.held": count(1, "Het bevat het checkpoint dat de vorige run ondertekende (%#[1]d record, %[2]s).", "Het bevat het checkpoint dat de vorige run ondertekende (%#[1]d records, %[2]s)."),
	"resume.upto":     text("Het auditspoor bevat de periode tot en met de dagelijkse verwerking van %[1]s: die dagen lopen niet opnieuw."),
	"resume.again": count(1, "Het %#[1]d bericht ervan opnieuw gestuurd, zoals OKE doet na een herstart: %[2]s.",
		"Hun %#[1]d berichten opnieuw gestuurd, zoals OKE doet na een herstart: %[2]s."),
	"resume.kept": count(1, "Het auditspoor bewaarde het als aanlevering (%#[1]d record); geen resultaat veranderde.",
		"Het auditspoor bewaarde ze als aanleveringen (%#[1]d records); geen resultaat veranderde."),
	"resume.kept.more": with("Het auditspoor bewaarde ze als aanleveringen (%#[1]d ${records}), met %#[2]d andere ${others}.",
		noun("records", 1, "record", "records"), noun("others", 2, "record", "records")),

	// Wat OKE aanlevert.
	"delivered": count(1, "%#[1]d resultaat aangeleverd", "%#[1]d resultaten aangeleverd"),
	"delivered.exceptions": with("%#[1]d ${results} aangeleverd, waarvan %#[2]d met een uitzondering",
		noun("results", 1, "resultaat", "resultaten")),
	"duplicates": count(1, "%#[1]d bericht stond al in het auditspoor: als dubbel aangenomen",
		"%#[1]d berichten stonden al in het auditspoor: als dubbel aangenomen"),
	"rejected":     text("bericht voor %[1]s afgewezen; OKE krijgt te horen waarom:"),
	"reason":       text("%[1]s (aan OKE: %[2]s)"),
	"reason.field": text("%[1]s: %[2]s (aan OKE: %[3]s)"),
	"exception":    text("uitzondering bij %[1]s: %[2]s: %[3]s"),
	"dayoff": text("een vrije dag (%[1]s): geen dagelijkse verwerking, dus de studenten van de resultaten van vandaag krijgen " +
		"op %[2]s bericht, de eerstvolgende werkdag"),
	"enrolment.canceled": text("de inschrijving %[1]s is in het KRS geannuleerd"),
	"enrolment.finished": text("de inschrijving %[1]s is in het KRS afgerond"),

	// Wat de mensen doen.
	"did":                 text("%[1]s: %[2]s"),
	"did.already":         text("%[1]s: %[2]s (staat al in het auditspoor)"),
	"do.late":             text("te late beoordeling goedgekeurd door de examencommissie"),
	"do.ended":            text("het resultaat van een geannuleerde inschrijving goedgekeurd door de examenadministratie, onder mandaat"),
	"do.complaint":        text("de student dient een klacht in bij de examencommissie"),
	"do.complaint.upheld": text("klacht gegrond, cijfer gecorrigeerd van %[1]s in %[2]s"),
	"do.appeal":           text("de student gaat in beroep bij de Commissie van Beroep voor de Examens (CBE)"),
	"do.appeal.notupheld": text("beroep ongegrond: het resultaat blijft staan"),
	"do.appeal.upheld":    text("beroep gegrond: de CBE vernietigt het resultaat; er volgt een nieuw besluit"),
	"do.successor":        text("het nieuwe besluit van de examencommissie na de vernietiging (%[2]s), met de hand ingevoerd als resultaat dat %[1]s vervangt"),
	"do.registered":       text("geregistreerd als voorlopig"),

	// De dagelijkse verwerking.
	"determined": count(1, "%#[1]d resultaat vastgesteld onder het mandaat van de examencommissie",
		"%#[1]d resultaten vastgesteld onder het mandaat van de examencommissie"),
	"determined.skipped": text("hun termijnen telden deze vrije dagen niet mee: %[1]s"),
	"blocked":            text("niet vastgesteld: %[1]s"),
	"blocked.state":      text("het resultaat is %[1]s, niet voorlopig"),
	"blocked.open":       text("nog open: %[1]s"),

	// De studenten die bericht krijgen.
	"told.provisional":       count(1, "%#[1]d student krijgt bericht van een voorlopig resultaat", "%#[1]d studenten krijgen bericht van een voorlopig resultaat"),
	"told.final":             count(1, "%#[1]d student krijgt bericht dat het resultaat definitief is", "%#[1]d studenten krijgen bericht dat het resultaat definitief is"),
	"told.determined_early":  count(1, "%#[1]d student krijgt bericht dat het resultaat vervroegd is vastgesteld", "%#[1]d studenten krijgen bericht dat het resultaat vervroegd is vastgesteld"),
	"told.complaint_decided": count(1, "%#[1]d student krijgt bericht van het besluit op de klacht", "%#[1]d studenten krijgen bericht van het besluit op de klacht"),
	"told.appeal_decided":    count(1, "%#[1]d student krijgt bericht van het besluit van de CBE", "%#[1]d studenten krijgen bericht van het besluit van de CBE"),
	"told.annulled":          count(1, "%#[1]d student krijgt bericht dat de CBE het resultaat heeft vernietigd", "%#[1]d studenten krijgen bericht dat de CBE het resultaat heeft vernietigd"),
	"told.corrected":         count(1, "%#[1]d student krijgt bericht dat het resultaat is gecorrigeerd", "%#[1]d studenten krijgen bericht dat het resultaat is gecorrigeerd"),
	"told.invalidated":       count(1, "%#[1]d student krijgt bericht dat het resultaat ongeldig is verklaard", "%#[1]d studenten krijgen bericht dat het resultaat ongeldig is verklaard"),
	"told.other":             count(1, "%#[1]d student krijgt bericht van een andere wijziging", "%#[1]d studenten krijgen bericht van een andere wijziging"),
	"told.afterdayoff": count(1, "waarvan %#[1]d aangeleverd op een vrije dag (%[2]s), en pas nu bericht krijgt, op de eerste werkdag daarna",
		"waarvan %#[1]d aangeleverd op vrije dagen (%[2]s), en pas nu bericht krijgen, op de eerste werkdag daarna"),

	"first.provisional":       text("Het eerste bericht aan een student over een voorlopig resultaat (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.final":             text("Het eerste bericht aan een student dat een resultaat definitief is (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.determined_early":  text("Het eerste bericht aan een student dat een resultaat vervroegd is vastgesteld (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.complaint_decided": text("Het eerste bericht aan een student over het besluit op een klacht (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.appeal_decided":    text("Het eerste bericht aan een student over het besluit van de CBE (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.annulled":          text("Het eerste bericht aan een student dat de CBE een resultaat heeft vernietigd (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.corrected":         text("Het eerste bericht aan een student dat een resultaat is gecorrigeerd (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.invalidated":       text("Het eerste bericht aan een student dat een resultaat ongeldig is verklaard (student %[1]s, resultaat %[2]s), zoals de student het leest:"),
	"first.other":             text("Het eerste bericht aan een student over een andere wijziging (student %[1]s, resultaat %[2]s), zoals de student het leest:"),

	// De soorten berichten aan studenten, zoals de tellingen ze noemen.
	"kind.provisional":       text("voorlopig resultaat"),
	"kind.final":             text("definitief"),
	"kind.determined_early":  text("vervroegd vastgesteld"),
	"kind.complaint_decided": text("besluit op een klacht"),
	"kind.appeal_decided":    text("besluit op een beroep"),
	"kind.annulled":          text("vernietigd"),
	"kind.corrected":         text("gecorrigeerd"),
	"kind.invalidated":       text("ongeldig verklaard"),
	"kind.count":             text("%[1]s %#[2]d"),
	"kinds":                  text("%#[1]d: %[2]s"),

	// De signalen.
	"signals":        text("signalen: wat vandaag afloopt of verlopen is, en voor wie:"),
	"signal":         with("%[1]s: %[2]s, %#[3]d ${results} (%[4]s)", noun("results", 3, "resultaat", "resultaten")),
	"signal.today":   count(1, "de termijn loopt vandaag af", "de termijnen lopen vandaag af"),
	"signal.overdue": count(1, "verlopen", "alle verlopen"),
	"signal.some":    text("%#[1]d verlopen, van de andere loopt de termijn vandaag af"),

	// Het einde.
	"checkpoint.signed":  text("Ondertekend checkpoint (verificatiesleutel %[1]s):"),
	"checkpoint.written": text("Ondertekend checkpoint, geschreven naar %[1]s (verificatiesleutel %[2]s, in %[3]s):"),
	"trail":              text("Auditspoor: %[1]s"),
	"checkit":            text("Controleer het: go run ./examples/verify -log %[1]s -checkpoint %[2]s -key %[3]s"),
	"refolded":           count(1, "Opnieuw opgebouwd (audit.Rebuild): hetzelfde %#[1]d resultaat, in de staat die het examenbureau heeft.", "Opnieuw opgebouwd (audit.Rebuild): dezelfde %#[1]d resultaten, elk in de staat die het examenbureau heeft."),
	"offices":            text("Wat elk examenbureau deed:"),
	"office": with("  examenbureau %#[1]d: %#[2]d ${messages}, %#[3]d ${commands}; %[4]s",
		noun("messages", 2, "bericht", "berichten"), noun("commands", 3, "opdracht", "opdrachten")),
	"office.noruns":   text("geen dagelijkse verwerking"),
	"office.runs":     text("dagelijkse verwerkingen geprobeerd %#[1]d, gedraaid %#[2]d, %#[3]d overgelaten aan het andere, dat de dag had"),
	"open":            text("Nog open: %[1]s, %[2]s, vaststellingsdatum %[3]s"),
	"open.exceptions": text("Nog open: %[1]s, %[2]s, vaststellingsdatum %[3]s; wacht op: %[4]s"),

	"numbers":            text("De periode in getallen:"),
	"numbers.deliveries": text("  berichten van OKE %#[1]d, afgewezen %#[2]d; resultaten %#[3]d"),
	"numbers.again":      text("  berichten opnieuw gestuurd %#[1]d, één keer geteld"),
	"numbers.notices":    text("  berichten aan studenten %[1]s"),
	"numbers.determined": text("  vastgesteld onder mandaat %#[1]d"),

	"evaluation":           text("De jaarlijkse evaluatie, gelezen uit het auditspoor (schooljaar %[1]s):"),
	"evaluation.results":   text("  resultaten %#[1]d, vastgesteld %#[2]d (vervroegd %#[3]d), correcties %#[4]d"),
	"evaluation.decisions": text("  klachten %#[1]d (gegrond %#[2]d), beroepen %#[3]d (gegrond %#[4]d), uitzonderingen %#[5]d, onregelmatigheden %#[6]d"),
	"evaluation.component": text("  %-8[1]s resultaten %#3[2]d, vastgesteld %#3[3]d"),
	"reports": count(1, "%#[1]d bestand geschreven naar %[2]s: het dagrapport, en de evaluatie, de tijdigheid en het verslag van elke zitting, als JSON, CSV, Markdown en HTML (zie lifecycle -h).",
		"%#[1]d bestanden geschreven naar %[2]s: de dagrapporten, en de evaluatie, de tijdigheid en het verslag van elke zitting, als JSON, CSV, Markdown en HTML (zie lifecycle -h)."),

	// Wat er van een aanlevering werd (oke.Outcome).
	"outcome.accepted":   text("aangenomen"),
	"outcome.merged":     text("samengevoegd"),
	"outcome.duplicate":  text("dubbel"),
	"outcome.exception":  text("met een uitzondering"),
	"outcome.rejected":   text("afgewezen"),
	"outcomes.accepted":  count(1, "%#[1]d aangenomen", "%#[1]d aangenomen"),
	"outcomes.merged":    count(1, "%#[1]d samengevoegd", "%#[1]d samengevoegd"),
	"outcomes.duplicate": count(1, "%#[1]d dubbel", "%#[1]d dubbel"),
	"outcomes.exception": count(1, "%#[1]d met een uitzondering", "%#[1]d met een uitzondering"),
	"outcomes.rejected":  count(1, "%#[1]d afgewezen", "%#[1]d afgewezen"),
	"none":               text("geen"),

	// Waarom het bericht van OKE is afgewezen (oke.Code).
	"code.malformed_json":      text("geen JSON"),
	"code.too_large":           text("te groot"),
	"code.missing_field":       text("een verplicht veld ontbreekt"),
	"code.unknown_value":       text("een waarde die niet is toegestaan"),
	"code.wrong_type":          text("een waarde van het verkeerde type"),
	"code.invalid_date":        text("geen datum"),
	"code.out_of_range":        text("buiten het toegestane bereik"),
	"code.mismatch":            text("de id's verschillen"),
	"code.invalid_id":          text("geen geldig id"),
	"code.duplicate":           text("twee keer gegeven"),
	"code.unknown_association": text("een inschrijving die het KRS niet kent"),
	"code.unknown_component":   text("een onderdeel dat het KRS niet kent"),
	"code.wrong_student":       text("een andere student dan die van de inschrijving"),
	"code.score_value_type":    text("een score buiten de schaal van het onderdeel"),
	"code.not_accepted":        text("in deze staat van het resultaat niet aangenomen; bewaard voor een medewerker"),
	"code.not_registered":      text("ontvangen, wacht tot een medewerker het registreert"),

	// Wat een dag sluit (calendar.Kind), en de dagen van de week.
	"closed":                text("%[1]s, %[2]s"),
	"closedkind.holiday":    text("een feestdag"),
	"closedkind.decree day": text("een met een feestdag gelijkgestelde dag"),
	"closedkind.closure":    text("een sluiting van de instelling"),
	"closedkind.open day":   text("een openingsdag"),
	"skipped.day":           text("%[1]s (%[2]s)"),
	"skipped.days":          text("%[1]s (%[2]s tot en met %[3]s)"),
	"weekday.Monday":        text("maandag"),
	"weekday.Tuesday":       text("dinsdag"),
	"weekday.Wednesday":     text("woensdag"),
	"weekday.Thursday":      text("donderdag"),
	"weekday.Friday":        text("vrijdag"),
	"weekday.Saturday":      text("zaterdag"),
	"weekday.Sunday":        text("zondag"),
}
