package oke

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The versions the handler answers in its service metadata by default.
const (
	// OOAPIVersion is the version of OOAPI the handler serves, as the
	// service metadata's supportedVersions names it (Table 5.0.B: "v4" and
	// "v5" for versions 4.0 and 5.0 of OOAPI). OKE is an OOAPI v5 profile.
	OOAPIVersion = "v5"

	// AgreementVersion is the version of the OKE agreement (afsprakenset)
	// this package implements: the version of its nl-test-admin consumer
	// (Table 5.0.B: "Aanduiding van de versie van consumers, bijvoorbeeld
	// de waarden “0.9.3” of “1.0”"; those are versions of the agreement).
	AgreementVersion = "1.0.1"
)

// ServiceMetadata is what the service metadata endpoint answers (Tables
// 5.0.A and 5.0.B): "Dit endpoint is binnen alle koppelvlakken beschikbaar
// voor afnemers om te kunnen inzien of de in het eigen systeem
// geïmplementeerde versies worden ondersteund." The handler answers it at
// GET /, GET /ooapi/ and GET /ooapi, to a caller that passes Authorize as
// every other request must (see HandlerConfig.Service).
//
// ContactEmail, Specification and Documentation are the institution's own
// and have no default. SupportedVersions and SupportedConsumers default to
// what this package implements, which is what the agreement fixes: OOAPI
// v5, and the consumer nl-test-admin at AgreementVersion. Marshalled as
// JSON it is the body of the answer; NewHandler fills in the defaults
// first.
type ServiceMetadata struct {
	// ContactEmail is the e-mail address of the service's contact person
	// (Table 5.0.B, mandatory): a bare address such as
	// "koppelingen@roc-voorbeeld.nl", without a display name; at most 256
	// bytes.
	ContactEmail string `json:"contactEmail"`

	// Specification is the URL of the technical API specification, YAML
	// or JSON according to OAS3 (Table 5.0.B, mandatory): an absolute
	// http or https URL of at most 2048 bytes.
	Specification string `json:"specification"`

	// Documentation is the URL of the API documentation, "inclusief
	// algemene voorwaarden en privacy-/beveiligingseisen" (Table 5.0.B,
	// mandatory): an absolute http or https URL of at most 2048 bytes.
	Documentation string `json:"documentation"`

	// SupportedVersions are the OOAPI versions the API supports, such as
	// "v5". Empty means [OOAPIVersion]; a list set must name OOAPIVersion,
	// which is what the handler serves, and every entry is "v" and a
	// number.
	SupportedVersions []string `json:"supportedVersions,omitempty"`

	// SupportedConsumers are the consumer extensions the API supports, with
	// their versions. Empty means nl-test-admin at AgreementVersion. The
	// agreement fixes the key: "Hier altijd de waarde “nl-test-admin” voor
	// de uitwisselingen in deze specificatie gebruiken"; an entry with
	// another key is refused, and an entry without a Version gets
	// AgreementVersion.
	SupportedConsumers []SupportedConsumer `json:"supportedConsumers,omitempty"`
}

// A SupportedConsumer is one entry of the service metadata's
// supportedConsumers (Table 5.0.B): a consumer extension and its version.
type SupportedConsumer struct {
	// ConsumerKey is always "nl-test-admin" for OKE.
	ConsumerKey string `json:"consumerKey"`

	// Version is the version of the consumer, such as "1.0.1". The
	// agreement makes it optional ("?"); the handler always sends one,
	// AgreementVersion unless set, because the OpenAPI specification
	// requires it.
	Version string `json:"version,omitempty"`
}

// IsZero reports whether no field of the metadata is set: a handler
// configured with it serves no metadata.
func (s ServiceMetadata) IsZero() bool {
	return s.ContactEmail == "" && s.Specification == "" && s.Documentation == "" &&
		len(s.SupportedVersions) == 0 && len(s.SupportedConsumers) == 0
}

// withDefaults returns a copy with the defaults filled in, sharing no
// slice with s.
func (s ServiceMetadata) withDefaults() ServiceMetadata {
	if len(s.SupportedVersions) == 0 {
		s.SupportedVersions = []string{OOAPIVersion}
	} else {
		s.SupportedVersions = slices.Clone(s.SupportedVersions)
	}
	if len(s.SupportedConsumers) == 0 {
		s.SupportedConsumers = []SupportedConsumer{{ConsumerKey: testAdminConsumer}}
	} else {
		s.SupportedConsumers = slices.Clone(s.SupportedConsumers)
	}
	for i := range s.SupportedConsumers {
		if s.SupportedConsumers[i].Version == "" {
			s.SupportedConsumers[i].Version = AgreementVersion
		}
	}
	return s
}

// Validate reports what makes the metadata unfit to serve, with the
// defaults filled in: a mandatory field missing, an e-mail address or URL
// that does not parse, a version that names no OOAPI version, or a consumer
// other than nl-test-admin. NewHandler refuses such metadata with an error
// that matches ErrHandlerConfig; Validate lets a caller check it sooner.
// The zero ServiceMetadata is valid: it serves no metadata.
func (s ServiceMetadata) Validate() error {
	if s.IsZero() {
		return nil
	}
	s = s.withDefaults()
	var missing, problems []string
	switch {
	case s.ContactEmail == "":
		missing = append(missing, "ContactEmail")
	default:
		if p := emailProblem(s.ContactEmail); p != "" {
			problems = append(problems, "ContactEmail "+p)
		}
	}
	for _, f := range []struct{ name, value string }{{"Specification", s.Specification}, {"Documentation", s.Documentation}} {
		if f.value == "" {
			missing = append(missing, f.name)
		} else if p := urlProblem(f.value); p != "" {
			problems = append(problems, f.name+" "+p)
		}
	}
	for i, v := range s.SupportedVersions {
		switch {
		case !versionName.MatchString(v):
			problems = append(problems, fmt.Sprintf("SupportedVersions[%d] %s is not an OOAPI version such as %q", i, quoteValue(v), OOAPIVersion))
		case slices.Index(s.SupportedVersions, v) < i:
			problems = append(problems, fmt.Sprintf("SupportedVersions[%d] %s twice", i, quoteValue(v)))
		}
	}
	if !slices.Contains(s.SupportedVersions, OOAPIVersion) {
		problems = append(problems, fmt.Sprintf("SupportedVersions lacks %q, which the handler serves", OOAPIVersion))
	}
	for i, c := range s.SupportedConsumers {
		switch {
		case c.ConsumerKey != testAdminConsumer:
			problems = append(problems, fmt.Sprintf("SupportedConsumers[%d] has consumerKey %s; the agreement has it always %q (Table 5.0.B)",
				i, quoteValue(c.ConsumerKey), testAdminConsumer))
		case !printable(c.Version, 64):
			problems = append(problems, fmt.Sprintf("SupportedConsumers[%d] has version %s, not a short printable text", i, quoteValue(c.Version)))
		case slices.Index(s.SupportedConsumers, c) < i:
			problems = append(problems, fmt.Sprintf("SupportedConsumers[%d] twice", i))
		}
	}
	if len(missing) > 0 {
		problems = append([]string{"Service metadata lacks " + strings.Join(missing, ", ") + " (Table 5.0.B makes them mandatory)"}, problems...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("oke: %w: %s", ErrHandlerConfig, strings.Join(problems, "; "))
	}
	return nil
}

// versionName is an OOAPI version as supportedVersions names it.
var versionName = regexp.MustCompile(`^v[1-9][0-9]{0,2}$`)

// emailProblem says why an address is no bare e-mail address, or "".
func emailProblem(s string) string {
	if len(s) > 256 {
		return "is longer than 256 bytes"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return quoteValue(s) + " is not a bare e-mail address such as koppelingen@roc-voorbeeld.nl"
	}
	return ""
}

// urlProblem says why a value is no absolute http(s) URL, or "".
func urlProblem(s string) string {
	if len(s) > 2048 {
		return "is longer than 2048 bytes"
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !printable(s, 2048) {
		return quoteValue(s) + " is not an absolute http or https URL"
	}
	return ""
}

// printable reports whether s is non-empty, at most max bytes, UTF-8, and
// holds no control character.
func printable(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) })
}

// encode returns the body of the metadata answer: the metadata with its
// defaults, as JSON. It is made once, by NewHandler.
func (s ServiceMetadata) encode() ([]byte, error) {
	b, err := json.Marshal(s.withDefaults())
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
