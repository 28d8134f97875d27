package documents

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Scope is the OAuth scope of GET /documents/{documentId} at the planner
// for the KRS (OKE Table 5.2.A): a client asks for it when Config.Scopes
// is nil.
const Scope = "nl-test-admin-flow-1-5"

// The defaults of a Config's zero fields.
const (
	DefaultMaxSize        = 32 << 20 // bytes
	DefaultAttempts       = 5
	DefaultMaxElapsed     = 2 * time.Minute
	DefaultAttemptTimeout = 2 * time.Minute
	DefaultBaseDelay      = 500 * time.Millisecond
	DefaultMaxDelay       = 30 * time.Second
)

// A Config says where the planner is, how to get a token, and how long
// and how much to try.
type Config struct {
	// BaseURL is the planner's OOAPI base, such as
	// "https://planner.example/ooapi"; a document is fetched from
	// BaseURL + "/documents/" + its id, escaped.
	BaseURL string

	// TokenURL, ClientID and ClientSecret are the client-credentials
	// grant at the token endpoint (OKE §5). Scopes are asked for in the
	// token; nil asks for Scope, nl-test-admin-flow-1-5.
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string

	// HTTPClient carries every request, the token endpoint's too: its
	// Transport (TLS, proxies), redirect policy and timeout are the
	// caller's. Nil is http.DefaultClient.
	HTTPClient *http.Client

	// MaxSize is the largest document taken, in bytes; 0 means
	// DefaultMaxSize. A larger one is refused (ErrTooLarge): at once when
	// its Content-Length says so, otherwise after MaxSize+1 bytes read.
	MaxSize int64

	// Types are the content types allowed, "type/subtype" or "type/*" or
	// "*/*"; nil means DefaultTypes (PDF and images). A document declared
	// application/octet-stream (the type the OOAPI specification gives
	// the response) or not declared at all is judged by the type its first
	// bytes show (http.DetectContentType).
	Types []string

	// Attempts bounds the requests made for one document, the first
	// included; 0 means DefaultAttempts. MaxElapsed bounds the time from
	// the first: no wait goes beyond it, and no attempt starts after it;
	// 0 means DefaultMaxElapsed. AttemptTimeout bounds one attempt, the
	// token, the answer and the body together; 0 means
	// DefaultAttemptTimeout. A call thus takes at most about MaxElapsed
	// plus AttemptTimeout, and less when the caller's context says so.
	Attempts       int
	MaxElapsed     time.Duration
	AttemptTimeout time.Duration

	// BaseDelay and MaxDelay shape the backoff: the wait after the n-th
	// failed attempt is drawn from [d/2, d), d = BaseDelay·2ⁿ⁻¹ up to
	// MaxDelay, and is at least what a Retry-After of a 429 or 503 asks.
	// 0 means DefaultBaseDelay and DefaultMaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration

	// Clock tells the time and waits; nil is RealClock. Jitter returns a
	// duration in [0, d); nil draws it from math/rand/v2.
	Clock  Clock
	Jitter func(d time.Duration) time.Duration
}

// A Client fetches documents from the planner. It is safe for concurrent
// use; its token is shared, and fetched again when it expires or the
// planner refuses it.
type Client struct {
	base    *url.URL
	cc      clientcredentials.Config
	http    *http.Client
	maxSize int64
	types   typeList

	attempts       int
	maxElapsed     time.Duration
	attemptTimeout time.Duration
	baseDelay      time.Duration
	maxDelay       time.Duration
	clock          Clock
	jitter         func(time.Duration) time.Duration

	mu  sync.Mutex // guards tok; held while a token is fetched, so that one fetch serves all
	tok *oauth2.Token
}

// New returns a client for the configuration, or an error matching
// ErrConfig that says what is wrong with it.
func New(cfg Config) (*Client, error) {
	var problems []string
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		problems = append(problems, fmt.Sprintf("BaseURL %q: want an absolute http or https URL", cfg.BaseURL))
	}
	if t, err := url.Parse(cfg.TokenURL); err != nil || (t.Scheme != "https" && t.Scheme != "http") || t.Host == "" {
		problems = append(problems, fmt.Sprintf("TokenURL %q: want an absolute http or https URL", cfg.TokenURL))
	}
	if cfg.ClientID == "" {
		problems = append(problems, "ClientID is required")
	}
	for _, f := range []struct {
		name string
		v    int64
	}{{"MaxSize", cfg.MaxSize}, {"Attempts", int64(cfg.Attempts)}, {"MaxElapsed", int64(cfg.MaxElapsed)},
		{"AttemptTimeout", int64(cfg.AttemptTimeout)}, {"BaseDelay", int64(cfg.BaseDelay)}, {"MaxDelay", int64(cfg.MaxDelay)}} {
		if f.v < 0 {
			problems = append(problems, f.name+" is negative")
		}
	}
	types, err := newTypeList(cfg.Types)
	if err != nil {
		problems = append(problems, strings.TrimPrefix(err.Error(), ErrConfig.Error()+": "))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("documents: %w: %s", ErrConfig, strings.Join(problems, "; "))
	}
	scopes := cfg.Scopes
	if scopes == nil {
		scopes = []string{Scope}
	}
	c := &Client{base: base, types: types,
		cc:   clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL, Scopes: scopes},
		http: cfg.HTTPClient, maxSize: or(cfg.MaxSize, DefaultMaxSize), attempts: or(cfg.Attempts, DefaultAttempts),
		maxElapsed: or(cfg.MaxElapsed, DefaultMaxElapsed), attemptTimeout: or(cfg.AttemptTimeout, DefaultAttemptTimeout),
		baseDelay: or(cfg.BaseDelay, DefaultBaseDelay), maxDelay: or(cfg.MaxDelay, DefaultMaxDelay),
		clock: cfg.Clock, jitter: cfg.Jitter}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	if c.clock == nil {
		c.clock = RealClock{}
	}
	if c.jitter == nil {
		c.jitter = func(d time.Duration) time.Duration { return rand.N(d) }
	}
	c.maxDelay = max(c.maxDelay, c.baseDelay)
	return c, nil
}

func or[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Fetch fetches the document with the id and writes it to w, and returns
// its content type (as allowed, without parameters) and its length. It
// retries until the planner answers with the document; the document's
// bytes are then written to w as they arrive. A connection that breaks
// before any byte reached w is tried again; one that breaks after is not,
// and w holds part of the document, as it does after ErrTooLarge:
// Client.Archive keeps a document whole or not at all.
func (c *Client) Fetch(ctx context.Context, id string, w io.Writer) (contentType string, n int64, err error) {
	err = c.do(ctx, id, func(ctx context.Context, r io.Reader, b *body, media string) (bool, error) {
		contentType = media
		var err error
		n, err = io.Copy(w, r)
		return n == 0, err
	})
	if err != nil {
		return "", n, err
	}
	return contentType, n, nil
}

// A Document is a document as Client.Archive kept it.
type Document struct {
	ID          string // its id at the planner
	ContentType string // its media type, as allowed
	Stored             // where the archive keeps it, its size and SHA-256
}

// Archive fetches the document with the id into the archive, hashing it
// as it goes, and returns what was kept. It retries until the document is
// kept whole, a broken connection halfway included: the archive keeps
// nothing of an attempt that failed. An archive that reports another size
// or SHA-256 than the client counted is an error (ErrArchive).
func (c *Client) Archive(ctx context.Context, id string, a Archive) (Document, error) {
	var doc Document
	err := c.do(ctx, id, func(ctx context.Context, r io.Reader, b *body, media string) (bool, error) {
		h := sha256.New()
		s, err := a.Put(ctx, id, io.TeeReader(r, h))
		switch {
		case b.err != nil || err != nil && ctx.Err() != nil:
			return true, err // the body failed, or the attempt's time ran out: the archive kept nothing
		case err != nil:
			return false, &Error{Kind: ErrArchive, Err: err}
		}
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		if s.SHA256 == ([sha256.Size]byte{}) {
			s.SHA256 = sum
		}
		if s.Size != b.n || s.SHA256 != sum {
			return false, &Error{Kind: ErrArchive, Detail: fmt.Sprintf("the archive kept %d bytes with SHA-256 %x under %q, "+
				"the client read %d with SHA-256 %x", s.Size, s.SHA256, s.Key, b.n, sum)}
		}
		doc = Document{ID: id, ContentType: media, Stored: s}
		return false, nil
	})
	if err != nil {
		return Document{}, err
	}
	return doc, nil
}

// A consumer takes the body of a good answer from r; b says how reading
// it went (b.err, b.n). It reports whether a failure that reading the body
// caused may be tried again: only when what it wrote can be written anew.
type consumer func(ctx context.Context, r io.Reader, b *body, media string) (retry bool, err error)

// An attempt is the outcome of one request.
type attempt struct {
	err        *Error
	retry      bool
	retryAfter time.Duration // asked for by a 429 or 503, 0 if not
}

// do makes attempts for the document until one succeeds, one fails in a
// way that trying again does not mend, or the attempts or the time run out.
func (c *Client) do(ctx context.Context, id string, consume consumer) error {
	if p := idProblem(id); p != "" {
		return &Error{DocumentID: id, Kind: ErrInvalidID, Detail: p}
	}
	// The id is one path segment, escaped: a "/" in it is no separator.
	u := *c.base
	u.Path = strings.TrimSuffix(c.base.Path, "/") + "/documents/" + id
	u.RawPath = strings.TrimSuffix(c.base.EscapedPath(), "/") + "/documents/" + url.PathEscape(id)
	start := c.clock.Now()
	refreshed := false
	for n := 1; ; n++ {
		at := c.once(ctx, u.String(), consume, &refreshed)
		if at.err == nil {
			return nil
		}
		at.err.DocumentID, at.err.Attempts = id, n
		if err := ctx.Err(); err != nil {
			return c.ended(ctx, at.err)
		}
		if !at.retry {
			return at.err
		}
		if n >= c.attempts {
			return unavailable(at.err, "gave up") // Error says after how many
		}
		wait := c.backoff(n, at.retryAfter)
		if elapsed := c.clock.Now().Sub(start); elapsed+wait > c.maxElapsed {
			why := fmt.Sprintf("gave up after %s: another attempt would start after the %s allowed", elapsed, c.maxElapsed)
			if at.retryAfter > 0 && at.retryAfter == wait {
				why = fmt.Sprintf("gave up: the planner asks to wait %s, beyond the %s allowed", at.retryAfter, c.maxElapsed)
			}
			return unavailable(at.err, why)
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return c.ended(ctx, at.err)
		}
	}
}

// ended is the error of a call whose context ended: its kind is the
// context's error, with the last attempt's error as the cause.
func (c *Client) ended(ctx context.Context, last *Error) *Error {
	e := &Error{DocumentID: last.DocumentID, Kind: ctx.Err(), Status: last.Status, Attempts: last.Attempts,
		Detail: "the caller's context ended", Err: last.Err}
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
		e.Detail += " (" + cause.Error() + ")"
	}
	if last.Kind != ctx.Err() {
		e.Detail += "; the last attempt: " + strings.Join(nonEmpty(last.Kind.Error(), last.Detail), ": ")
	}
	return e
}

// unavailable turns the last attempt's error into the error of giving up.
func unavailable(last *Error, why string) *Error {
	e := *last
	e.Kind = ErrUnavailable
	switch {
	case last.Kind == ErrUnavailable:
	case last.Err == nil:
		e.Err = last.Kind // such as a token the planner refused, kept for errors.Is
	default:
		e.Err = fmt.Errorf("%w: %w", last.Kind, last.Err)
	}
	if e.Detail == "" {
		e.Detail = why
	} else {
		e.Detail = why + "; the last: " + e.Detail
	}
	return &e
}

// backoff returns the wait after the n-th failed attempt.
func (c *Client) backoff(n int, retryAfter time.Duration) time.Duration {
	d := c.maxDelay
	if shift := n - 1; shift < 32 && c.baseDelay<<shift < c.maxDelay && c.baseDelay<<shift > 0 {
		d = c.baseDelay << shift
	}
	wait := d/2 + c.jitter(d-d/2)
	return max(wait, retryAfter)
}

// once makes one attempt: a token, the request, the answer judged, the
// body consumed.
func (c *Client) once(ctx context.Context, u string, consume consumer, refreshed *bool) attempt {
	actx, cancel := context.WithTimeout(ctx, c.attemptTimeout)
	defer cancel()
	timedOut := func(err error) error {
		if actx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("no answer within the %s an attempt may take", c.attemptTimeout)
		}
		return err
	}
	tok, err := c.token(actx)
	if err != nil {
		return c.tokenFailed(timedOut(err))
	}
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		return attempt{err: &Error{Kind: ErrRefused, Err: err}}
	}
	tok.SetAuthHeader(req)
	req.Header.Set("Accept", strings.Join(c.types, ", ")+", */*;q=0.1") // what it prefers; it judges what comes
	resp, err := c.http.Do(req)
	if err != nil {
		return attempt{err: &Error{Kind: ErrUnavailable, Err: timedOut(err)}, retry: true}
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return c.refused(resp, tok, refreshed)
	}
	if resp.ContentLength > c.maxSize {
		return attempt{err: &Error{Kind: ErrTooLarge, Status: resp.StatusCode,
			Detail: fmt.Sprintf("%d bytes, more than the %d allowed", resp.ContentLength, c.maxSize)}}
	}
	b := &body{r: resp.Body, left: c.maxSize}
	br := bufio.NewReaderSize(b, 512)
	head, _ := br.Peek(512) // what the content looks like, for a type that says nothing
	switch {
	case errors.Is(b.err, ErrTooLarge):
		return attempt{err: &Error{Kind: ErrTooLarge, Status: resp.StatusCode,
			Detail: fmt.Sprintf("more than the %d bytes allowed", c.maxSize)}}
	case b.err != nil:
		return attempt{err: &Error{Kind: ErrUnavailable, Status: resp.StatusCode, Detail: "the document broke off",
			Err: timedOut(b.err)}, retry: true}
	}
	media, why := c.types.judge(mediaType(resp.Header.Get("Content-Type")), head)
	if why != "" {
		return attempt{err: &Error{Kind: ErrContentType, Status: resp.StatusCode, Detail: why}}
	}
	retry, err := consume(actx, br, b, media)
	switch {
	case err == nil:
		return attempt{}
	case errors.Is(b.err, ErrTooLarge):
		return attempt{err: &Error{Kind: ErrTooLarge, Status: resp.StatusCode,
			Detail: fmt.Sprintf("more than the %d bytes allowed", c.maxSize)}}
	case b.err != nil || actx.Err() != nil:
		cause := b.err
		if cause == nil {
			cause = actx.Err()
		}
		return attempt{err: &Error{Kind: ErrUnavailable, Status: resp.StatusCode,
			Detail: fmt.Sprintf("the document broke off after %d bytes", b.n), Err: timedOut(cause)}, retry: retry}
	}
	var e *Error
	if errors.As(err, &e) {
		e.Status = resp.StatusCode
		return attempt{err: e}
	}
	return attempt{err: &Error{Kind: ErrArchive, Status: resp.StatusCode, Detail: "writing the document", Err: err}}
}

// refused judges an answer other than 200.
func (c *Client) refused(resp *http.Response, tok *oauth2.Token, refreshed *bool) attempt {
	e := &Error{Status: resp.StatusCode, Detail: problem(resp)}
	switch s := resp.StatusCode; {
	case s == http.StatusNotFound || s == http.StatusGone:
		e.Kind = ErrNotFound
		return attempt{err: e}
	case s == http.StatusUnauthorized && !*refreshed:
		// The token may have been revoked or rotated: once, a new one.
		*refreshed = true
		c.forget(tok)
		e.Kind = ErrUnauthorized
		return attempt{err: e, retry: true}
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		e.Kind = ErrUnauthorized
		return attempt{err: e}
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		e.Kind = ErrUnavailable
		return attempt{err: e, retry: true, retryAfter: c.retryAfter(resp.Header.Get("Retry-After"))}
	case s >= 500:
		e.Kind = ErrUnavailable
		return attempt{err: e, retry: true}
	}
	e.Kind = ErrRefused
	return attempt{err: e}
}

// problem reads what an error answer says: the title and detail of an
// OOAPI error body (Table 5.0.D), or the start of a text body.
func problem(resp *http.Response) string {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	var p struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}
	if json.Unmarshal(data, &p) == nil && (p.Title != "" || p.Detail != "") {
		return strings.TrimSpace(strings.Join(nonEmpty(p.Title, p.Detail), ": "))
	}
	if media := mediaType(resp.Header.Get("Content-Type")); strings.HasPrefix(media, "text/") && utf8.Valid(data) {
		text := strings.Join(strings.Fields(string(data)), " ")
		if len(text) > 200 {
			text = strings.ToValidUTF8(text[:200], "") + "…"
		}
		return text
	}
	return ""
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date; 0 when
// absent or unreadable.
func (c *Client) retryAfter(h string) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(min(s, int64(24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(0, t.Sub(c.clock.Now()))
	}
	return 0
}

// token returns the client's token, fetching one when it has none that
// is valid.
func (c *Client) token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok.Valid() {
		return c.tok, nil
	}
	tok, err := c.cc.Token(context.WithValue(ctx, oauth2.HTTPClient, c.http))
	if err != nil {
		return nil, err
	}
	c.tok = tok
	return tok, nil
}

// forget drops the token, unless another attempt replaced it already.
func (c *Client) forget(tok *oauth2.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok == tok {
		c.tok = nil
	}
}

// tokenFailed judges a failure to get a token: the endpoint's 5xx or 429,
// or a connection that failed, may pass; a refusal does not.
func (c *Client) tokenFailed(err error) attempt {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return attempt{err: &Error{Kind: ErrUnavailable, Detail: "getting a token", Err: err}, retry: true}
	}
	e := &Error{Status: re.Response.StatusCode, Detail: "the token endpoint: " + strings.Join(nonEmpty(re.ErrorCode, re.ErrorDescription), ": ")}
	e.Detail = strings.TrimSuffix(e.Detail, ": ")
	switch s := re.Response.StatusCode; {
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		e.Kind = ErrUnavailable
		return attempt{err: e, retry: true, retryAfter: c.retryAfter(re.Response.Header.Get("Retry-After"))}
	case s >= 500:
		e.Kind = ErrUnavailable
		return attempt{err: e, retry: true}
	}
	e.Kind = ErrUnauthorized
	return attempt{err: e}
}

// A body reads a document's body, at most left bytes more of it: it never
// asks its reader for more than left+1 bytes in all, and fails with
// ErrTooLarge (giving only the first left) once it sees more. Its first
// error that is not io.EOF sticks, in err, so that a consumer's own
// failure can be told from the body's.
type body struct {
	r    io.Reader
	left int64 // bytes that may still come
	n    int64 // bytes given
	err  error
}

func (b *body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.left < int64(len(p)) {
		p = p[:b.left+1]
	}
	k, err := b.r.Read(p)
	if int64(k) > b.left {
		k, err = int(b.left), ErrTooLarge
	}
	b.left -= int64(k)
	b.n += int64(k)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return k, err
}

// idProblem says what makes id no document id the client asks for, or
// returns "".
func idProblem(id string) string {
	switch {
	case id == "":
		return "is empty"
	case id == "." || id == "..":
		return "is a path, not an id"
	case !utf8.ValidString(id):
		return "is not valid UTF-8"
	case strings.ContainsFunc(id, unicode.IsControl):
		return "contains a control character"
	}
	return ""
}

var _ Archive = (*Dir)(nil)
