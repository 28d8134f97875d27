package oauth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// maxJWKSSize bounds the key set read: a few keys take a few kilobytes.
const maxJWKSSize = 1 << 20

// minRSABits is the shortest RSA key taken from a key set.
const minRSABits = 2048

// keySet is the issuer's key set as last fetched, and the fetching.
type keySet struct {
	url        string
	client     *http.Client
	clock      func() time.Time
	minRefresh time.Duration
	maxAge     time.Duration
	timeout    time.Duration

	mu        sync.RWMutex // guards what follows
	keys      []jose.JSONWebKey
	fetched   time.Time // the last successful fetch; zero: none yet
	gen       uint64    // counts the successful fetches
	attempted time.Time // the last fetch, successful or not
	lastErr   error     // the last fetch's error, nil if it succeeded

	fetchMu sync.Mutex // one fetch at a time
}

// lookup returns the key that checks a token signed with alg by the key
// kid ("" when the token names none). It fetches the key set when it
// holds no such key, or is older than maxAge, as minRefresh allows.
func (ks *keySet) lookup(ctx context.Context, kid string, alg jose.SignatureAlgorithm) (any, *Error) {
	now := ks.clock()
	ks.mu.RLock()
	key, why := pick(ks.keys, kid, alg)
	stale := now.Sub(ks.fetched) >= ks.maxAge
	ks.mu.RUnlock()
	if key != nil && !stale {
		return key, nil
	}
	if key != nil {
		// Stale, but good until a fetch says otherwise: refresh unless
		// another request is refreshing already.
		if !ks.fetchMu.TryLock() {
			return key, nil
		}
		ks.refreshLocked(ctx, now, false)
		ks.fetchMu.Unlock()
	} else {
		ks.fetchMu.Lock()
		ks.refreshLocked(ctx, now, false)
		ks.fetchMu.Unlock()
	}

	ks.mu.RLock()
	fresh, freshWhy := pick(ks.keys, kid, alg)
	loaded, lastErr := !ks.fetched.IsZero(), ks.lastErr
	ks.mu.RUnlock()
	switch {
	case fresh != nil:
		return fresh, nil
	case key != nil && lastErr != nil:
		return key, nil // the issuer is unreachable: the key it had still holds
	case !loaded:
		return nil, &Error{Kind: ErrJWKS, Cause: lastErr}
	}
	if freshWhy == nil {
		freshWhy = why
	}
	if lastErr != nil {
		freshWhy.Cause = &Error{Kind: ErrJWKS, Cause: lastErr} // the key set could not be fetched again
	}
	return nil, freshWhy
}

// generation returns the number of successful fetches so far, and whether
// the keys are younger than maxAge at the moment now. A token verified
// under one generation is verified again under the next, whose keys may
// lack the one that verified it; and when the keys are older than maxAge,
// so that they are fetched again.
func (ks *keySet) generation(now time.Time) (gen uint64, fresh bool) {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	return ks.gen, !ks.fetched.IsZero() && now.Sub(ks.fetched) < ks.maxAge
}

// refresh fetches the key set now, whatever minRefresh says.
func (ks *keySet) refresh(ctx context.Context) error {
	ks.fetchMu.Lock()
	defer ks.fetchMu.Unlock()
	if err := ks.refreshLocked(ctx, ks.clock(), true); err != nil {
		return &Error{Kind: ErrJWKS, Cause: err}
	}
	return nil
}

// refreshLocked fetches the key set, holding fetchMu, unless a fetch was
// attempted less than minRefresh before now (and force is false): then it
// returns that fetch's error.
func (ks *keySet) refreshLocked(ctx context.Context, now time.Time, force bool) error {
	ks.mu.RLock()
	attempted, lastErr := ks.attempted, ks.lastErr
	ks.mu.RUnlock()
	if !force && !attempted.IsZero() && now.Sub(attempted) < ks.minRefresh && now.Sub(attempted) >= 0 {
		return lastErr
	}
	keys, err := ks.fetch(ctx)
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.attempted = now
	if err != nil {
		ks.lastErr = err
		return err
	}
	ks.keys, ks.fetched, ks.lastErr = keys, now, nil
	ks.gen++
	return nil
}

// fetch reads the key set from its URL, keeping the keys that can check a
// signature.
func (ks *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ks.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ks.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	res, err := ks.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", ks.url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, maxJWKSSize))
		return nil, fmt.Errorf("fetching %s: status %s", ks.url, res.Status)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxJWKSSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ks.url, err)
	}
	if len(body) > maxJWKSSize {
		return nil, fmt.Errorf("reading %s: the key set is larger than %d bytes", ks.url, maxJWKSSize)
	}
	return parseKeySet(body)
}

// parseKeySet reads a JWK Set (RFC 7517 §5) and keeps the public keys that
// can check a signature: keys of a type go-jose does not know, symmetric
// keys, encryption keys and short RSA keys are left out. A set with no
// such key is an error: the keys fetched before are kept.
func parseKeySet(body []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("the key set is not a JWK Set: %w", err)
	}
	keys := make([]jose.JSONWebKey, 0, len(set.Keys))
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil || !k.Valid() {
			continue
		}
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		k = k.Public() // a private key in a key set: only its public part
		switch pub := k.Key.(type) {
		case *rsa.PublicKey:
			if pub.N.BitLen() < minRSABits {
				continue
			}
		case *ecdsa.PublicKey, ed25519.PublicKey:
		default:
			continue // symmetric (Public leaves nil), or unknown
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("the key set holds no key that can check a signature")
	}
	return keys, nil
}

// pick returns the key with the id kid that fits alg. A token without kid
// gets the one key that fits, if there is exactly one. When none fits, it
// says why.
func pick(keys []jose.JSONWebKey, kid string, alg jose.SignatureAlgorithm) (any, *Error) {
	var found any
	n, named := 0, 0
	for i := range keys {
		k := &keys[i]
		if kid != "" && k.KeyID != kid {
			continue
		}
		named++
		if !fits(k, alg) {
			continue
		}
		if n++; found == nil {
			found = k.Key
		}
	}
	switch {
	case kid == "" && n > 1:
		return nil, refuse(ErrKeyUnknown, `the token names no key ("kid") and the issuer has several`)
	case n > 0:
		return found, nil
	case named > 0 && kid != "":
		return nil, refuse(ErrAlgorithm, "the token's alg "+string(alg)+" does not fit the key it names")
	case kid == "":
		return nil, refuse(ErrKeyUnknown, `the token names no key ("kid") and the issuer has none for its alg`)
	}
	return nil, refuse(ErrKeyUnknown, "the issuer's key set has no key with the token's kid")
}

// fits reports whether the key can check a signature of alg.
func fits(k *jose.JSONWebKey, alg jose.SignatureAlgorithm) bool {
	if k.Algorithm != "" && k.Algorithm != string(alg) {
		return false
	}
	switch pub := k.Key.(type) {
	case *rsa.PublicKey:
		switch alg {
		case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512:
			return true
		}
	case *ecdsa.PublicKey:
		switch alg {
		case jose.ES256:
			return pub.Curve == elliptic.P256()
		case jose.ES384:
			return pub.Curve == elliptic.P384()
		case jose.ES512:
			return pub.Curve == elliptic.P521()
		}
	case ed25519.PublicKey:
		return alg == jose.EdDSA
	}
	return false
}
