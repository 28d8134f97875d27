package oke

// Conformance to the agreement's OpenAPI specification.
//
// testdata/conformance/ooapiv5_MBO.yaml is the OpenAPI 3.0.3 document that
// comes with the OKE agreement. These tests load it with kin-openapi and
// check the package against it:
//
//   - TestConformanceRequestExamples: every request example of the flow-5
//     operations (PATCH and PUT /associations/{associationId}), which are
//     examples of flows 2 and 3, for the spec has none of flow 5, against
//     the spec's own schema and the decoder; and each of them completed as
//     the agreement requires a flow-5 message, which both then accept.
//   - TestConformanceFlow5Messages: the flow-5 messages of testdata (the
//     agreement's examples, completed) against the spec's schemas.
//   - TestConformanceResponses: every status the handler sends (200, 400,
//     401, 403, 404, 405, 413, 415, 429 and 500; it never sends 201), made
//     by driving the real handler, against the spec's response definitions.
//   - TestConformanceServiceMetadata: the service metadata against the
//     schema of GET /.
//
// Where the spec and the definitive agreement (OKE MBO-toetsafname
// afsprakenset 1.0.1, 27 May 2026) disagree, the agreement wins. Every
// disagreement, every gap the handler fills, every place the code takes
// more than both, and every defect of the document that the tests work
// around is a row of specConflicts, with the agreement's section and what
// the code does; TestConformanceConflicts checks that each row still
// describes the spec, so that the table cannot outlive what it documents.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

const (
	specFile   = "testdata/conformance/ooapiv5_MBO.yaml"
	specSHA256 = "de2709a2b12e0fcc33200de3cc524bd5997d9311b9601b88f528964e5772f27a"

	assocPath = "/associations/{associationId}" // the flow-5 path, as the spec names it
)

// The kinds of rows of specConflicts.
const (
	kindConflict = "conflict" // the spec and the agreement disagree; the agreement wins
	kindGap      = "gap"      // the spec or the agreement is silent, or both; the handler fills it
	kindLenient  = "lenient"  // the code takes more than both say a sender may send
	kindDefect   = "defect"   // the document is broken; the tests work around it
)

// A specConflict is one row of the table below.
type specConflict struct {
	id, kind  string
	spec      string // what ooapiv5_MBO.yaml says
	agreement string // what the agreement says, and where
	code      string // what the code does
	// holds checks that the spec still says what the row says it says.
	holds func(t *testing.T, s *loadedSpec)
}

// specConflicts: where the spec, the agreement and the code part ways.
var specConflicts = []specConflict{
	{
		id: "association-consumer-mandatory", kind: kindConflict,
		spec: "nl-test-admin-Association requires only consumerKey: orgAssociationId and attempt are optional, " +
			"and a PATCH body need not hold the consumer at all",
		agreement: "§3.5.3, Aanvullende eis: \"In het verzoekbericht zijn in deze context (5. Studentresultaat) gegevens " +
			"result (object Result), orgAssociationId en attempt (via consumers) en associationType binnen object " +
			"Association verplicht\"",
		code: "Decode rejects a message without them (missing_field), which the handler answers 400",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"consumerKey"}, s.component("nl-test-admin-Association").Required)
		},
	},
	{
		id: "result-mandatory", kind: kindConflict,
		spec: "result is optional in the PATCH body, and Result requires state and resultDate (ComponentResult also " +
			"weight) but not its consumers",
		agreement: "§3.5.3 (result verplicht, as above); Table 4.3.D: consumers \"1 ... Verplicht voor ieder resultaat\"",
		code:      "Decode rejects a message without result or without its nl-test-admin consumer (missing_field): 400",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"state", "resultDate"}, s.component("Result").Required)
			assert.NoError(t, s.validateRequest(t, http.MethodPatch, first, "application/merge-patch+json",
				[]byte(`{"associationType": "componentOfferingAssociation"}`)), "a PATCH without result")
		},
	},
	{
		id: "executedOfferingName-mandatory", kind: kindConflict,
		spec:      "nl-test-admin-Result requires attendance and consumerKey; executedOfferingName is optional",
		agreement: "Table 4.3.D, executedOfferingName \"1 ... Verplicht te gebruiken in de overdacht van studentresultaat in flow 5\"",
		code:      "Decode rejects a result without it, or with it blank (missing_field): 400",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"attendance", "consumerKey"}, s.component("nl-test-admin-Result").Required)
		},
	},
	{
		id: "weight-100", kind: kindConflict,
		spec:      "ComponentResult.weight is an integer from 0 to 100",
		agreement: "Table 4.3.D, weight: \"Dit gegeven wordt niet gebruikt maar is verplicht, daarom altijd waarde 100!\"",
		code:      "Decode rejects any other weight (out_of_range): 400",
		holds: func(t *testing.T, s *loadedSpec) {
			w := s.component("ComponentResult").AllOf[1].Value.Properties["weight"].Value
			assert.Equal(t, 0.0, *w.Min)
			assert.Equal(t, 100.0, *w.Max)
		},
	},
	{
		id: "documentId-type", kind: kindConflict,
		spec: "documentId is a string in nl-test-admin-Result, but the spec's own examples give the number 123454 " +
			"(ConsumerOnResult, and the PATCH examples of flows 3.1 and 3.2.B)",
		agreement: "Table 4.6.A: documentId is an IDref, \"deze ID moet worden gebruikt bij de opvraging van het document\" " +
			"(GET /documents/{documentId}, a path: text)",
		code: "Decode rejects a number (wrong_type): 400; the examples are completed with \"123454\"",
		holds: func(t *testing.T, s *loadedSpec) {
			docs := s.component("nl-test-admin-Result").Properties["documents"].Value.Items.Value
			assert.True(t, docs.Properties["documentId"].Value.Type.Is("string"))
			ex := s.component("ConsumerOnResult").Example.([]any)[0].(map[string]any)
			assert.IsType(t, 0.0, ex["documents"].([]any)[0].(map[string]any)["documentId"])
		},
	},
	{
		id: "orgAssociationId-format", kind: kindConflict,
		spec: "orgAssociationId has format uuid, yet the spec's own example (ConsumerOnAssociation) is " +
			"\"123c6f59-21wg-47bf-96ff-d262d133c51g\", no UUID",
		agreement: "Table 4.3.A: orgAssociationId is \"Tekst\", a reference to the original enrolment",
		code:      "Decode takes any text id (at most 128 bytes, UTF-8, no control characters), a UUID or not",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, "uuid", s.component("nl-test-admin-Association").Properties["orgAssociationId"].Value.Format)
			ex := s.component("ConsumerOnAssociation").Example.([]any)[0].(map[string]any)
			assert.Equal(t, "123c6f59-21wg-47bf-96ff-d262d133c51g", ex["orgAssociationId"])
		},
	},
	{
		id: "put-person-readOnly", kind: kindConflict,
		spec: "the PUT body's person is readOnly, so that a PUT that sends it does not validate (its own two " +
			"examples do)",
		agreement: "Table 4.3.A: person \"1 ... Aanvullende eis Hier de personId gebruiken\"; §3.5.3: the PUT brings " +
			"\"een nieuwe toetsinschrijving in object Association\"",
		code: "Decode takes person in a PUT, as an id or a Person object with personId; the intake compares it " +
			"with the enrolment's student (wrong_student)",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.True(t, s.putSchema(t).OneOf[0].Value.Properties["person"].Value.ReadOnly)
		},
	},
	{
		id: "patch-null", kind: kindConflict,
		spec:      "result.comment and result.pass are not nullable: null fails the PATCH body's schema",
		agreement: "§4 (after Table 4.0.B): \"deze waarde null is dus hiervoor in PATCH toegestaan, ook wanneer dit element niet nullable is\"",
		code:      "Decode reads null in an optional field as the field absent",
		holds: func(t *testing.T, s *loadedSpec) {
			for _, f := range []string{"comment", "pass"} {
				assert.False(t, s.component("Result").Properties[f].Value.Nullable, f)
			}
		},
	},
	{
		id: "consumers-anyOf", kind: kindDefect,
		spec: "consumers items are anyOf [any consumer, the nl-test-admin consumer]; the first branch admits every " +
			"object with a consumerKey, so the spec checks no nl-test-admin field of a message",
		agreement: "Tables 4.3.A and 4.3.D define the nl-test-admin fields, which the KRS checks",
		code: "Decode checks every nl-test-admin field; the tests validate each nl-test-admin consumer against its " +
			"own schema too (nl-test-admin-Association, nl-test-admin-Result)",
		holds: func(t *testing.T, s *loadedSpec) {
			items := s.component("ConsumerOnResult").Items.Value
			require.Len(t, items.AnyOf, 2)
			assert.True(t, items.AnyOf[0].Value.AdditionalProperties.Has == nil || *items.AnyOf[0].Value.AdditionalProperties.Has)
		},
	},
	{
		id: "testDate-date", kind: kindLenient,
		spec:      "testDate is a date-time",
		agreement: "Table 4.3.D: testDate \"Waarde volgens ISO 8601 date-time\"; the examples of flow5.md send a bare date",
		code: "Decode takes a bare date too, as midnight in Europe/Amsterdam, as the agreement's own examples send it; " +
			"no valid message is refused for it",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, "date-time", s.component("nl-test-admin-Result").Properties["testDate"].Value.Format)
		},
	},
	{
		id: "associationId-uuid", kind: kindLenient,
		spec:      "the path's associationId, and the associationId of the PATCH answer, have format uuid",
		agreement: "Table 3.5.1: \"Padparameter: associationId=uuid\"; Table 4.3.A: \"in de vorm van een UUID\"",
		code: "the handler takes any id Decode takes that is also safe in a path (pathIDProblem) and echoes it; " +
			"the KRS made the ids of flow 1 itself, so an id that is no UUID is an unknown enrolment (400) unless " +
			"the KRS's ids are such. The tests use UUIDs",
		holds: func(t *testing.T, s *loadedSpec) {
			for _, m := range []string{http.MethodPatch, http.MethodPut} {
				assert.Equal(t, "uuid", s.operation(t, assocPath, m).Parameters[0].Value.Schema.Value.Format, m)
			}
		},
	},
	{
		id: "content-types", kind: kindLenient,
		spec:      "PATCH takes application/merge-patch+json only, PUT application/json only",
		agreement: "silent (OOAPI)",
		code:      "the handler takes application/json and every +json type for both, and a body without a Content-Type (see Handler)",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"application/merge-patch+json"},
				slices.Collect(maps.Keys(s.operation(t, assocPath, http.MethodPatch).RequestBody.Value.Content)))
			assert.Equal(t, []string{"application/json"},
				slices.Collect(maps.Keys(s.operation(t, assocPath, http.MethodPut).RequestBody.Value.Content)))
		},
	},
	{
		id: "patch-statuses", kind: kindGap,
		spec:      "PATCH declares 200 and 400 only",
		agreement: "§5.1: \"bij de PATCH-operatie is de volgende HTTP foutcode naast 200 (OK) voorzien: 400 (Bad request)\"",
		code: "the handler answers a PATCH 401 and 403 too (§5 has OAuth2 scopes, RFC 6750), 413, 415, 429 and 500, " +
			"each a Problem object (Table 5.0.D) that validates against the spec's Problem schema",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"200", "400"}, slices.Sorted(maps.Keys(s.operation(t, assocPath, http.MethodPatch).Responses.Map())))
		},
	},
	{
		id: "413-415", kind: kindGap,
		spec:      "no operation declares 413 or 415",
		agreement: "§5.1 lists neither",
		code: "the handler answers a body over MaxMessageSize 413 and a body declared as no JSON 415 (RFC 9110 " +
			"§15.5.14, §15.5.16), as Problem objects",
		holds: func(t *testing.T, s *loadedSpec) {
			for _, m := range []string{http.MethodPatch, http.MethodPut} {
				rs := s.operation(t, assocPath, m).Responses
				assert.Nil(t, rs.Status(413), m)
				assert.Nil(t, rs.Status(415), m)
			}
		},
	},
	{
		id: "patch-200-message", kind: kindGap,
		spec: "the PATCH 200 body is an association id, a PostResponse (message, required, at least one " +
			"language string) and a state",
		agreement: "Table 3.5.1: Antwoordbericht \"Statuscode\"; §3.5.2: \"een positieve terugmelding\"",
		code:      "the handler's 200 answer carries message (one en-GB string: the outcome and its reasons) and associationId, beside the receipt",
		holds: func(t *testing.T, s *loadedSpec) {
			body := s.operation(t, assocPath, http.MethodPatch).Responses.Status(200).Value.Content["application/json"].Schema.Value
			assert.Equal(t, []string{"message"}, body.AllOf[1].Value.Required)
		},
	},
	{
		id: "put-201", kind: kindConflict,
		spec:      "PUT declares 201 (Created), without a body, beside 200",
		agreement: "§5.1 lists 201 for PUT, but for an unforeseen attempt: \"moet het dit verzoek aannemen en verwerken (200)\"",
		code: "the handler answers every delivery taken in 200, also a PUT of an association the KRS did not know; " +
			"it never sends 201",
		holds: func(t *testing.T, s *loadedSpec) {
			r := s.operation(t, assocPath, http.MethodPut).Responses.Status(201)
			require.NotNil(t, r)
			assert.Empty(t, r.Value.Content)
		},
	},
	{
		id: "metadata-version-optional", kind: kindConflict,
		spec:      "supportedConsumers items require consumerKey and version",
		agreement: "Table 5.0.B: version \"?\" (optional)",
		code:      "ServiceMetadata takes a consumer without a version and answers it with AgreementVersion: both hold",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"consumerKey", "version"}, s.metadataSchema(t).Properties["supportedConsumers"].Value.Items.Value.Required)
		},
	},
	{
		id: "metadata-versions-enum", kind: kindConflict,
		spec:      "supportedVersions items are the enum v4, v5",
		agreement: "Table 5.0.B: \"bijvoorbeeld de waarden “v4” en “v5”\": examples, not a list",
		code:      "ServiceMetadata takes any \"v\" and a number, and requires v5, which the handler serves; the default is [v5]",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []any{"v4", "v5"}, s.metadataSchema(t).Properties["supportedVersions"].Value.Items.Value.Enum)
		},
	},
	{
		id: "metadata-security", kind: kindGap,
		spec:      "GET / has no security requirement (and the document none for all operations), yet declares 401 and 403",
		agreement: "silent: Table 5.0.A has the endpoint \"beschikbaar voor afnemers\"; ErrorHandling.md: \"Each request will need a scope in the auth token\"",
		code:      "the metadata endpoint takes a token like every other request (see HandlerConfig.Service)",
		holds: func(t *testing.T, s *loadedSpec) {
			op := s.operation(t, "/", http.MethodGet)
			assert.Nil(t, op.Security)
			assert.Empty(t, s.doc.Security)
			assert.NotNil(t, op.Responses.Status(401))
			assert.NotNil(t, op.Responses.Status(403))
		},
	},
	{
		id: "scopes", kind: kindConflict,
		spec: "the oAuthFlows scheme declares the one scope nl-test-admin-flow, while the operations require " +
			"nl-test-admin-flow-1-5 and nl-test-admin-flow-2-3-4; PATCH also takes openId associations.write",
		agreement: "§5: \"Binnen OKE zijn de volgende OAuth scopes gedefinieerd: nl-test-admin-flow-0, -1-5, -2-3-4, -6\"; " +
			"Table 5.1.A: flow 5 is in nl-test-admin-flow-1-5",
		code: "the handler requires what Authorize checks, Scope (nl-test-admin-flow-1-5), and names it in its challenges",
		holds: func(t *testing.T, s *loadedSpec) {
			flows := s.doc.Components.SecuritySchemes["oAuthFlows"].Value.Flows.ClientCredentials.Scopes
			assert.Equal(t, []string{"nl-test-admin-flow"}, slices.Collect(maps.Keys(flows)))
			req := *s.operation(t, assocPath, http.MethodPatch).Security
			assert.Contains(t, req[1]["oAuthFlows"], Scope)
		},
	},
	{
		id: "recursive-anchors", kind: kindDefect,
		spec: "four YAML anchors contain an alias to themselves (ref_20, the AcademicSession's properties; ref_31, " +
			"ref_33, ref_34), a cycle no JSON document has; kin-openapi refuses the file",
		agreement: "n/a",
		code:      "loadSpec breaks each of the 9 cyclic aliases into a schema that allows anything; none is on a flow-5 operation",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"ref_20", "ref_20", "ref_20", "ref_31", "ref_31", "ref_33", "ref_33", "ref_34", "ref_34"}, s.cycles)
		},
	},
	{
		id: "example-personId", kind: kindDefect,
		spec: "the two PUT examples give person (or personId) \"111-2222-33-4444-222\", no UUID, where the schema " +
			"has format uuid: the examples break their own schema",
		agreement: "Table 4.3.A: person is an IDref, \"Hier de personId gebruiken\"",
		code:      "Decode takes any id text as the person; the intake compares it with the enrolment's student",
		holds: func(t *testing.T, s *loadedSpec) {
			examples := s.operation(t, assocPath, http.MethodPut).RequestBody.Value.Content["application/json"].Examples
			ex := examples["Change student enrollment to offering (zitting) (flow 2.x)"].Value.Value.(map[string]any)
			assert.Equal(t, "111-2222-33-4444-222", ex["person"])
		},
	},
	{
		id: "stray-path-parameter", kind: kindDefect,
		spec:      "PUT /groups/{groupId}/members declares a path parameter personId its path lacks; kin-openapi refuses the document",
		agreement: "n/a (flow 1)",
		code:      "loadSpec takes the parameter out before it validates the document",
		holds: func(t *testing.T, s *loadedSpec) {
			assert.Equal(t, []string{"PUT /groups/{groupId}/members personId"}, s.strays)
		},
	},
	{
		id: "invalid-example", kind: kindDefect,
		spec:      "the example of finalEndDate (format date) is the text 'null': the document fails its own example validation",
		agreement: "n/a",
		code:      "loadSpec validates the document without its examples; with them, kin-openapi stops at this one",
		holds: func(t *testing.T, s *loadedSpec) {
			err := s.doc.Validate(context.Background(), openapi3.SetRegexCompiler(ecmaRegexp))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `invalid example: string doesn't match the format "date"`)
		},
	},
	{
		id: "ecma-pattern", kind: kindDefect,
		spec:      "the ISO 8601 duration pattern holds a lookahead, (?=\\d|T\\d), which Go's regexp lacks",
		agreement: "n/a",
		code:      "the tests compile it as two regexps, one for the lookahead (ecmaRegexp)",
		holds: func(t *testing.T, s *loadedSpec) {
			raw, err := os.ReadFile(specFile)
			require.NoError(t, err)
			assert.Equal(t, 4, bytes.Count(raw, []byte(`(?=\d|T\d)`)))
		},
	},
}

// TestConformanceConflicts: every row is complete and still describes the spec.
func TestConformanceConflicts(t *testing.T) {
	s := specOf(t)
	seen := map[string]bool{}
	for _, c := range specConflicts {
		t.Run(c.id, func(t *testing.T) {
			assert.False(t, seen[c.id], "id twice")
			seen[c.id] = true
			assert.Contains(t, []string{kindConflict, kindGap, kindLenient, kindDefect}, c.kind)
			assert.NotEmpty(t, c.spec)
			assert.NotEmpty(t, c.agreement)
			assert.NotEmpty(t, c.code)
			c.holds(t, s)
		})
	}
}

// conflictID returns the id if the table has it, and fails the test if not.
func conflictID(t *testing.T, id string) string {
	t.Helper()
	for _, c := range specConflicts {
		if c.id == id {
			return id
		}
	}
	t.Errorf("no conflict %q in specConflicts", id)
	return id
}

// A loadedSpec is the spec, loaded and validated.
type loadedSpec struct {
	doc    *openapi3.T
	cycles []string // the anchors of the cyclic aliases loadSpec broke
	strays []string // the path parameters loadSpec took from operations whose paths lack them
}

var specOnce = sync.OnceValues(loadSpec)

func specOf(t *testing.T) *loadedSpec {
	t.Helper()
	s, err := specOnce()
	require.NoError(t, err)
	return s
}

// loadSpec reads the spec, checks it is the copy the tests were written
// for, breaks its cyclic anchors (see "recursive-anchors"), loads it with
// kin-openapi, takes out its stray path parameter (see
// "stray-path-parameter") and validates it, without its examples (see
// "invalid-example").
func loadSpec() (*loadedSpec, error) {
	raw, err := os.ReadFile(specFile)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != specSHA256 {
		return nil, fmt.Errorf("%s is not the copy these tests were written for (SHA-256 %x)", specFile, sum)
	}
	if _, err := openapi3.NewLoader().LoadFromData(raw); err == nil || !strings.Contains(err.Error(), "contains itself") {
		return nil, fmt.Errorf("the spec as it is: want the error of its cyclic anchors, got %v", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	s := &loadedSpec{}
	breakCycles(&root, map[*yaml.Node]bool{}, map[*yaml.Node]bool{}, &s.cycles)
	slices.Sort(s.cycles)
	acyclic, err := yaml.Marshal(&root)
	if err != nil {
		return nil, err
	}
	if s.doc, err = openapi3.NewLoader().LoadFromData(acyclic); err != nil {
		return nil, err
	}
	for path, pi := range s.doc.Paths.Map() {
		for method, op := range pi.Operations() {
			op.Parameters = slices.DeleteFunc(op.Parameters, func(p *openapi3.ParameterRef) bool {
				stray := p.Value.In == openapi3.ParameterInPath && !strings.Contains(path, "{"+p.Value.Name+"}")
				if stray {
					s.strays = append(s.strays, method+" "+path+" "+p.Value.Name)
				}
				return stray
			})
		}
	}
	slices.Sort(s.strays)
	if err := s.doc.Validate(context.Background(), openapi3.DisableExamplesValidation(), openapi3.SetRegexCompiler(ecmaRegexp)); err != nil {
		return nil, fmt.Errorf("the spec does not validate: %w", err)
	}
	return s, nil
}

// breakCycles replaces each alias that points at a node it lies within by
// a schema that allows anything: an empty mapping where the anchor is a
// mapping (properties: {}), a list of one empty schema where it is a list
// (allOf: [{}]).
func breakCycles(n *yaml.Node, within, done map[*yaml.Node]bool, broken *[]string) {
	if n.Kind == yaml.AliasNode {
		if within[n.Alias] {
			*broken = append(*broken, n.Value)
			kind, tag := n.Alias.Kind, n.Alias.Tag
			*n = yaml.Node{Kind: kind, Tag: tag}
			if kind == yaml.SequenceNode {
				n.Content = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}
			}
			return
		}
		n = n.Alias
	}
	if done[n] {
		return
	}
	within[n] = true
	for _, c := range n.Content {
		breakCycles(c, within, done, broken)
	}
	delete(within, n)
	done[n] = true
}

// ecmaRegexp compiles the spec's patterns, which are ECMA 262 regular
// expressions (OAS 3.0.3 §4.7.24): as Go's regexp, or, for the one
// lookahead the spec uses, as two (see "ecma-pattern").
func ecmaRegexp(expr string) (openapi3.RegexMatcher, error) {
	re, err := regexp.Compile(expr)
	if err == nil {
		return re, nil
	}
	const lookahead = `(?=\d|T\d)`
	head, tail, ok := strings.Cut(expr, lookahead)
	if !ok {
		return nil, err
	}
	whole, err := regexp.Compile(head + tail)
	if err != nil {
		return nil, err
	}
	ahead, err := regexp.Compile(head + `(?:\d|T\d)`)
	if err != nil {
		return nil, err
	}
	return regexpPair{whole, ahead}, nil
}

type regexpPair [2]*regexp.Regexp

func (b regexpPair) MatchString(s string) bool { return b[0].MatchString(s) && b[1].MatchString(s) }

func TestECMARegexp(t *testing.T) {
	re, err := ecmaRegexp(`^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
	require.NoError(t, err)
	for s, want := range map[string]bool{"PT40M": true, "P1Y2M": true, "-P3D": true, "P": false, "PT": false, "PTM": false, "40M": false} {
		assert.Equal(t, want, re.MatchString(s), s)
	}
	_, err = ecmaRegexp(`(?<=x)`)
	assert.Error(t, err)
}

// schemaOptions are the options of every validation: the formats the spec
// uses that kin-openapi leaves unchecked by default, and its patterns.
func schemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
			"uuid":  openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562),
			"email": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail),
			"uri": openapi3.NewCallbackValidator(func(s string) error {
				if u, err := url.Parse(s); err != nil || !u.IsAbs() {
					return fmt.Errorf("%q is not an absolute URI", s)
				}
				return nil
			}),
		}),
		openapi3.SetSchemaRegexCompiler(ecmaRegexp),
		openapi3.MultiErrors(),
	}
}

func (s *loadedSpec) component(name string) *openapi3.Schema {
	ref := s.doc.Components.Schemas[name]
	if ref == nil {
		panic("no component schema " + name)
	}
	return ref.Value
}

func (s *loadedSpec) operation(t *testing.T, path, method string) *openapi3.Operation {
	t.Helper()
	pi := s.doc.Paths.Find(path)
	require.NotNil(t, pi, path)
	op := pi.GetOperation(method)
	require.NotNil(t, op, "%s %s", method, path)
	return op
}

// putSchema is the body schema of PUT /associations/{associationId}.
func (s *loadedSpec) putSchema(t *testing.T) *openapi3.Schema {
	return s.operation(t, assocPath, http.MethodPut).RequestBody.Value.Content["application/json"].Schema.Value
}

// metadataSchema is the schema of GET /'s answer.
func (s *loadedSpec) metadataSchema(t *testing.T) *openapi3.Schema {
	return s.operation(t, "/", http.MethodGet).Responses.Status(200).Value.Content["application/json"].Schema.Value
}

// problemSchema is the spec's Problem object (Table 5.0.D), the content of
// every error response it declares.
func (s *loadedSpec) problemSchema() *openapi3.Schema {
	return s.doc.Components.Responses["ErrorBadRequest"].Value.Content["application/problem+json"].Schema.Value
}

func (s *loadedSpec) route(t *testing.T, path, method string) *routers.Route {
	return &routers.Route{Spec: s.doc, Path: path, PathItem: s.doc.Paths.Find(path), Method: method, Operation: s.operation(t, path, method)}
}

// validateRequest validates a flow-5 request against the spec.
func (s *loadedSpec) validateRequest(t *testing.T, method, id, contentType string, body []byte) error {
	r := httptest.NewRequest(method, "/associations/"+url.PathEscape(id), bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: r, PathParams: map[string]string{"associationId": id}, Route: s.route(t, assocPath, method),
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true,
			SchemaValidationOptions: schemaOptions()},
	})
}

// validateConsumers validates the nl-test-admin consumers of a message
// against their own schemas (see "consumers-anyOf").
func (s *loadedSpec) validateConsumers(t *testing.T, body []byte) error {
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	var errs []error
	check := func(list any, schema string) {
		items, _ := list.([]any)
		for _, c := range items {
			if c, ok := c.(map[string]any); ok && c["consumerKey"] == testAdminConsumer {
				if err := s.component(schema).VisitJSON(c, append(schemaOptions(), openapi3.VisitAsRequest())...); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", schema, err))
				}
			}
		}
	}
	check(m["consumers"], "nl-test-admin-Association")
	if res, ok := m["result"].(map[string]any); ok {
		check(res["consumers"], "nl-test-admin-Result")
	}
	return errors.Join(errs...)
}

// TestConformanceSpec: the spec loads, once its defects are worked around,
// and validates; and those defects are the ones specConflicts names.
func TestConformanceSpec(t *testing.T) {
	s := specOf(t)
	assert.Equal(t, "3.0.3", s.doc.OpenAPI)
	for _, id := range []string{"recursive-anchors", "stray-path-parameter", "invalid-example", "ecma-pattern"} {
		conflictID(t, id)
	}
	for _, p := range []string{"/", assocPath} {
		assert.NotNil(t, s.doc.Paths.Find(p), p)
	}
	assert.Equal(t, "listServiceMetaData", s.operation(t, "/", http.MethodGet).OperationID)
	assert.Equal(t, "partialUpdateAssociationById", s.operation(t, assocPath, http.MethodPatch).OperationID)
	assert.Equal(t, "replaceAssociationById", s.operation(t, assocPath, http.MethodPut).OperationID)
}

// An exampleVerdict is what the spec's schema and the decoder make of a
// request example, and why.
type exampleVerdict struct {
	schemaErrors []string  // what the spec's own schema refuses, as fragments of its error; none if it takes it
	decode       []problem // what Decode rejects
	conflicts    []string  // the rows of specConflicts that explain it
}

// TestConformanceRequestExamples: every request example of the flow-5
// operations, which are all examples of flows 2 and 3 (the spec has no
// flow-5 example), against the spec's own schema and the decoder. The
// decoder rejects each, for what the agreement makes mandatory in flow 5
// and the example lacks, or for what the example gets wrong; where the
// example breaks the spec's own schema the verdict says so. Then each
// example that carries a result is completed as the agreement requires,
// and both the spec and the decoder take it.
func TestConformanceRequestExamples(t *testing.T) {
	s := specOf(t)
	missing := func(f string) problem { return problem{CodeMissing, f} }
	const rc = "result.consumers[0]."
	verdicts := map[string]exampleVerdict{
		"PATCH Delete student from offering (flow 2.4)": {
			decode:    []problem{missing("consumers"), missing("result")},
			conflicts: []string{"association-consumer-mandatory", "result-mandatory"},
		},
		"PATCH Send attendance and result directly (flow 3.1)": {
			decode: []problem{missing("consumers"), missing(rc + "executedOfferingName"),
				{CodeWrongType, rc + "documents[0].documentId"}},
			conflicts: []string{"association-consumer-mandatory", "executedOfferingName-mandatory", "documentId-type", "consumers-anyOf"},
		},
		"PATCH Send attendance for student directly (flow 3.2.A)": {
			decode:    []problem{missing("consumers"), missing(rc + "executedOfferingName")},
			conflicts: []string{"association-consumer-mandatory", "executedOfferingName-mandatory"},
		},
		"PATCH Send result for student (flow 3.2.B)": {
			decode: []problem{missing("consumers"), missing(rc + "executedOfferingName"),
				{CodeWrongType, rc + "documents[0].documentId"}},
			conflicts: []string{"association-consumer-mandatory", "executedOfferingName-mandatory", "documentId-type", "consumers-anyOf"},
		},
		"PUT Add student to created offering (zitting) (flow 2.2.B and 2.3)": {
			schemaErrors: []string{`readOnly property "person" in request`, `Error at "/personId": string doesn't match the format "uuid"`},
			decode:       []problem{missing("result"), missing("consumers[0].orgAssociationId"), missing("consumers[0].attempt")},
			conflicts:    []string{"put-person-readOnly", "example-personId", "association-consumer-mandatory", "result-mandatory"},
		},
		"PUT Change student enrollment to offering (zitting) (flow 2.x)": {
			schemaErrors: []string{`readOnly property "person" in request`, `string doesn't match the format "uuid"`},
			decode:       []problem{missing("result"), missing("consumers[0].orgAssociationId"), missing("consumers[0].attempt")},
			conflicts:    []string{"put-person-readOnly", "example-personId", "association-consumer-mandatory", "result-mandatory"},
		},
	}
	seen := 0
	for _, method := range []string{http.MethodPatch, http.MethodPut} {
		op := s.operation(t, assocPath, method)
		for contentType, mt := range op.RequestBody.Value.Content {
			for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
				key := method + " " + name
				t.Run(key, func(t *testing.T) {
					seen++
					want, ok := verdicts[key]
					require.True(t, ok, "an example the table lacks")
					for _, id := range want.conflicts {
						conflictID(t, id)
					}
					body, err := json.Marshal(mt.Examples[name].Value.Value)
					require.NoError(t, err)
					id := "123e4567-e89b-12d3-a456-426614174000"
					if v, ok := mt.Examples[name].Value.Value.(map[string]any)["associationId"].(string); ok {
						id = v // a PUT names its association in the body, as in the path
					}
					err = s.validateRequest(t, method, id, contentType, body)
					if len(want.schemaErrors) == 0 {
						assert.NoError(t, err, "the spec's own schema")
					} else if assert.Error(t, err, "the example breaks the spec's own schema") {
						for _, frag := range want.schemaErrors {
							assert.Contains(t, err.Error(), frag)
						}
					}
					wantProblems(t, mustReject(t, Method(method), id, body), want.decode...)

					// Completed as a flow-5 message, as the agreement has it.
					msg, ok := mt.Examples[name].Value.Value.(map[string]any)
					require.True(t, ok)
					if _, hasResult := msg["result"]; !hasResult {
						return // a flow-2 message about enrolment, not a result
					}
					done := completeForFlow5(t, msg, id)
					assert.NoError(t, s.validateRequest(t, method, id, contentType, done), "completed, the spec takes it")
					assert.NoError(t, s.validateConsumers(t, done), "completed, its consumers' own schemas take it")
					m := mustAccept(t, Method(method), id, done)
					assert.Equal(t, id, m.OrgAssociationID)
					assert.Equal(t, "variant-A", m.Result.ExecutedOfferingName)
				})
			}
		}
	}
	assert.Equal(t, len(verdicts), seen, "every example of the table is in the spec")
}

// completeForFlow5 adds to a flow-3 example what the agreement makes
// mandatory in flow 5, and makes its documentId text: the fixes the
// conflicts of TestConformanceRequestExamples name, and nothing else.
func completeForFlow5(t *testing.T, example map[string]any, id string) []byte {
	t.Helper()
	raw, err := json.Marshal(example)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m)) // a copy
	m["consumers"] = []any{map[string]any{"consumerKey": testAdminConsumer, "orgAssociationId": id, "attempt": 1}}
	res := m["result"].(map[string]any)
	for _, c := range res["consumers"].([]any) {
		c := c.(map[string]any)
		c["executedOfferingName"] = "variant-A"
		docs, _ := c["documents"].([]any)
		for _, d := range docs {
			d := d.(map[string]any)
			if n, ok := d["documentId"].(float64); ok {
				d["documentId"] = fmt.Sprint(n)
			}
		}
	}
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

// TestConformanceFlow5Messages: the flow-5 messages the decoder takes (the
// agreement's examples from flow5.md, completed, in testdata/spec), and a
// PATCH that removes optional fields with null, against the spec: the
// request's schema and, since that checks no nl-test-admin field, each
// nl-test-admin consumer's own schema. What the spec refuses is a named
// row of specConflicts.
func TestConformanceFlow5Messages(t *testing.T) {
	s := specOf(t)
	nulls := func(t *testing.T) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(message(t, first, 1), &m))
		res := m["result"].(map[string]any)
		res["comment"], res["pass"] = nil, nil
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return b
	}
	for _, tc := range []struct {
		name                  string
		method                Method
		id                    string
		body                  func(t *testing.T) []byte
		request, consumers    []string // what the spec refuses, as fragments of its errors
		requestWhy, consumWhy string   // the rows of specConflicts
	}{
		{name: "flow5.1-attendance", method: Patch, id: exampleID,
			consumers: []string{`Error at "/testDate": string doesn't match the format "date-time"`}, consumWhy: "testDate-date"},
		{name: "flow5.1-score", method: Patch, id: exampleID,
			consumers: []string{`Error at "/testDate": string doesn't match the format "date-time"`}, consumWhy: "testDate-date"},
		{name: "flow5.2-attempt", method: Put, id: exampleID,
			request: []string{`readOnly property "person" in request`}, requestWhy: "put-person-readOnly"},
		{name: "nl-test-admin-yaml", method: Patch, id: exampleID,
			consumers: []string{`Error at "/orgAssociationId": string doesn't match the format "uuid"`}, consumWhy: "orgAssociationId-format"},
		{name: "corrected/flow5.1-attendance/" + exampleID, method: Patch, id: exampleID},
		{name: "corrected/flow5.1-score/" + exampleID, method: Patch, id: exampleID},
		{name: "corrected/flow5.2-attempt/d7389ee1-4670-4354-96af-33b4be79ff71", method: Put, id: "d7389ee1-4670-4354-96af-33b4be79ff71",
			request: []string{`readOnly property "person" in request`}, requestWhy: "put-person-readOnly"},
		{name: "a PATCH with null for optional fields", method: Patch, id: first, body: nulls,
			request:    []string{`Error at "/comment": Value is not nullable`, `Error at "/pass": value is not one of the allowed values`},
			requestWhy: "patch-null"},
		{name: "the tests' own message", method: Patch, id: first, body: func(t *testing.T) []byte { return message(t, first, 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			if tc.body != nil {
				body = tc.body(t)
			} else if strings.HasPrefix(tc.name, "corrected/") {
				body = readTestdata(t, "spec/"+tc.name+".json")
			} else {
				body = readTestdata(t, "spec/"+tc.name+".complete.json")
			}
			mustAccept(t, tc.method, tc.id, body)
			contentType := "application/merge-patch+json"
			if tc.method == Put {
				contentType = "application/json"
			}
			for _, check := range []struct {
				err   error
				frags []string
				why   string
			}{
				{s.validateRequest(t, string(tc.method), tc.id, contentType, body), tc.request, tc.requestWhy},
				{s.validateConsumers(t, body), tc.consumers, tc.consumWhy},
			} {
				if len(check.frags) == 0 {
					assert.NoError(t, check.err)
					continue
				}
				conflictID(t, check.why)
				if assert.Error(t, check.err, check.why) {
					for _, f := range check.frags {
						assert.Contains(t, check.err.Error(), f)
					}
				}
			}
		})
	}
}

// A responseCase is one answer of the handler, and what the spec says of
// its status for the operation the request is for.
type responseCase struct {
	name               string
	handler            http.Handler
	method, path       string // the request
	token, contentType string
	body               []byte
	status             int
	undeclared         string // the row of specConflicts, when the operation does not declare the status
}

// TestConformanceResponses drives the real handler to every status it
// sends and validates each answer against the spec's definition for the
// operation: the body against the response's schema where the operation
// declares the status, and where it does not (a row of specConflicts says
// why), or where the spec has no operation for the request, against the
// spec's Problem object (Table 5.0.D), which every error answer is. 201
// is never sent ("put-201"): a PUT that makes an association new is 200.
func TestConformanceResponses(t *testing.T) {
	s := specOf(t)
	clock := func() time.Time { return at("2027-02-05", 9) }
	quiet := slog.New(slog.DiscardHandler)
	in := newIntake(t)
	h, err := NewHandler(IntakeTaker(in), HandlerConfig{Authorize: bearer, Clock: clock, Service: testService()})
	require.NoError(t, err)
	failing, err := NewHandler(TakerFunc(func(context.Context, Delivery, time.Time) (Receipt, error) {
		return Receipt{}, errors.New("disk full")
	}), HandlerConfig{Authorize: bearer, Clock: clock, Service: testService(), Logger: quiet})
	require.NoError(t, err)
	authFails, err := NewHandler(IntakeTaker(newIntake(t)), HandlerConfig{
		Authorize: func(*http.Request) (Client, error) {
			return Client{}, errors.New("introspection endpoint out of reach")
		},
		Clock: clock, Service: testService(), Logger: quiet})
	require.NoError(t, err)
	limited := func() http.Handler { // one request, then 429
		h, err := NewHandler(IntakeTaker(newIntake(t)), HandlerConfig{Authorize: bearer, Clock: clock, Service: testService(),
			RateLimit: RateLimit{PerSecond: 1, Burst: 1}})
		require.NoError(t, err)
		serveRequest(t, h, "GET", "/", "Bearer good", "")
		return h
	}
	const extra = "a1000000-0000-4000-8000-0000000000c2"
	_, knewExtra := in.Store.Result(extra)
	put := message(t, first, 2, func(m, res, rc map[string]any) {
		m["associationId"] = extra
		rc["testDate"] = "2027-02-04T11:00:00+01:00"
	})
	patch := message(t, first, 1)
	huge := append([]byte(`{"x": "`), append(bytes.Repeat([]byte("a"), MaxMessageSize), []byte(`"}`)...)...)
	const merge, plain = "application/merge-patch+json", "application/json"
	a := "/ooapi/associations/" + first
	cases := []responseCase{
		{name: "PATCH taken in", handler: h, method: "PATCH", path: a, token: "good", contentType: merge, body: patch, status: 200},
		{name: "PATCH rejected", handler: h, method: "PATCH", path: a, token: "good", contentType: merge, body: []byte(`{"result": [1,]}`), status: 400},
		{name: "PATCH bad id", handler: h, method: "PATCH", path: "/ooapi/associations/a%2Fb", token: "good", contentType: merge, body: patch, status: 400},
		{name: "PATCH no token", handler: h, method: "PATCH", path: a, contentType: merge, body: patch, status: 401, undeclared: "patch-statuses"},
		{name: "PATCH no scope", handler: h, method: "PATCH", path: a, token: "other", contentType: merge, body: patch, status: 403, undeclared: "patch-statuses"},
		{name: "PATCH too large", handler: h, method: "PATCH", path: a, token: "good", contentType: merge, body: huge, status: 413, undeclared: "413-415"},
		{name: "PATCH no JSON", handler: h, method: "PATCH", path: a, token: "good", contentType: "text/plain", body: patch, status: 415, undeclared: "413-415"},
		{name: "PATCH too many", handler: limited(), method: "PATCH", path: a, token: "good", contentType: merge, body: patch, status: 429, undeclared: "patch-statuses"},
		{name: "PATCH taker fails", handler: failing, method: "PATCH", path: a, token: "good", contentType: merge, body: patch, status: 500, undeclared: "patch-statuses"},

		{name: "PUT taken in, new", handler: h, method: "PUT", path: "/ooapi/associations/" + extra, token: "good", contentType: plain, body: put, status: 200},
		{name: "PUT rejected", handler: h, method: "PUT", path: a, token: "good", contentType: plain, body: put, status: 400},
		{name: "PUT no token", handler: h, method: "PUT", path: a, contentType: plain, body: put, status: 401},
		{name: "PUT no scope", handler: h, method: "PUT", path: a, token: "other", contentType: plain, body: put, status: 403},
		{name: "PUT too large", handler: h, method: "PUT", path: a, token: "good", contentType: plain, body: huge, status: 413, undeclared: "413-415"},
		{name: "PUT no JSON", handler: h, method: "PUT", path: a, token: "good", contentType: "application/xml", body: put, status: 415, undeclared: "413-415"},
		{name: "PUT too many", handler: limited(), method: "PUT", path: a, token: "good", contentType: plain, body: put, status: 429},
		{name: "PUT taker fails", handler: failing, method: "PUT", path: a, token: "good", contentType: plain, body: put, status: 500},

		{name: "GET association", handler: h, method: "GET", path: a, token: "good", status: 405},
		{name: "DELETE association", handler: h, method: "DELETE", path: a, token: "good", status: 405},
		{name: "GET offering", handler: h, method: "GET", path: "/ooapi/offerings/5ffc6127-debe-48ce-90ae-75ea80756475", token: "good", status: 404},
		{name: "PATCH elsewhere", handler: h, method: "PATCH", path: "/ooapi/persons/x/y", token: "good", contentType: merge, body: patch, status: 404},

		{name: "metadata", handler: h, method: "GET", path: "/", token: "good", status: 200},
		{name: "metadata under /ooapi", handler: h, method: "GET", path: "/ooapi/", token: "good", status: 200},
		{name: "metadata no token", handler: h, method: "GET", path: "/", status: 401},
		{name: "metadata no scope", handler: h, method: "GET", path: "/ooapi", token: "other", status: 403},
		{name: "metadata too many", handler: limited(), method: "GET", path: "/", token: "good", status: 429},
		{name: "metadata authorizer fails", handler: authFails, method: "GET", path: "/", token: "good", status: 500},
		{name: "metadata POST", handler: h, method: "POST", path: "/", token: "good", status: 405},
	}
	statuses := map[int]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, bytes.NewReader(tc.body))
			if tc.token != "" {
				r.Header.Set("Authorization", "Bearer "+tc.token)
			}
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			w := httptest.NewRecorder()
			tc.handler.ServeHTTP(w, r)
			require.Equal(t, tc.status, w.Code, "%s", w.Body)
			statuses[w.Code] = true

			specPath, specMethod := specOperation(s, tc.method, r.URL.EscapedPath())
			if specPath != "" {
				err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
					RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, Route: s.route(t, specPath, specMethod)},
					Status:                 w.Code, Header: w.Header(), Body: bodyOf(w.Body.Bytes()),
					Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SchemaValidationOptions: schemaOptions()},
				})
				if tc.undeclared == "" {
					assert.NoError(t, err, "%s %s %d", specMethod, specPath, w.Code)
				} else {
					conflictID(t, tc.undeclared)
					var re *openapi3filter.ResponseError
					if assert.ErrorAs(t, err, &re, "%s %s does not declare %d", specMethod, specPath, w.Code) {
						assert.Equal(t, "status is not supported", re.Reason)
					}
				}
			} else {
				assert.Empty(t, tc.undeclared, "no operation in the spec for %s %s", tc.method, tc.path)
			}

			if w.Code >= 400 { // Table 5.0.D, declared or not
				assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
				var v any
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v))
				assert.NoError(t, s.problemSchema().VisitJSON(v, append(schemaOptions(), openapi3.VisitAsResponse())...))
				assert.Equal(t, fmt.Sprint(w.Code), v.(map[string]any)["status"])
			}
			switch w.Code {
			case 200:
				assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			case 401:
				assert.Equal(t, `Bearer scope="nl-test-admin-flow-1-5"`, w.Header().Get("WWW-Authenticate"))
			case 403:
				assert.Equal(t, `Bearer error="insufficient_scope", scope="nl-test-admin-flow-1-5"`, w.Header().Get("WWW-Authenticate"))
			case 405:
				assert.NotEmpty(t, w.Header().Get("Allow"))
			case 429:
				assert.Regexp(t, `^[1-9][0-9]*$`, w.Header().Get("Retry-After"))
			}
		})
	}
	assert.Equal(t, []int{200, 400, 401, 403, 404, 405, 413, 415, 429, 500}, slices.Sorted(maps.Keys(statuses)))

	// 201: the PUT above made the association new, and was answered 200.
	conflictID(t, "put-201")
	assert.False(t, knewExtra)
	assert.Equal(t, 2, stored(t, in, extra).Record.Attempt, "the PUT made the association's result")
}

// specOperation returns the operation of the spec a request is for, by
// its path without the /ooapi prefix; "" when the spec has none.
func specOperation(s *loadedSpec, method, path string) (specPath, specMethod string) {
	p := strings.TrimPrefix(path, "/ooapi")
	for tmpl, re := range map[string]*regexp.Regexp{
		"/":                       regexp.MustCompile(`^/?$`),
		assocPath:                 regexp.MustCompile(`^/associations/[^/]+$`),
		"/offerings/{offeringId}": regexp.MustCompile(`^/offerings/[^/]+$`),
	} {
		if re.MatchString(p) {
			if s.doc.Paths.Find(tmpl).GetOperation(method) != nil {
				return tmpl, method
			}
		}
	}
	return "", ""
}

type bodyCloser struct{ *bytes.Reader }

func (bodyCloser) Close() error { return nil }

func bodyOf(b []byte) bodyCloser { return bodyCloser{bytes.NewReader(b)} }

// TestConformanceServiceMetadata: the metadata the handler serves
// validates against the schema of GET /, with its formats (email, uri)
// checked; also with the versions and consumers an institution may set.
// The agreement lets a consumer's version out, the spec does not
// ("metadata-version-optional"): the handler always sends one.
func TestConformanceServiceMetadata(t *testing.T) {
	s := specOf(t)
	conflictID(t, "metadata-version-optional")
	conflictID(t, "metadata-security")
	for name, svc := range map[string]ServiceMetadata{
		"defaults": testService(),
		"set": func() ServiceMetadata {
			m := testService()
			m.SupportedVersions = []string{"v4", "v5"}
			m.SupportedConsumers = []SupportedConsumer{{ConsumerKey: "nl-test-admin", Version: "1.0"}, {ConsumerKey: "nl-test-admin"}}
			return m
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			h, err := NewHandler(&acceptAll{}, HandlerConfig{Authorize: bearer, Clock: time.Now, Service: svc})
			require.NoError(t, err)
			for _, path := range []string{"/", "/ooapi/", "/ooapi"} {
				r := httptest.NewRequest("GET", path, nil)
				r.Header.Set("Authorization", "Bearer good")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				require.Equal(t, http.StatusOK, w.Code)
				err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
					RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, Route: s.route(t, "/", http.MethodGet)},
					Status:                 w.Code, Header: w.Header(), Body: bodyOf(w.Body.Bytes()),
					Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SchemaValidationOptions: schemaOptions()},
				})
				assert.NoError(t, err, path)
			}
		})
	}

	// What the agreement allows and the spec refuses, and what the formats catch.
	for name, tc := range map[string]struct {
		body, want string
	}{
		"version left out": {`{"contactEmail":"a@b.nl","specification":"https://b.nl/s","documentation":"https://b.nl/d",` +
			`"supportedConsumers":[{"consumerKey":"nl-test-admin"}]}`, `property "version" is missing`},
		"v6": {`{"contactEmail":"a@b.nl","specification":"https://b.nl/s","documentation":"https://b.nl/d","supportedVersions":["v6"]}`,
			`value is not one of the allowed values ["v4","v5"]`},
		"no e-mail": {`{"contactEmail":"a","specification":"https://b.nl/s","documentation":"https://b.nl/d"}`, `format "email"`},
		"no URI":    {`{"contactEmail":"a@b.nl","specification":"spec.yaml","documentation":"https://b.nl/d"}`, `format "uri"`},
	} {
		var v any
		require.NoError(t, json.Unmarshal([]byte(tc.body), &v))
		err := s.metadataSchema(t).VisitJSON(v, append(schemaOptions(), openapi3.VisitAsResponse())...)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), tc.want, name)
		}
	}
}
