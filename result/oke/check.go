package oke

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/result"
)

// endedStates are the enrolment states after which a result is still accepted,
// with an exception (agreement §3.5.3).
var endedStates = map[string]bool{"canceled": true, "denied": true, "finished": true}

// check checks the message against the directory and builds the record
// it delivers, collecting rejections and exceptions.
func (w *work) check() {
	msg, dir := w.msg, w.in.Directory
	res := &msg.Result
	original := msg.OrgAssociationID
	assoc, ok := dir.Association(original)
	if !ok {
		w.reject(CodeUnknownAssociation, w.msg.consumerField("orgAssociationId"),
			"the KRS knows no enrolment %q", original)
		return
	}
	if msg.Method == Patch && msg.AssociationID != original {
		// PATCH delivers for the enrolment itself, or again for an extra
		// attempt that a PUT brought first (agreement §3.5.2).
		if _, known := w.in.Store.Result(msg.AssociationID); !known {
			w.reject(CodeUnknownAssociation, "", "PATCH %s: the KRS knows no such association; "+
				"the first result of an extra attempt comes by PUT", msg.AssociationID)
			return
		}
	}
	comp, ok := dir.Component(assoc.Component)
	if !ok {
		w.reject(CodeUnknownComponent, "", "enrolment %s is for component %q, which the KRS does not know",
			assoc.ID, assoc.Component)
		return
	}
	if msg.Person != "" && msg.Person != assoc.Student {
		w.reject(CodeWrongStudent, "person", "the person %q is not the enrolment's student", msg.Person)
	}
	// The KRS is the truth for what it planned: the record keeps the
	// enrolment's offering, and a person hears of another one delivered.
	offering := assoc.Offering
	if msg.Method == Put && msg.Offering != "" {
		switch {
		case offering == "":
			offering = msg.Offering
		case msg.Offering != offering:
			w.except(result.OfferingMismatch, "the delivery names offering %s, the enrolment %s", msg.Offering, offering)
		}
	}
	attempt := w.checkAttempt(assoc)

	w.rec = result.Record{
		ID: msg.AssociationID, Student: assoc.Student, Component: assoc.Component, Programme: assoc.Programme,
		Crebo: assoc.Crebo, Team: assoc.Team, Attempt: attempt, Exam: w.inZone(res.TestDate),
		Assessor: res.AssessorID, Attendance: res.Attendance, Source: result.OKE, Offering: offering,
		ExecutedOffering: res.ExecutedOfferingName, SenderFinal: res.Final,
	}
	if msg.AssociationID != original {
		w.rec.Retakes = original
	}
	if w.rec.Assessor == "" {
		w.rec.Assessor = res.AssessorCode
	}
	if res.RawScore != nil && res.MaxRawScore != nil {
		w.rec.RawScore = &result.RawScore{Points: *res.RawScore, Max: *res.MaxRawScore}
	}
	w.rec.Documents = recordDocuments(res.Documents)
	w.checkGrade(comp)

	if endedStates[assoc.State] {
		w.except(result.EnrolmentEnded, "the enrolment %s is %s", assoc.ID, assoc.State)
	}
	switch {
	case res.TestDate.IsZero():
		w.except(result.ExamDateUnconfirmed, "no testDate was delivered; a person confirms the exam date")
	case res.TestDate.After(w.now):
		w.checkAhead(res.TestDate)
	case !assoc.Start.IsZero() && res.TestDate.Before(assoc.Start):
		w.except(result.ExamDateUnconfirmed, "the exam at %s lies before the enrolment starts at %s",
			res.TestDate.Format(time.RFC3339), assoc.Start.Format(time.RFC3339))
	case res.TestDate.Before(w.now.AddDate(-1, 0, 0)):
		w.except(result.ExamDateUnconfirmed, "the exam at %s lies more than a year before the delivery",
			res.TestDate.Format(time.RFC3339))
	}
	switch {
	case res.AssessorID == "" && res.AssessorCode == "" && res.State == Completed && res.Attendance == result.Present:
		w.except(result.AssessorUnauthorised, "no assessor was delivered")
	case !comp.authorises(res.AssessorID, res.AssessorCode):
		w.except(result.AssessorUnauthorised, "assessor %s is not authorised for component %s",
			firstOf(res.AssessorID, res.AssessorCode), comp.Code)
	}
	if res.Irregularities != "" {
		w.except(result.Irregularity, "%s", res.Irregularities)
	}
	if key := SessionKey(&w.rec); key != "" {
		for _, text := range w.in.sessionReports(key) {
			if text != "" { // a report without irregularities holds nothing
				w.except(result.Irregularity, "session report: %s", text)
			}
		}
	}
}

// checkAhead judges a testDate ahead of the KRS clock (see Intake.ClockSkew):
// within the skew it is the clocks that differ, and the result goes on;
// beyond it the exam date is one that has not come yet, and the result
// waits, received, until a person confirms it. Either way it is accepted
// with an exception: the agreement sets no bound on testDate, and its
// "slotmoment" of a sitting may lie after a delivery sent before the
// sitting closes (Table 4.3.D).
func (w *work) checkAhead(exam time.Time) {
	skew := w.in.clockSkew()
	ahead := exam.Sub(w.now)
	if ahead <= skew {
		w.except(result.ExamDateUnconfirmed, "the exam at %s lies %s ahead of the KRS clock at %s, within the %s "+
			"clocks may differ; a person confirms the exam date", exam.Format(time.RFC3339), ahead,
			w.now.Format(time.RFC3339), skew)
		return
	}
	w.except(result.ExamDateUnconfirmed, "the exam at %s lies %s ahead of the KRS clock at %s, more than the %s "+
		"clocks may differ; a person confirms the exam date", exam.Format(time.RFC3339), ahead,
		w.now.Format(time.RFC3339), skew)
	w.hold = "the exam date lies ahead of the KRS clock"
}

// checkAttempt judges the attempt a message names and returns the one the
// result keeps. A PATCH for the enrolment itself is the enrolment's own
// attempt: the KRS planned it and is the truth for planning, so the result
// keeps the enrolment's number, and a person hears of another one
// delivered (result.AttemptMismatch). A new association is an extra
// attempt (§3.5.2: "een nieuwe Toetsinschrijving voor iedere extra
// poging") and keeps the number delivered; one that does not come after
// the enrolment's, reuses a number delivered before, skips a number, or
// goes beyond the attempts the KRS allowed is unforeseen: accepted, with
// result.UnforeseenAttempt for a person (§3.5.3, §5.1: the KRS "mag dit
// verzoek niet weigeren"). With no limit set (AttemptsLeft nil) no attempt
// is beyond those allowed.
func (w *work) checkAttempt(assoc Association) int {
	msg := w.msg
	if msg.AssociationID == assoc.ID {
		if msg.Attempt != assoc.Attempt {
			w.except(result.AttemptMismatch, "the delivery names attempt %d, the enrolment is attempt %d; "+
				"the result keeps attempt %d, the enrolment's", msg.Attempt, assoc.Attempt, assoc.Attempt)
		}
		return assoc.Attempt
	}
	if msg.Attempt <= assoc.Attempt {
		w.except(result.UnforeseenAttempt, "attempt %d, delivered as a new association, does not come after "+
			"the enrolment's attempt %d", msg.Attempt, assoc.Attempt)
		return msg.Attempt
	}
	highest := assoc.Attempt
	for _, id := range w.in.Store.Related(assoc.ID) {
		other, ok := w.in.Store.Result(id)
		if !ok || id == msg.AssociationID {
			continue
		}
		if other.Attempt == msg.Attempt {
			w.except(result.UnforeseenAttempt, "attempt %d was delivered before as association %s; "+
				"this association brings another result for it", msg.Attempt, id)
			return msg.Attempt
		}
		highest = max(highest, other.Attempt)
	}
	switch {
	case assoc.AttemptsLeft != nil && msg.Attempt > assoc.Attempt+*assoc.AttemptsLeft:
		w.except(result.UnforeseenAttempt, "attempt %d, beyond the %d extra attempts the KRS allowed",
			msg.Attempt, *assoc.AttemptsLeft)
	case msg.Attempt > highest+1:
		w.except(result.UnforeseenAttempt, "attempt %d follows attempt %d", msg.Attempt, highest)
	}
	return msg.Attempt
}

// checkGrade reads the score on the component's scale and compares it
// with the grade its norm gives the raw score.
func (w *work) checkGrade(comp Component) {
	res := &w.msg.Result
	if res.Score == "" {
		// The score is optional (Table 4.3.D: "score ?"): a completed
		// result of a student who was present without one is taken in,
		// and waits, received, for a person, who cannot register it
		// without a grade.
		if res.State == Completed && res.Attendance == result.Present {
			w.except(result.NoGrade, "a completed result of a student who was present came without a score")
		}
		return
	}
	g, err := result.ParseGrade(comp.Scale, res.Score)
	if err != nil {
		w.reject(CodeScoreScale, "result.score", "%q does not fit component %s's scale %s", res.Score, comp.Code, comp.Scale)
		return
	}
	w.rec.Grade = g
	if comp.Norm == nil || w.rec.RawScore == nil {
		return
	}
	computed, err := comp.Norm.Grade(w.rec.RawScore.Points, w.rec.RawScore.Max)
	if err != nil {
		w.except(result.GradeMismatch, "the raw score %d of %d cannot be converted: %v",
			w.rec.RawScore.Points, w.rec.RawScore.Max, err)
		return
	}
	if !computed.Equal(g) {
		w.except(result.GradeMismatch, "delivered %s, but %d of %d points give %s with cut score %s",
			g, w.rec.RawScore.Points, w.rec.RawScore.Max, computed, comp.Norm.Cut)
	}
}

func firstOf(s ...string) string {
	i := slices.IndexFunc(s, func(x string) bool { return x != "" })
	if i < 0 {
		return ""
	}
	return s[i]
}

// inZone shows an instant in the calendar's zone, so that the same moment
// written with another offset is the same record.
func (w *work) inZone(t time.Time) time.Time {
	if t.IsZero() || w.in.Calendar == nil {
		return t
	}
	return t.In(w.in.Calendar.Location())
}

// recordDocuments returns the documents a message names as the record
// keeps them, in the order delivered; nil for none.
func recordDocuments(docs []Document) []result.DocumentRef {
	if len(docs) == 0 {
		return nil
	}
	out := make([]result.DocumentRef, len(docs))
	for i, d := range docs {
		out[i] = result.DocumentRef{ID: d.ID, Type: d.Type, Name: d.Name}
	}
	return out
}

// sameFields reports whether two records are alike in every field but the
// exam, the raw score and the documents, which sameRecord compares by their
// value: a record holds a slice now, and is no longer comparable with ==.
// A field added to result.Record belongs here too;
// TestSameRecordSeesEveryField fails until it is.
func sameFields(a, b *result.Record) bool {
	return a.ID == b.ID && a.Student == b.Student && a.Component == b.Component && a.Programme == b.Programme &&
		a.Crebo == b.Crebo && a.Team == b.Team && a.Attempt == b.Attempt && a.Retakes == b.Retakes &&
		a.Supersedes == b.Supersedes && a.Assessor == b.Assessor && a.Grade == b.Grade &&
		a.Attendance == b.Attendance && a.Source == b.Source && a.Offering == b.Offering &&
		a.ExecutedOffering == b.ExecutedOffering && a.SenderFinal == b.SenderFinal
}

// sameDocuments reports whether two records name the same documents in
// the same order; none is none, nil or empty.
func sameDocuments(a, b []result.DocumentRef) bool { return slices.Equal(a, b) }

// describeDocuments writes documents for a person: each its id, type and
// name, or "none".
func describeDocuments(docs []result.DocumentRef) string {
	if len(docs) == 0 {
		return "none"
	}
	parts := make([]string, len(docs))
	for i, d := range docs {
		parts[i] = fmt.Sprintf("%s %s %q", d.ID, d.Type, d.Name)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
