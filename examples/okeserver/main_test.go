package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/result/oke"
)

// syncBuffer is a bytes.Buffer for a writer and a reader in two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A running server, started in-process by start.
type running struct {
	base           string
	stdout, stderr *syncBuffer
	stop           func() int // stops it as SIGINT does, and returns its exit status
}

// start runs okeserver with args in-process on a free loopback port until
// the test ends or stop is called.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), r.stdout, r.stderr, func(base string) { ready <- base })
	}()
	select {
	case r.base = <-ready:
	case status := <-done:
		cancel()
		t.Fatalf("okeserver %s exited %d before serving:\n%s%s", strings.Join(args, " "), status, r.stdout, r.stderr)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("okeserver did not start in 30s")
	}
	var once sync.Once
	status := -1
	r.stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case status = <-done:
			case <-time.After(30 * time.Second):
				t.Error("okeserver did not stop in 30s")
			}
		})
		return status
	}
	t.Cleanup(func() { r.stop() })
	return r
}

// The printed commands: the token request and the delivery.
var (
	tokenLine   = regexp.MustCompile(`TOKEN=\$\(curl -s (\S+) -d grant_type=client_credentials -d client_id=(\S+) -d client_secret=(\S+) \|`)
	deliverLine = regexp.MustCompile(`curl -s -X PATCH (\S+) -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: (\S+)' --data-binary @(\S+)`)
)

// instructions reads the token request's URL and form, and the delivery's
// URL, content type and file, from the commands the server printed.
func instructions(t *testing.T, stdout string) (tokenURL string, form url.Values, deliverURL, contentType, file string) {
	t.Helper()
	m := tokenLine.FindStringSubmatch(stdout)
	require.NotNil(t, m, "no token command in\n%s", stdout)
	d := deliverLine.FindStringSubmatch(stdout)
	require.NotNil(t, d, "no delivery command in\n%s", stdout)
	return m[1], url.Values{"grant_type": {"client_credentials"}, "client_id": {m[2]}, "client_secret": {m[3]}},
		d[1], d[2], d[3]
}

// token gets an access token from the test issuer, asking for scope
// ("" for the default).
func token(t *testing.T, tokenURL string, form url.Values, scope string) string {
	t.Helper()
	if scope != "" {
		form = maps(form, "scope", scope)
	}
	res, err := http.PostForm(tokenURL, form)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	var tok tokenAnswer
	require.NoError(t, json.NewDecoder(res.Body).Decode(&tok))
	assert.Equal(t, "Bearer", tok.TokenType)
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

func maps(v url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	out.Set(key, value)
	return out
}

// do sends a request with the token ("" for none) and returns the status,
// the headers and the body.
func do(t *testing.T, method, target, tok, contentType string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	require.NoError(t, err)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, res.Header, b
}

// receipt is what a delivery's answer says of it.
type receipt struct {
	Status  string       `json:"status"`
	Outcome oke.Outcome  `json:"outcome"`
	Reasons []oke.Reason `json:"reasons"`
}

// TestDev runs the server with its test issuer as a newcomer would: gets a
// token as the printed command does, delivers the sample message as the
// printed command does, and is refused without a token (401, with a
// challenge), with a token that lacks the scope (403) and with a token
// signed by another key (401); it reads the service's metadata and stops
// cleanly.
func TestDev(t *testing.T) {
	srv := start(t, "-dev")
	tokenURL, form, deliverURL, contentType, file := instructions(t, srv.stdout.String())
	assert.True(t, strings.HasPrefix(tokenURL, srv.base+"/dev/"), tokenURL)
	assert.Equal(t, srv.base+"/ooapi/associations/"+sampleID, deliverURL)
	body, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(file)))
	require.NoError(t, err, "the printed command delivers a file of the repository")

	tok := token(t, tokenURL, form, "")

	t.Run("deliver", func(t *testing.T) {
		status, _, b := do(t, http.MethodPatch, deliverURL, tok, contentType, body)
		require.Equal(t, http.StatusOK, status, "%s", b)
		var rc receipt
		require.NoError(t, json.Unmarshal(b, &rc), "%s", b)
		// Accepted, or, when the server's clock is far from the sample's
		// exam (18 January 2027), taken in with an exception.
		assert.Contains(t, []oke.Outcome{oke.Accepted, oke.Exception}, rc.Outcome, "%s", b)

		// The document the result names is fetched from the test planner
		// and archived, after the answer.
		archived := waitFor(t, srv.stdout, "archived document 123454 of result "+sampleID+": application/pdf, ")
		assert.Regexp(t, `bytes, sha256 [0-9a-f]{64}\n`, archived)

		status, _, b = do(t, http.MethodPatch, deliverURL, tok, contentType, body)
		require.Equal(t, http.StatusOK, status, "%s", b)
		require.NoError(t, json.Unmarshal(b, &rc), "%s", b)
		assert.Equal(t, oke.Duplicate, rc.Outcome, "%s", b)
	})
	t.Run("no token", func(t *testing.T) {
		status, h, b := do(t, http.MethodPatch, deliverURL, "", contentType, body)
		assert.Equal(t, http.StatusUnauthorized, status, "%s", b)
		assert.Contains(t, h.Get("WWW-Authenticate"), "Bearer", "%s", b)
	})
	t.Run("wrong secret", func(t *testing.T) {
		res, err := http.PostForm(tokenURL, maps(form, "client_secret", "not-the-secret"))
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	})
	t.Run("another key", func(t *testing.T) {
		other, err := newDevIssuer(srv.base+devPrefix, map[string]string{devClient: srv.base + "/ooapi"}, time.Now)
		require.NoError(t, err)
		forged, err := other.mint(devClient, []string{oke.Scope})
		require.NoError(t, err)
		status, h, b := do(t, http.MethodPatch, deliverURL, forged, contentType, body)
		assert.Equal(t, http.StatusUnauthorized, status, "%s", b)
		assert.Contains(t, h.Get("WWW-Authenticate"), "Bearer", "%s", b)
	})
	t.Run("without the scope", func(t *testing.T) {
		flow6 := token(t, tokenURL, form, "nl-test-admin-flow-6")
		status, _, b := do(t, http.MethodPatch, deliverURL, flow6, contentType, body)
		assert.Equal(t, http.StatusForbidden, status, "%s", b)
	})
	t.Run("metadata", func(t *testing.T) {
		for _, path := range []string{"/ooapi/", "/"} {
			status, h, b := do(t, http.MethodGet, srv.base+path, tok, "", nil)
			require.Equal(t, http.StatusOK, status, "%s", b)
			assert.Contains(t, h.Get("Content-Type"), "json")
			var meta oke.ServiceMetadata
			require.NoError(t, json.Unmarshal(b, &meta), "%s", b)
			assert.Equal(t, service.ContactEmail, meta.ContactEmail)
			assert.Equal(t, []string{oke.OOAPIVersion}, meta.SupportedVersions)
			assert.Equal(t, []oke.SupportedConsumer{{ConsumerKey: "nl-test-admin", Version: oke.AgreementVersion}}, meta.SupportedConsumers)
		}
		status, _, b := do(t, http.MethodGet, srv.base+"/ooapi/", "", "", nil)
		assert.Equal(t, http.StatusUnauthorized, status, "%s", b)
	})
	t.Run("the planner's documents", func(t *testing.T) {
		// The test planner takes the KRS's tokens, not the planner's own.
		status, _, b := do(t, http.MethodGet, srv.base+devPlannerBase+"/documents/123454", tok, "", nil)
		assert.Equal(t, http.StatusUnauthorized, status, "%s", b)
	})
	// Last, for it spends the client's burst: a client over the rate limit
	// is 429, with a Retry-After.
	t.Run("rate limit", func(t *testing.T) {
		for i := range 2 * oke.DefaultBurst {
			status, h, b := do(t, http.MethodGet, srv.base+"/ooapi/", tok, "", nil)
			if status == http.StatusTooManyRequests {
				assert.NotEmpty(t, h.Get("Retry-After"), "%s", b)
				assert.GreaterOrEqual(t, i, oke.DefaultBurst/2, "429 after %d requests", i)
				return
			}
			require.Equal(t, http.StatusOK, status, "%s", b)
		}
		t.Errorf("no 429 in %d requests at once", 2*oke.DefaultBurst)
	})

	require.Equal(t, 0, srv.stop(), "stderr:\n%s", srv.stderr)
	out := srv.stdout.String()
	m := regexp.MustCompile(`documents: archived in (\S+) \(removed when the server stops`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	assert.NoDirExists(t, m[1])
	assert.Contains(t, out, "okeserver: stopping\n")
	assert.True(t, strings.HasSuffix(out, "okeserver: stopped\n"), out)
	assert.Contains(t, out, "PATCH /ooapi/associations/"+sampleID+" 200 OK\n")
	_, err = http.Get(srv.base + "/ooapi/")
	assert.Error(t, err, "the server still answers after it stopped")
}

// TestAudit: with -audit DIR the trail outlives the server: the same
// message delivered to a server started again over DIR is a duplicate;
// the document the first delivery named is kept in DIR/documents, and
// its archiving in the trail.
func TestAudit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "trail")
	body, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(sampleFile)))
	require.NoError(t, err)
	deliver := func(wait string) (oke.Outcome, string) {
		srv := start(t, "-dev", "-audit", dir)
		tokenURL, form, deliverURL, contentType, _ := instructions(t, srv.stdout.String())
		status, _, b := do(t, http.MethodPatch, deliverURL, token(t, tokenURL, form, ""), contentType, body)
		require.Equal(t, http.StatusOK, status, "%s", b)
		var rc receipt
		require.NoError(t, json.Unmarshal(b, &rc), "%s", b)
		if wait != "" {
			waitFor(t, srv.stdout, wait)
		}
		require.Equal(t, 0, srv.stop(), "stderr:\n%s", srv.stderr)
		return rc.Outcome, srv.stdout.String()
	}
	outcome, stdout := deliver("archived document 123454 of result " + sampleID)
	assert.NotEqual(t, oke.Duplicate, outcome)
	assert.Contains(t, stdout, "trail: in the file store in "+dir+" (0 records at start)\n")
	assert.Contains(t, stdout, "documents: archived in "+filepath.Join(dir, "documents")+"\n")

	outcome, stdout = deliver("")
	assert.Equal(t, oke.Duplicate, outcome)
	assert.NotContains(t, stdout, "archived document")

	kept, err := filepath.Glob(filepath.Join(dir, "documents", "d-123454.*"))
	require.NoError(t, err)
	require.Len(t, kept, 1)
	st, err := openOffice(t.Context(), dir, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer st.close()
	var recorded []vaststelling.ArchivedDocument
	require.NoError(t, st.office.ArchivedDocuments(t.Context(), func(d vaststelling.ArchivedDocument) error {
		recorded = append(recorded, d)
		return nil
	}))
	require.Len(t, recorded, 1)
	assert.Equal(t, sampleID, recorded[0].Result)
	assert.Equal(t, "123454", recorded[0].ID)
	assert.Equal(t, "application/pdf", recorded[0].ContentType)
	assert.True(t, strings.HasSuffix(kept[0], "."+recorded[0].SHA256), "%s kept, %s recorded", kept[0], recorded[0].SHA256)
}

// waitFor waits until out holds want, and returns the line that holds it.
func waitFor(t *testing.T, out *syncBuffer, want string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := out.String()
		if i := strings.Index(s, want); i >= 0 {
			line, _, _ := strings.Cut(s[strings.LastIndex(s[:i], "\n")+1:], "\n")
			return line + "\n"
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in 30s in\n%s", want, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestIssuer: without -dev the server takes the tokens of the issuer
// its flags name; here the test issuer of another server.
func TestIssuer(t *testing.T) {
	issuer := start(t, "-dev")
	tokenURL, form, _, contentType, file := instructions(t, issuer.stdout.String())
	tok := token(t, tokenURL, form, "")
	body, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(file)))
	require.NoError(t, err)

	srv := start(t, "-issuer", issuer.base+devPrefix, "-jwks", issuer.base+devJWKS, "-audience", issuer.base+"/ooapi")
	assert.Contains(t, srv.stdout.String(), "documents: not fetched (give -planner URL to fetch and archive them)\n")
	assert.Contains(t, srv.stdout.String(), "tokens: of "+issuer.base+"/dev (key set "+issuer.base+"/dev/jwks), for "+
		issuer.base+"/ooapi, with the scope nl-test-admin-flow-1-5\n")
	status, _, b := do(t, http.MethodPatch, srv.base+"/ooapi/associations/"+sampleID, tok, contentType, body)
	assert.Equal(t, http.StatusOK, status, "%s", b)

	other := start(t, "-issuer", issuer.base+devPrefix, "-jwks", issuer.base+devJWKS, "-audience", "https://krs.example/ooapi")
	status, h, b := do(t, http.MethodPatch, other.base+"/ooapi/associations/"+sampleID, tok, contentType, body)
	assert.Equal(t, http.StatusUnauthorized, status, "%s", b)
	assert.Contains(t, h.Get("WWW-Authenticate"), `error="invalid_token"`)
	assert.Contains(t, string(b), "not meant for this service")
}

// TestHelp: -h prints the usage on standard output, and exits 0.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help"} {
		var out, errs bytes.Buffer
		assert.Equal(t, 0, run(t.Context(), []string{arg}, &out, &errs, nil))
		assert.Empty(t, errs.String())
		assert.True(t, strings.HasPrefix(out.String(), "usage: "+synopsis+"\n"), out.String())
		assert.Contains(t, out.String(), "put TLS\nin front of it")
		assert.Contains(t, out.String(), "-audience NAME")
	}
}

// TestBadUsage: a call okeserver cannot make sense of is one line saying
// why, then the synopsis, on standard error, and exit status 2; nothing
// is served.
func TestBadUsage(t *testing.T) {
	real := []string{"-issuer", "https://issuer.example", "-jwks", "https://issuer.example/jwks", "-audience", "https://krs.example/ooapi"}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
		{[]string{"-dev", "extra"}, `unexpected argument "extra"`},
		{[]string{"-dev", "-audit", ""}, "-audit needs a directory"},
		{[]string{"-dev", "-addr", ""}, "-addr needs an address HOST:PORT"},
		{[]string{"-dev", "-issuer", "https://issuer.example"}, "-dev runs its own test issuer and planner: give either -dev, or -issuer, -jwks and -audience (and -planner…)"},
		{[]string{"-dev", "-planner", "https://planner.example/ooapi"}, "-dev runs its own test issuer and planner: give either -dev, or -issuer, -jwks and -audience (and -planner…)"},
		{slices.Concat(real, []string{"-planner", "https://planner.example/ooapi"}), "give -planner URL, -planner-token URL and -planner-client ID together"},
		{slices.Concat(real, []string{"-documents", "docs"}), "-documents DIR keeps the documents fetched from the planner: give -planner too"},
		{slices.Concat(real, []string{"-planner", "https://planner.example/ooapi", "-planner-token", "https://planner.example/token", "-planner-client", "krs"}),
			"-planner: give -documents DIR (or -audit DIR) to keep the documents in"},
		{[]string{"-dev", "-addr", "0.0.0.0:8080"}, "-addr 0.0.0.0:8080: -dev serves a test issuer that hands out tokens, on a loopback address only (127.0.0.1:PORT)"},
		{nil, "give -issuer URL, -jwks URL and -audience NAME of the tokens to take, or -dev for a test issuer"},
		{[]string{"-issuer", "https://issuer.example", "-jwks", "https://issuer.example/jwks"}, "give -issuer URL, -jwks URL and -audience NAME of the tokens to take, or -dev for a test issuer"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), tt.args, &out, &errs, nil), tt.args)
		assert.Empty(t, out.String(), tt.args)
		assert.Equal(t, "okeserver: "+tt.want+"\nusage: "+synopsis+"\nRun 'okeserver -h' for details.\n", errs.String(), tt.args)
	}
}

// TestBadSetting: a setting the server cannot work with is one line,
// and exit status 2.
func TestBadSetting(t *testing.T) {
	real := []string{"-addr", "127.0.0.1:0", "-issuer", "https://issuer.example", "-audience", "https://krs.example/ooapi"}
	planner := []string{"-planner", "https://planner.example/ooapi", "-planner-token", "https://planner.example/token", "-planner-client", "krs"}
	for _, tt := range []struct {
		args []string
		env  string // OKESERVER_PLANNER_SECRET
		want string
	}{
		{slices.Concat(real, []string{"-jwks", "http://issuer.example/jwks"}),
			"", `oauth: invalid oauth configuration: JWKSURL "http://issuer.example/jwks" must be https (http only to a loopback address)`},
		{slices.Concat(real, []string{"-jwks", "https://issuer.example/jwks", "-documents", t.TempDir()}, planner),
			"", "-planner: set OKESERVER_PLANNER_SECRET to the secret of client krs at https://planner.example/token"},
	} {
		t.Setenv(plannerSecretEnv, tt.env)
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), tt.args, &out, &errs, nil), tt.args)
		assert.Empty(t, out.String(), tt.args)
		assert.Equal(t, "okeserver: "+tt.want+"\n", errs.String(), tt.args)
	}
}

// TestAddressTaken: an address the server cannot listen on is one line,
// and exit status 1.
func TestAddressTaken(t *testing.T) {
	srv := start(t, "-dev")
	var out, errs bytes.Buffer
	addr := strings.TrimPrefix(srv.base, "http://")
	assert.Equal(t, 1, run(t.Context(), []string{"-dev", "-addr", addr}, &out, &errs, nil))
	assert.Empty(t, out.String())
	assert.Equal(t, 1, strings.Count(errs.String(), "\n"), errs.String())
	assert.True(t, strings.HasPrefix(errs.String(), "okeserver: -addr "+addr+": "), errs.String())
}

// TestSignal builds the command and stops it with SIGTERM, as a service
// manager does: it shuts down and exits 0.
func TestSignal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM")
	}
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "okeserver")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(t.Context(), bin, "-dev", "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	var seen strings.Builder
	for lines.Scan() {
		seen.WriteString(lines.Text() + "\n")
		if lines.Text() == "Stop with Ctrl-C." {
			break
		}
	}
	require.Contains(t, seen.String(), "Stop with Ctrl-C.", "stderr: %s", &stderr)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for lines.Scan() {
		seen.WriteString(lines.Text() + "\n")
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("exit status %d; stderr: %s", exit.ExitCode(), &stderr)
	}
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(seen.String(), "okeserver: stopping\nokeserver: stopped\n"), seen.String())
}
