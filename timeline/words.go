package timeline

import "fmt"

// Words is a text for people in both languages. In JSON it is
// {"nl": "…", "en": "…"}, beside the code it puts in words.
type Words struct {
	Dutch   string `json:"nl"`
	English string `json:"en"`
}

// In returns the words in the language; Dutch for any language but
// English, for Dutch is what the exam office reads by default.
func (w Words) In(lang Language) string {
	if lang == English {
		return w.English
	}
	return w.Dutch
}

// String returns the Dutch words.
func (w Words) String() string { return w.Dutch }

// in is In, for the message writers.
func (w Words) in(lang Language) string { return w.In(lang) }

// Sprintf fills both texts with the same arguments, each from its own
// format: Sprintf("%s ontbreekt", "%s is missing", field).
func Sprintf(dutch, english string, args ...any) Words {
	return Words{Dutch: fmt.Sprintf(dutch, args...), English: fmt.Sprintf(english, args...)}
}

var roleWords = [...]Words{
	{"geen rol", "no role"}, {"examinator", "assessor"}, {"examenadministratie", "exam administration"},
	{"examencommissie", "exam committee"}, {"Commissie van Beroep voor de Examens", "appeals board"},
	{"student", "student"}, {"systeem", "system"},
}

// Words returns the role in words, such as "examencommissie" / "exam committee".
func (r Role) Words() Words {
	if int(r) < len(roleWords) {
		return roleWords[r]
	}
	return Words{r.String(), r.String()}
}

var taskWords = map[Task]Words{
	AssessResult:     {"beoordelen en aanleveren", "assess and deliver"},
	RegisterResult:   {"registreren na de importcontrole", "register after the import check"},
	DetermineResult:  {"vaststellen", "determine"},
	DecideComplaint:  {"klacht beslissen", "decide the complaint"},
	DecideAppeal:     {"beroep beslissen", "decide the appeal"},
	ResolveException: {"uitzondering afhandelen", "resolve the exception"},
}

// Words returns what the task asks, in words.
func (t Task) Words() Words {
	if w, ok := taskWords[t]; ok {
		return w
	}
	return Words{string(t), string(t)}
}

// Words returns what the message tells of, in words: its subject, such
// as "Resultaat definitief vastgesteld" / "Result determined".
func (k MessageKind) Words() Words {
	if s := spec(k); s != nil {
		return s.subject
	}
	return Words{string(k), string(k)}
}
