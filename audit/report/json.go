package report

import (
	"encoding/json"
	"fmt"

	"github.com/krs-oke/vaststelling/timeline"
)

// The JSON of the reports: every code with its words beside it (see
// Words), added when a value is encoded, so that the words always say
// what the code says; and every list a list, [] when empty. Decoding
// reads the codes and passes the words by.

// marshal encodes v as JSON indented by two spaces, ending in a newline.
func marshal(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: encoding JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// list returns s, or an empty list for nil: a list encodes as [], never null.
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// A wordsPair writes words in both languages.
type wordsPair struct{ nl, en *lang }

func newWordsPair() wordsPair {
	nl, _ := newLang(timeline.Dutch)
	en, _ := newLang(timeline.English)
	return wordsPair{nl, en}
}

// of returns what f writes in each language.
func (p wordsPair) of(f func(*lang) string) Words { return Words{Dutch: f(p.nl), English: f(p.en)} }

// MarshalJSON encodes the actor with role_words.
func (w Who) MarshalJSON() ([]byte, error) {
	type plain Who
	return json.Marshal(struct {
		plain
		RoleWords Words `json:"role_words"`
	}{plain(w), lookup(roleWords, w.Role)})
}

// MarshalJSON encodes the report with its lists as lists.
func (r AccountabilityReport) MarshalJSON() ([]byte, error) {
	type plain AccountabilityReport
	r.Results, r.Unplaced = list(r.Results), list(r.Unplaced)
	r.RejectedDeliveries, r.Untraceable = list(r.RejectedDeliveries), list(r.Untraceable)
	return json.Marshal(plain(r))
}

// MarshalJSON encodes the totals with their lists as lists.
func (t SessionTotals) MarshalJSON() ([]byte, error) {
	type plain SessionTotals
	t.ExceptionsByKind, t.DeterminedBy = list(t.ExceptionsByKind), list(t.DeterminedBy)
	return json.Marshal(plain(t))
}

// MarshalJSON encodes the result with state_words and ended_words.
func (item SessionResult) MarshalJSON() ([]byte, error) {
	type plain SessionResult
	item.Steps, item.Deliveries, item.Exceptions = list(item.Steps), list(item.Deliveries), list(item.Exceptions)
	item.Inspections, item.Complaints, item.Appeals = list(item.Inspections), list(item.Complaints), list(item.Appeals)
	ended := Words{}
	if item.Ended != "" {
		ended = lookup(stateWords, item.Ended)
	}
	return json.Marshal(struct {
		plain
		StateWords Words `json:"state_words"`
		EndedWords Words `json:"ended_words"`
	}{plain(item), lookup(stateWords, item.State), ended})
}

// MarshalJSON encodes the step with event_words.
func (s Step) MarshalJSON() ([]byte, error) {
	type plain Step
	return json.Marshal(struct {
		plain
		EventWords Words `json:"event_words"`
	}{plain(s), lookup(eventWords, s.Event)})
}

// MarshalJSON encodes the delivery with type_words and source_words.
func (d Delivery) MarshalJSON() ([]byte, error) {
	type plain Delivery
	return json.Marshal(struct {
		plain
		TypeWords   Words `json:"type_words"`
		SourceWords Words `json:"source_words"`
	}{plain(d), lookup(eventWords, d.Type), lookup(sourceWords, d.Source)})
}

// MarshalJSON encodes the exception with kind_words and outcome_words.
func (x ExceptionLine) MarshalJSON() ([]byte, error) {
	type plain ExceptionLine
	outcome := wordsOpen
	if x.Outcome != "" {
		outcome = lookup(outcomeWords, x.Outcome)
	}
	return json.Marshal(struct {
		plain
		KindWords    Words `json:"kind_words"`
		OutcomeWords Words `json:"outcome_words"`
	}{plain(x), kindOf(x.Kind), outcome})
}

// MarshalJSON encodes the complaint or appeal with outcome_words.
func (d Decision) MarshalJSON() ([]byte, error) {
	type plain Decision
	return json.Marshal(struct {
		plain
		OutcomeWords Words `json:"outcome_words"`
	}{plain(d), decisionOutcome(d)})
}

// decisionOutcome returns the words of a decision's outcome: open while
// undecided, erased when decided and its outcome was erased.
func decisionOutcome(d Decision) Words {
	switch {
	case d.Open():
		return wordsOpen
	case d.Outcome == "":
		return wordsDecided
	}
	return lookup(outcomeWords, d.Outcome)
}

// MarshalJSON encodes the determination with pending_words.
func (d Determination) MarshalJSON() ([]byte, error) {
	type plain Determination
	d.Pending = list(d.Pending)
	words := make([]Words, len(d.Pending))
	for i, p := range d.Pending {
		words[i] = pendingOf(p)
	}
	return json.Marshal(struct {
		plain
		PendingWords []Words `json:"pending_words"`
	}{plain(d), words})
}

// MarshalJSON encodes the count with kind_words.
func (k KindCount) MarshalJSON() ([]byte, error) {
	type plain KindCount
	return json.Marshal(struct {
		plain
		KindWords Words `json:"kind_words"`
	}{plain(k), kindOf(k.Kind)})
}

// MarshalJSON encodes the delivery with its reasons as a list.
func (d RejectedDelivery) MarshalJSON() ([]byte, error) {
	type plain RejectedDelivery
	d.Reasons = list(d.Reasons)
	return json.Marshal(plain(d))
}

// MarshalJSON encodes the reason with code_words.
func (r RejectionReason) MarshalJSON() ([]byte, error) {
	type plain RejectionReason
	return json.Marshal(struct {
		plain
		CodeWords Words `json:"code_words"`
	}{plain(r), lookup(reasonWords, r.Code)})
}

// MarshalJSON encodes the report with its lists as lists.
func (r TimelinessReport) MarshalJSON() ([]byte, error) {
	type plain TimelinessReport
	r.Results, r.Months, r.Erased = list(r.Results), list(r.Months), list(r.Erased)
	return json.Marshal(plain(r))
}

// MarshalJSON encodes the line with the words of its state, statuses and
// rule: state_words, assessed_words, checked_words, determination_words
// and binding_words.
func (l ResultTimeliness) MarshalJSON() ([]byte, error) {
	type plain ResultTimeliness
	l.Complaints, l.Appeals = list(l.Complaints), list(l.Appeals)
	return json.Marshal(struct {
		plain
		StateWords         Words `json:"state_words"`
		AssessedWords      Words `json:"assessed_words"`
		CheckedWords       Words `json:"checked_words"`
		DeterminationWords Words `json:"determination_words"`
		BindingWords       Words `json:"binding_words"`
	}{plain(l), lookup(stateWords, l.State), lookup(statusWords, string(l.Assessed)),
		lookup(statusWords, string(l.Checked)), lookup(statusWords, string(l.Determination)),
		lookup(ruleWords, l.Binding)})
}

// MarshalJSON encodes the complaint or appeal with status_words.
func (h Handling) MarshalJSON() ([]byte, error) {
	type plain Handling
	return json.Marshal(struct {
		plain
		StatusWords Words `json:"status_words"`
	}{plain(h), lookup(statusWords, string(h.Status))})
}

// MarshalJSON encodes the report with its lists as lists.
func (r EvaluationReport) MarshalJSON() ([]byte, error) {
	type plain EvaluationReport
	r.ByProgramme, r.ByComponent, r.ByMonth, r.Erased = list(r.ByProgramme), list(r.ByComponent), list(r.ByMonth),
		list(r.Erased)
	return json.Marshal(plain(r))
}
