package oauth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/krs-oke/vaststelling/result/oke"
)

// kind is a sentinel that belongs to a class: oke.ErrUnauthenticated or
// oke.ErrForbidden, which errors.Is finds through it.
type kind struct {
	text  string
	class error
}

func (k *kind) Error() string { return k.text }
func (k *kind) Unwrap() error { return k.class }

func unauthenticated(text string) error { return &kind{text, oke.ErrUnauthenticated} }

// The kinds of refusal. Each wraps oke.ErrUnauthenticated (the handler
// answers 401), but ErrScope, which wraps oke.ErrForbidden (403), and
// ErrJWKS and ErrIntrospection, which wrap neither: they are no verdict on
// the token but this side failing to check it, which the handler answers
// 500, logging the error.
var (
	// ErrNoToken: the request carries no bearer token (no Authorization
	// header, one of another scheme, or "Bearer" with nothing after it).
	ErrNoToken = unauthenticated("oauth: no bearer token")
	// ErrMalformed: a token that is not what it should be: not a bearer
	// token RFC 6750 allows, not a compact JWS, claims that do not parse,
	// a required claim (exp, a subject) missing; or more than one
	// Authorization header.
	ErrMalformed = unauthenticated("oauth: malformed token")
	// ErrType: a JWT that is not typed as an access token ("typ").
	ErrType = unauthenticated("oauth: not an access token")
	// ErrAlgorithm: a JWT signed with an algorithm not on the allow-list
	// ("none" and the HMACs never are), or with one that does not fit the
	// key it names.
	ErrAlgorithm = unauthenticated("oauth: signing algorithm not accepted")
	// ErrKeyUnknown: a JWT that names a key the issuer's key set does not
	// hold, also after fetching it again (or as MinRefresh allows no
	// fetch yet). When the fetch failed, the Error's Cause wraps ErrJWKS;
	// the refusal is still 401, as a token with a made-up key id is.
	ErrKeyUnknown = unauthenticated("oauth: signing key unknown")
	// ErrSignature: a JWT whose signature does not verify.
	ErrSignature = unauthenticated("oauth: invalid signature")
	// ErrExpired: a token past its expiry ("exp"), leeway included.
	ErrExpired = unauthenticated("oauth: token expired")
	// ErrNotYetValid: a token before its "nbf", or issued ("iat") in the
	// future, leeway included.
	ErrNotYetValid = unauthenticated("oauth: token not yet valid")
	// ErrIssuer: a token of another issuer than the configured one.
	ErrIssuer = unauthenticated("oauth: issuer not accepted")
	// ErrAudience: a token that is not meant for this service: its "aud"
	// does not hold the configured audience.
	ErrAudience = unauthenticated("oauth: audience not accepted")
	// ErrInactive: the introspection endpoint says the token is not
	// active (unknown, revoked or expired).
	ErrInactive = unauthenticated("oauth: token not active")
	// ErrJWKS: the issuer's key set could not be fetched or read, and no
	// key fetched before can check the token. Its Cause says why. It wraps
	// neither oke sentinel: the handler answers 500 and logs it.
	ErrJWKS error = &kind{"oauth: the issuer's key set is unavailable", nil}
	// ErrIntrospection: the introspection endpoint could not be asked, or
	// its answer could not be read. Its Cause says why. It wraps neither
	// oke sentinel: the handler answers 500 and logs it.
	ErrIntrospection error = &kind{"oauth: token introspection failed", nil}
	// ErrScope: a valid token without the scope nl-test-admin-flow-1-5.
	ErrScope error = &kind{"oauth: token lacks the scope " + oke.Scope, oke.ErrForbidden}
)

// ErrConfig is matched by every error of NewJWT and NewIntrospection: a
// configuration that lacks what checking tokens needs, or that would let
// tokens in that must not be (an HMAC or "none" on the allow-list).
var ErrConfig = errors.New("invalid oauth configuration")

// An Error is a refusal of Authorize. Kind is one of the sentinels of this
// package; errors.Is finds it, and through it oke.ErrUnauthenticated or
// oke.ErrForbidden, and the Cause.
type Error struct {
	// Kind is the sentinel: ErrExpired, ErrScope, ...
	Kind error
	// Description says what is wrong, in words safe to show the caller:
	// no secrets, no key material, nothing from the token but times.
	Description string
	// Cause is what went wrong underneath: a network error fetching the
	// key set, go-jose's parse error. Often nil.
	Cause error
}

// Error returns the kind and the description, e.g. "oauth: token
// expired: at 2027-02-05T08:58:00Z": for a refusal (401, 403) a text safe
// to show the caller, without the Cause. For ErrJWKS and ErrIntrospection,
// which the handler answers 500 and only logs, it ends in the Cause, which
// may name the endpoint and the network error.
func (e *Error) Error() string {
	k := "oauth: unauthenticated"
	if e.Kind != nil {
		k = e.Kind.Error()
	}
	if e.Description != "" {
		k += ": " + e.Description
	}
	if e.Cause != nil && e.failure() {
		k += ": " + e.Cause.Error()
	}
	return k
}

// failure reports whether the error is this side's failure to check the
// token rather than a refusal of it.
func (e *Error) failure() bool {
	return errors.Is(e.Kind, ErrJWKS) || errors.Is(e.Kind, ErrIntrospection)
}

// Unwrap returns the kind and the cause.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

// Challenge returns the value of the WWW-Authenticate header for the
// refusal, as RFC 6750 §3 has it, and as oke.Handler writes it:
//
//   - no token at all (ErrNoToken): Bearer scope="nl-test-admin-flow-1-5",
//     without an error code (§3.1: a request without authentication
//     information gets none);
//   - a token without the scope (ErrScope, 403):
//     Bearer error="insufficient_scope", scope="nl-test-admin-flow-1-5";
//   - any other refusal (401): Bearer error="invalid_token",
//     error_description="..." with the error's text, its characters
//     limited to those §3 allows;
//   - ErrJWKS and ErrIntrospection, which are no refusal (500): "".
func (e *Error) Challenge() string {
	switch {
	case e.failure():
		return ""
	}
	return oke.Challenge(e, !errors.Is(e.Kind, ErrNoToken))
}

// refuse returns an *Error of the kind.
func refuse(k error, description string) *Error { return &Error{Kind: k, Description: description} }

// refuseCause returns an *Error of the kind with a cause.
func refuseCause(k error, description string, cause error) *Error {
	return &Error{Kind: k, Description: description, Cause: cause}
}

// A field is a setting of a configuration, and whether it is given.
type field struct {
	name string
	ok   bool
}

// required names every setting missing, as an error matching ErrConfig.
func required(fields ...field) error {
	var missing []string
	for _, f := range fields {
		if !f.ok {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("oauth: %w: %s required", ErrConfig, strings.Join(missing, ", "))
	}
	return nil
}
