package oke

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
)

// The values the agreement fixes.
const (
	componentOfferingAssociation = "componentOfferingAssociation" // Table 4.3.A, associationType
	testAdminConsumer            = "nl-test-admin"                // Tables 4.3.A and 4.3.D, consumerKey
	requiredWeight               = 100                            // Table 4.3.D: unused, mandatory, always 100
	maxDocuments                 = 100
	maxIDLength                  = 128 // bytes
)

// testDateZone is the zone in which a testDate sent as a bare date is read.
// Package calendar embeds the zone database, so loading cannot fail.
var testDateZone = sync.OnceValues(func() (*time.Location, error) {
	return time.LoadLocation("Europe/Amsterdam")
})

// Decode reads the body of a flow-5 request, PATCH or PUT
// /associations/{associationId}, for the association associationID given
// in the path, and returns the message, or a *Rejection with every problem
// it found. It never returns another error and never panics.
//
// Decode is strict about what the agreement fixes (§3.5.3, Tables 4.3.A–E
// and 4.6.A): the body is one JSON object in UTF-8, at most
// MaxMessageSize bytes, with nothing after it; associationType is
// componentOfferingAssociation; the association's consumer with consumerKey
// nl-test-admin has orgAssociationId and an attempt of 1 or more; result
// has a known state, a real resultDate, weight 100 and a consumer
// nl-test-admin with a known attendance and an executedOfferingName; every
// optional field present has its JSON type and, where the agreement gives
// one, a value from its enumeration; rawScore and maxRawScore come
// together; documents are at most 100, each with id, known type and name.
// In a PUT body an associationId must equal the path's, exactly. A second
// nl-test-admin consumer in the same array is refused: which one counts
// would be a guess. Ids (the path's, orgAssociationId, assessorId,
// documentId, person, offering) need not be UUIDs, as the specification's
// own examples show, but must be UTF-8 of at most 128 bytes without
// control characters. A testDate is an RFC 3339 date-time or, as the
// examples send it, a bare date, read as midnight in Europe/Amsterdam.
//
// Decode ignores what the agreement tells the receiver to ignore: fields it
// does not know, consumers other than nl-test-admin, and in a PATCH body
// every association field but associationType, consumers and result. Keys
// are matched as encoding/json matches them, an exact match first, then
// one differing only in case; of a repeated key the last value counts, but
// a wrong type in any is reported; a null counts as absent.
//
// A malformed body gives one reason, with the line and column of the first
// byte that is not JSON (or not UTF-8). Otherwise every problem is
// reported, each with the path of its field; nothing is said about what
// lies inside a field of the wrong type.
//
// Decode checks the message, not the world: a result for an enrolment that
// was cancelled or ended, or for an attempt nobody foresaw, is accepted
// here, as the agreement demands (§3.5.2–3.5.3); it is for the receiver to
// raise an exception for a person.
func Decode(method Method, associationID string, body []byte) (*Message, error) {
	d := decodeState{method: method, id: associationID}
	if method != Patch && method != Put {
		d.add(CodeUnknownValue, "", "method "+quoteValue(string(method))+": want PATCH or PUT")
	}
	if p := idProblem(associationID); p != "" {
		d.add(CodeInvalidID, "", "the association id in the path "+p)
	}
	if len(body) > MaxMessageSize {
		d.add(CodeTooLarge, "", fmt.Sprintf("the body is %d bytes, more than the %d allowed", len(body), MaxMessageSize))
		return nil, d.rejection()
	}

	var w wireMessage
	if !fastWire(body, &w) && !d.slowWire(body, &w) {
		return nil, d.rejection()
	}
	m := d.check(&w)
	if len(d.reasons) > 0 {
		return nil, d.rejection()
	}
	return m, nil
}

// slowWire reads the body with encoding/json, for any shape: it reports
// false when the body is no JSON object at all (the reasons say why), and
// notes every field of the wrong type.
func (d *decodeState) slowWire(body []byte, w *wireMessage) bool {
	err := json.Unmarshal(body, w)
	bad := invalidUTF8(body)
	if se, ok := err.(*json.SyntaxError); ok {
		at := int(se.Offset) - 1 // json counts the offending byte as read
		if se.Error() == "unexpected end of JSON input" {
			at = len(body)
		}
		at = max(0, min(at, len(body)))
		if bad < 0 || at < bad {
			d.malformed(body, at, se.Error())
			return false
		}
	}
	if bad >= 0 {
		d.malformed(body, bad, "invalid UTF-8")
		return false
	}
	if first := bytes.TrimLeft(body, " \t\r\n"); first[0] != '{' {
		d.add(CodeWrongType, "", "the body must be a JSON object, got "+describeJSON(first))
		return false
	}
	switch e := err.(type) {
	case nil:
	case *json.UnmarshalTypeError:
		d.findWrongTypes(body, w, e)
	default: // not returned by Unmarshal into a struct; never guess
		d.malformed(body, 0, err.Error())
		return false
	}
	return true
}

// The wire types mirror the JSON of flow 5. Pointers tell absent (and null)
// from empty and zero; person and offering are kept raw because they may
// be an id or an object.
type (
	wireMessage struct {
		AssociationID   *string                   `json:"associationId"`
		AssociationType *string                   `json:"associationType"`
		Consumers       []wireAssociationConsumer `json:"consumers"`
		Result          *wireResult               `json:"result"`
		Person          json.RawMessage           `json:"person"`
		Offering        json.RawMessage           `json:"offering"`
	}
	wireAssociationConsumer struct {
		ConsumerKey      *string `json:"consumerKey"`
		OrgAssociationID *string `json:"orgAssociationId"`
		Attempt          *int    `json:"attempt"`
	}
	wireResult struct {
		State      *string              `json:"state"`
		Pass       *string              `json:"pass"`
		Comment    *string              `json:"comment"`
		Score      *string              `json:"score"`
		ResultDate *string              `json:"resultDate"`
		Weight     *int                 `json:"weight"`
		Consumers  []wireResultConsumer `json:"consumers"`
	}
	wireResultConsumer struct {
		ConsumerKey          *string        `json:"consumerKey"`
		Attendance           *string        `json:"attendance"`
		ExecutedOfferingName *string        `json:"executedOfferingName"`
		AssessorID           *string        `json:"assessorId"`
		AssessorCode         *string        `json:"assessorCode"`
		Irregularities       *string        `json:"irregularities"`
		Final                *bool          `json:"final"`
		RawScore             *int           `json:"rawScore"`
		MaxRawScore          *int           `json:"maxRawScore"`
		TestDate             *string        `json:"testDate"`
		Documents            []wireDocument `json:"documents"`
	}
	wireDocument struct {
		DocumentID   *string `json:"documentId"`
		DocumentType *string `json:"documentType"`
		DocumentName *string `json:"documentName"`
	}
)

// A decodeState collects the reasons for one call of Decode.
type decodeState struct {
	method  Method
	id      string
	reasons []Reason
	// typed are the fields reported as wrong_type. Nothing else is
	// reported about them or about what is inside them: encoding/json
	// leaves such a field zero, which says nothing of what was sent.
	typed []string
}

func (d *decodeState) rejection() *Rejection {
	return &Rejection{AssociationID: d.id, Reasons: d.reasons}
}

func (d *decodeState) add(code Code, field, message string) {
	if len(d.typed) > 0 && d.covered(field) {
		return
	}
	d.reasons = append(d.reasons, Reason{Code: code, Field: field, Message: message})
}

func (d *decodeState) wrongType(field, message string) {
	if d.covered(field) {
		return
	}
	d.typed = append(d.typed, field)
	d.reasons = append(d.reasons, Reason{Code: CodeWrongType, Field: field, Message: message})
}

// covered reports whether field, or an object or array it is in, was
// reported as wrong_type.
func (d *decodeState) covered(field string) bool {
	for _, t := range d.typed {
		if field == t || strings.HasPrefix(field, t) && (field[len(t)] == '.' || field[len(t)] == '[') {
			return true
		}
	}
	return false
}

func (d *decodeState) malformed(body []byte, at int, message string) {
	line := 1 + bytes.Count(body[:at], []byte{'\n'})
	column := at - bytes.LastIndexByte(body[:at], '\n')
	d.reasons = append(d.reasons, Reason{Code: CodeMalformed, Message: message, Line: line, Column: column})
}

// check validates the decoded wire message and returns what it says. The
// message is only meaningful when no reason was added.
func (d *decodeState) check(w *wireMessage) *Message {
	m := &Message{Method: d.method, AssociationID: d.id, AssociationType: componentOfferingAssociation}

	if d.method == Put {
		if a := w.AssociationID; a != nil && *a != d.id {
			d.add(CodeMismatch, "associationId", "associationId "+quoteValue(*a)+
				" differs from the association in the path, "+quoteValue(d.id))
		}
		m.Person = d.reference(w.Person, "person", "personId")
		m.Offering = d.reference(w.Offering, "offering", "offeringId")
	}

	switch t := w.AssociationType; {
	case t == nil:
		d.add(CodeMissing, "associationType", "associationType is required: "+componentOfferingAssociation)
	case *t != componentOfferingAssociation:
		d.add(CodeUnknownValue, "associationType", "associationType "+quoteValue(*t)+": want "+componentOfferingAssociation)
	}

	if i := d.testAdmin(len(w.Consumers), func(i int) *string { return w.Consumers[i].ConsumerKey }, "consumers",
		"orgAssociationId and attempt"); i >= 0 {
		c := &w.Consumers[i]
		m.consumerAt = i
		switch o := c.OrgAssociationID; {
		case o == nil || *o == "":
			d.add(CodeMissing, elemField("consumers", i, "orgAssociationId"),
				"orgAssociationId is required: the enrolment of flow 1 the result belongs to")
		default:
			if p := idProblem(*o); p != "" {
				d.add(CodeInvalidID, elemField("consumers", i, "orgAssociationId"), "orgAssociationId "+p)
			}
			m.OrgAssociationID = *o
		}
		switch a := c.Attempt; {
		case a == nil:
			d.add(CodeMissing, elemField("consumers", i, "attempt"), "attempt is required: the number of the attempt, 1 or more")
		case *a < 1:
			d.add(CodeOutOfRange, elemField("consumers", i, "attempt"), "attempt "+strconv.Itoa(*a)+": want 1 or more")
		default:
			m.Attempt = *a
		}
	}

	if w.Result == nil {
		d.add(CodeMissing, "result", "result is required")
		return m
	}
	d.checkResult(w.Result, &m.Result)
	return m
}

func (d *decodeState) checkResult(w *wireResult, r *Result) {
	switch s := w.State; {
	case s == nil:
		d.add(CodeMissing, "result.state", "state is required: "+stateList)
	case !knownState(*s):
		d.add(CodeUnknownValue, "result.state", "state "+quoteValue(*s)+": want "+stateList)
	default:
		r.State = ResultState(*s)
	}
	if p := w.Pass; p != nil {
		switch *p {
		case "passed", "failed", "unknown":
			r.Pass = *p
		default:
			d.add(CodeUnknownValue, "result.pass", "pass "+quoteValue(*p)+": want passed, failed or unknown")
		}
	}
	if w.Comment != nil {
		r.Comment = *w.Comment
	}
	if w.Score != nil {
		r.Score = *w.Score
	}
	if rd := w.ResultDate; rd == nil {
		d.add(CodeMissing, "result.resultDate", "resultDate is required: the date the result was set, YYYY-MM-DD")
	} else if date, err := calendar.ParseDate(*rd); err != nil {
		d.add(CodeInvalidDate, "result.resultDate", "resultDate "+quoteValue(*rd)+": want a real date written YYYY-MM-DD")
	} else {
		r.ResultDate = date
	}
	switch wt := w.Weight; {
	case wt == nil:
		d.add(CodeMissing, "result.weight", "the weight is required and must be 100")
	case *wt != requiredWeight:
		d.add(CodeOutOfRange, "result.weight", "weight "+strconv.Itoa(*wt)+": the weight must be 100")
	default:
		r.Weight = requiredWeight
	}

	i := d.testAdmin(len(w.Consumers), func(i int) *string { return w.Consumers[i].ConsumerKey }, "result.consumers",
		"attendance and executedOfferingName")
	if i < 0 {
		return
	}
	c := &w.Consumers[i]
	r.consumerAt = i
	field := func(name string) string { return elemField("result.consumers", i, name) }
	switch a := c.Attendance; {
	case a == nil:
		d.add(CodeMissing, field("attendance"), "attendance is required: "+attendanceList)
	case !knownAttendance(*a):
		d.add(CodeUnknownValue, field("attendance"), "attendance "+quoteValue(*a)+": want "+attendanceList)
	default:
		r.Attendance = result.Attendance(*a)
	}
	if n := c.ExecutedOfferingName; n == nil || strings.TrimSpace(*n) == "" {
		d.add(CodeMissing, field("executedOfferingName"),
			"executedOfferingName is required: the name of the exam session the result was obtained in")
	} else {
		r.ExecutedOfferingName = *n
	}
	if a := c.AssessorID; a != nil && *a != "" {
		if p := idProblem(*a); p != "" {
			d.add(CodeInvalidID, field("assessorId"), "assessorId "+p)
		}
		r.AssessorID = *a
	}
	if c.AssessorCode != nil {
		r.AssessorCode = *c.AssessorCode
	}
	if c.Irregularities != nil {
		r.Irregularities = *c.Irregularities
	}
	if c.Final != nil {
		r.Final = *c.Final
	}
	d.checkRawScore(c, r, field)
	if t := c.TestDate; t != nil {
		at, problem := parseTestDate(*t)
		if problem != "" {
			d.add(CodeInvalidDate, field("testDate"), "testDate "+quoteValue(*t)+": "+problem)
		}
		r.TestDate = at
	}
	d.checkDocuments(c.Documents, i, r)
}

func (d *decodeState) checkRawScore(c *wireResultConsumer, r *Result, field func(string) string) {
	raw, most := c.RawScore, c.MaxRawScore
	switch {
	case raw == nil && most == nil:
		return
	case most == nil:
		d.add(CodeMissing, field("maxRawScore"), "maxRawScore is required when rawScore is given")
	case raw == nil:
		d.add(CodeMissing, field("rawScore"), "rawScore is required when maxRawScore is given")
	}
	if raw != nil && *raw < 0 {
		d.add(CodeOutOfRange, field("rawScore"), "rawScore "+strconv.Itoa(*raw)+": want 0 or more")
	}
	if most != nil && *most < 1 {
		d.add(CodeOutOfRange, field("maxRawScore"), "maxRawScore "+strconv.Itoa(*most)+": want 1 or more")
	}
	if raw != nil && most != nil && *most >= 1 && *raw > *most {
		d.add(CodeOutOfRange, field("rawScore"), "rawScore "+strconv.Itoa(*raw)+" is above maxRawScore "+strconv.Itoa(*most))
	}
	if raw != nil && most != nil {
		r.RawScore, r.MaxRawScore = raw, most
	}
}

func (d *decodeState) checkDocuments(docs []wireDocument, i int, r *Result) {
	if len(docs) == 0 {
		return
	}
	if len(docs) > maxDocuments {
		d.add(CodeOutOfRange, elemField("result.consumers", i, "documents"),
			strconv.Itoa(len(docs))+" documents: at most "+strconv.Itoa(maxDocuments))
	}
	r.Documents = make([]Document, len(docs))
	for j := range docs {
		w, doc := &docs[j], &r.Documents[j]
		field := func(name string) string {
			return elemField("result.consumers", i, "documents") + "[" + strconv.Itoa(j) + "]." + name
		}
		if id := w.DocumentID; id == nil || *id == "" {
			d.add(CodeMissing, field("documentId"), "documentId is required: the id to fetch the document by")
		} else {
			if p := idProblem(*id); p != "" {
				d.add(CodeInvalidID, field("documentId"), "documentId "+p)
			}
			doc.ID = *id
		}
		switch t := w.DocumentType; {
		case t == nil:
			d.add(CodeMissing, field("documentType"), "documentType is required: "+documentTypeList)
		case !knownDocumentType(*t):
			d.add(CodeUnknownValue, field("documentType"), "documentType "+quoteValue(*t)+": want "+documentTypeList)
		default:
			doc.Type = *t
		}
		if n := w.DocumentName; n == nil || *n == "" {
			d.add(CodeMissing, field("documentName"), "documentName is required (Table 4.6.A): the proposed file name")
		} else {
			doc.Name = *n
		}
	}
}

// testAdmin returns the index of the consumer with consumerKey
// nl-test-admin among n consumers, or -1 after reporting it missing; a
// second one is reported as a duplicate.
func (d *decodeState) testAdmin(n int, key func(int) *string, field, carries string) int {
	found := -1
	for i := range n {
		if k := key(i); k != nil && *k == testAdminConsumer {
			if found < 0 {
				found = i
				continue
			}
			d.add(CodeDuplicate, elemField(field, i, ""), "a second consumer with consumerKey nl-test-admin; the first is "+
				elemField(field, found, ""))
		}
	}
	if found < 0 {
		d.add(CodeMissing, field, "no consumer with consumerKey nl-test-admin: it must carry "+carries)
	}
	return found
}

// reference returns the id in a person or offering of a PUT body: the id
// itself, or idField of an object (Table 4.3.A allows either). An object
// without a string idField gives "".
func (d *decodeState) reference(raw json.RawMessage, field, idField string) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var id string
	switch raw[0] {
	case 'n': // null
		return ""
	case '"':
		id = unquoteJSON(raw)
	case '{':
		var v *string
		var err error
		if idField == "personId" {
			var o struct {
				ID *string `json:"personId"`
			}
			err = json.Unmarshal(raw, &o)
			v = o.ID
		} else {
			var o struct {
				ID *string `json:"offeringId"`
			}
			err = json.Unmarshal(raw, &o)
			v = o.ID
		}
		if err != nil || v == nil { // no id, or not a string: nothing to take
			return ""
		}
		id, field = *v, field+"."+idField
	default:
		d.wrongType(field, "want the "+idField+" as a string, or an object holding it; got "+describeJSON(raw))
		return ""
	}
	if id == "" {
		return ""
	}
	if p := idProblem(id); p != "" {
		d.add(CodeInvalidID, field, field+" "+p)
	}
	return id
}

// unquoteJSON returns the JSON string s decodes to; s is known to be one.
func unquoteJSON(s []byte) string {
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s[1 : len(s)-1])
	}
	var v string
	_ = json.Unmarshal(s, &v)
	return v
}

// parseTestDate reads a testDate: an RFC 3339 date-time, kept in the
// offset it was sent with, or a bare full-date, read as midnight in
// Europe/Amsterdam.
func parseTestDate(s string) (time.Time, string) {
	const want = "want an RFC 3339 date-time such as 2020-12-15T08:50:00+01:00, or a real date written YYYY-MM-DD"
	if len(s) == len(time.DateOnly) {
		loc, err := testDateZone()
		if err != nil {
			return time.Time{}, "cannot read it in Europe/Amsterdam: " + err.Error()
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			return time.Time{}, want
		}
		return t, ""
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, want
	}
	return t, ""
}

// idProblem says what makes s no acceptable id, or returns "".
func idProblem(s string) string {
	if s == "" {
		return "is empty"
	}
	if len(s) > maxIDLength {
		return "is longer than " + strconv.Itoa(maxIDLength) + " bytes"
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return "is not valid UTF-8"
		case unicode.IsControl(r):
			return "contains a control character"
		}
		i += n
	}
	return ""
}

// quoteValue quotes a value for a message, cut short when it is long.
func quoteValue(s string) string {
	const limit = 40
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

func elemField(array string, i int, name string) string {
	f := array + "[" + strconv.Itoa(i) + "]"
	if name != "" {
		f += "." + name
	}
	return f
}

// invalidUTF8 returns the offset of the first byte of body that is not
// UTF-8, or -1.
func invalidUTF8(body []byte) int {
	if utf8.Valid(body) {
		return -1
	}
	for i := 0; i < len(body); {
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// The enumerations, with the lists their messages name.
const (
	stateList        = "in progress, postponed, completed or queued"
	attendanceList   = "notKnown, notPresent, notStarted, notFinished or present"
	documentTypeList = "assessmentForm, assessmentFormWithAnswers, assessmentModel or other"
)

func knownState(s string) bool {
	switch ResultState(s) {
	case InProgress, Postponed, Completed, Queued:
		return true
	}
	return false
}

func knownAttendance(s string) bool {
	switch result.Attendance(s) {
	case result.NotKnown, result.NotPresent, result.NotStarted, result.NotFinished, result.Present:
		return true
	}
	return false
}

func knownDocumentType(s string) bool {
	switch s {
	case "assessmentForm", "assessmentFormWithAnswers", "assessmentModel", "other":
		return true
	}
	return false
}

// findWrongTypes reports every field of the message that has the wrong
// JSON type. encoding/json reports only the first; this slower path, taken
// only after it did, reads the body again token by token and checks every
// value against the types of the wire structs, matching keys as
// encoding/json does, so that it sees what encoding/json saw, repeated
// keys included. Consumers other than the first nl-test-admin one that w
// holds are not looked into: their fields are ignored, whatever their type.
func (d *decodeState) findWrongTypes(body []byte, w *wireMessage, first *json.UnmarshalTypeError) {
	tw := tokenWalker{d: d, dec: json.NewDecoder(bytes.NewReader(body))}
	tw.dec.UseNumber()
	assoc := firstTestAdmin(len(w.Consumers), func(i int) *string { return w.Consumers[i].ConsumerKey })
	res := -1
	if w.Result != nil {
		res = firstTestAdmin(len(w.Result.Consumers), func(i int) *string { return w.Result.Consumers[i].ConsumerKey })
	}
	top := shapeAssociation
	if d.method != Put {
		top = shapeAssociationPatch
	}
	if tw.open(kObject, "") {
		tw.members(func(key string) {
			switch name := fieldName(key, "consumers", "result"); name {
			case "consumers":
				tw.objects("consumers", assoc, func(at string) { tw.scalars(at, shapeAssociationConsumer) })
			case "result":
				if tw.open(kObject, "result") {
					tw.members(func(key string) {
						if fieldName(key, "consumers") == "" {
							tw.scalar(key, "result", shapeResult)
							return
						}
						tw.objects("result.consumers", res, func(at string) {
							tw.members(func(key string) {
								if fieldName(key, "documents") == "" {
									tw.scalar(key, at, shapeResultConsumer)
									return
								}
								tw.objects(at+".documents", allElements, func(at string) { tw.scalars(at, shapeDocument) })
							})
						})
					})
				}
			default:
				tw.scalar(key, "", top)
			}
		})
	}
	if tw.err != nil || len(d.typed) == 0 && !d.ignorable(first) {
		// Unreachable as far as known; never accept what encoding/json refused.
		d.wrongType(first.Field, "cannot read "+first.Value+" as "+first.Type.String())
	}
}

// ignorable reports whether a type error can be one the walk rightly
// passed over: inside a consumer not looked into, or an associationId
// that a PATCH body may carry as it likes.
func (d *decodeState) ignorable(e *json.UnmarshalTypeError) bool {
	return strings.HasPrefix(e.Field, "consumers.") || strings.HasPrefix(e.Field, "result.consumers.") ||
		(d.method != Put && e.Field == "associationId")
}

// A wireShape is a kind of object in a flow-5 body, for the walk that finds
// wrong types.
type wireShape uint8

const (
	shapeAssociation      wireShape = iota // the body of a PUT
	shapeAssociationPatch                  // the body of a PATCH, which may carry any associationId
	shapeAssociationConsumer
	shapeResult
	shapeResultConsumer
	shapeDocument
)

// scalars returns the members of an object of shape s that hold a scalar,
// and the kind of each, in two lists of the same length. A member not
// named is not looked at. Person and offering are not here: they are read
// raw, and checked by check.
func (s wireShape) scalars() ([]string, []jsonKind) {
	switch s {
	case shapeAssociation:
		return []string{"associationId", "associationType"}, []jsonKind{kString, kString}
	case shapeAssociationPatch:
		return []string{"associationType"}, []jsonKind{kString}
	case shapeAssociationConsumer:
		return []string{"consumerKey", "orgAssociationId", "attempt"}, []jsonKind{kString, kString, kInt}
	case shapeResult:
		return []string{"state", "pass", "comment", "score", "resultDate", "weight"},
			[]jsonKind{kString, kString, kString, kString, kString, kInt}
	case shapeResultConsumer:
		return []string{"consumerKey", "attendance", "executedOfferingName", "assessorId", "assessorCode",
				"irregularities", "final", "rawScore", "maxRawScore", "testDate"},
			[]jsonKind{kString, kString, kString, kString, kString, kString, kBool, kInt, kInt, kString}
	case shapeDocument:
		return []string{"documentId", "documentType", "documentName"}, []jsonKind{kString, kString, kString}
	}
	return nil, nil
}

// scalar returns the member of shape s that key names, as encoding/json
// matches a key to a field, and its kind.
func (s wireShape) scalar(key string) (string, jsonKind, bool) {
	names, kinds := s.scalars()
	for i, n := range names {
		if key == n {
			return n, kinds[i], true
		}
	}
	for i, n := range names {
		if strings.EqualFold(key, n) {
			return n, kinds[i], true
		}
	}
	return "", 0, false
}

// fieldName returns the name among names that key matches as
// encoding/json matches a key to a field: exactly, or but for case.
func fieldName(key string, names ...string) string {
	for _, n := range names {
		if key == n || strings.EqualFold(key, n) {
			return n
		}
	}
	return ""
}

func firstTestAdmin(n int, key func(int) *string) int {
	for i := range n {
		if k := key(i); k != nil && *k == testAdminConsumer {
			return i
		}
	}
	return -1
}

type jsonKind uint8

const (
	kString jsonKind = iota
	kInt
	kBool
	kObject
	kArray
)

func (k jsonKind) String() string {
	switch k {
	case kString:
		return "a string"
	case kInt:
		return "an integer"
	case kBool:
		return "true or false"
	case kObject:
		return "an object"
	}
	return "an array"
}

// allElements asks objects to look into every element.
const allElements = -2

// A tokenWalker reads a body that is known to be valid JSON, token by
// token, reporting values of the wrong kind to its decodeState.
type tokenWalker struct {
	d   *decodeState
	dec *json.Decoder
	err error
}

func (tw *tokenWalker) next() json.Token {
	if tw.err != nil {
		return nil
	}
	tok, err := tw.dec.Token()
	if err != nil {
		tw.err = err
		return nil
	}
	return tok
}

// open reads the next value and reports whether it is an object or array,
// as k says, whose content the caller must now read. A null, or a value of
// the wrong kind, which it reports, is read whole and gives false.
func (tw *tokenWalker) open(k jsonKind, field string) bool {
	tok := tw.next()
	if tok == nil {
		return false
	}
	if delim, ok := tok.(json.Delim); ok && (delim == '{' && k == kObject || delim == '[' && k == kArray) {
		return true
	}
	tw.d.wrongType(field, "want "+k.String()+", got "+describeToken(tok))
	tw.skipRest(tok)
	return false
}

// scalar reads the value of key in the object at field, of shape s: when
// key names one of its scalars, it must have that kind; otherwise it is
// skipped.
func (tw *tokenWalker) scalar(key, at string, s wireShape) {
	name, k, known := s.scalar(key)
	tok := tw.next()
	if !known || tok == nil {
		tw.skipRest(tok)
		return
	}
	ok := false
	switch v := tok.(type) {
	case string:
		ok = k == kString
	case bool:
		ok = k == kBool
	case json.Number:
		if k == kInt { // as encoding/json reads an int
			_, err := strconv.ParseInt(string(v), 10, strconv.IntSize)
			ok = err == nil
		}
	}
	if !ok {
		field := name
		if at != "" {
			field = at + "." + name
		}
		tw.d.wrongType(field, "want "+k.String()+", got "+describeToken(tok))
		tw.skipRest(tok)
	}
}

// scalars reads the members of the open object at field, of shape s.
func (tw *tokenWalker) scalars(at string, s wireShape) {
	tw.members(func(key string) { tw.scalar(key, at, s) })
}

// members calls each with every key of the open object, for it to read
// the key's value; then it reads the closing brace.
func (tw *tokenWalker) members(each func(key string)) {
	for tw.err == nil && tw.dec.More() {
		key, _ := tw.next().(string)
		each(key)
	}
	tw.next()
}

// objects reads an array of objects at field, calling each for the open
// object at index sel, or at every index when sel is allElements; the
// other objects are skipped.
func (tw *tokenWalker) objects(field string, sel int, each func(at string)) {
	if !tw.open(kArray, field) {
		return
	}
	for i := 0; tw.err == nil && tw.dec.More(); i++ {
		at := elemField(field, i, "")
		if !tw.open(kObject, at) {
			continue
		}
		if sel == allElements || i == sel {
			each(at)
		} else {
			tw.skipRest(json.Delim('{'))
		}
	}
	tw.next()
}

// skipRest reads the rest of a value whose first token was tok: nothing
// for a scalar, up to the matching close for an object or array.
func (tw *tokenWalker) skipRest(tok json.Token) {
	if delim, ok := tok.(json.Delim); !ok || delim == '}' || delim == ']' {
		return
	}
	for depth := 1; depth > 0 && tw.err == nil; {
		switch tw.next() {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// describeToken names the JSON type of a token for a message.
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return "the string " + quoteValue(v)
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		if len(v) > 40 {
			return "the number " + string(v[:40]) + "…"
		}
		return "the number " + string(v)
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	}
	return "null"
}

// describeJSON names the JSON type of a raw value for a message.
func describeJSON(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	}
	return "a number"
}
