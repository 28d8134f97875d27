package result

import "time"

// requestInspection records a student's request to inspect the exam
// (inzage). The policy names it beside the complaint ("inzage of klacht"),
// but it is no complaint: it holds nothing, needs no committee decision,
// and leaves the terms as they are. One request is open at a time.
func (d *decision) requestInspection() ([]Event, error) {
	r := d.r
	if !r.InspectionRequested.IsZero() && r.InspectionGranted.Before(r.InspectionRequested) {
		return nil, d.invalid("an inspection asked on %s waits to be granted", r.InspectionRequested.Format(time.DateOnly))
	}
	e, err := d.event(EventInspectionAsked, Always)
	if err != nil {
		return nil, err
	}
	return append(d.dst, e), nil
}

// grantInspection records that the inspection asked is granted, and when
// and where it takes place (Detail).
func (d *decision) grantInspection() ([]Event, error) {
	r := d.r
	switch {
	case r.InspectionRequested.IsZero() || !r.InspectionGranted.Before(r.InspectionRequested):
		return nil, d.invalid("no inspection was asked")
	case d.cmd.Detail == "":
		return nil, d.invalid("when and where the inspection takes place (Detail) is required")
	}
	e, err := d.event(EventInspectionGranted, Always)
	if err != nil {
		return nil, err
	}
	e.Detail = d.cmd.Detail
	return append(d.dst, e), nil
}
