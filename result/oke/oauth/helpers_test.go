package oauth_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/oauth"
)

const (
	issuerName   = "https://auth.example.nl"
	audienceName = "https://krs.example.nl/ooapi"
	subject      = "toetsplanner-roc-voorbeeld"
)

// t0 is the moment the tests start at.
var t0 = time.Date(2027, time.February, 5, 9, 0, 0, 0, time.UTC)

// clock is a clock the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// A key is one of the issuer's signing keys.
type key struct {
	kid  string
	alg  jose.SignatureAlgorithm
	priv crypto.Signer
}

func (k key) public() jose.JSONWebKey {
	return jose.JSONWebKey{Key: k.priv.Public(), KeyID: k.kid, Algorithm: string(k.alg), Use: "sig"}
}

// Keys made once for the whole test binary: an RSA key takes a while.
var (
	keysOnce             sync.Once
	rsaKey, psKey, ecKey key
	edKey                key
)

func keys(t testing.TB) (rs, ps, es, ed key) {
	t.Helper()
	keysOnce.Do(func() {
		r, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = key{"rsa-1", jose.RS256, r}
		psKey = key{"ps-1", jose.PS256, r}
		ecKey = key{"ec-1", jose.ES256, newEC(t)}
		_, e, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		edKey = key{"ed-1", jose.EdDSA, e}
	})
	return rsaKey, psKey, ecKey, edKey
}

func newEC(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

// ecKeyed returns a new P-256 key with the id.
func ecKeyed(t testing.TB, kid string) key { return key{kid, jose.ES256, newEC(t)} }

// An issuer serves its key set over HTTP, and counts the fetches.
type issuer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	keys []key
	down atomic.Bool
	hits atomic.Int64
}

// newIssuer starts an issuer that publishes the keys.
func newIssuer(t testing.TB, keys ...key) *issuer {
	is := &issuer{keys: keys}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		is.hits.Add(1)
		if is.down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(is.jwks())
	}))
	t.Cleanup(is.srv.Close)
	return is
}

// publish replaces the published keys.
func (is *issuer) publish(keys ...key) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys = keys
}

func (is *issuer) jwks() []byte {
	is.mu.Lock()
	defer is.mu.Unlock()
	var set jose.JSONWebKeySet
	for _, k := range is.keys {
		set.Keys = append(set.Keys, k.public())
	}
	b, err := json.Marshal(set)
	if err != nil {
		panic(err)
	}
	return b
}

// config returns the configuration of an authorizer that trusts the
// issuer, with the clock.
func (is *issuer) config(c *clock) oauth.JWTConfig {
	return oauth.JWTConfig{Issuer: issuerName, Audience: audienceName, JWKSURL: is.srv.URL + "/jwks",
		Client: is.srv.Client(), Clock: c.Now}
}

func (is *issuer) authorizer(t testing.TB, c *clock, change ...func(*oauth.JWTConfig)) *oauth.JWT {
	t.Helper()
	cfg := is.config(c)
	for _, f := range change {
		f(&cfg)
	}
	a, err := oauth.NewJWT(cfg)
	require.NoError(t, err)
	return a
}

// claims returns the claims of a valid flow-5 access token at the moment
// now, changed by the functions.
func claims(now time.Time, change ...func(map[string]any)) map[string]any {
	c := map[string]any{
		"iss": issuerName, "aud": audienceName, "sub": subject, "client_id": subject,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"jti": "b8f1c7c0-4f4e-4c3a-9d8e-2c9f4f0e1a11", "scope": "openid " + oke.Scope,
	}
	for _, f := range change {
		f(c)
	}
	return c
}

// set returns a change that sets a claim; a nil value deletes it.
func set(name string, v any) func(map[string]any) {
	return func(c map[string]any) {
		if v == nil {
			delete(c, name)
			return
		}
		c[name] = v
	}
}

// A signer is a key to sign tokens with.
type signer interface{ signingKey() jose.SigningKey }

func (k key) signingKey() jose.SigningKey {
	return jose.SigningKey{Algorithm: k.alg, Key: jose.JSONWebKey{Key: k.priv, KeyID: k.kid}}
}

// sign returns the compact JWS of the claims, signed with the key, with
// the "typ" (none when "").
func sign(t testing.TB, k signer, typ string, c map[string]any) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	signer, err := jose.NewSigner(k.signingKey(), opts)
	require.NoError(t, err)
	payload, err := json.Marshal(c)
	require.NoError(t, err)
	jws, err := signer.Sign(payload)
	require.NoError(t, err)
	s, err := jws.CompactSerialize()
	require.NoError(t, err)
	return s
}

// token returns a valid flow-5 access token of the key at the moment now.
func token(t testing.TB, k key, now time.Time, change ...func(map[string]any)) string {
	t.Helper()
	return sign(t, k, "at+jwt", claims(now, change...))
}

// handBuilt returns a token of the header and claims with the signature,
// not made by go-jose.
func handBuilt(t testing.TB, header, c map[string]any, sig []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	require.NoError(t, err)
	p, err := json.Marshal(c)
	require.NoError(t, err)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString(sig)
}

// request returns a flow-5 request with the bearer token ("" for none).
func request(token string) *http.Request {
	r := httptest.NewRequest(http.MethodPatch, "/ooapi/associations/a1000000-0000-4000-8000-000000000001", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}
