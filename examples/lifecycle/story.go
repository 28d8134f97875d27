package main

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// A story tells the term in one language: its sentences come from the
// language's table (words_nl.go, words_en.go), its plurals from CLDR's
// rules through golang.org/x/text, and the words for the procedure's
// codes (states, roles, tasks, checks, kinds of exception) from the
// library where it has them. Counts are written %#d, in plain digits, as
// the checkpoint, the trail's verdict and the reports write them: the
// printer would group them ("2.007").
type story struct {
	lang  timeline.Language
	p     *message.Printer
	table map[string]entry
}

// An entry is one sentence of a table, as the catalog takes it: the text,
// or variables and then the text (see count, noun and with).
type entry []catalog.Message

// text is a sentence without a count.
func text(s string) entry { return entry{catalog.String(s)} }

// count is a sentence in two forms, chosen by the count in argument arg
// (1-based): one for one, other for any other number, as the language's
// plural rules say.
func count(arg int, one, other string) entry {
	return entry{plural.Selectf(arg, "%d", plural.One, one, plural.Other, other)}
}

// noun is a variable ${name} of a sentence given with with: a word in
// two forms, chosen by the count in argument arg.
func noun(name string, arg int, one, other string) catalog.Message {
	return catalog.Var(name, plural.Selectf(arg, "%d", plural.One, one, plural.Other, other))
}

// with is a sentence with variables, for a sentence with more than one
// count.
func with(s string, vars ...catalog.Message) entry { return append(entry(vars), catalog.String(s)) }

// languages are the languages the story is told in, with their tables.
var languages = map[timeline.Language]struct {
	tag   language.Tag
	table map[string]entry
}{
	timeline.Dutch:   {language.Dutch, dutch},
	timeline.English: {language.English, english},
}

// storyCatalog holds every table, built once.
var storyCatalog = sync.OnceValues(func() (catalog.Catalog, error) {
	b := catalog.NewBuilder(catalog.Fallback(language.Dutch))
	for _, l := range languages {
		for key, e := range l.table {
			if err := b.Set(l.tag, key, e...); err != nil {
				return nil, fmt.Errorf("lifecycle: the words %q in %s: %w", key, l.tag, err)
			}
		}
	}
	return b, nil
})

// newStory returns the story in lang, timeline.Dutch or timeline.English.
func newStory(lang timeline.Language) (*story, error) {
	l, ok := languages[lang]
	if !ok {
		return nil, fmt.Errorf("unknown language %q; want nl or en", lang)
	}
	cat, err := storyCatalog()
	if err != nil {
		return nil, err
	}
	return &story{lang: lang, p: message.NewPrinter(l.tag, message.Catalog(cat)), table: l.table}, nil
}

// f writes the sentence key of the table with the arguments. A key the
// table lacks is a mistake in this program, which the tests catch.
func (s *story) f(key string, a ...any) string {
	if _, ok := s.table[key]; !ok {
		panic(fmt.Sprintf("lifecycle: no words for %q in %s", key, s.lang))
	}
	return s.p.Sprintf(key, a...)
}

// has reports whether the table has words for key.
func (s *story) has(key string) bool {
	_, ok := s.table[key]
	return ok
}

// w writes the library's words in the story's language.
func (s *story) w(w timeline.Words) string { return w.In(s.lang) }

// state, role, task, check and kind say the library's codes in words.
func (s *story) state(st result.State) string       { return s.w(st.Words()) }
func (s *story) role(r timeline.Role) string        { return s.w(r.Words()) }
func (s *story) task(t timeline.Task) string        { return s.w(t.Words()) }
func (s *story) check(c result.Check) string        { return s.w(c.Words()) }
func (s *story) kind(k result.ExceptionKind) string { return s.w(k.Words()) }

// notice names a kind of student message, as in "provisional result
// 301": from the table, which has every kind the library knows; a kind
// it does not know yet by its code.
func (s *story) notice(k timeline.MessageKind) string {
	if key := "kind." + string(k); s.has(key) {
		return s.f(key)
	}
	return string(k)
}

// outcome names what became of a delivery: "duplicate", "rejected".
func (s *story) outcome(o oke.Outcome) string {
	if key := "outcome." + string(o); s.has(key) {
		return s.f(key)
	}
	return string(o)
}

// outcomes says how many deliveries had each outcome: "299 duplicates,
// 1 with an exception, 4 rejected".
func (s *story) outcomes(n map[oke.Outcome]int) string {
	var parts []string
	for _, o := range []oke.Outcome{oke.Duplicate, oke.Accepted, oke.Merged, oke.Exception, oke.Rejected} {
		if n[o] > 0 {
			parts = append(parts, s.f("outcomes."+string(o), n[o]))
		}
	}
	if len(parts) == 0 {
		return s.f("none")
	}
	return strings.Join(parts, ", ")
}

// reason says why OKE's message was refused, or what exception it
// raised: the field, the kind of problem in words, and the library's
// message to the sender, which is in English.
func (s *story) reason(r oke.Reason) string {
	what := strings.ReplaceAll(string(r.Code), "_", " ")
	if key := "code." + string(r.Code); s.has(key) {
		what = s.f(key)
	} else if k := result.ExceptionKind(r.Code); k.Known() {
		what = s.kind(k)
	}
	if r.Field == "" {
		return s.f("reason", what, r.Message)
	}
	return s.f("reason.field", r.Field, what, r.Message)
}

// dayOff says why the calendar has no working day on d, and on the days
// after it up to the next working day: the names of the holidays and
// closures with what they are, or the weekday of a free weekday, each
// once: "Voorjaarsvakantie (sluiting van de instelling)", "zaterdag".
func (s *story) dayOff(cal *calendar.Calendar, d calendar.Date) string {
	var days []calendar.Skip
	if rs, err := cal.Closed(d); err == nil {
		days = append(days, calendar.Skip{Date: d, Reasons: rs})
	}
	if e, err := cal.Explain(d, 1); err == nil {
		days = append(days, e.Skipped...)
	}
	var names []string
	for _, day := range days {
		if len(day.Reasons) == 0 {
			names = append(names, s.f("weekday."+day.Date.Weekday().String()))
		}
		for _, r := range day.Reasons {
			names = append(names, s.f("closed", r.Name, s.closedKind(r.Kind)))
		}
	}
	return strings.Join(slices.Compact(names), ", ")
}

// closedKind says what closes a day: a holiday, a decree day, a closure.
func (s *story) closedKind(k calendar.Kind) string {
	if key := "closedkind." + k.String(); s.has(key) {
		return s.f(key)
	}
	return k.String()
}

// skipped says which days a count passed over, grouped by name with the
// first and last of them: "Voorjaarsvakantie (2027-02-22 – 2027-02-26)".
func (s *story) skipped(skips []calendar.Skip) string {
	type span struct{ from, to calendar.Date }
	spans := map[string]*span{}
	var order []string
	for _, sk := range skips {
		for _, r := range sk.Reasons {
			sp, ok := spans[r.Name]
			if !ok {
				sp = &span{sk.Date, sk.Date}
				spans[r.Name] = sp
				order = append(order, r.Name)
			}
			if sk.Date.Before(sp.from) {
				sp.from = sk.Date
			}
			if sk.Date.After(sp.to) {
				sp.to = sk.Date
			}
		}
	}
	parts := make([]string, len(order))
	for i, name := range order {
		sp := spans[name]
		if sp.from == sp.to {
			parts[i] = s.f("skipped.day", name, sp.from.String())
		} else {
			parts[i] = s.f("skipped.days", name, sp.from.String(), sp.to.String())
		}
	}
	return strings.Join(parts, ", ")
}
