package oke

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testService is metadata an institution would configure.
func testService() ServiceMetadata {
	return ServiceMetadata{
		ContactEmail:  "koppelingen@roc-voorbeeld.nl",
		Specification: "https://roc-voorbeeld.nl/ooapi/ooapiv5_MBO.yaml",
		Documentation: "https://roc-voorbeeld.nl/ooapi/voorwaarden",
	}
}

func TestServiceMetadataValidate(t *testing.T) {
	require.NoError(t, ServiceMetadata{}.Validate(), "the zero metadata serves none")
	require.NoError(t, testService().Validate())
	with := func(edit func(*ServiceMetadata)) ServiceMetadata {
		s := testService()
		edit(&s)
		return s
	}
	for name, tc := range map[string]struct {
		s    ServiceMetadata
		want string
	}{
		"only an e-mail": {ServiceMetadata{ContactEmail: "a@b.nl"}, "lacks Specification, Documentation (Table 5.0.B"},
		"only versions":  {ServiceMetadata{SupportedVersions: []string{"v5"}}, "lacks ContactEmail, Specification, Documentation"},
		"display name":   {with(func(s *ServiceMetadata) { s.ContactEmail = "Koppelingen <k@roc.nl>" }), "not a bare e-mail address"},
		"no address":     {with(func(s *ServiceMetadata) { s.ContactEmail = "koppelingen" }), "not a bare e-mail address"},
		"long address":   {with(func(s *ServiceMetadata) { s.ContactEmail = strings.Repeat("a", 250) + "@roc.nl" }), "longer than 256"},
		"ftp":            {with(func(s *ServiceMetadata) { s.Specification = "ftp://roc.nl/spec.yaml" }), "Specification \"ftp://roc.nl/spec.yaml\" is not an absolute"},
		"relative":       {with(func(s *ServiceMetadata) { s.Documentation = "/ooapi/docs" }), "Documentation \"/ooapi/docs\" is not an absolute"},
		"no host":        {with(func(s *ServiceMetadata) { s.Documentation = "https://" }), "is not an absolute"},
		"control":        {with(func(s *ServiceMetadata) { s.Documentation = "https://roc.nl/\x00" }), "is not an absolute"},
		"long url":       {with(func(s *ServiceMetadata) { s.Documentation = "https://roc.nl/" + strings.Repeat("a", 2048) }), "longer than 2048"},
		"no v5":          {with(func(s *ServiceMetadata) { s.SupportedVersions = []string{"v4"} }), `lacks "v5"`},
		"no version":     {with(func(s *ServiceMetadata) { s.SupportedVersions = []string{"v5", "5.0"} }), `"5.0" is not an OOAPI version`},
		"twice":          {with(func(s *ServiceMetadata) { s.SupportedVersions = []string{"v5", "v5"} }), "twice"},
		"other consumer": {with(func(s *ServiceMetadata) { s.SupportedConsumers = []SupportedConsumer{{ConsumerKey: "nl-edu"}} }), `always "nl-test-admin"`},
		"bad version": {with(func(s *ServiceMetadata) {
			s.SupportedConsumers = []SupportedConsumer{{ConsumerKey: "nl-test-admin", Version: "1.0\n"}}
		}), "not a short printable text"},
		"same consumer twice": {with(func(s *ServiceMetadata) {
			s.SupportedConsumers = []SupportedConsumer{{ConsumerKey: "nl-test-admin"}, {ConsumerKey: "nl-test-admin", Version: AgreementVersion}}
		}), "SupportedConsumers[1] twice"},
	} {
		err := tc.s.Validate()
		require.ErrorIs(t, err, ErrHandlerConfig, name)
		assert.Contains(t, err.Error(), tc.want, name)
		h, err := NewHandler(&acceptAll{}, HandlerConfig{InsecureNoAuth: true, Clock: time.Now, Service: tc.s})
		require.ErrorIs(t, err, ErrHandlerConfig, name)
		assert.Nil(t, h, name)
	}

	// Two versions of the consumer, and OOAPI v4 beside v5, are fine.
	s := with(func(s *ServiceMetadata) {
		s.SupportedVersions = []string{"v4", "v5"}
		s.SupportedConsumers = []SupportedConsumer{{ConsumerKey: "nl-test-admin", Version: "1.0"}, {ConsumerKey: "nl-test-admin"}}
	})
	require.NoError(t, s.Validate())
}

// The metadata endpoint answers at /, /ooapi/ and /ooapi, with the
// defaults the agreement fixes, to a caller with a token.
func TestHandlerServesMetadata(t *testing.T) {
	cfg := testService()
	cfg.SupportedConsumers = []SupportedConsumer{{ConsumerKey: "nl-test-admin"}}
	h, err := NewHandler(&acceptAll{}, HandlerConfig{Authorize: bearer, Clock: time.Now, Service: cfg})
	require.NoError(t, err)
	cfg.SupportedConsumers[0].Version = "changed after NewHandler"

	want := `{"contactEmail":"koppelingen@roc-voorbeeld.nl",` +
		`"specification":"https://roc-voorbeeld.nl/ooapi/ooapiv5_MBO.yaml",` +
		`"documentation":"https://roc-voorbeeld.nl/ooapi/voorwaarden",` +
		`"supportedVersions":["v5"],"supportedConsumers":[{"consumerKey":"nl-test-admin","version":"1.0.1"}]}` + "\n"
	for _, path := range []string{"/", "/ooapi/", "/ooapi"} {
		w, _ := serveRequest(t, h, "GET", path, "Bearer good", "")
		assert.Equal(t, http.StatusOK, w.Code, path)
		assert.Equal(t, "application/json", w.Header().Get("Content-Type"), path)
		assert.Equal(t, want, w.Body.String(), path)
		var got ServiceMetadata
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
		assert.Equal(t, AgreementVersion, got.SupportedConsumers[0].Version)

		w, _ = serveRequest(t, h, "HEAD", path, "Bearer good", "")
		assert.Equal(t, http.StatusOK, w.Code, path)

		w, a := serveRequest(t, h, "GET", path, "", "")
		assert.Equal(t, http.StatusUnauthorized, w.Code, "%s: the metadata takes a token", path)
		assert.Equal(t, "401", a.Status)
		w, _ = serveRequest(t, h, "GET", path, "Bearer other", "")
		assert.Equal(t, http.StatusForbidden, w.Code, path)

		w, a = serveRequest(t, h, "POST", path, "Bearer good", "")
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code, path)
		assert.Equal(t, "GET, HEAD", w.Header().Get("Allow"), path)
		assert.Equal(t, "405", a.Status)
	}
	for _, path := range []string{"/ooapi/x", "/x", "/ooapi/associations"} {
		w, _ := serveRequest(t, h, "GET", path, "Bearer good", "")
		assert.Equal(t, http.StatusNotFound, w.Code, path)
	}
}

// A handler configured without metadata serves none.
func TestHandlerWithoutMetadata(t *testing.T) {
	h, err := NewHandler(&acceptAll{}, HandlerConfig{Authorize: bearer, Clock: time.Now})
	require.NoError(t, err)
	for _, path := range []string{"/", "/ooapi/", "/ooapi"} {
		w, a := serveRequest(t, h, "GET", path, "Bearer good", "")
		assert.Equal(t, http.StatusNotFound, w.Code, path)
		assert.Equal(t, "404", a.Status)
	}
}
