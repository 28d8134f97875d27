package calendar_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// The inspection term of a result registered on Friday 18 December 2026:
// ten working days, over Christmas and New Year.
func Example() {
	cal := calendar.Default()
	registered := calendar.Date{Year: 2026, Month: time.December, Day: 18}

	e, err := cal.Explain(registered, 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e)
	// Output:
	// 10 working days from 2026-12-18 is 2027-01-05
	// skipped 2026-12-25 Eerste Kerstdag
	// skipped 2027-01-01 Nieuwjaarsdag
}

func ExampleCalendar_AddWorkdays() {
	cal := calendar.Default()
	exam := calendar.Date{Year: 2027, Month: time.April, Day: 12}

	due, _ := cal.AddWorkdays(exam, 15) // the assessment term
	fmt.Println("assessment due", due)
	back, _ := cal.AddWorkdays(due, -15)
	fmt.Println("and back", back)
	// Output:
	// assessment due 2027-05-04
	// and back 2027-04-12
}

// King's Day, 5 May, Ascension and the decree day after it are skipped.
func ExampleCalendar_WorkdaysBetween() {
	cal := calendar.Default()
	exam := calendar.Date{Year: 2027, Month: time.April, Day: 12}
	registered := calendar.Date{Year: 2027, Month: time.May, Day: 10}

	n, _ := cal.WorkdaysBetween(exam, registered)
	fmt.Printf("registered %d working days after the exam\n", n)
	// Output:
	// registered 16 working days after the exam
}

func ExampleCalendar_IsWorkday() {
	cal := calendar.Default()
	for _, d := range []calendar.Date{{Year: 2027, Month: time.April, Day: 27}, {Year: 2027, Month: time.April, Day: 28}} {
		work, _ := cal.IsWorkday(d)
		fmt.Println(d, d.Weekday(), work)
	}
	// Output:
	// 2027-04-27 Tuesday false
	// 2027-04-28 Wednesday true
}

func ExampleCalendar_NextWorkday() {
	cal := calendar.Default()
	christmasEve := calendar.Date{Year: 2026, Month: time.December, Day: 24}
	next, _ := cal.NextWorkday(christmasEve)
	prev, _ := cal.PreviousWorkday(christmasEve)
	fmt.Println(prev, next)
	// Output:
	// 2026-12-23 2026-12-28
}

// The moment a term ends, in Amsterdam, and whether something done at a
// given instant (here given in UTC) was in time.
func ExampleCalendar_Deadline() {
	cal := calendar.Default()
	registered := calendar.Date{Year: 2027, Month: time.March, Day: 19}

	deadline, _ := cal.Deadline(registered, 10)
	fmt.Println(deadline)
	complaint := time.Date(2027, time.April, 6, 21, 30, 0, 0, time.UTC) // 23:30 in Amsterdam
	fmt.Println("in time:", complaint.Before(deadline))
	// Output:
	// 2027-04-07 00:00:00 +0200 CEST
	// in time: true
}

// An instant is taken to the date it falls on in Amsterdam before counting.
func ExampleCalendar_Date() {
	cal := calendar.Default()
	newYork, _ := time.LoadLocation("America/New_York")
	sent := time.Date(2026, time.December, 18, 19, 0, 0, 0, newYork)
	fmt.Println(cal.Date(sent), cal.Date(sent).Weekday())
	// Output:
	// 2026-12-19 Saturday
}

// An institution with a Christmas closure and a decree day, that works on
// Good Friday and whose days end at 17:00.
func ExampleNew() {
	cal, err := calendar.New(calendar.Config{
		Name:    "ROC Voorbeeld",
		DayEnds: 17 * time.Hour,
		Without: []calendar.Holiday{calendar.GoodFriday},
		Closures: []calendar.Closure{{
			Name: "Kerstvakantie",
			From: calendar.Date{Year: 2026, Month: time.December, Day: 21},
			To:   calendar.Date{Year: 2027, Month: time.January, Day: 1},
		}},
		DecreeDays: []calendar.Day{{
			Date: calendar.Date{Year: 2027, Month: time.May, Day: 7},
			Name: "Vrijdag na Hemelvaart",
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	deadline, _ := cal.Deadline(calendar.Date{Year: 2026, Month: time.December, Day: 18}, 10)
	fmt.Println(deadline)
	// Output:
	// 2027-01-15 17:00:00 +0100 CET
}

// Bad definitions are refused with every problem named.
func ExampleNew_errors() {
	_, err := calendar.New(calendar.Config{
		Holidays: []calendar.Holiday{"sinterklaas"},
		Closures: []calendar.Closure{{
			Name: "Kerstvakantie",
			From: calendar.Date{Year: 2027, Month: time.January, Day: 1},
			To:   calendar.Date{Year: 2026, Month: time.December, Day: 21},
		}},
	})
	fmt.Println(err)
	// Output:
	// calendar: holidays[0]: unknown holiday: "sinterklaas"; known are bevrijdingsdag, eerste_kerstdag, eerste_paasdag, eerste_pinksterdag, goede_vrijdag, hemelvaartsdag, koningsdag, nieuwjaarsdag, tweede_kerstdag, tweede_paasdag, tweede_pinksterdag
	// calendar: closures[0]: range ends before it starts: 2027-01-01 to 2026-12-21
}

func ExampleLoad() {
	cal, err := calendar.Load(strings.NewReader(`{
		"name": "ROC Voorbeeld",
		"without": ["bevrijdingsdag"],
		"closures": [{"name": "Meivakantie", "from": "2027-04-26", "to": "2027-05-07"}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := cal.Explain(calendar.Date{Year: 2027, Month: time.April, Day: 23}, 1)
	fmt.Println(e.To, len(e.Skipped), "days skipped")
	fmt.Println(e.Skipped[1].Date, e.Skipped[1].Names())
	// Output:
	// 2027-05-10 10 days skipped
	// 2027-04-27 Koningsdag / Meivakantie
}

func ExampleHoliday_On() {
	for _, year := range []int{2013, 2014, 2025} {
		d, name, _ := calendar.KingsDay.On(year)
		fmt.Println(d, d.Weekday(), name)
	}
	// Output:
	// 2013-04-30 Tuesday Koninginnedag
	// 2014-04-26 Saturday Koningsdag
	// 2025-04-26 Saturday Koningsdag
}

func ExampleParseDate() {
	d, err := calendar.ParseDate("2027-01-05")
	fmt.Println(d, d.Weekday(), err)
	_, err = calendar.ParseDate("2027-02-30")
	fmt.Println(err)
	// Output:
	// 2027-01-05 Tuesday <nil>
	// 2027-02-30 is not a day: February 2027 has 28 days
}

func ExampleCalendar_Closed() {
	reasons, _ := calendar.Default().Closed(calendar.Date{Year: 2016, Month: time.May, Day: 5})
	for _, r := range reasons {
		fmt.Println(r.Kind, r.Name)
	}
	// Output:
	// holiday Bevrijdingsdag
	// holiday Hemelvaartsdag
}

// The appeals board's term is a statutory one: four weeks, moved past a
// weekend, a public holiday or a decree day by the Algemene termijnenwet,
// but not past the institution's own closures.
func ExampleCalendar_GeneralTermEnd() {
	cal, err := calendar.New(calendar.Config{
		Closures: []calendar.Closure{{
			Name: "Kerstvakantie",
			From: calendar.Date{Year: 2026, Month: time.December, Day: 21},
			To:   calendar.Date{Year: 2027, Month: time.January, Day: 1},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, appealEnds := range []calendar.Date{
		{Year: 2026, Month: time.November, Day: 30}, // four weeks later: in the closure
		{Year: 2026, Month: time.November, Day: 27}, // four weeks later: Christmas Day
		{Year: 2027, Month: time.April, Day: 9},     // four weeks later: Friday after Ascension
	} {
		due := appealEnds.AddDays(28)
		end, _ := cal.GeneralTermEnd(due)
		work, _ := cal.IsWorkday(due)
		fmt.Println(due, due.Weekday(), "working day:", work, "→ ends", end)
	}
	// Output:
	// 2026-12-28 Monday working day: false → ends 2026-12-28
	// 2026-12-25 Friday working day: false → ends 2026-12-28
	// 2027-05-07 Friday working day: false → ends 2027-05-10
}

// The decree days the default calendar knows, such as the Friday after
// Ascension 2027, each with the decree that equated it with a holiday.
func ExampleKnownDecreeDays() {
	for _, d := range calendar.KnownDecreeDays() {
		if d.Date.Year == 2027 {
			fmt.Println(d.Date, d.Name)
			fmt.Println(d.Decree)
		}
	}
	// Output:
	// 2027-05-07 Vrijdag na Hemelvaartsdag
	// Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag
}
