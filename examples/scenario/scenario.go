package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cli"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// A scenario is a case read from its file, every part checked, ready to
// run.
type scenario struct {
	cal      *calendar.Calendar
	policies *timeline.PolicySet
	dir      oke.Directory
	mandates *result.MandateSet
	settings timeline.Settings
	hold     bool // Config.HoldForCheck
	standing result.Actor
	steps    []step
}

// The kinds of step.
const (
	kindDeliver       = "deliver"
	kindSessionReport = "session_report"
	kindDailyRun      = "daily_run"
	kindAction        = "action"
)

// A step is one thing that happens at a moment.
type step struct {
	at   time.Time
	kind string // one of the kinds above

	delivery oke.Delivery // deliver

	offering string // session_report: the offering, and the flow-4 body
	report   []byte

	actor  result.Actor // action: who does what on which result
	result string
	cmd    result.Command
}

// defaultSettings are the settings of a scenario without "settings", and
// of each field it leaves out: an example institution.
var defaultSettings = settingsJSON{
	Institution:         "Examencommissie ROC Voorbeeld",
	KRS:                 "Eduarte",
	CommitteeAddress:    "examencommissie@roc-voorbeeld.nl",
	AppealsBoardAddress: "cbe@roc-voorbeeld.nl",
}

// settingsJSON is the "settings" object: timeline.Settings in snake_case.
type settingsJSON struct {
	Institution         string `json:"institution"`
	KRS                 string `json:"krs"`
	CommitteeAddress    string `json:"committee_address"`
	AppealsBoardAddress string `json:"appeals_board_address"`
}

// deliverJSON is a step's "deliver" object: the body as JSON, or as the
// text of a string, such as a body that is not JSON.
type deliverJSON struct {
	Method  string          `json:"method"`
	ID      string          `json:"id"`
	Body    json.RawMessage `json:"body"`
	RawBody *string         `json:"raw_body"`
}

// sessionReportJSON is a step's "session_report" object.
type sessionReportJSON struct {
	ID      string          `json:"id"`
	Body    json.RawMessage `json:"body"`
	RawBody *string         `json:"raw_body"`
}

// body returns the body a step's object gives, as "body" or "raw_body":
// exactly one of them.
func body(n *node, path string, b json.RawMessage, raw *string) ([]byte, error) {
	switch {
	case b != nil && raw != nil:
		return nil, faultAt(n, path, "give \"body\" or \"raw_body\", not both")
	case raw != nil:
		return []byte(*raw), nil
	case b == nil:
		return nil, faultAt(n, path, "\"body\" (or \"raw_body\") is required")
	}
	return b, nil
}

// The keys of the scenario object, and of a step.
var (
	topKeys = []string{"note", "calendar", "policies", "settings", "hold_for_check", "directory", "mandates",
		"standing", "actors", "steps"}
	stepKinds  = []string{kindDeliver, kindSessionReport, kindDailyRun, kindAction}
	actionKeys = []string{"actor", "result", "args"} // beside "action"
)

// parse reads a scenario from the text of its file. What is wrong is a
// *fault.
func parse(data []byte) (*scenario, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	if root.kind != '{' {
		return nil, faultAt(root, "", "want a scenario object, not %s", root.kindName())
	}
	for _, m := range root.members {
		if !slices.Contains(topKeys, m.name) {
			return nil, &fault{off: m.keyOff, path: m.name, problem: "unknown field; want " + strings.Join(topKeys, ", ")}
		}
	}
	for _, name := range []string{"directory", "mandates", "standing", "actors", "steps"} {
		if root.get(name) == nil {
			return nil, faultAt(root, "", "%q is required", name)
		}
	}
	s := &scenario{cal: calendar.Default(), policies: timeline.DefaultPolicies()}
	if m := root.get("note"); m != nil && m.val.kind != '"' {
		return nil, faultAt(m.val, "note", "want a string, not %s", m.val.kindName())
	}
	if err := s.parseSections(root); err != nil {
		return nil, err
	}
	actors, err := parseActors(root.get("actors").val)
	if err != nil {
		return nil, err
	}
	st := root.get("standing").val
	id, err := str(st, "standing")
	if err != nil {
		return nil, err
	}
	a, ok := actors[id]
	if !ok {
		return nil, faultAt(st, "standing", "unknown actor %q; the standing actor must be one of \"actors\"", id)
	}
	s.standing = a
	return s, s.parseSteps(root.get("steps").val, actors)
}

// parseSections reads the calendar, policies, settings, directory and
// mandates, each by the library's own reader.
func (s *scenario) parseSections(root *node) error {
	if m := root.get("calendar"); m != nil {
		n := m.val
		if n.kind != '{' {
			return faultAt(n, "calendar", "want a calendar object (see calendar.ParseConfig), not %s", n.kindName())
		}
		cfg, err := calendar.ParseConfig(n.raw())
		if err == nil {
			s.cal, err = calendar.New(cfg)
		}
		if err != nil {
			return libFault(n, "calendar", err)
		}
	}
	if m := root.get("policies"); m != nil {
		n := m.val
		if n.kind != '{' {
			return faultAt(n, "policies", "want a policy set object (see timeline.ParsePolicies), not %s", n.kindName())
		}
		p, err := timeline.ParsePolicies(n.raw())
		if err != nil {
			return libFault(n, "policies", err)
		}
		s.policies = p
	}
	if m := root.get("hold_for_check"); m != nil {
		if err := decodeStrict(m.val, "hold_for_check", &s.hold); err != nil {
			return err
		}
	}
	settings := defaultSettings
	if m := root.get("settings"); m != nil {
		if err := decodeStrict(m.val, "settings", &settings); err != nil {
			return err
		}
	}
	s.settings = timeline.Settings{Institution: settings.Institution, KRS: settings.KRS,
		CommitteeAddress: settings.CommitteeAddress, AppealsBoardAddress: settings.AppealsBoardAddress}
	if err := s.settings.Validate(); err != nil {
		return faultAt(root.get("settings").val, "settings", "%v", err)
	}

	n := root.get("directory").val
	if n.kind != '{' {
		return faultAt(n, "directory", "want a directory object (see oke.LoadDirectory), not %s", n.kindName())
	}
	dir, err := oke.LoadDirectory(bytes.NewReader(n.raw()))
	if err != nil {
		// The library's reader is the authority; a strict decode into its
		// types only finds where the problem is, when it can.
		var where struct {
			Components   []oke.Component   `json:"components"`
			Associations []oke.Association `json:"associations"`
		}
		if f := decodeStrict(n, "directory", &where); f != nil {
			return f
		}
		return libFault(n, "directory", err)
	}
	s.dir = dir

	n = root.get("mandates").val
	if n.kind != '[' {
		return faultAt(n, "mandates", "want a list of mandates (see result.LoadMandates), not %s", n.kindName())
	}
	ms, err := result.LoadMandates(bytes.NewReader(n.raw()))
	if err != nil {
		var where []result.Mandate
		if f := decodeStrict(n, "mandates", &where); f != nil {
			return f
		}
		return libFault(n, "mandates", err)
	}
	s.mandates = ms
	return nil
}

// libFault places an error of a library's reader of section n (named
// name): at the field it names, where it names one that is there, or at
// the line and column it gives, or else at the section. Every problem of
// a joined error is said, on one line.
func libFault(n *node, name string, err error) *fault {
	errs := leaves(err)
	f := &fault{off: n.off, path: name}
	msgs := make([]string, 0, len(errs))
	for i, e := range errs {
		msg, off := e.Error(), -1
		var field string
		if ce, ok := errors.AsType[*calendar.ConfigError](e); ok {
			field, msg = ce.Path, ce.Err.Error()
			if ce.Line > 0 { // counted in the section's text
				off = n.off + offsetOf(n.raw(), ce.Line, ce.Column)
			}
		} else if pe, ok := errors.AsType[*timeline.PolicyError](e); ok {
			field, msg = pe.Field, pe.Problem
			if pe.Policy != "" {
				msg = fmt.Sprintf("policy %q: %s", pe.Policy, msg)
			}
		}
		if field != "" {
			if off < 0 {
				off = n.find(field).off
			}
			if len(errs) == 1 {
				f.path = name + "." + field
			} else {
				msg = field + ": " + msg
			}
		}
		if i == 0 && off >= 0 {
			f.off = off
		}
		msgs = append(msgs, oneLine(msg))
	}
	f.problem = strings.Join(msgs, "; ")
	return f
}

// leaves returns the errors a joined error holds, or the error itself.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			if e != nil {
				out = append(out, leaves(e)...)
			}
		}
		return out
	}
	return []error{err}
}

// offsetOf returns the byte offset of a 1-based line and column in data.
func offsetOf(data []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	return min(off+col-1, len(data))
}

// oneLine puts a message that spans lines on one.
func oneLine(msg string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", "; ")), " ")
}

// parseActors reads the actors, by id.
func parseActors(n *node) (map[string]result.Actor, error) {
	var list []result.Actor
	if err := decodeStrict(n, "actors", &list); err != nil {
		return nil, err
	}
	out := map[string]result.Actor{}
	for i, a := range list {
		path := fmt.Sprintf("actors[%d]", i)
		switch {
		case a.ID == "":
			return nil, faultAt(n.elems[i], path+".id", "is required")
		case a.Role == timeline.NoRole:
			return nil, faultAt(n.elems[i], path+".role", "is required: one of %s", roleNames())
		}
		if _, dup := out[a.ID]; dup {
			return nil, faultAt(n.elems[i], path+".id", "the actor %q appears twice", a.ID)
		}
		out[a.ID] = a
	}
	return out, nil
}

// roleNames lists the roles an actor may have.
func roleNames() string {
	var names []string
	for r := timeline.NoRole + 1; ; r++ {
		if strings.HasPrefix(r.String(), "Role(") {
			break
		}
		names = append(names, r.String())
	}
	return strings.Join(names, ", ")
}

// parseSteps reads the steps, in the order of their moments.
func (s *scenario) parseSteps(n *node, actors map[string]result.Actor) error {
	if n.kind != '[' {
		return faultAt(n, "steps", "want a list of steps, not %s", n.kindName())
	}
	for i, sn := range n.elems {
		st, err := parseStep(sn, fmt.Sprintf("steps[%d]", i), actors)
		if err != nil {
			return err
		}
		if i > 0 && st.at.Before(s.steps[i-1].at) {
			return faultAt(sn.get("at").val, fmt.Sprintf("steps[%d].at", i),
				"%s is before the moment of steps[%d]: the steps go in the order they happen",
				st.at.Format(time.RFC3339), i-1)
		}
		s.steps = append(s.steps, st)
	}
	return nil
}

// parseStep reads one step, whose path is path.
func parseStep(n *node, path string, actors map[string]result.Actor) (step, error) {
	var st step
	if n.kind != '{' {
		return st, faultAt(n, path, "want a step object, not %s", n.kindName())
	}
	for _, m := range n.members {
		switch {
		case m.name == "at" || m.name == "note" || slices.Contains(stepKinds, m.name):
			if st.kind != "" && slices.Contains(stepKinds, m.name) {
				return st, &fault{off: m.keyOff, path: path + "." + m.name,
					problem: fmt.Sprintf("a step does one thing: %s, or %s, not both", st.kind, m.name)}
			}
			if slices.Contains(stepKinds, m.name) {
				st.kind = m.name
			}
		case slices.Contains(actionKeys, m.name):
		default:
			return st, &fault{off: m.keyOff, path: path + "." + m.name,
				problem: "unknown field; want at, note, and one of deliver, session_report, daily_run or action (with actor, result and args)"}
		}
	}
	if st.kind == "" {
		return st, faultAt(n, path, "want one of deliver, session_report, daily_run or action")
	}
	if st.kind != kindAction {
		for _, k := range actionKeys {
			if m := n.get(k); m != nil {
				return st, &fault{off: m.keyOff, path: path + "." + k,
					problem: fmt.Sprintf("belongs to an action step, not to a %s step", st.kind)}
			}
		}
	}
	if m := n.get("note"); m != nil && m.val.kind != '"' {
		return st, faultAt(m.val, path+".note", "want a string, not %s", m.val.kindName())
	}
	am := n.get("at")
	if am == nil {
		return st, faultAt(n, path, "\"at\" is required: the moment of the step, RFC 3339")
	}
	text, err := str(am.val, path+".at")
	if err != nil {
		return st, err
	}
	if st.at, err = time.Parse(time.RFC3339, text); err != nil {
		if len(text) > 10 {
			if _, err := cli.ParseDate(text[:10]); err != nil {
				if de, ok := errors.AsType[*cli.DateError](err); ok && de.NoDay {
					return st, faultAt(am.val, path+".at", "%q: %s", text, de.Problem)
				}
			}
		}
		return st, faultAt(am.val, path+".at", "%q: want an RFC 3339 date-time such as 2027-02-05T09:00:00+01:00", text)
	}

	v := n.get(st.kind).val
	vpath := path + "." + st.kind
	switch st.kind {
	case kindDeliver:
		var d deliverJSON
		if err := decodeStrict(v, vpath, &d); err != nil {
			return st, err
		}
		if err := required(v, vpath, []string{"method", "id"}, d.Method != "", d.ID != ""); err != nil {
			return st, err
		}
		b, err := body(v, vpath, d.Body, d.RawBody)
		if err != nil {
			return st, err
		}
		st.delivery = oke.Delivery{Method: oke.Method(d.Method), AssociationID: d.ID, Body: b}
	case kindSessionReport:
		var r sessionReportJSON
		if err := decodeStrict(v, vpath, &r); err != nil {
			return st, err
		}
		if err := required(v, vpath, []string{"id"}, r.ID != ""); err != nil {
			return st, err
		}
		b, err := body(v, vpath, r.Body, r.RawBody)
		if err != nil {
			return st, err
		}
		st.offering, st.report = r.ID, b
	case kindDailyRun:
		if v.kind != 't' || v.value != true {
			return st, faultAt(v, vpath, "want true, not %s", strings.TrimSpace(string(v.raw())))
		}
	case kindAction:
		return parseAction(n, path, st, actors)
	}
	return st, nil
}

// parseAction reads the action, actor, result and args of an action step.
func parseAction(n *node, path string, st step, actors map[string]result.Actor) (step, error) {
	for _, k := range actionKeys[:2] {
		if n.get(k) == nil {
			return st, faultAt(n, path, "%q is required in an action step", k)
		}
	}
	an := n.get("action").val
	name, err := str(an, path+".action")
	if err != nil {
		return st, err
	}
	var action result.Action
	if err := action.UnmarshalText([]byte(name)); err != nil {
		names := make([]string, 0)
		for _, a := range result.Actions() {
			names = append(names, a.String())
		}
		return st, faultAt(an, path+".action", "unknown action %q; want one of %s", name, strings.Join(names, ", "))
	}
	who := n.get("actor").val
	id, err := str(who, path+".actor")
	if err != nil {
		return st, err
	}
	actor, ok := actors[id]
	if !ok {
		return st, faultAt(who, path+".actor", "unknown actor %q; want one of \"actors\"", id)
	}
	rn := n.get("result").val
	if st.result, err = str(rn, path+".result"); err != nil {
		return st, err
	}
	if st.result == "" {
		return st, faultAt(rn, path+".result", "is empty: want the id of a result")
	}
	if m := n.get("args"); m != nil {
		if m.val.kind != '{' {
			return st, faultAt(m.val, path+".args", "want an object of the command's fields, not %s", m.val.kindName())
		}
		if a := m.val.get("action"); a != nil {
			return st, &fault{off: a.keyOff, path: path + ".args.action",
				problem: "the action is the step's \"action\", not an argument"}
		}
		if err := decodeStrict(m.val, path+".args", &st.cmd); err != nil {
			if f, ok := errors.AsType[*fault](err); ok && strings.HasPrefix(f.problem, "unknown field") &&
				strings.Count(f.path, ".") == strings.Count(path, ".")+2 {
				f.problem = "unknown field; want " + argNames()
			}
			return st, err
		}
	}
	st.cmd.Action, st.actor = action, actor
	return st, nil
}

// argNames lists the fields of a command an action step's args may set:
// all but its action.
func argNames() string {
	var names []string
	for _, name := range strings.Split(fieldNames(reflect.TypeFor[result.Command]()), ", ") {
		if name != "action" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// str reads a string value.
func str(n *node, path string) (string, error) {
	s, ok := n.value.(string)
	if !ok || n.kind != '"' {
		return "", faultAt(n, path, "want a string, not %s", n.kindName())
	}
	return s, nil
}

// required checks that the fields of object n are given: each name in
// names that given does not hold.
func required(n *node, path string, names []string, given ...bool) error {
	for i, ok := range given {
		if !ok {
			return faultAt(n, path, "%q is required", names[i])
		}
	}
	return nil
}
