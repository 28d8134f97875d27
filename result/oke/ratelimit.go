package oke

import (
	queue "container/list"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// The rate limit of a handler whose RateLimit leaves a field zero.
//
// A planner sends one message per student per exam sitting, the attendance
// first and the score later (§3.5.2): the results of a sitting of a hundred
// students go out at once, and fit in the burst; fifty a second, kept up,
// is 180,000 messages an hour, more than an MBO institution delivers in a
// year's busiest week, and far less than a durable office takes in. A
// sender over it is answered 429 with a Retry-After, which the agreement
// lists for every operation (§5.1), and delivers the rest a little later.
const (
	DefaultRatePerSecond = 50     // requests a second per client, kept up
	DefaultBurst         = 100    // requests at once per client, after a quiet spell
	DefaultMaxClients    = 10_000 // clients remembered at once
)

// RateLimit limits the requests of each client to a handler: a token
// bucket per client, which holds Burst tokens and gains PerSecond tokens a
// second; a request takes one, and a request that finds none is answered
// 429 (Too many requests) with a Retry-After header that says in how many
// seconds a token will be there. One client's flood empties its own bucket
// only: every other client keeps its own.
//
// A client is who Authorize says it is: its Client's Issuer and Subject.
// A Client without a Subject, and every request of a handler with
// InsecureNoAuth, counts by its remote address instead (an IPv6 address by
// its /64, which one machine commonly has to itself). Behind a gateway or
// proxy every request has the gateway's address: limit there, and give the
// handler a negative PerSecond.
//
// The zero RateLimit is DefaultRatePerSecond, DefaultBurst and
// DefaultMaxClients: a field left zero takes its default. A negative
// PerSecond or Burst turns the limit off. With InsecureNoAuth a RateLimit
// left entirely zero is off as well, because the remote address of such a
// handler is most often a gateway's, shared by every sender; set it to
// limit by address.
//
// Time is the handler's Clock: a bucket fills as the Clock moves on, and a
// Clock that stands still fills none. The handler remembers at most
// MaxClients clients; a client idle long enough for its bucket to be full
// again is forgotten first (it is then as a new one), and when more clients
// than that are active at once the least recently seen is forgotten, and
// starts again with a full bucket when it returns. The limit takes no
// goroutine and is safe for concurrent use.
type RateLimit struct {
	// PerSecond is how many requests a client may send a second, kept up;
	// fractions are allowed (0.5 is one every two seconds). Zero means
	// DefaultRatePerSecond; negative turns the limit off.
	PerSecond float64

	// Burst is how many requests a client may send at once after a quiet
	// spell: the size of its bucket. Zero means DefaultBurst; negative
	// turns the limit off.
	Burst int

	// MaxClients is how many clients the handler remembers at once. Zero
	// means DefaultMaxClients; it may not be negative.
	MaxClients int
}

// off reports whether the limit is turned off.
func (rl RateLimit) off(insecure bool) bool {
	return rl.PerSecond < 0 || rl.Burst < 0 || (insecure && rl == RateLimit{})
}

// check says what makes the limit unusable, or returns "".
func (rl RateLimit) check() string {
	switch {
	case math.IsNaN(rl.PerSecond) || math.IsInf(rl.PerSecond, 0):
		return fmt.Sprintf("RateLimit.PerSecond %v is no number of requests", rl.PerSecond)
	case rl.MaxClients < 0:
		return fmt.Sprintf("RateLimit.MaxClients %d is negative", rl.MaxClients)
	}
	return ""
}

// newLimiter returns the limiter of a handler, nil when the limit is off.
func newLimiter(rl RateLimit, insecure bool) *limiter {
	if rl.off(insecure) {
		return nil
	}
	l := &limiter{rate: rl.PerSecond, burst: float64(rl.Burst), max: rl.MaxClients, clients: map[string]*queue.Element{}}
	if l.rate == 0 {
		l.rate = DefaultRatePerSecond
	}
	if l.burst == 0 {
		l.burst = DefaultBurst
	}
	if l.max == 0 {
		l.max = DefaultMaxClients
	}
	l.refill = duration(l.burst / l.rate)
	return l
}

// A limiter keeps a token bucket per client, the most recently seen first.
type limiter struct {
	rate   float64       // tokens a second
	burst  float64       // tokens a bucket holds
	max    int           // buckets kept at most
	refill time.Duration // how long an empty bucket takes to fill

	mu      sync.Mutex
	clients map[string]*queue.Element // of *bucket
	recent  queue.List                // of *bucket, the most recently seen at the front
}

type bucket struct {
	client string
	tokens float64
	last   time.Time // when tokens was counted
}

// take takes a token from the client's bucket at the moment now, and
// reports whether there was one; if not, wait says when there will be.
func (l *limiter) take(client string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forgetIdle(now)
	var b *bucket
	if e, known := l.clients[client]; known {
		l.recent.MoveToFront(e)
		b = e.Value.(*bucket)
		if elapsed := now.Sub(b.last); elapsed > 0 {
			b.tokens = min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
			b.last = now
		}
	} else {
		b = &bucket{client: client, tokens: l.burst, last: now}
		l.clients[client] = l.recent.PushFront(b)
		for l.recent.Len() > l.max {
			l.forget(l.recent.Back())
		}
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, duration((1 - b.tokens) / l.rate)
}

// forgetIdle forgets the clients whose buckets are full again at the
// moment now, the least recently seen first: a full bucket is what a new
// client gets, so forgetting it changes nothing but the memory it takes.
func (l *limiter) forgetIdle(now time.Time) {
	for e := l.recent.Back(); e != nil && now.Sub(e.Value.(*bucket).last) >= l.refill; e = l.recent.Back() {
		l.forget(e)
	}
}

func (l *limiter) forget(e *queue.Element) {
	delete(l.clients, e.Value.(*bucket).client)
	l.recent.Remove(e)
}

// len returns how many clients the limiter remembers.
func (l *limiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// duration converts seconds to a Duration, at most a year.
func duration(seconds float64) time.Duration {
	const year = 365 * 24 * time.Hour
	if seconds >= year.Seconds() {
		return year
	}
	return time.Duration(seconds * float64(time.Second))
}

// retryAfter is the Retry-After value for a wait: whole seconds, rounded
// up, at least 1 (RFC 9110 §10.2.3).
func retryAfter(wait time.Duration) int64 {
	return max(1, int64(math.Ceil(wait.Seconds())))
}

// clientKey is the key the limiter counts a request under: the client's
// issuer and subject, or the remote address when there is no subject.
func clientKey(c Client, r *http.Request) string {
	if c.Subject == "" {
		return remoteKey(r)
	}
	return "sub\x00" + c.Issuer + "\x00" + c.Subject
}

// remoteKey is the request's remote address without its port, an IPv6
// address by its /64.
func remoteKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap().WithZone("")
		if a.Is6() {
			p, _ := a.Prefix(64)
			return "addr\x00" + p.String()
		}
		return "addr\x00" + a.String()
	}
	return "addr\x00" + host
}
