package report

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/timeline"
)

// A lang writes a report's words, numbers and dates in one language.
// Dates are written as the exam committee writes them, with the weekday
// that working days are counted by: "ma 1 mrt 2027", "Mon 1 Mar 2027";
// moments with the time of day, "ma 1 mrt 2027 18:00", in the zone of
// the time (a report puts every time in its own zone); months as "maart
// 2027"; percentages with the language's decimal sign, "66,7%" and
// "66.7%". Counts are written in digits without grouping, as in the
// JSON, and with the noun in its plural form where it needs one (see
// count).
type lang struct {
	tag timeline.Language // timeline.Dutch or timeline.English
	p   *message.Printer
}

// newLang returns the writer of the language; the zero Language is Dutch.
func newLang(l timeline.Language) (*lang, error) {
	l, err := checkLanguage(l)
	if err != nil {
		return nil, err
	}
	tag := language.Dutch
	if l == timeline.English {
		tag = language.English
	}
	return &lang{tag: l, p: message.NewPrinter(tag, message.Catalog(nouns()))}, nil
}

// en reports whether the language is English.
func (l *lang) en() bool { return l.tag == timeline.English }

// s returns the Dutch or the English text.
func (l *lang) s(nl, en string) string {
	if l.en() {
		return en
	}
	return nl
}

// w returns words in the language.
func (l *lang) w(w Words) string { return w.In(l.tag) }

// A noun names a thing counted, a key of the catalog of nouns.
type noun string

// The nouns a report counts, with their singular and plural forms.
var nounForms = []struct {
	key              noun
	nl1, nl, en1, en string
}{
	{"result", "resultaat", "resultaten", "result", "results"},
	{"new_decision", "nieuwe beslissing", "nieuwe beslissingen", "new decision", "new decisions"},
	{"rejected_delivery", "afgewezen aanlevering", "afgewezen aanleveringen", "rejected delivery", "rejected deliveries"},
	{"delivery", "aanlevering", "aanleveringen", "delivery", "deliveries"},
	{"exception", "uitzondering", "uitzonderingen", "exception", "exceptions"},
	{"irregularity", "onregelmatigheid", "onregelmatigheden", "irregularity", "irregularities"},
	{"working_day", "werkdag", "werkdagen", "working day", "working days"},
}

// nouns returns the catalog of the nouns' plural forms in Dutch and
// English (CLDR's rules, through golang.org/x/text), built once; it is
// never changed after.
var nouns = sync.OnceValue(func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.Dutch))
	for _, f := range nounForms {
		// The count is argument 1, for the choice of form, and written
		// from argument 2, its digits: the printer would group them
		// ("1.000"), and a report writes counts as its JSON does.
		for _, c := range []struct {
			tag       language.Tag
			one, more string
		}{{language.Dutch, f.nl1, f.nl}, {language.English, f.en1, f.en}} {
			err := b.Set(c.tag, string(f.key), plural.Selectf(1, "%d",
				plural.One, "%[2]s "+c.one, plural.Other, "%[2]s "+c.more))
			if err != nil {
				panic("report: the catalog of nouns does not build: " + err.Error()) // unreachable: fixed input
			}
		}
	}
	return b
})

// count writes n of the noun: "1 resultaat", "2 resultaten".
func (l *lang) count(n int, what noun) string { return l.p.Sprintf(string(what), n, strconv.Itoa(n)) }

var (
	dutchWeekdays   = [...]string{"zo", "ma", "di", "wo", "do", "vr", "za"}
	dutchMonths     = [...]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
	dutchMonthsLong = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
		"september", "oktober", "november", "december"}
)

// date writes a civil date: "ma 1 mrt 2027", "Mon 1 Mar 2027"; "" for the
// zero date.
func (l *lang) date(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	wd, m := d.Weekday(), d.Month
	day := strconv.Itoa(d.Day) + " "
	if l.en() {
		return wd.String()[:3] + " " + day + m.String()[:3] + " " + strconv.Itoa(d.Year)
	}
	return dutchWeekdays[wd] + " " + day + dutchMonths[m-1] + " " + strconv.Itoa(d.Year)
}

// moment writes an instant in its own zone: "ma 1 mrt 2027 18:00"; ""
// for the zero time.
func (l *lang) moment(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return l.date(calendar.DateOf(t)) + " " + t.Format("15:04")
}

// month writes a month "2027-03" as "maart 2027", "March 2027"; short,
// as "mrt 2027", "Mar 2027". Another key is written as it is.
func (l *lang) month(key string, short bool) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return key
	}
	name := t.Month().String()
	switch {
	case l.en() && short:
		name = name[:3]
	case short:
		name = dutchMonths[t.Month()-1]
	case !l.en():
		name = dutchMonthsLong[t.Month()-1]
	}
	return name + " " + strconv.Itoa(t.Year())
}

// decimal writes a decimal number given as in the JSON, "66.7", with the
// language's decimal sign.
func (l *lang) decimal(s string) string {
	if l.en() {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// pct writes a percentage given as in the JSON, "66.7", as "66,7%"; "" for none.
func (l *lang) pct(p string) string {
	if p == "" {
		return ""
	}
	return l.decimal(p) + "%"
}

// yesNo writes a yes or a no.
func (l *lang) yesNo(b bool) string {
	if b {
		return l.s("ja", "yes")
	}
	return l.s("nee", "no")
}

// grade writes a grade as reports keep it (Grade.String: "6.4",
// "passed") as the student reads it (result.GradeWords): "6,4" and
// "behaald" in Dutch.
func (l *lang) grade(s string) string {
	if s == "" || l.en() {
		return s
	}
	for _, sc := range []result.Scale{result.Decimal0To10, result.PassFail, result.InsufficientSatisfactoryGood} {
		if g, err := result.ParseGrade(sc, s); err == nil && g.String() == s {
			if w := result.GradeWords(g, result.Present).Dutch; w != "" {
				return w
			}
		}
	}
	return s
}

// who writes an actor: "adm-1 (examenadministratie)", the role alone when
// the id was erased.
func (l *lang) who(w Who) string {
	role := l.w(lookup(roleWords, w.Role))
	switch {
	case w.IsZero():
		return ""
	case w.ID == "":
		return "(" + role + ")"
	case w.Role == "":
		return w.ID
	}
	return w.ID + " (" + role + ")"
}

// zone names a report's time zone for people: "Europe/Amsterdam".
func zoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}
