package oke

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling/result"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bearer is a stand-in for the integrator's OAuth2 check: a token "good"
// has the flow-5 scope, "other" a token without it.
func bearer(r *http.Request) error {
	switch r.Header.Get("Authorization") {
	case "Bearer good":
		return nil
	case "Bearer other":
		return fmt.Errorf("token lacks scope %s: %w", Scope, ErrForbidden)
	}
	return fmt.Errorf("no valid bearer token: %w", ErrUnauthenticated)
}

func server(t *testing.T) (*httptest.Server, *Intake) {
	in := newIntake(t)
	clock := func() time.Time { return at("2027-02-05", 9) }
	srv := httptest.NewServer(NewHandler(in, clock, bearer))
	t.Cleanup(srv.Close)
	return srv, in
}

func send(t *testing.T, srv *httptest.Server, method, path, token string, body []byte) (*http.Response, answer) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
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
