package timeline

import "time"

// Facts are what is known of one result: the moments that place it on its
// timeline. Only Exam is required; every other moment is zero while it has
// not happened. Moments are instants in any zone; the calendar takes each
// to its date.
type Facts struct {
	// Result is the result's id (the OKE association id), for errors and signals.
	Result string

	// Exam is when the exam took place (OKE testDate).
	Exam time.Time

	// Delivered is when the assessor's result reached the institution (the
	// OKE delivery). The exam administration may check a result before it
	// registers it, so Delivered can be earlier than Registered, never
	// later. When it is known, the assessor's lateness (RegisteredLate) is
	// judged by it, and a registration after the term is the
	// administration's (CheckedLate); when it is zero, Registered stands
	// for both.
	Delivered time.Time

	// Registered is when the provisional result was registered in the KRS.
	// The inspection window and the registration rule count from it.
	Registered time.Time

	// FirstRegistered is when the result was first registered, when a new
	// grade (a complaint upheld, a re-delivery approved) registered it
	// anew since, at Registered: the assessment term was met or missed by
	// the first registration, not by the committee's new grade. Zero means
	// Registered is the first.
	FirstRegistered time.Time

	// Successor says the result is the exam committee's new decision after
	// an annulment, or the successor of a correction: entered on the
	// committee's decision long after the exam, by no assessor, so that no
	// assessment term applies to it.
	Successor bool

	// ComplaintLodged and ComplaintDecided: a request for inspection or a
	// complaint to the exam committee, and the committee's decision on it.
	ComplaintLodged, ComplaintDecided time.Time

	// Determined is when the result was determined (vastgesteld); Early
	// says it was an early determination by the exam committee, to issue a
	// diploma or certificate.
	Determined time.Time
	Early      bool

	// Invalidated is when the exam committee declared the result invalid,
	// as for fraud: a decision the student can appeal, as a determination.
	// The appeal window runs from it when there is no determination, or
	// when it came after the determination and before the appeal.
	Invalidated time.Time

	// AppealLodged and AppealDecided: an appeal to the appeals board (CBE)
	// and its decision; AppealExtended says the board extended its term.
	AppealLodged, AppealDecided time.Time
	AppealExtended              bool
}

// order checks that the moments that are known follow each other as they
// must, and reports the first that does not.
func (b *builder) order() bool {
	f := &b.f
	steps := [...]struct {
		field, after string
		at, prev     time.Time
	}{
		{"complaint_lodged", "registration", f.ComplaintLodged, f.Registered},
		{"complaint_decided", "the complaint", f.ComplaintDecided, f.ComplaintLodged},
		{"determined", "registration", f.Determined, f.Registered},
		{"invalidated", "the exam", f.Invalidated, f.Exam},
		{"appeal_decided", "the appeal", f.AppealDecided, f.AppealLodged},
	}
	for _, s := range steps {
		if s.at.IsZero() {
			continue
		}
		if s.prev.IsZero() {
			b.fail(s.field, "given, but "+s.after+" is not", nil)
			return false
		}
		if s.at.Before(s.prev) {
			b.fail(s.field, "comes before "+s.after, nil)
			return false
		}
	}
	switch {
	case !f.Delivered.IsZero() && !f.Registered.IsZero() && f.Registered.Before(f.Delivered):
		b.fail("delivered", "comes after registration", nil)
		return false
	case f.Early && f.Determined.IsZero():
		b.fail("early", "an early determination needs the moment of determination", nil)
		return false
	case f.AppealLodged.IsZero():
	case f.Determined.IsZero() && f.Invalidated.IsZero():
		b.fail("appeal_lodged", "given, but determination is not, nor an invalidation", nil)
		return false
	default:
		if at, _ := appealedDecision(f); at.IsZero() {
			what := "determination"
			switch {
			case f.Determined.IsZero():
				what = "the invalidation"
			case !f.Invalidated.IsZero():
				what = "determination and the invalidation"
			}
			b.fail("appeal_lodged", "comes before "+what, nil)
			return false
		}
	}
	return true
}
