package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/result/oke"
)

// The test issuer's paths, under the server's address.
const (
	devPrefix = "/dev"
	devJWKS   = devPrefix + "/jwks"
	devToken  = devPrefix + "/token"
)

// The test issuer's clients: the planner (Toetsplanning), who delivers
// the results to this server, and the KRS, which fetches the documents a
// result names from the planner (here the test planner, see devplanner.go).
const (
	devClient    = "toetsplanning"
	devKRSClient = "krs"
)

// devTokenLife is how long an access token of the test issuer holds.
const devTokenLife = time.Hour

// devScopes are the scopes the test issuer grants on request: OKE's four
// (the agreement's §5.0). Without a scope parameter a token has
// oke.Scope, the one flow 5 needs.
var devScopes = []string{"nl-test-admin-flow-0", oke.Scope, "nl-test-admin-flow-2-3-4", "nl-test-admin-flow-6"}

// A devIssuer is the test issuer of -dev: an OAuth2 authorization server
// that knows two clients, each with a secret made at start and the
// audience its tokens are for, and signs their access tokens, JWTs (RFC
// 9068), with an RSA key made at start and published as a JWKS (RFC
// 7517). It is for trying the server on one machine, never for
// production: its key lives as long as the process, and anyone who has
// the secret printed at start gets a token.
type devIssuer struct {
	issuer  string
	clients map[string]devClientInfo
	key     *rsa.PrivateKey
	kid     string
	clock   func() time.Time
}

// devClientInfo is what the test issuer knows of a client.
type devClientInfo struct {
	secret   string
	audience string // the service its tokens are for, their aud
}

// newDevIssuer makes a test issuer named issuer (its URL, the tokens'
// iss), with a new key, for clients, each named with the audience of its
// tokens; it makes each a secret.
func newDevIssuer(issuer string, audiences map[string]string, clock func() time.Time) (*devIssuer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("making the test issuer's key: %w", err)
	}
	d := &devIssuer{issuer: issuer, clients: map[string]devClientInfo{}, key: key, clock: clock}
	for id, aud := range audiences {
		secret := make([]byte, 16)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("making the test clients' secrets: %w", err)
		}
		d.clients[id] = devClientInfo{secret: hex.EncodeToString(secret), audience: aud}
	}
	sum := sha256.Sum256(key.PublicKey.N.Bytes())
	d.kid = hex.EncodeToString(sum[:8])
	return d, nil
}

// secret returns the secret of the client.
func (d *devIssuer) secret(client string) string { return d.clients[client].secret }

// register serves the issuer's JWKS and token endpoint on mux.
func (d *devIssuer) register(mux *http.ServeMux) {
	mux.HandleFunc("GET "+devJWKS, d.serveJWKS)
	mux.HandleFunc("POST "+devToken, d.serveToken)
	mux.HandleFunc(devPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the test issuer serves GET "+devJWKS+" and POST "+devToken, http.StatusNotFound)
	})
}

// jwk is one public key of a JWKS (RFC 7517, RFC 7518 §6.3).
type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	N   string `json:"n"`
	E   string `json:"e"`
}

func (d *devIssuer) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	pub := d.key.PublicKey
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "max-age=300")
	_ = json.NewEncoder(w).Encode(map[string][]jwk{"keys": {{Kty: "RSA", Use: "sig", Alg: "RS256", Kid: d.kid,
		N: b64(pub.N.Bytes()), E: b64(big.NewInt(int64(pub.E)).Bytes())}}})
}

// tokenAnswer is a successful token response (RFC 6749 §5.1).
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

// serveToken answers a client credentials grant (RFC 6749 §4.4): the
// client authenticates with client_id and client_secret in the form or
// with HTTP Basic (§2.3.1), and may ask for scopes among devScopes.
func (d *devIssuer) serveToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "the body is not a form: "+err.Error())
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	case !d.known(id, secret):
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="test issuer"`)
		}
		tokenError(w, http.StatusUnauthorized, "invalid_client", "unknown client, or a wrong secret")
		return
	}
	scopes := []string{oke.Scope}
	if s := r.PostForm.Get("scope"); s != "" {
		scopes = strings.Fields(s)
		for _, sc := range scopes {
			if !slices.Contains(devScopes, sc) {
				tokenError(w, http.StatusBadRequest, "invalid_scope", "the test issuer grants "+strings.Join(devScopes, ", "))
				return
			}
		}
	}
	token, err := d.mint(id, scopes)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(tokenAnswer{AccessToken: token, TokenType: "Bearer",
		ExpiresIn: int(devTokenLife / time.Second), Scope: strings.Join(scopes, " ")})
}

// known reports whether the client id is the test issuer's, with that
// secret.
func (d *devIssuer) known(id, secret string) bool {
	c, ok := d.clients[id]
	return ok && subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret)) == 1
}

func tokenError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": description})
}

// mint signs an access token for the client sub with the scopes: a JWT
// (RFC 9068) signed RS256.
func (d *devIssuer) mint(sub string, scopes []string) (string, error) {
	now := d.clock()
	jti := make([]byte, 12)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "at+jwt", "kid": d.kid})
	if err != nil {
		return "", err
	}
	claims, err := json.Marshal(map[string]any{
		"iss": d.issuer, "sub": sub, "aud": d.clients[sub].audience, "client_id": sub,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(devTokenLife).Unix(),
		"jti": hex.EncodeToString(jti), "scope": strings.Join(scopes, " "),
	})
	if err != nil {
		return "", err
	}
	signed := b64(header) + "." + b64(claims)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, d.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signed + "." + b64(sig), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// sample is the message the instructions deliver, from the repository
// root: the agreement's example of a score (flow 5.1), corrected until
// the intake takes it in, for enrolment 5a52f86b-… of the example
// directory. It names a document, which the server fetches from the test
// planner and archives.
const (
	sampleID   = "5a52f86b-edcd-4f7f-9ea9-c8617f6043b6"
	sampleFile = "result/oke/testdata/spec/corrected/flow5.1-score/" + sampleID + ".json"
)

// instructions prints how to get a token from the test issuer and deliver
// the sample message with it, as curl commands for a POSIX shell.
func (d *devIssuer) instructions(w io.Writer, base string) {
	fmt.Fprintf(w, "test issuer: %s, client %s, secret %s\n", d.issuer, devClient, d.secret(devClient))
	fmt.Fprintf(w, "Get a token (valid for %d minutes):\n", int(devTokenLife/time.Minute))
	fmt.Fprintf(w, "  TOKEN=$(curl -s %s%s -d grant_type=client_credentials -d client_id=%s -d client_secret=%s | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')\n",
		base, devToken, devClient, d.secret(devClient))
	fmt.Fprintf(w, "Deliver a result (from the repository root):\n")
	fmt.Fprintf(w, "  curl -s -X PATCH %s/ooapi/associations/%s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/merge-patch+json' --data-binary @%s\n",
		base, sampleID, sampleFile)
	fmt.Fprintf(w, "Read the service's metadata:\n  curl -s %s/ooapi/ -H \"Authorization: Bearer $TOKEN\"\n", base)
}
