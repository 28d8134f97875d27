package oauth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/oauth"
)

// refused asserts that err is an *oauth.Error of the kind, and of the
// class (oke.ErrUnauthenticated or oke.ErrForbidden), with a text that
// says something.
func refused(t *testing.T, err error, kind, class error) *oauth.Error {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, kind)
	assert.ErrorIs(t, err, class)
	other := oke.ErrForbidden
	if class == oke.ErrForbidden {
		other = oke.ErrUnauthenticated
	}
	assert.NotErrorIs(t, err, other)
	var e *oauth.Error
	require.ErrorAs(t, err, &e)
	assert.True(t, strings.HasPrefix(err.Error(), "oauth: "), err.Error())
	return e
}

// failed asserts that err is an *oauth.Error of the kind, ErrJWKS or
// ErrIntrospection, which wraps neither oke sentinel (the handler answers
// 500), and whose text gives the cause for the log.
func failed(t *testing.T, err error, kind error, textHas string) *oauth.Error {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, kind)
	assert.NotErrorIs(t, err, oke.ErrUnauthenticated)
	assert.NotErrorIs(t, err, oke.ErrForbidden)
	var e *oauth.Error
	require.ErrorAs(t, err, &e)
	assert.Empty(t, e.Challenge())
	assert.ErrorContains(t, err, textHas)
	return e
}

// A token signed with each of the default algorithms is taken, and says
// who it is of.
func TestJWTValid(t *testing.T) {
	rs, ps, es, ed := keys(t)
	is := newIssuer(t, rs, ps, es, ed)
	c := newClock()
	a := is.authorizer(t, c)
	for _, k := range []key{rs, ps, es, ed} {
		t.Run(string(k.alg), func(t *testing.T) {
			cl, err := a.Authorize(request(token(t, k, c.Now())))
			require.NoError(t, err)
			assert.Equal(t, oke.Client{Subject: subject, Scopes: []string{"openid", oke.Scope}, Issuer: issuerName}, cl)
		})
	}
	assert.EqualValues(t, 1, is.hits.Load(), "the key set is fetched once")
}

// The claims may come in the forms issuers use: "aud" as a list, the
// scopes in "scp" (a list or a string), a subject only in "client_id",
// "typ" as "JWT" or "application/at+jwt", the scheme in lower case.
func TestJWTClaimForms(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	for name, tc := range map[string]struct {
		typ    string
		change []func(map[string]any)
		scopes []string
	}{
		"aud list":        {"at+jwt", []func(map[string]any){set("aud", []string{"other", audienceName})}, []string{"openid", oke.Scope}},
		"scp list":        {"at+jwt", []func(map[string]any){set("scope", nil), set("scp", []string{oke.Scope, "x"})}, []string{oke.Scope, "x"}},
		"scp string":      {"at+jwt", []func(map[string]any){set("scope", nil), set("scp", "x "+oke.Scope)}, []string{"x", oke.Scope}},
		"scope and scp":   {"at+jwt", []func(map[string]any){set("scope", "a"), set("scp", []string{oke.Scope, "a"})}, []string{"a", oke.Scope}},
		"client_id only":  {"at+jwt", []func(map[string]any){set("sub", nil)}, []string{"openid", oke.Scope}},
		"no nbf, no iat":  {"at+jwt", []func(map[string]any){set("nbf", nil), set("iat", nil)}, []string{"openid", oke.Scope}},
		"exp fraction":    {"at+jwt", []func(map[string]any){set("exp", float64(t0.Unix())+60.5)}, []string{"openid", oke.Scope}},
		"typ JWT":         {"JWT", nil, []string{"openid", oke.Scope}},
		"typ application": {"application/at+jwt", nil, []string{"openid", oke.Scope}},
		"typ AT+JWT":      {"AT+JWT", nil, []string{"openid", oke.Scope}},
	} {
		t.Run(name, func(t *testing.T) {
			cl, err := a.Authorize(request(sign(t, es, tc.typ, claims(c.Now(), tc.change...))))
			require.NoError(t, err)
			assert.Equal(t, subject, cl.Subject)
			assert.Equal(t, tc.scopes, cl.Scopes)
		})
	}
	r := request("")
	r.Header.Set("Authorization", "bearer   "+token(t, es, c.Now()))
	_, err := a.Authorize(r)
	assert.NoError(t, err, "the scheme is case-insensitive, and more spaces are taken")
}

// exp and nbf are checked with the leeway, by default 60 s, on the clock
// given; iat in the future too.
func TestJWTTimes(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	strict := is.authorizer(t, c, func(cfg *oauth.JWTConfig) { cfg.Leeway = time.Second })
	now := c.Now()
	for name, tc := range map[string]struct {
		change         []func(map[string]any)
		kind           error // nil: taken
		strictKind     error
		descriptionHas string
	}{
		"expired":                 {[]func(map[string]any){set("exp", now.Add(-2*time.Minute).Unix())}, oauth.ErrExpired, oauth.ErrExpired, "at 2027-02-05T08:58:00Z"},
		"expired within leeway":   {[]func(map[string]any){set("exp", now.Add(-30*time.Second).Unix())}, nil, oauth.ErrExpired, ""},
		"expired a second ago":    {[]func(map[string]any){set("exp", now.Add(-time.Second).Unix())}, nil, oauth.ErrExpired, ""},
		"at leeway's end":         {[]func(map[string]any){set("exp", now.Add(-time.Minute).Unix())}, oauth.ErrExpired, oauth.ErrExpired, ""},
		"not yet valid":           {[]func(map[string]any){set("nbf", now.Add(2*time.Minute).Unix())}, oauth.ErrNotYetValid, oauth.ErrNotYetValid, "valid from 2027-02-05T09:02:00Z"},
		"not yet, within leeway":  {[]func(map[string]any){set("nbf", now.Add(30*time.Second).Unix())}, nil, oauth.ErrNotYetValid, ""},
		"issued in the future":    {[]func(map[string]any){set("iat", now.Add(10*time.Minute).Unix())}, oauth.ErrNotYetValid, oauth.ErrNotYetValid, "issued in the future"},
		"issued within leeway":    {[]func(map[string]any){set("iat", now.Add(20*time.Second).Unix())}, nil, oauth.ErrNotYetValid, ""},
		"no exp":                  {[]func(map[string]any){set("exp", nil)}, oauth.ErrMalformed, oauth.ErrMalformed, `no expiry ("exp")`},
		"exp a string":            {[]func(map[string]any){set("exp", "tomorrow")}, oauth.ErrMalformed, oauth.ErrMalformed, `"exp"`},
		"exp negative":            {[]func(map[string]any){set("exp", -1)}, oauth.ErrMalformed, oauth.ErrMalformed, ""},
		"exp far beyond any year": {[]func(map[string]any){set("exp", 1e300)}, oauth.ErrMalformed, oauth.ErrMalformed, ""},
	} {
		t.Run(name, func(t *testing.T) {
			tok := token(t, es, now, tc.change...)
			_, err := a.Authorize(request(tok))
			if tc.kind == nil {
				assert.NoError(t, err)
			} else {
				e := refused(t, err, tc.kind, oke.ErrUnauthenticated)
				assert.Contains(t, e.Description, tc.descriptionHas)
			}
			_, err = strict.Authorize(request(tok))
			refused(t, err, tc.strictKind, oke.ErrUnauthenticated)
		})
	}
}

// A token of another issuer, or for another audience, is refused.
func TestJWTIssuerAudience(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	for name, tc := range map[string]struct {
		change func(map[string]any)
		kind   error
	}{
		"other issuer":         {set("iss", "https://evil.example"), oauth.ErrIssuer},
		"issuer with a slash":  {set("iss", issuerName+"/"), oauth.ErrIssuer},
		"no issuer":            {set("iss", nil), oauth.ErrIssuer},
		"other audience":       {set("aud", "https://other.example.nl"), oauth.ErrAudience},
		"audience list":        {set("aud", []string{"a", "b"}), oauth.ErrAudience},
		"no audience":          {set("aud", nil), oauth.ErrAudience},
		"audience of a number": {set("aud", 7), oauth.ErrMalformed},
		"no subject":           {func(c map[string]any) { delete(c, "sub"); delete(c, "client_id") }, oauth.ErrMalformed},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := a.Authorize(request(token(t, es, c.Now(), tc.change)))
			e := refused(t, err, tc.kind, oke.ErrUnauthenticated)
			assert.NotContains(t, e.Error(), "evil", "nothing of the token is echoed")
		})
	}
}

// A valid token without the scope is 403, and the client is still told.
func TestJWTScope(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	for name, change := range map[string]func(map[string]any){
		"no scope":        set("scope", nil),
		"other scope":     set("scope", "nl-test-admin-flow-2-3-4 nl-test-admin-flow-0"),
		"a longer name":   set("scope", oke.Scope+"x"),
		"a prefix":        set("scope", "nl-test-admin-flow-1"),
		"in another case": set("scope", strings.ToUpper(oke.Scope)),
		"scope an object": set("scope", map[string]any{oke.Scope: true}),
	} {
		t.Run(name, func(t *testing.T) {
			cl, err := a.Authorize(request(token(t, es, c.Now(), change)))
			if name == "scope an object" {
				refused(t, err, oauth.ErrMalformed, oke.ErrUnauthenticated)
				return
			}
			e := refused(t, err, oauth.ErrScope, oke.ErrForbidden)
			assert.Equal(t, "oauth: token lacks the scope nl-test-admin-flow-1-5", e.Error())
			assert.Equal(t, subject, cl.Subject, "the client, for the log")
		})
	}
}

// "alg": "none" is never taken, whatever its case, with or without a
// signature, and whatever key it names.
func TestJWTAlgNone(t *testing.T) {
	rs, _, _, _ := keys(t)
	is := newIssuer(t, rs)
	c := newClock()
	a := is.authorizer(t, c)
	for _, alg := range []string{"none", "None", "NONE", ""} {
		for _, sig := range [][]byte{nil, []byte("x")} {
			tok := handBuilt(t, map[string]any{"alg": alg, "typ": "at+jwt", "kid": "rsa-1"}, claims(c.Now()), sig)
			_, err := a.Authorize(request(tok))
			refused(t, err, oauth.ErrAlgorithm, oke.ErrUnauthenticated)
		}
	}
	assert.Zero(t, is.hits.Load(), "refused before any key is looked up")
	_, err := oauth.NewJWT(is.config(c))
	require.NoError(t, err)
	cfg := is.config(c)
	cfg.Algorithms = []string{"RS256", "none"}
	_, err = oauth.NewJWT(cfg)
	assert.ErrorIs(t, err, oauth.ErrConfig)
	assert.ErrorContains(t, err, `"none" is never accepted`)
}

// The classic confusion: a token signed with HS256, whose secret is the
// issuer's RSA public key (as a PEM, as DER, as the JWK's modulus), naming
// that key. It must never verify.
func TestJWTHMACWithPublicKey(t *testing.T) {
	rs, _, _, _ := keys(t)
	is := newIssuer(t, rs)
	c := newClock()
	a := is.authorizer(t, c, func(cfg *oauth.JWTConfig) { cfg.Algorithms = []string{"RS256", "PS256", "ES256", "EdDSA", "RS512"} })
	der, err := x509.MarshalPKIXPublicKey(rs.priv.Public())
	require.NoError(t, err)
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	jwk, err := json.Marshal(rs.public())
	require.NoError(t, err)
	for name, secret := range map[string][]byte{"pem": pemBytes, "der": der, "jwk": jwk} {
		for _, alg := range []jose.SignatureAlgorithm{jose.HS256, jose.HS384, jose.HS512} {
			t.Run(name+"/"+string(alg), func(t *testing.T) {
				tok := sign(t, key{kid: "rsa-1", alg: alg, priv: nil}.withSecret(secret), "at+jwt", claims(c.Now()))
				_, err := a.Authorize(request(tok))
				e := refused(t, err, oauth.ErrAlgorithm, oke.ErrUnauthenticated)
				assert.Contains(t, e.Description, string(alg))
			})
		}
	}
	// Hand-built, with the header as a naive verifier reads it.
	header := map[string]any{"alg": "HS256", "typ": "at+jwt", "kid": "rsa-1"}
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(claims(c.Now()))
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	mac := hmac.New(sha256.New, pemBytes)
	mac.Write([]byte(input))
	_, err = a.Authorize(request(input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))))
	refused(t, err, oauth.ErrAlgorithm, oke.ErrUnauthenticated)

	for _, alg := range []string{"HS256", "HS384", "HS512"} {
		cfg := is.config(c)
		cfg.Algorithms = []string{alg}
		_, err := oauth.NewJWT(cfg)
		assert.ErrorIs(t, err, oauth.ErrConfig, alg)
	}
}

// withSecret returns the key as an HMAC key with the secret, for
// TestJWTHMACWithPublicKey.
func (k key) withSecret(secret []byte) hmacKey { return hmacKey{k.kid, k.alg, secret} }

type hmacKey struct {
	kid    string
	alg    jose.SignatureAlgorithm
	secret []byte
}

func (k hmacKey) signingKey() jose.SigningKey {
	return jose.SigningKey{Algorithm: k.alg, Key: jose.JSONWebKey{Key: k.secret, KeyID: k.kid}}
}

// An algorithm off the allow-list is refused, also when the issuer has a
// key for it; and a token whose alg does not fit the key it names.
func TestJWTAlgorithmAllowList(t *testing.T) {
	rs, ps, es, _ := keys(t)
	is := newIssuer(t, rs, es)
	c := newClock()
	rsOnly := is.authorizer(t, c, func(cfg *oauth.JWTConfig) { cfg.Algorithms = []string{"RS256"} })
	_, err := rsOnly.Authorize(request(token(t, es, c.Now())))
	e := refused(t, err, oauth.ErrAlgorithm, oke.ErrUnauthenticated)
	assert.Equal(t, "the alg ES256 is not accepted", e.Description)
	_, err = rsOnly.Authorize(request(token(t, rs, c.Now())))
	assert.NoError(t, err)

	// PS256 with the RSA key named rsa-1, whose JWK says "alg": "RS256".
	a := is.authorizer(t, c)
	_, err = a.Authorize(request(token(t, key{"rsa-1", jose.PS256, ps.priv}, c.Now())))
	refused(t, err, oauth.ErrAlgorithm, oke.ErrUnauthenticated)
	// ES256 naming the RSA key.
	_, err = a.Authorize(request(token(t, key{"rsa-1", jose.ES256, es.priv}, c.Now())))
	refused(t, err, oauth.ErrAlgorithm, oke.ErrUnauthenticated)

	cfg := is.config(c)
	cfg.Algorithms = []string{"RSA-OAEP"}
	_, err = oauth.NewJWT(cfg)
	assert.ErrorIs(t, err, oauth.ErrConfig)
}

// typ must say an access token: at+jwt, or JWT unless StrictType.
func TestJWTType(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	strict := is.authorizer(t, c, func(cfg *oauth.JWTConfig) { cfg.StrictType = true })
	for typ, ok := range map[string][2]bool{
		"at+jwt": {true, true}, "application/at+jwt": {true, true}, "JWT": {true, false}, "jwt": {true, false},
		"": {false, false}, "dpop+jwt": {false, false}, "logout+jwt": {false, false}, "secevent+jwt": {false, false},
		"id_token": {false, false},
	} {
		tok := sign(t, es, typ, claims(c.Now()))
		for i, auth := range []*oauth.JWT{a, strict} {
			_, err := auth.Authorize(request(tok))
			if ok[i] {
				assert.NoError(t, err, "typ %q, strict %v", typ, i == 1)
			} else {
				refused(t, err, oauth.ErrType, oke.ErrUnauthenticated)
			}
		}
	}
}

// A token not signed by the key it names, or changed after signing, is
// refused.
func TestJWTSignature(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	forged := token(t, key{"ec-1", jose.ES256, newEC(t)}, c.Now())
	_, err := a.Authorize(request(forged))
	refused(t, err, oauth.ErrSignature, oke.ErrUnauthenticated)

	good := token(t, es, c.Now())
	parts := strings.Split(good, ".")
	p, _ := json.Marshal(claims(c.Now(), set("sub", "someone-else")))
	_, err = a.Authorize(request(parts[0] + "." + base64.RawURLEncoding.EncodeToString(p) + "." + parts[2]))
	refused(t, err, oauth.ErrSignature, oke.ErrUnauthenticated)

	// A critical header go-jose would honour (b64) is not taken.
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: es.priv, KeyID: "ec-1"}},
		(&jose.SignerOptions{}).WithType("at+jwt").WithBase64(false))
	require.NoError(t, err)
	payload, _ := json.Marshal(claims(c.Now()))
	jws, err := signer.Sign(payload)
	require.NoError(t, err)
	s, err := jws.CompactSerialize()
	if err == nil {
		_, err = a.Authorize(request(s))
		refused(t, err, oauth.ErrMalformed, oke.ErrUnauthenticated)
	}
}

// The Authorization header: none, another scheme, two, an empty token,
// characters RFC 6750 does not allow, no JWT.
func TestJWTBearerHeader(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	good := token(t, es, c.Now())
	for name, tc := range map[string]struct {
		headers []string
		kind    error
	}{
		"none":            {nil, oauth.ErrNoToken},
		"basic":           {[]string{"Basic dXNlcjpwYXNz"}, oauth.ErrNoToken},
		"scheme only":     {[]string{"Bearer"}, oauth.ErrNoToken},
		"empty":           {[]string{"Bearer   "}, oauth.ErrNoToken},
		"two headers":     {[]string{"Bearer " + good, "Bearer " + good}, oauth.ErrMalformed},
		"a quote":         {[]string{`Bearer "` + good + `"`}, oauth.ErrMalformed},
		"a space inside":  {[]string{"Bearer " + good[:10] + " " + good[10:]}, oauth.ErrMalformed},
		"a comma":         {[]string{"Bearer " + good + ", Basic x"}, oauth.ErrMalformed},
		"too long":        {[]string{"Bearer " + strings.Repeat("a", 20000)}, oauth.ErrMalformed},
		"opaque":          {[]string{"Bearer 2YotnFZFEjr1zCsicMWpAA"}, oauth.ErrMalformed},
		"two parts":       {[]string{"Bearer a.b"}, oauth.ErrMalformed},
		"JWE, five parts": {[]string{"Bearer a.b.c.d.e"}, oauth.ErrMalformed},
		"three empty":     {[]string{"Bearer .."}, oauth.ErrAlgorithm},
		"not base64":      {[]string{"Bearer a~.b~.c~"}, oauth.ErrMalformed},
		"header not JSON": {[]string{"Bearer " + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".e30.c2ln"}, oauth.ErrMalformed},
	} {
		t.Run(name, func(t *testing.T) {
			r := request("")
			for _, h := range tc.headers {
				r.Header.Add("Authorization", h)
			}
			_, err := a.Authorize(r)
			refused(t, err, tc.kind, oke.ErrUnauthenticated)
		})
	}
	assert.Zero(t, is.hits.Load(), "no bad token makes the key set fetched")
}

// The issuer rotates its keys: a token with a new kid makes the key set
// fetched again; another unknown kid within MinRefresh does not, nor does
// a flood of them; after MinRefresh it does. Keys the issuer withdrew are
// gone once the set is older than MaxKeyAge.
func TestJWTKeyRotation(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c, func(cfg *oauth.JWTConfig) { cfg.MinRefresh = time.Minute; cfg.MaxKeyAge = 10 * time.Minute })

	_, err := a.Authorize(request(token(t, es, c.Now())))
	require.NoError(t, err)
	require.EqualValues(t, 1, is.hits.Load())

	ec2 := ecKeyed(t, "ec-2")
	is.publish(es, ec2)
	c.Add(2 * time.Minute)
	_, err = a.Authorize(request(token(t, ec2, c.Now())))
	require.NoError(t, err, "a new kid makes the set fetched again")
	require.EqualValues(t, 2, is.hits.Load())

	ec3 := ecKeyed(t, "ec-3")
	is.publish(es, ec2, ec3)
	c.Add(10 * time.Second)
	for range 100 {
		_, err = a.Authorize(request(token(t, ec3, c.Now())))
		e := refused(t, err, oauth.ErrKeyUnknown, oke.ErrUnauthenticated)
		assert.Equal(t, "the issuer's key set has no key with the token's kid", e.Description)
		_, err = a.Authorize(request(token(t, ecKeyed(t, "made-up"), c.Now())))
		refused(t, err, oauth.ErrKeyUnknown, oke.ErrUnauthenticated)
	}
	assert.EqualValues(t, 2, is.hits.Load(), "not fetched again within MinRefresh")
	_, err = a.Authorize(request(token(t, es, c.Now())))
	assert.NoError(t, err, "known keys go on working")

	c.Add(time.Minute)
	_, err = a.Authorize(request(token(t, ec3, c.Now())))
	require.NoError(t, err, "after MinRefresh the set is fetched again")
	assert.EqualValues(t, 3, is.hits.Load())

	// The issuer withdraws ec-1; once the set is older than MaxKeyAge it
	// is fetched again, and ec-1 is gone.
	is.publish(ec2, ec3)
	c.Add(5 * time.Minute)
	_, err = a.Authorize(request(token(t, es, c.Now())))
	assert.NoError(t, err, "within MaxKeyAge the set is not fetched for a known key")
	assert.EqualValues(t, 3, is.hits.Load())
	c.Add(6 * time.Minute)
	_, err = a.Authorize(request(token(t, es, c.Now())))
	refused(t, err, oauth.ErrKeyUnknown, oke.ErrUnauthenticated)
	assert.EqualValues(t, 4, is.hits.Load())
	_, err = a.Authorize(request(token(t, ec2, c.Now())))
	assert.NoError(t, err)
}

// A token without kid is taken when the set has exactly one key that
// fits its alg.
func TestJWTWithoutKid(t *testing.T) {
	rs, _, es, _ := keys(t)
	c := newClock()
	one := newIssuer(t, key{"", jose.ES256, es.priv}, rs)
	a := one.authorizer(t, c)
	_, err := a.Authorize(request(token(t, key{"", jose.ES256, es.priv}, c.Now())))
	assert.NoError(t, err)

	two := newIssuer(t, es, ecKeyed(t, "ec-2"))
	b := two.authorizer(t, c)
	_, err = b.Authorize(request(token(t, key{"", jose.ES256, es.priv}, c.Now())))
	e := refused(t, err, oauth.ErrKeyUnknown, oke.ErrUnauthenticated)
	assert.Contains(t, e.Description, "several")
}

// A key set that cannot be fetched: a clear error, retried no sooner than
// MinRefresh; keys fetched before go on being used.
func TestJWTKeySetDown(t *testing.T) {
	rs, _, es, _ := keys(t)
	c := newClock()

	t.Run("nothing cached", func(t *testing.T) {
		is := newIssuer(t, es)
		is.down.Store(true)
		a := is.authorizer(t, c)
		for range 5 {
			_, err := a.Authorize(request(token(t, es, c.Now())))
			e := failed(t, err, oauth.ErrJWKS, "503 Service Unavailable")
			assert.Equal(t, "oauth: the issuer's key set is unavailable: fetching "+is.srv.URL+"/jwks: status 503 Service Unavailable",
				e.Error(), "for the log: the handler answers 500 and tells none of it")
		}
		assert.EqualValues(t, 1, is.hits.Load(), "a down issuer is not hammered")
		err := a.Refresh(context.Background())
		assert.ErrorIs(t, err, oauth.ErrJWKS)
		assert.ErrorContains(t, err, is.srv.URL)

		is.down.Store(false)
		c.Add(time.Minute)
		_, err = a.Authorize(request(token(t, es, c.Now())))
		assert.NoError(t, err, "back after MinRefresh")
	})

	t.Run("cached", func(t *testing.T) {
		is := newIssuer(t, es, rs)
		a := is.authorizer(t, c)
		require.NoError(t, a.Refresh(context.Background()))
		is.down.Store(true)
		c.Add(2 * time.Hour) // beyond MaxKeyAge: the set would be fetched again
		for range 3 {
			_, err := a.Authorize(request(token(t, es, c.Now())))
			assert.NoError(t, err, "the keys fetched before still hold")
		}
		assert.EqualValues(t, 2, is.hits.Load(), "one refetch tried")
		_, err := a.Authorize(request(token(t, ecKeyed(t, "ec-9"), c.Now())))
		e := refused(t, err, oauth.ErrKeyUnknown, oke.ErrUnauthenticated)
		assert.ErrorIs(t, err, oauth.ErrJWKS, "and the key set could not be fetched")
		assert.ErrorContains(t, e.Cause, "503")
		assert.NotContains(t, e.Error(), "503", "the refusal's text is the caller's")
	})

	t.Run("unreachable", func(t *testing.T) {
		is := newIssuer(t, es)
		is.srv.Close()
		a := is.authorizer(t, c)
		_, err := a.Authorize(request(token(t, es, c.Now())))
		failed(t, err, oauth.ErrJWKS, "connection refused")
	})
}

// Key sets that hold nothing usable, or are no key sets: an error, and
// the keys before are kept.
func TestJWTKeySetContents(t *testing.T) {
	_, _, es, _ := keys(t)
	c := newClock()
	good, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{es.public()}})
	require.NoError(t, err)
	body := good
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	a, err := oauth.NewJWT(oauth.JWTConfig{Issuer: issuerName, Audience: audienceName, JWKSURL: srv.URL,
		Client: srv.Client(), Clock: c.Now})
	require.NoError(t, err)
	require.NoError(t, a.Refresh(context.Background()))
	for name, b := range map[string]string{
		"not JSON":      "<html>",
		"no keys":       `{"keys": []}`,
		"only a secret": `{"keys": [{"kty": "oct", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", "kid": "ec-1"}]}`,
		"unknown kty":   `{"keys": [{"kty": "XYZ", "kid": "ec-1"}]}`,
		"for encryption": func() string {
			k := es.public()
			k.Use = "enc"
			b, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{k}})
			return string(b)
		}(),
	} {
		mu.Lock()
		body = []byte(b)
		mu.Unlock()
		err := a.Refresh(context.Background())
		assert.ErrorIs(t, err, oauth.ErrJWKS, name)
		_, err = a.Authorize(request(token(t, es, c.Now())))
		assert.NoError(t, err, name+": the keys before are kept")
	}
	// A private key published by mistake: its public part is used.
	priv, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: es.priv, KeyID: "ec-1", Algorithm: "ES256"}}})
	require.NoError(t, err)
	mu.Lock()
	body = priv
	mu.Unlock()
	require.NoError(t, a.Refresh(context.Background()))
	_, err = a.Authorize(request(token(t, es, c.Now())))
	assert.NoError(t, err)
}

// NewJWT says what a configuration lacks or gets wrong.
func TestNewJWTConfig(t *testing.T) {
	is := newIssuer(t)
	c := newClock()
	for name, tc := range map[string]struct {
		change func(*oauth.JWTConfig)
		says   string
	}{
		"empty":           {func(cfg *oauth.JWTConfig) { *cfg = oauth.JWTConfig{} }, "an Issuer, an Audience, a JWKSURL, a Client, a Clock required"},
		"no clock":        {func(cfg *oauth.JWTConfig) { cfg.Clock = nil }, "a Clock required"},
		"no client":       {func(cfg *oauth.JWTConfig) { cfg.Client = nil }, "a Client required"},
		"plain http":      {func(cfg *oauth.JWTConfig) { cfg.JWKSURL = "http://auth.example.nl/jwks" }, "must be https"},
		"relative":        {func(cfg *oauth.JWTConfig) { cfg.JWKSURL = "/jwks" }, "not an absolute URL"},
		"leeway negative": {func(cfg *oauth.JWTConfig) { cfg.Leeway = -time.Second }, "Leeway -1s is negative"},
		"leeway too long": {func(cfg *oauth.JWTConfig) { cfg.Leeway = time.Hour }, "more than 5m0s"},
		"refresh < 0":     {func(cfg *oauth.JWTConfig) { cfg.MinRefresh = -1 }, "MinRefresh"},
		"age < refresh":   {func(cfg *oauth.JWTConfig) { cfg.MinRefresh = time.Hour; cfg.MaxKeyAge = time.Minute }, "less than MinRefresh"},
		"HS256":           {func(cfg *oauth.JWTConfig) { cfg.Algorithms = []string{"HS256"} }, "never accepted"},
	} {
		cfg := is.config(c)
		tc.change(&cfg)
		_, err := oauth.NewJWT(cfg)
		assert.ErrorIs(t, err, oauth.ErrConfig, name)
		assert.ErrorContains(t, err, tc.says, name)
	}
	for _, u := range []string{"https://auth.example.nl/jwks", "http://127.0.0.1:8080/jwks", "http://localhost/jwks", "http://[::1]/jwks"} {
		cfg := is.config(c)
		cfg.JWKSURL = u
		_, err := oauth.NewJWT(cfg)
		assert.NoError(t, err, u)
	}
}

// Many requests at once, valid and not, with unknown kids among them: all
// answered right, and the key set fetched once.
func TestJWTConcurrent(t *testing.T) {
	rs, _, es, ed := keys(t)
	is := newIssuer(t, rs, es, ed)
	c := newClock()
	a := is.authorizer(t, c)
	type want struct {
		tok  string
		kind error
	}
	cases := []want{
		{token(t, rs, c.Now()), nil},
		{token(t, es, c.Now()), nil},
		{token(t, ed, c.Now()), nil},
		{token(t, es, c.Now(), set("exp", c.Now().Add(-time.Hour).Unix())), oauth.ErrExpired},
		{token(t, es, c.Now(), set("scope", "x")), oauth.ErrScope},
		{token(t, ecKeyed(t, "unknown-1"), c.Now()), oauth.ErrKeyUnknown},
		{token(t, ecKeyed(t, "unknown-2"), c.Now()), oauth.ErrKeyUnknown},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64*len(cases))
	for g := range 64 {
		wg.Go(func() {
			for i := range 2 * len(cases) {
				tc := cases[(g+i)%len(cases)]
				_, err := a.Authorize(request(tc.tok))
				switch {
				case tc.kind == nil && err != nil:
					errs <- fmt.Errorf("valid token refused: %w", err)
				case tc.kind != nil && !errors.Is(err, tc.kind):
					errs <- fmt.Errorf("want %v, got %v", tc.kind, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.EqualValues(t, 1, is.hits.Load(), "the key set fetched once")
}

// The challenges the handler writes, per RFC 6750 §3.
func TestErrorChallenge(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	challenge := func(tok string) string {
		_, err := a.Authorize(request(tok))
		var e *oauth.Error
		require.ErrorAs(t, err, &e)
		return e.Challenge()
	}
	assert.Equal(t, `Bearer scope="nl-test-admin-flow-1-5"`, challenge(""))
	assert.Equal(t, `Bearer error="invalid_token", error_description="oauth: token expired: at 2027-02-05T08:50:00Z"`,
		challenge(token(t, es, c.Now(), set("exp", c.Now().Add(-10*time.Minute).Unix()))))
	assert.Equal(t, `Bearer error="insufficient_scope", scope="nl-test-admin-flow-1-5"`,
		challenge(token(t, es, c.Now(), set("scope", "x"))))
	assert.Equal(t, `Bearer error="invalid_token", error_description="oauth: malformed token: the bearer token holds characters RFC 6750 does not allow"`,
		challenge(`a"b\c`))
	e := &oauth.Error{Kind: oauth.ErrMalformed, Description: "q\"b\\s\x00é"}
	assert.Equal(t, `Bearer error="invalid_token", error_description="oauth: malformed token: q'b/s??"`, e.Challenge())
	e = &oauth.Error{Kind: oauth.ErrMalformed, Description: strings.Repeat("x", 300)}
	assert.Len(t, e.Challenge(), len(`Bearer error="invalid_token", error_description=""`)+200)
}

// Through oke.NewHandler: 200 with a token, 401 and 403 with the
// challenges of RFC 6750, the same as Error.Challenge; 500 when the key
// set cannot be had.
func TestJWTThroughHandler(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c)
	var delivered atomic.Int32
	taker := oke.TakerFunc(func(ctx context.Context, d oke.Delivery, now time.Time) (oke.Receipt, error) {
		delivered.Add(1)
		return oke.Receipt{AssociationID: d.AssociationID, Outcome: oke.Accepted}, nil
	})
	h, err := oke.NewHandler(taker, oke.HandlerConfig{Authorize: a.Authorize, Clock: c.Now})
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		token  string
		status int
	}{
		"valid":    {token(t, es, c.Now()), http.StatusOK},
		"no token": {"", http.StatusUnauthorized},
		"expired":  {token(t, es, c.Now(), set("exp", c.Now().Add(-time.Hour).Unix())), http.StatusUnauthorized},
		"alg none": {handBuilt(t, map[string]any{"alg": "none", "typ": "at+jwt"}, claims(c.Now()), nil), http.StatusUnauthorized},
		"no scope": {token(t, es, c.Now(), set("scope", "nl-test-admin-flow-0")), http.StatusForbidden},
	} {
		t.Run(name, func(t *testing.T) {
			r := request(tc.token)
			r.Body = io.NopCloser(strings.NewReader(`{}`))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tc.status, w.Code, w.Body.String())
			_, err := a.Authorize(request(tc.token))
			var e *oauth.Error
			if tc.status == http.StatusOK {
				assert.NoError(t, err)
				assert.Empty(t, w.Header().Get("WWW-Authenticate"))
				return
			}
			require.ErrorAs(t, err, &e)
			assert.Equal(t, e.Challenge(), w.Header().Get("WWW-Authenticate"), "the handler's challenge and Error.Challenge agree")
			var problem struct{ Detail string }
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &problem))
			assert.Equal(t, e.Error(), problem.Detail, "the detail is the error's text")
		})
	}
	assert.EqualValues(t, 1, delivered.Load(), "only the valid token's delivery reaches the taker")

	down := newIssuer(t, es)
	down.down.Store(true)
	b := down.authorizer(t, c)
	var log strings.Builder
	h, err = oke.NewHandler(taker, oke.HandlerConfig{Authorize: b.Authorize, Clock: c.Now,
		Logger: slog.New(slog.NewTextHandler(&log, nil))})
	require.NoError(t, err)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, request(token(t, es, c.Now())))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.NotContains(t, w.Body.String(), down.srv.URL, "the cause goes to the log only")
	assert.Contains(t, log.String(), "status 503 Service Unavailable")
}

// A token verified once is kept: the same token again is taken without
// its signature checked again, but its times and scope are, and a key
// withdrawn from the set is noticed once the set is fetched again.
func TestJWTVerifiedTokens(t *testing.T) {
	_, _, es, _ := keys(t)
	is := newIssuer(t, es)
	c := newClock()
	a := is.authorizer(t, c, func(cfg *oauth.JWTConfig) { cfg.MaxKeyAge = 10 * time.Minute })
	tok := token(t, es, c.Now(), set("exp", c.Now().Add(30*time.Minute).Unix()))
	short := token(t, es, c.Now(), set("exp", c.Now().Add(time.Minute).Unix()))
	noScope := token(t, es, c.Now(), set("scope", "x"))
	for range 3 {
		cl, err := a.Authorize(request(tok))
		require.NoError(t, err)
		assert.Equal(t, []string{"openid", oke.Scope}, cl.Scopes)
		cl.Scopes[0] = "changed by a caller"
		_, err = a.Authorize(request(short))
		require.NoError(t, err)
		_, err = a.Authorize(request(noScope))
		refused(t, err, oauth.ErrScope, oke.ErrForbidden)
	}
	cl, err := a.Authorize(request(tok))
	require.NoError(t, err)
	assert.Equal(t, []string{"openid", oke.Scope}, cl.Scopes, "what a caller changes is not kept")

	c.Add(2 * time.Minute)
	_, err = a.Authorize(request(short))
	refused(t, err, oauth.ErrExpired, oke.ErrUnauthenticated)
	_, err = a.Authorize(request(tok))
	require.NoError(t, err)

	// The issuer withdraws the key: once the set is older than MaxKeyAge,
	// the token kept is checked against the new set, and refused.
	is.publish(ecKeyed(t, "ec-2"))
	c.Add(5 * time.Minute)
	_, err = a.Authorize(request(tok))
	require.NoError(t, err, "within MaxKeyAge the set is not fetched")
	assert.EqualValues(t, 1, is.hits.Load())
	c.Add(4 * time.Minute)
	_, err = a.Authorize(request(tok))
	refused(t, err, oauth.ErrKeyUnknown, oke.ErrUnauthenticated)
	assert.EqualValues(t, 2, is.hits.Load())

	// Without keeping tokens, all the same.
	b := is.authorizer(t, c, func(cfg *oauth.JWTConfig) { cfg.MaxEntries = -1 })
	is.publish(es)
	for range 2 {
		_, err = b.Authorize(request(tok))
		require.NoError(t, err)
	}
}
