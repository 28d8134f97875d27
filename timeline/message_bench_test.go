package timeline

import (
	"testing"

	"github.com/krs-oke/vaststelling/calendar"
)

// BenchmarkMessage writes the Dutch message of each kind from its pieces,
// checks included, and, for reference in the same run, the result-less
// provisional message of StudentMessage; each kind reports its cost
// against it as "x-student".
func BenchmarkMessage(b *testing.B) {
	type bench struct {
		kind MessageKind
		f    Facts
		sub  Subject
	}
	a := Facts{Result: "r-a", Exam: date(b, "2027-01-18").In(ams), Registered: date(b, "2027-02-05").In(ams)}
	final := a
	final.Determined = date(b, "2027-03-01").In(ams)
	early := a
	early.Determined, early.Early = date(b, "2027-02-10").In(ams), true
	complaint := a
	complaint.ComplaintLodged, complaint.ComplaintDecided = date(b, "2027-02-10").In(ams), date(b, "2027-02-17").In(ams)
	appeal := final
	appeal.AppealLodged, appeal.AppealDecided = date(b, "2027-03-08").In(ams), date(b, "2027-04-06").In(ams)
	words := Words{"7,5", "7.5"}
	reason := "De beoordeling van opdracht 3 is opnieuw bekeken."
	benches := []bench{
		{MessageProvisional, a, Subject{Kind: MessageProvisional, Result: words}},
		{MessageFinal, final, Subject{Kind: MessageFinal, Result: words}},
		{MessageDeterminedEarly, early, Subject{Kind: MessageDeterminedEarly, Result: words, Reason: reason}},
		{MessageComplaintDecided, complaint, Subject{Kind: MessageComplaintDecided, Result: words, Outcome: "not_upheld", Reason: reason}},
		{MessageAppealDecided, appeal, Subject{Kind: MessageAppealDecided, Result: words, Outcome: "inadmissible"}},
		{MessageAnnulled, appeal, Subject{Kind: MessageAnnulled, Result: words, Reason: reason}},
		{MessageCorrected, final, Subject{Kind: MessageCorrected, Result: words, Previous: Words{"6,5", "6.5"}, Reason: reason}},
	}
	tl, err := New(calendar.Default(), DefaultPolicies(), a)
	if err != nil {
		b.Fatal(err)
	}
	var studentNs float64
	b.Run("StudentMessage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tl.StudentMessage(Dutch, settings); err != nil {
				b.Fatal(err)
			}
		}
		studentNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	for _, bc := range benches {
		tl, err := New(calendar.Default(), DefaultPolicies(), bc.f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(bc.kind), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tl.Message(bc.sub, Dutch, settings); err != nil {
					b.Fatal(err)
				}
			}
			if studentNs > 0 {
				b.ReportMetric((float64(b.Elapsed().Nanoseconds())/float64(b.N))/studentNs, "x-student")
			}
		})
	}
}
