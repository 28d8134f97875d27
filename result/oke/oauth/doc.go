// Package oauth checks the OAuth2 bearer tokens of the OKE flow-5
// endpoints for real: a request is let in only with a valid access token
// of a trusted issuer that carries the scope nl-test-admin-flow-1-5
// ([oke.Scope]; OKE agreement v1.0.1 §5, Table 5.1.A). It lives in a
// package of its own, so that package oke itself stays free of
// dependencies: this package uses github.com/go-jose/go-jose/v4 for JOSE.
//
// Two authorizers, one for each kind of token, both with the method that
// [oke.HandlerConfig.Authorize] takes:
//
//   - [JWT] checks JWT access tokens (RFC 9068) itself, against the
//     issuer's key set (JWKS), which it fetches through the caller's
//     *http.Client and keeps;
//   - [Introspection] asks the authorization server about opaque tokens
//     (RFC 7662), and keeps its answers for a while.
//
// An integrator wires one into the handler:
//
//	jwt, err := oauth.NewJWT(oauth.JWTConfig{
//		Issuer:   "https://auth.example.nl",
//		Audience: "https://krs.example.nl/ooapi",
//		JWKSURL:  "https://auth.example.nl/.well-known/jwks.json",
//		Client:   &http.Client{Timeout: 10 * time.Second},
//		Clock:    time.Now,
//	})
//	...
//	h, err := oke.NewHandler(taker, oke.HandlerConfig{Authorize: jwt.Authorize, Clock: time.Now})
//
// # Decisions
//
// A JWT's header "typ" must be "at+jwt" (or "application/at+jwt"), as RFC
// 9068 §2.1 asks; "JWT" is taken as well, because widely used issuers
// (Keycloak, Microsoft Entra ID) mark their access tokens so, unless
// [JWTConfig.StrictType] asks for at+jwt only. A token without "typ", or
// of another type (an ID token's issuer may mark it "JWT" too, but a
// logout token, a DPoP proof, a security event token are typed), is
// refused. An ID token that is typed "JWT" still fails: its audience is
// the client, not this service, and it carries no scope.
//
// The "alg" must be on an allow-list of asymmetric algorithms
// ([JWTConfig.Algorithms]; RS256, PS256, ES256 and EdDSA by default):
// never "none" and never an HMAC, so that an issuer's public key can never
// serve as an HMAC secret. The key is chosen by the token's "kid" from the
// issuer's key set and must fit the algorithm (an RSA key for RS and PS,
// the curve of the ES algorithm, Ed25519 for EdDSA, and the key's own
// "alg" if it has one). A token without "kid" is taken only when the key
// set has exactly one key that fits. Symmetric keys, encryption keys and
// RSA keys shorter than 2048 bits in the key set are ignored.
//
// The claims: "iss" must equal the configured issuer, "aud" (a string or a
// list) must hold the configured audience, "exp" is required and "nbf" and
// "iat" are checked when present, each with a leeway for clocks that
// differ ([DefaultLeeway]). The subject is "sub", or "client_id" when a
// token has no "sub"; a token with neither is refused. The scopes are
// those of "scope" (RFC 9068 §2.2.3: a string, space-separated; a list is
// taken too) together with those of "scp" (a string or a list, as Entra
// ID and Okta send them).
//
// The key set is fetched when it is first needed, again when a token names
// a key it does not hold (an issuer that rotated its keys), and again once
// it is older than [JWTConfig.MaxKeyAge], so that a key the issuer
// withdrew is dropped. Never more often than once per
// [JWTConfig.MinRefresh], failed fetches included: a flood of tokens with
// made-up key ids, or an issuer that is down, costs the issuer at most one
// request per interval. While the issuer is unreachable, the keys fetched
// before go on being used.
//
// A token that passed is kept, by its SHA-256 hash, until its "exp"
// ([JWTConfig.MaxEntries] of them, the least recently used going first):
// a client sends the same token until it expires, and verifying a
// signature costs several times what taking a delivery in does. The same
// token again has its times and its scope checked, not its signature,
// unless the key set was fetched anew since, or is older than MaxKeyAge.
// Only tokens that verified are kept.
//
// Introspection: the answer's "active" must be true; "exp" and "nbf" are
// checked when present (with the leeway), "iss" and "aud" when the
// configuration names them (then the answer must carry them). Answers of
// active tokens are kept in a cache bounded in size
// ([IntrospectionConfig.MaxEntries], the least recently used go first) and
// in time: never beyond the token's "exp", and never longer than
// [IntrospectionConfig.MaxAge], so that a token revoked at the server is
// refused here within MaxAge. The cache holds a hash of each token, never
// the token. Inactive tokens are not kept.
//
// Neither authorizer reads the clock itself: each takes a Clock.
//
// # Errors
//
// Authorize returns an [*Error]. Its Kind is one of the sentinels
// ([ErrNoToken], [ErrMalformed], [ErrType], [ErrAlgorithm],
// [ErrKeyUnknown], [ErrSignature], [ErrExpired], [ErrNotYetValid],
// [ErrIssuer], [ErrAudience], [ErrInactive], [ErrScope], [ErrJWKS],
// [ErrIntrospection]); errors.Is finds the kind, and through it the class
// [oke.HandlerConfig.Authorize] answers by:
//
//   - a refusal of the token wraps [oke.ErrUnauthenticated] (401), or, for
//     ErrScope, [oke.ErrForbidden] (403). Its text names no secret, no
//     key material, nothing from the token but times, and no endpoint: it
//     is safe to show the caller, and the handler does. What went wrong
//     underneath (go-jose's parse error, say) is the Error's Cause, not in
//     its text. [Error.Challenge] gives the WWW-Authenticate value RFC 6750
//     §3 asks for, the one oke.Handler writes;
//   - ErrJWKS and ErrIntrospection, this side failing to check the token
//     (the key set or the introspection endpoint cannot be reached, or
//     answers what cannot be read), wrap neither: the handler answers 500
//     and logs the error, whose text then ends in its Cause (the URL, the
//     network error or the status). A token that names a key the set does
//     not hold, while the set cannot be fetched again, is ErrKeyUnknown
//     (401) all the same, as a made-up key id would be; its Cause wraps
//     ErrJWKS.
package oauth
