package timeline

import (
	"github.com/krs-oke/vaststelling/calendar"
)

// The pieces of Message besides those of StudentMessage.
var (
	resultWords   = field(func(d *messageData) string { return d.Result })
	previousWords = field(func(d *messageData) string { return d.Previous })
	outcome       = field(func(d *messageData) string { return d.Outcome })
	reasonText    = field(func(d *messageData) string { return d.Reason })
	onDate        = datePiece(func(d *messageData) calendar.Date { return d.On }, false)

	hasPrevious    = func(d *messageData) bool { return d.Previous != "" }
	hasReason      = func(d *messageData) bool { return d.Reason != "" }
	isDetermined   = func(d *messageData) bool { return d.Determined }
	isCutShort     = func(d *messageData) bool { return d.CutShort }
	isStillOpen    = func(d *messageData) bool { return d.StillOpen }
	hasAppealEnds  = func(d *messageData) bool { return !d.AppealEnds.IsZero() }
	isInvalidation = func(d *messageData) bool { return d.AgainstInvalidation }
	invalidatedOn  = datePiece(func(d *messageData) calendar.Date { return d.Invalidated }, false)

	// reason quotes the decision's reason in a paragraph of its own.
	reason = map[Language]piece{
		Dutch:   when(hasReason, text{literal("\n\nReden van het besluit: “"), reasonText, literal("”")}, nil),
		English: when(hasReason, text{literal("\n\nReason for the decision: “"), reasonText, literal("”")}, nil),
	}
)

// kindSpecs are the messages of every kind, in the order of MessageKinds.
var kindSpecs = [...]kindSpec{
	{kind: MessageProvisional,
		subject: Words{subjectDutch, subjectEnglish},
		texts: [2]text{
			join(text{literal("Beste student,\n\nEr is een nieuw voorlopig resultaat toegevoegd in "), krsName,
				literal(": "), resultWords, literal(".")}, provisionalTerms[Dutch], closing[Dutch]),
			join(text{literal("Dear student,\n\nA new provisional result has been added in "), krsName,
				literal(": "), resultWords, literal(".")}, provisionalTerms[English], closing[English]),
		}},

	{kind: MessageFinal,
		subject: Words{"Resultaat definitief vastgesteld", "Result determined and final"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nJe resultaat in "), krsName, literal(" is op "), determination,
				literal(" definitief vastgesteld: "), resultWords,
				literal(".\n\nVanaf dat moment is het resultaat bindend. Ben je het niet eens met het definitieve resultaat? Dan kun je tot en met "),
				appealEnds, literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nYour result in "), krsName, literal(" was determined on "), determination,
				literal(" and is now final: "), resultWords,
				literal(".\n\nFrom that moment the result is binding. Do you disagree with the final result? You can appeal to the Examination Appeals Board (CBE) at "),
				boardAddress, literal(" until and including "), appealEnds, literal(".")},
				closing[English]),
		}},

	{kind: MessageDeterminedEarly,
		subject: Words{"Resultaat vervroegd vastgesteld", "Result determined early"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft je resultaat in "), krsName, literal(" op "), determination,
				literal(" vervroegd definitief vastgesteld, voor het uitreiken van een diploma of mbo-certificaat: "), resultWords,
				literal("."), reason[Dutch],
				literal("\n\nHet resultaat is daarmee bindend, en de beroepstermijn loopt vanaf die dag. Ben je het niet eens met het definitieve resultaat? Dan kun je tot en met "),
				appealEnds, literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal("."),
				when(isCutShort, text{literal("\n\nDe termijn voor inzage en klacht liep nog toen het resultaat werd vastgesteld. Die mogelijkheid houd je: wil je je examen inzien of ben je het niet eens met de beoordeling, dan kun je je nog tot en met "),
					inspectionEnds, literal(" bij de examencommissie melden via "), committeeAddress, literal(".")}, nil)},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee determined your result in "), krsName, literal(" early, on "), determination,
				literal(", so that a diploma or MBO certificate can be issued: "), resultWords,
				literal("."), reason[English],
				literal("\n\nThe result is now final and binding, and the appeal term runs from that day. Do you disagree with the final result? You can appeal to the Examination Appeals Board (CBE) at "),
				boardAddress, literal(" until and including "), appealEnds, literal("."),
				when(isCutShort, text{literal("\n\nThe period for inspection and complaint was still open when the result was determined. You keep that right: if you want to inspect your exam or disagree with the assessment, you can still contact the exam committee at "),
					committeeAddress, literal(" until and including "), inspectionEnds, literal(".")}, nil)},
				closing[English]),
		}},

	{kind: MessageComplaintDecided,
		subject: Words{"Besluit over je klacht", "Decision on your complaint"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft op "), onDate,
				literal(" een besluit genomen over je klacht over je resultaat in "), krsName,
				literal(": de klacht is "), outcome, literal("."), reason[Dutch],
				when(hasPrevious,
					join(text{literal("\n\nJe resultaat is daarom gewijzigd van "), previousWords, literal(" in "), resultWords,
						literal(". Voor het nieuwe resultaat gelden nieuwe termijnen.")}, provisionalTerms[Dutch]),
					text{literal("\n\nJe resultaat blijft ongewijzigd: "), resultWords, literal("."),
						when(isDetermined,
							text{literal(" Het is op "), determination, literal(" definitief vastgesteld. Je kunt tot en met "), appealEnds,
								literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")},
							text{literal(" Het resultaat is voorlopig tot "), determination,
								ifEarly(", tenzij de examencommissie eerder een besluit neemt vanwege het uitreiken van een diploma of mbo-certificaat"),
								literal("."),
								when(isStillOpen, text{literal(" De termijn voor inzage en klacht loopt nog tot en met "), inspectionEnds, literal(".")}, nil),
								literal("\n\nOp "), determination, literal(" wordt het resultaat definitief. Vanaf dat moment kun je tot en met "), appealEnds,
								literal(" in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")})})},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee decided on your complaint about your result in "), krsName,
				literal(" on "), onDate, literal(": your complaint was "), outcome, literal("."), reason[English],
				when(hasPrevious,
					join(text{literal("\n\nYour result has therefore been changed from "), previousWords, literal(" to "), resultWords,
						literal(". New terms apply to the new result.")}, provisionalTerms[English]),
					text{literal("\n\nYour result stays unchanged: "), resultWords, literal("."),
						when(isDetermined,
							text{literal(" It was determined on "), determination, literal(" and is final. You can appeal to the Examination Appeals Board (CBE) at "),
								boardAddress, literal(" until and including "), appealEnds, literal(".")},
							text{literal(" The result is provisional until "), determination,
								ifEarly(", unless the exam committee decides earlier because a diploma or MBO certificate is to be issued"),
								literal("."),
								when(isStillOpen, text{literal(" The period for inspection and complaint remains open until and including "), inspectionEnds, literal(".")}, nil),
								literal("\n\nOn "), determination, literal(" the result becomes final. From then on you can appeal to the Examination Appeals Board (CBE) at "),
								boardAddress, literal(" until and including "), appealEnds, literal(".")})})},
				closing[English]),
		}},

	{kind: MessageAppealDecided,
		subject: Words{"Besluit over je beroep", "Decision on your appeal"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe Commissie van Beroep voor de Examens heeft op "), onDate,
				literal(" een besluit genomen over je beroep tegen "),
				when(isInvalidation, text{literal("de ongeldigverklaring van je resultaat in ")}, text{literal("je resultaat in ")}), krsName,
				literal(": het beroep is "), outcome, literal("."), reason[Dutch],
				when(isInvalidation,
					text{literal("\n\nHet besluit van de examencommissie van "), invalidatedOn,
						literal(" om je resultaat ongeldig te verklaren blijft daarmee staan. Het ongeldig verklaarde resultaat was: "), resultWords, literal(".")},
					text{literal("\n\nJe resultaat blijft daarmee definitief, zoals het op "), determination, literal(" is vastgesteld: "), resultWords, literal(".")})},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe Examination Appeals Board (CBE) decided on your appeal against "),
				when(isInvalidation, text{literal("the invalidation of your result in ")}, text{literal("your result in ")}), krsName,
				literal(" on "), onDate, literal(": your appeal was "), outcome, literal("."), reason[English],
				when(isInvalidation,
					text{literal("\n\nThe exam committee's decision of "), invalidatedOn,
						literal(" to declare your result invalid therefore stands. The result declared invalid was: "), resultWords, literal(".")},
					text{literal("\n\nYour result therefore remains final, as determined on "), determination, literal(": "), resultWords, literal(".")})},
				closing[English]),
		}},

	{kind: MessageAnnulled,
		subject: Words{"Resultaat vernietigd na beroep", "Result annulled on appeal"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe Commissie van Beroep voor de Examens heeft op "), onDate,
				when(isInvalidation,
					text{literal(" je beroep gegrond verklaard en het besluit van de examencommissie van "), invalidatedOn,
						literal(" om je resultaat in "), krsName, literal(" ongeldig te verklaren vernietigd. Het resultaat was: "), resultWords},
					text{literal(" je beroep gegrond verklaard en je resultaat in "), krsName, literal(" vernietigd. Het vernietigde resultaat was: "), resultWords}),
				literal("."), reason[Dutch],
				literal("\n\nDit resultaat geldt niet meer, en zijn termijnen vervallen. De examencommissie neemt een nieuw besluit over je resultaat. Daarover krijg je apart bericht, met de termijnen die dan gelden.")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe Examination Appeals Board (CBE) upheld your appeal on "), onDate,
				when(isInvalidation,
					text{literal(" and annulled the exam committee's decision of "), invalidatedOn,
						literal(" to declare your result in "), krsName, literal(" invalid. The result was: "), resultWords},
					text{literal(" and annulled your result in "), krsName, literal(". The annulled result was: "), resultWords}),
				literal("."), reason[English],
				literal("\n\nThis result no longer applies, and neither do its terms. The exam committee will take a new decision on your result. You will receive a separate message about it, with the terms that then apply.")},
				closing[English]),
		}},

	{kind: MessageCorrected,
		subject: Words{"Resultaat gecorrigeerd", "Result corrected"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft je resultaat in "), krsName, literal(", dat op "), determination,
				literal(" definitief was vastgesteld, gecorrigeerd"),
				when(hasPrevious, text{literal(" van "), previousWords, literal(" in "), resultWords, literal(".")},
					text{literal(". Het nieuwe resultaat is: "), resultWords, literal(".")}),
				reason[Dutch],
				literal("\n\nHet gecorrigeerde resultaat vervangt het vastgestelde resultaat en doorloopt zijn eigen procedure: je krijgt er apart bericht over, met de termijnen voor inzage, klacht en beroep die daarvoor gelden. De termijnen van het oude resultaat vervallen.")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee has corrected your result in "), krsName, literal(", which was determined on "), determination,
				when(hasPrevious, text{literal(", from "), previousWords, literal(" to "), resultWords, literal(".")},
					text{literal(". The new result is: "), resultWords, literal(".")}),
				reason[English],
				literal("\n\nThe corrected result replaces the determined result and follows its own procedure: you will receive a separate message about it, with the terms for inspection, complaint and appeal that apply to it. The terms of the old result no longer apply.")},
				closing[English]),
		}},

	{kind: MessageInvalidated,
		subject: Words{"Resultaat ongeldig verklaard", "Result declared invalid"},
		texts: [2]text{
			join(text{literal("Beste student,\n\nDe examencommissie heeft op "), onDate, literal(" je resultaat in "), krsName,
				literal(" ongeldig verklaard. Het ongeldig verklaarde resultaat was: "), resultWords, literal("."), reason[Dutch],
				literal("\n\nDit resultaat geldt niet meer, en zijn termijnen vervallen. Ben je het niet eens met dit besluit? Dan kun je "),
				when(hasAppealEnds, text{literal("tot en met "), appealEnds, literal(" ")}, nil),
				literal("in beroep gaan bij de Commissie van Beroep voor de Examens via "), boardAddress, literal(".")},
				closing[Dutch]),
			join(text{literal("Dear student,\n\nThe exam committee declared your result in "), krsName, literal(" invalid on "), onDate,
				literal(". The result declared invalid was: "), resultWords, literal("."), reason[English],
				literal("\n\nThis result no longer applies, and neither do its terms. Do you disagree with this decision? You can appeal to the Examination Appeals Board (CBE) at "),
				boardAddress, when(hasAppealEnds, text{literal(" until and including "), appealEnds}, nil), literal(".")},
				closing[English]),
		}},
}
