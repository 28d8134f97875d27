package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/krs-oke/vaststelling/result/oke"
)

// maxTokenLength bounds the bearer tokens read: a JWT access token is a
// few kilobytes at most.
const maxTokenLength = 16 << 10

// bearerToken reads the bearer token of the request's Authorization header
// (RFC 6750 §2.1). The token in a query or a form is not taken.
func bearerToken(r *http.Request) (string, *Error) {
	values := r.Header.Values("Authorization")
	switch len(values) {
	case 0:
		return "", refuse(ErrNoToken, "send the token in an Authorization header: Bearer <token>")
	case 1:
	default:
		return "", refuse(ErrMalformed, "more than one Authorization header")
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", refuse(ErrNoToken, "the Authorization header is not of the scheme Bearer")
	}
	token = strings.TrimLeft(token, " ")
	switch {
	case token == "":
		return "", refuse(ErrNoToken, "the Authorization header holds no token after Bearer")
	case len(token) > maxTokenLength:
		return "", refuse(ErrMalformed, fmt.Sprintf("a bearer token longer than %d bytes", maxTokenLength))
	case !isB64Token(token):
		return "", refuse(ErrMalformed, "the bearer token holds characters RFC 6750 does not allow")
	}
	return token, nil
}

// isB64Token reports whether s is a b64token of RFC 6750 §2.1:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	i := 0
	for i < len(s) && b64TokenChar[s[i]] {
		i++
	}
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] != '=' {
			return false
		}
	}
	return true
}

// b64TokenChar holds the characters of a b64token but "=".
var b64TokenChar = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
	}
	return t
}()

// numericDate is a JSON NumericDate (RFC 7519 §2): seconds since the
// epoch, possibly with a fraction.
type numericDate struct{ time.Time }

// maxNumericDate is the year 5138: a later date is no date an issuer
// means.
const maxNumericDate = 1e11

func (d *numericDate) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return errors.New("not a number of seconds")
	}
	if math.IsNaN(f) || f < 0 || f > maxNumericDate {
		return errors.New("out of range")
	}
	sec := math.Floor(f)
	d.Time = time.Unix(int64(sec), int64((f-sec)*1e9)).UTC()
	return nil
}

// audience is the claim "aud": a string or a list of strings (RFC 7519
// §4.1.3).
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return errors.New("not a string or a list of strings")
		}
		*a = list
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("not a string or a list of strings")
	}
	*a = audience{s}
	return nil
}

// scopes is the claim "scope" or "scp": a space-separated string (RFC
// 9068 §2.2.3, RFC 7662 §2.2), or a list of strings.
type scopes []string

func (s *scopes) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return errors.New("not a string or a list of strings")
		}
		*s = list
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return errors.New("not a string or a list of strings")
	}
	*s = strings.Fields(str)
	return nil
}

// claims are what both authorizers check: the claims of a JWT access
// token (RFC 9068 §2.2), or an introspection answer (RFC 7662 §2.2), which
// uses the same names.
type claims struct {
	Active    *bool        `json:"active"` // introspection only
	Issuer    string       `json:"iss"`
	Subject   string       `json:"sub"`
	ClientID  string       `json:"client_id"`
	Audience  audience     `json:"aud"`
	Expiry    *numericDate `json:"exp"`
	NotBefore *numericDate `json:"nbf"`
	IssuedAt  *numericDate `json:"iat"`
	Scope     scopes       `json:"scope"`
	Scp       scopes       `json:"scp"`
}

// parseClaims reads claims, saying in words fit for the caller what does
// not parse.
func parseClaims(b []byte) (*claims, *Error) {
	var c claims
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, refuseCause(ErrMalformed, claimsProblem(b), err)
	}
	return &c, nil
}

// claimsProblem says which claim does not parse, reading them one by one:
// only when reading them all at once failed.
func claimsProblem(b []byte) string {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return "the claims are not a JSON object"
	}
	var c claims
	for _, f := range []struct {
		name string
		v    any
	}{
		{"active", &c.Active}, {"iss", &c.Issuer}, {"sub", &c.Subject}, {"client_id", &c.ClientID},
		{"aud", &c.Audience}, {"exp", &c.Expiry}, {"nbf", &c.NotBefore}, {"iat", &c.IssuedAt},
		{"scope", &c.Scope}, {"scp", &c.Scp},
	} {
		if raw, ok := all[f.name]; ok {
			if err := json.Unmarshal(raw, f.v); err != nil {
				return `the claim "` + f.name + `" is not what it should be`
			}
		}
	}
	return "the claims do not parse"
}

// times checks exp (required when required is true), nbf and iat at the
// moment now, with the leeway.
func (c *claims) times(now time.Time, leeway time.Duration, required bool) *Error {
	if c.Expiry == nil {
		if required {
			return refuse(ErrMalformed, `the token has no expiry ("exp")`)
		}
	} else if !now.Before(c.Expiry.Add(leeway)) {
		return refuse(ErrExpired, "at "+stamp(c.Expiry.Time))
	}
	if c.NotBefore != nil && now.Before(c.NotBefore.Add(-leeway)) {
		return refuse(ErrNotYetValid, "valid from "+stamp(c.NotBefore.Time))
	}
	if c.IssuedAt != nil && now.Before(c.IssuedAt.Add(-leeway)) {
		return refuse(ErrNotYetValid, "issued in the future, at "+stamp(c.IssuedAt.Time))
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// client returns who the claims are of: the subject is "sub", or
// "client_id" for a token without "sub".
func (c *claims) client() (oke.Client, *Error) {
	subject := c.Subject
	if subject == "" {
		subject = c.ClientID
	}
	if subject == "" {
		return oke.Client{}, refuse(ErrMalformed, `the token names no subject ("sub" or "client_id")`)
	}
	all := make([]string, 0, len(c.Scope)+len(c.Scp))
	for _, s := range slices.Concat(c.Scope, c.Scp) {
		if s != "" && !slices.Contains(all, s) {
			all = append(all, s)
		}
	}
	return oke.Client{Subject: subject, Scopes: all, Issuer: c.Issuer}, nil
}

// authorized returns the client, with ErrScope when its scopes lack
// oke.Scope.
func authorized(cl oke.Client) (oke.Client, error) {
	if !slices.Contains(cl.Scopes, oke.Scope) {
		return cl, refuse(ErrScope, "")
	}
	return cl, nil
}

// checkURL says what makes a configured endpoint unfit: it must be an
// absolute https URL, or http to a loopback address (a test, or a sidecar
// on the same host).
func checkURL(name, raw string) error {
	if raw == "" {
		return fmt.Errorf("oauth: %w: %s required", ErrConfig, name)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("oauth: %w: %s %q is not an absolute URL", ErrConfig, name, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("oauth: %w: %s %q must be https (http only to a loopback address)", ErrConfig, name, raw)
}

// duration returns d, or def when d is zero; a negative d is an error.
func duration(name string, d, def time.Duration) (time.Duration, error) {
	switch {
	case d < 0:
		return 0, fmt.Errorf("oauth: %w: %s %v is negative", ErrConfig, name, d)
	case d == 0:
		return def, nil
	}
	return d, nil
}
