package oke

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
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

// Scope is the OAuth2 scope a token needs for flow 5 (ErrorHandling.md).
const Scope = "nl-test-admin-flow-1-5"

// A Handler serves the two flow-5 endpoints of the KRS over HTTP, with the
// standard library only: PATCH and PUT /ooapi/associations/{associationId}
// (also without the /ooapi prefix). A delivery that is taken in, as a
// result, a merge, a duplicate or with an exception, is answered 200 with
// its receipt; a rejected one 400; both as JSON. Errors follow OOAPI's
// Problem object (application/problem+json, with status, title, detail).
//
// Authorize is the hook for the integrator's OAuth2 check (client
// credentials, scope nl-test-admin-flow-1-5): it returns nil to let the
// request through, or an error wrapping ErrUnauthenticated (401) or
// ErrForbidden (403; any other error is 403 as well). A nil Authorize lets
// every request through, for tests. Clock gives the moment of each delivery.
type Handler struct {
	Intake    *Intake
	Authorize func(*http.Request) error
	Clock     func() time.Time
	mux       *http.ServeMux
}

// NewHandler returns the handler of the intake.
func NewHandler(in *Intake, clock func() time.Time, authorize func(*http.Request) error) *Handler {
	h := &Handler{Intake: in, Clock: clock, Authorize: authorize, mux: http.NewServeMux()}
	for _, prefix := range []string{"/ooapi", ""} {
		h.mux.HandleFunc("PATCH "+prefix+"/associations/{associationId}", h.deliver(Patch))
		h.mux.HandleFunc("PUT "+prefix+"/associations/{associationId}", h.deliver(Put))
	}
	for _, prefix := range []string{"/ooapi", ""} {
		h.mux.HandleFunc(prefix+"/associations/{associationId}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "PATCH, PUT")
			writeProblem(w, http.StatusMethodNotAllowed, "Method not allowed", r.Method+" is not served; flow 5 uses PATCH and PUT")
		})
	}
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "Resource not found", "flow 5 serves PATCH and PUT /ooapi/associations/{associationId}")
	})
	return h
}

// ServeHTTP serves a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler) deliver(method Method) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Authorize != nil {
			if err := h.Authorize(r); err != nil {
				if errors.Is(err, ErrUnauthenticated) {
					w.Header().Set("WWW-Authenticate", `Bearer scope="`+Scope+`"`)
					writeProblem(w, http.StatusUnauthorized, "Unauthorized", err.Error())
					return
				}
				writeProblem(w, http.StatusForbidden, "Forbidden", err.Error())
				return
			}
		}
		if h.Clock == nil || h.Intake == nil {
			writeProblem(w, http.StatusInternalServerError, "Internal server error", "the handler has no intake or clock")
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
		rc, err := h.Intake.Deliver(Delivery{Method: method, AssociationID: r.PathValue("associationId"), Body: body}, h.Clock())
		if err != nil {
			writeProblem(w, http.StatusInternalServerError, "Internal server error", err.Error())
			return
		}
		status, contentType := http.StatusOK, "application/json"
		if rc.Outcome == Rejected {
			status, contentType = http.StatusBadRequest, "application/problem+json"
		}
		writeJSON(w, status, contentType, answer{Status: strconv.Itoa(status), Title: string(rc.Outcome),
			Detail: summary(rc), Seq: rc.Seq, AssociationID: rc.AssociationID, Outcome: rc.Outcome, Reasons: rc.Reasons})
	}
}

// answer is the body of a delivery's response: a Problem object (status,
// title, detail) that also carries the receipt.
type answer struct {
	Status        string   `json:"status"`
	Title         string   `json:"title"`
	Detail        string   `json:"detail,omitempty"`
	Seq           int      `json:"seq,omitempty"`
	AssociationID string   `json:"associationId,omitempty"`
	Outcome       Outcome  `json:"outcome,omitempty"`
	Reasons       []Reason `json:"reasons,omitempty"`
}

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
