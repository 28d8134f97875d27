package timeline

import "github.com/krs-oke/vaststelling/calendar"

// builder computes one timeline, keeping the first error it meets.
type builder struct {
	cal *calendar.Calendar
	p   *Policy
	f   Facts
	t   Timeline
	err error
}

func (b *builder) add(field string, d calendar.Date, n int) calendar.Date {
	if b.err != nil {
		return calendar.Date{}
	}
	e, err := b.cal.AddWorkdays(d, n)
	if err != nil {
		b.fail(field, "cannot count its terms", err)
	}
	return e
}

// tail adds the ProvisionalTail to d, in the policy's unit; a calendar-day
// tail that ends on a day off moves to the next working day.
func (b *builder) tail(d calendar.Date) calendar.Date {
	if b.p.TailUnit == WorkingDays {
		return b.add("registered", d, b.p.ProvisionalTail)
	}
	return b.onWorkday("registered", d.AddDays(b.p.ProvisionalTail))
}

// statutory returns the day a term the law sets, ending on d, really ends
// under the Algemene termijnenwet: d, or the next day that is no Saturday,
// Sunday, public holiday or decree day.
func (b *builder) statutory(field string, d calendar.Date) calendar.Date {
	if b.err != nil {
		return calendar.Date{}
	}
	end, err := b.cal.GeneralTermEnd(d)
	if err != nil {
		b.fail(field, "cannot count its terms", err)
	}
	return end
}

// onWorkday returns d, or the working day after it when d is a day off.
func (b *builder) onWorkday(field string, d calendar.Date) calendar.Date {
	if b.err != nil {
		return calendar.Date{}
	}
	work, err := b.cal.IsWorkday(d)
	if err == nil && !work {
		d, err = b.cal.NextWorkday(d)
	}
	if err != nil {
		b.fail(field, "cannot count its terms", err)
	}
	return d
}

func (b *builder) between(field string, from, to calendar.Date) int {
	if b.err != nil {
		return 0
	}
	n, err := b.cal.WorkdaysBetween(from, to)
	if err != nil {
		b.fail(field, "cannot count its terms", err)
	}
	return n
}

func (b *builder) conflict(c Conflict) {
	if b.t.Conflicts == nil {
		b.t.Conflicts = make([]Conflict, 0, 4)
	}
	b.t.Conflicts = append(b.t.Conflicts, c)
}

func (b *builder) fail(field, problem string, err error) {
	if b.err == nil {
		b.err = &FactsError{Result: b.f.Result, Field: field, Problem: problem, Err: err}
	}
}
