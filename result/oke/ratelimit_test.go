package oke

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manualClock is a clock a test moves on; safe for concurrent use.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func newManualClock() *manualClock { return &manualClock{now: at("2027-02-05", 9)} }

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// bySubject authorizes "Bearer NAME" as the client NAME.
func bySubject(r *http.Request) (Client, error) {
	name, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || name == "" {
		return Client{}, fmt.Errorf("no token: %w", ErrUnauthenticated)
	}
	return Client{Subject: name, Issuer: "https://idp.example", Scopes: []string{Scope}}, nil
}

const deliverPath = "/ooapi/associations/" + first

// patchStatus sends a PATCH to the handler and returns its status; unlike
// serveRequest, it is fit for any goroutine.
func patchStatus(h http.Handler, token string) int {
	r := httptest.NewRequest("PATCH", deliverPath, strings.NewReader(`{}`))
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// One client over its limit is 429 with a Retry-After, while another is
// still served; the limit is the Clock's: time given, a token is back.
func TestRateLimitPerClient(t *testing.T) {
	clock := newManualClock()
	h, err := NewHandler(&acceptAll{}, HandlerConfig{Authorize: bySubject, Clock: clock.Now,
		RateLimit: RateLimit{PerSecond: 0.5, Burst: 3}})
	require.NoError(t, err)
	for i := range 3 {
		w, _ := serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
		require.Equal(t, http.StatusOK, w.Code, "request %d is in the burst", i+1)
	}
	w, a := serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t, "2", w.Header().Get("Retry-After"), "a token every two seconds")
	assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
	assert.Equal(t, "429", a.Status)
	assert.Equal(t, "Too many requests", a.Title)
	assert.Contains(t, a.Detail, "try again in 2 seconds")
	assert.Contains(t, a.Detail, "0.5 a second (3 at once)")

	for range 3 {
		w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer calm", "")
		assert.Equal(t, http.StatusOK, w.Code, "another client has its own bucket")
	}
	// The same subject from another issuer is another client.
	other := func(r *http.Request) (Client, error) {
		c, err := bySubject(r)
		c.Issuer = "https://other.example"
		return c, err
	}
	h.authorize = other
	w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
	assert.Equal(t, http.StatusOK, w.Code)
	h.authorize = bySubject

	clock.Advance(time.Second)
	w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
	assert.Equal(t, http.StatusTooManyRequests, w.Code, "half a token")
	assert.Equal(t, "1", w.Header().Get("Retry-After"))
	clock.Advance(time.Second)
	w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
	assert.Equal(t, http.StatusOK, w.Code)
	w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
	assert.Equal(t, http.StatusTooManyRequests, w.Code)

	// A quiet spell fills the bucket, never beyond its burst.
	clock.Advance(time.Hour)
	for i := range 4 {
		w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
		assert.Equal(t, i < 3, w.Code == http.StatusOK, "request %d after an hour: %d", i+1, w.Code)
	}

	// A clock that goes back fills nothing, and breaks nothing.
	clock.Advance(-2 * time.Hour)
	w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer flood", "")
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
}

// A flood from one sender does not starve the others: with many requests
// at once, from one client over its limit and from others within theirs,
// every request of the others is served.
func TestRateLimitFloodDoesNotStarveOthers(t *testing.T) {
	taker := TakerFunc(func(_ context.Context, d Delivery, _ time.Time) (Receipt, error) {
		return Receipt{Outcome: Accepted, AssociationID: d.AssociationID}, nil
	})
	h, err := NewHandler(taker, HandlerConfig{Authorize: bySubject, Clock: newManualClock().Now,
		RateLimit: RateLimit{PerSecond: 1, Burst: 20}})
	require.NoError(t, err)
	var flooded, floodServed, othersRefused atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				switch patchStatus(h, "flood") {
				case http.StatusOK:
					floodServed.Add(1)
				case http.StatusTooManyRequests:
					flooded.Add(1)
				}
			}
		})
	}
	for i := range 10 {
		wg.Go(func() {
			for range 20 {
				if patchStatus(h, fmt.Sprintf("planner-%d", i)) != http.StatusOK {
					othersRefused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 20, floodServed.Load(), "the flood is served its burst, and the clock stands still")
	assert.EqualValues(t, 800-20, flooded.Load())
	assert.Zero(t, othersRefused.Load(), "no other client was refused")
}

// Only authorised requests count: a request Authorize refuses takes
// nothing from any bucket.
func TestRateLimitCountsAuthorisedRequests(t *testing.T) {
	h, err := NewHandler(&acceptAll{}, HandlerConfig{Authorize: bySubject, Clock: newManualClock().Now,
		RateLimit: RateLimit{PerSecond: 1, Burst: 2}})
	require.NoError(t, err)
	for range 10 {
		w, _ := serveRequest(t, h, "PATCH", deliverPath, "", "192.0.2.1:1234")
		require.Equal(t, http.StatusUnauthorized, w.Code)
	}
	// Every authorised request counts, whatever its path: 404 and 405 too.
	w, _ := serveRequest(t, h, "GET", "/ooapi/offerings/x", "Bearer p", "192.0.2.1:1234")
	assert.Equal(t, http.StatusNotFound, w.Code)
	w, _ = serveRequest(t, h, "GET", deliverPath, "Bearer p", "192.0.2.1:1234")
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	w, _ = serveRequest(t, h, "PATCH", deliverPath, "Bearer p", "192.0.2.1:1234")
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
}

// The defaults, and turning the limit off.
func TestRateLimitDefaults(t *testing.T) {
	count := func(cfg HandlerConfig, n int, token, remote string) (ok int, last http.Header) {
		cfg.Clock = newManualClock().Now
		h, err := NewHandler(&acceptAll{}, cfg)
		require.NoError(t, err)
		for range n {
			w, _ := serveRequest(t, h, "PATCH", deliverPath, token, remote)
			if w.Code == http.StatusOK {
				ok++
			}
			last = w.Header()
		}
		return ok, last
	}
	ok, last := count(HandlerConfig{Authorize: bySubject}, DefaultBurst+5, "Bearer p", "")
	assert.Equal(t, DefaultBurst, ok, "the zero RateLimit is the default burst")
	assert.Equal(t, "1", last.Get("Retry-After"), "a token every 1/50 second: retry after a second")
	ok, _ = count(HandlerConfig{Authorize: bySubject, RateLimit: RateLimit{Burst: 7}}, 10, "Bearer p", "")
	assert.Equal(t, 7, ok)
	for _, rl := range []RateLimit{{PerSecond: -1}, {Burst: -1}, {PerSecond: 5, Burst: -1}} {
		ok, _ = count(HandlerConfig{Authorize: bySubject, RateLimit: rl}, 3*DefaultBurst, "Bearer p", "")
		assert.Equal(t, 3*DefaultBurst, ok, "%+v is off", rl)
	}
	ok, _ = count(HandlerConfig{InsecureNoAuth: true}, 3*DefaultBurst, "", "192.0.2.1:1234")
	assert.Equal(t, 3*DefaultBurst, ok, "with InsecureNoAuth the zero RateLimit is off")
	ok, _ = count(HandlerConfig{InsecureNoAuth: true, RateLimit: RateLimit{MaxClients: 5}}, DefaultBurst+5, "", "192.0.2.1:1234")
	assert.Equal(t, DefaultBurst, ok, "a RateLimit set with InsecureNoAuth is on, with the defaults")

	for _, rl := range []RateLimit{{PerSecond: math.NaN()}, {PerSecond: math.Inf(1)}, {MaxClients: -1}} {
		h, err := NewHandler(&acceptAll{}, HandlerConfig{Authorize: bySubject, Clock: time.Now, RateLimit: rl})
		require.ErrorIs(t, err, ErrHandlerConfig, "%+v", rl)
		assert.Contains(t, err.Error(), "RateLimit", "%+v", rl)
		assert.Nil(t, h)
	}
}

// With InsecureNoAuth, and for a Client without a Subject, a client is its
// remote address: the host without the port, an IPv6 address by its /64.
func TestRateLimitByRemoteAddress(t *testing.T) {
	noSubject := func(*http.Request) (Client, error) { return Client{Issuer: "https://idp.example"}, nil }
	for name, cfg := range map[string]HandlerConfig{
		"InsecureNoAuth":     {InsecureNoAuth: true},
		"Client no Subject":  {Authorize: noSubject},
		"Subject-less token": {Authorize: noSubject, RateLimit: RateLimit{MaxClients: 100}},
	} {
		cfg.Clock = newManualClock().Now
		cfg.RateLimit.PerSecond, cfg.RateLimit.Burst = 1, 2
		h, err := NewHandler(&acceptAll{}, cfg)
		require.NoError(t, err, name)
		code := func(remote string) int {
			w, _ := serveRequest(t, h, "PATCH", deliverPath, "Bearer x", remote)
			return w.Code
		}
		assert.Equal(t, http.StatusOK, code("192.0.2.1:1000"), name)
		assert.Equal(t, http.StatusOK, code("192.0.2.1:2000"), name)
		assert.Equal(t, http.StatusTooManyRequests, code("192.0.2.1:3000"), "%s: a new port is the same sender", name)
		assert.Equal(t, http.StatusTooManyRequests, code("[::ffff:192.0.2.1]:3000"), "%s: IPv4 mapped in IPv6", name)
		assert.Equal(t, http.StatusOK, code("192.0.2.2:1000"), name)

		assert.Equal(t, http.StatusOK, code("[2001:db8:1:2::1]:1000"), name)
		assert.Equal(t, http.StatusOK, code("[2001:db8:1:2:ffff::9]:1000"), name)
		assert.Equal(t, http.StatusTooManyRequests, code("[2001:db8:1:2:abcd::1%eth0]:1000"), "%s: the same /64", name)
		assert.Equal(t, http.StatusOK, code("[2001:db8:1:3::1]:1000"), "%s: another /64", name)
		assert.Equal(t, http.StatusOK, code("pipe"), "%s: an address that is no IP is itself", name)
	}
}

// The limiter forgets clients whose buckets are full again, and never
// remembers more than MaxClients.
func TestRateLimitMemoryIsBounded(t *testing.T) {
	l := newLimiter(RateLimit{PerSecond: 2, Burst: 10, MaxClients: 1000}, false)
	t0 := at("2027-02-05", 9)
	for i := range 5000 {
		ok, _ := l.take(fmt.Sprintf("c-%d", i), t0)
		require.True(t, ok)
	}
	assert.Equal(t, 1000, l.len(), "at most MaxClients")

	// A client forgotten while its bucket was not full starts afresh.
	for range 10 {
		l.take("busy", t0)
	}
	ok, _ := l.take("busy", t0)
	assert.False(t, ok)
	assert.Equal(t, 1000, l.len())

	// Five seconds fill a bucket of ten at two a second: every client
	// seen before is idle, and forgotten at the next request.
	l.take("late", t0.Add(4999*time.Millisecond))
	assert.Equal(t, 1000, l.len(), "none idle yet; the least recently seen made room")
	l.take("later", t0.Add(5*time.Second))
	assert.Equal(t, 2, l.len(), "only late and later are remembered")
	ok, _ = l.take("busy", t0.Add(5*time.Second))
	assert.True(t, ok, "a forgotten client has a full bucket, as it would have had")
}

// Concurrent requests of many clients, under the race detector, and the
// limiter's count stays consistent.
func TestRateLimitConcurrent(t *testing.T) {
	clock := newManualClock()
	l := newLimiter(RateLimit{PerSecond: 100, Burst: 5, MaxClients: 50}, false)
	var served atomic.Int64
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 500 {
				if g == 0 && i%50 == 0 {
					clock.Advance(10 * time.Millisecond)
				}
				if ok, wait := l.take(fmt.Sprintf("c-%d", (g*7+i)%80), clock.Now()); ok {
					served.Add(1)
				} else if wait <= 0 {
					t.Error("a refusal without a wait")
				}
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, l.len(), 50)
	assert.Positive(t, served.Load())
}

func TestRetryAfter(t *testing.T) {
	for wait, want := range map[time.Duration]int64{
		0: 1, time.Millisecond: 1, time.Second: 1, time.Second + 1: 2, 90 * time.Second: 90,
	} {
		assert.Equal(t, want, retryAfter(wait), "%s", wait)
	}
	assert.Equal(t, 365*24*time.Hour, duration(math.MaxFloat64))
	l := newLimiter(RateLimit{PerSecond: 1e-300, Burst: 1}, false)
	l.take("x", at("2027-02-05", 9))
	_, wait := l.take("x", at("2027-02-05", 9))
	assert.Equal(t, 365*24*time.Hour, wait, "a wait too long for a Duration is a year")
}
