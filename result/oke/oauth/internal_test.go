package oauth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Behind the allow-list, a second wall: no key of a key set fits an HMAC
// or "none", so a public key can never serve as an HMAC secret even if an
// HMAC got past the list; and each key fits only its own algorithms.
func TestKeysFitOnlyTheirAlgorithms(t *testing.T) {
	r, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	keys := map[string]jose.JSONWebKey{
		"rsa": {Key: &r.PublicKey, KeyID: "k"}, "rsa-rs256": {Key: &r.PublicKey, KeyID: "k", Algorithm: "RS256"},
		"p256": {Key: &p256.PublicKey, KeyID: "k"}, "p384": {Key: &p384.PublicKey, KeyID: "k"},
		"ed": {Key: edPub, KeyID: "k"}, "secret": {Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "k"},
	}
	fitting := map[string][]jose.SignatureAlgorithm{
		"rsa":       {jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512},
		"rsa-rs256": {jose.RS256},
		"p256":      {jose.ES256}, "p384": {jose.ES384}, "ed": {jose.EdDSA},
	}
	all := []jose.SignatureAlgorithm{"none", jose.HS256, jose.HS384, jose.HS512, jose.RS256, jose.RS384, jose.RS512,
		jose.PS256, jose.PS384, jose.PS512, jose.ES256, jose.ES384, jose.ES512, jose.EdDSA}
	for name, k := range keys {
		for _, alg := range all {
			want := false
			for _, a := range fitting[name] {
				want = want || a == alg
			}
			if got := fits(&k, alg); got != want {
				t.Errorf("%s fits %s: %v, want %v", name, alg, got, want)
			}
			key, e := pick([]jose.JSONWebKey{k}, "k", alg)
			if want != (key != nil) {
				t.Errorf("%s picked for %s: %v (%v)", name, alg, key != nil, e)
			}
			if !want && !errors.Is(e, ErrAlgorithm) {
				t.Errorf("%s for %s: %v, want ErrAlgorithm", name, alg, e)
			}
		}
	}
}

// A key set keeps only public signature keys of a fit size.
func TestParseKeySet(t *testing.T) {
	short, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	k := jose.JSONWebKey{Key: &short.PublicKey, KeyID: "short"}
	set, err := k.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseKeySet([]byte(`{"keys": [` + string(set) + `]}`)); err == nil {
		t.Error("a 1024-bit RSA key taken")
	}
}

// FuzzClaims: any claims parse or are refused, never panic; a number of
// seconds becomes a time.
func FuzzClaims(f *testing.F) {
	for _, s := range []string{
		`{"iss":"x","aud":["a"],"exp":1.5e9,"scope":"a b","scp":["c"]}`, `{"exp":"x"}`, `{"aud":7}`, `[]`,
		`{"exp":1e300}`, `{"exp":-1}`, `{"nbf":null,"active":true}`, `{"scope":["a",1]}`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, e := parseClaims(b)
		if e != nil {
			if !errors.Is(e, ErrMalformed) || e.Description == "" {
				t.Fatalf("refusal %v", e)
			}
			return
		}
		_ = c.times(time.Unix(1.8e9, 0), time.Minute, true)
		_, _ = c.client()
	})
}
