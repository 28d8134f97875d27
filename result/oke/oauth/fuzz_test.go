package oauth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/oauth"
)

// FuzzJWT feeds arbitrary strings as the bearer token: never a panic; a
// refusal is an *oauth.Error of 401 or 403 with a text; what is taken has
// a subject and the scope.
func FuzzJWT(f *testing.F) {
	rs, _, es, ed := keys(f)
	is := newIssuer(f, rs, es, ed)
	c := newClock()
	a := is.authorizer(f, c)
	good := token(f, es, c.Now())
	parts := strings.Split(good, ".")
	for _, s := range []string{
		good, token(f, rs, c.Now()), token(f, ed, c.Now()), sign(f, es, "JWT", claims(c.Now())),
		token(f, es, c.Now(), set("scope", nil)), token(f, es, c.Now(), set("exp", 0)),
		parts[0] + "." + parts[1] + ".", parts[0] + ".." + parts[2], "." + parts[1] + "." + parts[2],
		handBuilt(f, map[string]any{"alg": "none", "typ": "at+jwt"}, claims(c.Now()), nil),
		handBuilt(f, map[string]any{"alg": "HS256", "typ": "at+jwt", "kid": "rsa-1"}, claims(c.Now()), []byte("sig")),
		handBuilt(f, map[string]any{"alg": "ES256", "typ": "at+jwt", "kid": "ec-1", "crit": []string{"b64"}, "b64": false}, claims(c.Now()), []byte("sig")),
		handBuilt(f, map[string]any{"alg": "ES256", "typ": []int{1}, "kid": 7}, map[string]any{"exp": "x"}, nil),
		"", " ", "a", "a.b", "a.b.c", "..", "....", "a.b.c.d.e", "e30.e30.e30", "eyJ.eyJ.x", "===", "a=b",
		"Bearer x", "\x00", "é", strings.Repeat("A", 20000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		r := request("")
		r.Header["Authorization"] = []string{"Bearer " + tok}
		cl, err := a.Authorize(r)
		if err == nil {
			if cl.Subject == "" || cl.Issuer != issuerName {
				t.Fatalf("taken without a subject or issuer: %+v", cl)
			}
			return
		}
		var e *oauth.Error
		if !errors.As(err, &e) || e.Kind == nil {
			t.Fatalf("refusal not an *oauth.Error: %v", err)
		}
		if errors.Is(e.Kind, oauth.ErrJWKS) {
			return // the key set out of reach: no verdict on the token
		}
		if errors.Is(err, oke.ErrUnauthenticated) == errors.Is(err, oke.ErrForbidden) {
			t.Fatalf("refusal neither or both 401 and 403: %v", err)
		}
		if ch := e.Challenge(); !strings.HasPrefix(ch, "Bearer ") || strings.ContainsAny(ch, "\r\n\x00\\") {
			t.Fatalf("challenge %q", ch)
		}
	})
}
