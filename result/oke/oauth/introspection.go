package oauth

import (
	"container/list"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling/result/oke"
)

// Defaults of the caches.
const (
	// DefaultMaxEntries is the number of verified tokens (JWTConfig) or
	// introspection answers (IntrospectionConfig) kept, when a
	// configuration names none.
	DefaultMaxEntries = 1024
	// DefaultMaxAge is how long an introspection answer is kept, when a
	// configuration names none: a token revoked at the server is refused
	// here within this time.
	DefaultMaxAge = time.Minute
)

// maxIntrospectionSize bounds an introspection answer read.
const maxIntrospectionSize = 64 << 10

// IntrospectionConfig configures an Introspection authorizer. Endpoint,
// ClientID, ClientSecret, Client and Clock are required; the zero value of
// every other field is a sensible default.
type IntrospectionConfig struct {
	// Endpoint is the authorization server's introspection endpoint (RFC
	// 7662 §2): an https URL, or http to a loopback address.
	Endpoint string
	// ClientID and ClientSecret are this service's client credentials at
	// the authorization server, sent with HTTP Basic authentication (RFC
	// 6749 §2.3.1). Neither ever appears in an error's text.
	ClientID, ClientSecret string
	// Client posts to the endpoint. Give it a timeout, and the TLS
	// settings the server needs.
	Client *http.Client
	// Clock gives the moment of each check; required.
	Clock func() time.Time
	// Issuer, when set, is the issuer the answer must name ("iss"); an
	// answer without "iss" is refused then.
	Issuer string
	// Audience, when set, is this service's identifier, which the answer's
	// "aud" must hold; an answer without "aud" is refused then.
	Audience string
	// Leeway allows for clocks that differ, around "exp" and "nbf"; zero
	// means DefaultLeeway, and at most MaxLeeway.
	Leeway time.Duration
	// MaxEntries bounds the answers kept; the least recently used go
	// first. Zero means DefaultMaxEntries; negative, none are kept.
	MaxEntries int
	// MaxAge bounds how long an answer is kept (never beyond the token's
	// "exp" either): zero means DefaultMaxAge.
	MaxAge time.Duration
	// Timeout bounds an introspection, whatever the request's context:
	// zero means DefaultTimeout.
	Timeout time.Duration
}

// An Introspection checks opaque access tokens by asking the
// authorization server (RFC 7662), and keeps the answers of active tokens
// for a while; see the package documentation. Make it with
// NewIntrospection. It is safe for concurrent use.
type Introspection struct {
	endpoint         string
	id, secret       string
	client           *http.Client
	clock            func() time.Time
	issuer, audience string
	leeway, maxAge   time.Duration
	timeout          time.Duration
	cache            *lru[*claims]

	mu       sync.Mutex // guards inflight
	inflight map[[sha256.Size]byte]*call
}

// call is an introspection under way, which the requests with the same
// token wait for.
type call struct {
	done chan struct{}
	c    *claims
	err  *Error
}

// NewIntrospection returns the authorizer of the configuration. Its error
// matches ErrConfig and says what is wrong.
func NewIntrospection(cfg IntrospectionConfig) (*Introspection, error) {
	if err := required(field{"an Endpoint", cfg.Endpoint != ""}, field{"a ClientID", cfg.ClientID != ""},
		field{"a ClientSecret", cfg.ClientSecret != ""}, field{"a Client", cfg.Client != nil}, field{"a Clock", cfg.Clock != nil}); err != nil {
		return nil, err
	}
	if err := checkURL("Endpoint", cfg.Endpoint); err != nil {
		return nil, err
	}
	leeway, err := duration("Leeway", cfg.Leeway, DefaultLeeway)
	if err != nil {
		return nil, err
	}
	if leeway > MaxLeeway {
		return nil, fmt.Errorf("oauth: %w: Leeway %v is more than %v", ErrConfig, leeway, MaxLeeway)
	}
	maxAge, err := duration("MaxAge", cfg.MaxAge, DefaultMaxAge)
	if err != nil {
		return nil, err
	}
	timeout, err := duration("Timeout", cfg.Timeout, DefaultTimeout)
	if err != nil {
		return nil, err
	}
	entries := cfg.MaxEntries
	switch {
	case entries == 0:
		entries = DefaultMaxEntries
	case entries < 0:
		entries = 0
	}
	return &Introspection{endpoint: cfg.Endpoint, id: cfg.ClientID, secret: cfg.ClientSecret, client: cfg.Client,
		clock: cfg.Clock, issuer: cfg.Issuer, audience: cfg.Audience, leeway: leeway, maxAge: maxAge,
		timeout: timeout, cache: newLRU[*claims](entries), inflight: map[[sha256.Size]byte]*call{}}, nil
}

// Authorize checks the request's bearer token, with the signature
// HandlerConfig.Authorize has: it returns the client the token is of, or
// an *Error whose Kind wraps oke.ErrUnauthenticated, or oke.ErrForbidden
// for an active token without the scope nl-test-admin-flow-1-5 (ErrScope:
// then the client is returned too, for the log), or is ErrIntrospection
// when the endpoint cannot be asked or its answer not read. A token not in
// the cache
// is introspected; requests with the same token wait for one
// introspection. The introspection is bounded by the Timeout, not by the
// request's context.
func (a *Introspection) Authorize(r *http.Request) (oke.Client, error) {
	token, e := bearerToken(r)
	if e != nil {
		return oke.Client{}, e
	}
	key := sha256.Sum256([]byte(token))
	now := a.clock()
	c, ok := a.cache.get(key, now)
	if !ok {
		var e *Error
		if c, e = a.introspectOnce(r.Context(), key, token, now); e != nil {
			return oke.Client{}, e
		}
	}
	if e := a.checkClaims(c, now); e != nil {
		return oke.Client{}, e
	}
	cl, e := c.client()
	if e != nil {
		return oke.Client{}, e
	}
	return authorized(cl)
}

// checkClaims checks an answer at the moment now.
func (a *Introspection) checkClaims(c *claims, now time.Time) *Error {
	if c.Active == nil || !*c.Active {
		return refuse(ErrInactive, "the authorization server does not know the token as active")
	}
	if a.issuer != "" && c.Issuer != a.issuer {
		return refuse(ErrIssuer, "the token is of another issuer")
	}
	if a.audience != "" && !slices.Contains(c.Audience, a.audience) {
		return refuse(ErrAudience, "the token is not meant for this service")
	}
	return c.times(now, a.leeway, false)
}

// introspectOnce introspects the token, or waits for the introspection of
// it that another request started. It keeps the answer of an active token
// until its "exp", or MaxAge after now, whichever comes first, and does so
// before it lets go of the introspection: a request that comes after it
// finds the answer kept.
func (a *Introspection) introspectOnce(ctx context.Context, key [sha256.Size]byte, token string, now time.Time) (*claims, *Error) {
	a.mu.Lock()
	if cl, ok := a.inflight[key]; ok {
		a.mu.Unlock()
		<-cl.done
		return cl.c, cl.err
	}
	cl := &call{done: make(chan struct{})}
	a.inflight[key] = cl
	a.mu.Unlock()

	cl.c, cl.err = a.introspect(ctx, token)
	if cl.err == nil && *cl.c.Active {
		until := now.Add(a.maxAge)
		if cl.c.Expiry != nil && cl.c.Expiry.Before(until) {
			until = cl.c.Expiry.Time
		}
		a.cache.put(key, cl.c, until)
	}
	a.mu.Lock()
	delete(a.inflight, key)
	a.mu.Unlock()
	close(cl.done)
	return cl.c, cl.err
}

// introspect asks the endpoint about the token (RFC 7662 §2.1).
func (a *Introspection) introspect(ctx context.Context, token string) (*claims, *Error) {
	unavailable := func(err error) (*claims, *Error) { return nil, &Error{Kind: ErrIntrospection, Cause: err} }
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.timeout)
	defer cancel()
	form := url.Values{"token": {token}, "token_type_hint": {"access_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return unavailable(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	// RFC 6749 §2.3.1: the id and the secret are form-encoded first.
	req.SetBasicAuth(url.QueryEscape(a.id), url.QueryEscape(a.secret))
	res, err := a.client.Do(req)
	if err != nil {
		return unavailable(fmt.Errorf("introspecting at %s: %w", a.endpoint, err))
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, maxIntrospectionSize))
		return unavailable(fmt.Errorf("introspecting at %s: status %s", a.endpoint, res.Status))
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxIntrospectionSize+1))
	if err != nil {
		return unavailable(fmt.Errorf("introspecting at %s: %w", a.endpoint, err))
	}
	if len(body) > maxIntrospectionSize {
		return unavailable(fmt.Errorf("introspecting at %s: the answer is larger than %d bytes", a.endpoint, maxIntrospectionSize))
	}
	c, e := parseClaims(body)
	if e != nil {
		return unavailable(fmt.Errorf("introspecting at %s: the answer does not parse: %w", a.endpoint, e.Cause))
	}
	if c.Active == nil {
		return unavailable(fmt.Errorf(`introspecting at %s: the answer has no "active"`, a.endpoint))
	}
	return c, nil
}

// lru keeps values, by the hash of their token, until a moment; at most
// max of them, the least recently used going first.
type lru[V any] struct {
	mu  sync.Mutex
	max int
	ll  *list.List // of *entry[V], the most recently used first
	m   map[[sha256.Size]byte]*list.Element
}

type entry[V any] struct {
	key   [sha256.Size]byte
	v     V
	until time.Time
}

func newLRU[V any](max int) *lru[V] {
	return &lru[V]{max: max, ll: list.New(), m: map[[sha256.Size]byte]*list.Element{}}
}

// get returns the value kept for the key, if it is kept until after now.
func (l *lru[V]) get(key [sha256.Size]byte, now time.Time) (V, bool) {
	var zero V
	if l.max <= 0 {
		return zero, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.m[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*entry[V])
	if !now.Before(e.until) {
		l.ll.Remove(el)
		delete(l.m, key)
		return zero, false
	}
	l.ll.MoveToFront(el)
	return e.v, true
}

// put keeps the value until the moment, dropping the least recently used
// beyond max.
func (l *lru[V]) put(key [sha256.Size]byte, v V, until time.Time) {
	if l.max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.m[key]; ok {
		el.Value = &entry[V]{key, v, until}
		l.ll.MoveToFront(el)
		return
	}
	l.m[key] = l.ll.PushFront(&entry[V]{key, v, until})
	for l.ll.Len() > l.max {
		last := l.ll.Back()
		l.ll.Remove(last)
		delete(l.m, last.Value.(*entry[V]).key)
	}
}
