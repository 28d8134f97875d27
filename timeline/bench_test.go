package timeline

import (
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/nl"
)

// benchFacts are a year of results: on-time, late and early registrations,
// some determined, some with a complaint or an appeal.
func benchFacts() []Facts {
	facts := make([]Facts, 0, 1024)
	start := calendar.Date{Year: 2026, Month: time.September, Day: 1}
	for i := range cap(facts) {
		exam := start.AddDays(i % 300).In(ams).Add(10 * time.Hour)
		f := Facts{Result: "r", Exam: exam, Registered: exam.AddDate(0, 0, 3+i%30)}
		switch i % 5 {
		case 1:
			f.Determined = exam.AddDate(0, 0, 50)
		case 2:
			f.ComplaintLodged = f.Registered.AddDate(0, 0, 4)
			f.Delivered = f.Registered.AddDate(0, 0, -1)
		case 3:
			f.Determined = exam.AddDate(0, 0, 45)
			f.AppealLodged = f.Determined.AddDate(0, 0, 5)
		case 4:
			f.Registered = time.Time{}
			if i%10 == 9 { // an invalidation, appealed and decided
				f.Invalidated = exam.AddDate(0, 0, 2)
				f.AppealLodged = f.Invalidated.AddDate(0, 0, 5)
				f.AppealDecided = f.AppealLodged.AddDate(0, 0, 30)
			}
		}
		facts = append(facts, f)
	}
	return facts
}

// BenchmarkTimeline measures one result's timeline, conflicts included.
// The reference sub-benchmark computes only its four working-day dates with
// rickar/cal's WorkdaysFrom; ours/ reports its speed-up as "x-rickar".
func BenchmarkTimeline(b *testing.B) {
	facts := benchFacts()
	c, set := calendar.Default(), DefaultPolicies()

	ref := cal.NewBusinessCalendar()
	ref.Cacheable = true
	ref.AddHoliday(nl.Holidays...)
	var refNs float64
	b.Run("rickar-dates", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			f := &facts[i%len(facts)]
			ref.WorkdaysFrom(f.Exam, 15)
			ref.WorkdaysFrom(f.Exam, 30)
			if !f.Registered.IsZero() {
				ref.WorkdaysFrom(f.Registered, 10)
				ref.WorkdaysFrom(f.Registered, 15)
			}
		}
		refNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := New(c, set, facts[i%len(facts)]); err != nil {
				b.Fatal(err)
			}
		}
		if refNs > 0 {
			b.ReportMetric(refNs/(float64(b.Elapsed().Nanoseconds())/float64(b.N)), "x-rickar")
		}
	})
}

// BenchmarkSignals measures the monitoring pass over one result.
func BenchmarkSignals(b *testing.B) {
	facts := benchFacts()
	c, set := calendar.Default(), DefaultPolicies()
	tls := make([]Timeline, len(facts))
	for i, f := range facts {
		tl, err := New(c, set, f)
		if err != nil {
			b.Fatal(err)
		}
		tls[i] = tl
	}
	now := time.Date(2027, time.March, 1, 9, 0, 0, 0, ams)
	buf := make([]Signal, 0, 8)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = tls[i%len(tls)].Signals(now, buf[:0])
	}
}

// BenchmarkStudentMessage writes the Dutch message from its pieces, and,
// for reference in the same run, the same text through text/template.
func BenchmarkStudentMessage(b *testing.B) {
	d := messageData{Settings: Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
		CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"},
		Lang: Dutch, Early: true, InspectionEnds: date(b, "2027-02-19"), Determination: date(b, "2027-03-01"),
		AppealEnds: date(b, "2027-03-15")}
	// The template writes the same text from the dates written out, as
	// the pieces do, in the loop.
	type templateData struct {
		Settings
		Early                                     bool
		InspectionEnds, Determination, AppealEnds string
	}
	written := func(d *messageData) templateData {
		return templateData{d.Settings, d.Early, longDate(Dutch, d.InspectionEnds), longDate(Dutch, d.Determination),
			longDate(Dutch, d.AppealEnds)}
	}
	td := written(&d)
	tmpl := template.Must(template.New("nl").Parse(`Beste student,

Er is een nieuw resultaat toegevoegd in {{.KRS}}.

Het resultaat is voorlopig tot {{.Determination}}
{{- if .Early}}, tenzij de examencommissie eerder een besluit neemt vanwege het uitreiken van een diploma of mbo-certificaat. In dat geval wordt het resultaat eerder vastgesteld{{end}}.

Ben je het niet eens met het voorlopige resultaat? Neem dan uiterlijk {{.InspectionEnds}} contact op met de examencommissie via {{.CommitteeAddress}}.

Na deze termijn wordt het resultaat op {{.Determination}} definitief. Vanaf dat moment kun je tot en met {{.AppealEnds}} in beroep gaan bij de Commissie van Beroep voor de Examens via {{.AppealsBoardAddress}}.

Met vriendelijke groet,
{{.Institution}}
`))
	want := messages[Dutch].string(&d)
	var got strings.Builder
	if err := tmpl.Execute(&got, td); err != nil || got.String() != want {
		b.Fatalf("the template writes another text: %v\n%s", err, got.String())
	}
	var tmplTime, dataTime float64
	b.Run("text/template", func(b *testing.B) {
		for b.Loop() {
			var s strings.Builder
			if err := tmpl.Execute(&s, written(&d)); err != nil {
				b.Fatal(err)
			}
		}
		tmplTime = float64(b.Elapsed()) / float64(b.N)
	})
	b.Run("pieces", func(b *testing.B) {
		for b.Loop() {
			_ = messages[Dutch].string(&d)
		}
		dataTime = float64(b.Elapsed()) / float64(b.N)
		if tmplTime > 0 {
			b.ReportMetric(tmplTime/dataTime, "x-faster")
		}
	})
}
