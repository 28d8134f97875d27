package oke

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// acceptAll is a taker that takes every delivery in, and counts them.
type acceptAll struct{ calls int }

func (a *acceptAll) Deliver(_ context.Context, d Delivery, _ time.Time) (Receipt, error) {
	a.calls++
	return Receipt{Seq: a.calls, Outcome: Accepted, AssociationID: d.AssociationID}, nil
}

// serveRequest sends a request straight to the handler and decodes its answer.
func serveRequest(t *testing.T, h http.Handler, method, path, authorization, remote string) (*httptest.ResponseRecorder, answer) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(`{}`))
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	if remote != "" {
		r.RemoteAddr = remote
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var a answer
	if method != http.MethodHead {
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &a), "%s", w.Body)
	}
	return w, a
}

// errorDescription is what RFC 6750 §3 lets an error_description hold.
var errorDescription = regexp.MustCompile(`^[\x20\x21\x23-\x5b\x5d-\x7e]*$`)

// The challenges of RFC 6750 §3: none but the scope for a request without
// a token (§3.1), invalid_token with a safe description for a bad one,
// insufficient_scope for a token without the scope.
func TestHandlerChallenges(t *testing.T) {
	const nasty = "token \"expired\"\r\nX-Injected: 1 \\ at 10:00 — not valid"
	authorize := func(r *http.Request) (Client, error) {
		_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		switch token {
		case "good":
			return Client{Subject: "planner"}, nil
		case "flow6":
			return Client{}, fmt.Errorf("the token has scope nl-test-admin-flow-6, not %s: %w", Scope, ErrForbidden)
		case "nasty":
			return Client{}, fmt.Errorf("%s: %w", nasty, ErrUnauthenticated)
		}
		return Client{}, fmt.Errorf("no valid bearer token: %w", ErrUnauthenticated)
	}
	taker := &acceptAll{}
	h, err := NewHandler(taker, HandlerConfig{Authorize: authorize, Clock: func() time.Time { return at("2027-02-05", 9) }})
	require.NoError(t, err)
	const path = "/ooapi/associations/" + first

	for _, authorization := range []string{"", "Basic cGxhbm5lcjpzZWNyZXQ=", "Bearer", "Bearer   ", "Digest x"} {
		w, a := serveRequest(t, h, "PATCH", path, authorization, "")
		assert.Equal(t, http.StatusUnauthorized, w.Code, authorization)
		assert.Equal(t, `Bearer scope="nl-test-admin-flow-1-5"`, w.Header().Get("WWW-Authenticate"),
			"%q: no error code when the request lacks a token", authorization)
		assert.Equal(t, "401", a.Status)
		assert.Equal(t, "Unauthorized", a.Title)
	}

	w, a := serveRequest(t, h, "PATCH", path, "Bearer expired", "")
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, `Bearer error="invalid_token", error_description="no valid bearer token: unauthenticated"`,
		w.Header().Get("WWW-Authenticate"))
	assert.Equal(t, "no valid bearer token: unauthenticated", a.Detail)

	w, a = serveRequest(t, h, "PATCH", path, "bearer nasty", "")
	assert.Equal(t, http.StatusUnauthorized, w.Code, "the scheme is case-insensitive (RFC 9110 §11.1)")
	challenge := w.Header().Get("WWW-Authenticate")
	m := regexp.MustCompile(`^Bearer error="invalid_token", error_description="([^"]*)"$`).FindStringSubmatch(challenge)
	require.NotNil(t, m, challenge)
	assert.Regexp(t, errorDescription, m[1])
	assert.Equal(t, "token 'expired'??X-Injected: 1 / at 10:00 ? not valid: unauthenticated", m[1])
	assert.Empty(t, w.Header().Get("X-Injected"))
	assert.Equal(t, nasty+": unauthenticated", a.Detail, "the body keeps the text as it is: JSON quotes it")

	w, a = serveRequest(t, h, "PATCH", path, "Bearer flow6", "")
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Equal(t, `Bearer error="insufficient_scope", scope="nl-test-admin-flow-1-5"`, w.Header().Get("WWW-Authenticate"))
	assert.Equal(t, "403", a.Status)
	assert.Contains(t, a.Detail, "nl-test-admin-flow-6")

	assert.Zero(t, taker.calls, "no refused request reached the taker")
	w, _ = serveRequest(t, h, "PATCH", path, "Bearer good", "")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Empty(t, w.Header().Get("WWW-Authenticate"))
	assert.Equal(t, 1, taker.calls)
}

// An authorizer that fails (an introspection endpoint out of reach) is
// 500: the request is not let in, the caller is told to try again, and
// the error goes to the log, not to the caller.
func TestHandlerAuthorizerFails(t *testing.T) {
	const secret = "Post \"https://10.0.8.2/introspect\": dial tcp 10.0.8.2:443: connect: connection refused"
	var buf bytes.Buffer
	taker := &acceptAll{}
	h, err := NewHandler(taker, HandlerConfig{
		Authorize: func(*http.Request) (Client, error) { return Client{}, errors.New(secret) },
		Clock:     func() time.Time { return at("2027-02-05", 9) },
		Logger:    slog.New(slog.NewJSONHandler(&buf, nil)),
	})
	require.NoError(t, err)
	w, a := serveRequest(t, h, "PATCH", "/ooapi/associations/"+first, "Bearer good", "")
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
	assert.Empty(t, w.Header().Get("WWW-Authenticate"))
	assert.Equal(t, "500", a.Status)
	assert.NotContains(t, a.Detail, "10.0.8.2")
	assert.Contains(t, a.Detail, "Try again later")
	assert.Zero(t, taker.calls)
	var entry map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &entry), buf.String())
	assert.Equal(t, "oke: the authorizer failed", entry["msg"])
	assert.Equal(t, secret, entry["error"])
	assert.Equal(t, "/ooapi/associations/"+first, entry["path"])
}

// The Client Authorize returns names the sender in the log of a delivery
// the taker could not take in.
func TestHandlerLogsTheClient(t *testing.T) {
	var buf bytes.Buffer
	h, err := NewHandler(TakerFunc(func(context.Context, Delivery, time.Time) (Receipt, error) {
		return Receipt{}, errors.New("disk full")
	}), HandlerConfig{Authorize: bearer, Clock: func() time.Time { return at("2027-02-05", 9) },
		Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	require.NoError(t, err)
	w, _ := serveRequest(t, h, "PATCH", "/ooapi/associations/"+first, "Bearer good", "")
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	var entry map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &entry), buf.String())
	assert.Equal(t, "planner", entry["client"])
}

func TestAuthParam(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"plain text: 1-2_3.4~!":  "plain text: 1-2_3.4~!",
		`say "no" \ yes`:         `say 'no' / yes`,
		"tab\there\x7f":          "tab?here?",
		"café ☕":                 "caf? ?",
		strings.Repeat("a", 200): strings.Repeat("a", 200),
		strings.Repeat("b", 201): strings.Repeat("b", 197) + "...",
		strings.Repeat("é", 300): strings.Repeat("?", 197) + "...",
	} {
		got := authParam(in)
		assert.Equal(t, want, got, "%q", in)
		assert.Regexp(t, errorDescription, got)
		assert.LessOrEqual(t, len(got), maxAuthParam)
	}
}

// A 200 answer carries OOAPI's PostResponse message, which the
// specification's PATCH answer requires.
func TestHandlerAnswerMessage(t *testing.T) {
	h, err := NewHandler(&acceptAll{}, HandlerConfig{Authorize: bearer, Clock: func() time.Time { return at("2027-02-05", 9) }})
	require.NoError(t, err)
	w, a := serveRequest(t, h, "PUT", "/associations/"+first, "Bearer good", "")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, []languageString{{Language: "en-GB", Value: "accepted"}}, a.Message)
}
