package oauth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/krs-oke/vaststelling/result/oke"
)

// Defaults of the configurations.
const (
	// DefaultLeeway is the leeway for clocks that differ, when a
	// configuration names none: a token is taken until DefaultLeeway after
	// its "exp", and from DefaultLeeway before its "nbf".
	DefaultLeeway = 60 * time.Second
	// MaxLeeway is the largest leeway a configuration may name.
	MaxLeeway = 5 * time.Minute
	// DefaultMinRefresh is the least time between two fetches of a key set.
	DefaultMinRefresh = time.Minute
	// DefaultMaxKeyAge is how long a key set is used before it is fetched
	// again.
	DefaultMaxKeyAge = time.Hour
	// DefaultTimeout bounds a fetch of the key set, and an introspection.
	DefaultTimeout = 10 * time.Second
)

// defaultAlgorithms are the algorithms a JWTConfig without Algorithms
// accepts.
var defaultAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256, jose.EdDSA}

// JWTConfig configures a JWT authorizer. Issuer, Audience, JWKSURL, Client
// and Clock are required; the zero value of every other field is a
// sensible default.
type JWTConfig struct {
	// Issuer is the issuer the tokens must name ("iss"), exactly as the
	// authorization server writes it, e.g. "https://auth.example.nl".
	Issuer string
	// Audience is this service's identifier, which a token's "aud" must
	// hold, e.g. "https://krs.example.nl/ooapi".
	Audience string
	// JWKSURL is the issuer's key set (the jwks_uri of its metadata): an
	// https URL, or http to a loopback address.
	JWKSURL string
	// Client fetches the key set. Give it a timeout, and the TLS settings
	// the issuer needs.
	Client *http.Client
	// Clock gives the moment of each check; required: the authorizer never
	// reads the clock itself.
	Clock func() time.Time
	// Leeway allows for clocks that differ, around "exp", "nbf" and "iat";
	// zero means DefaultLeeway, and at most MaxLeeway.
	Leeway time.Duration
	// Algorithms is the allow-list of "alg": zero means RS256, PS256, ES256
	// and EdDSA. RS384, RS512, PS384, PS512, ES384 and ES512 may be named
	// too; "none" and the HMACs (HS256, ...) never.
	Algorithms []string
	// MinRefresh is the least time between two fetches of the key set,
	// successful or not: zero means DefaultMinRefresh.
	MinRefresh time.Duration
	// MaxKeyAge is how long a fetched key set is used before it is fetched
	// again: zero means DefaultMaxKeyAge. Not less than MinRefresh.
	MaxKeyAge time.Duration
	// Timeout bounds a fetch of the key set, whatever the request's
	// context: zero means DefaultTimeout.
	Timeout time.Duration
	// StrictType takes only tokens typed "at+jwt" (RFC 9068 §2.1); without
	// it, tokens typed "JWT" are taken too.
	StrictType bool
	// MaxEntries bounds the verified tokens kept (see JWT): zero means
	// DefaultMaxEntries; negative, none are kept and every request's token
	// is verified in full.
	MaxEntries int
}

// A JWT checks JWT access tokens (RFC 9068) against the issuer's key set;
// see the package documentation for what it checks. Make it with NewJWT.
// It is safe for concurrent use.
//
// A client sends the same token with every request until it expires, and
// verifying its signature costs several times what taking a delivery in
// does. So a token that passed (signature, type, issuer, audience,
// subject) is kept, by its SHA-256 hash, with its claims: until its "exp"
// (and the leeway), at most MaxEntries of them, the least recently used
// going first. Its times and its scope are checked again on every request;
// its signature again only after the key set was fetched anew, which may
// have withdrawn the key, or once the keys are older than MaxKeyAge (the
// token then makes them fetched again). Only tokens that verified are
// kept: a flood of forged ones fills nothing.
type JWT struct {
	issuer, audience string
	clock            func() time.Time
	leeway           time.Duration
	algs             []jose.SignatureAlgorithm
	strictType       bool
	keys             *keySet
	verified         *lru[verified]
}

// verified is a token that passed all but the checks of time and scope.
type verified struct {
	c      *claims
	client oke.Client
	gen    uint64 // the key set's generation it verified under
}

// NewJWT returns the authorizer of the configuration. It fetches nothing
// yet: the key set is fetched when the first token comes, or by Refresh.
// Its error matches ErrConfig and says what is wrong.
func NewJWT(cfg JWTConfig) (*JWT, error) {
	if err := required(field{"an Issuer", cfg.Issuer != ""}, field{"an Audience", cfg.Audience != ""},
		field{"a JWKSURL", cfg.JWKSURL != ""}, field{"a Client", cfg.Client != nil}, field{"a Clock", cfg.Clock != nil}); err != nil {
		return nil, err
	}
	if err := checkURL("JWKSURL", cfg.JWKSURL); err != nil {
		return nil, err
	}
	algs, err := algorithms(cfg.Algorithms)
	if err != nil {
		return nil, err
	}
	leeway, err := duration("Leeway", cfg.Leeway, DefaultLeeway)
	if err != nil {
		return nil, err
	}
	if leeway > MaxLeeway {
		return nil, fmt.Errorf("oauth: %w: Leeway %v is more than %v", ErrConfig, leeway, MaxLeeway)
	}
	minRefresh, err := duration("MinRefresh", cfg.MinRefresh, DefaultMinRefresh)
	if err != nil {
		return nil, err
	}
	maxAge, err := duration("MaxKeyAge", cfg.MaxKeyAge, DefaultMaxKeyAge)
	if err != nil {
		return nil, err
	}
	if maxAge < minRefresh {
		return nil, fmt.Errorf("oauth: %w: MaxKeyAge %v is less than MinRefresh %v", ErrConfig, maxAge, minRefresh)
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
	return &JWT{issuer: cfg.Issuer, audience: cfg.Audience, clock: cfg.Clock, leeway: leeway, algs: algs,
		strictType: cfg.StrictType, verified: newLRU[verified](entries),
		keys: &keySet{url: cfg.JWKSURL, client: cfg.Client, clock: cfg.Clock,
			minRefresh: minRefresh, maxAge: maxAge, timeout: timeout}}, nil
}

// algorithms returns the allow-list of the names, refusing what must never
// be on it.
func algorithms(names []string) ([]jose.SignatureAlgorithm, error) {
	if len(names) == 0 {
		return slices.Clone(defaultAlgorithms), nil
	}
	algs := make([]jose.SignatureAlgorithm, 0, len(names))
	for _, n := range names {
		switch a := jose.SignatureAlgorithm(n); a {
		case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
			jose.ES256, jose.ES384, jose.ES512, jose.EdDSA:
			algs = append(algs, a)
		case "none", jose.HS256, jose.HS384, jose.HS512:
			return nil, fmt.Errorf("oauth: %w: the alg %q is never accepted: it takes no key, or a secret, not the issuer's public key", ErrConfig, n)
		default:
			return nil, fmt.Errorf("oauth: %w: the alg %q is not a signature algorithm this package checks", ErrConfig, n)
		}
	}
	return algs, nil
}

// Authorize checks the request's bearer token, with the signature
// HandlerConfig.Authorize has: it returns the client the token is of, or
// an *Error whose Kind wraps oke.ErrUnauthenticated, or oke.ErrForbidden
// for a valid token without the scope nl-test-admin-flow-1-5 (ErrScope:
// then the client is returned too, for the log), or is ErrJWKS when the
// key set cannot be had and no key fetched before checks the token. It
// may fetch the key set (see JWTConfig.MinRefresh); that fetch is bounded
// by the Timeout, not by the request's context.
func (a *JWT) Authorize(r *http.Request) (oke.Client, error) {
	token, e := bearerToken(r)
	if e != nil {
		return oke.Client{}, e
	}
	return a.check(r.Context(), token)
}

// Refresh fetches the issuer's key set now, whatever MinRefresh says: at
// start-up, say, to find a wrong JWKSURL before the first token does. Its
// error, an *Error of the kind ErrJWKS, names the URL and what went wrong;
// the keys fetched before, if any, are kept.
func (a *JWT) Refresh(ctx context.Context) error { return a.keys.refresh(ctx) }

// check checks a token; or, for a token verified before under the same
// keys, still fresh, only its times and its scope.
func (a *JWT) check(ctx context.Context, token string) (oke.Client, error) {
	now := a.clock()
	hash := sha256.Sum256([]byte(token))
	gen, fresh := a.keys.generation(now)
	if v, ok := a.verified.get(hash, now); ok && v.gen == gen && fresh {
		if e := v.c.times(now, a.leeway, true); e != nil {
			return oke.Client{}, e
		}
		cl := v.client
		cl.Scopes = slices.Clone(cl.Scopes)
		return authorized(cl)
	}
	if strings.Count(token, ".") != 2 {
		return oke.Client{}, refuse(ErrMalformed, "not a JWT: a signed JWT has three parts")
	}
	jws, err := jose.ParseSignedCompact(token, a.algs)
	if err != nil {
		var algErr *jose.ErrUnexpectedSignatureAlgorithm
		if errors.As(err, &algErr) {
			return oke.Client{}, refuseCause(ErrAlgorithm, "the alg "+algName(algErr.Got)+" is not accepted", err)
		}
		return oke.Client{}, refuseCause(ErrMalformed, "not a JWT: its header or its parts do not parse", err)
	}
	if len(jws.Signatures) != 1 {
		return oke.Client{}, refuse(ErrMalformed, "not a JWT with one signature")
	}
	h := jws.Signatures[0].Header
	if e := a.typeProblem(h); e != nil {
		return oke.Client{}, e
	}
	for _, p := range []jose.HeaderKey{"crit", "b64"} {
		if _, ok := h.ExtraHeaders[p]; ok {
			return oke.Client{}, refuse(ErrMalformed, `the header parameter "`+string(p)+`" is not supported`)
		}
	}
	key, e := a.keys.lookup(ctx, h.KeyID, jose.SignatureAlgorithm(h.Algorithm))
	if e != nil {
		return oke.Client{}, e
	}
	payload, err := jws.Verify(key)
	if err != nil {
		return oke.Client{}, refuseCause(ErrSignature, "the token's signature does not verify", err)
	}
	c, e := parseClaims(payload)
	if e != nil {
		return oke.Client{}, e
	}
	if c.Issuer != a.issuer {
		return oke.Client{}, refuse(ErrIssuer, "the token is of another issuer")
	}
	if !slices.Contains(c.Audience, a.audience) {
		return oke.Client{}, refuse(ErrAudience, "the token is not meant for this service")
	}
	if e := c.times(now, a.leeway, true); e != nil {
		return oke.Client{}, e
	}
	cl, e := c.client()
	if e != nil {
		return oke.Client{}, e
	}
	kept := cl
	kept.Scopes = slices.Clone(cl.Scopes) // what the caller does with its copy is not kept
	a.verified.put(hash, verified{c, kept, gen}, c.Expiry.Add(a.leeway))
	return authorized(cl)
}

// typeProblem says why the header's "typ" is not an access token's, or
// returns nil.
func (a *JWT) typeProblem(h jose.Header) *Error {
	typ, ok := h.ExtraHeaders[jose.HeaderType].(string)
	if !ok {
		return refuse(ErrType, `the token has no "typ"; an access token is typed "at+jwt"`)
	}
	switch strings.ToLower(typ) {
	case "at+jwt", "application/at+jwt":
		return nil
	case "jwt", "application/jwt":
		if !a.strictType {
			return nil
		}
	}
	return refuse(ErrType, `the token's "typ" is not "at+jwt"`)
}

// algName names an alg as it may be shown: a registered JOSE name, or
// words for another.
func algName(alg jose.SignatureAlgorithm) string {
	switch alg {
	case "":
		return "(none given)"
	case "none", jose.HS256, jose.HS384, jose.HS512, jose.RS256, jose.RS384, jose.RS512,
		jose.PS256, jose.PS384, jose.PS512, jose.ES256, jose.ES384, jose.ES512, jose.EdDSA, "ES256K", "Ed25519", "Ed448":
		return string(alg)
	}
	return "of the token"
}
