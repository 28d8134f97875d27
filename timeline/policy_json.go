package timeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/krs-oke/vaststelling/calendar"
)

// MaxPolicySize bounds the JSON text that LoadPolicies reads.
const MaxPolicySize = 1 << 20

// policyJSON is the JSON format of a Policy; see ParsePolicies.
type policyJSON struct {
	Name                  string        `json:"name,omitempty"`
	ValidFrom             calendar.Date `json:"valid_from,omitzero"`
	ValidUntil            calendar.Date `json:"valid_until,omitzero"`
	AssessmentTerm        int           `json:"assessment_term"`
	InspectionTerm        int           `json:"inspection_term"`
	DeterminationTerm     int           `json:"determination_term"`
	ProvisionalTerm       int           `json:"provisional_term"`
	ProvisionalTail       *int          `json:"provisional_tail"`
	TailUnit              Unit          `json:"tail_unit"`
	AppealTerm            int           `json:"appeal_term"`
	AppealDecisionWeeks   int           `json:"appeal_decision_weeks"`
	AppealExtensionWeeks  int           `json:"appeal_extension_weeks"`
	ComplaintHandlingTerm int           `json:"complaint_handling_term"`
	EarlyDetermination    *bool         `json:"early_determination"`
}

type setJSON struct {
	Versions []policyJSON `json:"versions"`
}

// LoadPolicyFile reads the JSON policy set in the named file.
func LoadPolicyFile(name string) (*PolicySet, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	defer f.Close()
	s, err := LoadPolicies(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// LoadPolicies reads a JSON policy set from r.
func LoadPolicies(r io.Reader) (*PolicySet, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPolicySize+1))
	if err != nil {
		return nil, fmt.Errorf("timeline: reading policies: %w", err)
	}
	return ParsePolicies(data)
}

// ParsePolicies decodes a JSON policy set and validates it as NewPolicySet
// does. The format, with the default policy as its one version:
//
//	{"versions": [{
//	  "name": "Voorbeeldprocedure",
//	  "valid_from": "2026-08-01",
//	  "valid_until": "2027-07-31",
//	  "assessment_term": 15,
//	  "inspection_term": 10,
//	  "determination_term": 30,
//	  "provisional_term": 10,
//	  "provisional_tail": 5,
//	  "tail_unit": "working_days",
//	  "appeal_term": 10,
//	  "appeal_decision_weeks": 4,
//	  "appeal_extension_weeks": 2,
//	  "complaint_handling_term": 10,
//	  "early_determination": true
//	}]}
//
// Every term must be given, provisional_tail and early_determination
// included, so that a forgotten line never silently changes the procedure.
// Optional are valid_from and valid_until (YYYY-MM-DD), tail_unit
// ("working_days", the default, or "calendar_days") and
// appeal_extension_weeks (default 0). Terms in days count working days;
// appeal_decision_weeks (at least 1) and appeal_extension_weeks (at most
// 2, the law's maximum) count whole weeks after the appeal window, ending
// as the Algemene termijnenwet says (see Policy). Unknown fields,
// malformed JSON and data after the set are errors matching
// ErrInvalidPolicy, with the line and column where encoding/json tells them.
func ParsePolicies(data []byte) (*PolicySet, error) {
	if len(data) > MaxPolicySize {
		return nil, &PolicyError{Problem: fmt.Sprintf("larger than %d bytes", MaxPolicySize)}
	}
	var j setJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, &PolicyError{Field: jsonField(err), Problem: jsonProblem(data, err)}
	}
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, &PolicyError{Problem: "data after the policy set " + position(data, int64(len(data)-len(rest)))}
	}
	var errs []error
	versions := make([]Policy, len(j.Versions))
	for i, v := range j.Versions {
		versions[i] = v.policy()
		if v.ProvisionalTail == nil {
			errs = append(errs, &PolicyError{Policy: v.Name, Field: fmt.Sprintf("versions[%d].provisional_tail", i),
				Problem: "is required"})
		}
		if v.EarlyDetermination == nil {
			errs = append(errs, &PolicyError{Policy: v.Name, Field: fmt.Sprintf("versions[%d].early_determination", i),
				Problem: "is required"})
		}
	}
	set, err := NewPolicySet(versions...)
	if err != nil || len(errs) > 0 {
		return nil, errors.Join(append(errs, err)...)
	}
	return set, nil
}

// MarshalJSON encodes the set in the format ParsePolicies reads.
func (s *PolicySet) MarshalJSON() ([]byte, error) {
	j := setJSON{Versions: []policyJSON{}}
	for _, p := range s.Versions() {
		j.Versions = append(j.Versions, policyJSON{
			Name: p.Name, ValidFrom: p.ValidFrom, ValidUntil: p.ValidUntil,
			AssessmentTerm: p.AssessmentTerm, InspectionTerm: p.InspectionTerm,
			DeterminationTerm: p.DeterminationTerm, ProvisionalTerm: p.ProvisionalTerm,
			ProvisionalTail: &p.ProvisionalTail, TailUnit: p.TailUnit, AppealTerm: p.AppealTerm,
			AppealDecisionWeeks: p.AppealDecisionWeeks, AppealExtensionWeeks: p.AppealExtensionWeeks,
			ComplaintHandlingTerm: p.ComplaintHandlingTerm, EarlyDetermination: &p.EarlyDetermination,
		})
	}
	return json.MarshalIndent(j, "", "  ")
}

func (v policyJSON) policy() Policy {
	p := Policy{
		Name: v.Name, ValidFrom: v.ValidFrom, ValidUntil: v.ValidUntil,
		AssessmentTerm: v.AssessmentTerm, InspectionTerm: v.InspectionTerm,
		DeterminationTerm: v.DeterminationTerm, ProvisionalTerm: v.ProvisionalTerm,
		TailUnit: v.TailUnit, AppealTerm: v.AppealTerm,
		AppealDecisionWeeks: v.AppealDecisionWeeks, AppealExtensionWeeks: v.AppealExtensionWeeks,
		ComplaintHandlingTerm: v.ComplaintHandlingTerm,
	}
	if v.ProvisionalTail != nil {
		p.ProvisionalTail = *v.ProvisionalTail
	}
	if v.EarlyDetermination != nil {
		p.EarlyDetermination = *v.EarlyDetermination
	}
	return p
}

func jsonField(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return typ.Field
	}
	return ""
}

func jsonProblem(data []byte, err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return "malformed JSON " + position(data, syntax.Offset-1) + ": " + syntax.Error()
	case errors.As(err, &typ):
		return fmt.Sprintf("a JSON %s where %s is wanted %s", typ.Value, typ.Type, position(data, typ.Offset-1))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the policy set ends too early " + position(data, int64(len(data)))
	}
	return err.Error()
}

// position describes byte offset off in data as "at line L, column C".
func position(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("at line %d, column %d", line, col)
}
