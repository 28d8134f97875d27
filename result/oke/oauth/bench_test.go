package oauth_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/result/oke/oauth"
	"github.com/krs-oke/vaststelling/timeline"
)

// deliveryBody is a valid flow-5 PATCH for assoc-1 of officeDirectory.
const deliveryBody = `{"associationType": "componentOfferingAssociation",
	"consumers": [{"consumerKey": "nl-test-admin", "orgAssociationId": "assoc-1", "attempt": 1}],
	"result": {"state": "completed", "score": "7.5", "resultDate": "2027-01-18", "weight": 100,
		"consumers": [{"consumerKey": "nl-test-admin", "attendance": "present", "executedOfferingName": "A",
			"assessorCode": "JAJE", "testDate": "2027-01-18T11:00:00+01:00"}]}}`

const officeDirectory = `{
	"components": [{"code": "KT1", "scale": "0.0-10.0"}],
	"associations": [{"id": "assoc-1", "student": "s-101", "component": "KT1",
		"crebo": "25180", "attempt": 1, "state": "associated"}]}`

// officeHandler returns the flow-5 handler of a new office, kept in
// memory, with the configuration (its Clock set here).
func officeHandler(tb testing.TB, cfg oke.HandlerConfig) *oke.Handler {
	tb.Helper()
	cal := calendar.Default()
	dir, err := oke.LoadDirectory(strings.NewReader(officeDirectory))
	if err != nil {
		tb.Fatal(err)
	}
	mandates, err := result.NewMandateSet(result.Mandate{ID: "M-standing", GrantedBy: "examencommissie",
		To: "examenbureau", Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true},
		From: time.Date(2026, 8, 1, 0, 0, 0, 0, cal.Location())})
	if err != nil {
		tb.Fatal(err)
	}
	trail, err := audit.NewLog(&audit.MemoryStore{})
	if err != nil {
		tb.Fatal(err)
	}
	office, err := vaststelling.New(vaststelling.Config{
		Calendar: cal, Policies: timeline.DefaultPolicies(), Directory: dir, Mandates: mandates, Log: trail,
		Standing: result.Actor{ID: "robot", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}},
		Settings: timeline.Settings{Institution: "Examencommissie ROC Voorbeeld", KRS: "Eduarte",
			CommitteeAddress: "examencommissie@roc-voorbeeld.nl", AppealsBoardAddress: "cbe@roc-voorbeeld.nl"}})
	if err != nil {
		tb.Fatal(err)
	}
	deliveredAt := time.Date(2027, time.January, 22, 9, 0, 0, 0, cal.Location())
	cfg.Clock = func() time.Time { return deliveredAt }
	h, err := oke.NewHandler(office, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// deliver serves one delivery with the token ("" for none) and fails
// unless it is 200.
func deliver(tb testing.TB, h http.Handler, token string) {
	r := httptest.NewRequest(http.MethodPatch, "/ooapi/associations/assoc-1", bytes.NewReader([]byte(deliveryBody)))
	r.Header.Set("Content-Type", "application/merge-patch+json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		tb.Fatalf("%d %s", w.Code, w.Body)
	}
}

// BenchmarkAuthorize measures the JWT check on a cached key set, per
// algorithm: "verify" verifies every request's token in full (MaxEntries
// < 0), "kept" is the same token again, as a client sends it until it
// expires (see JWT); and an introspection answered from the cache. Then a
// delivery through oke.NewHandler to an office kept in memory,
// unauthenticated (InsecureNoAuth) and with a JWT; and the two
// interleaved, which reports their ratio, authorized/insecure (the target
// is at most 1.2).
func BenchmarkAuthorize(b *testing.B) {
	rs, _, es, ed := keys(b)
	is := newIssuer(b, rs, es, ed)
	c := newClock()
	kept := is.authorizer(b, c)
	verify := is.authorizer(b, c, func(cfg *oauth.JWTConfig) { cfg.MaxEntries = -1 })
	modes := []struct {
		name string
		a    *oauth.JWT
	}{{"verify", verify}, {"kept", kept}}
	for _, k := range []key{rs, es, ed} {
		for _, m := range modes {
			b.Run("jwt/"+string(k.alg)+"/"+m.name, func(b *testing.B) {
				r := request(token(b, k, c.Now()))
				if _, err := m.a.Authorize(r); err != nil { // the key set fetched
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := m.a.Authorize(r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("introspection/kept", func(b *testing.B) {
		as := newAuthorizationServer(b)
		in := as.authorizer(b, c)
		as.answer("opaque", active(c.Now()))
		r := request("opaque")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := in.Authorize(r); err != nil {
				b.Fatal(err)
			}
		}
	})

	// Each sub-benchmark gets offices of its own, which start empty.
	b.Run("delivery/insecure", func(b *testing.B) {
		insecure := officeHandler(b, oke.HandlerConfig{InsecureNoAuth: true})
		b.ReportAllocs()
		for b.Loop() {
			deliver(b, insecure, "")
		}
	})
	for _, m := range modes {
		for _, k := range []key{rs, es} {
			tok := token(b, k, c.Now())
			// The rate limit off, as it is with InsecureNoAuth: the
			// difference is the token check alone.
			cfg := oke.HandlerConfig{Authorize: m.a.Authorize, RateLimit: oke.RateLimit{PerSecond: -1}}
			b.Run("delivery/jwt-"+string(k.alg)+"-"+m.name, func(b *testing.B) {
				authorized := officeHandler(b, cfg)
				b.ReportAllocs()
				for b.Loop() {
					deliver(b, authorized, tok)
				}
			})
			b.Run("delivery/ratio-"+string(k.alg)+"-"+m.name, func(b *testing.B) {
				insecure := officeHandler(b, oke.HandlerConfig{InsecureNoAuth: true})
				authorized := officeHandler(b, cfg)
				var plain, auth time.Duration
				n := 0
				for b.Loop() {
					start := time.Now()
					deliver(b, insecure, "")
					mid := time.Now()
					deliver(b, authorized, tok)
					plain += mid.Sub(start)
					auth += time.Since(mid)
					n++
				}
				b.ReportMetric(float64(plain.Nanoseconds())/float64(n), "insecure-ns/op")
				b.ReportMetric(float64(auth.Nanoseconds())/float64(n), "authorized-ns/op")
				b.ReportMetric(float64(auth)/float64(plain), "authorized/insecure")
			})
		}
	}
}
