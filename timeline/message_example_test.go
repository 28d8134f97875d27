package timeline_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/timeline"
)

var exampleSettings = timeline.Settings{
	Institution:         "Examencommissie ROC Voorbeeld",
	KRS:                 "Eduarte",
	CommitteeAddress:    "examencommissie@roc-voorbeeld.nl",
	AppealsBoardAddress: "cbe@roc-voorbeeld.nl",
}

// The policy text's example A, determined on its date: the student is told
// that the result is final, what it is, and until when to appeal.
func ExampleTimeline_Message() {
	tl, err := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Result:     "assoc-1207",
		Exam:       on(2027, time.January, 18, 11),
		Registered: on(2027, time.February, 5, 9),
		Determined: on(2027, time.March, 1, 7),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sub := timeline.Subject{Kind: timeline.MessageFinal, Result: timeline.Words{Dutch: "7,5", English: "7.5"}}
	for _, lang := range []timeline.Language{timeline.Dutch, timeline.English} {
		msg, err := tl.Message(sub, lang, exampleSettings)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(msg)
	}
	// Output:
	// Beste student,
	//
	// Je resultaat in Eduarte is op maandag 1 maart 2027 definitief vastgesteld: 7,5.
	//
	// Vanaf dat moment is het resultaat bindend. Ben je het niet eens met het definitieve resultaat? Dan kun je tot en met maandag 15 maart 2027 in beroep gaan bij de Commissie van Beroep voor de Examens via cbe@roc-voorbeeld.nl.
	//
	// Met vriendelijke groet,
	// Examencommissie ROC Voorbeeld
	// Dear student,
	//
	// Your result in Eduarte was determined on Monday 1 March 2027 and is now final: 7.5.
	//
	// From that moment the result is binding. Do you disagree with the final result? You can appeal to the Examination Appeals Board (CBE) at cbe@roc-voorbeeld.nl until and including Monday 15 March 2027.
	//
	// Kind regards,
	// Examencommissie ROC Voorbeeld
}

// An early determination for a diploma, inside the inspection window: the
// appeal term runs from the decision, and the student keeps the rest of
// the window.
func ExampleTimeline_Message_determinedEarly() {
	tl, _ := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Exam:       on(2027, time.January, 18, 11),
		Registered: on(2027, time.February, 5, 9),
		Determined: on(2027, time.February, 10, 15),
		Early:      true,
	})
	msg, err := tl.Message(timeline.Subject{
		Kind:   timeline.MessageDeterminedEarly,
		Result: timeline.Words{Dutch: "niet verschenen (geen cijfer)", English: "absent (no grade)"},
	}, timeline.English, exampleSettings)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, paragraph := range strings.Split(msg, "\n\n")[1:4] {
		fmt.Println(paragraph)
	}
	// Output:
	// The exam committee determined your result in Eduarte early, on Wednesday 10 February 2027, so that a diploma or MBO certificate can be issued: absent (no grade).
	// The result is now final and binding, and the appeal term runs from that day. Do you disagree with the final result? You can appeal to the Examination Appeals Board (CBE) at cbe@roc-voorbeeld.nl until and including Wednesday 24 February 2027.
	// The period for inspection and complaint was still open when the result was determined. You keep that right: if you want to inspect your exam or disagree with the assessment, you can still contact the exam committee at examencommissie@roc-voorbeeld.nl until and including Friday 19 February 2027.
}

// A message that does not say what the result is is refused.
func ExampleTimeline_Message_noResult() {
	tl, _ := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Result:     "assoc-1207",
		Exam:       on(2027, time.January, 18, 11),
		Registered: on(2027, time.February, 5, 9),
	})
	_, err := tl.Message(timeline.Subject{Kind: timeline.MessageProvisional}, timeline.Dutch, exampleSettings)
	fmt.Println(err)
	// Output:
	// timeline: result assoc-1207: cannot write the student message: provisional message: the result is not given in Dutch (Subject.Result.Dutch): the message must say what the result is
}

func ExampleTimeline_Email() {
	tl, _ := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Result:           "assoc-1207",
		Exam:             on(2027, time.January, 18, 11),
		Registered:       on(2027, time.February, 5, 9),
		ComplaintLodged:  on(2027, time.February, 10, 14),
		ComplaintDecided: on(2027, time.February, 17, 16),
	})
	msg, err := tl.Email(timeline.Subject{
		Kind:    timeline.MessageComplaintDecided,
		Result:  timeline.Words{Dutch: "7,5", English: "7.5"},
		Outcome: "not_upheld",
	}, exampleSettings, timeline.Mail{
		From:      "Examencommissie ROC Voorbeeld <examencommissie@roc-voorbeeld.nl>",
		To:        "Sam de Vries <s123456@student.roc-voorbeeld.nl>",
		MessageID: "assoc-1207.12.complaint_decided@roc-voorbeeld.nl",
		Date:      on(2027, time.February, 18, 7),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for line := range strings.SplitSeq(string(msg), "\r\n") {
		if strings.HasPrefix(line, "Subject:") {
			fmt.Println(line)
		}
	}
	// Output:
	// Subject: Besluit over je klacht / Decision on your complaint
	// Subject: Besluit over je klacht
	// Subject: Decision on your complaint
}

// The appeals board annulled the result: the events of the student's
// calendar keep their UIDs and are cancelled, in a version that wins over
// the earlier ones.
func ExampleTimeline_CalendarUpdate() {
	tl, _ := timeline.New(calendar.Default(), timeline.DefaultPolicies(), timeline.Facts{
		Result:        "assoc-1207",
		Exam:          on(2027, time.January, 18, 11),
		Registered:    on(2027, time.February, 5, 9),
		Determined:    on(2027, time.March, 1, 7),
		AppealLodged:  on(2027, time.March, 8, 10),
		AppealDecided: on(2027, time.April, 6, 15),
	})
	ics, err := tl.CalendarUpdate(timeline.Subject{
		Kind:   timeline.MessageAnnulled,
		Result: timeline.Words{Dutch: "5,5", English: "5.5"},
	}, exampleSettings, "roc-voorbeeld.nl", on(2027, time.April, 7, 9), 9)
	if err != nil {
		fmt.Println(err)
		return
	}
	unfolded := strings.ReplaceAll(string(ics), "\r\n ", "")
	for line := range strings.SplitSeq(unfolded, "\r\n") {
		for _, name := range []string{"UID:", "SEQUENCE:", "STATUS:"} {
			if strings.HasPrefix(line, name) {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// UID:assoc-1207-inspection@roc-voorbeeld.nl
	// SEQUENCE:9
	// STATUS:CANCELLED
	// UID:assoc-1207-determination@roc-voorbeeld.nl
	// SEQUENCE:9
	// STATUS:CANCELLED
	// UID:assoc-1207-appeal@roc-voorbeeld.nl
	// SEQUENCE:9
	// STATUS:CANCELLED
}
