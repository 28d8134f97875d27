package oke

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Sentinels an authorisation hook returns to refuse a request.
var (
	// ErrUnauthenticated: no valid token; the handler answers 401.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: a valid token without the scope nl-test-admin-flow-1-5;
	// the handler answers 403.
	ErrForbidden = errors.New("forbidden")
)

// ErrHandlerConfig is matched by every error of NewHandler: a handler
// configuration that lacks what serving needs, or that lets requests in
// without an explicit choice to.
var ErrHandlerConfig = errors.New("invalid handler configuration")

// Scope is the OAuth2 scope a token needs for flow 5 (ErrorHandling.md).
const Scope = "nl-test-admin-flow-1-5"

// A Taker takes one delivery in at the moment now and says what became of
// it: what a Handler serves. The root package's Office is one; an *Intake
// is one through IntakeTaker. As for Intake.Deliver, bad input is a
// receipt with outcome Rejected, never an error: the error is for a taker
// that fails (a store, a trail), and the handler answers it 500.
type Taker interface {
	Deliver(ctx context.Context, d Delivery, now time.Time) (Receipt, error)
}

// TakerFunc adapts a function to a Taker, as http.HandlerFunc does a
// function to an http.Handler.
type TakerFunc func(ctx context.Context, d Delivery, now time.Time) (Receipt, error)

// Deliver calls f.
func (f TakerFunc) Deliver(ctx context.Context, d Delivery, now time.Time) (Receipt, error) {
	return f(ctx, d, now)
}

// IntakeTaker returns a Taker that delivers to the intake, whose Deliver
// takes no context: the request's context is not passed on, and a delivery
// started runs to its end. A nil intake gives a nil Taker, which
// NewHandler refuses.
func IntakeTaker(in *Intake) Taker {
	if in == nil {
		return nil
	}
	return TakerFunc(func(_ context.Context, d Delivery, now time.Time) (Receipt, error) {
		return in.Deliver(d, now)
	})
}

// HandlerConfig configures a Handler. It is a plain struct: Clock is
// required, and so is Authorize unless InsecureNoAuth says otherwise; the
// zero value of every other field is a sensible default.
type HandlerConfig struct {
	// Authorize is the integrator's OAuth2 check (client credentials, scope
	// nl-test-admin-flow-1-5, ErrorHandling.md). It runs first, before the
	// method, the path or the body are looked at, so that nothing about the
	// endpoints is told to a caller without a token. It returns the Client
	// the token was issued to, to let the request through; the handler
	// limits the rate of requests per Client (see RateLimit). Or it returns
	// an error, and the request goes no further:
	//
	//   - an error wrapping ErrUnauthenticated is 401. When the request
	//     carries no bearer token at all (no Authorization header, or
	//     another scheme than Bearer) the challenge is
	//     WWW-Authenticate: Bearer scope="nl-test-admin-flow-1-5", without
	//     an error code (RFC 6750 §3.1); when it carries one, the challenge
	//     is Bearer error="invalid_token", error_description="…", with the
	//     error's text, made safe for a quoted header value;
	//   - an error wrapping ErrForbidden is 403, with the challenge
	//     Bearer error="insufficient_scope", scope="nl-test-admin-flow-1-5";
	//   - any other error is the authorizer failing (an introspection
	//     endpoint or a key set out of reach): 500, and the error goes to
	//     the Logger, not to the caller.
	//
	// The text of an ErrUnauthenticated or ErrForbidden error is the
	// problem's detail: it must not tell more than the caller may know.
	Authorize func(*http.Request) (Client, error)

	// InsecureNoAuth, with a nil Authorize, lets EVERY request in, with or
	// without a token: anyone who reaches the handler can deliver exam
	// results. It is for tests, and for a handler behind a gateway that
	// checks the tokens itself; nothing else. Without it a nil Authorize is
	// an error, so that a forgotten check never opens the endpoint. With
	// an Authorize it is an error too: one of the two, never both.
	InsecureNoAuth bool

	// Clock gives the moment of each delivery, and the time the rate
	// limit counts in; required. The library never reads the clock itself.
	Clock func() time.Time

	// Logger receives what a 500 answer does not tell the caller: the
	// taker's error, with the association id and the method, and an
	// authorizer's failure. Nil means slog.Default() at the moment of
	// logging.
	Logger *slog.Logger

	// Service is the service metadata the handler answers at GET / (Tables
	// 5.0.A and 5.0.B), with its defaults filled in; see ServiceMetadata.
	// Its ContactEmail, Specification and Documentation are mandatory:
	// NewHandler refuses metadata without them, or with any other value
	// ServiceMetadata.Validate refuses. Left entirely zero, the handler
	// serves no metadata (GET / is 404), which the agreement does not
	// allow a KRS in production: "Dit endpoint is binnen alle
	// koppelvlakken beschikbaar" (§5).
	//
	// The metadata endpoint takes a token like every other request: Table
	// 5.0.A makes it available "voor afnemers", parties that "zijn ...
	// al technisch ... verbonden, m.b.t. base-URL, authenticatie etc."
	// (§3.0, §3.6) before they use it; ErrorHandling.md has "Each request
	// will need a scope in the auth token"; the specification lists 401
	// and 403 for GET /; and a caller without a token learns nothing about
	// the endpoints, not even which versions they serve.
	Service ServiceMetadata

	// RateLimit limits the requests of each client; its zero value is a
	// default limit (DefaultRatePerSecond, DefaultBurst), off with
	// InsecureNoAuth; see RateLimit.
	RateLimit RateLimit
}

// A Handler serves the two flow-5 endpoints of the KRS over HTTP, with the
// standard library only: PATCH and PUT /ooapi/associations/{associationId}
// (also without the /ooapi prefix); and the service metadata endpoint
// (Table 5.0.A) at GET /, GET /ooapi/ and GET /ooapi, when
// HandlerConfig.Service sets it. Make it with NewHandler.
//
// Every request is authorised first, whatever its method and path: a
// request without a valid token is 401 and one without the scope 403,
// before any 404 or 405 (see HandlerConfig.Authorize). Then each client's
// rate is limited: a request over the limit is 429, with a Retry-After
// (see RateLimit). Then, in order:
//
//   - a path other than the endpoints is 404, another method 405 (with an
//     Allow header);
//   - an association id that is empty, longer than 128 bytes, not UTF-8, or
//     holds a control character, a slash, a backslash or "..", is 400 with
//     a reason of code invalid_id, and never reaches the taker;
//   - a body declared as other than JSON is 415 (see the Content-Type rule
//     below);
//   - a body larger than MaxMessageSize is 413.
//
// A delivery taken in, as a result, a merge, a duplicate or with an
// exception, is answered 200 with its receipt; a rejected one 400 with its
// reasons; both as JSON. What the agreement has the KRS accept (§3.5.3, see
// the package documentation) is taken in with an exception, never 400,
// and answered 200, never 201, also for a PUT that brings an association
// the KRS did not know: "moet het dit verzoek aannemen en verwerken (200)"
// (§5.1). A 200 answer also carries, as OOAPI's PostResponse does, a
// message: a list with one language string (en-GB) that sums the receipt
// up. A taker's error is 500 with a generic detail: the error itself,
// which may name a database or a file, goes to the Logger, not to the
// caller. Every error follows OOAPI's Problem object
// (application/problem+json, with status, title, detail; Table 5.0.D).
//
// Content-Type: OOAPI gives PATCH the type application/merge-patch+json and
// PUT application/json. The handler takes application/json and every
// +json type (RFC 6839), with no charset or charset utf-8 (RFC 8259 JSON
// is UTF-8); any other type is 415, with Accept and Accept-Patch headers
// that say what is taken. A request without a Content-Type is taken, as
// JSON: RFC 9110 §8.3 lets a recipient examine such content, the decoder
// reads it strictly (what is no JSON is rejected with its line and column,
// and kept in the delivery log), and a result a sender delivers without
// the header is better taken in and its every defect reported than
// refused unseen. A sender that says its body is something else is
// believed.
type Handler struct {
	taker     Taker
	authorize func(*http.Request) (Client, error)
	clock     func() time.Time
	logger    *slog.Logger
	limiter   *limiter // nil when the rate limit is off
	metadata  []byte   // the body of GET /, nil when it is not served
	mux       *http.ServeMux
}

// NewHandler returns the handler that serves the taker. Its error matches
// ErrHandlerConfig, and says what is missing or wrong: a nil taker, a nil
// Clock, a nil Authorize without InsecureNoAuth, service metadata that
// ServiceMetadata.Validate refuses, or a RateLimit that is no number.
func NewHandler(t Taker, cfg HandlerConfig) (*Handler, error) {
	var missing []string
	if isNil(t) {
		missing = append(missing, "a taker")
	}
	if cfg.Clock == nil {
		missing = append(missing, "a Clock")
	}
	switch {
	case cfg.Authorize == nil && !cfg.InsecureNoAuth:
		missing = append(missing, "an Authorize (or InsecureNoAuth, to let every request in)")
	case cfg.Authorize != nil && cfg.InsecureNoAuth:
		return nil, fmt.Errorf("oke: %w: both an Authorize and InsecureNoAuth; choose one", ErrHandlerConfig)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("oke: %w: %s required", ErrHandlerConfig, strings.Join(missing, ", "))
	}
	if err := cfg.Service.Validate(); err != nil {
		return nil, err
	}
	if p := cfg.RateLimit.check(); p != "" {
		return nil, fmt.Errorf("oke: %w: %s", ErrHandlerConfig, p)
	}
	h := &Handler{taker: t, authorize: cfg.Authorize, clock: cfg.Clock, logger: cfg.Logger,
		limiter: newLimiter(cfg.RateLimit, cfg.InsecureNoAuth), mux: http.NewServeMux()}
	for _, prefix := range []string{"/ooapi", ""} {
		h.mux.HandleFunc("PATCH "+prefix+"/associations/{associationId}", h.deliver(Patch))
		h.mux.HandleFunc("PUT "+prefix+"/associations/{associationId}", h.deliver(Put))
		h.mux.HandleFunc(prefix+"/associations/{associationId}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "PATCH, PUT")
			writeProblem(w, http.StatusMethodNotAllowed, "Method not allowed", r.Method+" is not served; flow 5 uses PATCH and PUT")
		})
	}
	if !cfg.Service.IsZero() {
		body, err := cfg.Service.encode()
		if err != nil {
			return nil, fmt.Errorf("oke: %w: Service: %v", ErrHandlerConfig, err)
		}
		h.metadata = body
		for _, path := range []string{"/{$}", "/ooapi/{$}", "/ooapi"} {
			h.mux.HandleFunc("GET "+path, h.serveMetadata)
			h.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Allow", "GET, HEAD")
				writeProblem(w, http.StatusMethodNotAllowed, "Method not allowed", r.Method+" is not served; the service metadata is read with GET")
			})
		}
	}
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "Resource not found", "flow 5 serves PATCH and PUT /ooapi/associations/{associationId}")
	})
	return h, nil
}

// serveMetadata answers the service metadata (Table 5.0.B).
func (h *Handler) serveMetadata(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(h.metadata)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(h.metadata)
}

// isNil reports whether a taker is nil, also a nil pointer or function in
// the interface, which would fail only at the first delivery.
func isNil(t Taker) bool {
	if t == nil {
		return true
	}
	switch v := reflect.ValueOf(t); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// ServeHTTP authorises the request, limits its client's rate, then serves
// it. A Handler not made by NewHandler lets nothing in: it answers 500 and
// logs why.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.mux == nil {
		h.log().ErrorContext(r.Context(), "oke: a Handler not made by NewHandler served a request")
		writeProblem(w, http.StatusInternalServerError, "Internal server error", internalDetail)
		return
	}
	var client Client
	if h.authorize != nil {
		c, err := h.authorize(r)
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		client = c
		r = r.WithContext(context.WithValue(r.Context(), clientKeyType{}, c))
	}
	if h.limiter != nil {
		if ok, wait := h.limiter.take(clientKey(client, r), h.clock()); !ok {
			secs := retryAfter(wait)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
			unit := "seconds"
			if secs == 1 {
				unit = "second"
			}
			writeProblem(w, http.StatusTooManyRequests, "Too many requests", fmt.Sprintf(
				"more requests from this client than the %g a second (%g at once) the receiver takes; try again in %d %s",
				h.limiter.rate, h.limiter.burst, secs, unit))
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

// internalDetail is all a 500 tells the caller.
const internalDetail = "the delivery could not be taken in because of an error on the receiving side; " +
	"it is logged there. Deliver it again later"

func (h *Handler) log() *slog.Logger {
	if h.logger != nil {
		return h.logger
	}
	return slog.Default()
}

func (h *Handler) deliver(method Method) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("associationId")
		if p := pathIDProblem(id); p != "" {
			writeJSON(w, http.StatusBadRequest, "application/problem+json", answer{
				Status: strconv.Itoa(http.StatusBadRequest), Title: "Bad request",
				Detail:  "the association id in the path " + p,
				Reasons: []Reason{{Code: CodeInvalidID, Message: "the association id in the path " + p}}})
			return
		}
		if p := contentTypeProblem(r.Header.Get("Content-Type")); p != "" {
			w.Header().Set("Accept", "application/json, application/merge-patch+json")
			if method == Patch {
				w.Header().Set("Accept-Patch", "application/merge-patch+json, application/json")
			}
			writeProblem(w, http.StatusUnsupportedMediaType, "Unsupported media type", p)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxMessageSize))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeProblem(w, http.StatusRequestEntityTooLarge, "Request too large",
					fmt.Sprintf("a message is at most %d bytes", MaxMessageSize))
				return
			}
			writeProblem(w, http.StatusBadRequest, "Bad request", "reading the body: "+err.Error())
			return
		}
		rc, err := h.taker.Deliver(r.Context(), Delivery{Method: method, AssociationID: id, Body: body}, h.clock())
		if err != nil {
			attrs := []any{slog.String("association_id", id), slog.String("method", string(method)), slog.Any("error", err)}
			if c, ok := r.Context().Value(clientKeyType{}).(Client); ok {
				attrs = append(attrs, slog.String("client", c.Subject))
			}
			h.log().ErrorContext(r.Context(), "oke: a delivery was not taken in", attrs...)
			writeProblem(w, http.StatusInternalServerError, "Internal server error", internalDetail)
			return
		}
		a := answer{Status: strconv.Itoa(http.StatusOK), Title: string(rc.Outcome), Detail: summary(rc),
			Seq: rc.Seq, AssociationID: rc.AssociationID, Outcome: rc.Outcome, Reasons: rc.Reasons}
		if rc.Outcome == Rejected {
			a.Status = strconv.Itoa(http.StatusBadRequest)
			writeJSON(w, http.StatusBadRequest, "application/problem+json", a)
			return
		}
		text := string(rc.Outcome)
		if a.Detail != "" {
			text += ": " + a.Detail
		}
		a.Message = []languageString{{Language: answerLanguage, Value: text}}
		writeJSON(w, http.StatusOK, "application/json", a)
	}
}

// pathIDProblem says what makes a path's association id one the handler
// refuses, or returns "": what Decode refuses (idProblem), and what has
// no place in an OOAPI id (a uuid) but could steer a taker that puts ids
// in file names or URLs: a slash or backslash (sent as %2F or %5C), or "..".
func pathIDProblem(id string) string {
	if p := idProblem(id); p != "" {
		return p
	}
	switch {
	case strings.ContainsAny(id, `/\`):
		return "contains a slash"
	case strings.Contains(id, ".."):
		return `contains ".."`
	}
	return ""
}

// contentTypeProblem says why a Content-Type is not taken, or returns ""
// (see Handler).
func contentTypeProblem(header string) string {
	if header == "" {
		return ""
	}
	mt, params, err := mime.ParseMediaType(header)
	if err != nil {
		return "the Content-Type " + quoteValue(header) + " does not parse: send application/json or application/merge-patch+json"
	}
	if mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return "the body is " + quoteValue(mt) + ", not JSON: send application/json or application/merge-patch+json"
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return "the charset " + quoteValue(cs) + " is not UTF-8, which JSON is (RFC 8259)"
	}
	return ""
}

// answer is the body of a delivery's response: a Problem object (status,
// title, detail) that also carries the receipt, and, in a 200 answer,
// OOAPI's PostResponse message.
type answer struct {
	Status        string           `json:"status"`
	Title         string           `json:"title"`
	Detail        string           `json:"detail,omitempty"`
	Seq           int              `json:"seq,omitempty"`
	AssociationID string           `json:"associationId,omitempty"`
	Outcome       Outcome          `json:"outcome,omitempty"`
	Reasons       []Reason         `json:"reasons,omitempty"`
	Message       []languageString `json:"message,omitempty"`
}

// languageString is OOAPI's LanguageTypedString.
type languageString struct {
	Language string `json:"language"`
	Value    string `json:"value"`
}

// answerLanguage is the language of the handler's texts, as an RFC 3066
// tag OOAPI's LanguageTypedString takes.
const answerLanguage = "en-GB"

// clientKeyType keys the Client Authorize returned in a request's context.
type clientKeyType struct{}

func summary(rc Receipt) string {
	switch len(rc.Reasons) {
	case 0:
		return ""
	case 1:
		return rc.Reasons[0].Message
	}
	return fmt.Sprintf("%s (and %d more)", rc.Reasons[0].Message, len(rc.Reasons)-1)
}

func writeProblem(w http.ResponseWriter, status int, title, detail string) {
	writeJSON(w, status, "application/problem+json", answer{Status: strconv.Itoa(status), Title: title, Detail: detail})
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
