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

	// Registered is when the provisional result was registered in the KRS.
	Registered time.Time

	// ComplaintLodged and ComplaintDecided: a request for inspection or a
	// complaint to the exam committee, and the committee's decision on it.
	ComplaintLodged, ComplaintDecided time.Time

	// Determined is when the result was determined (vastgesteld); Early
	// says it was an early determination by the exam committee, to issue a
	// diploma or certificate.
	Determined time.Time
	Early      bool

	// AppealLodged and AppealDecided: an appeal to the appeals board (CBE)
	// and its decision; AppealExtended says the board extended its term.
	AppealLodged, AppealDecided time.Time
	AppealExtended              bool
}
