package documents_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result/oke/documents"
)

// pdf is a small document that looks like a PDF to http.DetectContentType.
var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// A fakeClock does not sleep: it moves on by the wait, and notes it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// A tokenServer is an OAuth2 token endpoint for the client-credentials
// grant: it checks the client's id, secret and scope, and counts tokens.
type tokenServer struct {
	*httptest.Server
	issued atomic.Int32
	scopes atomic.Value // the scope last asked for
}

func newTokenServer(t *testing.T) *tokenServer {
	ts := &tokenServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if err := r.ParseForm(); err != nil || !ok || id != "krs" || secret != "s3cret" ||
			r.PostForm.Get("grant_type") != "client_credentials" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_client","error_description":"unknown client"}`)
			return
		}
		ts.scopes.Store(r.PostForm.Get("scope"))
		n := ts.issued.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// planner serves GET /ooapi/documents/{id} with handle, after checking the
// bearer token; it counts the requests.
type planner struct {
	*httptest.Server
	requests atomic.Int32
}

func newPlanner(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *planner {
	p := &planner{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(p.requests.Add(1))
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.EscapedPath(), "/ooapi/documents/") {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		handle(w, r, n)
	}))
	t.Cleanup(p.Close)
	return p
}

// countingTransport counts the bytes read from every response body, so
// that a test sees how much of a document was read.
type countingTransport struct {
	read atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	k, err := b.ReadCloser.Read(p)
	b.n.Add(int64(k))
	return k, err
}

// client makes a client of the planner and token endpoint, with a clock
// that does not sleep and no jitter, changed by change.
func client(t *testing.T, p *planner, ts *tokenServer, change func(*documents.Config)) (*documents.Client, *fakeClock) {
	t.Helper()
	clock := newClock()
	cfg := documents.Config{BaseURL: p.URL + "/ooapi/", TokenURL: ts.URL + "/token", ClientID: "krs", ClientSecret: "s3cret",
		HTTPClient: &http.Client{}, Clock: clock, Jitter: func(d time.Duration) time.Duration { return 0 }}
	if change != nil {
		change(&cfg)
	}
	c, err := documents.New(cfg)
	require.NoError(t, err)
	return c, clock
}

func servePDF(w http.ResponseWriter, r *http.Request, n int) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Write(pdf)
}

// A good document is fetched with a token asked for in the flow-1-5 scope,
// and kept: the archive holds it under a name of its id and hash, and the
// SHA-256 returned is the file's.
func TestArchiveGoodDocument(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, servePDF)
	c, clock := client(t, p, ts, nil)
	dir, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	defer dir.Close()

	doc, err := c.Archive(context.Background(), "dfc9d973-42cf-46f3-bd18-q8z23456ert9", dir)
	require.NoError(t, err)
	sum := sha256.Sum256(pdf)
	assert.Equal(t, "application/pdf", doc.ContentType)
	assert.Equal(t, int64(len(pdf)), doc.Size)
	assert.Equal(t, sum, doc.SHA256)
	assert.Equal(t, documents.Key("dfc9d973-42cf-46f3-bd18-q8z23456ert9", sum), doc.Key)
	file, err := os.ReadFile(filepath.Join(dir.Path(), doc.Key))
	require.NoError(t, err)
	assert.Equal(t, sum, sha256.Sum256(file))
	assert.Equal(t, documents.Scope, ts.scopes.Load())
	assert.Empty(t, clock.Waits())

	// A second document uses the same token.
	_, err = c.Archive(context.Background(), "other", dir)
	require.NoError(t, err)
	assert.Equal(t, int32(1), ts.issued.Load())
	entries, err := os.ReadDir(dir.Path())
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file left")
}

// A planner that fails once (500) is asked again after a wait, and gives.
func TestRetriedAfterServerError(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"status":"500","title":"Internal server error","detail":"database restarting"}`)
			return
		}
		servePDF(w, r, n)
	})
	c, clock := client(t, p, ts, nil)
	var buf bytes.Buffer
	ct, n, err := c.Fetch(context.Background(), "123454", &buf)
	require.NoError(t, err)
	assert.Equal(t, "application/pdf", ct)
	assert.Equal(t, int64(len(pdf)), n)
	assert.Equal(t, pdf, buf.Bytes())
	assert.Equal(t, int32(2), p.requests.Load())
	assert.Equal(t, []time.Duration{documents.DefaultBaseDelay / 2}, clock.Waits(), "half the base delay, without jitter")
}

// A planner that is always unavailable (503) is given up on after the
// attempts allowed, each wait twice the last and at least what
// Retry-After asks.
func TestGivesUpWhenAlwaysUnavailable(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 2 {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, clock := client(t, p, ts, func(cfg *documents.Config) { cfg.Attempts = 4 })
	var buf bytes.Buffer
	_, _, err := c.Fetch(context.Background(), "123454", &buf)
	require.ErrorIs(t, err, documents.ErrUnavailable)
	var e *documents.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, e.Attempts)
	assert.Equal(t, http.StatusServiceUnavailable, e.Status)
	assert.Equal(t, "123454", e.DocumentID)
	assert.Equal(t, int32(4), p.requests.Load())
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 7 * time.Second, time.Second}, clock.Waits())
	assert.Contains(t, err.Error(), `documents: document "123454": the planner is unavailable (HTTP 503 Service Unavailable): gave up, after 4 attempts`)
	assert.Zero(t, buf.Len())
}

// The time allowed bounds the tries as well: a Retry-After beyond it is
// not waited for.
func TestGivesUpWhenRetryAfterIsBeyondTheTimeAllowed(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", time.Date(2027, 2, 1, 10, 0, 0, 0, time.UTC).Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c, clock := client(t, p, ts, nil)
	_, _, err := c.Fetch(context.Background(), "123454", io.Discard)
	require.ErrorIs(t, err, documents.ErrUnavailable)
	assert.Contains(t, err.Error(), "the planner asks to wait 1h0m0s, beyond the 2m0s allowed")
	assert.Equal(t, int32(1), p.requests.Load())
	assert.Empty(t, clock.Waits())
}

// A 404 is no document, at once: not tried again.
func TestNotFoundIsNotRetried(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"status":"404","title":"Not Found","detail":"no document 123454"}`)
	})
	c, clock := client(t, p, ts, nil)
	_, _, err := c.Fetch(context.Background(), "123454", io.Discard)
	require.ErrorIs(t, err, documents.ErrNotFound)
	assert.Equal(t, int32(1), p.requests.Load())
	assert.Empty(t, clock.Waits())
	assert.Equal(t, `documents: document "123454": the planner has no such document (HTTP 404 Not Found): `+
		`Not Found: no document 123454, after 1 attempt`, err.Error())
}

// A document of a type not allowed is refused, not tried again, and not kept.
func TestWrongContentType(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body>login</body></html>")
	})
	c, _ := client(t, p, ts, nil)
	dir, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	_, err = c.Archive(context.Background(), "123454", dir)
	require.ErrorIs(t, err, documents.ErrContentType)
	assert.Contains(t, err.Error(), `the planner sends "text/html"; allowed are application/pdf, image/*`)
	assert.Equal(t, int32(1), p.requests.Load())
	entries, _ := os.ReadDir(dir.Path())
	assert.Empty(t, entries)
}

// A document declared application/octet-stream, as the OOAPI specification
// has it, is judged by what it looks like.
func TestOctetStreamJudgedByContent(t *testing.T) {
	ts := newTokenServer(t)
	body := pdf
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(body)
	})
	c, _ := client(t, p, ts, nil)
	ct, _, err := c.Fetch(context.Background(), "123454", io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "application/pdf", ct)

	body = []byte("MZ\x90\x00\x03 an executable")
	_, _, err = c.Fetch(context.Background(), "123454", io.Discard)
	require.ErrorIs(t, err, documents.ErrContentType)

	c, _ = client(t, p, ts, func(cfg *documents.Config) { cfg.Types = []string{"application/octet-stream"} })
	ct, _, err = c.Fetch(context.Background(), "123454", io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "application/octet-stream", ct)
}

// A document larger than allowed is refused without reading past the
// limit: at once when its length is announced, after MaxSize+1 bytes when
// it is not; nothing is kept, and it is not tried again.
func TestTooLarge(t *testing.T) {
	const max = 1 << 16
	huge := bytes.Repeat([]byte("%PDF-1.7 0123456789abcdef"), 4<<20/25) // 4 MiB
	for _, announced := range []bool{true, false} {
		t.Run(fmt.Sprintf("announced=%v", announced), func(t *testing.T) {
			ts := newTokenServer(t)
			p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
				w.Header().Set("Content-Type", "application/pdf")
				if announced {
					w.Header().Set("Content-Length", fmt.Sprint(len(huge)))
				}
				for i := 0; i < len(huge); i += 4096 {
					if _, err := w.Write(huge[i:min(i+4096, len(huge))]); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			})
			var counter countingTransport
			c, clock := client(t, p, ts, func(cfg *documents.Config) {
				cfg.MaxSize = max
				cfg.HTTPClient = &http.Client{Transport: &counter}
			})
			dir, err := documents.NewDir(t.TempDir())
			require.NoError(t, err)
			_, err = c.Archive(context.Background(), "123454", dir)
			require.ErrorIs(t, err, documents.ErrTooLarge)
			assert.Equal(t, int32(1), p.requests.Load())
			assert.Empty(t, clock.Waits())
			entries, _ := os.ReadDir(dir.Path())
			assert.Empty(t, entries, "nothing kept, no temporary file left")
			read := counter.read.Load() // the token's answer included
			if announced {
				assert.Less(t, read, int64(1024), "nothing of the document read")
			} else {
				assert.LessOrEqual(t, read, int64(max+1+1024), "read past the limit")
				assert.Greater(t, read, int64(max))
			}
		})
	}
}

// A planner slower than the caller's deadline: the call ends with the
// context's error, and no waits after it.
func TestSlowPlannerHitsTheDeadline(t *testing.T) {
	ts := newTokenServer(t)
	release := make(chan struct{})
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c, clock := client(t, p, ts, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := c.Fetch(ctx, "123454", io.Discard)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Empty(t, clock.Waits())
	assert.Contains(t, err.Error(), "the caller's context ended")
}

// An attempt that takes longer than AttemptTimeout is abandoned and tried
// again; when every attempt does, the client gives up.
func TestSlowAttemptsGiveUp(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		<-r.Context().Done()
	})
	c, clock := client(t, p, ts, func(cfg *documents.Config) {
		cfg.AttemptTimeout, cfg.Attempts = 50*time.Millisecond, 3
	})
	_, _, err := c.Fetch(context.Background(), "123454", io.Discard)
	require.ErrorIs(t, err, documents.ErrUnavailable)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's deadline did not pass")
	assert.Contains(t, err.Error(), "no answer within the 50ms an attempt may take")
	assert.Equal(t, int32(3), p.requests.Load())
	assert.Len(t, clock.Waits(), 2)
}

// A body that breaks off halfway is fetched again whole into the archive:
// the archive keeps the whole document only.
func TestBrokenBodyArchivedWhole(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", fmt.Sprint(len(pdf)))
		if n == 1 {
			w.Write(pdf[:len(pdf)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // the connection breaks
		}
		w.Write(pdf)
	})
	c, clock := client(t, p, ts, nil)
	dir, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	doc, err := c.Archive(context.Background(), "123454", dir)
	require.NoError(t, err)
	assert.Equal(t, sha256.Sum256(pdf), doc.SHA256)
	assert.Equal(t, int32(2), p.requests.Load())
	assert.Len(t, clock.Waits(), 1)
	entries, _ := os.ReadDir(dir.Path())
	assert.Len(t, entries, 1)
}

// A body that stalls beyond the attempt's time is abandoned, and the
// document fetched again into the archive.
func TestStalledBodyArchivedOnRetry(t *testing.T) {
	ts := newTokenServer(t)
	big := append(bytes.Repeat([]byte("%"), 4096), pdf...) // beyond what is read to judge its type
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", fmt.Sprint(len(big)))
		if n == 1 {
			w.Write(big[:2048])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		w.Write(big)
	})
	c, clock := client(t, p, ts, func(cfg *documents.Config) { cfg.AttemptTimeout = 100 * time.Millisecond })
	dir, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	doc, err := c.Archive(context.Background(), "123454", dir)
	require.NoError(t, err)
	assert.Equal(t, sha256.Sum256(big), doc.SHA256)
	assert.Equal(t, int32(2), p.requests.Load())
	assert.Len(t, clock.Waits(), 1)
	entries, _ := os.ReadDir(dir.Path())
	assert.Len(t, entries, 1)
}

// Credentials the token endpoint refuses are not tried again.
func TestRefusedCredentials(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, servePDF)
	c, clock := client(t, p, ts, func(cfg *documents.Config) { cfg.ClientSecret = "wrong" })
	_, _, err := c.Fetch(context.Background(), "123454", io.Discard)
	require.ErrorIs(t, err, documents.ErrUnauthorized)
	assert.Contains(t, err.Error(), "the token endpoint: invalid_client: unknown client")
	assert.Zero(t, p.requests.Load())
	assert.Empty(t, clock.Waits())
}

// A token the planner refuses is replaced once; a planner that refuses the
// new one too is ErrUnauthorized.
func TestRefusedTokenReplacedOnce(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		servePDF(w, r, n)
	})
	c, _ := client(t, p, ts, nil)
	_, _, err := c.Fetch(context.Background(), "123454", io.Discard)
	require.NoError(t, err)
	assert.Equal(t, int32(2), ts.issued.Load())

	p2 := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(http.StatusUnauthorized) })
	c, _ = client(t, p2, ts, nil)
	_, _, err = c.Fetch(context.Background(), "123454", io.Discard)
	require.ErrorIs(t, err, documents.ErrUnauthorized)
	assert.Equal(t, int32(2), p2.requests.Load())
}

// A document id is one path segment at the planner, whatever it holds;
// ids that are no ids are refused before any request.
func TestDocumentIDIsOneSegment(t *testing.T) {
	ts := newTokenServer(t)
	var paths []string
	var mu sync.Mutex
	p := newPlanner(t, func(w http.ResponseWriter, r *http.Request, n int) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		servePDF(w, r, n)
	})
	c, _ := client(t, p, ts, nil)
	for _, id := range []string{"../../token", "a/b?c#d", "100% sure"} {
		_, _, err := c.Fetch(context.Background(), id, io.Discard)
		require.NoError(t, err, id)
	}
	assert.Equal(t, []string{"/ooapi/documents/..%2F..%2Ftoken", "/ooapi/documents/a%2Fb%3Fc%23d",
		"/ooapi/documents/100%25%20sure"}, paths)
	for _, id := range []string{"", ".", "..", "a\nb", "\xff"} {
		_, _, err := c.Fetch(context.Background(), id, io.Discard)
		require.ErrorIs(t, err, documents.ErrInvalidID, "%q", id)
	}
	assert.Equal(t, int32(3), p.requests.Load())
}

// A configuration that cannot work is refused with every problem named.
func TestConfigRefused(t *testing.T) {
	_, err := documents.New(documents.Config{BaseURL: "planner.example", Types: []string{"pdf"}, MaxSize: -1})
	require.ErrorIs(t, err, documents.ErrConfig)
	for _, want := range []string{"BaseURL", "TokenURL", "ClientID", "MaxSize is negative", `Types[0] "pdf"`} {
		assert.Contains(t, err.Error(), want)
	}
}

// The error is readable, and says what kind it is for errors.Is.
func TestErrorUnwraps(t *testing.T) {
	cause := errors.New("connection reset by peer")
	e := &documents.Error{DocumentID: "d-1", Kind: documents.ErrUnavailable, Status: 502, Attempts: 3, Err: cause}
	assert.ErrorIs(t, e, documents.ErrUnavailable)
	assert.ErrorIs(t, e, cause)
	assert.Equal(t, `documents: document "d-1": the planner is unavailable (HTTP 502 Bad Gateway): connection reset by peer, after 3 attempts`, e.Error())
}
