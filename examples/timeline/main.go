// Timeline places one result on its timeline under the policy and prints
// its dates, the rule that binds its determination date and its conflicts
// with the policy as JSON, for use in scripts; or the message that tells
// the student of the provisional result.
//
// Usage:
//
//	timeline -exam YYYY-MM-DD -registered YYYY-MM-DD [-delivered YYYY-MM-DD]
//	         [-determined YYYY-MM-DD [-early]] [-invalidated YYYY-MM-DD]
//	         [-appeal YYYY-MM-DD [-extended] [-appeal-decided YYYY-MM-DD]]
//	         [-config FILE] [-policy FILE]
//	         [-message nl|en [-institution TEXT] [-krs TEXT] [-committee ADDRESS] [-appeals-board ADDRESS]]
//
// The output is one JSON object, indented and followed by a newline, with
// these keys:
//
//   - assessment_due: the last day of the assessment term;
//   - inspection_ends: the last day of the window for inspection and complaint;
//   - determination_due: the determination date;
//   - binding_rule: the rule that set it: "after_exam" (exam rule; it wins
//     a tie), "after_registration" (registration rule) or "early" (an early
//     determination by the exam committee);
//   - appeal_ends: the last day of the appeal window, counted from the
//     decision appealed (the determination, or the invalidation when it is
//     the later of the two), or null while neither is given;
//   - appeal_decision_due: the last day of the appeals board's term, four
//     weeks after the appeal window ends (six with -extended, under the
//     example procedure), moved past a Saturday, Sunday, public holiday or
//     decree day as the Algemene termijnenwet moves a statutory term, but
//     never past the institution's closures; present only when -appeal is
//     given;
//   - conflicts: where the facts disagree with the policy, a list of
//     objects with a "code" and a readable "message" in English; [] when
//     there are none. The codes: "registered_late" (the assessor's result
//     came after the assessment term: delivered after it, or registered
//     after it when -delivered is not given), "checked_late" (delivered in
//     time, registered after the term by the exam administration),
//     "registered_before_exam", "determination_postponed",
//     "inspection_cut_short", "early_not_allowed", "determined_before_due",
//     "determined_late", "appeal_late" and "appeal_decided_late".
//
// Dates are YYYY-MM-DD; a date that ends a term or window means "until the
// end of that working day". For example, with the national calendar and the
// policy's example procedure:
//
//	$ timeline -exam 2026-11-30 -registered 2026-12-18
//	{
//	  "assessment_due": "2026-12-21",
//	  "inspection_ends": "2027-01-05",
//	  "determination_due": "2027-01-13",
//	  "binding_rule": "after_exam",
//	  "appeal_ends": null,
//	  "conflicts": []
//	}
//
// The flags:
//
//	-exam DATE           the exam date (required)
//	-registered DATE     the day the provisional result was registered (required)
//	-delivered DATE      the day the assessor's result was delivered, when
//	                     the exam administration registered it later; not
//	                     after -registered. The assessment term is then
//	                     judged by the delivery
//	-determined DATE     the day the result was determined
//	-early               the determination was an early one by the exam
//	                     committee, to issue a diploma or certificate;
//	                     needs -determined
//	-invalidated DATE    the day the exam committee declared the result
//	                     invalid (as for fraud), a decision the student
//	                     can appeal
//	-appeal DATE         the day an appeal was lodged; needs -determined
//	                     or -invalidated
//	-extended            the appeals board extended its term; needs -appeal
//	-appeal-decided DATE the day the appeals board decided; needs -appeal
//	-config FILE         read the calendar from a JSON definition (see the
//	                     calendar package) instead of the national calendar:
//	                     Monday to Friday with the Algemene termijnenwet
//	                     holidays and the decree days the calendar package
//	                     knows (such as Friday 7 May 2027), 2000 to 2100. A
//	                     definition without "decree_days" has those too;
//	                     "decree_days": [] has none
//	-policy FILE         read the policy set from JSON (see timeline
//	                     ParsePolicies) instead of the example procedure
//	-message nl|en       print the message that tells the student of the
//	                     provisional result, with its terms (once
//	                     determined, with the real dates), in Dutch or
//	                     English, instead of the JSON. An office tells the
//	                     student of every later change too (see the
//	                     vaststelling package); this command writes the
//	                     first message only
//	-institution TEXT    who signs the message
//	-krs TEXT            the student information system the message names
//	-committee ADDRESS   the exam committee's address in the message
//	-appeals-board ADDRESS
//	                     the appeals board's address in the message
//
// Each date is taken as the start of that day in the calendar's time zone.
//
// Exit status is 0 on success; 1 if the output cannot be written; 2 for a
// call timeline cannot carry out, with nothing on standard output. Bad
// usage (a missing -exam or -registered, -early without -determined,
// -extended or -appeal-decided without -appeal, a flag it does not know,
// an unexpected argument) gets the message and the synopsis on standard
// error; bad input one line naming it: a date that is not YYYY-MM-DD or no
// day at all ("2027-02-30 is not a day: February 2027 has 28 days"), a
// config or policy file that is missing, empty or wrong, an unknown
// -message language or an empty message setting, facts the timeline
// refuses (a delivery after the registration, a determination before the
// registration, an appeal without a determination or invalidation, an
// appeal decided before it was lodged, a date outside the calendar's
// years, an exam date no policy version covers). -h prints the usage on
// standard output and exits 0.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/internal/cli"
	"github.com/krs-oke/vaststelling/timeline"
)

// main runs the command on the process's arguments and exits with its status.
func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const synopsis = `timeline -exam YYYY-MM-DD -registered YYYY-MM-DD [-delivered YYYY-MM-DD]
         [-determined YYYY-MM-DD [-early]] [-invalidated YYYY-MM-DD]
         [-appeal YYYY-MM-DD [-extended] [-appeal-decided YYYY-MM-DD]]
         [-config FILE] [-policy FILE]
         [-message nl|en [-institution TEXT] [-krs TEXT] [-committee ADDRESS] [-appeals-board ADDRESS]]`

const about = `Places one result on its timeline under the policy and prints, as one JSON
object, its dates (assessment_due, inspection_ends, determination_due,
appeal_ends, and appeal_decision_due with -appeal), the rule that binds
its determination date (binding_rule: after_exam, after_registration or
early) and its conflicts with the policy (conflicts: a code and a message
each). With -message nl|en it prints instead the message that tells the
student of the provisional result, with its terms.

  $ timeline -exam 2026-11-30 -registered 2026-12-18
  {
    "assessment_due": "2026-12-21",
    "inspection_ends": "2027-01-05",
    "determination_due": "2027-01-13",
    "binding_rule": "after_exam",
    "appeal_ends": null,
    "conflicts": []
  }

Dates are YYYY-MM-DD; a date that ends a term means "until the end of that
working day". The calendar is the national one (Monday to Friday, the
holidays of the Algemene termijnenwet and the known decree days) unless
-config FILE gives a calendar definition (JSON, see the calendar package);
the policy is the example procedure unless -policy FILE gives a policy set
(JSON, see timeline.ParsePolicies). go doc ./examples/timeline tells more.

Exit status 0 on success, 1 if the output cannot be written, 2 for bad
usage or bad input, with a message on standard error and nothing on
standard output.
`

// What the files of -config and -policy hold.
const (
	wantConfig = "a calendar definition: a JSON object (see the calendar package)"
	wantPolicy = `a policy set: a JSON object {"versions": [...]} (see timeline.ParsePolicies)`
)

// output is the JSON object the command prints.
type output struct {
	AssessmentDue    string `json:"assessment_due"`
	InspectionEnds   string `json:"inspection_ends"`
	DeterminationDue string `json:"determination_due"`
	BindingRule      string `json:"binding_rule"`
	// AppealEnds is null until the result is determined.
	AppealEnds *string `json:"appeal_ends"`
	// AppealDecisionDue is present only when an appeal was lodged.
	AppealDecisionDue *string    `json:"appeal_decision_due,omitempty"`
	Conflicts         []conflict `json:"conflicts"`
}

// conflict is one conflict in the output: its code and its message.
type conflict struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// dateFlags are the flags that take a date, in the order they are checked.
var dateFlags = []string{"exam", "delivered", "registered", "determined", "invalidated", "appeal", "appeal-decided"}

// factFlags names the flag that gives each fact of a timeline.FactsError.
var factFlags = map[string]string{
	"exam":           "-exam",
	"delivered":      "-delivered",
	"registered":     "-registered",
	"determined":     "-determined",
	"early":          "-early",
	"invalidated":    "-invalidated",
	"appeal_lodged":  "-appeal",
	"appeal_decided": "-appeal-decided",
}

// run executes the command with args, the arguments after the program name,
// and returns the exit status. It writes to stdout only when it succeeds,
// and then all output in one write; messages go to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	c := cli.New("timeline", synopsis, about, stdout, stderr)
	fs := c.Flags
	// Dates are strings so that a value that does not parse gets this
	// command's own message.
	dates := map[string]*string{
		"exam":           fs.String("exam", "", "the exam `date` YYYY-MM-DD (required)"),
		"registered":     fs.String("registered", "", "the `date` the provisional result was registered (required)"),
		"delivered":      fs.String("delivered", "", "the `date` the assessor's result was delivered, if before -registered"),
		"determined":     fs.String("determined", "", "the `date` the result was determined"),
		"invalidated":    fs.String("invalidated", "", "the `date` the exam committee declared the result invalid"),
		"appeal":         fs.String("appeal", "", "the `date` an appeal was lodged; needs -determined or -invalidated"),
		"appeal-decided": fs.String("appeal-decided", "", "the `date` the appeals board decided; needs -appeal"),
	}
	early := fs.Bool("early", false, "the determination was an early one by the exam committee; needs -determined")
	extended := fs.Bool("extended", false, "the appeals board extended its term; needs -appeal")
	config := fs.String("config", "", "read the calendar from JSON `file` instead of the national one")
	policy := fs.String("policy", "", "read the policy set from JSON `file` instead of the example procedure")
	message := fs.String("message", "", "print the student message in `language` nl or en instead of the JSON")
	settings := timeline.Settings{}
	fs.StringVar(&settings.Institution, "institution", "Examencommissie ROC Voorbeeld", "who signs the student message")
	fs.StringVar(&settings.KRS, "krs", "Eduarte", "the student information system the message names")
	fs.StringVar(&settings.CommitteeAddress, "committee", "examencommissie@roc-voorbeeld.nl",
		"the exam committee's `address` in the message")
	fs.StringVar(&settings.AppealsBoardAddress, "appeals-board", "cbe@roc-voorbeeld.nl",
		"the appeals board's `address` in the message")
	if status, ok := c.Parse(args); !ok {
		return status
	}
	if fs.NArg() > 0 {
		return c.BadUsage("unexpected argument %q", fs.Arg(0))
	}
	if missing := c.Require("exam", "registered"); missing != "" {
		return c.BadUsage("missing flag -%s", missing)
	}
	if *early && !c.Set("determined") {
		return c.BadUsage("-early needs -determined: only a determination can be early")
	}
	if *extended && !c.Set("appeal") {
		return c.BadUsage("-extended needs -appeal: the appeals board extends its term for an appeal")
	}

	parsed := map[string]calendar.Date{}
	for _, name := range dateFlags {
		if !c.Set(name) {
			continue
		}
		d, err := cli.ParseDate(*dates[name])
		if err != nil {
			return c.Fail(2, "-%s: %v", name, err)
		}
		parsed[name] = d
	}
	var lang timeline.Language
	if c.Set("message") {
		var err error
		if lang, err = timeline.ParseLanguage(*message); err != nil {
			return c.Fail(2, "-message %q: unknown language; want nl or en", *message)
		}
		for _, s := range []struct{ name, value string }{
			{"institution", settings.Institution}, {"krs", settings.KRS},
			{"committee", settings.CommitteeAddress}, {"appeals-board", settings.AppealsBoardAddress},
		} {
			if strings.TrimSpace(s.value) == "" {
				return c.Fail(2, "-%s is empty; the student message needs it", s.name)
			}
		}
	}

	cal := calendar.Default()
	if c.Set("config") {
		data, err := cli.ReadFile(*config, wantConfig)
		if err != nil {
			return c.Fail(2, "-config %v", err)
		}
		if cal, err = calendar.Load(bytes.NewReader(data)); err != nil {
			return c.Fail(2, "-config %s: %v", *config, err)
		}
	}
	policies := timeline.DefaultPolicies()
	if c.Set("policy") {
		data, err := cli.ReadFile(*policy, wantPolicy)
		if err != nil {
			return c.Fail(2, "-policy %v", err)
		}
		if policies, err = timeline.ParsePolicies(data); err != nil {
			return c.Fail(2, "-policy %s: %v", *policy, err)
		}
	}

	at := func(name string) (t time.Time) {
		if d, ok := parsed[name]; ok {
			t = d.In(cal.Location())
		}
		return t
	}
	tl, err := timeline.New(cal, policies, timeline.Facts{
		Exam:           at("exam"),
		Delivered:      at("delivered"),
		Registered:     at("registered"),
		Determined:     at("determined"),
		Early:          *early,
		Invalidated:    at("invalidated"),
		AppealLodged:   at("appeal"),
		AppealExtended: *extended,
		AppealDecided:  at("appeal-decided"),
	})
	if err != nil {
		return c.Fail(2, "%s", refused(err, *policy))
	}

	var out bytes.Buffer
	if c.Set("message") {
		text, err := tl.StudentMessage(lang, settings)
		if err != nil {
			return c.Fail(2, "-message: %s", strings.TrimPrefix(err.Error(), "timeline: "))
		}
		out.WriteString(text)
	} else {
		enc := json.NewEncoder(&out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report(&tl)); err != nil {
			return c.Fail(1, "encoding output: %v", err)
		}
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		return c.Fail(1, "writing output: %v", err)
	}
	return 0
}

// refused describes why timeline.New refused the facts, naming the flag
// that gave the fact, or the policy file when no version covers the exam.
func refused(err error, policyFile string) string {
	var facts *timeline.FactsError
	switch {
	case errors.As(err, &facts):
		what, ok := factFlags[facts.Field]
		if !ok {
			what = facts.Field
		}
		msg := what + ": " + facts.Problem
		if facts.Err != nil {
			msg += ": " + facts.Err.Error()
		}
		return msg
	case errors.Is(err, timeline.ErrNoPolicy):
		where := "the example procedure"
		if policyFile != "" {
			where = "-policy " + policyFile
		}
		return where + ": " + strings.TrimPrefix(err.Error(), "timeline: ")
	}
	return strings.TrimPrefix(err.Error(), "timeline: ")
}

// report turns a timeline into the output object.
func report(tl *timeline.Timeline) output {
	o := output{
		AssessmentDue:    tl.AssessmentDue.String(),
		InspectionEnds:   tl.InspectionEnds.String(),
		DeterminationDue: tl.DeterminationDue.String(),
		BindingRule:      tl.Binding.String(),
		AppealEnds:       optional(tl.AppealEnds),
		Conflicts:        make([]conflict, 0, len(tl.Conflicts)),
	}
	if !tl.AppealLodged.IsZero() {
		o.AppealDecisionDue = optional(tl.AppealDecisionDue)
	}
	for _, c := range tl.Conflicts {
		o.Conflicts = append(o.Conflicts, conflict{Code: string(c.Code), Message: c.Message()})
	}
	return o
}

// optional returns d as YYYY-MM-DD, or nil for the zero Date.
func optional(d calendar.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}
