package oke

import (
	"slices"
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
	offering := assoc.Offering
	if msg.Method == Put && msg.Offering != "" {
		if assoc.Offering != "" && msg.Offering != assoc.Offering {
			w.reject(CodeWrongOffering, "offering", "the offering %q is not the enrolment's %q", msg.Offering, assoc.Offering)
		}
		offering = msg.Offering
	}
	w.checkAttempt(assoc)

	w.rec = result.Record{
		ID: msg.AssociationID, Student: assoc.Student, Component: assoc.Component, Programme: assoc.Programme,
		Crebo: assoc.Crebo, Team: assoc.Team, Attempt: msg.Attempt, Exam: w.inZone(res.TestDate),
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
	w.checkGrade(comp)

	if endedStates[assoc.State] {
		w.except(result.EnrolmentEnded, "the enrolment %s is %s", assoc.ID, assoc.State)
	}
	switch {
	case res.TestDate.IsZero():
		w.except(result.ExamDateUnconfirmed, "no testDate was delivered; a person confirms the exam date")
	case res.TestDate.After(w.now):
		w.reject(CodeFutureExam, w.msg.resultConsumerField("testDate"), "the exam at %s lies after the delivery at %s",
			res.TestDate.Format(time.RFC3339), w.now.Format(time.RFC3339))
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
	for _, text := range w.in.sessionReports(offering) {
		w.except(result.Irregularity, "session report: %s", text)
	}
}

// checkAttempt: the first attempt is the enrolment's own; an extra attempt
// follows the previous ones; one beyond those allowed is accepted with an
// exception (agreement §3.5.2).
func (w *work) checkAttempt(assoc Association) {
	msg := w.msg
	field := w.msg.consumerField("attempt")
	if msg.AssociationID == assoc.ID {
		if msg.Attempt != assoc.Attempt {
			w.reject(CodeWrongAttempt, field, "the enrolment is attempt %d, the message says %d", assoc.Attempt, msg.Attempt)
		}
		return
	}
	if msg.Attempt <= assoc.Attempt {
		w.reject(CodeWrongAttempt, field, "an extra attempt must come after the enrolment's attempt %d, not %d",
			assoc.Attempt, msg.Attempt)
		return
	}
	highest := assoc.Attempt
	for _, id := range w.in.Store.Related(assoc.ID) {
		other, ok := w.in.Store.Result(id)
		if !ok || id == msg.AssociationID {
			continue
		}
		if other.Attempt == msg.Attempt {
			w.reject(CodeWrongAttempt, field, "attempt %d was already delivered as association %s", msg.Attempt, id)
			return
		}
		highest = max(highest, other.Attempt)
	}
	switch {
	case msg.Attempt > assoc.Attempt+assoc.AttemptsLeft:
		w.except(result.UnforeseenAttempt, "attempt %d, beyond the %d extra attempts the KRS allowed",
			msg.Attempt, assoc.AttemptsLeft)
	case msg.Attempt > highest+1:
		w.except(result.UnforeseenAttempt, "attempt %d follows attempt %d", msg.Attempt, highest)
	}
}

// checkGrade reads the score on the component's scale and compares it
// with the grade its norm gives the raw score.
func (w *work) checkGrade(comp Component) {
	res := &w.msg.Result
	if res.Score == "" {
		if res.State == Completed && res.Attendance == result.Present {
			w.reject(CodeMissing, "result.score", "a completed result of a student who was present needs a score")
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
