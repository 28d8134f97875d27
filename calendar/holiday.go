package calendar

import (
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/nl"
)

// A Holiday names a Dutch public holiday, spelled as in the JSON format.
//
// The rules that place each holiday in a year come from rickar/cal's nl
// package; this package only corrects what that package leaves out (the
// Queen's Day before 2014) and decides which holidays count.
type Holiday string

// The holidays a Calendar knows. The Algemene termijnenwet (art. 3) counts
// all of them except the two Sundays, which matter only to a calendar that
// works on Sundays.
const (
	NewYear       Holiday = "nieuwjaarsdag"      // 1 January
	GoodFriday    Holiday = "goede_vrijdag"      // Friday before Easter
	EasterSunday  Holiday = "eerste_paasdag"     // Easter Sunday (not in the Algemene termijnenwet set)
	EasterMonday  Holiday = "tweede_paasdag"     // Monday after Easter
	KingsDay      Holiday = "koningsdag"         // King's Day, 27 April; Queen's Day, 30 April, before 2014
	LiberationDay Holiday = "bevrijdingsdag"     // 5 May, every year
	AscensionDay  Holiday = "hemelvaartsdag"     // 39 days after Easter
	WhitSunday    Holiday = "eerste_pinksterdag" // Whit Sunday (not in the Algemene termijnenwet set)
	WhitMonday    Holiday = "tweede_pinksterdag" // Monday after Whit Sunday
	ChristmasDay  Holiday = "eerste_kerstdag"    // 25 December
	BoxingDay     Holiday = "tweede_kerstdag"    // 26 December
)

// queensDay is Koninginnedag as it was kept from 1980 to 2013: 30 April, or
// Saturday 29 April when the 30th was a Sunday. rickar/cal places King's Day
// on 27 April in every year, which is wrong before 2014.
var queensDay = &cal.Holiday{
	Name:      "Koninginnedag",
	Month:     time.April,
	Day:       30,
	Func:      cal.CalcDayOfMonth,
	Observed:  []cal.AltDay{{Day: time.Sunday, Offset: -1}},
	StartYear: MinYear,
	EndYear:   2013,
}

// rules lists, for each Holiday, the rickar/cal definitions that place it;
// a holiday with two definitions has them for disjoint years.
var rules = map[Holiday][]*cal.Holiday{
	NewYear:       {nl.Nieuwjaar},
	GoodFriday:    {nl.GoedeVrijdag},
	EasterSunday:  {nl.EerstePaasdag},
	EasterMonday:  {nl.TweedePaasdag},
	KingsDay:      {queensDay, nl.Koningsdag.Clone(&cal.Holiday{StartYear: 2014})},
	LiberationDay: {nl.BevrijdingsDag},
	AscensionDay:  {nl.Hemelvaart},
	WhitSunday:    {nl.EerstePinksterDag},
	WhitMonday:    {nl.TweedePinksterDag},
	ChristmasDay:  {nl.EersteKerstdag},
	BoxingDay:     {nl.TweedeKerstdag},
}

// AlgemeneTermijnenwet returns the holidays that the Algemene termijnenwet
// (art. 3) makes equal to a Sunday for counting terms: New Year, Good Friday,
// Easter Monday, King's Day, 5 May (every year), Ascension, Whit Monday,
// Christmas Day and Boxing Day. It is the default set of a Calendar.
func AlgemeneTermijnenwet() []Holiday {
	return []Holiday{NewYear, GoodFriday, EasterMonday, KingsDay, LiberationDay,
		AscensionDay, WhitMonday, ChristmasDay, BoxingDay}
}

// Holidays returns every Holiday the package knows, in the order of the year.
func Holidays() []Holiday {
	return []Holiday{NewYear, GoodFriday, EasterSunday, EasterMonday, KingsDay, LiberationDay,
		AscensionDay, WhitSunday, WhitMonday, ChristmasDay, BoxingDay}
}

// Known reports whether h names a holiday the package knows.
func (h Holiday) Known() bool {
	_, ok := rules[h]
	return ok
}

// On returns the day on which h is kept in year, and its Dutch name for that
// year ("Koninginnedag" before 2014). ok is false when h is not kept that
// year or is unknown.
func (h Holiday) On(year int) (day Date, name string, ok bool) {
	for _, r := range rules[h] {
		// Calc works in rickar/cal's DefaultLoc; only the civil date is taken.
		_, observed := r.Calc(year)
		if !observed.IsZero() {
			return DateOf(observed), r.Name, true
		}
	}
	return Date{}, "", false
}

// knownHolidays is the list of names an error about an unknown one shows.
func knownHolidays() string {
	names := make([]string, 0, len(rules))
	for _, h := range Holidays() {
		names = append(names, string(h))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
