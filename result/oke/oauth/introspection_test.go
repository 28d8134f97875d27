package oauth_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/oauth"
)

const (
	clientID     = "krs roc-voorbeeld"
	clientSecret = "s3cr:et/&=%"
)

// An authorizationServer answers introspection requests from a table of
// tokens, checking the client's credentials, and counts the requests per
// token.
type authorizationServer struct {
	srv     *httptest.Server
	mu      sync.Mutex
	answers map[string]map[string]any // by token; an unknown token is inactive
	hits    map[string]int
	status  atomic.Int32 // answered instead, when not zero
	delay   time.Duration
}

func newAuthorizationServer(t testing.TB) *authorizationServer {
	as := &authorizationServer{answers: map[string]map[string]any{}, hits: map[string]int{}}
	as.srv = httptest.NewServer(http.HandlerFunc(as.introspect))
	t.Cleanup(as.srv.Close)
	return as
}

func (as *authorizationServer) introspect(w http.ResponseWriter, r *http.Request) {
	// RFC 6749 §2.3.1: the id and the secret are form-encoded, then sent
	// with Basic authentication.
	id, secret, ok := r.BasicAuth()
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	if !ok || id != clientID || secret != clientSecret {
		http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("token") == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	tok := r.PostForm.Get("token")
	as.mu.Lock()
	as.hits[tok]++
	answer, known := as.answers[tok]
	as.mu.Unlock()
	time.Sleep(as.delay)
	if s := as.status.Load(); s != 0 {
		w.WriteHeader(int(s))
		return
	}
	if !known {
		answer = map[string]any{"active": false}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

// answer sets the answer for the token.
func (as *authorizationServer) answer(tok string, a map[string]any) {
	as.mu.Lock()
	defer as.mu.Unlock()
	as.answers[tok] = a
}

func (as *authorizationServer) hitsOf(tok string) int {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.hits[tok]
}

func (as *authorizationServer) config(c *clock) oauth.IntrospectionConfig {
	return oauth.IntrospectionConfig{Endpoint: as.srv.URL + "/introspect", ClientID: clientID, ClientSecret: clientSecret,
		Client: as.srv.Client(), Clock: c.Now, Issuer: issuerName, Audience: audienceName}
}

func (as *authorizationServer) authorizer(t testing.TB, c *clock, change ...func(*oauth.IntrospectionConfig)) *oauth.Introspection {
	t.Helper()
	cfg := as.config(c)
	for _, f := range change {
		f(&cfg)
	}
	a, err := oauth.NewIntrospection(cfg)
	require.NoError(t, err)
	return a
}

// active returns the answer for an active flow-5 token at the moment now.
func active(now time.Time, change ...func(map[string]any)) map[string]any {
	a := claims(now, change...)
	a["active"] = true
	a["token_type"] = "Bearer"
	return a
}

// An active token with the scope is taken, once asked; the answer is kept.
func TestIntrospectionActive(t *testing.T) {
	as := newAuthorizationServer(t)
	c := newClock()
	a := as.authorizer(t, c)
	as.answer("opaque-1", active(c.Now()))
	for range 3 {
		cl, err := a.Authorize(request("opaque-1"))
		require.NoError(t, err)
		assert.Equal(t, oke.Client{Subject: subject, Scopes: []string{"openid", oke.Scope}, Issuer: issuerName}, cl)
	}
	assert.Equal(t, 1, as.hitsOf("opaque-1"), "asked once, then kept")

	// Without iss and aud the answer does for a configuration naming
	// neither; exp is not required.
	plain := as.authorizer(t, c, func(cfg *oauth.IntrospectionConfig) { cfg.Issuer, cfg.Audience = "", "" })
	as.answer("opaque-2", map[string]any{"active": true, "scope": oke.Scope, "client_id": "tp"})
	cl, err := plain.Authorize(request("opaque-2"))
	require.NoError(t, err)
	assert.Equal(t, oke.Client{Subject: "tp", Scopes: []string{oke.Scope}}, cl)
}

// An inactive token is 401, and asked about again each time.
func TestIntrospectionInactive(t *testing.T) {
	as := newAuthorizationServer(t)
	c := newClock()
	a := as.authorizer(t, c)
	for range 2 {
		_, err := a.Authorize(request("revoked"))
		e := refused(t, err, oauth.ErrInactive, oke.ErrUnauthenticated)
		assert.Equal(t, "`Bearer error=\"invalid_token\", error_description=\"oauth: token not active: the authorization server does not know the token as active\"`",
			"`"+e.Challenge()+"`")
	}
	assert.Equal(t, 2, as.hitsOf("revoked"), "an inactive token is not kept")
	_, err := a.Authorize(request(""))
	refused(t, err, oauth.ErrNoToken, oke.ErrUnauthenticated)
}

// An active answer is still checked: exp, nbf, iss, aud, a subject, the
// scope.
func TestIntrospectionChecks(t *testing.T) {
	as := newAuthorizationServer(t)
	c := newClock()
	a := as.authorizer(t, c)
	now := c.Now()
	for name, tc := range map[string]struct {
		answer map[string]any
		kind   error
		class  error
	}{
		"expired":         {active(now, set("exp", now.Add(-5*time.Minute).Unix())), oauth.ErrExpired, oke.ErrUnauthenticated},
		"not yet valid":   {active(now, set("nbf", now.Add(5*time.Minute).Unix())), oauth.ErrNotYetValid, oke.ErrUnauthenticated},
		"other issuer":    {active(now, set("iss", "https://evil.example")), oauth.ErrIssuer, oke.ErrUnauthenticated},
		"no issuer":       {active(now, set("iss", nil)), oauth.ErrIssuer, oke.ErrUnauthenticated},
		"other audience":  {active(now, set("aud", "https://other.example.nl")), oauth.ErrAudience, oke.ErrUnauthenticated},
		"no audience":     {active(now, set("aud", nil)), oauth.ErrAudience, oke.ErrUnauthenticated},
		"no subject":      {active(now, set("sub", nil), set("client_id", nil)), oauth.ErrMalformed, oke.ErrUnauthenticated},
		"no scope":        {active(now, set("scope", nil)), oauth.ErrScope, oke.ErrForbidden},
		"other scope":     {active(now, set("scope", "nl-test-admin-flow-2-3-4")), oauth.ErrScope, oke.ErrForbidden},
		"active a string": {map[string]any{"active": "true", "scope": oke.Scope}, oauth.ErrIntrospection, nil},
		"no active":       {map[string]any{"scope": oke.Scope}, oauth.ErrIntrospection, nil},
	} {
		t.Run(name, func(t *testing.T) {
			tok := strings.ReplaceAll(name, " ", "-")
			as.answer(tok, tc.answer)
			_, err := a.Authorize(request(tok))
			if tc.class == nil {
				failed(t, err, tc.kind, "introspecting at "+as.srv.URL)
				return
			}
			refused(t, err, tc.kind, tc.class)
		})
	}
	as.answer("within-leeway", active(now, set("exp", now.Add(-30*time.Second).Unix())))
	_, err := a.Authorize(request("within-leeway"))
	assert.NoError(t, err, "the leeway holds for introspection too")
}

// The server cannot be asked: ErrIntrospection, which the handler answers
// 500; its text, for the log, says where and why, never the credentials.
func TestIntrospectionUnavailable(t *testing.T) {
	as := newAuthorizationServer(t)
	c := newClock()
	for name, tc := range map[string]struct {
		change func(*oauth.IntrospectionConfig)
		status int
		says   string
	}{
		"server error":      {nil, http.StatusInternalServerError, "status 500 Internal Server Error"},
		"wrong credentials": {func(cfg *oauth.IntrospectionConfig) { cfg.ClientSecret = "wrong" }, 0, "status 401 Unauthorized"},
	} {
		t.Run(name, func(t *testing.T) {
			as.status.Store(int32(tc.status))
			defer as.status.Store(0)
			var change []func(*oauth.IntrospectionConfig)
			if tc.change != nil {
				change = append(change, tc.change)
			}
			a := as.authorizer(t, c, change...)
			as.answer("opaque-1", active(c.Now()))
			_, err := a.Authorize(request("opaque-1"))
			e := failed(t, err, oauth.ErrIntrospection, tc.says)
			assert.Equal(t, "oauth: token introspection failed: introspecting at "+as.srv.URL+"/introspect: "+tc.says, e.Error())
			assert.NotContains(t, e.Error(), "s3cr")
			assert.NotContains(t, e.Error(), "wrong")
		})
	}
	as.srv.Close()
	a := as.authorizer(t, c)
	_, err := a.Authorize(request("opaque-1"))
	failed(t, err, oauth.ErrIntrospection, "connection refused")
}

// The cache is bounded in size: the least recently used answer goes
// first.
func TestIntrospectionCacheBounded(t *testing.T) {
	as := newAuthorizationServer(t)
	c := newClock()
	a := as.authorizer(t, c, func(cfg *oauth.IntrospectionConfig) { cfg.MaxEntries = 2 })
	for _, tok := range []string{"a", "b", "c", "d"} {
		as.answer(tok, active(c.Now(), set("exp", c.Now().Add(time.Hour).Unix())))
	}
	for _, tok := range []string{"a", "b", "a", "c"} { // c evicts b, the least recently used
		_, err := a.Authorize(request(tok))
		require.NoError(t, err)
	}
	assert.Equal(t, 1, as.hitsOf("a"))
	for _, tok := range []string{"a", "c"} {
		_, err := a.Authorize(request(tok))
		require.NoError(t, err)
	}
	assert.Equal(t, 1, as.hitsOf("a"), "kept")
	assert.Equal(t, 1, as.hitsOf("c"), "kept")
	_, err := a.Authorize(request("b"))
	require.NoError(t, err)
	assert.Equal(t, 2, as.hitsOf("b"), "evicted, asked again")

	// 1000 tokens through a cache of 2: the first is long gone.
	for i := range 1000 {
		tok := "flood-" + string(rune('A'+i%26)) + strings.Repeat("x", i/26)
		as.answer(tok, active(c.Now()))
		_, err := a.Authorize(request(tok))
		require.NoError(t, err)
	}
	_, err = a.Authorize(request("a"))
	require.NoError(t, err)
	assert.Equal(t, 2, as.hitsOf("a"))

	none := as.authorizer(t, c, func(cfg *oauth.IntrospectionConfig) { cfg.MaxEntries = -1 })
	for range 2 {
		_, err := none.Authorize(request("d"))
		require.NoError(t, err)
	}
	assert.Equal(t, 2, as.hitsOf("d"), "MaxEntries < 0 keeps nothing")
}

// The cache is bounded in time: never beyond MaxAge, never beyond the
// token's exp.
func TestIntrospectionCacheTimeBounded(t *testing.T) {
	as := newAuthorizationServer(t)
	c := newClock()
	a := as.authorizer(t, c, func(cfg *oauth.IntrospectionConfig) { cfg.MaxAge = time.Minute })
	as.answer("long", active(c.Now(), set("exp", c.Now().Add(time.Hour).Unix())))
	as.answer("short", active(c.Now(), set("exp", c.Now().Add(30*time.Second).Unix())))
	for _, tok := range []string{"long", "short"} {
		_, err := a.Authorize(request(tok))
		require.NoError(t, err)
	}

	c.Add(29 * time.Second)
	for _, tok := range []string{"long", "short"} {
		_, err := a.Authorize(request(tok))
		require.NoError(t, err)
	}
	assert.Equal(t, 1, as.hitsOf("long"))
	assert.Equal(t, 1, as.hitsOf("short"))

	// The short token expires; its server, asked again, says inactive.
	c.Add(time.Second)
	as.answer("short", map[string]any{"active": false})
	_, err := a.Authorize(request("short"))
	refused(t, err, oauth.ErrInactive, oke.ErrUnauthenticated)
	assert.Equal(t, 2, as.hitsOf("short"), "not kept beyond its exp")

	// The long one is revoked: refused once MaxAge has passed.
	as.answer("long", map[string]any{"active": false})
	c.Add(29 * time.Second)
	_, err = a.Authorize(request("long"))
	assert.NoError(t, err, "within MaxAge the answer kept holds")
	c.Add(time.Second)
	_, err = a.Authorize(request("long"))
	refused(t, err, oauth.ErrInactive, oke.ErrUnauthenticated)
	assert.Equal(t, 2, as.hitsOf("long"), "asked again after MaxAge")
}

// Many requests with the same token at once: one introspection.
func TestIntrospectionConcurrent(t *testing.T) {
	as := newAuthorizationServer(t)
	as.delay = 20 * time.Millisecond
	c := newClock()
	a := as.authorizer(t, c)
	as.answer("shared", active(c.Now()))
	as.answer("no-scope", active(c.Now(), set("scope", "x")))
	var wg sync.WaitGroup
	var ok, forbidden, other atomic.Int32
	for i := range 100 {
		wg.Go(func() {
			tok := "shared"
			if i%4 == 0 {
				tok = "no-scope"
			}
			_, err := a.Authorize(request(tok))
			switch {
			case err == nil && tok == "shared":
				ok.Add(1)
			case tok == "no-scope" && isForbidden(err):
				forbidden.Add(1)
			default:
				other.Add(1)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 75, ok.Load())
	assert.EqualValues(t, 25, forbidden.Load())
	assert.Zero(t, other.Load())
	assert.Equal(t, 1, as.hitsOf("shared"))
	assert.Equal(t, 1, as.hitsOf("no-scope"))
}

func isForbidden(err error) bool {
	var e *oauth.Error
	return err != nil && errors.As(err, &e) && e.Kind == oauth.ErrScope
}

// NewIntrospection says what a configuration lacks or gets wrong.
func TestNewIntrospectionConfig(t *testing.T) {
	as := newAuthorizationServer(t)
	c := newClock()
	for name, tc := range map[string]struct {
		change func(*oauth.IntrospectionConfig)
		says   string
	}{
		"empty":        {func(cfg *oauth.IntrospectionConfig) { *cfg = oauth.IntrospectionConfig{} }, "an Endpoint, a ClientID, a ClientSecret, a Client, a Clock required"},
		"no secret":    {func(cfg *oauth.IntrospectionConfig) { cfg.ClientSecret = "" }, "a ClientSecret required"},
		"plain http":   {func(cfg *oauth.IntrospectionConfig) { cfg.Endpoint = "http://auth.example.nl/introspect" }, "must be https"},
		"ftp":          {func(cfg *oauth.IntrospectionConfig) { cfg.Endpoint = "ftp://auth.example.nl/introspect" }, "must be https"},
		"max age < 0":  {func(cfg *oauth.IntrospectionConfig) { cfg.MaxAge = -time.Second }, "MaxAge -1s is negative"},
		"leeway large": {func(cfg *oauth.IntrospectionConfig) { cfg.Leeway = 6 * time.Minute }, "more than 5m0s"},
	} {
		cfg := as.config(c)
		tc.change(&cfg)
		_, err := oauth.NewIntrospection(cfg)
		assert.ErrorIs(t, err, oauth.ErrConfig, name)
		assert.ErrorContains(t, err, tc.says, name)
		assert.NotContains(t, err.Error(), clientSecret, name)
	}
}
