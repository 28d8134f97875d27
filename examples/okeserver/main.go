// Okeserver serves an exam office's OKE flow-5 endpoints over HTTP, as a
// KRS does for the planner (Toetsplanning): the durable office of the
// root package behind its handler (package result/oke), with the
// planner's OAuth2 access tokens checked by the JWT authorizer (package
// result/oke/oauth), the service metadata, a rate limit per client, and
// the documents a result names fetched from the planner and archived
// (package result/oke/documents). It is the wiring an integrator starts
// from.
//
// Usage:
//
//	okeserver -dev [-addr HOST:PORT] [-audit DIR] [-documents DIR]
//	okeserver -issuer URL -jwks URL -audience NAME
//	          [-planner URL -planner-token URL -planner-client ID]
//	          [-addr HOST:PORT] [-audit DIR] [-documents DIR]
//
// It serves, on -addr (default 127.0.0.1:8080):
//
//	PATCH, PUT /ooapi/associations/{id}  flow 5: a result, taken in by the office
//	GET / and /ooapi/                    the service metadata (OKE Table 5.0.A)
//
// Every request needs a bearer token: a JWT access token signed with a key
// of the issuer's key set (-jwks), of the issuer (-issuer), for this
// service (-audience), with the scope nl-test-admin-flow-1-5. Without a
// valid token a request is 401 with a WWW-Authenticate challenge; without
// the scope 403; a client that sends more than 50 requests a second (100
// at once) is 429 (oke.DefaultRatePerSecond, oke.DefaultBurst).
//
// A result taken in that names documents has them fetched from the
// planner's GET /documents/{documentId} (-planner, the planner's OOAPI
// base), with a token of the client-credentials grant at -planner-token
// for the client -planner-client, whose secret is read from the
// environment variable OKESERVER_PLANNER_SECRET, never from the command
// line. Each is kept in the archive directory (-documents DIR, or
// DIR/documents of -audit DIR) and its SHA-256 recorded in the trail
// (Office.ArchiveDocuments), in the background, after the answer; one
// that cannot be fetched is logged, to be archived later. Without -planner
// the documents are not fetched.
//
// -dev runs, on the same server, a test issuer and a test planner, to try
// it on one machine: the issuer makes a signing key and the clients'
// secrets at start, serves the key set at /dev/jwks and a token endpoint
// at /dev/token (OAuth2 client credentials: POST
// grant_type=client_credentials, client_id=toetsplanning and the secret
// printed, in the form or with HTTP Basic; a scope parameter asks for other
// OKE scopes); the planner serves any document as a small PDF at
// /dev/planner/ooapi/documents/{id}. It prints a curl command that gets a
// token, one that delivers a sample message with it (the agreement's
// example of a score, which names a document), and one that reads the
// metadata. -dev serves on a loopback address only.
//
// The office is the example institution's (the embedded data: a copy of
// result/oke/testdata/directory.json, and a mandate); an integrator gives
// the KRS's own directory, and the institution's service metadata (see
// wire.go). Its trail is kept in memory, or with -audit DIR in a file
// store in DIR, made when missing and resumed when it holds a trail, as
// examples/lifecycle -audit does. The moment of each delivery is the
// server's clock (time.Now), as for a KRS; the library itself never reads
// the clock.
//
// It speaks plain HTTP, which is fine on loopback; in production it stands
// behind TLS (a reverse proxy, or http.Server.ServeTLS). It stops on
// SIGINT (Ctrl-C) or SIGTERM: it takes no new requests, waits up to 10
// seconds for those under way and for the documents being archived,
// closes the trail and exits 0.
//
// Exit status 0 when stopped so (and for -h, which prints the usage on
// standard output), 1 when it could not serve (the address taken, a trail
// that does not open), 2 for bad usage, with one line on standard error
// saying why.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/krs-oke/vaststelling/internal/cli"
	"github.com/krs-oke/vaststelling/result/oke"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal stops at once
	}()
	status := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(status)
}

const synopsis = `okeserver -dev [-addr HOST:PORT] [-audit DIR] [-documents DIR]
       okeserver -issuer URL -jwks URL -audience NAME
                 [-planner URL -planner-token URL -planner-client ID]
                 [-addr HOST:PORT] [-audit DIR] [-documents DIR]`

// about is what -h prints after the synopsis.
const about = `Serves an exam office's OKE flow-5 endpoints over HTTP, as the KRS does
for the planner:
  PATCH, PUT /ooapi/associations/{id}  a result, taken in by the office
  GET / and /ooapi/                    the service metadata
Every request needs a bearer token: a JWT of the issuer (-issuer, its keys
at -jwks), for this service (-audience), with the scope
nl-test-admin-flow-1-5. A request without a valid token is 401, one
without the scope 403, and a client's over 50 a second 429.

The documents a result names are fetched from the planner (-planner, its
OOAPI base) with a token of the client-credentials grant (-planner-token,
-planner-client, and the secret in the environment variable
OKESERVER_PLANNER_SECRET), kept in -documents DIR (or DIR/documents of
-audit DIR) and their SHA-256 recorded in the trail. Without -planner they
are not fetched.

-dev runs a test issuer and a test planner on the same server, to try it
on one machine: keys and secrets made at start, the issuer's key set at
/dev/jwks, its token endpoint at /dev/token (client credentials, client
toetsplanning), and the planner's documents at /dev/planner/ooapi. It
prints the curl commands that get a token, deliver a sample result and
read the metadata. -dev serves on a loopback address only.

The trail is kept in memory, or with -audit DIR in a file store in DIR
(made when missing; resumed when it holds a trail). Each delivery is
taken at the server's clock.

It speaks plain HTTP, which is for loopback only: in production put TLS
in front of it (a reverse proxy, or http.Server.ServeTLS). It stops on
Ctrl-C (SIGINT) or SIGTERM, letting the requests under way finish for up
to 10 seconds.

Exit status 0 when stopped so, 1 when it cannot serve (the address
taken, a trail that does not open), 2 for bad usage (one line on
standard error).
`

// shutdownTimeout is how long a stopping server waits for the requests
// under way, and then for the documents being archived.
const shutdownTimeout = 10 * time.Second

// flags are the command's settings.
type flags struct {
	addr, audit, documents               string
	dev                                  bool
	issuer, jwks, audience               string
	planner, plannerToken, plannerClient string
}

// A usageError is a setting the server cannot work with: exit status 2.
type usageError struct{ error }

// run serves until ctx is done and returns the exit status. ready, when
// not nil, hears the server's base URL once it serves.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(base string)) int {
	c := cli.New("okeserver", synopsis, about, stdout, stderr)
	var f flags
	fs := c.Flags
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0: any free port)")
	fs.StringVar(&f.audit, "audit", "", "keep the trail in a file store in `DIR`, made when missing; resume it when it holds one")
	fs.StringVar(&f.documents, "documents", "", "archive the results' documents in `DIR` (default DIR/documents of -audit DIR;\n"+
		"with neither, with -dev, a temporary directory)")
	fs.BoolVar(&f.dev, "dev", false, "run a test issuer and a test planner under /dev/ on the same server,\n"+
		"and print how to use them (loopback only)")
	fs.StringVar(&f.issuer, "issuer", "", "without -dev: the issuer of the tokens (their iss), a `URL`")
	fs.StringVar(&f.jwks, "jwks", "", "without -dev: the `URL` of the issuer's key set (JWKS): https, or http to loopback")
	fs.StringVar(&f.audience, "audience", "", "without -dev: the `NAME` of this service in the tokens (their aud)")
	fs.StringVar(&f.planner, "planner", "", "without -dev: the planner's OOAPI base `URL`, to fetch the results' documents from")
	fs.StringVar(&f.plannerToken, "planner-token", "", "with -planner: the planner's token endpoint, a `URL`")
	fs.StringVar(&f.plannerClient, "planner-client", "", "with -planner: the KRS's client `ID` there; the secret is in $"+plannerSecretEnv)
	if status, ok := c.Parse(args); !ok {
		return status
	}
	if msg := f.check(c); msg != "" {
		return c.BadUsage("%s", msg)
	}
	if f.planner != "" && os.Getenv(plannerSecretEnv) == "" {
		return c.Fail(2, "-planner: set %s to the secret of client %s at %s", plannerSecretEnv, f.plannerClient, f.plannerToken)
	}

	out := &lockedWriter{w: stdout}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return c.Fail(1, "-addr %s: %v (-addr 127.0.0.1:0 takes a free port)", f.addr, err)
		}
		return c.Fail(1, "-addr %s: %v", f.addr, err)
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()

	st, err := openOffice(ctx, f.audit, logger)
	if err != nil {
		return c.Fail(1, "%v", err)
	}
	defer st.close()

	w, err := wire(st, f, base, out, logger)
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			return c.Fail(2, "%v", err)
		}
		return c.Fail(1, "%v", err)
	}
	defer w.close()
	srv := &http.Server{
		Handler:           accessLog(out, w.handler),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintf(out, "okeserver: serving %s/ooapi/ (plain HTTP: in production, put TLS in front)\n", base)
	fmt.Fprintf(out, "trail: %s\n", st.where)
	fmt.Fprintf(out, "documents: %s\n", w.where)
	if w.dev != nil {
		w.dev.instructions(out, base)
	} else {
		fmt.Fprintf(out, "tokens: of %s (key set %s), for %s, with the scope %s\n", f.issuer, f.jwks, f.audience, oke.Scope)
		if err := w.jwt.Refresh(ctx); err != nil { // a wrong -jwks shows now, not at the first token
			logger.Warn("okeserver: the issuer's key set cannot be fetched yet", "error", err)
		}
	}
	fmt.Fprintln(out, "Stop with Ctrl-C.")
	if ready != nil {
		ready(base)
	}

	select {
	case err := <-served:
		return c.Fail(1, "serving: %v", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "okeserver: stopping")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return c.Fail(1, "stopping: %v", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return c.Fail(1, "serving: %v", err)
	}
	if w.archive != nil {
		w.archive.stop(sctx)
	}
	if err := w.close(); err != nil {
		return c.Fail(1, "closing the archive: %v", err)
	}
	if err := st.close(); err != nil {
		return c.Fail(1, "closing the trail: %v", err)
	}
	st.close = func() error { return nil }
	fmt.Fprintln(out, "okeserver: stopped")
	return 0
}

// check says what is wrong with the flags, or returns "".
func (f *flags) check(c *cli.Command) string {
	for _, v := range []struct{ name, want string }{
		{"addr", "an address HOST:PORT"}, {"audit", "a directory"}, {"documents", "a directory"},
		{"issuer", "a URL"}, {"jwks", "a URL"}, {"audience", "a name"},
		{"planner", "a URL"}, {"planner-token", "a URL"}, {"planner-client", "a client id"},
	} {
		if c.Set(v.name) && c.Flags.Lookup(v.name).Value.String() == "" {
			return "-" + v.name + " needs " + v.want
		}
	}
	plannerFlags := c.Set("planner") || c.Set("planner-token") || c.Set("planner-client")
	switch {
	case c.Flags.NArg() > 0:
		return fmt.Sprintf("unexpected argument %q", c.Flags.Arg(0))
	case f.dev && (c.Set("issuer") || c.Set("jwks") || c.Set("audience") || plannerFlags):
		return "-dev runs its own test issuer and planner: give either -dev, or -issuer, -jwks and -audience (and -planner…)"
	case f.dev && !loopback(f.addr):
		return fmt.Sprintf("-addr %s: -dev serves a test issuer that hands out tokens, on a loopback address only (127.0.0.1:PORT)", f.addr)
	case !f.dev && (f.issuer == "" || f.jwks == "" || f.audience == ""):
		return "give -issuer URL, -jwks URL and -audience NAME of the tokens to take, or -dev for a test issuer"
	case plannerFlags && (f.planner == "" || f.plannerToken == "" || f.plannerClient == ""):
		return "give -planner URL, -planner-token URL and -planner-client ID together"
	case c.Set("documents") && !f.dev && f.planner == "":
		return "-documents DIR keeps the documents fetched from the planner: give -planner too"
	case f.planner != "" && f.documents == "" && f.audit == "":
		return "-planner: give -documents DIR (or -audit DIR) to keep the documents in"
	}
	return ""
}

// loopback reports whether addr names a loopback host: 127.0.0.0/8, ::1
// or localhost.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// accessLog prints a line to out for each request answered: its method,
// path and status, each control character or other byte beyond ASCII a
// "?", so that no request writes a line of its own.
func accessLog(out io.Writer, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		fmt.Fprintf(out, "%s %s %d %s\n", strings.Map(printable, r.Method), strings.Map(printable, r.URL.Path), rec.status,
			http.StatusText(rec.status))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// A lockedWriter writes for one goroutine at a time: the requests' lines
// and the start's.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
