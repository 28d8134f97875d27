package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// MaxConfigSize bounds the JSON text that Load and ParseConfig read, against
// a hostile or mistaken file: a real calendar definition is a few kilobytes.
const MaxConfigSize = 1 << 20

// configJSON is the JSON format of a Config; see ParseConfig.
type configJSON struct {
	Name       string        `json:"name,omitempty"`
	Location   string        `json:"location,omitempty"`
	Workdays   []string      `json:"workdays,omitempty"`
	DayEnds    string        `json:"day_ends,omitempty"`
	FirstYear  int           `json:"first_year,omitempty"`
	LastYear   int           `json:"last_year,omitempty"`
	Holidays   *[]Holiday    `json:"holidays,omitempty"`
	Without    []Holiday     `json:"without,omitempty"`
	DecreeDays *[]dayJSON    `json:"decree_days,omitempty"`
	Closures   []closureJSON `json:"closures,omitempty"`
	OpenDays   []dayJSON     `json:"open_days,omitempty"`
}

type dayJSON struct {
	Date   string `json:"date"`
	Name   string `json:"name"`
	Decree string `json:"decree,omitempty"`
}

type closureJSON struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// LoadFile reads the JSON calendar definition in the named file and builds
// its Calendar.
func LoadFile(name string) (*Calendar, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer f.Close()
	c, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// Load reads a JSON calendar definition from r and builds its Calendar.
func Load(r io.Reader) (*Calendar, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("calendar: reading definition: %w", err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// ParseConfig decodes a JSON calendar definition. Every field is optional;
// an absent field takes its default (see Config):
//
//	{
//	  "name":        "ROC Voorbeeld",
//	  "location":    "Europe/Amsterdam",
//	  "workdays":    ["monday", "tuesday", "wednesday", "thursday", "friday"],
//	  "day_ends":    "17:00",
//	  "first_year":  2020,
//	  "last_year":   2040,
//	  "holidays":    ["nieuwjaarsdag", "goede_vrijdag", ...],
//	  "without":     ["goede_vrijdag"],
//	  "decree_days": [{"date": "2027-05-07", "name": "Vrijdag na Hemelvaartsdag",
//	                   "decree": "Besluit gelijkstelling van 2 januari 2026, […] met een algemeen erkende feestdag"}],
//	  "closures":    [{"name": "Kerstvakantie", "from": "2026-12-21", "to": "2027-01-01"}],
//	  "open_days":   [{"date": "2027-03-13", "name": "Inhaalzaterdag"}]
//	}
//
// Weekdays are English or Dutch day names in any case; day_ends is HH:MM,
// "24:00" being the end of the day; dates are YYYY-MM-DD; holidays are the
// Holiday constants' spellings. An empty "holidays" list means no public
// holidays at all, an absent one the Algemene termijnenwet set. Likewise an
// absent "decree_days" means the days KnownDecreeDays lists, an empty one
// none; a list replaces the known days, so it names every decree day the
// calendar keeps. A decree day's "decree" is optional; an open day has none.
//
// Decoding is strict: malformed JSON, an unknown field, a value of the
// wrong type or a date, weekday, time or zone that does not parse is a
// *ConfigError, with its line and column where encoding/json tells them.
// Every problem in the values is reported, joined. ParseConfig does not
// check how the values fit together; New does.
func ParseConfig(data []byte) (Config, error) {
	if len(data) > MaxConfigSize {
		return Config{}, &ConfigError{Err: fmt.Errorf("%w: larger than %d bytes", ErrInvalidConfig, MaxConfigSize)}
	}
	var j configJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Config{}, jsonError(data, err)
	}
	rest := dec.InputOffset()
	for rest < int64(len(data)) && strings.ContainsRune(" \t\r\n", rune(data[rest])) {
		rest++
	}
	if rest < int64(len(data)) {
		e := &ConfigError{Err: fmt.Errorf("%w: data after the definition", ErrInvalidConfig)}
		e.Line, e.Column = position(data, rest)
		return Config{}, e
	}
	return j.config()
}

// UnmarshalJSON decodes the JSON format, as ParseConfig does.
func (c *Config) UnmarshalJSON(data []byte) error {
	cfg, err := ParseConfig(data)
	if err != nil {
		return err
	}
	*c = cfg
	return nil
}

// MarshalJSON encodes c in the JSON format that ParseConfig reads.
func (c Config) MarshalJSON() ([]byte, error) {
	j := configJSON{
		Name:      c.Name,
		FirstYear: c.FirstYear,
		LastYear:  c.LastYear,
		Without:   c.Without,
	}
	if c.Location != nil {
		j.Location = c.Location.String()
	}
	for _, w := range c.Workdays {
		j.Workdays = append(j.Workdays, strings.ToLower(w.String()))
	}
	if c.DayEnds != 0 {
		j.DayEnds = fmt.Sprintf("%02d:%02d", int(c.DayEnds/time.Hour), int(c.DayEnds%time.Hour/time.Minute))
	}
	if c.Holidays != nil {
		j.Holidays = &c.Holidays
	}
	if c.DecreeDays != nil {
		days := []dayJSON{}
		for _, d := range c.DecreeDays {
			days = append(days, dayJSON{d.Date.String(), d.Name, d.Decree})
		}
		j.DecreeDays = &days
	}
	for _, cl := range c.Closures {
		j.Closures = append(j.Closures, closureJSON{cl.Name, cl.From.String(), cl.To.String()})
	}
	for _, d := range c.OpenDays {
		j.OpenDays = append(j.OpenDays, dayJSON{d.Date.String(), d.Name, d.Decree})
	}
	return json.Marshal(j)
}

// config turns the decoded text into a Config, reporting every value that
// does not parse.
func (j configJSON) config() (Config, error) {
	var errs []error
	bad := func(path string, sentinel error, format string, args ...any) {
		errs = append(errs, configErr(path, sentinel, format, args...))
	}
	date := func(path, s string) Date {
		d, err := ParseDate(s)
		if err != nil {
			bad(path, ErrInvalidDate, "%q: want YYYY-MM-DD", s)
		}
		return d
	}

	c := Config{Name: j.Name, FirstYear: j.FirstYear, LastYear: j.LastYear, Without: j.Without}
	if j.Location != "" {
		loc, err := time.LoadLocation(j.Location)
		if err != nil {
			bad("location", ErrInvalidConfig, "unknown time zone %q", j.Location)
		}
		c.Location = loc
	}
	if j.Workdays != nil {
		c.Workdays = []time.Weekday{}
		for i, name := range j.Workdays {
			w, ok := weekdayNamed(name)
			if !ok {
				bad(fmt.Sprintf("workdays[%d]", i), ErrInvalidConfig, "%q is no day of the week", name)
				continue
			}
			c.Workdays = append(c.Workdays, w)
		}
	}
	if j.DayEnds != "" {
		end, ok := parseClock(j.DayEnds)
		if !ok {
			bad("day_ends", ErrInvalidConfig, "%q: want HH:MM, 00:01 to 24:00", j.DayEnds)
		}
		c.DayEnds = end
	}
	if j.Holidays != nil {
		c.Holidays = append([]Holiday{}, *j.Holidays...)
	}
	if j.DecreeDays != nil {
		c.DecreeDays = []Day{}
		for i, d := range *j.DecreeDays {
			c.DecreeDays = append(c.DecreeDays, Day{date(fmt.Sprintf("decree_days[%d].date", i), d.Date), d.Name, d.Decree})
		}
	}
	for i, cl := range j.Closures {
		path := fmt.Sprintf("closures[%d]", i)
		c.Closures = append(c.Closures, Closure{cl.Name, date(path+".from", cl.From), date(path+".to", cl.To)})
	}
	for i, d := range j.OpenDays {
		c.OpenDays = append(c.OpenDays, Day{date(fmt.Sprintf("open_days[%d].date", i), d.Date), d.Name, d.Decree})
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return c, nil
}

var dutchDays = map[string]time.Weekday{
	"zondag": time.Sunday, "maandag": time.Monday, "dinsdag": time.Tuesday, "woensdag": time.Wednesday,
	"donderdag": time.Thursday, "vrijdag": time.Friday, "zaterdag": time.Saturday,
}

func weekdayNamed(name string) (time.Weekday, bool) {
	name = strings.ToLower(name)
	for w := time.Sunday; w <= time.Saturday; w++ {
		if strings.ToLower(w.String()) == name {
			return w, true
		}
	}
	w, ok := dutchDays[name]
	return w, ok
}

// parseClock reads HH:MM as a time of day after midnight, up to 24:00.
func parseClock(s string) (time.Duration, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, false
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if h < 0 || m < 0 || m > 59 || d <= 0 || d > 24*time.Hour {
		return 0, false
	}
	return d, true
}

var unknownField = regexp.MustCompile(`^json: unknown field "(.*)"$`)

// jsonError turns an error of encoding/json into a ConfigError with the
// line and column of the problem.
func jsonError(data []byte, err error) error {
	e := &ConfigError{Err: fmt.Errorf("%w: %v", ErrInvalidConfig, err)}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		e.Line, e.Column = position(data, syntax.Offset-1) // Offset counts the bad byte
		e.Err = fmt.Errorf("%w: malformed JSON: %v", ErrInvalidConfig, syntax)
	case errors.As(err, &typ):
		e.Line, e.Column = position(data, typ.Offset-1) // the value's last byte
		e.Path = typ.Field
		e.Err = fmt.Errorf("%w: a JSON %s where %s is wanted", ErrInvalidConfig, typ.Value, wanted(typ.Type))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		e.Line, e.Column = position(data, int64(len(data)))
		e.Err = fmt.Errorf("%w: the definition ends too early", ErrInvalidConfig)
	default:
		if m := unknownField.FindStringSubmatch(err.Error()); m != nil {
			e.Path = m[1]
			e.Err = fmt.Errorf("%w %q", ErrUnknownField, m[1])
			// encoding/json gives no offset here: point at the key's first use.
			if at := bytes.Index(data, []byte(`"`+m[1]+`"`)); at >= 0 {
				e.Line, e.Column = position(data, int64(at))
			}
		}
	}
	return e
}

// wanted names the JSON shape of a Go type in an error message.
func wanted(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int:
		return "a whole number"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}

// position returns the 1-based line and column of byte offset off in data.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}
