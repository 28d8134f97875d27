package oauth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/oauth"
)

// exampleIssuer is an issuer made in the process: an ECDSA key, its key
// set served over HTTP, and a function that issues access tokens.
func exampleIssuer() (jwks *httptest.Server, issue func(claims map[string]any) string) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	set, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &priv.PublicKey, KeyID: "key-2027-1", Algorithm: "ES256", Use: "sig"}}})
	jwks = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(set)
	}))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: priv, KeyID: "key-2027-1"}},
		(&jose.SignerOptions{}).WithType("at+jwt"))
	if err != nil {
		panic(err)
	}
	issue = func(claims map[string]any) string {
		payload, _ := json.Marshal(claims)
		jws, err := signer.Sign(payload)
		if err != nil {
			panic(err)
		}
		s, _ := jws.CompactSerialize()
		return s
	}
	return jwks, issue
}

// A JWT authorizer over an issuer's key set: a token with the scope is
// taken, one without is 403, an expired one and none at all 401, each
// with the challenge RFC 6750 asks for.
func ExampleNewJWT() {
	jwks, issue := exampleIssuer()
	defer jwks.Close()
	now := time.Date(2027, time.February, 5, 9, 0, 0, 0, time.UTC)
	a, err := oauth.NewJWT(oauth.JWTConfig{
		Issuer:   "https://auth.example.nl",
		Audience: "https://krs.example.nl/ooapi",
		JWKSURL:  jwks.URL, // https in production; http only to a loopback address
		Client:   jwks.Client(),
		Clock:    func() time.Time { return now },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := a.Refresh(context.Background()); err != nil { // at start-up: a wrong JWKSURL shows now
		fmt.Println(err)
		return
	}
	claims := func(scope string, exp time.Time) map[string]any {
		return map[string]any{"iss": "https://auth.example.nl", "aud": "https://krs.example.nl/ooapi",
			"sub": "toetsplanner-1", "client_id": "toetsplanner-1", "iat": now.Unix(), "exp": exp.Unix(),
			"jti": "c0ffee", "scope": scope}
	}
	for _, tok := range []string{
		issue(claims(oke.Scope, now.Add(5*time.Minute))),
		issue(claims("nl-test-admin-flow-2-3-4", now.Add(5*time.Minute))),
		issue(claims(oke.Scope, now.Add(-5*time.Minute))),
		"",
	} {
		r := httptest.NewRequest(http.MethodPatch, "/ooapi/associations/assoc-1", nil)
		if tok != "" {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		client, err := a.Authorize(r)
		var refusal *oauth.Error
		switch {
		case err == nil:
			fmt.Println("200", client.Subject, client.Scopes)
		case errors.As(err, &refusal) && errors.Is(err, oke.ErrForbidden):
			fmt.Println("403", err)
			fmt.Println("    WWW-Authenticate:", refusal.Challenge())
		case errors.As(err, &refusal):
			fmt.Println("401", err)
			fmt.Println("    WWW-Authenticate:", refusal.Challenge())
		}
	}
	// Output:
	// 200 toetsplanner-1 [nl-test-admin-flow-1-5]
	// 403 oauth: token lacks the scope nl-test-admin-flow-1-5
	//     WWW-Authenticate: Bearer error="insufficient_scope", scope="nl-test-admin-flow-1-5"
	// 401 oauth: token expired: at 2027-02-05T08:55:00Z
	//     WWW-Authenticate: Bearer error="invalid_token", error_description="oauth: token expired: at 2027-02-05T08:55:00Z"
	// 401 oauth: no bearer token: send the token in an Authorization header: Bearer <token>
	//     WWW-Authenticate: Bearer scope="nl-test-admin-flow-1-5"
}

// The authorizer guards the flow-5 endpoints: its Authorize is the
// handler's.
func ExampleJWT_Authorize() {
	jwks, issue := exampleIssuer()
	defer jwks.Close()
	now := time.Date(2027, time.February, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	a, err := oauth.NewJWT(oauth.JWTConfig{Issuer: "https://auth.example.nl", Audience: "https://krs.example.nl/ooapi",
		JWKSURL: jwks.URL, Client: jwks.Client(), Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	taker := oke.TakerFunc(func(ctx context.Context, d oke.Delivery, now time.Time) (oke.Receipt, error) {
		return oke.Receipt{AssociationID: d.AssociationID, Outcome: oke.Accepted}, nil
	})
	h, err := oke.NewHandler(taker, oke.HandlerConfig{Authorize: a.Authorize, Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	tok := issue(map[string]any{"iss": "https://auth.example.nl", "aud": "https://krs.example.nl/ooapi",
		"sub": "toetsplanner-1", "exp": now.Add(time.Hour).Unix(), "scope": oke.Scope})
	for _, auth := range []string{"Bearer " + tok, "Bearer " + tok[:len(tok)-4] + "AAAA", ""} {
		r := httptest.NewRequest(http.MethodPatch, "/ooapi/associations/assoc-1", strings.NewReader(`{}`))
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	// Output:
	// 200
	// 401
	// 401
}

// An introspection authorizer asks the authorization server about opaque
// tokens, with this service's client credentials, and keeps the answers
// of active tokens for a while.
func ExampleNewIntrospection() {
	asked := 0
	as := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked++
		id, secret, _ := r.BasicAuth()
		if id != "krs" || secret != "secret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		answer := map[string]any{"active": false}
		if r.PostFormValue("token") == "2YotnFZFEjr1zCsicMWpAA" {
			answer = map[string]any{"active": true, "scope": oke.Scope, "client_id": "toetsplanner-1",
				"iss": "https://auth.example.nl", "exp": 1801821600}
		}
		_ = json.NewEncoder(w).Encode(answer)
	}))
	defer as.Close()
	now := time.Date(2027, time.February, 5, 9, 0, 0, 0, time.UTC)
	a, err := oauth.NewIntrospection(oauth.IntrospectionConfig{
		Endpoint: as.URL, ClientID: "krs", ClientSecret: "secret", Client: as.Client(),
		Clock: func() time.Time { return now }, Issuer: "https://auth.example.nl",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, tok := range []string{"2YotnFZFEjr1zCsicMWpAA", "2YotnFZFEjr1zCsicMWpAA", "revoked"} {
		r := httptest.NewRequest(http.MethodPut, "/ooapi/associations/assoc-1", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		client, err := a.Authorize(r)
		fmt.Println(client.Subject, err)
	}
	fmt.Println("asked", asked, "times")
	// Output:
	// toetsplanner-1 <nil>
	// toetsplanner-1 <nil>
	//  oauth: token not active: the authorization server does not know the token as active
	// asked 2 times
}
