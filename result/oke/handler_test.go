package oke

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bearer is a stand-in for the integrator's OAuth2 check: a token "good"
// has the flow-5 scope, "other" a token without it.
func bearer(r *http.Request) (Client, error) {
	switch r.Header.Get("Authorization") {
	case "Bearer good":
		return Client{Subject: "planner", Scopes: []string{Scope}, Issuer: "https://idp.example"}, nil
	case "Bearer other":
		return Client{}, fmt.Errorf("token lacks scope %s: %w", Scope, ErrForbidden)
	}
	return Client{}, fmt.Errorf("no valid bearer token: %w", ErrUnauthenticated)
}

func server(t *testing.T) (*httptest.Server, *Intake) {
	in := newIntake(t)
	clock := func() time.Time { return at("2027-02-05", 9) }
	h, err := NewHandler(IntakeTaker(in), HandlerConfig{Authorize: bearer, Clock: clock})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, in
}

func send(t *testing.T, srv *httptest.Server, method, path, token string, body []byte) (*http.Response, answer) {
	t.Helper()
	return sendTyped(t, srv, method, path, token, "application/json", body)
}

// sendTyped sends a request with a Content-Type, none when it is "".
func sendTyped(t *testing.T, srv *httptest.Server, method, path, token, contentType string, body []byte) (*http.Response, answer) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var a answer
	require.NoError(t, json.NewDecoder(res.Body).Decode(&a))
	return res, a
}

func TestHandlerOverHTTP(t *testing.T) {
	srv, in := server(t)
	res, a := send(t, srv, "PATCH", "/ooapi/associations/"+first, "good", message(t, first, 1))
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.Equal(t, Accepted, a.Outcome)
	assert.Equal(t, "200", a.Status)
	assert.Equal(t, 1, a.Seq)
	assert.Equal(t, result.Provisional, stored(t, in, first).State)

	// The extra attempt over PUT, without the /ooapi prefix.
	extra := "a1000000-0000-4000-8000-0000000000c2"
	res, a = send(t, srv, "PUT", "/associations/"+extra, "good", message(t, first, 2, func(m, res, rc map[string]any) {
		m["associationId"] = extra
		rc["testDate"] = "2027-02-04T11:00:00+01:00"
	}))
	assert.Equal(t, http.StatusOK, res.StatusCode, "%+v", a)
	assert.Equal(t, Accepted, a.Outcome)

	// Rejected: 400 as a Problem, with every reason.
	res, a = send(t, srv, "PATCH", "/ooapi/associations/"+first, "good", []byte("{\n  \"result\": [1,]\n}"))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assert.Equal(t, Rejected, a.Outcome)
	require.Len(t, a.Reasons, 1)
	assert.Equal(t, CodeMalformed, a.Reasons[0].Code)
	assert.Equal(t, 2, a.Reasons[0].Line)
}

func TestHandlerRefusals(t *testing.T) {
	srv, in := server(t)
	body := message(t, first, 1)
	res, a := send(t, srv, "PATCH", "/ooapi/associations/"+first, "", body)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.Contains(t, res.Header.Get("WWW-Authenticate"), Scope)
	assert.Equal(t, "401", a.Status)
	res, a = send(t, srv, "PATCH", "/ooapi/associations/"+first, "other", body)
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	assert.Contains(t, a.Detail, "lacks scope")
	assert.Empty(t, in.Store.(*MemoryStore).Log(), "a refused request reaches nothing")

	res, a = send(t, srv, "GET", "/ooapi/associations/"+first, "good", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Equal(t, "PATCH, PUT", res.Header.Get("Allow"))
	res, _ = send(t, srv, "PATCH", "/ooapi/offerings/x", "good", body)
	assert.Equal(t, http.StatusNotFound, res.StatusCode)

	huge := append([]byte(`{"x": "`), append(bytes.Repeat([]byte("a"), MaxMessageSize), []byte(`"}`)...)...)
	res, a = send(t, srv, "PATCH", "/ooapi/associations/"+first, "good", huge)
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assert.Contains(t, a.Detail, "at most")
}

// Concurrent deliveries of the same association: one takes it in, the rest
// are duplicates; every delivery is kept; nothing is lost or doubled.
func TestHandlerConcurrentDeliveries(t *testing.T) {
	srv, in := server(t)
	body := message(t, first, 1)
	const n = 24
	outcomes := make([]Outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest("PATCH", srv.URL+"/ooapi/associations/"+first, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer good")
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			var a answer
			if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
				t.Error(err)
			}
			outcomes[i] = a.Outcome
		})
	}
	wg.Wait()
	counts := map[Outcome]int{}
	for _, o := range outcomes {
		counts[o]++
	}
	assert.Equal(t, map[Outcome]int{Accepted: 1, Duplicate: n - 1}, counts)
	log := in.Store.(*MemoryStore).Log()
	require.Len(t, log, n)
	seen := map[int]bool{}
	for _, k := range log {
		assert.False(t, seen[k.Receipt.Seq], "sequence %d twice", k.Receipt.Seq)
		seen[k.Receipt.Seq] = true
	}
	assert.Len(t, in.Store.(*MemoryStore).Events(first), 2, "received and registered, once")
	assert.Equal(t, 2, stored(t, in, first).Version)
}

// A handler needs a taker, a clock and an authorizer; letting every request
// in is a choice made by name, and not beside an authorizer.
func TestNewHandlerRefusesWhatIsMissing(t *testing.T) {
	clock := func() time.Time { return at("2027-02-05", 9) }
	taker := IntakeTaker(newIntake(t))
	for name, tc := range map[string]struct {
		t    Taker
		cfg  HandlerConfig
		want string
	}{
		"nil taker":         {nil, HandlerConfig{Authorize: bearer, Clock: clock}, "a taker"},
		"nil intake":        {IntakeTaker(nil), HandlerConfig{Authorize: bearer, Clock: clock}, "a taker"},
		"nil func":          {TakerFunc(nil), HandlerConfig{Authorize: bearer, Clock: clock}, "a taker"},
		"nil office-like":   {(*nilTaker)(nil), HandlerConfig{Authorize: bearer, Clock: clock}, "a taker"},
		"nil clock":         {taker, HandlerConfig{Authorize: bearer}, "a Clock"},
		"no authorize":      {taker, HandlerConfig{Clock: clock}, "InsecureNoAuth"},
		"both":              {taker, HandlerConfig{Authorize: bearer, InsecureNoAuth: true, Clock: clock}, "choose one"},
		"nothing (zero)":    {nil, HandlerConfig{}, "a taker, a Clock, an Authorize"},
		"insecure no clock": {taker, HandlerConfig{InsecureNoAuth: true}, "a Clock"},
	} {
		h, err := NewHandler(tc.t, tc.cfg)
		require.ErrorIs(t, err, ErrHandlerConfig, name)
		assert.Contains(t, err.Error(), tc.want, name)
		assert.Nil(t, h, name)
	}
	h, err := NewHandler(taker, HandlerConfig{InsecureNoAuth: true, Clock: clock})
	require.NoError(t, err)
	assert.NotNil(t, h)
}

type nilTaker struct{}

func (*nilTaker) Deliver(context.Context, Delivery, time.Time) (Receipt, error) {
	return Receipt{}, nil
}

// InsecureNoAuth lets a request without a token in.
func TestHandlerInsecureNoAuth(t *testing.T) {
	in := newIntake(t)
	h, err := NewHandler(IntakeTaker(in), HandlerConfig{InsecureNoAuth: true, Clock: func() time.Time { return at("2027-02-05", 9) }})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, a := send(t, srv, "PATCH", "/ooapi/associations/"+first, "", message(t, first, 1))
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, Accepted, a.Outcome)
}

// A Handler not made by NewHandler lets nothing in.
func TestZeroHandlerLetsNothingIn(t *testing.T) {
	var buf bytes.Buffer
	var h Handler
	h.logger = slog.New(slog.NewTextHandler(&buf, nil))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("PATCH", "/ooapi/associations/"+first, nil))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, buf.String(), "not made by NewHandler")
}

// Authentication comes first: without a token every request is 401,
// whatever its method or path; without the scope 403.
func TestHandlerAuthenticatesFirst(t *testing.T) {
	srv, in := server(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/ooapi/associations/" + first},
		{"DELETE", "/associations/" + first},
		{"PATCH", "/ooapi/offerings/x"},
		{"GET", "/"},
		{"PATCH", "/ooapi/associations/a%2Fb"},
		{"PATCH", "/ooapi/associations/" + first},
	} {
		res, a := sendTyped(t, srv, tc.method, tc.path, "", "text/plain", []byte("x"))
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "%s %s", tc.method, tc.path)
		assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
		assert.Equal(t, "401", a.Status)
		assert.Empty(t, res.Header.Get("Allow"), "nothing said about the endpoint")
		res, _ = sendTyped(t, srv, tc.method, tc.path, "other", "text/plain", []byte("x"))
		assert.Equal(t, http.StatusForbidden, res.StatusCode, "%s %s", tc.method, tc.path)
	}
	assert.Empty(t, in.Store.(*MemoryStore).Log())
}

// A body that says it is not JSON is 415 and never reaches the taker; one
// that says nothing is taken as JSON.
func TestHandlerContentType(t *testing.T) {
	srv, in := server(t)
	body := message(t, first, 1)
	for _, ct := range []string{"text/plain", "application/xml", "application/x-www-form-urlencoded",
		"application/json; charset=iso-8859-1", "multipart/form-data; boundary=x", "application/json; charset", "text/json+x"} {
		res, a := sendTyped(t, srv, "PATCH", "/ooapi/associations/"+first, "good", ct, body)
		assert.Equal(t, http.StatusUnsupportedMediaType, res.StatusCode, ct)
		assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"), ct)
		assert.Equal(t, "415", a.Status, ct)
		assert.NotEmpty(t, a.Detail, ct)
		assert.Contains(t, res.Header.Get("Accept-Patch"), "application/merge-patch+json", ct)
	}
	res, _ := sendTyped(t, srv, "PUT", "/ooapi/associations/"+first, "good", "text/plain", body)
	assert.Equal(t, http.StatusUnsupportedMediaType, res.StatusCode)
	assert.Empty(t, res.Header.Get("Accept-Patch"), "PUT is no patch")
	assert.Contains(t, res.Header.Get("Accept"), "application/json")
	assert.Empty(t, in.Store.(*MemoryStore).Log(), "refused before the taker")

	want := []Outcome{Accepted, Duplicate, Duplicate, Duplicate}
	for i, ct := range []string{"application/merge-patch+json", "application/json; charset=UTF-8", "", "Application/JSON"} {
		res, a := sendTyped(t, srv, "PATCH", "/ooapi/associations/"+first, "good", ct, body)
		assert.Equal(t, http.StatusOK, res.StatusCode, "%q: %+v", ct, a)
		assert.Equal(t, want[i], a.Outcome, ct)
	}
}

// A taker's error is logged with the association id, and the caller learns
// nothing of it.
func TestHandlerInternalErrorIsLoggedNotTold(t *testing.T) {
	const secret = "pq: connection to 10.0.3.7:5432 refused for user krs_admin"
	var buf bytes.Buffer
	var got context.Context
	taker := TakerFunc(func(ctx context.Context, d Delivery, now time.Time) (Receipt, error) {
		got = ctx
		return Receipt{}, fmt.Errorf("saving: %s", secret)
	})
	h, err := NewHandler(taker, HandlerConfig{Authorize: bearer, Clock: func() time.Time { return at("2027-02-05", 9) },
		Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, a := send(t, srv, "PATCH", "/ooapi/associations/"+first, "good", message(t, first, 1))
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assert.Equal(t, "500", a.Status)
	assert.NotEmpty(t, a.Detail)
	for _, leak := range []string{"10.0.3.7", "pq:", "krs_admin", "saving"} {
		assert.NotContains(t, a.Detail, leak)
		assert.NotContains(t, a.Title, leak)
	}
	require.NotNil(t, got, "the taker had the request's context")
	assert.NotNil(t, got.Done(), "a server request's context can be canceled")

	var entry map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &entry), buf.String())
	assert.Equal(t, "ERROR", entry["level"])
	assert.Equal(t, first, entry["association_id"])
	assert.Equal(t, "PATCH", entry["method"])
	assert.Contains(t, entry["error"], secret)
}

// Ids that are no ids are 400 with a reason, and never reach the taker.
func TestHandlerRefusesBadIDs(t *testing.T) {
	calls := 0
	taker := TakerFunc(func(ctx context.Context, d Delivery, now time.Time) (Receipt, error) {
		calls++
		return Receipt{Outcome: Accepted, AssociationID: d.AssociationID}, nil
	})
	h, err := NewHandler(taker, HandlerConfig{Authorize: bearer, Clock: func() time.Time { return at("2027-02-05", 9) }})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, id := range []string{"a%2Fb", "%2E%2E", "..%2F..%2Fetc", "x..y", "a%5Cb", "a%00b", "a%0Ab", "%7F",
		"%FF%FE", strings.Repeat("a", 129)} {
		res, a := send(t, srv, "PATCH", "/ooapi/associations/"+id, "good", []byte(`{}`))
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, id)
		assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"), id)
		assert.Equal(t, "400", a.Status, id)
		if assert.Len(t, a.Reasons, 1, id) {
			assert.Equal(t, CodeInvalidID, a.Reasons[0].Code, id)
		}
	}
	assert.Zero(t, calls, "no bad id reached the taker")
	res, a := send(t, srv, "PATCH", "/ooapi/associations/"+first, "good", []byte(`{}`))
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, first, a.AssociationID)
	assert.Equal(t, 1, calls)
}
