package calendar

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"slices"
	"sync"
)

// decreeDaysJSON is the list of decree days the package ships: every entry
// names its day, the decree that equated it with a public holiday under the
// Algemene termijnenwet art. 3(3), and where that decree was checked.
//
//go:embed decree_days.json
var decreeDaysJSON []byte

// decreeFile is the format of decree_days.json.
type decreeFile struct {
	About string `json:"about"`
	Days  []struct {
		Date   Date   `json:"date"`
		Name   string `json:"name"`
		Decree string `json:"decree"`
		Source string `json:"source"`
	} `json:"days"`
}

// shipped parses the embedded list once. It fails only if the file in the
// source tree is broken, which TestKnownDecreeDays catches.
var shipped = sync.OnceValues(func() ([]Day, error) {
	var f decreeFile
	dec := json.NewDecoder(bytes.NewReader(decreeDaysJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	days := make([]Day, len(f.Days))
	for i, d := range f.Days {
		days[i] = Day{Date: d.Date, Name: d.Name, Decree: d.Decree}
	}
	return days, nil
})

// KnownDecreeDays returns the days that a decree under the Algemene
// termijnenwet art. 3(3) equated with a public holiday, as far as the
// package knows them, in date order, each with the decree it comes from.
// A Config whose DecreeDays is nil takes these, so that a calendar counts
// them without anyone having to look them up.
//
// The list holds only decrees whose text or exact title could be checked:
// those for 2017–2019, 2023–2025 and 2026–2028. Decrees are made about once
// every three years; an institution adds a newer or older one by appending
// its days to this list and setting the result as Config.DecreeDays (in
// JSON: listing every day under "decree_days"). The result is a copy.
func KnownDecreeDays() []Day {
	days, err := shipped()
	if err != nil {
		// Unreachable: the embedded file is checked by the tests.
		panic("calendar: the shipped decree days do not parse: " + err.Error())
	}
	return slices.Clone(days)
}

// knownDecreeDaysIn returns the shipped decree days within the years first
// to last: a calendar for fewer years takes only its own.
func knownDecreeDaysIn(first, last int) []Day {
	days := KnownDecreeDays()
	return slices.DeleteFunc(days, func(d Day) bool { return d.Date.Year < first || d.Date.Year > last })
}
